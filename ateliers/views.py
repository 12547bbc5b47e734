"""Public and members' pages of the ateliers: the list by cycle, an atelier, a meeting, joining and leaving.

Every state change goes through ``ateliers.services``; who may do what is in ``ateliers.rules``. The
animation's pages (meetings, attendance, minutes, requests) are in ``views_gestion``.
"""

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from conseil_ess.comptes.models import Adhesion, ChampAction, Commune, Structure
from conseil_ess.fichiers_prives import telecharger
from conseil_ess.pagination import page_comptee
from conseil_ess.prechargement import (
    Lecture,
    instances,
    instances_de_table,
    lecture,
    lecture_prechargement,
    lire_ensemble,
    relier,
    sql_colonne,
    sql_jointure,
    sql_jointure_inverse,
    sql_table,
)
from evenements.filters import sql_visible
from evenements.models import Evenement, Lieu

from . import services
from .filters import AtelierFilter, nombres_membres, precharger_cartes
from .models import Atelier, CompteRendu, Cycle, DocumentCompteRendu, Participation, Reunion, ThematiqueAnnuelle
from .services import ActionImpossible
from .templatetags.ateliers import urls_ateliers

PS = Participation.Statut


# --- The ateliers of a cycle ------------------------------------------------------------------------

PAR_PAGE = 20


# The ateliers of a cycle's page, by plain SQL: the ORM compiled the list's two queries (a page of ateliers in the
# order of their themes, with the list's length; every atelier's champs) in more CPU than the database ran them.
# Which ateliers: those of the cycle, and of the chosen champ d'action (``AtelierFilter``'s one filter, tested
# against the filter's own queryset by tests/ateliers/test_vues_publiques.py).
_PARTIES_CARTE = (
    ("a", Atelier, ("cycle", "titre", "slug", "resume", "thematique", "mode_adhesion", "ordre"), None),
)


def _sql_du_cycle(par_champ, jointures=""):
    """`` FROM … WHERE …``: the ateliers (alias ``a``, then ``jointures``) of a cycle (its id the first parameter),
    and with ``par_champ`` those of a champ d'action (its id the second parameter)."""
    champs = Atelier.champs.through._meta
    q = connection.ops.quote_name
    # Table and column names come from the models, quoted; the ids are parameters.
    sql = f" FROM {sql_table('a', Atelier)}{jointures} WHERE {sql_colonne('a', Atelier, 'cycle')} = %s"
    if not par_champ:
        return sql
    return (
        f"{sql} AND EXISTS (SELECT 1 FROM {q(champs.db_table)} AS x"  # noqa: S608
        f" WHERE x.{q(champs.get_field('atelier').column)} = a.{q(Atelier._meta.pk.column)}"
        f" AND x.{q(champs.get_field('champaction').column)} = %s)"
    )


def _parametres_du_cycle(cycle, champ):
    return [cycle.pk] if champ is None else [cycle.pk, champ.pk]


@functools.lru_cache(maxsize=8)
def _sql_page(_vendor, par_champ, avec_total):
    """``_lire_page``'s query (its parameters: the cycle's, the champ's with ``par_champ``, the limit and the
    offset). A constant."""
    du_cycle = _sql_du_cycle(par_champ, sql_jointure("t", ThematiqueAnnuelle, "a", Atelier, "thematique"))
    pk = connection.ops.quote_name(Atelier._meta.pk.column)
    ordre = [f"{sql_colonne('t', ThematiqueAnnuelle, 'ordre')} ASC NULLS LAST",
             f"{sql_colonne('t', ThematiqueAnnuelle, 'titre')} ASC NULLS LAST",
             f"{sql_colonne('a', Atelier, 'thematique')} ASC NULLS LAST",
             sql_colonne("a", Atelier, "ordre"), sql_colonne("a", Atelier, "titre"), f"a.{pk}"]
    # Table and column names come from the models, quoted; the ids and bounds are parameters.
    return (
        f"SELECT {lecture(_PARTIES_CARTE, _vendor)[0]}{', COUNT(*) OVER ()' if avec_total else ''}"  # noqa: S608
        f"{du_cycle} ORDER BY {', '.join(ordre)} LIMIT %s OFFSET %s"
    )


