"""Each page type renders with its content; the page tree accepts only sensible parents."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import (
    ChampActionPage,
    ChampsIndexPage,
    HomePage,
    LegalPage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)

from .outils import contenu_principal, paragraphe, publier

pytestmark = pytest.mark.django_db


def test_accueil_affiche_accroche_champs_et_trois_dernieres_actualites(client, accueil, creer_champ,
                                                                      creer_actualites):
    accueil.accroche = "Une accroche de test"
    accueil.intro = "Une introduction de test."
    accueil.save_revision().publish()
    creer_champ(2, nom_canonique="Soutien direct de test")
    creer_champ(1, nom_canonique="Appui de test")
    creer_actualites(4)

    reponse = client.get("/")

    assert reponse.status_code == 200
    html = contenu_principal(reponse)
    assert "<h1>Une accroche de test</h1>" in html
    assert "Une introduction de test." in html
    assert html.index("Appui de test") < html.index("Soutien direct de test")
    # The three most recent news only, newest first.
    assert "Actualité numéro 3" in html and "Actualité numéro 1" in html
    assert "Actualité numéro 0" not in html
    assert html.index("Actualité numéro 3") < html.index("Actualité numéro 1")


def test_accueil_nombre_de_requetes_independant_du_contenu(client, settings, accueil, creer_champ,
                                                           creer_actualites, django_assert_max_num_queries):
    """Champs, news and next events: a few or many, the same number of queries (none per item)."""
    from tests.evenements.fabriques import EvenementFactory, dans

    settings.CACHE_PAGES = False  # the page's own queries, not the page cache's (conseil_ess/cache_pages)
    creer_champ(1)
    creer_actualites(1)
    EvenementFactory(debut=dans(jours=3))
    client.get("/")  # warm-up: the header's and footer's settings rows
    with CaptureQueriesContext(connection) as peu:
        assert client.get("/").status_code == 200
    for numero in range(2, 7):
        creer_champ(numero)
    creer_actualites(4, debut=1)
    for jours in range(4, 9):
        EvenementFactory(debut=dans(jours=jours))
    with django_assert_max_num_queries(len(peu)):
        html = contenu_principal(client.get("/"))
    assert html.count('class="carte carte-champ"') == 6 and "Actualité numéro 4" in html


def test_page_standard_affiche_chapo_corps_et_sous_pages(client, page_standard):
    publier(page_standard, StandardPage(title="Sous-page visible", slug="sous-page"))

    reponse = client.get("/page-de-test/")

    assert reponse.status_code == 200
    html = contenu_principal(reponse)
    assert "<h1>Page de test</h1>" in html
    assert "Un chapô de test." in html
    assert "hippocampe-violet" in html
    assert 'href="/page-de-test/sous-page/"' in html


def test_index_des_champs_liste_ses_champs_par_numero(client, index_champs, creer_champ):
    creer_champ(3, leviers=["Prêter des locaux"], nom_canonique="Foncier de test")
    creer_champ(1, nom_canonique="Accompagnement de test")

    reponse = client.get("/nos-champs/")

    assert reponse.status_code == 200
    html = contenu_principal(reponse)
    assert html.index("Accompagnement de test") < html.index("Foncier de test")
    assert "Prêter des locaux" in html
    assert 'href="/nos-champs/champ-3/"' in html


def test_index_des_champs_leviers_de_chaque_champ_dans_l_ordre_et_champs_prives_exclus(client, settings, creer_champ):
    from wagtail.models import PageViewRestriction

    settings.CACHE_PAGES = False
    creer_champ(1, leviers=["Levier 1 b", "Levier 1 a"])
    deux = creer_champ(2, leviers=["Levier 2"])
    creer_champ(3)

    def cartes():
        html = contenu_principal(client.get("/nos-champs/"))
        return [carte.split("<h2>")[1].split("</a>")[0].split(">")[-1] + " : " + ", ".join(
            item.split("</li>")[0] for item in carte.split("<li>")[1:])
            for carte in html.split('<li class="carte carte-champ">')[1:]]

    assert cartes() == ["Nom canonique 1 : Levier 1 b, Levier 1 a", "Nom canonique 2 : Levier 2", "Nom canonique 3 : "]
    PageViewRestriction.objects.create(page=deux, restriction_type=PageViewRestriction.LOGIN)
    assert cartes() == ["Nom canonique 1 : Levier 1 b, Levier 1 a", "Nom canonique 3 : "]


def test_champ_affiche_ses_leviers_dans_l_ordre(client, creer_champ):
    leviers = ["Subventionner les structures de l'ESS", "Organiser des concours et des prix",
               "Lancer des appels à projets"]
    creer_champ(2, leviers=leviers, nom_canonique="Soutien direct aux structures de l'ESS",
                libelle_secondaire="Libellé secondaire de test", intro="Intro du champ.")
    creer_champ(3)

    reponse = client.get("/nos-champs/champ-2/")

    assert reponse.status_code == 200
    html = contenu_principal(reponse).replace("&#x27;", "'")
    assert "<h1>Soutien direct aux structures de l'ESS</h1>" in html
    assert "Libellé secondaire de test" in html
    positions = [html.index(f'<span class="levier__libelle">{levier}</span>') for levier in leviers]
    assert positions == sorted(positions)
    assert 'href="/nos-champs/champ-3/" rel="next"' in html


def test_champ_precedent_et_suivant_publics_et_leviers_relus(client, settings, creer_champ):
    """The neighbours leave out unpublished and private champs; the levers and neighbours are read at each request
    (only their SQL is kept)."""
    from wagtail.models import PageViewRestriction

    settings.CACHE_PAGES = False
    champs = {numero: creer_champ(numero, leviers=[f"Levier {numero}"]) for numero in (1, 2, 3, 4)}
    champs[3].unpublish()

    def navigation():
        html = contenu_principal(client.get("/nos-champs/champ-2/"))
        return ('href="/nos-champs/champ-1/" rel="prev"' in html, 'href="/nos-champs/champ-4/" rel="next"' in html,
                html.count('class="levier__libelle"'))

    assert navigation() == (True, True, 1)
    PageViewRestriction.objects.create(page=champs[4], restriction_type=PageViewRestriction.LOGIN)
    assert navigation() == (True, False, 1)
    champs[3].save_revision().publish()
    html = contenu_principal(client.get("/nos-champs/champ-2/"))
    assert 'href="/nos-champs/champ-3/" rel="next"' in html
    page = ChampActionPage.objects.get(pk=champs[2].pk)
    page.leviers.add(page.leviers.model(libelle="Levier ajouté", sort_order=5))
    page.save_revision().publish()
    assert navigation()[2] == 2 and "Levier ajouté" in contenu_principal(client.get("/nos-champs/champ-2/"))


@pytest.mark.parametrize(("url", "allers_retours", "requetes_sqlite"), [
    # The site (with the root page's restrictions), the route (with the page's), then the page's own reads.
    ("/nos-champs/champ-2/", 3, 7),  # neighbours and levers in one round trip
    ("/actualites-test/", 3, 5),  # the page of news with their number
    ("/actualites-test/actualite-1/", 2, 4),
    ("/nos-champs/", 3, 6),  # the champs and their levers
])
def test_pages_wagtail_en_peu_d_allers_retours(client, settings, creer_champ, creer_actualites,
                                               django_assert_num_queries, url, allers_retours, requetes_sqlite):
    """Wagtail's pages: their queries grouped in round trips (``lire_ensemble``: one query each on PostgreSQL, one
    per statement on SQLite), the header's menu and the footer kept (``CACHE_NAVIGATION``)."""
    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = True
    for numero in (1, 2, 3):
        creer_champ(numero, leviers=["Un levier"])
    creer_actualites(3)
    client.get(url)
    client.get(url)  # the page's type learnt, the menu kept
    with django_assert_num_queries(allers_retours if connection.vendor == "postgresql" else requetes_sqlite):
        assert client.get(url).status_code == 200


