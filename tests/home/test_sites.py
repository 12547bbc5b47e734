"""The site of a request (``home.sites``): the one Wagtail's own lookup gives, by a query compiled once when there
is one site, by Wagtail's lookup otherwise."""

import pytest
from django.db import connection
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from conseil_ess import compilation
from home import sites

pytestmark = pytest.mark.django_db

# The site's query, and the root page's view restrictions in the same round trip (one query on PostgreSQL, two on
# SQLite: ``lire_ensemble``) once the root page is known.
def requetes_du_site():
    return 1 if connection.vendor == "postgresql" else 2


HOTES = [("127.0.0.1", 80), ("localhost", 8000), ("conseil-ess.example.org", 443), ("autre.example", 80)]


@pytest.fixture(autouse=True)
def sans_memo():
    compilation.oublier()
    sites._classe_racine[0] = None
    yield
    compilation.oublier()


def test_installee_dans_wagtail():
    from wagtail.models import sites as sites_wagtail

    assert sites_wagtail.get_site_for_hostname is sites.site_pour_hote


def test_un_seul_site_le_meme_que_wagtail_quel_que_soit_l_hote(django_assert_num_queries):
    [site] = Site.objects.all()
    assert site.is_default_site
    sites.site_pour_hote("127.0.0.1", 80)  # learns the class of the root page
    for hote, port in HOTES:
        attendu = sites._originale(hote, port)
        with django_assert_num_queries(requetes_du_site()):
            trouve = sites.site_pour_hote(hote, port)
        assert trouve == attendu == site
        assert trouve.root_page == site.root_page
        assert trouve.root_page.url_path == site.root_page.url_path  # joined, no other query
    requete = RequestFactory().get("/", HTTP_HOST="conseil-ess.example.org")
    assert Site.find_for_request(requete) == site


def test_le_site_est_relu_a_chaque_requete():
    site = Site.objects.get()
    sites.site_pour_hote("127.0.0.1", 80)
    racine = Page.objects.get(depth=1)
    autre = racine.add_child(instance=Page(title="Autre racine", slug="autre-racine"))
    Site.objects.filter(pk=site.pk).update(root_page=autre, site_name="Renommé")
    trouve = sites.site_pour_hote("127.0.0.1", 80)
    assert (trouve.site_name, trouve.root_page_id, trouve.root_page.title) == ("Renommé", autre.pk, "Autre racine")


@pytest.mark.parametrize("defaut", [True, False])
def test_plusieurs_sites_wagtail_decide(defaut):
    site = Site.objects.get()
    Site.objects.filter(pk=site.pk).update(is_default_site=defaut)
    second = Site.objects.create(hostname="second.example", port=80, root_page=site.root_page)
    for hote, port in [*HOTES, ("second.example", 80)]:
        try:
            attendu = sites._originale(hote, port)
        except Site.DoesNotExist:
            with pytest.raises(Site.DoesNotExist):
                sites.site_pour_hote(hote, port)
        else:
            assert sites.site_pour_hote(hote, port) == attendu
    assert sites.site_pour_hote("second.example", 80) == second


def test_un_site_qui_n_est_pas_celui_par_defaut_wagtail_decide():
    Site.objects.update(is_default_site=False, hostname="seul.example")
    assert sites.site_pour_hote("seul.example", 80) == Site.objects.get()
    with pytest.raises(Site.DoesNotExist):
        sites.site_pour_hote("127.0.0.1", 80)


def test_aucun_site():
    Site.objects.all().delete()
    with pytest.raises(Site.DoesNotExist):
        sites.site_pour_hote("127.0.0.1", 80)


def _champs(page):
    return {f.attname: getattr(page, f.attname) for f in type(page)._meta.concrete_fields}


def test_la_racine_specifique_lue_avec_le_site(django_assert_num_queries):
    """Once the root page's class is known, the site's query reads the root page as that class too: Wagtail's
    routing (``root_page.localized.specific``) runs no other query, and gets the page ``get_specific`` gives."""
    from home.models import HomePage

    site = Site.objects.get()
    premier = sites.site_pour_hote("127.0.0.1", 80)  # learns the class
    assert "specific" not in premier.root_page.__dict__
    with django_assert_num_queries(requetes_du_site()):
        trouve = sites.site_pour_hote("127.0.0.1", 80)
        specifique = trouve.root_page.localized.specific
        restrictions = list(specifique.get_view_restrictions())  # read with the site
    attendu = site.root_page.get_specific()
    assert type(specifique) is type(attendu) is HomePage
    assert _champs(specifique) == _champs(attendu)
    assert list(specifique.body.raw_data) == list(attendu.body.raw_data)
    assert restrictions == list(Page.get_view_restrictions(attendu)) == []
    restriction = PageViewRestriction.objects.create(page=attendu, restriction_type=PageViewRestriction.LOGIN)
    racine = sites.site_pour_hote("127.0.0.1", 80).root_page.specific
    assert "restrictions_lues" in racine.__dict__
    assert list(racine.get_view_restrictions()) == [restriction]