def _lire_page(cycle, champ, tranche, *, avec_total):
    """The ateliers of ``tranche`` (``page_comptee``'s slice of the ordered list: its bounds only are read) as
    ``_PARTIES_CARTE`` instances (the other fields deferred), in the order of their annual themes (themes' order
    and title, then the ateliers without one), then their own; each with the list's length as ``total`` when
    ``avec_total``."""
    debut, fin = tranche.query.low_mark, tranche.query.high_mark
    connexion = connections[DEFAULT_DB_ALIAS]  # looked up once for the rows (``instances``)
    with connexion.cursor() as curseur:
        curseur.execute(_sql_page(connexion.vendor, champ is not None, avec_total),
                        [*_parametres_du_cycle(cycle, champ), fin - debut, debut])
        lignes = curseur.fetchall()
    ateliers = []
    for ligne in lignes:
        (atelier,) = instances(_PARTIES_CARTE, ligne[:-1] if avec_total else ligne, connexion)
        if avec_total:
            atelier.total = ligne[-1]
        ateliers.append(atelier)
    return ateliers


@functools.lru_cache(maxsize=4)
def _sql_par_champ(_vendor, par_champ):
    """``_par_champ``'s query (its parameters: the cycle's, the champ's with ``par_champ``). A constant."""
    champs = Atelier.champs.through
    du_cycle = _sql_du_cycle(par_champ, (
        f" INNER JOIN {sql_table('l', champs)}"
        f" ON {sql_colonne('l', champs, 'atelier')} = {sql_colonne('a', Atelier, 'id')}"
        f"{sql_jointure('c', ChampAction, 'l', champs, 'champaction', interne=True)}"
    ))
    # Table and column names come from the models, quoted; the ids are parameters.
    return (
        f"SELECT {sql_colonne('c', ChampAction, 'numero')}, {sql_colonne('c', ChampAction, 'nom')},"  # noqa: S608
        f" {sql_colonne('a', Atelier, 'titre')}, {sql_colonne('a', Atelier, 'slug')}{du_cycle}"
        f" ORDER BY {sql_colonne('c', ChampAction, 'numero')}, {sql_colonne('a', Atelier, 'ordre')},"
        f" {sql_colonne('a', Atelier, 'titre')}, {sql_colonne('a', Atelier, 'id')}"
    )


def _par_champ(cycle, champ):
    """Return [(champ, [(titre, url)])] for the champs that have some of the ateliers of ``cycle`` (and of
    ``champ``, as the list), in one query; an atelier appears under each of its champs, in the order of the
    list. As a ``Lecture`` (read with the cards' queries)."""

    def lire(liens):
        groupes, url = {}, urls_ateliers()
        for numero, nom, titre, slug in liens:
            groupes.setdefault(numero, ({"numero": numero, "nom": nom}, []))[1].append((titre, url(slug)))
        return list(groupes.values())

    return Lecture(_sql_par_champ(connection.vendor, champ is not None), _parametres_du_cycle(cycle, champ), lire)


_PARTIES_THEMATIQUE = (
    ("t", ThematiqueAnnuelle, tuple(champ.name for champ in ThematiqueAnnuelle._meta.concrete_fields), None),
)


