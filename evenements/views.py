"""Public and actor pages of the agenda. Every state change goes through ``evenements.services``."""

import calendar
import csv
import datetime
import json
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from wagtail.admin.utils import get_valid_next_url_from_request

from conseil_ess.comptes.admin_views import neutraliser_formule

from . import cartes, donnees_ouvertes, feeds, fiche, services
from .filters import PARIS, AgendaFilter, evenements_visibles, inscriptions_avec_position, minuit
from .forms import EvenementForm, StatutForm
from .models import Evenement, Inscription, Programme, TypeEvenement
from .services import ActionImpossible
from .templatetags.agenda import bornes_locales, sur_plusieurs_jours

PAR_PAGE = 20
# A subscribed calendar keeps recent past events rather than seeing them vanish as soon as they end.
HISTORIQUE_FLUX = datetime.timedelta(days=183)
PARAMETRES_DE_VUE = ("vue", "mois", "page")
P = Evenement.Publication


def _filtres(request, *exclus):
    """Return the GET parameters of the filters alone (no view, month or page), multi-valued keys kept."""
    donnees = request.GET.copy()
    for cle in (*PARAMETRES_DE_VUE, *exclus):
        donnees.pop(cle, None)
    return donnees


def _requete_filtres(request, *exclus):
    return _filtres(request, *exclus).urlencode()


def _par_jour(evenements):
    """Split events into those spanning several days and, per local start day, the others (one time-zone
    conversion per event: a month holds a hundred)."""
    longs, courts = [], []
    for evenement in evenements:
        debut, _fin, dernier = bornes_locales(evenement)
        if dernier != debut.date():
            longs.append(evenement)
        else:
            courts.append((debut.date(), evenement))
    jours = [(jour, [e for _jour, e in groupe]) for jour, groupe in groupby(courts, key=itemgetter(0))]
    return longs, jours


def agenda(request):
    """Upcoming events as a paginated list, or a month (``?vue=mois&mois=2026-11``), with the filters.

    The parts of a day (the Assises' sessions and workshops) are listed on its page and on the
    programme page, not one by one in the agenda.
    """
    base = evenements_visibles(request.user).filter(parent__isnull=True)
    if request.GET.get("vue") == "mois":
        return _agenda_mois(request, base)
    # Without any parameter the filter set is unbound: nothing to validate (the same form, the same events).
    filtre = AgendaFilter(request.GET or None, queryset=base, depuis=timezone.now())
    ordre = ("-debut", "-pk") if filtre.montre_passes else ("debut", "pk")
    # The form's menus with the cards' structures: one round trip (``lire_ensemble``).
    page, evenements = cartes.page(filtre.qs.order_by(*ordre), request.GET.get("page"), PAR_PAGE,
                                   autres=(filtre.lecture_menus(),))
    requete = _requete_filtres(request)
    return render(request, "evenements/agenda.html", {
        "filtre": filtre, "page_obj": page, "evenements": evenements, "requete": requete,
        "vue": "liste",
        "mois_courant": timezone.localdate(timezone=PARIS).strftime("%Y-%m"),
    })


def _mois_demande(valeur):
    try:
        annee, mois = (int(x) for x in valeur.split("-"))
        if not 2000 <= annee <= 2100:
            raise ValueError
        return datetime.date(annee, mois, 1)
    except (ValueError, TypeError, AttributeError):
        return None


