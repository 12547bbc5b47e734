"""The one pagination of the public lists (templates/includes/pagination.html and ``{% lien_page %}`` of
the ``listes`` tag library)."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def rendre(chemin, **contexte):
    page = Paginator(range(45), 20).get_page(RequestFactory().get(chemin).GET.get(contexte.get("parametre", "page")))
    return render_to_string("includes/pagination.html", {"page_obj": page, **contexte},
                            request=RequestFactory().get(chemin))


def test_les_liens_gardent_tous_les_filtres_et_remplacent_la_page():
    html = rendre("/agenda/?type=atelier&type=conference&commune=lanvallon&page=2")
    assert 'href="?type=atelier&amp;type=conference&amp;commune=lanvallon&amp;page=1"' in html
    assert 'href="?type=atelier&amp;type=conference&amp;commune=lanvallon&amp;page=3"' in html
    assert '<li aria-current="page">Page 2 sur 3</li>' in html
    assert 'aria-label="Pagination"' in html


def test_plusieurs_listes_sur_une_page_chacune_son_parametre_et_son_ancre():
    html = rendre("/ateliers/x/gerer/?membres=3&passees=2", parametre="passees", ancre="reunions-passees",
                  libelle="Pages des réunions passées")
    assert 'href="?membres=3&amp;passees=1#reunions-passees"' in html
    assert 'href="?membres=3&amp;passees=3#reunions-passees"' in html
    assert 'aria-label="Pages des réunions passées"' in html


def test_une_seule_page_pas_de_navigation():
    page = Paginator(range(5), 20).get_page(1)
    assert render_to_string("includes/pagination.html", {"page_obj": page}).strip() == ""


def test_un_parametre_hostile_est_echappe():
    html = rendre('/agenda/?q="><script>alert(1)</script>&page=2')
    assert "<script>" not in html and "%3Cscript%3E" in html
