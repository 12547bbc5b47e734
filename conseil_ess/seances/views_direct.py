"""The live page of a séance (``/seances/<slug>/direct/``), its JSON state for the HTTP fallback, the vote
form (the no-JavaScript path of the WebSocket vote), the secrétariat's controls and the QR check-in.

Every change goes through ``services``; refusals (``ActionImpossible``) are shown in French as they are.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conseil_ess.comptes.predicates import a_le_role_d_agent, mfa_manquante
from conseil_ess.comptes.services import ActionImpossible
from evenements.filters import PARIS

from . import services
from .etat import etat_public
from .etats import SEANCE
from .models import Bulletin, Choix, Emargement, Participation, PointOrdreDuJour, Scrutin, Seance
from .rules import est_membre_en_exercice, peut_voter

ACTUALISATION_SECONDES = 15


def _seance(request, slug):
    """The séance of ``slug`` if the user may see it (404 otherwise, as for an unknown one)."""
    seance = get_object_or_404(Seance.objects.select_related("evenement"), evenement__slug=slug)
    if not request.user.has_perm("seances.voir", seance):
        raise Http404
    return seance


def _id(valeur):
    """A positive integer from a form field, or None."""
    try:
        n = int(valeur)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def moi(user, seance, etat):
    """The personal part of the live page for ``user`` (a constant number of queries)."""
    scrutin = etat["scrutin"]
    connecte = bool(user.is_authenticated)
    donnees = {"connecte": connecte, "emarge": False, "peut_voter": False, "a_vote": False, "choix": None,
               "peut_piloter": False, "membre": False}
    if not connecte:
        return donnees
    donnees["membre"] = bool(est_membre_en_exercice(user))
    donnees["emarge"] = Emargement.objects.filter(seance_id=seance.pk, user=user).exists()
    if scrutin is not None:
        if scrutin["secret"]:
            donnees["a_vote"] = Participation.objects.filter(scrutin_id=scrutin["id"], votant=user).exists()
        else:
            choix = Bulletin.objects.filter(scrutin_id=scrutin["id"], votant=user).values_list("choix", flat=True)
            choix = choix.first()
            donnees["a_vote"], donnees["choix"] = choix is not None, choix
        # The rule ``seances.voter`` (as the service asks it), on the scrutin as the live state shows it.
        affiche = Scrutin(pk=scrutin["id"], seance_id=seance.pk, statut=scrutin["statut"],
                          saisie_manuelle=scrutin["saisie_manuelle"])
        donnees["peut_voter"] = bool(
            peut_voter(user, affiche) and (not donnees["a_vote"] or scrutin["changement_de_vote_autorise"]))
    donnees["peut_piloter"] = bool(user.has_perm("seances.gerer_seance", seance) and not mfa_manquante(user))
    return donnees


def _contexte(request, seance, **extra):
    etat = etat_public(seance)
    user = request.user
    contexte = {
        "seance": seance, "evenement": seance.evenement, "etat": etat, "moi": moi(user, seance, etat),
        "choix_vote": Choix.choices, "actualiser": request.GET.get("actualiser") == str(ACTUALISATION_SECONDES),
        "actualisation_secondes": ACTUALISATION_SECONDES,
        "agent_sans_mfa": bool(a_le_role_d_agent(user) and mfa_manquante(user)),
        "emargement_ouvert": seance.statut in SEANCE.etats_ou("emargement_ouvert"),
    }
    if contexte["moi"]["peut_piloter"]:
        contexte["points"] = list(PointOrdreDuJour.objects.filter(seance=seance).order_by("ordre", "pk"))
        contexte["scrutins"] = list(Scrutin.objects.filter(seance=seance).select_related("point")
                                    .order_by("numero"))
    contexte.update(extra)
    return contexte


@require_GET
@never_cache
def direct(request, slug):
    seance = _seance(request, slug)
    contexte = _contexte(request, seance)
    reponse = render(request, "seances/direct.html", contexte)
    if contexte["actualiser"]:
        # The refresh the person asked for (RGAA 13.1: they turn it on and off), as an HTTP header rather
        # than a <meta http-equiv="refresh">, which accessibility audits reject whatever the context.
        reponse["Refresh"] = str(ACTUALISATION_SECONDES)
    return reponse


@require_GET
@never_cache
def direct_etat(request, slug):
    seance = _seance(request, slug)
    etat = etat_public(seance)
    donnees = moi(request.user, seance, etat)
    donnees.pop("membre")
    return JsonResponse({**etat, "moi": donnees})


@require_POST
def voter(request, slug):
    """The vote form (without JavaScript, or with the socket down): same service as the WebSocket."""
    seance = _seance(request, slug)
    scrutin_id = _id(request.POST.get("scrutin"))
    if scrutin_id is None:
        return HttpResponseBadRequest(_("Scrutin manquant ou invalide."), content_type="text/plain; charset=utf-8")
    scrutin = get_object_or_404(Scrutin, pk=scrutin_id, seance=seance)
    choix = request.POST.get("choix", "")
    try:
        services.voter(scrutin, request.user, choix)
    except ActionImpossible as refus:
        messages.error(request, str(refus))
    else:
        libelle = dict(Choix.choices).get(choix, choix)
        if scrutin.secret:
            messages.success(request, _("Votre vote est enregistré (vote secret)."))
        else:
            messages.success(request, _("Votre vote est enregistré : %(choix)s.") % {"choix": libelle})
    return redirect(reverse("seances:direct", args=[seance.slug]) + "#vote")


def _piloter(seance, par, action, donnees):
    """Run ``action`` of the control panel; return the success message (raise ActionImpossible/Http404)."""
    renvoi = donnees.get("renvoi") in ("1", "on", "true")
    motif = donnees.get("motif", "")
    if action == "point_suivant":
        points = list(PointOrdreDuJour.objects.filter(seance=seance).order_by("ordre", "pk"))
        courant = next((i for i, p in enumerate(points) if p.pk == seance.point_courant_id), None)
        suivant = points[0] if courant is None and points else (
            points[courant + 1] if courant is not None and courant + 1 < len(points) else None)
        if suivant is None:
            raise ActionImpossible(_("Il n'y a plus de point après celui-ci à l'ordre du jour."))
        services.passer_au_point(seance, suivant, par)
        return _("Point en cours : %(titre)s.") % {"titre": suivant.titre}
    if action == "aller_au_point":
        point = get_object_or_404(PointOrdreDuJour, pk=_id(donnees.get("point")) or 0, seance=seance)
        services.passer_au_point(seance, point, par)
        return _("Point en cours : %(titre)s.") % {"titre": point.titre}
    if action == "terminer":
        clos, retires = services.terminer_seance(seance, par)
        message = _("La séance est terminée.")
        if clos:
            message += " " + _("Scrutin clos et dépouillé : %(numeros)s.") % {
                "numeros": ", ".join(f"n° {s.numero}" for s in clos)}
        if retires:
            message += " " + _("Scrutins retirés sans vote : %(numeros)s.") % {
                "numeros": ", ".join(f"n° {s.numero}" for s in retires)}
        return message
    scrutin = get_object_or_404(Scrutin, pk=_id(donnees.get("scrutin")) or 0, seance=seance)
    if action == "ouvrir":
        services.ouvrir_scrutin(scrutin, par)
        return _("Le vote du scrutin n° %(numero)s est ouvert.") % {"numero": scrutin.numero}
    if action == "clore":
        services.clore_scrutin(scrutin, par, renvoi=renvoi, motif=motif)
        return _("Le scrutin n° %(numero)s est clos.") % {"numero": scrutin.numero}
    # action == "saisir" (checked by the caller)
    services.saisir_resultat_manuel(scrutin, par, pour=donnees.get("pour"), contre=donnees.get("contre"),
                                    abstention=donnees.get("abstention"), renvoi=renvoi, motif=motif)
    return _("Le résultat du scrutin n° %(numero)s à main levée est enregistré.") % {"numero": scrutin.numero}


ACTIONS = ("point_suivant", "aller_au_point", "ouvrir", "clore", "saisir", "terminer")


def _confirmation(seance, action, donnees):
    """Return the context of the page that asks once before ending the séance (listing the open scrutin that
    will be closed and counted and the prepared ones that will be withdrawn), before opening it before its day,
    or before opening a vote before the séance's day (a plain form: works without JavaScript); None when no
    confirmation is needed or given."""
    if donnees.get("confirmer") == "1":
        return None
    avant_le_jour = timezone.localdate(seance.evenement.debut, PARIS) > timezone.localdate(timezone=PARIS)
    ouverture = action in ("point_suivant", "aller_au_point") and seance.statut != Seance.Statut.EN_COURS
    scrutin = None
    if action == "terminer":
        if seance.statut == Seance.Statut.TERMINEE:
            return None  # the service refuses with its own message
    elif action == "ouvrir" and avant_le_jour:
        scrutin = Scrutin.objects.filter(pk=_id(donnees.get("scrutin")) or 0, seance=seance,
                                         statut=Scrutin.Statut.PREPARE).first()
        if scrutin is None:
            return None  # unknown or not prepared: the service (or a 404) says why
    elif not (ouverture and avant_le_jour):
        return None
    scrutins = list(seance.scrutins.filter(statut__in=[Scrutin.Statut.PREPARE, Scrutin.Statut.OUVERT])
                    .select_related("point").order_by("numero"))
    return {"seance": seance, "action": action, "point": donnees.get("point", ""), "avant_le_jour": avant_le_jour,
            "jour": timezone.localtime(seance.evenement.debut, PARIS), "scrutin": scrutin,
            "scrutins_prepares": [s for s in scrutins if s.statut == Scrutin.Statut.PREPARE],
            "scrutins_ouverts": [s for s in scrutins if s.statut == Scrutin.Statut.OUVERT]}


@require_POST
def piloter(request, slug):
    """The secrétariat drives the séance (agents with two-factor authentication only)."""
    seance = _seance(request, slug)
    if a_le_role_d_agent(request.user) and mfa_manquante(request.user):
        return render(request, "seances/direct/refus.html", {
            "seance": seance, "message": _("Configurez d'abord la double authentification (application TOTP) : "
                                           "elle est obligatoire pour conduire une séance."),
            "lien_mfa": True}, status=403)
    if not request.user.has_perm("seances.gerer_seance", seance):
        return render(request, "seances/direct/refus.html", {
            "seance": seance, "message": _("Seul le secrétariat du Conseil peut conduire la séance.")}, status=403)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest(_("Action inconnue."), content_type="text/plain; charset=utf-8")
    confirmation = _confirmation(seance, action, request.POST)
    if confirmation is not None:
        return render(request, "seances/direct/confirmer.html", confirmation)
    try:
        message = _piloter(seance, request.user, action, request.POST)
    except ActionImpossible as refus:
        seance.refresh_from_db()
        erreur = {"action": action, "scrutin": _id(request.POST.get("scrutin")), "message": str(refus)}
        return render(request, "seances/direct.html",
                      _contexte(request, seance, erreur_pilotage=erreur, saisie=request.POST), status=400)
    messages.success(request, message)
    return redirect(reverse("seances:direct", args=[seance.slug]) + "#pilotage")


@login_required
@require_http_methods(["GET", "POST"])
def emarger(request, slug, jeton):
    """The room's QR code: a member confirms their presence (POST), then lands on the live page."""
    seance = _seance(request, slug)
    if not secrets.compare_digest(str(jeton), seance.jeton_emargement):
        return render(request, "seances/emarger.html", {"seance": seance, "jeton_invalide": True}, status=404)
    deja = Emargement.objects.filter(seance=seance, user=request.user).exists()
    if request.method == "POST":
        try:
            services.emarger(seance, request.user, jeton=jeton)
        except ActionImpossible as refus:
            return render(request, "seances/emarger.html",
                          {"seance": seance, "jeton": jeton, "erreur": str(refus)}, status=400)
        messages.success(request, _("Votre présence est enregistrée : vous pouvez voter pendant la séance."))
        return redirect("seances:direct", slug=seance.slug)
    return render(request, "seances/emarger.html", {"seance": seance, "jeton": jeton, "deja": deja})