@functools.lru_cache(maxsize=4)
def _sql_thematiques(_vendor):
    """The annual themes of a cycle (a parameter), in their order (``Meta.ordering``: its ``cycle`` is the same for
    all), each with whether some atelier has it. A constant."""
    ordre = ", ".join(sql_colonne("t", ThematiqueAnnuelle, nom) for nom in ThematiqueAnnuelle._meta.ordering)
    cle = connection.ops.quote_name(ThematiqueAnnuelle._meta.pk.column)
    # Table and column names come from the models, quoted; the cycle's id is a parameter.
    return (
        f"SELECT {lecture(_PARTIES_THEMATIQUE, _vendor)[0]}, EXISTS (SELECT 1 FROM {sql_table('a', Atelier)}"  # noqa: S608
        f" WHERE {sql_colonne('a', Atelier, 'thematique')} = t.{cle}) FROM {sql_table('t', ThematiqueAnnuelle)}"
        f" WHERE {sql_colonne('t', ThematiqueAnnuelle, 'cycle')} = %s ORDER BY {ordre}"
    )


def _thematiques(cycle):
    """The annual themes of ``cycle`` in their order, each with ``a_des_ateliers`` (whether some atelier has it),
    by one plain query: the ORM's EXISTS annotation cost more to build (0.5 ms) than the rest of the page's
    queries. As a ``Lecture`` (read with the cards' queries)."""

    def lire(lignes):
        thematiques = []
        for *colonnes, a_des_ateliers in lignes:
            (thematique,) = instances(_PARTIES_THEMATIQUE, colonnes)
            thematique.a_des_ateliers = bool(a_des_ateliers)
            thematiques.append(thematique)
        return thematiques

    return Lecture(_sql_thematiques(connection.vendor), [cycle.pk], lire)


def _cycles():
    """Every cycle, latest first: a handful (one a year), read once for the page's cycle and the other cycles."""
    return instances_de_table(Cycle.objects.order_by("-date_debut", "-pk"))


def _page_cycle(request, cycle, cycles):
    """Render the ateliers of ``cycle`` (None: there is no current cycle) by annual theme, a page at a time, and
    by champ (every atelier of the cycle: titles and links only); ``cycles``: every cycle (``_cycles()``)."""
    autres_cycles = [autre for autre in cycles if cycle is None or autre.pk != cycle.pk]
    if cycle is None:
        return render(request, "ateliers/index.html", {
            "cycle": None, "autres_cycles": autres_cycles, "filtre": AtelierFilter(queryset=Atelier.objects.none()),
        })
    filtre = AtelierFilter(request.GET or None, queryset=cycle.ateliers.all())
    # The annual themes' order, then the ateliers without one: a theme's ateliers follow each other from page
    # to page.
    ordonnes = filtre.qs.order_by(
        F("thematique__ordre").asc(nulls_last=True), F("thematique__titre").asc(nulls_last=True),
        F("thematique").asc(nulls_last=True), "ordre", "titre", "pk",
    )
    champ_choisi = filtre.champ_choisi
    lire = functools.partial(_lire_page, cycle, champ_choisi)
    page, ateliers = page_comptee(ordonnes, request.GET.get("page"), PAR_PAGE, lire=lire)
    # The cards' champs, animation, members and next meetings, the cycle's themes, its ateliers by champ and the
    # filter's menu: one round trip (``lire_ensemble``).
    par_champ = _par_champ(cycle, champ_choisi) if page.paginator.count else Lecture(None, (), list)
    themes_du_cycle, par_champ, _menu = precharger_cartes(ateliers, request.user, _thematiques(cycle), par_champ,
                                                          filtre.lecture_menus())
    thematiques = []
    # A theme without any atelier says so on the first page (not when a champ is chosen).
    vides_montrees = page.number == 1 and not champ_choisi
    for thematique in themes_du_cycle:
        siens = [a for a in ateliers if a.thematique_id == thematique.pk]
        if siens or (vides_montrees and not thematique.a_des_ateliers):
            thematiques.append({"thematique": thematique, "ateliers": siens})
    return render(request, "ateliers/index.html", {
        "cycle": cycle,
        "filtre": filtre,
        "champ_choisi": champ_choisi,
        "page_obj": page,
        "ateliers": ateliers,
        "nombre": page.paginator.count,
        "thematiques": thematiques,
        "sans_thematique": [a for a in ateliers if a.thematique_id is None],
        "par_champ": par_champ,
        "autres_cycles": autres_cycles,
    })


