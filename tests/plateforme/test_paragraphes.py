"""Text typed in a plain box keeps its paragraphs and line breaks wherever it is shown, through the one
sanitizer; what is stored stays as typed."""

import pytest

from conseil_ess.sanitizer import html_affiche
from tests.evenements.fabriques import EvenementFactory
from tests.propositions.fabriques import proposition_en

TAPE = "Premier paragraphe.\n\nDeuxième paragraphe,\nsur deux lignes.\r\n\r\n\r\nTroisième."


def test_lignes_vides_en_paragraphes_retours_en_br():
    assert html_affiche(TAPE) == (
        "<p>Premier paragraphe.</p>\n<p>Deuxième paragraphe,<br>\nsur deux lignes.</p>\n<p>Troisième.</p>"
    )


def test_un_texte_ecrit_avec_ses_blocs_est_montre_tel_quel():
    assert html_affiche("<p>Un</p>\n<ul><li>deux</li></ul>") == "<p>Un</p>\n<ul><li>deux</li></ul>"


def test_toujours_par_le_nettoyeur():
    html = html_affiche('Avant\n\n<script>alert(1)</script><a href="javascript:x()" onclick="y">lien</a>')
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    assert html.startswith("<p>Avant</p>")
    # An inline tag that spans a blank line is closed in each paragraph: the HTML stays well formed.
    gras = html_affiche("<strong>a\n\nb</strong>")
    assert gras.count("<strong>") == gras.count("</strong>")


def test_vide():
    assert html_affiche("") == "" and html_affiche(None) == ""


@pytest.mark.django_db
def test_la_description_d_une_proposition_garde_ses_paragraphes(client):
    proposition = proposition_en("deposee", description=TAPE)
    proposition.refresh_from_db()
    assert "<p>" not in proposition.description and "paragraphe.\n\nDeuxième" in proposition.description
    html = client.get(proposition.get_absolute_url()).content.decode()
    assert "<p>Premier paragraphe.</p>" in html
    assert "<p>Deuxième paragraphe,<br>\nsur deux lignes.</p>" in html


@pytest.mark.django_db
def test_la_description_d_un_evenement_garde_ses_paragraphes(client):
    evenement = EvenementFactory(description=TAPE)
    html = client.get(evenement.get_absolute_url()).content.decode()
    assert "<p>Premier paragraphe.</p>" in html and "<p>Troisième.</p>" in html


def test_un_texte_affiche_deux_fois_n_est_nettoye_qu_une_fois(monkeypatch):
    """The display cleaning is kept per text (a pure function): the same text is not parsed again, a changed
    text is, and the result is the same either way."""
    from conseil_ess import sanitizer

    appels = []
    nettoyer = sanitizer.nettoyer_html
    monkeypatch.setattr(sanitizer, "nettoyer_html", lambda v: appels.append(v) or nettoyer(v))
    sanitizer._html_affiche.cache_clear()
    premier = html_affiche("Une <em>fois</em>\n\nDeux <script>x</script>")
    assert html_affiche("Une <em>fois</em>\n\nDeux <script>x</script>") == premier
    assert len(appels) == 1
    assert html_affiche("Une <em>fois</em>\n\nTrois") == "<p>Une <em>fois</em></p>\n<p>Trois</p>"
    assert len(appels) == 2 and "script" not in premier
