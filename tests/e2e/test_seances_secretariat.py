"""Browser journey of the secrétariat's back office for séances (Wagtail admin), every page audited by axe:
create a séance (a refusal shown next to its field first), build and publish its agenda, check a member
in from the list, show the room's QR code, then, once the séance is over, generate and publish the minutes
that the public reads on the printable page and the séance's page, at 320 px too."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conseil_ess.seances import services
from conseil_ess.seances.models import Emargement, ProcesVerbal, Seance
from tests.conftest import creer_utilisateur
from tests.seances.fabriques import membre_en_exercice

from .actions import erreur_du_champ, se_connecter_avec_mfa

pytestmark = [pytest.mark.navigateur, pytest.mark.dates, pytest.mark.django_db(transaction=True)]


def test_le_secretariat_prepare_une_seance_puis_publie_son_proces_verbal(nouvelle_navigation):
    agent = creer_utilisateur("agent")
    membre = membre_en_exercice(first_name="Alice", last_name="Martin")

    s = nouvelle_navigation()
    page = s.page
    se_connecter_avec_mfa(s, agent)
    s.aller("/admin/")
    s.cliquer(page.get_by_role("link", name="Séances", exact=True).first)
    expect(page.locator("h1")).to_contain_text("Séances plénières")
    s.cliquer(page.get_by_role("link", name="Nouvelle séance"))

    # An exceptional séance without its reason: refused next to the field, what was typed kept.
    page.locator("#id_titre").fill("Séance plénière d'essai")
    page.locator("#id_nature").select_option("exceptionnelle")
    jour = timezone.localdate() + datetime.timedelta(days=30)
    page.locator("#id_debut").fill(f"{jour.isoformat()}T17:00")
    page.locator("#id_fin").fill(f"{jour.isoformat()}T20:00")
    s.cliquer(page.get_by_role("button", name="Créer la séance"))
    assert "motif de la séance exceptionnelle" in erreur_du_champ(page, "id_motif_exceptionnelle")
    expect(page.locator("#id_titre")).to_have_value("Séance plénière d'essai")
    page.locator("#id_motif_exceptionnelle").fill("Fermeture d'une entreprise d'insertion.")
    s.cliquer(page.get_by_role("button", name="Créer la séance"))
    expect(page.locator(".messages")).to_contain_text("créée")
    seance = Seance.objects.get()

    # The agenda: an information item, then a free question put to a show of hands.
    page.locator("#id_point-titre").fill("Accueil")
    s.cliquer(page.get_by_role("button", name="Ajouter le point"))
    page.locator("#id_point-titre").fill("Motion de soutien")
    page.locator("#id_point-type_1").check()
    page.locator("#id_point-objet").select_option("question")
    page.locator("#id_point-saisie_manuelle").check()
    s.cliquer(page.get_by_role("button", name="Ajouter le point"))
    expect(page.locator(".ordre-du-jour li")).to_have_count(2)
    s.cliquer(page.get_by_role("button", name="Publier l'ordre du jour"))
    expect(page.locator(".messages")).to_contain_text("Ordre du jour publié")

    # Check-in from the list, then the room's QR code.
    s.cliquer(page.get_by_role("link", name="Ouvrir l'émargement"))
    ligne = page.locator("tbody tr", has_text="Alice Martin")
    s.cliquer(ligne.get_by_role("button", name="Émarger"))
    expect(page.locator("#compte-emargements")).to_contain_text("1 membre émargé.")
    assert Emargement.objects.filter(seance=seance, user=membre, mode="liste").exists()
    s.cliquer(page.get_by_role("link", name="Afficher le QR code de la salle"))
    expect(page.locator(".qr-emargement svg")).to_be_visible()
    expect(page.locator(".qr-emargement")).to_contain_text(f"/seances/{seance.slug}/emarger/")

    # After the séance (driven on the live page): the minutes.
    point = seance.points.get(titre="Motion de soutien")
    services.saisir_resultat_manuel(point.scrutin, agent, pour=1, contre=0, abstention=0)
    services.terminer_seance(seance, agent)
    s.aller(f"/admin/seances/{seance.pk}/proces-verbal/")
    s.cliquer(page.get_by_role("button", name="Générer le brouillon"))
    expect(page.locator("#statut-pv")).to_contain_text("Brouillon")
    texte = page.locator("#id_pv-contenu")
    expect(texte).to_have_value(re.compile("Motion de soutien"))
    texte.fill(texte.input_value() + "<p>Séance levée à 20 heures.</p>")
    s.cliquer(page.get_by_role("button", name="Enregistrer le texte"))
    s.cliquer(page.get_by_role("button", name="Publier le procès-verbal"))
    expect(page.locator("#statut-pv")).to_contain_text("Publié")
    assert ProcesVerbal.objects.get().est_publie

    # The public reads it on the séance's page and the printable page, at 320 px too.
    for largeur in (1280, 320):
        public = nouvelle_navigation(largeur=largeur)
        public.aller(seance.get_absolute_url())
        section = public.page.locator("#proces-verbal")
        expect(section).to_contain_text("a été publié")
        public.cliquer(section.get_by_role("link", name="Lire le procès-verbal"))
        expect(public.page.locator("h1")).to_contain_text("Procès-verbal")
        expect(public.page.locator(".proces-verbal__corps")).to_contain_text("Séance levée à 20 heures.")
        largeur_document = public.page.evaluate("document.documentElement.scrollWidth")
        assert largeur_document <= largeur, largeur_document
        pdf = public.page.request.get(public.url(f"/seances/{seance.slug}/proces-verbal.pdf"))
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
