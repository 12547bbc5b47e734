"""Public, read-only pages of the séances plénières: the list and each séance's page (agenda,
attendance figures, results). Who sees what is in ``rules.py``; changes go through ``services``."""

import functools
from types import SimpleNamespace

from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from ateliers.models import Cycle, ThematiqueAnnuelle
from conseil_ess.comptes.models import Commune
from conseil_ess.pagination import colonne_total, page_comptee
from conseil_ess.prechargement import (
    instances,
    lecture,
    relier,
    sql_colonne,
    sql_jointure,
    sql_jointure_inverse,
    sql_table,
)
from conseil_ess.propositions.models import Proposition
from evenements.models import Evenement, Lieu

from . import views_documents
from .models import Emargement, PointOrdreDuJour, ProcesVerbal, Scrutin, Seance

PAR_PAGE = 20


# What a séance's card reads (``{% carte_seance %}``: title, dates, place, nature, status), under the lookup
# names of ``values()``: the cards are read as rows, not as séances with three joined models (forty columns to
# compile and build per card).
_CHAMPS_CARTE = (
    "pk", "nature", "statut", "motif_exceptionnelle", "evenement__slug", "evenement__titre", "evenement__debut",
    "evenement__fin", "evenement__journee_entiere", "evenement__mode", "evenement__precision_lieu",
    "evenement__lieu_id", "evenement__lieu__nom", "evenement__lieu__en_ligne", "evenement__commune_id",
    "evenement__commune__nom",
)


def _cartes(qs, *, avec_total=False):
    """The cards of the séances of ``qs`` (filtered, ordered, sliced), light objects with the attributes of a
    ``Seance`` and its event that a card reads. ``avec_total``: each also carries the number of rows of ``qs``
    before its slicing, as ``total`` (``conseil_ess.pagination``)."""
    colonnes = {"total": colonne_total()} if avec_total else {}
    cartes = []
    for ligne in qs.values(*_CHAMPS_CARTE, **colonnes):
        lieu_id, commune_id = ligne["evenement__lieu_id"], ligne["evenement__commune_id"]
        evenement = SimpleNamespace(
            slug=ligne["evenement__slug"], titre=ligne["evenement__titre"], debut=ligne["evenement__debut"],
            fin=ligne["evenement__fin"], journee_entiere=ligne["evenement__journee_entiere"],
            mode=ligne["evenement__mode"], precision_lieu=ligne["evenement__precision_lieu"],
            lieu=SimpleNamespace(nom=ligne["evenement__lieu__nom"], en_ligne=ligne["evenement__lieu__en_ligne"])
            if lieu_id else None,
            commune=SimpleNamespace(nom=ligne["evenement__commune__nom"]) if commune_id else None,
        )
        cartes.append(SimpleNamespace(pk=ligne["pk"], nature=ligne["nature"], statut=ligne["statut"],
                                      motif_exceptionnelle=ligne["motif_exceptionnelle"], evenement=evenement,
                                      total=ligne.get("total")))
    return cartes


def liste(request):
    """Upcoming séances (soonest first) then past ones (latest first), paginated together."""
    tout = Seance.objects.all()
    seances = tout.visibles_par(request.user)
    voit_preparation = seances is tout  # visibles_par returns the queryset itself to those who see all
    maintenant = timezone.now()
    passees, cartes_passees = page_comptee(
        seances.filter(evenement__fin__lt=maintenant).order_by("-evenement__debut", "-pk"), request.GET.get("page"),
        PAR_PAGE, lire=_cartes)
    # Upcoming ones are few (a handful a year): shown whole above the paginated past ones, on the first page.
    a_venir = (_cartes(seances.filter(evenement__fin__gte=maintenant).order_by("evenement__debut", "pk"))
               if passees.number == 1 else [])
    return render(request, "seances/liste.html", {
        "a_venir": a_venir, "page_obj": passees, "passees": cartes_passees, "voit_preparation": voit_preparation,
    })


# The séance's page reads its séance with its event, place, commune and minutes, then its agenda items with their
# scrutins, by two plain queries written once from the models' names (``conseil_ess.prechargement``): the ORM
# compiled them (five and four joined tables) in 2.5 ms of CPU a view, more than running them. Each ``_PARTIES``
# entry: (table alias, model, field names read, the relation that joins it or None); what is read is what the page
# shows (the event alone has forty columns). Which séance a visitor may see stays the rule ``seances.voir``.
_PARTIES_SEANCE = (
    ("s", Seance, tuple(f.name for f in Seance._meta.concrete_fields), None),
    ("e", Evenement, ("slug", "titre", "resume", "debut", "fin", "journee_entiere", "mode", "precision_lieu",
                      "lien_en_ligne", "statut", "lieu", "commune"), "evenement"),
    ("l", Lieu, ("nom", "adresse", "en_ligne"), "lieu"),
    ("c", Commune, ("nom",), "commune"),
    ("v", ProcesVerbal, ("seance", "statut", "publie_le"), "proces_verbal"),
)
# The agenda items with their scrutin (if any), its proposal or annual theme and the theme's cycle.
_PARTIES_POINTS = (
    ("p", PointOrdreDuJour, tuple(f.name for f in PointOrdreDuJour._meta.concrete_fields), None),
    ("r", Scrutin, tuple(f.name for f in Scrutin._meta.concrete_fields), "scrutin"),
    ("o", Proposition, ("reference", "titre", "etat"), "proposition"),
    ("t", ThematiqueAnnuelle, ("titre", "cycle"), "thematique"),
    ("y", Cycle, ("slug",), "cycle"),
)


