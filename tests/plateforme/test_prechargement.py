"""``precharger`` (many-to-many relations read by plain SQL into Django's prefetch cache) and ``page_comptee``
(a page and the list's length in one query) give what Django's own ``prefetch_related`` and ``Paginator`` give."""

import pytest
from django.core.paginator import Paginator

from ateliers.models import Atelier
from conseil_ess.comptes.models import ChampAction
from conseil_ess.pagination import page_comptee
from conseil_ess.prechargement import lies, precharger
from tests.ateliers.fabriques import AtelierFactory, CycleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ateliers():
    zoe = UserFactory(email="zoe@example.org", nom_affiche="Zoé <Z>", first_name="Zoé")
    abel = UserFactory(email="abel@example.org", nom_affiche="", first_name="Abel", last_name="Martin")
    cycle = CycleFactory()
    return [
        AtelierFactory(cycle=cycle, champs=[ChampAction.objects.get(numero=n) for n in (5, 2, 6)],
                       animateurs=[zoe, abel]),
        AtelierFactory(cycle=cycle, champs=[ChampAction.objects.get(numero=1)]),
        AtelierFactory(cycle=cycle, champs=[ChampAction.objects.get(numero=3)], animateurs=[abel]),
    ]


def test_precharger_donne_ce_que_donne_prefetch_related(ateliers, django_assert_num_queries):
    attendus = list(Atelier.objects.order_by("pk").prefetch_related("champs", "animateurs"))
    lus = list(Atelier.objects.order_by("pk"))
    with django_assert_num_queries(2):
        precharger(lus, "champs", ["numero", "libelle_court"])
        precharger(lus, "animateurs", ["nom_affiche", "first_name", "last_name"])
    with django_assert_num_queries(0):
        for attendu, lu in zip(attendus, lus, strict=True):
            # Same objects, same order (the related model's ordering: champs by number, people by e-mail).
            assert [c.pk for c in lu.champs.all()] == [c.pk for c in attendu.champs.all()]
            assert [(c.numero, c.libelle_court) for c in lu.champs.all()] == [
                (c.numero, c.libelle_court) for c in attendu.champs.all()]
            assert [u.nom_public for u in lu.animateurs.all()] == [u.nom_public for u in attendu.animateurs.all()]
    assert [c.numero for c in lus[0].champs.all()] == [2, 5, 6]
    assert [u.nom_public for u in lus[0].animateurs.all()] == ["Abel Martin", "Zoé <Z>"]
    assert list(lus[1].animateurs.all()) == []
    # The other fields are deferred, as with only(): read on demand.
    with django_assert_num_queries(1):
        assert lus[0].animateurs.all()[1].email == "zoe@example.org"


def test_precharger_une_requete_quel_que_soit_le_nombre(ateliers, django_assert_num_queries):
    for _ in range(10):
        AtelierFactory()
    tous = list(Atelier.objects.all())
    with django_assert_num_queries(1):
        precharger(tous, "champs", ["numero"])
    assert all(a.champs.all() for a in tous)
    with django_assert_num_queries(0):
        precharger([], "champs", ["numero"])


@pytest.mark.parametrize("numero", [None, "", "abc", "1", "2", "3", "4", "99", "0", "-1", "1.5", 2.0])
def test_page_comptee_comme_le_paginateur_de_django(numero, django_assert_max_num_queries):
    cycle = CycleFactory()
    for _ in range(7):
        AtelierFactory(cycle=cycle)
    qs = Atelier.objects.order_by("titre", "pk")
    attendue = Paginator(qs, 3).get_page(numero)
    # Past the last page: the empty window, then Django's COUNT and last page.
    with django_assert_max_num_queries(1 if numero in (None, "", "abc", "1", "2", "3", 2.0) else 3):
        page, objets = page_comptee(qs, numero, 3)
    assert page.number == attendue.number
    assert page.paginator.count == 7 and page.paginator.num_pages == 3
    assert [a.pk for a in objets] == [a.pk for a in attendue.object_list]
    assert all(isinstance(a, Atelier) for a in objets)
    assert page.has_next() == attendue.has_next() and page.start_index() == attendue.start_index()


