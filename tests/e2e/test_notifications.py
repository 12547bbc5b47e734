"""Journey of two people: a join request accepted by a referent reaches the asker's open page live."""

import pytest
from playwright.sync_api import expect

from conseil_ess.comptes.models import Adhesion
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, StructureFactory

from .actions import se_connecter, soumettre

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def ouvrir_mon_espace(navigation):
    """Open the personal space, wait for its notification socket, and mark the document."""
    navigation.aller("/mon-espace/")
    section = navigation.page.locator("#notifications")
    expect(section).to_have_attribute("data-ws-etat", "ouvert")
    expect(section.locator("[data-etat-connexion]")).to_have_text("Notifications en direct activées.")
    # Survives only as long as this very document: a reload would drop it.
    navigation.page.evaluate("window.__marqueur = 1")
    return section.locator("[data-notifications-liste]")


def pas_recharge(navigation):
    return navigation.page.evaluate("window.__marqueur") == 1


def test_adhesion_acceptee_notifiee_en_direct(nouvelle_navigation):
    acteur = creer_utilisateur("acteur", nom_affiche="Sacha de l'Atelier Vélo")
    referente = creer_utilisateur("acteur", nom_affiche="Inès Référente")
    structure = StructureFactory(nom="Coopérative du Quai")
    AdhesionFactory(user=referente, structure=structure, role=Adhesion.Role.REFERENT)

    a, b = nouvelle_navigation(), nouvelle_navigation()
    se_connecter(a, acteur.email)
    se_connecter(b, referente.email)
    liste_a = ouvrir_mon_espace(a)
    expect(liste_a).to_contain_text("Aucune notification pour l'instant.")
    liste_b = ouvrir_mon_espace(b)

    # A asks to join, from another tab; the referent's open page hears of it at once.
    onglet = a.nouvel_onglet()
    onglet.aller(f"/structures/{structure.slug}/")
    onglet.page.get_by_label("Message aux référent·e·s").fill("Nous réparons des vélos sur le quai.")
    soumettre(onglet, "Demander à rejoindre")
    expect(onglet.page.locator(".messages")).to_contain_text("Votre demande a été transmise")
    expect(liste_b.locator("li").first).to_contain_text(
        "Sacha de l'Atelier Vélo demande à rejoindre « Coopérative du Quai »")
    assert pas_recharge(b)
    b.auditer()

    # B answers from the personal space.
    b.aller("/mon-espace/")
    expect(b.page.locator("#demandes")).to_contain_text("Nous réparons des vélos sur le quai.")
    soumettre(b, "Accepter Sacha de l'Atelier Vélo")
    expect(b.page.locator(".messages")).to_contain_text("Votre réponse a été enregistrée et transmise.")
    assert Adhesion.objects.get(user=acteur, structure=structure).statut == Adhesion.Statut.ACCEPTEE

    # A's first tab shows the answer without being reloaded.
    nouvelle = liste_a.locator("li").first
    expect(nouvelle).to_contain_text("Votre demande pour rejoindre « Coopérative du Quai » a été acceptée")
    expect(nouvelle.get_by_role("link")).to_have_attribute("href", f"/structures/{structure.slug}/")
    expect(liste_a).not_to_contain_text("Aucune notification pour l'instant.")
    # The unread badge of the header appears live too.
    expect(a.page.locator("[data-notifications-compteur]")).to_be_visible()
    expect(a.page.locator("[data-notifications-compteur]")).to_contain_text("1")
    assert pas_recharge(a)
    a.auditer()
