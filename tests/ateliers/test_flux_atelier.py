"""/ateliers/<slug>.ics: the atelier's published public meetings (cancelled ones kept), through the
agenda's one builder; headers, conditional GET, flat query counts."""

import pytest
from django.urls import reverse

from ateliers import services
from evenements import ical
from evenements.models import Evenement
from tests.conftest import creer_utilisateur
from tests.evenements.fixtures_ical import analyser, vevents

from .fabriques import AtelierFactory, ParticipationFactory, creer_reunion, creer_reunion_directe

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
V = Evenement.Visibilite


def url(atelier):
    return reverse("ateliers:ics", args=[atelier.slug])


@pytest.fixture
def atelier():
    return AtelierFactory(titre="Territoire zéro déchet", slug="zero-dechet", resume="Réemploi et réparation.")


def test_adresse_du_flux():
    assert url(AtelierFactory(slug="commerce-equitable")) == "/ateliers/commerce-equitable.ics"


def test_reunions_publiques_seulement_annulees_comprises(client, atelier):
    publique = creer_reunion(atelier, jours=10)
    passee = creer_reunion_directe(atelier, jours=-20)
    annulee = creer_reunion(atelier, jours=30)
    services.annuler_reunion(annulee, creer_utilisateur("agent"), "Salle indisponible")
    reservee = creer_reunion(atelier, jours=15, visibilite=V.MEMBRES)
    brouillon = creer_reunion(atelier, jours=40)
    Evenement.objects.filter(pk=brouillon.evenement.pk).update(publication=Evenement.Publication.BROUILLON)
    autre = creer_reunion(AtelierFactory(), jours=12)
    hors_atelier = Evenement.objects.create(
        titre="Conférence", slug="conference", debut=publique.evenement.debut, fin=publique.evenement.fin,
        publication=Evenement.Publication.PUBLIE,
    )

    evenements = vevents(analyser(client.get(url(atelier)).content))
    assert set(evenements) == {publique.evenement.uid, passee.evenement.uid, annulee.evenement.uid}
    assert str(evenements[annulee.evenement.uid]["STATUS"]) == "CANCELLED"
    for absent in (reservee.evenement, brouillon.evenement, autre.evenement, hors_atelier):
        assert absent.uid not in evenements
    # The event's URL leads back to its page in the agenda.
    assert str(evenements[publique.evenement.uid]["URL"]).endswith(publique.evenement.get_absolute_url())


def test_en_tetes_et_nom_du_calendrier(client, atelier):
    creer_reunion(atelier)
    reponse = client.get(url(atelier))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    assert reponse["Content-Disposition"] == 'inline; filename="zero-dechet.ics"'
    assert reponse["ETag"] and reponse["Last-Modified"]
    calendrier = analyser(reponse.content)
    assert str(calendrier["X-WR-CALNAME"]) == "Territoire zéro déchet"
    assert "METHOD" not in calendrier


def test_meme_contenu_pour_un_membre(client, atelier):
    """The feed is a public address: a member logged in gets the same public meetings, never the reserved ones."""
    creer_reunion(atelier, jours=5)
    reservee = creer_reunion(atelier, jours=6, visibilite=V.MEMBRES)
    anonyme = client.get(url(atelier)).content
    membre = creer_utilisateur("acteur")
    ParticipationFactory(atelier=atelier, user=membre)
    client.force_login(membre)
    contenu = client.get(url(atelier)).content
    assert reservee.evenement.uid.encode() not in contenu
    assert vevents(analyser(contenu)).keys() == vevents(analyser(anonyme)).keys()


def test_flux_vide(client, atelier):
    reponse = client.get(url(atelier))
    assert reponse.status_code == 200
    assert not analyser(reponse.content).walk("VEVENT")


def test_atelier_inconnu_404(client):
    assert client.get(reverse("ateliers:ics", args=["inconnu"])).status_code == 404


def test_methodes_autres_que_get_refusees(client, atelier):
    assert client.post(url(atelier)).status_code == 405
    assert client.head(url(atelier)).status_code == 200


def test_if_none_match_donne_304_sans_construire_le_flux(client, atelier, monkeypatch,
                                                          django_assert_max_num_queries):
    creer_reunion(atelier)
    premiere = client.get(url(atelier))

    def interdit(*args, **kwargs):
        raise AssertionError("the feed was built for a 304")

    monkeypatch.setattr(ical, "construire_calendrier", interdit)
    with django_assert_max_num_queries(3):  # the atelier and the two aggregates
        seconde = client.get(url(atelier), HTTP_IF_NONE_MATCH=premiere["ETag"])
    assert seconde.status_code == 304 and seconde.content == b""
    assert seconde["ETag"] == premiere["ETag"]


def test_etag_change_quand_une_reunion_est_deplacee_ou_annulee(client, atelier):
    reunion = creer_reunion(atelier)
    avant = client.get(url(atelier))["ETag"]
    services.annuler_reunion(reunion, creer_utilisateur("agent"), "Report")
    apres = client.get(url(atelier), HTTP_IF_NONE_MATCH=avant)
    assert apres.status_code == 200 and apres["ETag"] != avant
    (vevent,) = analyser(apres.content).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) >= 1


def test_nombre_de_requetes_constant(client, settings, atelier, django_assert_max_num_queries):
    settings.CACHE_PAGES = False  # the view's own queries, not the page cache's (conseil_ess/cache_pages)
    comptes = []
    for ajoutees, n in ((2, 2), (18, 20)):
        for i in range(ajoutees):
            creer_reunion_directe(atelier, jours=-3 - i)
        with django_assert_max_num_queries(8) as requetes:
            reponse = client.get(url(atelier))
        assert len(analyser(reponse.content).walk("VEVENT")) == n
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1], comptes