def test_page_comptee_d_une_liste_vide(django_assert_num_queries):
    with django_assert_num_queries(1):
        page, objets = page_comptee(Atelier.objects.order_by("pk"), "1", 20)
    assert page.number == 1 and page.paginator.count == 0 and objets == []


def test_precharger_convertit_les_valeurs_comme_l_orm(ateliers):
    """Columns the backend converts (a date and time, read as text from SQLite) come as the ORM gives them."""
    attendus = list(Atelier.objects.order_by("pk").prefetch_related("animateurs"))
    lus = list(Atelier.objects.order_by("pk"))
    precharger(lus, "animateurs", ["date_joined", "is_active"])
    paires = [(a, b) for attendu, lu in zip(attendus, lus, strict=True)
              for a, b in zip(attendu.animateurs.all(), lu.animateurs.all(), strict=True)]
    assert len(paires) == 3
    for a, b in paires:
        assert (b.date_joined, b.is_active) == (a.date_joined, a.is_active)
        assert b.date_joined.tzinfo is not None and b.is_active is True


def test_une_relation_lue_se_filtre_comme_un_queryset(ateliers, django_assert_num_queries):
    """Read as rows, a relation answers all(), len, count(), exists() and indexing without a query; a filter (or any
    other queryset method) runs its own query on that relation only, as a prefetched queryset does."""
    lus = list(Atelier.objects.order_by("pk"))
    precharger(lus, "champs", ["numero", "libelle_court"])
    premier = lus[0]
    with django_assert_num_queries(0):
        champs = premier.champs.all()
        assert len(champs) == 3 and champs.count() == 3 and champs.exists() and champs[0].numero == 2
        assert [c.numero for c in premier.champs.all()] == [2, 5, 6]
    with django_assert_num_queries(1):
        assert [c.numero for c in premier.champs.filter(numero__gte=5)] == [5, 6]
    with django_assert_num_queries(1):
        assert list(premier.champs.order_by("-numero").values_list("numero", flat=True)) == [6, 5, 2]
    with django_assert_num_queries(0):
        assert [c.numero for c in premier.champs.all()] == [2, 5, 6]  # still read from the cache


def test_lies_lit_le_prechargement_sinon_la_relation(ateliers, django_assert_num_queries):
    precharges = list(Atelier.objects.filter(pk__in=[a.pk for a in ateliers]).order_by("pk"))
    precharger(precharges, "champs", ["numero", "libelle_court"])
    with django_assert_num_queries(0):
        lus = [[c.pk for c in lies(a, "champs")] for a in precharges]
    attendus = [[c.pk for c in a.champs.order_by("numero", "pk")] for a in precharges]
    assert lus == attendus and any(lus)
    # Not prefetched: the relation's own queryset (one query).
    seul = Atelier.objects.get(pk=precharges[0].pk)
    with django_assert_num_queries(1):
        assert [c.pk for c in lies(seul, "champs")] == attendus[0]


# --- Whole tables, their SQL compiled once (``lignes_de_table``, ``instances_de_table``) ---------------------


def test_lignes_de_table_donne_ce_que_donne_values_list(ateliers, django_assert_num_queries):
    from ateliers.models import Cycle
    from conseil_ess.prechargement import lignes_de_table

    CycleFactory(titre="Cycle 2031")
    for _ in range(2):  # compiled the first time, reused the second
        with django_assert_num_queries(1):
            lignes = lignes_de_table(Cycle.objects.order_by("-date_debut", "titre"), ["slug", "titre", "date_debut"])
        assert lignes == list(Cycle.objects.order_by("-date_debut", "titre").values_list("slug", "titre", "date_debut"))
    # Dates are dates (the database's values converted as by the ORM, on SQLite as on PostgreSQL).
    assert all(type(debut).__name__ == "date" for _slug, _titre, debut in lignes)
    # Another order is another query.
    assert lignes_de_table(Cycle.objects.order_by("titre"), ["titre"]) == sorted((t,) for _s, t, _d in lignes)


