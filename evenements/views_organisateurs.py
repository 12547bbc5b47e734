"""The organisers' pages of an event: who registered, the office export, a message to them, the check-in at the
door (a list to tick from a phone, a code typed or scanned from the QR code of the confirmation e-mail).

Every page asks ``evenements.gerer_inscrits``; every change goes through ``evenements.inscrits``.
"""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from conseil_ess.comptes.admin_views import neutraliser_formule
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.comptes.tableurs import ecrivain_bureautique
from conseil_ess.redaction import ChampRedaction

from . import inscrits
from .models import Evenement, Inscription

PAR_PAGE = 50
SESSION_EMARGEMENT = "evenements_emargement_en_cours"
I = Inscription.Statut  # noqa: E741


def _evenement_gere(request, slug):
    """The event, for its organisers and the moderation team; others are refused (anonymous: to the login)."""
    evenement = get_object_or_404(Evenement.objects.select_related("lieu__commune"), slug=slug)
    if not request.user.is_authenticated:
        raise _Connexion
    if not request.user.has_perm("evenements.gerer_inscrits", evenement):
        raise PermissionDenied
    return evenement


class _Connexion(Exception):
    pass


def _reserve(vue):
    def enveloppe(request, slug, *args, **kwargs):
        try:
            evenement = _evenement_gere(request, slug)
        except _Connexion:
            return redirect_to_login(request.get_full_path())
        return vue(request, evenement, *args, **kwargs)

    enveloppe.__name__ = vue.__name__
    enveloppe.__doc__ = vue.__doc__
    return enveloppe


@require_http_methods(["GET"])
@_reserve
def gerer(request, evenement):
    """The registered people (confirmed, then the waiting list in order), paginated, with the counts."""
    statut = request.GET.get("statut")
    liste = inscrits.actives(evenement)
    if statut in (I.CONFIRMEE, I.ATTENTE):
        liste = liste.filter(statut=statut)
    page = Paginator(liste, PAR_PAGE).get_page(request.GET.get("page"))
    # Waiting-list positions of this page: those waiting before its first row, then one by one.
    premiere = page.object_list[0] if page.object_list else None
    position = 0
    if premiere is not None and premiere.statut == I.ATTENTE:
        position = (
            Inscription.objects.filter(evenement=evenement, statut=I.ATTENTE)
            .filter(Q(cree_le__lt=premiere.cree_le) | Q(cree_le=premiere.cree_le, pk__lt=premiere.pk))
            .count()
        )
    lignes = []
    for inscription in page.object_list:
        if inscription.statut == I.ATTENTE:
            position += 1
        lignes.append((inscription, position if inscription.statut == I.ATTENTE else None))
    return render(
        request,
        "evenements/organisateurs/gerer.html",
        {
            "evenement": evenement,
            "page_obj": page,
            "lignes": lignes,
            "statut": statut,
            "compteurs": inscrits.compteurs(evenement),
        },
    )


@require_http_methods(["GET"])
@_reserve
def export(request, evenement):
    """The registered people as a spreadsheet for French offices (``;``, UTF-8 with BOM)."""
    entete, lignes = inscrits.lignes_export(evenement)
    tampon = io.StringIO()
    ecrivain = ecrivain_bureautique(tampon)
    ecrivain.writerow(entete)
    for ligne in lignes:
        ecrivain.writerow([neutraliser_formule(v) if isinstance(v, str) else v for v in ligne])
    reponse = HttpResponse(tampon.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = content_disposition_header(True, f"inscrits-{evenement.slug}.csv")
    reponse["Cache-Control"] = "private, no-store"
    return reponse


class MessageForm(forms.Form):
    objet = forms.CharField(label=gettext_lazy("Objet (facultatif)"), max_length=120, required=False)
    texte = ChampRedaction(
        label=gettext_lazy("Message"),
        max_length=inscrits.MESSAGE_MAX,
        error_messages={
            "required": gettext_lazy("Le message est vide : écrivez ce que vous voulez dire aux personnes inscrites.")
        },
    )
    avec_attente = forms.BooleanField(
        label=gettext_lazy("L'envoyer aussi aux personnes en liste d'attente"), required=False
    )


@require_http_methods(["GET", "POST"])
@_reserve
def message(request, evenement):
    """Write a message, read it again with the number of people it goes to, then send it."""
    form = MessageForm(request.POST or None)
    contexte = {
        "evenement": evenement,
        "form": form,
        "compteurs": inscrits.compteurs(evenement),
        "limite": inscrits.messages_par_jour(),
        "deja_envoyes": inscrits.messages_envoyes_recemment(evenement),
    }
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        if request.POST.get("confirmer") != "1":
            contexte["apercu"] = True
            contexte["nombre"] = inscrits.destinataires(evenement, donnees["avec_attente"]).count()
        else:
            try:
                nombre = inscrits.envoyer_message(
                    evenement, donnees["objet"], donnees["texte"], request.user, avec_attente=donnees["avec_attente"]
                )
            except ActionImpossible as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Votre message est envoyé à %(n)s personne inscrite.",
                        "Votre message est envoyé à %(n)s personnes inscrites.",
                        nombre,
                    )
                    % {"n": nombre},
                )
                return redirect("evenements:organisateurs", evenement.slug)
    return render(request, "evenements/organisateurs/message.html", contexte)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code d'entrée"),
        max_length=40,
        help_text=gettext_lazy("Celui de l'e-mail de confirmation, par exemple 42-ABCD2EFG."),
        error_messages={"required": gettext_lazy("Saisissez le code d'entrée.")},
    )


