"""An organiser checks people in at the door from a phone (375 px): from the event's page to its check-in list,
a tick without reloading the page, then a QR code opened by the phone's camera."""

import pytest
from playwright.sync_api import expect

from conseil_ess.comptes.models import Adhesion
from evenements import inscrits
from evenements.models import Evenement, Inscription
from tests.conftest import creer_utilisateur
from tests.e2e.actions import se_connecter
from tests.evenements.fabriques import EvenementFactory
from tests.factories import AdhesionFactory, StructureFactory, UserFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_emargement_depuis_un_telephone(nouvelle_navigation):
    organisatrice = creer_utilisateur("acteur", email="orga@example.org")
    structure = StructureFactory()
    AdhesionFactory(structure=structure, user=organisatrice, statut=Adhesion.Statut.ACCEPTEE)
    evenement = EvenementFactory(
        titre="Forum des communs", slug="forum", inscription_sur_plateforme=True, capacite=10, structures=[structure]
    )
    # Written directly: the services notify through the channel layer, which the test's thread cannot reach.
    anna, bruno = (
        Inscription.objects.create(
            evenement=evenement, user=UserFactory(first_name=p, last_name=n), statut=Inscription.Statut.CONFIRMEE
        )
        for p, n in (("Anna", "Arnaud"), ("Bruno", "Bastide"))
    )
    Evenement.objects.filter(pk=evenement.pk).update(nb_confirmes=2)
    navigation = nouvelle_navigation(largeur=375)
    page = navigation.page
    se_connecter(navigation, "orga@example.org")

    navigation.aller(evenement.get_absolute_url())
    navigation.cliquer(page.get_by_role("link", name="Inscrit·e·s, message et émargement"))
    expect(page.locator(".compteurs-inscrits")).to_contain_text("2 sur 10")
    navigation.cliquer(page.get_by_role("link", name="Émargement à l'accueil"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    adresse = page.url

    # With JavaScript: the row changes, the count too, the page stays.
    page.locator(f"#personne-{anna.pk} button").click()
    expect(page.locator(f"#personne-{anna.pk}")).to_contain_text("Présent·e (")
    expect(page.locator("[data-presents]")).to_have_text("1")
    expect(page.locator("#annonce-emargement")).to_contain_text("Anna Arnaud : présent·e.")
    assert page.url == adresse
    navigation.auditer()

    # The QR code of Bruno's e-mail, opened by the phone's camera.
    navigation.aller(inscrits.url_scan(bruno))
    expect(page.get_by_text("Bruno Bastide")).to_be_visible()
    navigation.cliquer(page.get_by_role("button", name="Confirmer la présence"))
    expect(page.locator(".scan-resultat")).to_contain_text("Bruno Bastide : présent·e.")
    assert inscrits.compteurs(evenement)["presents"] == 2