def _agenda_mois(request, base):
    aujourdhui = timezone.localdate(timezone=PARIS)
    mois_texte = request.GET.get("mois")
    premier = _mois_demande(mois_texte) if mois_texte else aujourdhui.replace(day=1)
    mois_invalide = premier is None
    premier = premier or aujourdhui.replace(day=1)
    suivant = (premier + datetime.timedelta(days=31)).replace(day=1)
    precedent = (premier - datetime.timedelta(days=1)).replace(day=1)
    # A month shows all its days: the list's "passés" toggle does not apply here.
    filtre = AgendaFilter(_filtres(request, "passes") or None, queryset=base)
    evenements = cartes.charger(
        filtre.qs.filter(debut__lt=minuit(suivant), fin__gt=minuit(premier)).order_by("debut", "pk")
    )
    longs, jours = _par_jour(evenements)
    jours_avec = {jour for jour, _evs in jours}
    semaines = [
        [{"jour": j, "dans_le_mois": j.month == premier.month, "evenements": j in jours_avec} for j in semaine]
        for semaine in calendar.Calendar(firstweekday=0).monthdatescalendar(premier.year, premier.month)
    ]
    requete = _requete_filtres(request, "passes")
    return render(request, "evenements/agenda_mois.html", {
        "filtre": filtre, "requete": requete, "vue": "mois", "premier": premier, "mois_invalide": mois_invalide,
        "precedent": precedent, "suivant": suivant,
        "mois_precedent": precedent.strftime("%Y-%m"), "mois_suivant": suivant.strftime("%Y-%m"),
        "mois_courant": premier.strftime("%Y-%m"),
        "longs": longs, "jours": jours, "semaines": semaines, "nombre": len(evenements),
        "jours_semaine": [datetime.date(2026, 11, 2) + datetime.timedelta(days=i) for i in range(7)],
    })


def _nom_flux(filtre):
    """Return the calendar name of a filtered feed: "Agenda de l'ESS – Lanvallon · Projection-débat"."""
    donnees = filtre.form.cleaned_data if filtre.is_valid() else {}
    precisions = [str(donnees[cle]) for cle in ("programme", "commune", "public", "champ") if donnees.get(cle)]
    if donnees.get("type"):
        precisions.append(TypeEvenement(donnees["type"]).label)
    nom = _("Agenda de l'ESS – Rivebelle Métropole")
    return f"{nom} – {' · '.join(str(p) for p in precisions)}" if precisions else nom


def agenda_ics(request):
    """The agenda's iCal twin: the same events and filters (public ones only), recent past ones kept."""
    base = feeds.evenements_publics().filter(parent__isnull=True).pour_liste()
    filtre = AgendaFilter(request.GET, queryset=base, depuis=timezone.now() - HISTORIQUE_FLUX)
    return feeds.reponse_ics(request, filtre.qs, nom=_nom_flux(filtre), nom_fichier="agenda.ics")


def _evenement(slug):
    return get_object_or_404(
        Evenement.objects.select_related("lieu__commune", "commune", "programme", "creneau", "parent", "propose_par")
        .prefetch_related("structures", "publics", "champs"),
        slug=slug,
    )


def _evenement_visible(request, slug):
    """Return the event if ``request.user`` may see it; 404 otherwise (drafts do not leak)."""
    evenement = _evenement(slug)
    if not request.user.has_perm("evenements.voir", evenement):
        raise Http404
    return evenement


def _mon_inscription(user, evenement):
    if not user.is_authenticated:
        return None
    return inscriptions_avec_position(
        Inscription.objects.filter(user=user, evenement=evenement).exclude(statut=Inscription.Statut.ANNULEE)
    ).first()


def _contexte_detail(request, evenement, form_statut=None):
    user = request.user
    mon_inscription = _mon_inscription(user, evenement)
    autre_atelier = None
    if evenement.creneau_id and user.is_authenticated and mon_inscription is None:
        autre_atelier = (
            Inscription.objects.filter(user=user, creneau_id=evenement.creneau_id)
            .exclude(statut=Inscription.Statut.ANNULEE).select_related("evenement").first()
        )
    # What the list of the parts shows (title, link, hours, precision of place): a handful of columns; no
    # query when the event page's query found none (``fiche.evenement_de_la_fiche``).
    sequences = []
    if getattr(evenement, "a_des_sequences", True):
        sequences = evenements_visibles(user).filter(parent=evenement).only(
            "slug", "titre", "debut", "fin", "journee_entiere", "precision_lieu")
    ouvertes = (
        evenement.est_publie and evenement.inscription_sur_plateforme and evenement.fin > timezone.now()
        and evenement.statut not in (Evenement.Statut.ANNULE, Evenement.Statut.REPORTE)
    )
    en_attente = 0
    if evenement.inscription_sur_plateforme and evenement.places_restantes == 0:
        en_attente = evenement.inscriptions.filter(statut=Inscription.Statut.ATTENTE).count()
    peut_changer_statut = user.has_perm("evenements.changer_statut", evenement)
    if form_statut is None and peut_changer_statut:
        form_statut = StatutForm(initial={"statut": evenement.statut, "motif": evenement.motif_statut})
    return {
        "evenement": evenement,
        "mon_inscription": mon_inscription,
        "autre_atelier": autre_atelier,
        "sequences": list(sequences),
        "inscriptions_ouvertes": ouvertes,
        "en_attente": en_attente,
        "peut_modifier": user.has_perm("evenements.modifier", evenement),
        "peut_changer_statut": peut_changer_statut,
        "est_proposant": user.is_authenticated and evenement.propose_par_id == user.pk,
        "form_statut": form_statut,
        # schema.org Event for search engines and aggregators: published events only.
        "json_ld": donnees_ouvertes.balise_json_ld(evenement, request.build_absolute_uri("/").rstrip("/"))
        if evenement.est_publie else "",
    }