def _repondre(request, evenement, inscription, texte, erreur=False):
    """With JavaScript (``fetch``): JSON with the new row; without: the message, then back to the list."""
    if request.headers.get("x-requested-with") == "fetch":
        return JsonResponse(
            {
                "message": texte,
                "erreur": erreur,
                "presents": inscrits.compteurs(evenement)["presents"],
                "ligne": render_to_string(
                    "evenements/organisateurs/_personne.html",
                    {"inscription": inscription, "evenement": evenement},
                    request=request,
                )
                if inscription is not None
                else "",
            },
            status=400 if erreur else 200,
        )
    (messages.error if erreur else messages.success)(request, texte)
    suite = reverse("evenements:organisateurs_emargement", args=[evenement.slug])
    requete = request.POST.get("retour", "")
    if requete.startswith("?"):
        suite += requete
    return redirect(suite + (f"#personne-{inscription.pk}" if inscription is not None else ""))


@require_http_methods(["GET", "POST"])
@_reserve
def emargement(request, evenement):
    """The check-in list of the confirmed people (a form per person: works without JavaScript), and the code
    typed at the door."""
    request.session[SESSION_EMARGEMENT] = evenement.pk
    form_code = CodeForm()
    if request.method == "POST":
        if "code" in request.POST:
            form_code = CodeForm(request.POST)
            if form_code.is_valid():
                try:
                    inscription = inscrits.inscription_du_code(form_code.cleaned_data["code"], evenement)
                    inscrits.marquer_present(evenement, inscription, request.user)
                except ActionImpossible as exc:
                    form_code.add_error("code", str(exc))
                else:
                    return _repondre(
                        request, evenement, inscription, _("%(nom)s : présent·e.") % {"nom": _nom(inscription)}
                    )
        else:
            inscription = get_object_or_404(
                Inscription.objects.select_related("user"), evenement=evenement, pk=request.POST.get("inscription") or 0
            )
            try:
                if request.POST.get("action") == "retirer":
                    inscrits.retirer_presence(evenement, inscription, request.user)
                    texte = _("%(nom)s : présence retirée.") % {"nom": _nom(inscription)}
                else:
                    inscrits.marquer_present(evenement, inscription, request.user)
                    texte = _("%(nom)s : présent·e.") % {"nom": _nom(inscription)}
            except ActionImpossible as exc:
                return _repondre(request, evenement, inscription, str(exc), erreur=True)
            return _repondre(request, evenement, inscription, texte)
    recherche = (request.GET.get("q") or "").strip()[:100]
    liste = (
        Inscription.objects.filter(evenement=evenement, statut=I.CONFIRMEE)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    if recherche:
        liste = liste.filter(
            Q(user__first_name__icontains=recherche)
            | Q(user__last_name__icontains=recherche)
            | Q(user__nom_affiche__icontains=recherche)
            | Q(user__email__icontains=recherche)
        )
    page = Paginator(liste, PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "evenements/organisateurs/emargement.html",
        {
            "evenement": evenement,
            "page_obj": page,
            "form_code": form_code,
            "recherche": recherche,
            "compteurs": inscrits.compteurs(evenement),
            "retour": "?" + request.GET.urlencode() if request.GET else "",
        },
    )


def _nom(inscription):
    return inscription.user.nom_public if inscription.user_id else _("Personne anonymisée")


@require_http_methods(["GET", "POST"])
@_reserve
def scan(request, evenement, code):
    """The address of a QR code, opened by the organiser's phone: who it is, then « Confirmer la présence »."""
    erreur, inscription = "", None
    try:
        inscription = inscrits.inscription_du_code(code, evenement)
    except ActionImpossible as exc:
        erreur = str(exc)
    en_cours = request.session.get(SESSION_EMARGEMENT)
    if not erreur and en_cours and en_cours != evenement.pk:
        autre = Evenement.objects.filter(pk=en_cours).values_list("titre", flat=True).first()
        if autre:
            erreur = _(
                "Ce code est celui d'une inscription à « %(titre)s », pas à « %(autre)s » que vous émargez. "
                "Pour émarger cet autre événement, ouvrez d'abord sa liste d'émargement."
            ) % {"titre": evenement.titre, "autre": autre}
    present = False
    if not erreur and request.method == "POST":
        try:
            inscrits.marquer_present(evenement, inscription, request.user)
            present = True
        except ActionImpossible as exc:
            erreur = str(exc)
    statut = 400 if erreur and request.method == "POST" else 200
    return render(
        request,
        "evenements/organisateurs/scan.html",
        {
            "evenement": evenement,
            "inscription": inscription,
            "erreur": erreur,
            "present": present,
            "code": code,
        },
        status=statut,
    )
