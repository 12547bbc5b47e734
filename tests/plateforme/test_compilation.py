"""``compilee_une_fois``: a queryset's SQL compiled once per process and key, its rows read at every call, the
same objects as the ORM gives; any change to the queryset goes back to the ORM."""

import pytest
from django.db.models import Count
from django.db.models.sql import compiler

from conseil_ess import compilation
from conseil_ess.compilation import compilee_une_fois
from conseil_ess.comptes.models import ChampAction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def compilations(monkeypatch):
    """The number of SQL compilations by the ORM; nothing kept from another test."""
    compilation.oublier()
    compte = {"n": 0}
    originale = compiler.SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        compte["n"] += 1
        return originale(self, *args, **kwargs)

    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", as_sql)
    yield compte
    compilation.oublier()


def champs_pairs():
    return ChampAction.objects.filter(numero__in=[2, 4, 6]).order_by("-numero").only("numero", "libelle_court")


def test_les_memes_objets_que_l_orm_et_une_seule_compilation(compilations):
    attendus = [(c.pk, c.numero, c.libelle_court) for c in champs_pairs()]
    assert len(attendus) == 3
    compilations["n"] = 0
    for _ in range(3):
        champs = list(compilee_une_fois("pairs", champs_pairs))
        assert [(c.pk, c.numero, c.libelle_court) for c in champs] == attendus
        assert all(isinstance(c, ChampAction) and c.get_deferred_fields() for c in champs)
    assert compilations["n"] == 1


def test_les_lignes_sont_lues_a_chaque_fois(compilations):
    assert [c.numero for c in compilee_une_fois("pairs", champs_pairs)] == [6, 4, 2]
    ChampAction.objects.filter(numero=4).update(libelle_court="Changé")
    ChampAction.objects.filter(numero=6).delete()
    assert [(c.numero, c.libelle_court) for c in compilee_une_fois("pairs", champs_pairs)][0] == (4, "Changé")
    assert [c.numero for c in compilee_une_fois("pairs", champs_pairs)] == [4, 2]


def test_une_autre_cle_un_autre_queryset():
    assert [c.numero for c in compilee_une_fois("pairs", champs_pairs)] == [6, 4, 2]
    impairs = compilee_une_fois("impairs", lambda: ChampAction.objects.filter(numero__in=[1, 3]).order_by("numero"))
    assert [c.numero for c in impairs] == [1, 3]
    # The key decides: the same key gives the first queryset, whatever the builder given later.
    assert [c.numero for c in compilee_une_fois("pairs", lambda: ChampAction.objects.none())] == [6, 4, 2]


def test_un_queryset_change_ensuite_repasse_par_l_orm(compilations):
    list(compilee_une_fois("pairs", champs_pairs))
    qs = compilee_une_fois("pairs", champs_pairs)
    assert [c.numero for c in qs.filter(numero__lt=5)] == [4, 2]
    assert [c.numero for c in qs[1:]] == [4, 2]
    assert qs.count() == 3
    assert qs.exists()
    assert qs.first().numero == 6
    assert qs.values_list("numero", flat=True).get(numero=2) == 2
    assert list(ChampAction.objects.filter(pk__in=qs.values("pk")).order_by("numero")
                .values_list("numero", flat=True)) == [2, 4, 6]
    assert qs.aggregate(n=Count("pk")) == {"n": 3}
    # The model of the key stays as it was.
    assert [c.numero for c in compilee_une_fois("pairs", champs_pairs)] == [6, 4, 2]


def test_valeurs_et_requete_vide(compilations, django_assert_num_queries):
    valeurs = compilee_une_fois("valeurs", lambda: champs_pairs().values_list("numero", flat=True))
    assert list(valeurs) == [6, 4, 2]
    assert list(compilee_une_fois("valeurs", lambda: None)) == [6, 4, 2]
    vide = compilee_une_fois("vide", lambda: ChampAction.objects.filter(pk__in=[]))
    assert list(vide) == []
    avant = compilations["n"]
    # A query that can match nothing is kept as such: no SQL, no compilation, no row, the next times too.
    with django_assert_num_queries(0):
        assert list(compilee_une_fois("vide", lambda: None)) == []
        assert not compilee_une_fois("vide", lambda: None)
        assert list(compilee_une_fois("rien", lambda: ChampAction.objects.none())) == []
        assert list(compilee_une_fois("rien", lambda: None)) == []
    assert compilations["n"] == avant + 1  # « rien », once