def detail(request, slug):
    """An event's page; a reserved event asks for a login, an unpublished one is a 404 for the public."""
    evenement = fiche.evenement_de_la_fiche(slug)
    if not request.user.has_perm("evenements.voir", evenement):
        if evenement.est_publie and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    return render(request, "evenements/detail.html", _contexte_detail(request, evenement))


@login_required
@require_POST
def inscrire(request, slug):
    evenement = _evenement_visible(request, slug)
    try:
        inscription = services.inscrire(evenement, request.user)
    except ActionImpossible as exc:
        messages.error(request, str(exc))
        return redirect(evenement)
    if inscription.statut == Inscription.Statut.CONFIRMEE:
        messages.success(request, _(
            "Votre inscription à « %(titre)s » est confirmée. Vous allez recevoir un e-mail de confirmation avec "
            "l'événement à ajouter à votre agenda."
        ) % {"titre": evenement.titre})
    else:
        position = inscriptions_avec_position(Inscription.objects.filter(pk=inscription.pk)).get().position
        messages.warning(request, _(
            "L'événement est complet : vous êtes sur la liste d'attente, en position %(position)s. Si une place se "
            "libère, elle vous sera attribuée automatiquement et vous serez prévenu·e."
        ) % {"position": position})
    return redirect(evenement)


@login_required
@require_http_methods(["GET", "POST"])
def annuler_inscription(request, pk):
    """Cancel one of my registrations (only mine: anyone else's is a 404), after asking once.

    The « Annuler » links lead here (GET): a page says what cancelling does and asks; its form posts
    ``confirmer=1``. A POST without it (an old form) asks too: nothing is cancelled in one click.
    """
    inscription = get_object_or_404(
        inscriptions_avec_position(Inscription.objects.select_related("evenement")), pk=pk, user=request.user)
    suivant = get_valid_next_url_from_request(request) or reverse("comptes:mon_espace") + "#mes-inscriptions"
    if request.method != "POST" or request.POST.get("confirmer") != "1":
        return render(request, "evenements/annuler_inscription.html", {
            "inscription": inscription, "evenement": inscription.evenement, "suivant": suivant,
            "deja_annulee": inscription.statut == Inscription.Statut.ANNULEE,
        })
    try:
        services.annuler_inscription(inscription, par=request.user)
    except ActionImpossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Votre inscription à « %(titre)s » est annulée.")
                         % {"titre": inscription.evenement.titre})
    return redirect(suivant)


@login_required
@require_POST
def statut(request, slug):
    """An organiser or a moderator marks the event confirmed, postponed, full or cancelled."""
    evenement = _evenement_visible(request, slug)
    if not request.user.has_perm("evenements.changer_statut", evenement):
        raise PermissionDenied
    form = StatutForm(request.POST)
    if form.is_valid():
        try:
            services.changer_statut(evenement, form.cleaned_data["statut"], par=request.user,
                                    motif=form.cleaned_data["motif"])
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Le statut de l'événement est maintenant « %(statut)s ».")
                             % {"statut": Evenement.Statut(form.cleaned_data["statut"]).label})
            return redirect(evenement)
    return render(request, "evenements/detail.html", _contexte_detail(request, evenement, form_statut=form))


def _soumettre(request, evenement):
    try:
        services.soumettre(evenement, par=request.user)
    except ActionImpossible as exc:
        messages.error(request, str(exc))
        return False
    return True


