"""Browser journey of the bulk import (Wagtail admin, every page audited by axe): a moderator uploads a CSV,
reads the preview (one row to create, one error with its line, column and reason), imports the valid row,
finds it in the moderation queue, then opens the programme's report (bilan) and the embeddable agenda."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evenements.models import Evenement
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import ProgrammeFactory
from tests.factories import CommuneFactory

from .actions import se_connecter_avec_mfa

pytestmark = [pytest.mark.navigateur, pytest.mark.dates, pytest.mark.django_db(transaction=True)]


def test_la_moderation_importe_un_fichier_apres_l_apercu(nouvelle_navigation):
    agent = creer_utilisateur("agent")
    CommuneFactory(nom="Rivebelle", slug="rivebelle")
    jour = timezone.localdate() + datetime.timedelta(days=20)
    programme = ProgrammeFactory(titre="Mois de l'ESS d'essai", date_debut=jour - datetime.timedelta(days=5),
                                 date_fin=jour + datetime.timedelta(days=5))
    contenu = (
        "identifiant_externe;titre;debut;fin;commune\r\n"
        f"n1;Ciné-débat « Les communs »;{jour:%d/%m/%Y} 18:30;{jour:%d/%m/%Y} 21:00;Rivebelle\r\n"
        f"n2;Visite;{jour:%d/%m/%Y} 10:00;{jour:%d/%m/%Y} 09:00;Rivebelle\r\n"
    ).encode()

    s = nouvelle_navigation()
    page = s.page
    se_connecter_avec_mfa(s, agent)
    s.aller("/admin/agenda/importer/")
    expect(page.locator("h1")).to_contain_text("Importer des événements")
    page.locator("#id_fichier").set_input_files({"name": "mois.csv", "mimeType": "text/csv", "buffer": contenu})
    page.locator("#id_programme").select_option(str(programme.pk))
    s.cliquer(page.get_by_role("button", name="Voir l'aperçu"))
    erreurs = page.locator("table", has_text="Raison")
    expect(erreurs.locator("tbody tr")).to_have_count(1)
    expect(erreurs).to_contain_text("La fin est avant le début")
    expect(page.locator("table", has_text="Ce qui sera fait")).to_contain_text("À créer")
    assert not Evenement.objects.exists()
    s.cliquer(page.get_by_role("button", name="Importer 1 événement"))
    expect(page.locator(".messages")).to_contain_text("1 événement(s) créé(s)")
    expect(page.locator("main")).to_contain_text("Ciné-débat « Les communs »")
    assert Evenement.objects.get().publication == Evenement.Publication.A_MODERER

    s.aller(f"/admin/agenda/programmes/bilan/{programme.pk}/")
    expect(page.locator("main svg").first).to_be_visible()
    s.aller("/agenda/integrer/")
    expect(page.locator("main")).to_contain_text("Agenda de l'ESS")
