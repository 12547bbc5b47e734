"""Agenda › Importer in the Wagtail admin: upload, preview with every error, confirmation, template download."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evenements.importation import COLONNES
from evenements.models import Evenement
from tests.conftest import creer_utilisateur
from tests.factories import CommuneFactory

from .fabriques import ProgrammeFactory, dans

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
IMPORT = reverse("evenements_import:index")
MODELE = reverse("evenements_import:modele")


def csv_de_test():
    j = dans(20).date()
    return (
        "identifiant_externe;titre;debut;fin;commune\r\n"
        f"x1;Ciné-débat;{j:%d/%m/%Y} 18:30;{j:%d/%m/%Y} 21:00;Rivebelle\r\n"
        f"x2;Commune inconnue;{j:%Y-%m-%d} 10:00;{j:%Y-%m-%d} 12:00;Atlantide\r\n"
    ).encode()


@pytest.fixture
def client_agent(client, agent):
    CommuneFactory(nom="Rivebelle", slug="rivebelle")
    client.force_login(agent)
    return client


def test_apercu_puis_import_des_lignes_valides(client_agent):
    reponse = client_agent.post(IMPORT, {"fichier": SimpleUploadedFile("mois.csv", csv_de_test())})
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Aperçu de « mois.csv »" in html and "Ciné-débat" in html
    assert "Commune inconnue « Atlantide »" in html and "<td>3</td><td>commune</td>" in html
    assert "Importer 1 événement" in html
    assert not Evenement.objects.exists()
    reponse = client_agent.post(IMPORT, {"confirmer": "1"})
    assert reponse.status_code == 302 and reponse.url == reverse("evenements_moderation:index")
    evenement = Evenement.objects.get()
    assert evenement.identifiant_externe == "x1" and evenement.publication == Evenement.Publication.A_MODERER
    # The preview is spent: confirming again imports nothing and says so.
    reponse = client_agent.post(IMPORT, {"confirmer": "1"}, follow=True)
    assert "aperçu a expiré" in reponse.content.decode() and Evenement.objects.count() == 1


def test_publier_dans_un_programme(client_agent):
    programme = ProgrammeFactory(date_debut=dans(1).date(), date_fin=dans(40).date())
    client_agent.post(IMPORT, {"fichier": SimpleUploadedFile("mois.csv", csv_de_test()),
                               "programme": programme.pk, "publier": "on"})
    client_agent.post(IMPORT, {"confirmer": "1"})
    evenement = Evenement.objects.get()
    assert evenement.programme == programme and evenement.publication == Evenement.Publication.PUBLIE


def test_fichier_hostile_message_francais_sous_le_champ(client_agent, settings):
    reponse = client_agent.post(IMPORT, {"fichier": SimpleUploadedFile("x.csv", b"PK\x03\x04zzzz")})
    assert reponse.status_code == 200 and "archive ZIP" in reponse.content.decode()
    settings.IMPORT_EVENEMENTS_TAILLE_MAX = 10
    reponse = client_agent.post(IMPORT, {"fichier": SimpleUploadedFile("x.csv", csv_de_test())})
    assert reponse.status_code == 200 and "la limite est de" in reponse.content.decode()
    assert not Evenement.objects.exists()


def test_modele_csv_et_menu(client_agent):
    reponse = client_agent.get(MODELE)
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/csv")
    assert reponse.content.decode("utf-8-sig").split("\r\n")[0] == ";".join(COLONNES)
    page = client_agent.get(IMPORT).content.decode()
    assert MODELE in page and IMPORT in client_agent.get(reverse("wagtailadmin_home")).content.decode()


def test_coordinatrice_avec_le_droit_de_moderation(client):
    coordinatrice = creer_utilisateur("acteur")
    coordinatrice.user_permissions.add(*Permission.objects.filter(
        codename__in=["moderer_evenement", "access_admin", "view_evenement"]))
    client.force_login(coordinatrice)
    from tests.conftest import activer_mfa
    activer_mfa(coordinatrice)
    client.force_login(coordinatrice)
    assert client.get(IMPORT).status_code in (200, 302)


@pytest.mark.parametrize("role", ["acteur", "membre", "elu"])
def test_refuse_sans_le_droit(client, role):
    client.force_login(creer_utilisateur(role))
    assert client.get(IMPORT).status_code in (302, 403)
    assert client.post(IMPORT, {"confirmer": "1"}).status_code in (302, 403)
    assert client.get(MODELE).status_code in (302, 403)