def index(request):
    """The ateliers of the current cycle (``?champ=<numero>`` filters them by champ d'action): the latest cycle
    that is not archived, as ``Cycle.objects.courant()``."""
    cycles = _cycles()
    return _page_cycle(request, next((c for c in cycles if c.statut == Cycle.Statut.EN_COURS), None), cycles)


def cycle(request, slug):
    """The ateliers of any cycle, current or archived."""
    cycles = _cycles()
    choisi = next((c for c in cycles if c.slug == slug), None)
    if choisi is None:
        raise Http404
    return _page_cycle(request, choisi, cycles)


# --- An atelier ----------------------------------------------------------------------------------------

# The ORM compiled the page's two main queries (the atelier with four joined rows, its meetings with their
# events, places and minutes) in more CPU than the rest of the page: they are written once from the models'
# names, their rows read into instances (``conseil_ess.prechargement``). Each ``_PARTIES`` entry: (table alias,
# model, field names read, the relation that joins it or None).

_PARTIES_ATELIER = (
    ("a", Atelier, ("cycle", "titre", "slug", "resume", "description", "questions", "thematique", "mode_adhesion",
                    "binome_elu", "binome_agent", "binome_texte", "coanimation_texte", "rythme"), None),
    ("c", Cycle, ("titre", "slug", "statut"), "cycle"),
    ("t", ThematiqueAnnuelle, ("titre",), "thematique"),
    # The binôme's public names only.
    ("e", get_user_model(), ("nom_affiche", "first_name", "last_name"), "binome_elu"),
    ("g", get_user_model(), ("nom_affiche", "first_name", "last_name"), "binome_agent"),
)
_PARTIES_REUNIONS = (
    ("r", Reunion, ("atelier", "evenement", "participants_sans_compte", "nb_presents", "presences_saisies_le"), None),
    ("e", Evenement, ("debut", "fin", "journee_entiere", "statut", "motif_statut", "visibilite", "mode",
                      "precision_lieu", "lieu", "commune"), "evenement"),
    ("l", Lieu, ("nom", "en_ligne"), "lieu"),
    ("c", Commune, ("nom",), "commune"),
    ("m", CompteRendu, ("reunion", "statut", "interne"), "compte_rendu"),
)


@functools.lru_cache(maxsize=4)
def _sql_atelier(_vendor):
    """The atelier of a slug (a parameter), its cycle and theme, its binôme's public names. A constant."""
    colonnes = lecture(_PARTIES_ATELIER, _vendor)[0]
    User = get_user_model()  # noqa: N806 - a model
    # Table and column names come from the models, quoted; the slug is a parameter.
    return (
        f"SELECT {colonnes} FROM {sql_table('a', Atelier)}"  # noqa: S608
        f"{sql_jointure('c', Cycle, 'a', Atelier, 'cycle', interne=True)}"
        f"{sql_jointure('t', ThematiqueAnnuelle, 'a', Atelier, 'thematique')}"
        f"{sql_jointure('e', User, 'a', Atelier, 'binome_elu')}{sql_jointure('g', User, 'a', Atelier, 'binome_agent')}"
        f" WHERE {sql_colonne('a', Atelier, 'slug')} = %s"
    )


_NOM_PUBLIC = ("nom_affiche", "first_name", "last_name")