def test_la_racine_changee_de_classe_est_lue_comme_wagtail_la_lit():
    site = Site.objects.get()
    sites.site_pour_hote("127.0.0.1", 80)
    racine = Page.objects.get(depth=1)
    autre = racine.add_child(instance=Page(title="Racine simple", slug="racine-simple"))
    Site.objects.filter(pk=site.pk).update(root_page=autre)
    trouve = sites.site_pour_hote("127.0.0.1", 80)  # joined the former class: no row, Wagtail's specific
    assert type(trouve.root_page.specific) is Page and trouve.root_page.specific.title == "Racine simple"
    assert type(sites.site_pour_hote("127.0.0.1", 80).root_page.specific) is Page


def test_la_page_d_accueil_routee_sans_lire_sa_page_specifique(client, settings, django_assert_num_queries):
    """The home page: its route reads the site (with its specific root page) and nothing more."""
    settings.CACHE_PAGES = False
    assert client.get("/").status_code == 200
    with django_assert_num_queries(requetes_du_site()):
        page, _args, _kwargs = Page.route_for_request(RequestFactory().get("/", HTTP_HOST="127.0.0.1"), "/")
        assert list(page.get_view_restrictions()) == []


def test_racines_des_sites_gardees_par_version(settings, monkeypatch):
    """``Site.get_site_root_paths`` is Wagtail's, kept in the process for the version of the data read for the
    current request; without a version (or CACHE_NAVIGATION off) Wagtail's cache is read each time."""
    assert Site.get_site_root_paths is sites.racines_des_sites
    lectures = []
    originale = sites._racines_originale
    monkeypatch.setattr(sites, "_racines_originale", lambda: lectures.append(1) or originale())
    version = [None]
    monkeypatch.setattr(sites, "version_de_la_requete", lambda: version[0])
    settings.CACHE_NAVIGATION = True
    attendu = originale()
    assert attendu and Site.get_site_root_paths() == attendu and Site.get_site_root_paths() == attendu
    assert len(lectures) == 2  # no version: Wagtail's each time
    version[0] = 7
    assert Site.get_site_root_paths() == attendu and Site.get_site_root_paths() == attendu
    assert len(lectures) == 3
    site = Site.objects.get()
    Site.objects.filter(pk=site.pk).update(hostname="nouveau.example", port=8443)
    Site.clear_site_root_paths_cache()
    version[0] = 8  # a write raised the version: read again
    assert [r.root_url for r in Site.get_site_root_paths()] == ["http://nouveau.example:8443"]
    assert len(lectures) == 4
    settings.CACHE_NAVIGATION = False
    Site.get_site_root_paths()
    assert len(lectures) == 5


def test_parties_d_url_comme_wagtail_gardees(accueil, creer_actualites, monkeypatch):
    """``Page.get_url_parts`` is Wagtail's, kept per URL path, root paths, URL configuration, prefix and
    language: the same parts for every page; computed once for the same inputs; a page renamed gets its new
    URL; another script prefix its own."""
    from django.urls import set_script_prefix

    assert Page.get_url_parts is sites.parties_d_url
    actualite = creer_actualites(1)[0]
    for page in Page.objects.all():
        assert sites.parties_d_url(page) == sites._parties_originale(page)
    appels = []
    originale = sites._parties_originale
    monkeypatch.setattr(sites, "_parties_originale",
                        lambda page, request=None: appels.append(1) or originale(page, request))
    sites._parties.clear()
    url = Page.objects.get(pk=actualite.pk).url
    assert Page.objects.get(pk=actualite.pk).url == url and len(appels) == 1
    actualite.slug = "nouveau-nom"
    actualite.save_revision().publish()
    assert Page.objects.get(pk=actualite.pk).url.endswith("/nouveau-nom/") and len(appels) == 2
    set_script_prefix("/sous-chemin/")
    try:
        assert Page.objects.get(pk=actualite.pk).url.startswith("/sous-chemin/") and len(appels) == 3
    finally:
        set_script_prefix("/")
