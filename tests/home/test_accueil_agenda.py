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
