"""Error pages: every 400, 403, 404, 405 and 500 in the site's layout, in French, with a way on; the
back office tells a logged-in person without access so, instead of a redirect loop."""

from html import unescape

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import path

from conseil_ess import erreurs
from conseil_ess.urls import urlpatterns as urlpatterns_du_site
from tests.conftest import ROLES, creer_utilisateur

pytestmark = pytest.mark.django_db


def _plante(request):
    raise RuntimeError("panne simulée")


def _mauvaise_demande(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("demande forgée")


# A URLconf with the site's routes and two views that fail on purpose, and the site's handlers.
urlpatterns = [path("essai/plante/", _plante), path("essai/mauvaise-demande/", _mauvaise_demande),
               *urlpatterns_du_site]
handler400 = "conseil_ess.erreurs.erreur_400"
handler403 = "conseil_ess.erreurs.erreur_403"
handler404 = "conseil_ess.erreurs.erreur_404"
handler500 = "conseil_ess.erreurs.erreur_500"


def _page_du_site(reponse):
    html = unescape(reponse.content.decode())
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and "<main" in html  # the site's layout and its skip link
    assert "Revenir à l'accueil" in html
    assert "Forbidden" not in html and "Not Found" not in html and "Server Error" not in html
    return html


def test_404_en_francais_avec_une_recherche(client):
    reponse = client.get("/cette-page-n-existe-pas/")
    assert reponse.status_code == 404
    html = _page_du_site(reponse)
    assert "Cette page est introuvable" in html
    assert 'role="search"' in html and "Consulter l'agenda" in html


def test_403_anonyme_propose_de_se_connecter():
    # Most pages send anonymous people to the login; a refusal rendered for them offers it too.
    page = erreurs.erreur_403(_requete(None, "/suivi/"))
    html = _page_du_site(page)
    assert page.status_code == 403
    assert "/compte/login/?next=/suivi/" in html


def _requete(user, chemin):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    requete = RequestFactory().get(chemin)
    requete.user = user or AnonymousUser()
    requete.session = SessionStore()
    requete._messages = FallbackStorage(requete)
    return requete


def test_403_d_un_acteur_sur_le_suivi_est_une_page_du_site(client):
    acteur = creer_utilisateur("acteur")
    client.force_login(acteur)
    reponse = client.get("/suivi/")
    assert reponse.status_code == 403
    html = _page_du_site(reponse)
    assert "Vous n'avez pas accès à cette page" in html
    assert acteur.email in html
    assert "Mon espace" in html and "mailto:" in html


def test_405_une_adresse_de_formulaire_ouverte_directement(client):
    client.force_login(creer_utilisateur("acteur"))
    reponse = client.get("/mon-espace/notifications/lues/")
    assert reponse.status_code == 405
    assert "POST" in reponse["Allow"]
    html = _page_du_site(reponse)
    assert "Cette adresse ne permet pas cette action" in html


def test_400_demande_incorrecte(client, settings):
    settings.ROOT_URLCONF = __name__
    reponse = client.get("/essai/mauvaise-demande/")
    assert reponse.status_code == 400
    html = _page_du_site(reponse)
    assert "Cette demande n'a pas pu être comprise" in html


def test_formulaire_sans_jeton_csrf():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(creer_utilisateur("acteur"))
    reponse = client.post("/mon-espace/notifications/lues/")
    assert reponse.status_code == 403
    html = _page_du_site(reponse)
    assert "Ce formulaire a expiré" in html


def test_500_sans_base_de_donnees(client, settings, django_assert_num_queries):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    reponse = client.get("/essai/plante/")
    assert reponse.status_code == 500
    html = _page_du_site(reponse)
    assert "Le site a rencontré une erreur" in html
    # The page itself reads nothing from the database: it shows even when the database is what failed.
    with django_assert_num_queries(0):
        page = erreurs.erreur_500(RequestFactory().get("/"))
    assert page.status_code == 500
    with connection.execute_wrapper(_base_en_panne):
        page = erreurs.erreur_500(RequestFactory().get("/"))
    assert "Le site a rencontré une erreur" in page.content.decode()


def _base_en_panne(execute, sql, params, many, context):
    raise RuntimeError("base de données indisponible")


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonyme"])
def test_admin_sans_boucle_de_redirection(client, role):
    user = creer_utilisateur(role)
    client.force_login(user)
    reponse = client.get("/admin/", follow=True)
    assert len(reponse.redirect_chain) <= 1, reponse.redirect_chain
    if user.has_perm("wagtailadmin.access_admin"):
        assert reponse.status_code == 200
        assert reponse.request["PATH_INFO"].startswith("/admin")
    else:
        assert reponse.status_code == 403
        html = _page_du_site(reponse)
        assert "L'administration est réservée au secrétariat du Conseil" in html
        assert "/mon-espace/" in html


def test_admin_anonyme_va_a_la_connexion(client):
    reponse = client.get("/admin/")
    assert reponse.status_code == 302
    assert reponse["Location"].startswith("/compte/login/")


def test_une_icone_de_site_sans_404(client):
    html = client.get("/cette-page-n-existe-pas/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    reponse = client.get("/favicon.ico")
    assert reponse.status_code == 301 and reponse["Location"] == "/static/favicon.svg"
    icone = client.get("/static/favicon.svg")
    assert icone.status_code == 200 and icone["Content-Type"].startswith("image/svg+xml")