def test_lignes_de_table_laisse_a_l_orm_une_table_filtree(ateliers):
    from conseil_ess.prechargement import lignes_de_table

    lignes = lignes_de_table(ChampAction.objects.filter(numero__lte=2).order_by("numero"), ["numero"])
    assert lignes == [(1,), (2,)]
    lignes = lignes_de_table(ChampAction.objects.order_by("numero")[:3], ["numero"])
    assert lignes == [(1,), (2,), (3,)]


def test_instances_de_table_donne_ce_que_donne_l_orm(ateliers):
    from ateliers.models import Cycle
    from conseil_ess.prechargement import instances_de_table

    lus = instances_de_table(Cycle.objects.order_by("-date_debut", "-pk"))
    attendus = list(Cycle.objects.order_by("-date_debut", "-pk"))
    assert [c.pk for c in lus] == [c.pk for c in attendus]
    assert all(
        getattr(lu, champ.attname) == getattr(attendu, champ.attname)
        for lu, attendu in zip(lus, attendus, strict=True) for champ in Cycle._meta.concrete_fields
    )
    assert all(not lu._state.adding and lu._state.db == "default" for lu in lus)
    lu = lus[0]
    lu.titre = "Renommé"
    lu.save()  # a normal instance
    assert Cycle.objects.get(pk=lu.pk).titre == "Renommé"
    # ``only()`` keeps the ORM's deferred instances.
    assert instances_de_table(Cycle.objects.only("titre").order_by("pk"))[0].get_deferred_fields()


# --- A written query around the ORM's WHERE (``where_sans_jointure``, ``instances_filtrees``) ---------------


def test_instances_filtrees_comme_only_et_order_by(ateliers, django_assert_num_queries):
    from django.db.models import Q

    from ateliers.models import Cycle
    from conseil_ess.prechargement import instances_filtrees, where_sans_jointure

    autre = CycleFactory(titre="Cycle B")
    AtelierFactory(cycle=autre, titre="Zèbre")
    AtelierFactory(cycle=autre, titre="Âne")
    cas = [
        Atelier.objects.all(),
        Atelier.objects.filter(cycle=autre),
        Atelier.objects.filter(Q(titre__icontains="e") | Q(pk__in=[a.pk for a in ateliers]), cycle__isnull=False),
        Atelier.objects.exclude(cycle=autre),
    ]
    for qs in cas:
        for ordre in (("titre", "pk"), ("-cycle", "-pk")):
            with django_assert_num_queries(1):
                lus = instances_filtrees(qs, ("titre", "slug"), ordre)
            attendus = list(qs.only("titre", "slug").order_by(*ordre))
            assert [(a.pk, a.titre, a.slug) for a in lus] == [(a.pk, a.titre, a.slug) for a in attendus]
            assert all(a.get_deferred_fields() == b.get_deferred_fields() for a, b in zip(lus, attendus, strict=True))
    # Nothing to match: no query at all, as the ORM.
    with django_assert_num_queries(0):
        assert instances_filtrees(Atelier.objects.filter(pk__in=[]), ("titre",), ("pk",)) == []
    # A filter through a relation is a join: the ORM reads it.
    par_cycle = Atelier.objects.filter(cycle__titre="Cycle B")
    assert where_sans_jointure(par_cycle) is None
    assert sorted(a.titre for a in instances_filtrees(par_cycle, ("titre",), ("titre",))) == ["Zèbre", "Âne"]
    assert where_sans_jointure(Cycle.objects.all()) == ("", [])