def test_au_dela_de_la_limite_tout_est_oublie(monkeypatch):
    monkeypatch.setattr(compilation, "LIMITE", 2)
    compilee_une_fois("a", champs_pairs)
    compilee_une_fois("b", champs_pairs)
    assert len(compilation._modeles) == 2
    compilee_une_fois("c", champs_pairs)
    assert list(compilation._modeles) == ["c"]


def test_conversions_cherchees_une_fois_par_connexion(monkeypatch):
    """The columns' conversions of a compiled-once query are looked up once per connection; the values are
    converted as the ORM converts them (a date and time, a decimal on SQLite; a JSON field everywhere)."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from wagtail.models import Page, Site

    appels = []
    originale = compiler.SQLCompiler.get_converters
    monkeypatch.setattr(compiler.SQLCompiler, "get_converters",
                        lambda self, expressions: appels.append(1) or originale(self, expressions))
    connections[DEFAULT_DB_ALIAS].__dict__.pop("_convertisseurs_compiles", None)

    def sites():
        return Site.objects.select_related("root_page").order_by("pk")

    attendus = [(s.pk, s.root_page.latest_revision_created_at, s.root_page.first_published_at) for s in sites()]
    appels.clear()
    for _ in range(3):
        lus = [(s.pk, s.root_page.latest_revision_created_at, s.root_page.first_published_at)
               for s in compilee_une_fois("sites", sites)]
        assert lus == attendus
    assert len(appels) == 1
    chemins = list(Page.objects.order_by("path").values_list("pk", flat=True))
    appels.clear()
    assert [p.pk for p in compilee_une_fois("pages", lambda: Page.objects.order_by("path"))] == chemins
    assert len(appels) == 1  # another query, its own
    connections[DEFAULT_DB_ALIAS].__dict__.pop("_convertisseurs_compiles")
    list(compilee_une_fois("sites", sites))
    assert len(appels) == 2  # another connection (its methods): looked up again


def test_lues_ensemble_un_aller_retour(django_assert_num_queries):
    """Compiled-once querysets evaluated together: one round trip on PostgreSQL (one query each on SQLite), the
    objects the ORM gives, read without another query; the others are left to be evaluated as usual."""
    from django.db import connection

    from conseil_ess.compilation import lecture_compilee
    from conseil_ess.prechargement import lire_ensemble

    attendus_pairs = [(c.pk, c.numero, c.libelle_court) for c in champs_pairs()]
    impairs = compilee_une_fois("impairs", lambda: ChampAction.objects.filter(numero__in=[1, 3]).order_by("numero"))
    pairs = compilee_une_fois("pairs", champs_pairs)
    rien = compilee_une_fois("rien", lambda: ChampAction.objects.filter(pk__in=[]))
    ordinaire = ChampAction.objects.filter(numero=5)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        lire_ensemble(*map(lecture_compilee, (pairs, ordinaire, impairs, rien)))
    with django_assert_num_queries(0):
        assert [(c.pk, c.numero, c.libelle_court) for c in pairs] == attendus_pairs
        assert all(c.get_deferred_fields() for c in pairs)
        assert [c.numero for c in impairs] == [1, 3]
        assert list(rien) == []
    with django_assert_num_queries(1):
        assert [c.numero for c in ordinaire] == [5]
    ChampAction.objects.filter(numero=2).update(libelle_court="Changé")
    with django_assert_num_queries(1):  # the rows read are not kept: a new queryset reads its own
        assert [c.libelle_court for c in compilee_une_fois("pairs", champs_pairs)][-1] == "Changé"
    with django_assert_num_queries(0):
        lire_ensemble(lecture_compilee(pairs))  # evaluated already
