"""Main menu (pages shown in menus) and footer (site setting, always completed by the legal pages)."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from home.models import LienPiedDePage, PiedDePage, StandardPage

from .outils import publier

pytestmark = pytest.mark.django_db


def menu(reponse):
    html = reponse.content.decode()
    return re.search(r'<nav class="menu".*?</nav>', html, re.S).group(0)


def pied(reponse):
    html = reponse.content.decode()
    return re.search(r"<footer.*?</footer>", html, re.S).group(0)


def test_menu_principal_pages_en_ligne_affichees_dans_les_menus(client, accueil):
    publier(accueil, StandardPage(title="Dans le menu", slug="dans-le-menu", show_in_menus=True))
    publier(accueil, StandardPage(title="Hors menu", slug="hors-menu", show_in_menus=False))
    brouillon = StandardPage(title="Brouillon du menu", slug="brouillon-menu", show_in_menus=True, live=False)
    accueil.add_child(instance=brouillon)

    html = menu(client.get("/dans-le-menu/"))

    assert '<a href="/dans-le-menu/" aria-current="page">Dans le menu</a>' in html
    assert "Hors menu" not in html and "Brouillon du menu" not in html
    assert '<a href="/structures/">Structures</a>' in html
    for lien in ('<a href="/agenda/">Agenda</a>', '<a href="/ateliers/">Ateliers</a>',
                 '<a href="/propositions/">Propositions</a>', '<a href="/seances/">Séances</a>',
                 '<a href="/conseil/membres/">Membres du Conseil</a>'):
        assert lien in html


def test_menu_marque_les_ateliers_sur_la_page_d_un_atelier(client, accueil):
    from tests.ateliers.fabriques import AtelierFactory

    atelier = AtelierFactory(slug="zero-dechet")
    assert '<a href="/ateliers/" aria-current="true">Ateliers</a>' in menu(client.get(atelier.get_absolute_url()))


def test_menu_marque_les_propositions_sur_la_page_d_une_proposition(client, accueil):
    from tests.propositions.fabriques import proposition_en

    proposition = proposition_en("deposee")
    assert '<a href="/propositions/" aria-current="true">Propositions</a>' in menu(
        client.get(proposition.get_absolute_url()))
    assert '<a href="/propositions/" aria-current="page">Propositions</a>' in menu(client.get("/propositions/"))


def test_menu_marque_les_seances(client, accueil):
    from tests.seances.fabriques import seance_avec_scrutin

    seance, _scrutin, _agent = seance_avec_scrutin(ouvrir=False)
    assert '<a href="/seances/" aria-current="page">Séances</a>' in menu(client.get("/seances/"))
    assert '<a href="/seances/" aria-current="true">Séances</a>' in menu(client.get(seance.get_absolute_url()))


def test_menu_marque_la_rubrique_courante(client, accueil):
    rubrique = publier(accueil, StandardPage(title="Rubrique", slug="rubrique", show_in_menus=True))
    publier(rubrique, StandardPage(title="Sous-page", slug="sous-page"))

    html = menu(client.get("/rubrique/sous-page/"))

    assert '<a href="/rubrique/" aria-current="true">Rubrique</a>' in html


def test_pied_de_page_sans_reglage_renvoie_aux_pages_legales(client, accueil, pages_legales):
    html = pied(client.get("/"))

    # Reading the footer never writes: no setting is created by a GET (a write in every first page view raced
    # other writers, SQLite's « database is locked » in a journey).
    assert not PiedDePage.objects.exists()
    liens = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    assert liens == [
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/accessibilite/", "Accessibilité : partiellement conforme"),
    ]


def test_pied_de_page_reglage_complete_par_les_pages_legales(client, accueil, pages_legales, page_standard):
    reglage = PiedDePage.for_site(Site.objects.get(is_default_site=True))
    reglage.intro = "Texte de présentation du pied de page."
    reglage.liens = [
        LienPiedDePage(page=page_standard, sort_order=0),
        LienPiedDePage(url="https://cress.example.org/", libelle="La CRESS", sort_order=1),
        LienPiedDePage(page=pages_legales[2], sort_order=2),
    ]
    reglage.save()

    html = pied(client.get("/"))

    assert "Texte de présentation du pied de page." in html
    liens = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    assert liens == [
        ("/page-de-test/", "Page de test"),
        ("https://cress.example.org/", "La CRESS"),
        ("/accessibilite/", "Accessibilité : partiellement conforme"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
    ]


def test_pied_de_page_ignore_une_page_depubliee(client, accueil, page_standard):
    reglage = PiedDePage.for_site(Site.objects.get(is_default_site=True))
    reglage.liens = [LienPiedDePage(page=page_standard, sort_order=0)]
    reglage.save()
    page_standard.unpublish()

    assert "/page-de-test/" not in pied(client.get("/"))


@pytest.mark.parametrize(("page", "url", "libelle", "valide"), [
    (True, "", "", True),
    (False, "/agenda/", "Agenda", True),
    (False, "https://exemple.org/", "Exemple", True),
    (False, "", "Rien", False),
    (True, "/agenda/", "Les deux", False),
    (False, "/agenda/", "", False),
    (False, "javascript:alert(1)", "Piège", False),
    (False, "//ailleurs.example.org/", "Protocole relatif", False),
])
def test_validation_des_liens_du_pied_de_page(page_standard, page, url, libelle, valide):
    lien = LienPiedDePage(reglage=PiedDePage(site=Site.objects.get(is_default_site=True)),
                          page=page_standard if page else None, url=url, libelle=libelle)
    if valide:
        lien.full_clean(exclude=["reglage"])
    else:
        with pytest.raises(ValidationError):
            lien.full_clean(exclude=["reglage"])


def test_menu_et_pied_calcules_une_fois_par_generation_et_jamais_perimes(client, settings, accueil, page_standard):
    """CACHE_NAVIGATION (on in production, off in the other tests): the menu's and the footer's links are
    computed once per generation of the page cache; any write (a page published, unpublished, a footer link)
    shows on the next page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHE_NAVIGATION = True
    settings.CACHE_PAGES = False  # the view's queries, not the page cache's
    publier(accueil, StandardPage(title="Rubrique du menu", slug="rubrique-menu", show_in_menus=True))
    client.get("/structures/")  # creates the footer setting: a write, hence a new generation
    client.get("/structures/")
    with CaptureQueriesContext(connection) as premiere:
        reponse = client.get("/structures/")
    assert "Rubrique du menu" in menu(reponse)

    settings.CACHE_NAVIGATION = False
    with CaptureQueriesContext(connection) as sans_copie:
        client.get("/structures/")
    assert len(premiere) < len(sans_copie)  # the menu and footer read nothing
    settings.CACHE_NAVIGATION = True

    publier(accueil, StandardPage(title="Nouvelle rubrique", slug="nouvelle-rubrique", show_in_menus=True))
    assert "Nouvelle rubrique" in menu(client.get("/structures/"))
    StandardPage.objects.get(slug="rubrique-menu").unpublish()
    assert "Rubrique du menu" not in menu(client.get("/structures/"))

    reglage = PiedDePage.for_site(Site.objects.get(is_default_site=True))
    reglage.liens = [LienPiedDePage(page=page_standard, sort_order=0)]
    reglage.save()
    assert "/page-de-test/" in pied(client.get("/structures/"))