def _atelier(slug):
    """The atelier of its page (404 if none): the columns the page shows, its cycle, theme and binôme (public
    names) joined, by one plain query; its champs, animation (public names) and co-animating structures read by
    plain SQL (``precharger``)."""
    with connection.cursor() as curseur:
        curseur.execute(_sql_atelier(connection.vendor), [slug])
        ligne = curseur.fetchone()
    if ligne is None:
        raise Http404
    atelier, *lies = instances(_PARTIES_ATELIER, ligne)
    for (_alias, _modele, _noms, relation), lie in zip(_PARTIES_ATELIER[1:], lies, strict=True):
        relier(atelier, relation, lie)
    lire_ensemble(lecture_prechargement([atelier], "champs", ["numero", "nom"]),
                  lecture_prechargement([atelier], "animateurs", list(_NOM_PUBLIC)),
                  lecture_prechargement([atelier], "structures_coanimatrices", ["nom", "slug", "statut"]))
    return atelier


def _reunions():
    # The event's own commune too: the place line shows it (``lieu_court``); not the atelier (set by the page).
    return Reunion.objects.select_related("evenement__lieu__commune", "evenement__commune", "compte_rendu")


@functools.lru_cache(maxsize=4)
def _sql_reunions(_vendor):
    """The meetings of an atelier (a parameter) that a person may see, with what their lines show
    (``templatetags/ateliers.lignes_reunions``) and what the minutes' permission reads, by date: the query's start,
    up to the visibility of the meeting's event (``sql_visible``, which follows), and its end. Seen by all, even
    when the meeting was reserved: a held meeting of a published event whose minutes are published and not
    internal (DOMAINE.md §12; the meeting's page says the same, ``_peut_voir``); its parameters follow the
    atelier's: the time, the event's and the minutes' published states, ``False``."""
    colonnes = lecture(_PARTIES_REUNIONS, _vendor)[0]
    pk = connection.ops.quote_name("id")
    # Table and column names come from the models, quoted; the values are parameters.
    debut = (
        f"SELECT {colonnes} FROM {sql_table('r', Reunion)}"  # noqa: S608
        f"{sql_jointure('e', Evenement, 'r', Reunion, 'evenement', interne=True)}"
        f"{sql_jointure('l', Lieu, 'e', Evenement, 'lieu')}{sql_jointure('c', Commune, 'e', Evenement, 'commune')}"
        f"{sql_jointure_inverse('m', CompteRendu, 'reunion', 'r', Reunion)}"
        f" WHERE {sql_colonne('r', Reunion, 'atelier')} = %s AND (({sql_colonne('e', Evenement, 'fin')} <= %s"
        f" AND {sql_colonne('e', Evenement, 'publication')} = %s AND {sql_colonne('m', CompteRendu, 'statut')} = %s"
        f" AND {sql_colonne('m', CompteRendu, 'interne')} = %s) OR "
    )
    return debut, f") ORDER BY {sql_colonne('e', Evenement, 'debut')}, r.{pk}"


def _reunions_de_la_page(atelier, user, maintenant):
    """The meetings of ``atelier`` that ``user`` may see (``evenements_visibles``), or whose minutes are public,
    by date, by one plain query (``_sql_reunions``). Each with its event (its place and commune) and its minutes
    (or None) set as ``select_related`` sets them, and ``atelier`` (whose prefetched animation serves the
    permission checks)."""
    # EXISTS on the meeting's own event (its primary key), not IN (every visible event): the latter read the
    # whole agenda for three meetings (2.4 ms of 3.4 at scale 10, growing with the agenda). The visibility's SQL
    # comes compiled (``sql_visible``: once per process for an anonymous visitor).
    visible, parametres = sql_visible(user, sql_colonne("e", Evenement, "id"))
    debut, fin = _sql_reunions(connection.vendor)
    with connection.cursor() as curseur:
        curseur.execute(debut + visible + fin, [
            atelier.pk, connection.ops.adapt_datetimefield_value(maintenant), Evenement.Publication.PUBLIE.value,
            CompteRendu.Statut.PUBLIE.value, False, *parametres,
        ])
        lignes = curseur.fetchall()
    reunions = []
    for ligne in lignes:
        reunion, evenement, lieu, commune, compte_rendu = instances(_PARTIES_REUNIONS, ligne)
        relier(evenement, "lieu", lieu)
        relier(evenement, "commune", commune)
        relier(reunion, "evenement", evenement)
        relier(reunion, "compte_rendu", compte_rendu)
        reunion.atelier = atelier
        reunions.append(reunion)
    return reunions


