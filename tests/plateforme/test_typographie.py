"""French typography of titles (conseil_ess/typographie.py): no-break spaces in headings and <title> only."""

import pytest

from conseil_ess.typographie import typographier, typographier_titres

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("brut", "attendu"), [
    ("Ciné-débat : la cantine", "Ciné-débat\u00a0: la cantine"),
    ("Où en est-on ?", "Où en est-on\u202f?"),
    ("Enfin ! Et ; puis", "Enfin\u202f! Et\u202f; puis"),
    ("Atelier « Réemploi »", "Atelier «\u00a0Réemploi\u00a0»"),
    ("https://exemple.org:8000", "https://exemple.org:8000"),
    ("Déjà\u00a0: bon", "Déjà\u00a0: bon"),
])
def test_typographier(brut, attendu):
    assert typographier(brut) == attendu


def test_seuls_les_titres_changent_et_jamais_le_balisage():
    html = ('<title>Recherche : x</title><h2 class="a : b"><a href="/x?y=1 ;z">Plénière : juin</a></h2>'
            "<p>Texte : intact</p>")
    assert typographier_titres(html) == (
        '<title>Recherche\u00a0: x</title><h2 class="a : b"><a href="/x?y=1 ;z">Plénière\u00a0: juin</a></h2>'
        "<p>Texte : intact</p>")


def test_les_pages_du_site_sont_composees(client):
    reponse = client.get("/recherche/", {"q": "économie : sociale"})
    assert "<title>Recherche\u00a0: économie\u00a0: sociale" in reponse.content.decode()
    assert "0 résultat pour «\u00a0économie\u00a0: sociale\u00a0»" in reponse.content.decode()