@login_required
def proposer(request):
    """An actor proposes an event on behalf of their structures: saved as a draft or sent to moderation."""
    form = EvenementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        evenement, _champs, relations = form.ecritures()
        services.proposer_evenement(evenement, relations, par=request.user)
        if request.POST.get("action") == "soumettre":
            if _soumettre(request, evenement):
                messages.success(request, _(
                    "Votre événement est transmis à l'équipe de modération. Vous serez prévenu·e dès qu'il sera "
                    "publié ; vous pouvez le modifier d'ici là."))
        else:
            messages.success(request, _(
                "Votre brouillon est enregistré. Il n'est visible que par vous tant que vous ne l'avez pas soumis."))
        return redirect(evenement)
    return render(request, "evenements/formulaire.html", {"form": form, "creation": True})


def _annoncer_modification(request, evenement, moderateur, etait_publie):
    """Say what became of the edit; the proposer's edit of a published event goes back to moderation."""
    action = request.POST.get("action")
    if moderateur:
        messages.success(request, _("Les modifications sont enregistrées."))
    elif etait_publie or (action == "soumettre" and evenement.publication in (P.BROUILLON, P.MODIFICATIONS)):
        if _soumettre(request, evenement):
            messages.success(request, _(
                "Vos modifications sont enregistrées et transmises à l'équipe de modération. L'événement sera "
                "de nouveau visible dans l'agenda dès qu'elles auront été vérifiées.") if etait_publie else _(
                "Votre événement est transmis à l'équipe de modération. Vous serez prévenu·e dès qu'il sera "
                "publié."))
    else:
        messages.success(request, _("Vos modifications sont enregistrées."))


@login_required
def modifier(request, slug):
    """The proposer edits their event; once published, an organiser's edit becomes a pending revision."""
    evenement = _evenement_visible(request, slug)
    moderateur = request.user.has_perm("evenements.moderer")
    if evenement.est_publie and not moderateur:  # a pending revision; the published version stays online
        from .vues_revisions import modifier_publie

        return modifier_publie(request, evenement)
    if not request.user.has_perm("evenements.modifier", evenement):
        raise PermissionDenied
    etait_publie = evenement.est_publie
    form = EvenementForm(request.POST or None, instance=evenement, user=request.user)
    if request.method == "POST" and form.is_valid():
        # Only the fields of the form: the registration counter and the publication state move concurrently.
        try:
            evenement = services.modifier_evenement(*form.ecritures(), par=request.user)
        except ActionImpossible as exc:  # refused by moderation meanwhile
            form.add_error(None, str(exc))
        else:
            _annoncer_modification(request, evenement, moderateur, etait_publie)
            return redirect(evenement)
    return render(request, "evenements/formulaire.html", {
        "form": form, "evenement": evenement, "etait_publie": etait_publie, "moderateur": moderateur,
    })


def _blocs_programme(evenements):
    """Order a programme's events into a timeline; the parallel workshops of one slot form one block."""
    blocs, vus = [], {}
    for evenement in evenements:
        if evenement.creneau_id is None:
            blocs.append({"evenement": evenement, "debut": evenement.debut})
        elif evenement.creneau_id in vus:
            vus[evenement.creneau_id]["ateliers"].append(evenement)
        else:
            bloc = {"creneau": evenement.creneau, "ateliers": [evenement], "debut": evenement.creneau.debut}
            vus[evenement.creneau_id] = bloc
            blocs.append(bloc)
    blocs.sort(key=lambda b: b["debut"])
    jours = [
        (jour, list(groupe))
        for jour, groupe in groupby(blocs, key=lambda b: timezone.localtime(b["debut"], PARIS).date())
    ]
    return jours


# A programme with more events than this is shown one day at a time (the Mois de l'ESS at full scale).
PROGRAMME_PAR_JOUR_AU_DELA = 60


def _jours_du_programme(legers):
    """From (pk, debut, fin, parent_id) of a programme's events: the whole-day parents, the events over
    several days (pk, first day, last day), and the number of the other events per local start day."""
    parents = {parent for _pk, _d, _f, parent in legers if parent}
    journees, longs, par_jour = [], [], {}
    for pk, debut, fin, _parent in legers:
        if pk in parents:
            journees.append(pk)
            continue
        premier = timezone.localtime(debut, PARIS).date()
        dernier = (timezone.localtime(fin, PARIS) - datetime.timedelta(microseconds=1)).date()
        if dernier != premier:
            longs.append((pk, premier, dernier))
        else:
            par_jour[premier] = par_jour.get(premier, 0) + 1
    return journees, longs, par_jour