def test_instances_filtrees_avec_une_relation_et_une_tranche(ateliers, django_assert_num_queries):
    from ateliers.models import Cycle
    from conseil_ess.prechargement import instances_filtrees

    AtelierFactory(cycle=CycleFactory(titre="Cycle B"), titre="Bâtir")
    qs = Atelier.objects.filter(titre__isnull=False)
    for tranche in ((0, 2), (1, 3), (3, 10), None):
        with django_assert_num_queries(1):
            lus = instances_filtrees(qs, ("titre",), ("-pk",), lies=(("c", Cycle, ("titre",), "cycle"),),
                                     tranche=tranche)
            titres = [(a.titre, a.cycle.titre, a.cycle_id) for a in lus]  # no query: the cycle is set
        attendus = qs.select_related("cycle").only("titre", "cycle__titre").order_by("-pk")
        attendus = attendus if tranche is None else attendus[tranche[0]:tranche[1]]
        assert titres == [(a.titre, a.cycle.titre, a.cycle_id) for a in attendus]
    with pytest.raises(ValueError):
        instances_filtrees(qs[:2], ("titre",), ("pk",))


def test_sql_tri_des_colonnes_seulement(django_assert_num_queries):
    """One ORDER BY for the written queries (the agenda's cards, ``instances_filtrees``); anything that is not a
    column of the table (a relation, whose model may have its own order; an expression) is left to the ORM."""
    from django.db import connection
    from django.db.models import F

    from ateliers.models import Cycle
    from conseil_ess.prechargement import instances_filtrees, sql_tri

    q = connection.ops.quote_name
    table = q(Atelier._meta.db_table)
    assert sql_tri(Atelier, ("titre", "-pk")) == f"{table}.{q('titre')}, {table}.{q('id')} DESC"
    assert sql_tri(Atelier, ()) == ""
    assert sql_tri(Atelier, ("-cycle",)) is None
    assert sql_tri(Atelier, ("cycle__titre", "pk")) is None and sql_tri(Atelier, ("nombre",)) is None
    assert sql_tri(Atelier, (F("titre").desc(),)) is None
    # Ordered by a relation, instances_filtrees gives the ORM's answer, in one query.
    for titre in ("B", "A", "C"):
        AtelierFactory(cycle=CycleFactory(titre=titre))
    with django_assert_num_queries(1):
        lus = instances_filtrees(Atelier.objects.all(), ("titre",), ("cycle", "pk"))
    assert [a.pk for a in lus] == list(Atelier.objects.order_by("cycle", "pk").values_list("pk", flat=True))
    assert Cycle.objects.count() == 3


def test_instances_filtrees_a_un_instant_ecrites_une_fois(django_assert_num_queries):
    """``instances_filtrees_a``: the same instances as ``instances_filtrees`` of the queryset of each instant, the
    queryset built once (a stand-in instant, then each instant put in its place); a queryset where the instant is
    not a parameter as such (a date taken from it) is built at each call, with the same result."""
    from datetime import timedelta

    from django.utils import timezone

    from conseil_ess.prechargement import instances_filtrees, instances_filtrees_a
    from evenements.models import Commune, Evenement
    from tests.evenements.fabriques import EvenementFactory

    maintenant = timezone.now()
    for jours in (-3, 1, 2, 5, 9):
        EvenementFactory(titre=f"J{jours}", debut=maintenant + timedelta(days=jours),
                         fin=maintenant + timedelta(days=jours, hours=2))
    construits = []

    def a_venir(instant):
        construits.append(instant)
        return Evenement.objects.filter(fin__gte=instant).exclude(titre="J5")

    lies_ = (("c", Commune, ("nom",), "commune"),)
    for decalage in (0, 2, -10, 30, 1):
        instant = maintenant + timedelta(days=decalage)
        with django_assert_num_queries(1):
            lus = instances_filtrees_a("test.a_venir", a_venir, instant, ("titre", "fin"), ("debut", "pk"),
                                       lies=lies_, tranche=(0, 3))
        attendus = instances_filtrees(Evenement.objects.filter(fin__gte=instant).exclude(titre="J5"),
                                      ("titre", "fin"), ("debut", "pk"), lies=lies_, tranche=(0, 3))
        assert [(e.pk, e.titre, e.fin) for e in lus] == [(e.pk, e.titre, e.fin) for e in attendus]
    assert len(construits) == 1  # the stand-in's, once

    def par_jour(instant):
        construits.append(instant)
        return Evenement.objects.filter(debut__date__gte=instant.date())

    construits.clear()
    for decalage in (0, 3):
        instant = maintenant + timedelta(days=decalage)
        lus = instances_filtrees_a("test.par_jour", par_jour, instant, ("titre",), ("debut", "pk"))
        assert [e.titre for e in lus] == [e.titre for e in Evenement.objects.filter(
            debut__date__gte=instant.date()).order_by("debut", "pk")]
    assert len(construits) == 3  # the stand-in's (not found among the parameters), then at each call


