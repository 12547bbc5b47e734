"""The feed views: who sees what, HTTP headers, conditional GET (ETag, Last-Modified), flat query counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from evenements import feeds, ical
from evenements.models import Evenement, Inscription
from tests.evenements.fixtures_ical import (
    analyser,
    creer_en_masse,
    creer_evenement,
    creer_lieu,
    creer_programme,
    paris,
    vevents,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evenements.urls_flux"), pytest.mark.dates]
P = Evenement.Publication
V = Evenement.Visibilite
# Aggregates (2), the events, their three prefetches, the programme: whatever the number of events.
REQUETES_MAX = 7


def url_programme(programme):
    return f"/agenda/programmes/{programme.slug}.ics"


@pytest.fixture
def programme():
    return creer_programme()


# --- Responses -------------------------------------------------------------------------------------


def test_en_tetes_de_la_reponse(client, programme):
    creer_evenement(programme=programme)
    reponse = client.get(url_programme(programme))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    assert reponse["Content-Disposition"] == f'inline; filename="{programme.slug}.ics"'
    assert reponse["ETag"].startswith('"')
    assert reponse["Last-Modified"]
    cal = analyser(reponse.content)
    assert str(cal["X-WR-CALNAME"]) == programme.titre


def test_liens_construits_sur_l_adresse_de_la_requete(client, programme):
    evenement = creer_evenement(programme=programme)
    reponse = client.get(url_programme(programme), HTTP_HOST="localhost")
    (vevent,) = analyser(reponse.content).walk("VEVENT")
    assert str(vevent["URL"]) == f"http://localhost/agenda/{evenement.slug}/"
    assert str(vevent["DESCRIPTION"]).endswith(f"http://localhost/agenda/{evenement.slug}/")


def test_deux_requetes_donnent_les_memes_octets(client, programme):
    creer_evenement(programme=programme, lieu=creer_lieu())
    creer_evenement(programme=programme, statut=Evenement.Statut.ANNULE)
    premiere, seconde = client.get(url_programme(programme)), client.get(url_programme(programme))
    assert premiere.content == seconde.content
    assert premiere["ETag"] == seconde["ETag"]


# --- Which events ----------------------------------------------------------------------------------


def test_flux_programme_publie_public_annules_compris(client, programme):
    publie = creer_evenement(programme=programme)
    annule = creer_evenement(programme=programme, statut=Evenement.Statut.ANNULE, motif_statut="Salle indisponible")
    brouillon = creer_evenement(programme=programme, publication=P.BROUILLON)
    a_moderer = creer_evenement(programme=programme, publication=P.A_MODERER)
    reserve = creer_evenement(programme=programme, visibilite=V.MEMBRES)
    ailleurs = creer_evenement(programme=creer_programme())
    sans_programme = creer_evenement()
    evenements = vevents(analyser(client.get(url_programme(programme)).content))
    assert set(evenements) == {publie.uid, annule.uid}
    assert str(evenements[annule.uid]["STATUS"]) == "CANCELLED"
    assert not {brouillon.uid, a_moderer.uid, reserve.uid, ailleurs.uid, sans_programme.uid} & set(evenements)


def test_flux_programme_inconnu_404(client):
    assert client.get("/agenda/programmes/inconnu.ics").status_code == 404


def test_flux_evenement(client):
    evenement = creer_evenement()
    reponse = client.get(f"/agenda/{evenement.slug}.ics")
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == f'inline; filename="{evenement.slug}.ics"'
    assert list(vevents(analyser(reponse.content))) == [evenement.uid]


def test_flux_evenement_annule_reste_disponible(client):
    evenement = creer_evenement(statut=Evenement.Statut.ANNULE)
    (vevent,) = analyser(client.get(f"/agenda/{evenement.slug}.ics").content).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("publication", [P.BROUILLON, P.A_MODERER, P.MODIFICATIONS, P.REFUSE])
def test_flux_evenement_non_publie_404(client, publication):
    evenement = creer_evenement(publication=publication)
    assert client.get(f"/agenda/{evenement.slug}.ics").status_code == 404


def test_flux_evenement_inconnu_404(client):
    assert client.get("/agenda/inconnu.ics").status_code == 404


def test_flux_evenement_reserve_aux_membres(client):
    evenement = creer_evenement(visibilite=V.MEMBRES)
    assert client.get(f"/agenda/{evenement.slug}.ics").status_code == 404
    client.force_login(UserFactory())
    reponse = client.get(f"/agenda/{evenement.slug}.ics")
    assert reponse.status_code == 200
    assert "private" in reponse["Cache-Control"]


def test_methodes_autres_que_get_refusees(client):
    evenement = creer_evenement()
    assert client.post(f"/agenda/{evenement.slug}.ics").status_code == 405
    assert client.head(f"/agenda/{evenement.slug}.ics").status_code == 200


# --- Personal feed ---------------------------------------------------------------------------------


def inscrire(user, evenement, statut=Inscription.Statut.CONFIRMEE):
    return Inscription.objects.create(user=user, evenement=evenement, statut=statut)


def test_flux_personnel(client):
    moi, autre = UserFactory(), UserFactory()
    confirme, attente, annulee = creer_evenement(), creer_evenement(), creer_evenement()
    reserve = creer_evenement(visibilite=V.MEMBRES)
    evenement_annule = creer_evenement(statut=Evenement.Statut.ANNULE)
    retire = creer_evenement()
    celui_d_autrui = creer_evenement()
    inscrire(moi, confirme)
    inscrire(moi, attente, Inscription.Statut.ATTENTE)
    inscrire(moi, annulee, Inscription.Statut.ANNULEE)
    inscrire(moi, reserve)
    inscrire(moi, evenement_annule)
    inscrire(moi, retire)
    Evenement.objects.filter(pk=retire.pk).update(publication=P.BROUILLON)
    inscrire(autre, celui_d_autrui)
    reponse = client.get(f"/agenda/perso/{moi.jeton_agenda}.ics")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in reponse["Cache-Control"]
    evenements = vevents(analyser(reponse.content))
    assert set(evenements) == {confirme.uid, attente.uid, reserve.uid, evenement_annule.uid}
    assert str(evenements[evenement_annule.uid]["STATUS"]) == "CANCELLED"


def test_flux_personnel_jeton_inconnu_404(client):
    UserFactory()
    assert client.get("/agenda/perso/jeton-inconnu-0123456789abcdefghijklmnopqrstuvw.ics").status_code == 404


def test_flux_personnel_compte_desactive_404(client):
    user = UserFactory()
    user.is_active = False
    user.save()
    assert client.get(f"/agenda/perso/{user.jeton_agenda}.ics").status_code == 404


def test_flux_personnel_change_quand_une_inscription_est_annulee(client):
    user = UserFactory()
    inscription = inscrire(user, creer_evenement())
    url = f"/agenda/perso/{user.jeton_agenda}.ics"
    avant = client.get(url)
    plus_tard = inscription.evenement.modifie_le + datetime.timedelta(seconds=5)
    with time_machine.travel(plus_tard):
        inscription.statut = Inscription.Statut.ANNULEE
        inscription.annulee_le = plus_tard
        inscription.save()
    apres = client.get(url, HTTP_IF_NONE_MATCH=avant["ETag"])
    assert apres.status_code == 200
    assert not analyser(apres.content).walk("VEVENT")
    # The event did not change: the registration's date moves Last-Modified for If-Modified-Since clients.
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=avant["Last-Modified"]).status_code == 200


# --- Conditional GET -------------------------------------------------------------------------------


def test_if_none_match_donne_304_sans_construire_le_flux(client, programme, monkeypatch,
                                                          django_assert_max_num_queries):
    creer_evenement(programme=programme)
    premiere = client.get(url_programme(programme))

    def interdit(*args, **kwargs):
        raise AssertionError("the feed was built for a 304")

    monkeypatch.setattr(ical, "construire_calendrier", interdit)
    with django_assert_max_num_queries(3):  # the programme and the two aggregates
        seconde = client.get(url_programme(programme), HTTP_IF_NONE_MATCH=premiere["ETag"])
    assert seconde.status_code == 304
    assert seconde.content == b""
    assert seconde["ETag"] == premiere["ETag"]


def test_if_modified_since_donne_304(client, programme):
    creer_evenement(programme=programme)
    premiere = client.get(url_programme(programme))
    seconde = client.get(url_programme(programme), HTTP_IF_MODIFIED_SINCE=premiere["Last-Modified"])
    assert seconde.status_code == 304


def test_etag_change_apres_modification(client, programme):
    evenement = creer_evenement(programme=programme)
    premiere = client.get(url_programme(programme))
    with time_machine.travel(evenement.modifie_le + datetime.timedelta(seconds=5)):
        evenement.debut, evenement.fin = paris(2026, 3, 28, 19), paris(2026, 3, 28, 21)
        evenement.save()
    apres_etag = client.get(url_programme(programme), HTTP_IF_NONE_MATCH=premiere["ETag"])
    assert apres_etag.status_code == 200
    assert apres_etag["ETag"] != premiere["ETag"]
    (vevent,) = analyser(apres_etag.content).walk("VEVENT")
    assert vevent["SEQUENCE"] == 1
    apres_date = client.get(url_programme(programme), HTTP_IF_MODIFIED_SINCE=premiere["Last-Modified"])
    assert apres_date.status_code == 200


def test_renommer_le_lieu_change_le_flux(client, programme):
    """LOCATION comes from the venue: renaming it must not leave calendar apps with a stale copy."""
    lieu = creer_lieu()
    evenement = creer_evenement(programme=programme, lieu=lieu)
    premiere = client.get(url_programme(programme))
    with time_machine.travel(evenement.modifie_le + datetime.timedelta(seconds=5)):
        lieu.nom = "Halle aux Grains – grande salle"
        lieu.save()
    apres_etag = client.get(url_programme(programme), HTTP_IF_NONE_MATCH=premiere["ETag"])
    assert apres_etag.status_code == 200
    assert "grande salle" in str(analyser(apres_etag.content).walk("VEVENT")[0]["LOCATION"])
    apres_date = client.get(url_programme(programme), HTTP_IF_MODIFIED_SINCE=premiere["Last-Modified"])
    assert apres_date.status_code == 200


def test_etag_change_quand_un_evenement_quitte_le_flux(client, programme):
    gardes = creer_evenement(programme=programme)
    retire = creer_evenement(programme=programme)
    premiere = client.get(url_programme(programme))
    with time_machine.travel(gardes.modifie_le + datetime.timedelta(seconds=5)):
        retire.publication = P.BROUILLON
        retire.save()
    seconde = client.get(url_programme(programme), HTTP_IF_NONE_MATCH=premiere["ETag"])
    assert seconde.status_code == 200
    assert set(vevents(analyser(seconde.content))) == {gardes.uid}
    # A client that sends only If-Modified-Since sees the change too.
    troisieme = client.get(url_programme(programme), HTTP_IF_MODIFIED_SINCE=premiere["Last-Modified"])
    assert troisieme.status_code == 200


def test_etag_distinct_par_flux_et_par_hote(client, programme):
    creer_evenement(programme=programme)
    autre = creer_programme()
    creer_evenement(programme=autre)
    assert client.get(url_programme(programme))["ETag"] != client.get(url_programme(autre))["ETag"]
    assert client.get(url_programme(programme))["ETag"] != client.get(url_programme(programme),
                                                                       HTTP_HOST="localhost")["ETag"]


def test_last_modified_est_la_derniere_modification(client, programme):
    evenement = creer_evenement(programme=programme)
    assert client.get(url_programme(programme))["Last-Modified"] == http_date(evenement.modifie_le.timestamp())


def test_flux_vide(client, programme):
    reponse = client.get(url_programme(programme))
    assert reponse.status_code == 200
    cal = analyser(reponse.content)
    assert not cal.walk("VEVENT")
    assert len(cal.walk("VTIMEZONE")) == 1


# --- Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", [10, 500])
def test_nombre_de_requetes_constant(client, settings, programme, nombre, django_assert_max_num_queries):
    settings.CACHE_PAGES = False  # the view's own queries, not the page cache's (conseil_ess/cache_pages)
    creer_en_masse(nombre, programme=programme, lieu=creer_lieu())
    with django_assert_max_num_queries(REQUETES_MAX):
        reponse = client.get(url_programme(programme))
    assert len(analyser(reponse.content).walk("VEVENT")) == nombre


def test_meme_nombre_de_requetes_pour_10_et_500_evenements(client):
    comptes = []
    for nombre in (10, 500):
        programme = creer_programme()
        creer_en_masse(nombre, programme=programme, lieu=creer_lieu())
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(url_programme(programme)).status_code == 200
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1]


def test_flux_personnel_nombre_de_requetes_constant(client, django_assert_max_num_queries):
    user = UserFactory()
    for evenement in creer_en_masse(200, lieu=creer_lieu()):
        inscrire(user, evenement)
    # + the person, their role groups (visibility of reserved meetings) and the date their ateliers changed.
    with django_assert_max_num_queries(REQUETES_MAX + 3):
        reponse = client.get(f"/agenda/perso/{user.jeton_agenda}.ics")
    assert len(analyser(reponse.content).walk("VEVENT")) == 200


# --- The helper, for other feeds (the filtered agenda) -------------------------------------------


def test_reponse_ics_et_flux_agenda_depuis_queryset(rf):
    publie = creer_evenement()
    creer_evenement(visibilite=V.MEMBRES)
    creer_evenement(publication=P.BROUILLON)
    requete = rf.get("/agenda.ics?commune=lanvallon")
    reponse = feeds.flux_agenda_depuis_queryset(requete, Evenement.objects.all(), "Agenda filtré")
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == 'inline; filename="agenda.ics"'
    cal = analyser(reponse.content)
    assert str(cal["X-WR-CALNAME"]) == "Agenda filtré"
    assert list(vevents(cal)) == [publie.uid]
    direct = feeds.reponse_ics(rf.get("/agenda.ics"), Evenement.objects.filter(pk=publie.pk), nom="Agenda filtré",
                               nom_fichier="agenda.ics")
    assert direct.content == reponse.content
