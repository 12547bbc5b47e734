"""The routing of the site's pages in one round trip (``home.routage``): the same page, of the same type, with the
same fields, parent and view restrictions as Wagtail's own routing gives, or the same 404 or error."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from conseil_ess import compilation
from home import routage, sites
from home.models import ChampActionPage, HomePage, LegalPage, NewsPage, StandardPage
from home.routage import RoutageEnUneLecture

from .outils import publier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sans_memo():
    compilation.oublier()
    routage._types_devines.clear()
    sites._classe_racine[0] = None
    yield
    compilation.oublier()
    routage._types_devines.clear()


def _wagtail(page, request, morceaux):
    """Wagtail's ``Page.route``, level after level as Wagtail walks them (the mixin set aside meanwhile)."""
    propre = RoutageEnUneLecture.route
    RoutageEnUneLecture.route = Page.route
    try:
        return Page.route(page, request, morceaux)
    finally:
        RoutageEnUneLecture.route = propre


@pytest.fixture
def arbre(accueil, creer_champ, index_actualites, creer_actualites):
    rubrique = publier(accueil, StandardPage(title="Rubrique", slug="rubrique"))
    sous = publier(rubrique, StandardPage(title="Sous-page", slug="sous-page"))
    feuille = publier(sous, StandardPage(title="Feuille", slug="feuille"))
    brouillon = sous.add_child(instance=StandardPage(title="Brouillon", slug="brouillon", live=False))
    champ = creer_champ(2, leviers=["Levier A"])
    [actualite] = creer_actualites(1)
    # The same slug under two parents; an alias of the news item in the section.
    homonyme = publier(rubrique, StandardPage(title="Homonyme", slug=actualite.slug))
    alias = actualite.create_alias(parent=rubrique, update_slug="alias-actualite")
    return {"accueil": accueil, "rubrique": rubrique, "sous": sous, "feuille": feuille, "brouillon": brouillon,
            "champ": champ, "actualite": actualite, "homonyme": homonyme, "alias": alias}


def _chemins(arbre):
    chemins = [page.url for page in arbre.values() if page.url] + [
        "/rubrique/sous-page/brouillon/", "/rubrique/inconnue/", "/rubrique/sous-page/feuille/au-dela/",
        "/inconnue/sous-page/", "/rubrique/alias-actualite/", "/" + "/".join(["a"] * 12) + "/",
        "/rubrique/sous-page/feuille/a/b/c/d/e/f/g/",
    ]
    return sorted(set(chemins))


def _resultat(route, request, chemin):
    racine = Page.objects.get(pk=HomePage.objects.get().pk).specific
    try:
        resultat = route(racine, request, [morceau for morceau in chemin.split("/") if morceau])
    except Http404:
        return "404"
    page, args, kwargs = resultat
    parent = page.get_parent()
    champs = {champ.attname: getattr(page, champ.attname) for champ in type(page)._meta.concrete_fields}
    return (type(page), page.pk, champs, args, kwargs, type(parent), parent.pk,
            sorted(r.pk for r in page.get_view_restrictions()))


def _comparer(arbre):
    request = RequestFactory().get("/")
    for chemin in _chemins(arbre):
        for _fois in range(2):  # the type learnt, then read with the page
            attendu = _resultat(_wagtail, request, chemin)
            assert _resultat(lambda page, req, morceaux: page.route(req, morceaux), request, chemin) == attendu, (
                chemin)


def test_le_meme_routage_que_wagtail(arbre):
    _comparer(arbre)
    PageViewRestriction.objects.create(page=arbre["rubrique"], restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=arbre["feuille"], restriction_type=PageViewRestriction.PASSWORD,
                                       password="secret")
    # The alias counts as its source: a restriction on the news index covers it.
    PageViewRestriction.objects.create(page=arbre["actualite"].get_parent(),
                                       restriction_type=PageViewRestriction.LOGIN)
    _comparer(arbre)


def test_une_page_routee_en_un_aller_retour(arbre, django_assert_num_queries):
    """The page, its specific row, and the restrictions of its path: one round trip on PostgreSQL (two statements
    on SQLite), once its type is known."""
    request = RequestFactory().get("/")
    racine = HomePage.objects.get()
    morceaux = ["rubrique", "sous-page", "feuille"]
    racine.route(request, morceaux)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        page, _args, _kwargs = racine.route(request, morceaux)
        assert type(page) is StandardPage and page.title == "Feuille"
        assert list(page.get_view_restrictions()) == []
        assert page.get_parent().title == "Sous-page"