def test_numero_de_champ_unique(creer_champ):
    creer_champ(4)
    with pytest.raises(Exception, match="numéro"):
        creer_champ(4, slug="autre-champ-4")


def test_actualites_paginees_par_dix_plus_recentes_d_abord(client, creer_actualites):
    creer_actualites(12)

    page1 = contenu_principal(client.get("/actualites-test/"))
    page2 = contenu_principal(client.get("/actualites-test/?page=2"))

    assert page1.count("<article>") == 10
    assert page1.index("Actualité numéro 11") < page1.index("Actualité numéro 2")
    assert "Actualité numéro 1<" not in page1
    assert page2.count("<article>") == 2
    assert "Actualité numéro 0" in page2 and "Actualité numéro 1<" in page2
    assert "Page 2 sur 2" in page2
    # An invalid page number gives a page, not an error.
    assert client.get("/actualites-test/?page=abc").status_code == 200
    assert client.get("/actualites-test/?page=999").status_code == 200


def test_actualites_nombre_de_requetes_independant_du_nombre_d_actualites(client, settings, creer_actualites,
                                                                          django_assert_max_num_queries):
    settings.CACHE_PAGES = False  # the view's queries, not the page cache's (conseil_ess/cache_pages)
    creer_actualites(3)
    client.get("/actualites-test/")  # warm-up
    with CaptureQueriesContext(connection) as avec_trois:
        assert client.get("/actualites-test/").status_code == 200

    creer_actualites(27, debut=3)
    with django_assert_max_num_queries(len(avec_trois)):
        reponse = client.get("/actualites-test/")
    assert contenu_principal(reponse).count("<article>") == 10


