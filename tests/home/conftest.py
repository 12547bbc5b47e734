"""Fixtures for the Wagtail pages (home app)."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from home.models import ChampActionPage, ChampsIndexPage, LegalPage, NewsIndexPage, NewsPage, StandardPage
from home.setup import assurer_site

from .outils import paragraphe, publier


@pytest.fixture
def accueil(db):
    return assurer_site()


@pytest.fixture
def page_standard(accueil):
    return publier(accueil, StandardPage(
        title="Page de test", slug="page-de-test", intro="Un chapô de test.",
        body=paragraphe("<p>Le mot hippocampe-violet figure dans le corps.</p>"),
    ))


@pytest.fixture
def index_champs(accueil):
    return publier(accueil, ChampsIndexPage(title="Nos champs", slug="nos-champs", intro="Les champs."))


@pytest.fixture
def creer_champ(index_champs):
    def creer(numero, leviers=(), **champs):
        champs.setdefault("slug", f"champ-{numero}")
        champs.setdefault("nom_canonique", f"Nom canonique {numero}")
        page = ChampActionPage(title=f"Champ {numero}", numero=numero, **champs)
        page.leviers = [page.leviers.model(libelle=libelle, sort_order=i) for i, libelle in enumerate(leviers)]
        return publier(index_champs, page)

    return creer


@pytest.fixture
def index_actualites(accueil):
    return publier(accueil, NewsIndexPage(title="Actualités", slug="actualites-test", intro="Les nouvelles."))


@pytest.fixture
def creer_actualites(index_actualites):
    def creer(nombre, debut=0):
        pages = []
        for i in range(debut, debut + nombre):
            pages.append(publier(index_actualites, NewsPage(
                title=f"Actualité numéro {i}", slug=f"actualite-{i}",
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i), intro=f"Résumé {i}.",
            )))
        return pages

    return creer


@pytest.fixture
def pages_legales(accueil):
    return [
        publier(accueil, LegalPage(title="Mentions légales", slug="mentions-legales",
                                   mis_a_jour_le=datetime.date(2026, 5, 15))),
        publier(accueil, LegalPage(title="Données personnelles", slug="donnees-personnelles",
                                   mis_a_jour_le=datetime.date(2026, 5, 15))),
        publier(accueil, LegalPage(title="Déclaration d'accessibilité", slug="accessibilite",
                                   mis_a_jour_le=datetime.date(2026, 5, 15), etat_conformite="partielle")),
    ]


@pytest.fixture
def client_admin(client, db):
    """A logged-in superuser with TOTP set up (the MFA middleware requires it for /admin/)."""
    user = get_user_model().objects.create_superuser(email="admin@example.org", password="motdepasse-solide-42")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(user)
    return client