def test_une_page_qui_change_de_type_est_lue_comme_wagtail_la_lit(arbre):
    request = RequestFactory().get("/")
    racine = HomePage.objects.get()
    page, _a, _k = racine.route(request, ["rubrique", "sous-page", "feuille"])
    assert type(page) is StandardPage
    arbre["feuille"].delete()
    sous = Page.objects.get(pk=arbre["sous"].pk)
    publier(sous, LegalPage(title="Légale", slug="feuille"))
    page, _a, _k = racine.route(request, ["rubrique", "sous-page", "feuille"])
    assert type(page) is LegalPage and page.title == "Légale" and page.mis_a_jour_le is not None
    page, _a, _k = racine.route(request, ["rubrique", "sous-page", "feuille"])  # now read with the page
    assert type(page) is LegalPage and page.title == "Légale"


def test_un_type_qui_route_autrement_recoit_la_suite(arbre, monkeypatch):
    """A page type with its own ``route`` (a routable page) is given the remaining levels, as Wagtail gives them;
    the last page of the path is given none."""
    recus = []

    def route(self, request, morceaux):
        recus.append((self.title, list(morceaux)))
        return RouteResult(self, kwargs={"reste": "/".join(morceaux)})

    monkeypatch.setattr(StandardPage, "route", route, raising=False)
    racine = HomePage.objects.get()
    request = RequestFactory().get("/")
    page, _args, kwargs = racine.route(request, ["rubrique", "sous-page", "x", "y"])
    assert (page.title, kwargs) == ("Rubrique", {"reste": "sous-page/x/y"})
    page, _args, kwargs = racine.route(request, ["rubrique"])
    assert (page.title, kwargs) == ("Rubrique", {"reste": ""})
    assert recus == [("Rubrique", ["sous-page", "x", "y"]), ("Rubrique", [])]


def test_des_donnees_incoherentes_comme_wagtail(arbre):
    request = RequestFactory().get("/")
    racine = HomePage.objects.get()
    # Two children with one slug: Wagtail's ``get`` raises, and so does this routing.
    Page.objects.filter(pk=arbre["homonyme"].pk).update(slug="sous-page")
    with pytest.raises(Page.MultipleObjectsReturned):
        _wagtail(racine, request, ["rubrique", "sous-page"])
    with pytest.raises(Page.MultipleObjectsReturned):
        racine.route(request, ["rubrique", "sous-page"])
    # A page counted without children: Wagtail does not look for them.
    Page.objects.filter(pk=arbre["homonyme"].pk).update(slug="homonyme")
    Page.objects.filter(pk=arbre["sous"].pk).update(numchild=0)
    for route in (_wagtail, lambda page, req, morceaux: page.route(req, morceaux)):
        with pytest.raises(Http404):
            route(racine, request, ["rubrique", "sous-page", "feuille"])


def test_servie_par_wagtail(client, settings, arbre):
    settings.CACHE_PAGES = False
    assert "Feuille" in client.get("/rubrique/sous-page/feuille/").text
    assert client.get("/rubrique/sous-page/brouillon/").status_code == 404
    PageViewRestriction.objects.create(page=arbre["sous"], restriction_type=PageViewRestriction.LOGIN)
    reponse = client.get("/rubrique/sous-page/feuille/")
    assert reponse.status_code == 302 and "next=/rubrique/sous-page/feuille/" in reponse["Location"]
    assert client.get(arbre["champ"].url).status_code == 200


def test_tous_les_types_de_pages_du_site_routent_en_un_aller_retour():
    from django.apps import apps

    types = [modele for modele in apps.get_app_config("home").get_models() if issubclass(modele, Page)]
    assert {ChampActionPage, NewsPage, LegalPage, StandardPage, HomePage} <= set(types)
    assert all(issubclass(modele, RoutageEnUneLecture) for modele in types)


def test_mot_de_passe_et_groupes_d_une_rubrique_comme_wagtail(client, settings, arbre):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    settings.CACHE_PAGES = False
    restriction = PageViewRestriction.objects.create(page=arbre["sous"], restriction_type=PageViewRestriction.PASSWORD,
                                                     password="secret")
    reponse = client.get("/rubrique/sous-page/feuille/")
    assert reponse.status_code == 200 and "Feuille" not in reponse.text
    adresse = f"/_util/authenticate_with_password/{restriction.pk}/{arbre['feuille'].pk}/"
    client.post(adresse, {"password": "secret", "return_url": "/rubrique/sous-page/feuille/"})
    assert "Feuille" in client.get("/rubrique/sous-page/feuille/").text
    restriction.delete()
    groupe = Group.objects.create(name="Lecteurs de la rubrique")
    restriction = PageViewRestriction.objects.create(page=arbre["rubrique"],
                                                     restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(groupe)
    personne = UserFactory()
    client.force_login(personne)
    reponse = client.get("/rubrique/sous-page/feuille/")  # outside the group: Wagtail sends to its login page
    assert reponse.status_code == 302 and "next=/rubrique/sous-page/feuille/" in reponse["Location"]
    personne.groups.add(groupe)
    assert "Feuille" in client.get("/rubrique/sous-page/feuille/").text
