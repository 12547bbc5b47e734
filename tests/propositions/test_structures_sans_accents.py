"""The carriers' picker (``/propositions/structures.json``) ignores case, accents and ligatures, on SQLite and
PostgreSQL alike, through the stored folded name ``Structure.nom_recherche`` (issue 17)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conseil_ess.comptes.models import Structure, nom_pour_recherche
from tests.factories import StructureFactory

pytestmark = pytest.mark.django_db
URL = reverse("propositions:structures_json")


def noms(client, q):
    return [r["nom"] for r in client.get(URL, {"q": q}).json()["resultats"]]


def test_le_nom_replie_est_tenu_a_jour():
    structure = StructureFactory(nom="Cœur d'Économie  Sociale")
    assert structure.nom_recherche == "coeur d'economie sociale"
    structure.nom = "Ressourcérie du Pôle"
    structure.save(update_fields=["nom"])
    structure.refresh_from_db()
    assert structure.nom_recherche == "ressourcerie du pole"
    assert nom_pour_recherche("  ÉCONOMIE   ") == "economie"


@pytest.mark.parametrize(("q", "attendus"), [
    ("economie", ["Maison de l'Économie Solidaire"]),
    ("ÉCONOMIE", ["Maison de l'Économie Solidaire"]),
    ("économie", ["Maison de l'Économie Solidaire"]),
    ("ressourcérie", ["La Ressourcerie", "Ressourcérie Verte"]),
    ("Ressourcerie", ["La Ressourcerie", "Ressourcérie Verte"]),
    ("coeur", ["Cœur de Ville"]),
    ("cœur", ["Cœur de Ville"]),
    ("de l'economie", ["Maison de l'Économie Solidaire"]),
    ("zzz", []),
])
def test_accents_et_casse_ignores(client, q, attendus):
    for nom in ("Maison de l'Économie Solidaire", "La Ressourcerie", "Ressourcérie Verte", "Cœur de Ville"):
        StructureFactory(nom=nom)
    StructureFactory(nom="Ressourcerie en attente", statut=Structure.Statut.EN_ATTENTE)
    assert noms(client, q) == attendus


def test_une_requete_quel_que_soit_le_nombre(client, django_assert_max_num_queries):
    StructureFactory(nom="Épicerie 00")
    with CaptureQueriesContext(connection) as peu:
        assert noms(client, "epicerie") == ["Épicerie 00"]
    for i in range(1, 30):
        StructureFactory(nom=f"Épicerie {i:02d}")
    with django_assert_max_num_queries(len(peu)):
        assert len(noms(client, "EPICERIE")) == 20


def test_la_migration_remplit_les_noms_existants():
    from importlib import import_module

    from django.apps import apps

    structure = StructureFactory(nom="Économie Circulaire")
    Structure.objects.filter(pk=structure.pk).update(nom_recherche="")
    import_module("conseil_ess.comptes.migrations.0007_structure_nom_recherche").remplir(apps, None)
    structure.refresh_from_db()
    assert structure.nom_recherche == "economie circulaire"