def _jour_demande(valeur, jours):
    try:
        jour = datetime.date.fromisoformat(valeur)
    except (TypeError, ValueError):
        return None
    return jour if jour in jours else None


# What the programme page reads of its events: a card's columns, plus the whole-day parents' and workshops'.
CHAMPS_DU_PROGRAMME = (
    *(champ for champ in cartes.CHAMPS if champ != "pk"), *cartes.LIES, "creneau_id", "parent_id",
    "inscription_sur_plateforme", "intervenants", "capacite", "nb_confirmes",
    "creneau__libelle", "creneau__debut", "creneau__fin",
)


def programme(request, slug):
    """A Mois de l'ESS edition or an Assises day: its presentation, its events (slots of workshops), its feed.

    A large programme is shown one day at a time (``?jour=2026-11-05``, by default today or its first day),
    with the list of its days: only that day's events, the whole-day events and those over several days
    that cover that day are loaded and rendered.
    """
    prog = get_object_or_404(Programme.objects.select_related("coordination"), slug=slug)
    visibles = evenements_visibles(request.user).filter(programme=prog)
    legers = list(visibles.order_by("debut", "pk").values_list("pk", "debut", "fin", "parent_id"))
    par_jour = len(legers) > PROGRAMME_PAR_JOUR_AU_DELA
    jours_programme, jour_choisi, jour_invalide = [], None, False
    if par_jour:
        ids_journees, longs_legers, nombres = _jours_du_programme(legers)
        jours_programme = [{"jour": jour, "nombre": n} for jour, n in sorted(nombres.items())]
        jours = {j["jour"] for j in jours_programme}
        if request.GET.get("jour"):
            jour_choisi = _jour_demande(request.GET["jour"], jours)
            jour_invalide = jour_choisi is None
        aujourdhui = timezone.localdate(timezone=PARIS)
        if jour_choisi is None and jours_programme:
            jour_choisi = aujourdhui if aujourdhui in jours else jours_programme[0]["jour"]
        ids = set(ids_journees)
        ids |= {pk for pk, premier, dernier in longs_legers if jour_choisi and premier <= jour_choisi <= dernier}
        ids |= {pk for pk, debut, _f, _p in legers if timezone.localtime(debut, PARIS).date() == jour_choisi}
        visibles = visibles.filter(pk__in=ids)
    # Only what the page shows (cards, whole-day parents, workshops and their slots): compiling the query of a
    # hundred columns cost more than running it. The cards' structures: their names by one plain query rather
    # than a prefetch (model instances).
    evenements = list(visibles.select_related("lieu", "commune", "programme", "creneau").only(
        *CHAMPS_DU_PROGRAMME).order_by("debut", "pk"))
    noms = cartes.noms_des_structures([e.pk for e in evenements])
    for evenement in evenements:
        evenement.noms_structures = noms.get(evenement.pk, [])
    parents = {e.parent_id for e in evenements if e.parent_id}
    journees = [e for e in evenements if e.pk in parents]
    autres = [e for e in evenements if e.pk not in parents]
    longs = [e for e in autres if sur_plusieurs_jours(e) and e.creneau_id is None]
    jours = _blocs_programme([e for e in autres if e not in longs])
    mes_inscriptions = {}
    if request.user.is_authenticated:
        mes_inscriptions = {
            i.evenement_id: i for i in inscriptions_avec_position(
                Inscription.objects.filter(user=request.user, evenement__programme=prog)
                .exclude(statut=Inscription.Statut.ANNULEE))
        }
    # A slot of parallel workshops where one is chosen: the others no longer offer to choose them.
    creneaux_choisis = {e.creneau_id for e in evenements if e.creneau_id and e.pk in mes_inscriptions}
    for evenement in evenements:
        evenement.mon_inscription = mes_inscriptions.get(evenement.pk)
        evenement.autre_atelier_choisi = evenement.mon_inscription is None and evenement.creneau_id in creneaux_choisis
    return render(request, "evenements/programme.html", {
        "programme": prog, "journees": journees, "longs": longs, "jours": jours, "nombre": len(legers),
        "a_des_creneaux": any(e.creneau_id for e in evenements),
        "par_jour": par_jour, "jours_programme": jours_programme, "jour_choisi": jour_choisi,
        "jour_invalide": jour_invalide,
    })


