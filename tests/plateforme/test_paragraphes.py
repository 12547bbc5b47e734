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