def _ma_participation(user, atelier):
    if not user.is_authenticated:
        return None
    return Participation.objects.filter(atelier=atelier, user=user).first()


def _membres(atelier):
    """Return the atelier's people with their validated structures, animateur·rice·s first."""
    animateurs = {a.pk for a in atelier.animateurs.all()}
    adhesions = Adhesion.objects.filter(
        statut=Adhesion.Statut.ACCEPTEE, structure__statut=Structure.Statut.VALIDEE,
    ).select_related("structure").order_by("structure__nom")
    structures = Prefetch("adhesions", queryset=adhesions, to_attr="structures_validees")
    personnes = list(services.membres(atelier).prefetch_related(structures).order_by("last_name", "first_name", "pk"))
    for personne in personnes:
        personne.anime = personne.pk in animateurs
    return sorted(personnes, key=lambda p: not p.anime)


def detail(request, slug):
    """An atelier: what it works on, its animation, its meetings, joining, and its members for those allowed."""
    atelier = _atelier(slug)
    user = request.user
    maintenant = timezone.now()
    reunions = _reunions_de_la_page(atelier, user, maintenant)
    passees = [r for r in reunions if r.evenement.fin <= maintenant]
    # Whether minutes may be read depends on the atelier and on their state alone: ask the rule once per state.
    lisibles = {}
    for reunion in reunions:
        compte_rendu = getattr(reunion, "compte_rendu", None)
        if compte_rendu is None or not compte_rendu.est_publie:
            reunion.compte_rendu_lisible = False
            continue
        etat = (compte_rendu.statut, compte_rendu.interne)
        if etat not in lisibles:
            lisibles[etat] = user.has_perm("ateliers.voir_compte_rendu", compte_rendu)
        reunion.compte_rendu_lisible = lisibles[etat]
    voir_membres = user.has_perm("ateliers.voir_membres", atelier)
    membres = _membres(atelier) if voir_membres else None
    return render(request, "ateliers/detail.html", {
        "atelier": atelier,
        "cycle": atelier.cycle,
        # Counted by plain SQL over the two link tables, as the ateliers' cards are (``services.membres``'s
        # people: a DISTINCT query of the ORM cost more to build than to run).
        "nb_membres": len(membres) if membres is not None else nombres_membres([atelier.pk]).get(atelier.pk, 0),
        "membres": membres,
        "a_venir": [r for r in reunions if r.evenement.fin > maintenant],
        "passees": passees[::-1],
        "participation": _ma_participation(user, atelier),
        "anime": user.is_authenticated and any(a.pk == user.pk for a in atelier.animateurs.all()),
        "peut_rejoindre": user.has_perm("ateliers.rejoindre", atelier),
        "peut_gerer": user.has_perm("ateliers.gerer", atelier),
        "form_rejoindre": RejoindreForm(),
    })


class RejoindreForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message à l'animation (facultatif)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Présentez-vous en quelques mots : votre structure, ce que vous souhaitez apporter."),
    )


def _atelier_pour_agir(request, slug):
    atelier = get_object_or_404(Atelier.objects.select_related("cycle"), slug=slug)
    if not request.user.has_perm("ateliers.rejoindre", atelier):
        raise PermissionDenied
    return atelier


