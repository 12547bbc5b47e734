"""Login rate limits behind the reverse proxy (issue 19): counted per client, not per proxy.

nginx sets ``X-Forwarded-For`` and ``X-Real-IP`` (see the README, « Sécurité »); Django only believes them
when the request comes straight from one of ``PROXIES_DE_CONFIANCE``.
"""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from conseil_ess.comptes.adapter import adresse_du_client
from tests.factories import MOT_DE_PASSE, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
CLIENT_A, CLIENT_B = "203.0.113.10", "198.51.100.20"


@pytest.fixture(autouse=True)
def _limites_neuves(settings):
    """Fresh counters in a cache of this test's own: the limits' logic does not depend on the cache backend,
    and ``cache.clear()`` on the shared Redis of the PostgreSQL pass would empty the database the other test
    processes use (their channel layer groups, their cache), and theirs could empty these counters."""
    settings.PROXIES_DE_CONFIANCE = ["127.0.0.1", "::1", PROXY]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "limites-connexion"}}
    cache.clear()
    yield
    cache.clear()


def _connexion(client, courriel, mot_de_passe, client_ip, pair=PROXY):
    return client.post(reverse("account_login"), {"login": courriel, "password": mot_de_passe},
                       REMOTE_ADDR=pair, HTTP_X_FORWARDED_FOR=client_ip,
                       HTTP_X_REAL_IP=client_ip)


def _connecte(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def test_dix_echecs_d_un_client_ne_bloquent_pas_un_autre_client_derriere_le_meme_proxy(client):
    from django.test import Client

    personne = UserFactory()
    for i in range(10):
        _connexion(Client(), f"inconnu{i}@example.org", "mauvais-mot-de-passe", CLIENT_A)
    _connexion(client, personne.email, MOT_DE_PASSE, CLIENT_B)
    assert _connecte(client, personne)


def test_dix_echecs_bloquent_le_client_qui_les_a_faits(client):
    from django.test import Client

    personne = UserFactory()
    for i in range(10):
        _connexion(Client(), f"inconnu{i}@example.org", "mauvais-mot-de-passe", CLIENT_A)
    reponse = _connexion(client, personne.email, MOT_DE_PASSE, CLIENT_A)
    assert not _connecte(client, personne)
    assert reponse.status_code in (200, 429)


def test_le_verrou_par_compte_reste(client):
    """Five failures on one account lock it whatever the address (allauth's per-account limit)."""
    from django.test import Client

    personne = UserFactory()
    for i in range(5):
        _connexion(Client(), personne.email, "mauvais-mot-de-passe", f"203.0.113.{100 + i}")
    _connexion(client, personne.email, MOT_DE_PASSE, CLIENT_B)
    assert not _connecte(client, personne)


@pytest.mark.parametrize(("meta", "attendue"), [
    # From a trusted proxy: the client it names.
    ({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CLIENT_A}, CLIENT_A),
    ({"REMOTE_ADDR": PROXY, "HTTP_X_REAL_IP": CLIENT_A}, CLIENT_A),
    # A client that writes its own X-Forwarded-For before the proxy adds the real one: the last untrusted entry.
    ({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"1.2.3.4, {CLIENT_A}"}, CLIENT_A),
    ({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
    # Straight from the Internet: the headers are not believed.
    ({"REMOTE_ADDR": CLIENT_B, "HTTP_X_FORWARDED_FOR": CLIENT_A, "HTTP_X_REAL_IP": CLIENT_A}, CLIENT_B),
    # Garbage in the header: the trusted proxy's own address rather than a made-up one.
    ({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "pas-une-adresse"}, PROXY),
])
def test_adresse_du_client(meta, attendue):
    requete = RequestFactory().get("/", **meta)
    assert adresse_du_client(requete) == attendue