# The templates the menu and the footer were rendered with before they were written in Python
# (``home/templatetags/navigation.py``), kept in tests/home/anciens_gabarits: the tags must give the same bytes.
ANCIEN_MENU = (Path(__file__).parent / "anciens_gabarits" / "menu_principal.html").read_text()
ANCIEN_PIED = (Path(__file__).parent / "anciens_gabarits" / "pied_de_page.html").read_text()


def _rendus_par_les_anciens_gabarits(chemin, pages_du_menu, intro, liens_du_pied):
    from django.template import Context, Template
    from django.test import RequestFactory

    requete = RequestFactory().get(chemin)
    liens = [{"titre": titre, "url": url,
               "courant": "page" if chemin == url else ("true" if url != "/" and chemin.startswith(url) else "")}
             for titre, url in pages_du_menu]
    return (Template(ANCIEN_MENU).render(Context({"liens": liens, "request": requete})),
            Template(ANCIEN_PIED).render(Context({"intro": intro, "liens": liens_du_pied, "request": requete})))


@pytest.mark.parametrize("chemin", ["/", "/agenda/", "/agenda/2026/12/", "/conseil/membres/", "/structures/x/",
                                    "/rubrique/", "/rubrique/sous-page/", "/seances/"])
def test_menu_et_pied_ecrits_en_python_donnent_le_html_des_anciens_gabarits(client, accueil, pages_legales, chemin):
    publier(accueil, StandardPage(title='Rubrique <b> & "co"', slug="rubrique", show_in_menus=True))
    reglage = PiedDePage.for_site(Site.objects.get(is_default_site=True))
    reglage.intro = "Ligne <script>un</script> & deux\nLigne trois"
    reglage.liens = [LienPiedDePage(url="https://cress.example.org/?a=1&b=2", libelle="La <CRESS>", sort_order=0)]
    reglage.save()
    from django.template import Context, Template
    from django.test import RequestFactory

    from home.templatetags.navigation import _liens_du_pied, _pages_du_menu

    requete = RequestFactory().get(chemin)
    nouveau = Template("{% load navigation %}{% menu_principal %}|{% pied_de_page %}").render(
        Context({"request": requete})).split("|")
    intro, liens = _liens_du_pied(requete)
    ancien = _rendus_par_les_anciens_gabarits(chemin, _pages_du_menu(requete), intro, liens)

    assert nouveau == list(ancien)
    assert "&lt;script&gt;" in nouveau[1] and "<br>" in nouveau[1] and "La &lt;CRESS&gt;" in nouveau[1]
    assert "Rubrique &lt;b&gt; &amp; &quot;co&quot;" in nouveau[0]