@login_required
@require_POST
def rejoindre(request, slug):
    """Join an open atelier, or ask to join one on request (with an optional message)."""
    atelier = _atelier_pour_agir(request, slug)
    form = RejoindreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Votre message est trop long (2 000 caractères au plus)."))
        return redirect(atelier)
    try:
        participation = services.rejoindre(atelier, request.user, form.cleaned_data["message"].strip())
    except ActionImpossible as exc:
        messages.error(request, str(exc))
        return redirect(atelier)
    if participation.statut == PS.ACCEPTEE:
        messages.success(request, _(
            "Vous avez rejoint l'atelier « %(atelier)s ». Ses réunions apparaissent dans votre agenda personnel."
        ) % {"atelier": atelier.titre})
    else:
        messages.success(request, _(
            "Votre demande pour rejoindre l'atelier « %(atelier)s » est transmise à l'animation. Vous serez "
            "prévenu·e de sa réponse."
        ) % {"atelier": atelier.titre})
    return redirect(atelier)


@login_required
@require_POST
def quitter(request, slug):
    """Leave an atelier, or withdraw a pending request."""
    atelier = _atelier_pour_agir(request, slug)
    avant = _ma_participation(request.user, atelier)
    try:
        services.quitter(atelier, request.user)
    except ActionImpossible as exc:
        messages.error(request, str(exc))
        return redirect(atelier)
    if avant is not None and avant.statut == PS.DEMANDEE:
        messages.success(request, _("Votre demande pour rejoindre l'atelier « %(atelier)s » est retirée.")
                         % {"atelier": atelier.titre})
    else:
        messages.success(request, _("Vous avez quitté l'atelier « %(atelier)s ». Ses réunions ne figurent plus dans "
                                    "votre agenda personnel.") % {"atelier": atelier.titre})
    return redirect(atelier)


# --- A meeting and its minutes -------------------------------------------------------------------------

def _reunion(slug, pk):
    atelier = _atelier(slug)
    reunion = get_object_or_404(_reunions(), pk=pk, atelier=atelier)
    reunion.atelier = atelier  # keeps the prefetched animation for the permission checks
    return atelier, reunion


def _peut_voir(user, atelier, reunion):
    if user.has_perm("evenements.voir", reunion.evenement) or user.has_perm("ateliers.gerer", atelier):
        return True
    compte_rendu = getattr(reunion, "compte_rendu", None)
    return reunion.est_passee and reunion.evenement.est_publie and compte_rendu is not None and (
        compte_rendu.est_publie and not compte_rendu.interne)


def reunion(request, slug, pk):
    """One meeting: when, where, its agenda, attendance afterwards, and its minutes for those who may read them."""
    atelier, reunion = _reunion(slug, pk)
    if not _peut_voir(request.user, atelier, reunion):
        raise Http404  # a meeting reserved to members is not revealed to other people
    compte_rendu = getattr(reunion, "compte_rendu", None)
    lisible = compte_rendu is not None and request.user.has_perm("ateliers.voir_compte_rendu", compte_rendu)
    return render(request, "ateliers/reunion.html", {
        "atelier": atelier,
        "reunion": reunion,
        "evenement": reunion.evenement,
        "compte_rendu": compte_rendu if lisible else None,
        "compte_rendu_reserve": compte_rendu is not None and compte_rendu.est_publie and not lisible,
        "documents": list(compte_rendu.documents.all()) if lisible else [],
        "maintenant": timezone.now(),
        "peut_gerer": request.user.has_perm("ateliers.gerer", atelier),
        # A reserved meeting shown for its public minutes: its agenda page and feed stay closed.
        "evenement_visible": request.user.has_perm("evenements.voir", reunion.evenement),
    })


def document(request, slug, pk, doc):
    """Serve a file of the minutes (private storage) to those who may read the minutes; 404 otherwise."""
    document = get_object_or_404(
        DocumentCompteRendu.objects.select_related("compte_rendu__reunion__atelier__cycle"),
        pk=doc, compte_rendu__reunion__pk=pk, compte_rendu__reunion__atelier__slug=slug,
    )
    if not request.user.has_perm("ateliers.voir_compte_rendu", document.compte_rendu):
        raise Http404
    return telecharger(document.fichier)

