"""The figures of the proposals: shared by the dashboard (``/suivi/``), its CSV export, the open data
and the public summary (``{% synthese_propositions %}``).

Every function takes a queryset of proposals (already filtered) and runs a fixed number of queries,
whatever the number of proposals. Medians are computed in Python from one ``values_list`` query, so
the same code runs on SQLite and PostgreSQL.
"""

import datetime
import statistics
from collections import OrderedDict, defaultdict

from django.conf import settings
from django.db import connections
from django.db.models import Aggregate, BooleanField, Case, Count, F, FloatField, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from conseil_ess.comptes.models import ChampAction
from conseil_ess.prechargement import Lecture, lecture_comptee, lire_ensemble

from .models import ETATS_ADOPTES, ETATS_EN_ATTENTE, Etat, Indicateur, Proposition

ETATS_REALISES = frozenset({Etat.REALISEE, Etat.EVALUEE})
# The states shown by the dashboard, in lifecycle order (drafts are their authors' business).
ETATS_PUBLICS = [etat for etat in Etat if etat != Etat.BROUILLON]


def delai_alerte():
    """Return how long a proposal may wait for an answer before the dashboard flags it."""
    return datetime.timedelta(days=getattr(settings, "PROPOSITIONS_DELAI_ALERTE_JOURS", 90))


def q_en_attente_trop_longtemps(maintenant=None):
    """Return the condition of a proposal waiting for an answer for longer than the alert delay."""
    limite = (maintenant or timezone.now()) - delai_alerte()
    return Q(etat__in=ETATS_EN_ATTENTE, etat_depuis__lt=limite)


