"""The pagination of the lists (``includes/pagination.html``, written in Python: ``listes.pagination``) gives the
HTML of the template it replaced (kept in ``anciens_gabarits/pagination.html``)."""

from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory

ANCIEN = (Path(__file__).parent / "anciens_gabarits" / "pagination.html").read_text()


def _rendu(gabarit, **contexte):
    return engines["django"].from_string(gabarit).render(contexte)


@pytest.mark.parametrize("numero", [1, 2, 7, 12])
@pytest.mark.parametrize(("par_page", "avec"), [
    (10, {}),
    (10, {"libelle": "Pages des « ateliers » & <co>", "ancre": "par-thematique"}),
    (10, {"parametre": "membres", "ancre": "membres"}),
    (200, {}),  # one page: nothing
    (1, {}),  # 120 pages: numbers localised
])
def test_meme_html_que_le_gabarit(numero, par_page, avec):
    page = Paginator(list(range(120)), par_page).get_page(numero)
    requete = RequestFactory().get("/liste/", {"q": "café & thé", "champ": ["1", "3"], "page": "4"})
    contexte = {"page_obj": page, "request": requete, **avec}
    nouveau = _rendu('{% include "includes/pagination.html" %}', **contexte)
    assert nouveau == _rendu(ANCIEN, **contexte)
    assert ("<nav" in nouveau) == (par_page != 200)