def test_generation_lue_une_fois_par_requete_et_relue_apres_une_ecriture(client, settings, accueil, monkeypatch):
    """The menu and the footer share one read of the generation per request (one Redis round trip, not one per
    tag); a write made in the request since is never hidden: the generation is read again."""
    from django.test import RequestFactory

    from conseil_ess.cache_pages import generation

    settings.CACHE_NAVIGATION = True
    settings.CACHE_PAGES = False
    lectures = []
    lire = generation.lire
    monkeypatch.setattr(generation, "lire", lambda: lectures.append(1) or lire())

    client.get("/structures/")
    client.get("/structures/")
    lectures.clear()
    assert client.get("/structures/").status_code == 200
    assert len(lectures) == 1  # menu and footer: one read (two before)

    requete = RequestFactory().get("/")
    premiere = generation.version_courante(requete)
    assert generation.version_courante(requete) == premiere and len(lectures) == 2
    Site.objects.update(site_name="Rivebelle")  # a write in this request
    assert generation.version_courante(requete) > premiere and len(lectures) == 3


def test_racines_des_sites_lues_une_fois_par_generation(client, settings, accueil, monkeypatch):
    """The sites' root paths (every page URL) are read from Wagtail's cache once per generation, not by each
    request; the generation read for a request is forgotten at its end and by a write."""
    from django.test import RequestFactory

    from conseil_ess.cache_pages import generation
    from home import sites

    settings.CACHE_NAVIGATION = True
    settings.CACHE_PAGES = False
    lectures = []
    originale = sites._racines_originale
    monkeypatch.setattr(sites, "_racines_originale", lambda: lectures.append(1) or originale())
    publier(accueil, StandardPage(title="Rubrique", slug="rubrique", show_in_menus=True))
    assert client.get("/").status_code == 200
    assert lectures
    lectures.clear()
    for chemin in ("/", "/rubrique/", "/agenda/"):
        assert client.get(chemin).status_code == 200
    assert lectures == []
    assert generation.version_de_la_requete() is None  # outside a request
    premiere = generation.version_courante(RequestFactory().get("/"))
    assert generation.version_de_la_requete() == premiere
    Site.objects.update(site_name="Rivebelle")
    assert generation.version_de_la_requete() is None  # a write: what was kept may have changed
    assert client.get("/").status_code == 200
    assert lectures == [1]  # a new generation: read again


def test_menu_garde_par_generation_marque_la_section_de_chaque_page(client, settings, accueil):
    """With CACHE_NAVIGATION, the menu's HTML is kept once per current section: each page still marks its own."""
    settings.CACHE_NAVIGATION = True
    settings.CACHE_PAGES = False
    publier(accueil, StandardPage(title="Rubrique", slug="rubrique", show_in_menus=True))
    for _ in range(2):  # the second time from the memo
        for chemin, courant in (("/agenda/", "/agenda/"), ("/ateliers/", "/ateliers/"), ("/rubrique/", "/rubrique/"),
                                ("/structures/", "/structures/")):
            html = menu(client.get(chemin))
            marques = re.findall(r'<a href="([^"]+)" aria-current="(page|true)">', html)
            assert marques == [(courant, "page")], (chemin, marques)
        assert re.findall(r'aria-current="(\w+)"', menu(client.get("/propositions/P-0000-000/"))) == ["true"]
        assert "aria-current" not in menu(client.get("/recherche/?q=ess"))  # no section of the menu