def avec_alerte(propositions, maintenant=None):
    """Annotate ``en_retard`` (waiting for an answer beyond the delay) on each proposal."""
    return propositions.annotate(en_retard=Case(
        When(q_en_attente_trop_longtemps(maintenant), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    ))


def jours_depuis(moment, maintenant=None):
    """Return the whole days elapsed since ``moment`` (0 for a future or missing moment)."""
    if moment is None:
        return 0
    return max(((maintenant or timezone.now()) - moment).days, 0)


class _MedianeSecondes(Aggregate):
    """PostgreSQL: the median, in seconds, of an interval expression (``percentile_cont``, interpolated as
    ``statistics.median`` does)."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (%(expressions)s)))"
    output_field = FloatField()


def mediane_jours(propositions, debut, fin, condition=None):
    """Return the median number of days from milestone ``debut`` to ``fin`` (None without any pair).

    ``condition``: an extra ``Q`` the proposals must meet. One query.
    """
    couples = propositions.filter(**{f"{debut}__isnull": False, f"{fin}__isnull": False}).order_by()
    if condition is not None:
        couples = couples.filter(condition)
    if connections[couples.db].vendor == "postgresql":  # computed by the database: no row read (1,000 at scale)
        secondes = couples.aggregate(m=_MedianeSecondes(F(fin) - F(debut)))["m"]
        return None if secondes is None else secondes / 86400
    durees = [(b - a).total_seconds() / 86400 for a, b in couples.values_list(debut, fin)]
    if not durees:
        return None
    return statistics.median(durees)


# The decision of the Conseil in plenary: adopted (whatever became of it since) or not adopted. A
# reorientation by the secrétariat is an answer, but not a decision of the Conseil.
Q_DECIDEE_PAR_LE_CONSEIL = Q(adoptee_le__isnull=False) | Q(etat=Etat.NON_RETENUE)


def medianes(propositions):
    """Return the two median delays of the dashboard and the summary, in days (or None).

    ``depot_decision``: from submission to the decision of the Conseil (adoptée / non retenue);
    ``adoption_realisation``: from adoption to completion (réalisée, then possibly évaluée).
    """
    return {
        "depot_decision": mediane_jours(propositions, "deposee_le", "decidee_le", Q_DECIDEE_PAR_LE_CONSEIL),
        "adoption_realisation": mediane_jours(propositions, "adoptee_le", "realisee_le"),
    }


def _tableau(comptes, lignes, colonnes):
    """Return rows of ``(ligne, [n per colonne], total)`` from a {(ligne_cle, colonne_cle): n} dict."""
    resultat = []
    for cle_ligne, ligne in lignes:
        valeurs = [comptes.get((cle_ligne, cle_colonne), 0) for cle_colonne, _colonne in colonnes]
        resultat.append({"libelle": ligne, "valeurs": valeurs, "total": sum(valeurs)})
    return resultat


def comptes_par_etat_et_champ(propositions):
    """Return the table states × champs d'action (a proposal counts once in each of its champs).

    ``{"colonnes": [champ…, None for "no champ"], "lignes": [{"libelle", "valeurs", "total"}…]}``,
    only the states that have proposals; two queries.
    """
    comptes = defaultdict(int)
    for etat, champ_id, n in (propositions.order_by().values("etat", "champs").annotate(n=Count("pk", distinct=True))
                              .values_list("etat", "champs", "n")):
        comptes[(etat, champ_id)] += n
    champs = list(ChampAction.objects.all())
    colonnes = [(c.pk, c) for c in champs]
    if any(champ_id is None for _etat, champ_id in comptes):
        colonnes.append((None, None))
    etats = {etat for etat, _champ in comptes}
    lignes = [(e.value, e.label) for e in ETATS_PUBLICS if e.value in etats]
    return {"colonnes": [c for _pk, c in colonnes], "lignes": _tableau(comptes, lignes, colonnes)}


def comptes_par_etat_et_atelier(propositions):
    """Return the table ateliers × states (only the states that have proposals); two queries."""
    from ateliers.models import Atelier

    comptes = {}
    for atelier_id, etat, n in (propositions.order_by().values("atelier", "etat").annotate(n=Count("pk"))
                                .values_list("atelier", "etat", "n")):
        comptes[(atelier_id, etat)] = n
    etats = {etat for _atelier, etat in comptes}
    colonnes = [(e.value, e.label) for e in ETATS_PUBLICS if e.value in etats]
    ids = {atelier_id for atelier_id, _etat in comptes if atelier_id is not None}
    lignes = [(a.pk, a.titre) for a in Atelier.objects.filter(pk__in=ids).order_by("titre")]
    if any(atelier_id is None for atelier_id, _etat in comptes):
        lignes.append((None, None))
    return {"colonnes": [libelle for _cle, libelle in colonnes], "lignes": _tableau(comptes, lignes, colonnes)}


def en_attente(propositions, maintenant=None):
    """Return the proposals waiting for an answer, those beyond the delay first, the oldest first."""
    return (avec_alerte(propositions.filter(etat__in=ETATS_EN_ATTENTE), maintenant)
            .select_related("atelier").prefetch_related("champs")
            .order_by("-en_retard", "etat_depuis", "pk"))


def adoptees_par_responsable(propositions):
    """Return the adopted proposals grouped by responsible élu·e and service, with their progress.

    ``[{"responsable": user or None, "service": str, "propositions": [...]}…]``: the proposals still
    waiting for an engagement (no responsible yet) come first. Each proposal carries ``points``
    (its follow-up points, oldest first), ``dernier_point`` and ``liste_indicateurs`` (each with
    ``derniere_valeur``). Four queries.
    """
    qs = (propositions.filter(etat__in=ETATS_ADOPTES).select_related("responsable_elu")
          .prefetch_related("points_suivi", Prefetch("indicateurs", queryset=Indicateur.objects.prefetch_related(
              "valeurs")))
          .order_by("responsable_elu__last_name", "responsable_elu__first_name", "responsable_elu",
                    "service_responsable", "reference"))
    groupes = OrderedDict()
    for p in qs:
        p.points = list(p.points_suivi.all())
        p.dernier_point = p.points[-1] if p.points else None
        p.liste_indicateurs = list(p.indicateurs.all())
        for indicateur in p.liste_indicateurs:
            valeurs = list(indicateur.valeurs.all())
            indicateur.derniere_valeur = valeurs[-1] if valeurs else None
        p.engagement_manquant = engagement_manquant(p)
        groupes.setdefault((p.responsable_elu_id, p.service_responsable), []).append(p)
    resultat = [
        {"responsable": liste[0].responsable_elu, "service": service, "propositions": liste}
        for (_elu, service), liste in groupes.items()
    ]
    resultat.sort(key=lambda g: g["responsable"] is not None)  # stable: keeps the names' order
    return resultat


def engagement_manquant(proposition):
    """What an adopted proposal's engagement still lacks: the élu·e, the service, the planned date (labels);
    nothing once it is implemented."""
    if proposition.etat in ETATS_REALISES:
        return []
    manque = []
    if not proposition.responsable_elu_id:
        manque.append(_("pas d'élu·e responsable"))
    if not proposition.service_responsable:
        manque.append(_("pas de service responsable"))
    if not proposition.date_prevue:
        manque.append(_("pas de date de réalisation prévue"))
    return manque


def synthese(propositions=None):
    """Return the public figures: proposals, adopted, implemented, the two median delays (one query on
    PostgreSQL, three elsewhere). The public proposals' figures on PostgreSQL (the home page and the list's
    summary) run the SQL the ORM wrote for them, kept once written (``_SQL_DE_LA_SYNTHESE_PUBLIQUE``)."""
    if propositions is None:
        if connections[Proposition.objects.db].vendor == "postgresql":
            return _synthese_publique()
        propositions = Proposition.objects.publiques()
    if connections[propositions.db].vendor == "postgresql":
        return _synthese_postgresql(propositions)
    return {**propositions.order_by().aggregate(**_comptes()), **medianes(propositions)}


def _comptes():
    return {
        "total": Count("pk"),
        "adoptees": Count("pk", filter=Q(etat__in=ETATS_ADOPTES)),
        "realisees": Count("pk", filter=Q(etat__in=ETATS_REALISES)),
    }


def _en_jours(resultat):
    for cle in ("depot_decision", "adoption_realisation"):
        if resultat[cle] is not None:
            resultat[cle] /= 86400
    return resultat


def _synthese_postgresql(propositions):
    # One query: the medians are filtered aggregates of the same rows (the conditions of ``medianes``).
    return _en_jours(propositions.order_by().aggregate(
        **_comptes(),
        depot_decision=_MedianeSecondes(
            F("decidee_le") - F("deposee_le"),
            filter=Q(deposee_le__isnull=False, decidee_le__isnull=False) & Q_DECIDEE_PAR_LE_CONSEIL),
        adoption_realisation=_MedianeSecondes(
            F("realisee_le") - F("adoptee_le"), filter=Q(adoptee_le__isnull=False, realisee_le__isnull=False)),
    ))


# The SQL and parameters the ORM writes for the public proposals' figures, per PostgreSQL database alias, taken as
# it runs them the first time: the query has no variable part (the states are constants), and building it (five
# filtered aggregates) cost more CPU than PostgreSQL took to run it, on the two pages that show it. Only the text
# of the query is kept: the figures are read again at each call.
_SQL_DE_LA_SYNTHESE_PUBLIQUE = {}


def _synthese_publique():
    alias = Proposition.objects.db
    if alias not in _SQL_DE_LA_SYNTHESE_PUBLIQUE:
        requetes = []

        def garder(execute, sql, params, many, context):
            requetes.append((sql, tuple(params)))
            return execute(sql, params, many, context)

        with connections[alias].execute_wrapper(garder):
            resultat = _synthese_postgresql(Proposition.objects.using(alias).publiques())
        ((sql, params),) = requetes
        # The columns in the query's order, as the ORM names them in its result.
        _SQL_DE_LA_SYNTHESE_PUBLIQUE[alias] = sql, params, tuple(resultat)
        return resultat
    return lire_ensemble(lecture_synthese(), alias=alias)[0]


def lecture_synthese():
    """``synthese()`` as a ``Lecture``, to send its query with a page's others (``lire_ensemble``): the public
    proposals' figures by the query kept on PostgreSQL; computed at once otherwise (its query not written yet,
    or another database)."""
    alias = Proposition.objects.db
    texte = _SQL_DE_LA_SYNTHESE_PUBLIQUE.get(alias)
    if texte is None or connections[alias].vendor != "postgresql":
        resultat = synthese()
        return Lecture(None, (), lambda lignes: resultat)
    sql, params, noms = texte

    def lire(lignes):
        return _en_jours(dict(zip(noms, lignes[0], strict=True)))

    return Lecture(sql, params, lire)


def lecture_deposees():
    """The number of public proposals (every one submitted, whatever became of it), as a ``Lecture`` (its SQL
    written once: ``lecture_comptee``)."""
    return lecture_comptee("propositions_deposees", lambda: Proposition.objects.publiques())


def lecture_adoptees():
    """The number of proposals adopted by the Conseil (then implemented or not), as a ``Lecture``."""
    return lecture_comptee("propositions_adoptees", lambda: Proposition.objects.filter(etat__in=ETATS_ADOPTES))


def lecture_realisees():
    """The number of proposals implemented (réalisées, then possibly évaluées), as a ``Lecture``."""
    return lecture_comptee("propositions_realisees", lambda: Proposition.objects.filter(etat__in=ETATS_REALISES))
