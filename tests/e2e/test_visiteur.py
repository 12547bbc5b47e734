"""Journey of a visitor without an account: home page, a champ d'action, the search, small screens."""

import re

import pytest
from playwright.sync_api import expect

from conseil_ess.demo import chargeur
from conseil_ess.demo.donnees import brut

PAGES = brut("pages")  # the texts of the home page and of the champs hold no placeholder
CHAMPS, ACCUEIL = PAGES["champs"], PAGES["accueil"]

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

CHAMP_1, CHAMP_2 = CHAMPS[0], CHAMPS[1]
URL_CHAMP_1 = f"/champs-d-action/{CHAMP_1['slug']}/"


@pytest.fixture
def pages_demo(transactional_db):
    return chargeur.charger(avec_utilisateurs=False, seulement=["pages"])


def largeur_du_document(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_visiteur_lit_l_accueil_un_champ_d_action_et_cherche(pages_demo, navigation):
    page = navigation.page

    navigation.aller("/")
    expect(page.locator("h1")).to_have_text(ACCUEIL["accroche"])
    champs = page.locator("section", has=page.get_by_role("heading", name="Nos six champs d'action"))
    expect(champs.get_by_role("listitem")).to_have_count(6)

    # From the home page to the first champ d'action, with its leviers in order.
    navigation.cliquer(champs.get_by_role("link", name=CHAMP_1["nom_canonique"]))
    assert page.url == navigation.url(URL_CHAMP_1)
    expect(page.locator("h1")).to_have_text(CHAMP_1["nom_canonique"])
    expect(page.locator("main")).to_contain_text("Champ d'action n° 1")
    leviers = page.get_by_role("region", name="Les leviers d'action").get_by_role("listitem")
    expect(leviers).to_have_text(CHAMP_1["leviers"])

    # On to the next champ through the champ navigation.
    navigation.cliquer(page.get_by_role("link", name=re.compile(r"^Champ suivant \(2\)")))
    expect(page.locator("h1")).to_have_text(CHAMP_2["nom_canonique"])

    # The search of the header finds the champ that speaks of SCIC.
    page.get_by_role("search").first.get_by_label("Rechercher sur le site").fill("SCIC")
    navigation.cliquer(page.get_by_role("search").first.get_by_role("button", name="Rechercher"))
    assert page.url == navigation.url("/recherche/?q=SCIC")
    expect(page.get_by_role("heading", level=2)).to_have_text(re.compile(r"^\d+ résultats? pour «\u00a0SCIC\u00a0»$"))
    # Grouped by type; the filter keeps one type (its page audited too).
    types = page.get_by_role("navigation", name="Type de résultat")
    navigation.cliquer(types.get_by_role("link", name=re.compile(r"^Pages du site")))
    expect(types.locator("[aria-current=page]")).to_contain_text("Pages du site")
    expect(page.locator("ol.resultats .etiquette").first).to_have_text("Pages du site")
    resultat = page.locator("ol.resultats").get_by_role("link", name=CHAMP_2["nom_canonique"])
    navigation.cliquer(resultat)
    expect(page.locator("h1")).to_have_text(CHAMP_2["nom_canonique"])

    # A search with no match says so, and keeps the words typed.
    navigation.aller("/recherche/?q=xylophone")
    expect(page.locator("main")).to_contain_text("Aucun résultat ne correspond à votre recherche.")
    expect(page.get_by_label("Mots recherchés")).to_have_value("xylophone")


@pytest.mark.parametrize("chemin", ["/", URL_CHAMP_1])
def test_pages_publiques_sans_defilement_horizontal_a_320_px(pages_demo, nouvelle_navigation, chemin):
    navigation = nouvelle_navigation(largeur=320)
    navigation.aller(chemin)
    expect(navigation.page.locator("h1")).to_be_visible()
    # WCAG 1.4.10 (reflow): content fits 320 CSS pixels without scrolling sideways.
    assert largeur_du_document(navigation.page) <= 320