@functools.lru_cache(maxsize=4)
def _sql_seance(_vendor):
    """The séance of an event's slug (a parameter), with its event, place, commune, minutes, and its online
    check-ins counted (last column). A constant."""
    q = connection.ops.quote_name
    pk = q("id")
    colonnes = lecture(_PARTIES_SEANCE, _vendor)[0]
    # Table and column names come from the models, quoted; the slug is a parameter.
    return (
        f"SELECT {colonnes}, (SELECT COUNT(*) FROM {sql_table('x', Emargement)}"  # noqa: S608
        f" WHERE {sql_colonne('x', Emargement, 'seance')} = s.{pk})"
        f" FROM {sql_table('s', Seance)}{sql_jointure('e', Evenement, 's', Seance, 'evenement', interne=True)}"
        f"{sql_jointure('l', Lieu, 'e', Evenement, 'lieu')}{sql_jointure('c', Commune, 'e', Evenement, 'commune')}"
        f"{sql_jointure_inverse('v', ProcesVerbal, 'seance', 's', Seance)}"
        f" WHERE {sql_colonne('e', Evenement, 'slug')} = %s"
    )


@functools.lru_cache(maxsize=4)
def _sql_points(_vendor):
    """The agenda items of a séance (a parameter) in their order, each with its scrutin, the scrutin's proposal or
    theme and the theme's cycle. A constant."""
    pk = connection.ops.quote_name("id")
    colonnes = lecture(_PARTIES_POINTS, _vendor)[0]
    # Table and column names come from the models, quoted; the séance's id is a parameter.
    return (
        f"SELECT {colonnes} FROM {sql_table('p', PointOrdreDuJour)}"  # noqa: S608
        f"{sql_jointure_inverse('r', Scrutin, 'point', 'p', PointOrdreDuJour)}"
        f"{sql_jointure('o', Proposition, 'r', Scrutin, 'proposition')}"
        f"{sql_jointure('t', ThematiqueAnnuelle, 'r', Scrutin, 'thematique')}"
        f"{sql_jointure('y', Cycle, 't', ThematiqueAnnuelle, 'cycle')}"
        f" WHERE {sql_colonne('p', PointOrdreDuJour, 'seance')} = %s"
        f" ORDER BY {sql_colonne('p', PointOrdreDuJour, 'ordre')}, p.{pk}"
    )


def seance_de_la_page(slug):
    """The séance of the event ``slug`` (404 if none), its event (with its place and commune) and minutes (or
    None) set as ``select_related`` sets them, ``nb_presents`` its online check-ins."""
    with connection.cursor() as curseur:
        curseur.execute(_sql_seance(connection.vendor), [slug])
        ligne = curseur.fetchone()
    if ligne is None:
        raise Http404
    seance, evenement, lieu, commune, pv = instances(_PARTIES_SEANCE, ligne)
    relier(evenement, "lieu", lieu)
    relier(evenement, "commune", commune)
    relier(seance, "evenement", evenement)
    relier(seance, "proces_verbal", pv)
    seance.nb_presents = ligne[-1]
    return seance


def points_de_la_page(seance):
    """The agenda items of ``seance`` in their order, each with ``le_scrutin`` (or None) also set as its
    ``scrutin``, the scrutin's proposal, theme and the theme's cycle set as ``select_related`` sets them."""
    with connection.cursor() as curseur:
        curseur.execute(_sql_points(connection.vendor), [seance.pk])
        lignes = curseur.fetchall()
    points = []
    for ligne in lignes:
        point, scrutin, proposition, thematique, cycle = instances(_PARTIES_POINTS, ligne)
        if scrutin is not None:
            if thematique is not None:
                relier(thematique, "cycle", cycle)
            relier(scrutin, "proposition", proposition)
            relier(scrutin, "thematique", thematique)
        relier(point, "scrutin", scrutin)
        point.seance = seance
        point.le_scrutin = scrutin
        points.append(point)
    return points


def detail(request, slug):
    """A séance: its agenda, who presides, attendance figures once started, every closed scrutin's result."""
    seance = seance_de_la_page(slug)
    if not request.user.has_perm("seances.voir", seance):
        raise Http404
    points = points_de_la_page(seance)
    resultats = [p.le_scrutin for p in points if p.le_scrutin and p.le_scrutin.statut == Scrutin.Statut.CLOS]
    try:
        pv = seance.proces_verbal
    except ProcesVerbal.DoesNotExist:
        pv = None
    return render(request, "seances/detail.html", {
        "seance": seance, "evenement": seance.evenement, "points": points, "resultats": resultats,
        "presents": seance.nombre_presents(seance.nb_presents),  # the paper sheet's figure when larger
        "commencee": seance.statut in (Seance.Statut.EN_COURS, Seance.Statut.TERMINEE),
        "en_preparation": seance.statut == Seance.Statut.PREPARATION,
        **views_documents.contexte_detail(request, seance, pv),
    })
