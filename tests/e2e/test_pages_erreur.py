"""The error pages in Chromium: an unknown address, the back office opened by an élue, each audited by axe."""

import pytest
from playwright.sync_api import expect

from tests.conftest import creer_utilisateur
from tests.e2e.actions import se_connecter_avec_mfa

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_page_introuvable_puis_administration_refusee_sans_boucle(navigation):
    page = navigation.page
    reponse = navigation.aller("/nulle-part/")
    assert reponse.status == 404
    expect(page.locator("h1")).to_have_text("Cette page est introuvable")
    page.get_by_label("Rechercher sur le site").last.fill("agenda")

    # An élue (two-factor set up) opens /admin/: one page saying the back office is the secrétariat's,
    # no bouncing between /admin/ and the login page.
    elue = creer_utilisateur("elu")
    se_connecter_avec_mfa(navigation, elue)
    reponse = navigation.aller("/admin/")
    assert reponse.status == 403
    assert page.url == navigation.url("/admin/")
    expect(page.locator("h1")).to_have_text("L'administration est réservée au secrétariat du Conseil")
    navigation.cliquer(page.get_by_role("link", name="Aller à Mon espace"))
    assert page.url == navigation.url("/mon-espace/")