def test_actualite_affiche_date_et_contenu(client, index_actualites):
    publier(index_actualites, NewsPage(
        title="Une actualité datée", slug="datee", date=datetime.date(2026, 3, 27), intro="Chapô daté.",
        body=paragraphe("<p>Corps de l'actualité.</p>"),
    ))

    html = contenu_principal(client.get("/actualites-test/datee/"))

    assert '<time datetime="2026-03-27">27 mars 2026</time>' in html
    assert "Chapô daté." in html and "Corps de l'actualité." in html
    assert 'href="/actualites-test/"' in html


def test_page_legale_affiche_date_de_mise_a_jour(client, accueil):
    publier(accueil, LegalPage(title="Mentions légales", slug="mentions-legales",
                               mis_a_jour_le=datetime.date(2026, 5, 15),
                               body=paragraphe("<h2>Éditeur du site</h2><p>Rivebelle Métropole.</p>")))

    html = contenu_principal(client.get("/mentions-legales/"))

    assert "<h2>Éditeur du site</h2>" in html
    assert "Mise à jour le" in html and '<time datetime="2026-05-15">15 mai 2026</time>' in html


def test_page_brouillon_introuvable(client, accueil):
    page = StandardPage(title="Brouillon", slug="brouillon", live=False)
    accueil.add_child(instance=page)
    assert client.get("/brouillon/").status_code == 404


@pytest.mark.parametrize(
    ("modele", "parent", "autorise"),
    [
        (StandardPage, HomePage, True),
        (ChampsIndexPage, HomePage, True),
        (ChampActionPage, ChampsIndexPage, True),
        (ChampActionPage, HomePage, False),
        (NewsPage, NewsIndexPage, True),
        (NewsPage, HomePage, False),
        (LegalPage, HomePage, True),
        (LegalPage, StandardPage, False),
        (StandardPage, NewsIndexPage, False),
        (StandardPage, LegalPage, False),
    ],
)
def test_types_de_pages_parents_autorises(modele, parent, autorise):
    assert (parent in modele.allowed_parent_page_models()) is autorise


def test_is_demo_non_modifiable_dans_l_admin():
    for modele in (HomePage, StandardPage, ChampsIndexPage, ChampActionPage, NewsIndexPage, NewsPage, LegalPage):
        champ = modele._meta.get_field("is_demo")
        assert champ.default is False and champ.editable is False


def test_accueil_n_affiche_pas_les_actualites_d_une_rubrique_protegee(client, accueil, index_actualites,
                                                                      creer_actualites):
    """The home page reads the view restrictions once for its lists: a restricted section stays hidden."""
    from wagtail.models import PageViewRestriction

    creer_actualites(2)
    html = contenu_principal(client.get("/"))
    assert "Actualité numéro 1" in html
    PageViewRestriction.objects.create(page=index_actualites, restriction_type=PageViewRestriction.LOGIN)
    html = contenu_principal(client.get("/"))
    assert "Actualité numéro 1" not in html and "Actualité numéro 0" not in html
