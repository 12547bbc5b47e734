"""The pages the home page's body shows (a call to action) or links to (rich text), read with the page's other
queries (``home.pages_du_corps``): the same HTML as when each reader queries for them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conseil_ess.prechargement import lire_ensemble
from home import pages_du_corps
from home.models import HomePage

from .outils import contenu_principal

pytestmark = pytest.mark.django_db


def test_identifiants_des_choix_et_des_liens_dans_l_ordre_une_fois():
    donnees = [
        {"type": "paragraphe", "value": '<p><a id="12" linktype="page">a</a> <a linktype="page" id="7">b</a>'
                                        '<a linktype="document" id="3">c</a> <a href="https://x.example">d</a>'
                                        '<a linktype="page" id="12">encore</a> <a linktype="page" id="">vide</a></p>'},
        {"type": "appel_action", "value": {"titre": "T", "page": 5, "url": "", "texte": "linktype page"}},
        {"type": "appel_action", "value": {"titre": "Sans page", "page": None, "url": "https://x.example"}},
        {"type": "citation", "value": {"texte": "Rien", "page": True}},
    ]
    assert pages_du_corps.identifiants(donnees) == (12, 7, 5)
    assert pages_du_corps.identifiants([]) == ()


@pytest.fixture
def corps(accueil, creer_champ, creer_actualites):
    champ, actualite = creer_champ(2), creer_actualites(1)[0]
    accueil = HomePage.objects.get(pk=accueil.pk)
    accueil.body = [
        {"type": "paragraphe", "value": f'<p><a linktype="page" id="{champ.pk}">le champ</a> et '
                                        f'<a linktype="page" id="999999">une page supprimée</a>.</p>'},
        {"type": "appel_action", "value": {"titre": "Participer", "texte": "Venez.", "page": actualite.pk,
                                           "url": "", "libelle_bouton": "Lire"}},
        {"type": "paragraphe", "value": f'<p><a linktype="page" id="{actualite.pk}">l\'actualité</a>, '
                                        f'<a linktype="page" id="{champ.pk}">le champ</a>.</p>'},
    ]
    accueil.save_revision().publish()
    return champ, actualite


def test_meme_html_que_sans_lecture_d_avance(client, settings, corps, monkeypatch):
    champ, actualite = corps
    settings.CACHE_PAGES = False
    avec = contenu_principal(client.get("/"))
    assert f'<a href="{champ.url}">le champ</a>' in avec and f'href="{actualite.url}"' in avec
    assert "<a>une page supprimée</a>" in avec  # not read ahead (none): its text's reader queries, as Wagtail
    monkeypatch.setattr(pages_du_corps, "pages_lues", lambda ids: None)
    assert contenu_principal(client.get("/")) == avec


def test_lues_avec_les_autres_requetes_de_la_page(client, settings, corps):
    """On PostgreSQL the page reads the site (with its restrictions), then everything else, the body's pages
    included, in one round trip; only the text linking to a page that no longer exists queries for it."""
    champ, actualite = corps
    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = True  # the menu and the footer kept: the page's own queries only
    client.get("/")
    with CaptureQueriesContext(connection) as requetes:
        html = client.get("/").content.decode()
    assert f'href="{actualite.url}"' in html
    pages = [r["sql"] for r in requetes if '"wagtailcore_page"."id" IN' in r["sql"]]
    # Read ahead with the lists; the first text (its link to a deleted page) reads its own.
    assert len(pages) == 2, pages
    if connection.vendor == "postgresql":
        assert len(requetes) == 3, [r["sql"][:60] for r in requetes]


def test_hors_de_la_page_d_accueil_chaque_lecteur_interroge(corps):
    assert pages_du_corps.pages_lues([corps[0].pk]) is None
    with pages_du_corps.portee():
        assert pages_du_corps.pages_lues([corps[0].pk]) is None  # nothing read ahead
        (pages,) = lire_ensemble(pages_du_corps.lecture((corps[0].pk,)))
        lues = pages_du_corps.pages_lues([corps[0].pk, None, corps[0].pk])
        assert lues[0] is pages[0] and lues[1] is None
        assert lues[2] == pages[0] and lues[2] is not pages[0]  # asked for twice: a copy, as Wagtail gives them
    assert pages_du_corps.pages_lues([corps[0].pk]) is None
