"""Small things that made the site feel unfinished: breadcrumbs read « Propositions › … » (not a numbered
list) and no page logs a console error (the favicon's 404 was on every page)."""

import pytest
from playwright.sync_api import expect

from tests.propositions.fabriques import proposition_en

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_fil_d_ariane_et_console_sans_erreur(navigation):
    proposition = proposition_en("deposee", titre="Une ressourcerie par quartier")
    page = navigation.page
    erreurs = []
    page.on("console", lambda message: erreurs.append(message.text) if message.type == "error" else None)
    page.on("response", lambda reponse: erreurs.append(f"{reponse.status} {reponse.url}")
            if reponse.status >= 400 else None)

    navigation.aller(proposition.get_absolute_url())
    fil = page.get_by_role("navigation", name="Fil d’Ariane")
    expect(fil).to_contain_text("Propositions")
    premier = fil.locator("li").first
    assert premier.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    second = fil.locator("li").nth(1)
    assert second.evaluate("e => getComputedStyle(e, '::before').content") == '"›"'

    navigation.aller("/agenda/")
    navigation.aller("/")
    assert erreurs == []
