"""The agenda on a phone (375 px): the first event comes right after the folded « Filtrer »; filtering
names the active filters, and the « Mois » link keeps them."""

import pytest
from playwright.sync_api import expect

from tests.evenements.fabriques import EvenementFactory, dans

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_agenda_sur_un_telephone(nouvelle_navigation):
    for i in range(4):
        EvenementFactory(titre=f"Rencontre {i}", type="forum", debut=dans(3 + i))
    EvenementFactory(titre="Conférence des communs", type="conference", debut=dans(5))
    navigation = nouvelle_navigation(largeur=375)
    page = navigation.page

    navigation.aller("/agenda/")
    premier = page.locator(".liste-evenements > li").first
    expect(premier).to_be_visible()
    # Folded filters: the first event is within the first screen, not ~2,500 px down.
    assert premier.bounding_box()["y"] < 700, premier.bounding_box()
    expect(page.locator("#id_type")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.locator("summary", has_text="Filtrer").click()
    page.locator("#id_type").select_option("conference")
    navigation.cliquer(page.get_by_role("button", name="Filtrer", exact=True))
    expect(page.locator("summary")).to_contain_text("1 filtre actif : Type : Conférence")
    expect(page.locator(".liste-evenements > li")).to_have_count(1)

    # The month view keeps the filter.
    navigation.cliquer(page.get_by_role("navigation", name="Affichage de l’agenda").get_by_role("link", name="Mois"))
    assert "type=conference" in page.url
    expect(page.locator("summary")).to_contain_text("Type : Conférence")
