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


@pytest.mark.parametrize("html", [
    "<title>Agenda : novembre</title><h1 class='x'>Ciné-débat : « la cantine » !</h1><p>a : b</p>",
    "<H2>Majuscules : oui</h2><h3>Sans rien</h3><h4>Lien <a href='/a:b'>vers : là</a> ?</h4>",
    "<h2>Jamais fermé : le reste <h3>Un titre : fermé</h3> <p>x ; y</p>",
    "<h1>Sur\nplusieurs : lignes</h1 ><h5></h5><h6>«  Citation  »</h6><header>Pas un titre : non</header>",
    "<hgroup><h2>A : b</h2></hgroup><h2>A : b</h2><h2>A : b</h2><html>h1 : rien</html>",
    "",
])
def test_typographier_titres_comme_l_expression(html):
    """``typographier_titres`` (a search of each heading's closing tag, headings kept once typeset) gives what
    the single expression ``TITRE`` gives."""
    from conseil_ess.typographie import TITRE, _titre, typographier_titres

    assert typographier_titres(html) == TITRE.sub(_titre, html)
    assert typographier_titres(html) == TITRE.sub(_titre, html)  # the second time from what was kept
