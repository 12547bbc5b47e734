"""The home page shows the next published public events of the agenda."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evenements.models import Evenement
from tests.evenements.fabriques import EvenementFactory, dans

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_prochains_evenements_publies_seulement(client, accueil):
    EvenementFactory(titre="Ciné-débat coopératif", debut=dans(3))
    EvenementFactory(titre="Brouillon caché", publication=Evenement.Publication.A_MODERER)
    EvenementFactory(titre="Réservé aux membres", visibilite=Evenement.Visibilite.MEMBRES)
    EvenementFactory(titre="Déjà passé", debut=dans(-3), fin=dans(-3, 20))
    contenu = client.get("/").content.decode()
    assert "Prochains événements" in contenu
    assert "Ciné-débat coopératif" in contenu
    for absent in ("Brouillon caché", "Réservé aux membres", "Déjà passé"):
        assert absent not in contenu
    assert 'href="/agenda/"' in contenu


def test_requetes_de_l_accueil_ne_croissent_pas_avec_les_evenements(client, settings, accueil):
    settings.CACHE_PAGES = False  # the view's queries, not the page cache's (conseil_ess/cache_pages)
    EvenementFactory.create_batch(2)
    client.get("/")
    with CaptureQueriesContext(connection) as peu:
        client.get("/")
    EvenementFactory.create_batch(40)
    with CaptureQueriesContext(connection) as beaucoup:
        client.get("/")
    assert len(beaucoup) == len(peu)


def test_listes_prochains_evenements_et_chiffres_en_un_aller_retour(client, settings, accueil):
    """The home page reads its three lists, its next events and the proposals' figures together
    (``lire_ensemble``): one query on PostgreSQL for the five (one each on SQLite)."""
    from conseil_ess.propositions import statistiques

    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = True  # the menu and the footer kept: the page's own queries only
    EvenementFactory(titre="Ciné-débat coopératif", debut=dans(3))
    client.get("/")  # the figures' query is written at its first use
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get("/")
    lot = [r["sql"] for r in requetes if "evenements_evenement" in r["sql"]]
    assert len(lot) == 1
    if connection.vendor == "postgresql":
        for table in ("home_newspage", "home_champactionpage", "home_newsindexpage", "propositions_proposition"):
            assert table in lot[0]
    assert [e.titre for e in reponse.context["prochains_evenements"]] == ["Ciné-débat coopératif"]
    assert reponse.context["synthese"] == statistiques.synthese()
    assert "Ciné-débat coopératif" in reponse.content.decode()