def test_lire_ensemble_un_aller_retour_sur_postgresql(ateliers, django_assert_num_queries):
    """``lire_ensemble``: each query's value, in order, made by its ``lire``; one round trip to PostgreSQL (the
    statements together), one query each on SQLite; nothing sent for a ``Lecture`` without SQL; never a write."""
    from django.db import connection

    from conseil_ess.prechargement import Lecture, lecture_prechargement, lire_ensemble

    q = connection.ops.quote_name
    table = q(Atelier._meta.db_table)
    titres = Lecture(f"SELECT {q('titre')} FROM {table} WHERE {q('id')} IN (%s, %s) ORDER BY {q('id')}",  # noqa: S608
                     [ateliers[0].pk, ateliers[2].pk], lambda lignes: [titre for (titre,) in lignes])
    nombre = Lecture(f"SELECT COUNT(*) FROM {table} WHERE {q('titre')} LIKE %s", ["%"],  # noqa: S608
                     lambda lignes: lignes[0][0])
    aucun = Lecture(None, (), lambda lignes: ("rien", lignes))
    vide = Lecture(f"SELECT {q('id')} FROM {table} WHERE {q('id')} < 0", [], list)  # noqa: S608
    copies = [Atelier.objects.get(pk=a.pk) for a in ateliers]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 4):
        valeurs = lire_ensemble(titres, aucun, nombre, vide,
                                lecture_prechargement(copies, "champs", ["numero", "libelle_court"]))
    assert valeurs[:4] == [[ateliers[0].titre, ateliers[2].titre], ("rien", []), 3, []]
    with django_assert_num_queries(0):
        assert [[c.numero for c in lies(a, "champs")] for a in copies] == [[2, 5, 6], [1], [3]]
    with django_assert_num_queries(0):
        assert lire_ensemble(aucun) == [("rien", [])]
    with pytest.raises(ValueError):
        lire_ensemble(Lecture(f"UPDATE {table} SET {q('titre')} = %s", ["x"], list), titres)  # noqa: S608


def test_lire_ensemble_une_a_une_avec_la_liaison_cote_serveur(ateliers, django_assert_num_queries, monkeypatch):
    """With psycopg's server-side binding (a prepared statement holds one statement), the queries go one by one."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from conseil_ess.prechargement import Lecture, lire_ensemble

    reglages = connections[DEFAULT_DB_ALIAS].settings_dict
    monkeypatch.setitem(reglages, "OPTIONS", {**reglages.get("OPTIONS", {}), "server_side_binding": True})
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(Atelier._meta.db_table)
    compter = Lecture(f"SELECT COUNT(*) FROM {table}", [], lambda lignes: lignes[0][0])  # noqa: S608
    with django_assert_num_queries(2):
        assert lire_ensemble(compter, compter) == [3, 3]
