"""Links to pages in rich text (``home/wagtail_hooks.py``): the same URLs as Wagtail's own handler, from one
query on the pages' table whatever the linked page types."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site, get_page_models
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.pages import PageLinkHandler

from home.models import StandardPage
from home.wagtail_hooks import LienVersPage

from .outils import contenu_principal, paragraphe, publier

pytestmark = pytest.mark.django_db


def test_aucun_type_de_page_ne_construit_son_url_autrement():
    """The handler skips ``specific()``: right only while no page type overrides how its URL is built."""
    for modele in get_page_models():
        for methode in ("get_url_parts", "get_url", "relative_url", "get_full_url"):
            assert getattr(modele, methode) is getattr(Page, methode), (modele, methode)


def test_liens_vers_des_pages_de_types_differents_en_une_requete(client, accueil, creer_champ, creer_actualites):
    champ = creer_champ(2)
    actualite = creer_actualites(1)[0]
    corps = (f'<p><a linktype="page" id="{champ.pk}">le champ</a>, <a linktype="page" id="{actualite.pk}">'
             f'l\'actualité</a>, <a linktype="page" id="{champ.pk}">encore</a> et <a linktype="page" id="999999">'
             "une page supprimée</a>.</p>")
    expand_db_html(corps)  # warm-up: the sites' root paths, read once
    with CaptureQueriesContext(connection) as requetes:
        html = expand_db_html(corps)
    assert len(requetes) == 1, [q["sql"] for q in requetes]
    with CaptureQueriesContext(connection) as wagtail:  # Wagtail's handler: one more query per page type
        PageLinkHandler.expand_db_attributes_many([{"id": champ.pk}, {"id": actualite.pk}])
    assert len(wagtail) == 3
    attendu = "".join(PageLinkHandler.expand_db_attributes_many([{"id": champ.pk}, {"id": actualite.pk}]))
    assert attendu == f'<a href="{champ.url}"><a href="{actualite.url}">'  # Wagtail's handler, for comparison
    assert f'<a href="{champ.url}">le champ</a>' in html and f'<a href="{champ.url}">encore</a>' in html
    assert f'<a href="{actualite.url}">l\'actualité</a>' in html
    assert "<a>une page supprimée</a>" in html
    assert LienVersPage.get_many([{"id": str(champ.pk)}]) == [Page.objects.get(pk=champ.pk)]


def test_les_liens_d_un_texte_lisent_une_fois_les_racines_des_sites(accueil, creer_champ, creer_actualites,
                                                                    monkeypatch):
    champ, actualite = creer_champ(2), creer_actualites(1)[0]
    lectures = []
    lire = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: lectures.append(1) or lire()))
    html = expand_db_html(f'<p><a linktype="page" id="{champ.pk}">un</a> <a linktype="page" id="{actualite.pk}">'
                          "deux</a></p>")
    assert len(lectures) == 1  # one per page before
    assert f'<a href="{champ.url}">un</a>' in html and f'<a href="{actualite.url}">deux</a>' in html


def test_lien_dans_le_corps_d_une_page(client, accueil, creer_champ):
    champ = creer_champ(4)
    publier(accueil, StandardPage(title="Avec lien", slug="avec-lien",
                                  body=paragraphe(f'<p>Voir <a linktype="page" id="{champ.pk}">le champ</a>.</p>')))
    assert f'<a href="{champ.url}">le champ</a>' in contenu_principal(client.get("/avec-lien/"))