@login_required
@require_POST
def regenerer_jeton(request):
    """Give the person a new personal feed token: the old link stops working at once."""
    services.renouveler_jeton_agenda(request.user)
    messages.success(request, _(
        "Votre lien d'agenda personnel a été renouvelé. L'ancien lien ne fonctionne plus : mettez à jour "
        "l'abonnement dans votre application d'agenda."))
    return redirect(reverse("comptes:mon_espace") + "#mon-flux")


# --- Open data (documented on /donnees/) -------------------------------------------------------------


def _evenements_donnees(request):
    base = feeds.evenements_publics().filter(parent__isnull=True)
    filtre = AgendaFilter(request.GET, queryset=base, depuis=timezone.now() - HISTORIQUE_FLUX)
    return donnees_ouvertes.pour_donnees(filtre.qs)


@require_safe
@cache_control(public=True, max_age=300)
def donnees_csv(request):
    """Published public events, the agenda's filters in the query string: RFC 4180 (UTF-8 without BOM,
    comma-separated), cells that a spreadsheet would read as a formula neutralised."""
    reponse = HttpResponse(content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = content_disposition_header(True, "evenements.csv")
    ecrivain = csv.writer(reponse)
    ecrivain.writerow([c.nom for c in donnees_ouvertes.CHAMPS_CSV])
    base_url, types = request.build_absolute_uri("/").rstrip("/"), donnees_ouvertes.libelles_types()
    for e in _evenements_donnees(request):
        ecrivain.writerow([neutraliser_formule(v) for v in donnees_ouvertes.ligne_csv(e, base_url, types)])
    return reponse


@require_safe
@cache_control(public=True, max_age=300)
def donnees_json(request):
    """The same events as a JSON list, with their description."""
    base_url, types = request.build_absolute_uri("/").rstrip("/"), donnees_ouvertes.libelles_types()
    contenu = [donnees_ouvertes.en_json(e, base_url, types) for e in _evenements_donnees(request)]
    reponse = HttpResponse(json.dumps(contenu, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
                           content_type="application/json; charset=utf-8")
    reponse["Content-Disposition"] = content_disposition_header(False, "evenements.json")
    return reponse


# --- Embeddable agenda (partners' sites, in an <iframe>) -------------------------------------------------

INTEGRATION_MAX = 30


@require_safe
@xframe_options_exempt
def integrer(request):
    """A light list of the upcoming public events, the agenda's filters in the query string, that partners
    show in an ``<iframe>``: the only route whose CSP ``frame-ancestors`` is not 'none' (it takes the
    origins of ``AGENDA_INTEGRATION_ORIGINES``)."""
    base = feeds.evenements_publics().filter(parent__isnull=True).pour_liste()
    filtre = AgendaFilter(request.GET, queryset=base, depuis=timezone.now())
    evenements = list(filtre.qs.order_by("debut", "pk")[:INTEGRATION_MAX])
    reponse = render(request, "evenements/integrer.html", {
        "evenements": evenements, "requete": _requete_filtres(request), "plus": filtre.qs.count() > len(evenements),
    })
    origines = list(getattr(settings, "AGENDA_INTEGRATION_ORIGINES", ["*"])) or ["'none'"]
    reponse._csp_replace = {"frame-ancestors": origines}
    return reponse


@require_safe
def programme_pdf(request, slug):
    """The printed programme (fpdf2, DejaVu Sans): the Mois de l'ESS by day then commune, the Assises by
    sequence with their parallel workshops side by side."""
    from .programme_pdf import pdf_du_programme

    prog = get_object_or_404(Programme, slug=slug)
    evenements = list(
        feeds.evenements_publics().filter(programme=prog).pour_liste().select_related("creneau")
        .order_by("debut", "pk"))
    reponse = HttpResponse(pdf_du_programme(prog, evenements), content_type="application/pdf")
    reponse["Content-Disposition"] = content_disposition_header(False, f"programme-{prog.slug}.pdf")
    return reponse
