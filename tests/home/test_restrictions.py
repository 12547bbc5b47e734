"""The view restrictions of the site's pages (``home.restrictions``): the same as Wagtail's, read by queries
compiled once; a restricted page is refused to a visitor and its section left out of the home page's lists."""

import pytest
from wagtail.models import Page, PageViewRestriction

from conseil_ess import compilation
from home.models import NewsPage, StandardPage
from home.restrictions import prive_q

from .outils import contenu_principal, publier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sans_memo():
    compilation.oublier()
    yield
    compilation.oublier()


@pytest.fixture
def arbre(accueil, index_actualites, creer_actualites):
    rubrique = publier(accueil, StandardPage(title="Rubrique", slug="rubrique"))
    sous = publier(rubrique, StandardPage(title="Sous-page", slug="sous-page"))
    [actualite] = creer_actualites(1)
    # An alias of the news item, in the section: it has the restrictions of its source page, not of its section.
    alias = actualite.create_alias(parent=rubrique, update_slug="alias-actualite")
    return {"accueil": accueil, "rubrique": rubrique, "sous": sous, "index": index_actualites,
            "actualite": actualite, "alias": alias}


def _identifiants(restrictions):
    return sorted(r.pk for r in restrictions)


def _comparer(arbre, django_assert_max_num_queries):
    for nom, page in arbre.items():
        page = Page.objects.get(pk=page.pk).specific
        attendu = _identifiants(Page.get_view_restrictions(page))  # Wagtail's own
        for _fois in range(2):
            with django_assert_max_num_queries(1 if page.alias_of_id is None else 3):
                assert _identifiants(page.get_view_restrictions()) == attendu, nom
    attendu = set(Page.objects.exclude(Page.objects.all().private_q()).values_list("pk", flat=True))
    assert set(Page.objects.exclude(prive_q()).values_list("pk", flat=True)) == attendu


def test_memes_restrictions_que_wagtail(arbre, django_assert_max_num_queries):
    _comparer(arbre, django_assert_max_num_queries)  # none
    PageViewRestriction.objects.create(page=arbre["rubrique"], restriction_type=PageViewRestriction.LOGIN)
    _comparer(arbre, django_assert_max_num_queries)
    PageViewRestriction.objects.create(page=arbre["index"], restriction_type=PageViewRestriction.PASSWORD,
                                       password="secret")
    _comparer(arbre, django_assert_max_num_queries)
    PageViewRestriction.objects.filter(page=arbre["rubrique"]).delete()
    _comparer(arbre, django_assert_max_num_queries)


def test_une_page_protegee_est_refusee_au_visiteur_des_que_la_restriction_existe(client, arbre):
    assert client.get(arbre["sous"].url).status_code == 200
    PageViewRestriction.objects.create(page=arbre["rubrique"], restriction_type=PageViewRestriction.LOGIN)
    reponse = client.get(arbre["sous"].url)
    assert reponse.status_code == 302 and "next=/rubrique/sous-page/" in reponse["Location"]
    PageViewRestriction.objects.all().delete()
    assert client.get(arbre["sous"].url).status_code == 200


def test_l_accueil_suit_les_restrictions(client, arbre):
    html = contenu_principal(client.get("/"))
    assert f'href="{arbre["actualite"].url}"' in html and f'href="{arbre["alias"].url}"' in html
    restriction = PageViewRestriction.objects.create(page=arbre["index"], restriction_type=PageViewRestriction.LOGIN)
    html = contenu_principal(client.get("/"))
    # The news item is hidden with its section; its alias, in a section without restriction, is not.
    assert f'href="{arbre["actualite"].url}"' not in html and f'href="{arbre["alias"].url}"' in html
    assert list(NewsPage.objects.exclude(prive_q())) == [arbre["alias"]]
    restriction.delete()
    assert f'href="{arbre["actualite"].url}"' in contenu_principal(client.get("/"))
