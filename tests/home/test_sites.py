"""The site of a request (``home.sites``): the one Wagtail's own lookup gives, by a query compiled once when there
is one site, by Wagtail's lookup otherwise."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from conseil_ess import compilation
from home import sites

pytestmark = pytest.mark.django_db

HOTES = [("127.0.0.1", 80), ("localhost", 8000), ("conseil-ess.example.org", 443), ("autre.example", 80)]


@pytest.fixture(autouse=True)
def sans_memo():
    compilation.oublier()
    yield
    compilation.oublier()


def test_installee_dans_wagtail():
    from wagtail.models import sites as sites_wagtail

    assert sites_wagtail.get_site_for_hostname is sites.site_pour_hote


def test_un_seul_site_le_meme_que_wagtail_quel_que_soit_l_hote(django_assert_num_queries):
    [site] = Site.objects.all()
    assert site.is_default_site
    for hote, port in HOTES:
        attendu = sites._originale(hote, port)
        with django_assert_num_queries(1):
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
