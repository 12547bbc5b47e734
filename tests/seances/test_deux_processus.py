"""Two daphne processes behind the same Redis: every change reaches the watchers of both.

The test starts two real ``daphne`` servers (child processes) on the test database (PostgreSQL: the data
committed by this transactional test) and the Redis channel layer (``REDIS_URL``). Watchers connect to both
with a real WebSocket client; a member votes over a socket to process 1, another through the vote form
(HTTP POST) of process 2, and the secrétariat closes the vote through the control panel of process 1: the
watchers of the other process get each new count and the result. The in-memory layer could not carry a
message from one process to the other, so this proves the Redis fan-out. CI's second pass runs it
(``DATABASE_URL=postgres://…`` and ``REDIS_URL=redis://…``); it is skipped, with the reason, otherwise.
"""

import asyncio
import http.client
import json
import os
import string
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.crypto import get_random_string

from conseil_ess.seances.models import Bulletin, Scrutin
from tests.benchmarks.serveurs import ClientWS, Daphne, attendre_tous, url_base_de_donnees
from tests.conftest import creer_utilisateur

from .fabriques import presents, seance_avec_scrutin

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
        reason="Deux processus daphne : REDIS_URL et une base PostgreSQL (DATABASE_URL=postgres://…) requis ; "
               "2e passe de CI",
    ),
    pytest.mark.django_db(transaction=True),
]

SPECTATEURS_PAR_PROCESSUS = 5
DELAI = 60  # deadline for a state to cross processes, not a measure


@pytest.fixture
def deux_daphne(transactional_db):
    """Two daphne processes on this test's database and Redis; both always stopped afterwards."""
    env = {
        "DJANGO_SETTINGS_MODULE": "conseil_ess.settings.test",
        # The test database (``test_…``), where this transactional test commits its data.
        "DATABASE_URL": url_base_de_donnees(connection.settings_dict),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CONN_MAX_AGE": "0",
    }
    serveurs = [Daphne(env, "daphne-1"), Daphne(env, "daphne-2")]
    try:
        for serveur in serveurs:
            serveur.demarrer()
        for serveur in serveurs:
            serveur.attendre_pret()
        yield serveurs
    finally:
        for serveur in serveurs:
            serveur.arreter()


def cookies_de(user):
    """The session cookie of ``user`` (database sessions: the daphne processes read the same row)."""
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def en_tete_cookie(cookies):
    return "; ".join(f"{nom}={valeur}" for nom, valeur in cookies.items())


def requete(serveur, methode, chemin, cookies=None, donnees=None):
    """An HTTP request to ``serveur`` (no redirect followed); return (status, Location, body)."""
    cookies = dict(cookies or {})
    en_tetes = {}
    corps = None
    if donnees is not None:
        # Django accepts the unmasked secret of the CSRF cookie as the form's token.
        jeton = get_random_string(32, string.ascii_letters + string.digits)
        cookies[settings.CSRF_COOKIE_NAME] = jeton
        corps = urlencode({**donnees, "csrfmiddlewaretoken": jeton})
        en_tetes["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        en_tetes["Cookie"] = en_tete_cookie(cookies)
    connexion = http.client.HTTPConnection("127.0.0.1", serveur.port, timeout=DELAI)
    try:
        connexion.request(methode, chemin, body=corps, headers=en_tetes)
        reponse = connexion.getresponse()
        return reponse.status, reponse.getheader("Location"), reponse.read()
    finally:
        connexion.close()


def votants(client):
    etat = client.dernier_etat()
    return etat["scrutin"]["votants"] if etat and etat["scrutin"] else None


async def scenario(serveurs, slug, scrutin_id, cookies_membres, cookies_agent):
    p1, p2 = serveurs
    chemin = f"/ws/seances/{slug}/"
    spectateurs = {
        p.nom: [await ClientWS.connecter(p, chemin, nom=f"spectateur {i} de {p.nom}")
                for i in range(SPECTATEURS_PAR_PROCESSUS)]
        for p in serveurs
    }
    tous = spectateurs[p1.nom] + spectateurs[p2.nom]
    votant = None
    try:
        await attendre_tous(tous, lambda c: votants(c) == 0, "l'état initial (0 votant)", DELAI)

        # A member votes over a socket to process 1: the watchers of process 2 see the count rise.
        votant = await ClientWS.connecter(p1, chemin, cookie=en_tete_cookie(cookies_membres[0]), nom="votant 1")
        await votant.envoyer({"type": "voter", "scrutin": scrutin_id, "choix": "pour"})
        await attendre_tous([votant], lambda c: any(m.get("type") in ("vote_enregistre", "erreur")
                                                    for _t, m in c.messages), "réponse au vote", DELAI)
        assert [m for _t, m in votant.messages if m.get("type") == "erreur"] == []
        await attendre_tous(spectateurs[p2.nom], lambda c: votants(c) == 1, "1 votant (vote sur le processus 1)",
                            DELAI)

        # Another votes through the form of process 2: the watchers of process 1 see it.
        statut, location, _corps = await asyncio.to_thread(
            requete, p2, "POST", f"/seances/{slug}/direct/voter/", cookies_membres[1],
            {"scrutin": scrutin_id, "choix": "contre"})
        assert (statut, location) == (302, f"/seances/{slug}/direct/#vote")
        await attendre_tous(spectateurs[p1.nom], lambda c: votants(c) == 2, "2 votants (formulaire du processus 2)",
                            DELAI)

        # The secrétariat closes the vote on process 1: everyone, on both processes, gets the result.
        statut, location, corps = await asyncio.to_thread(
            requete, p1, "POST", f"/seances/{slug}/direct/piloter/", cookies_agent,
            {"action": "clore", "scrutin": scrutin_id})
        assert (statut, location) == (302, f"/seances/{slug}/direct/#pilotage"), corps[:2000]

        def resultat(c):
            etat = c.dernier_etat()
            return etat["scrutin"] and etat["scrutin"]["statut"] == Scrutin.Statut.CLOS

        await attendre_tous(tous, resultat, "le résultat", DELAI)
        for c in tous:
            s = c.dernier_etat()["scrutin"]
            assert (s["id"], s["pour"], s["contre"], s["abstention"], s["votants"]) == (scrutin_id, 1, 1, 0, 2)
            # Each watcher's counts only went up, in version order.
            etats = c.etats
            assert [e["version"] for e in etats] == sorted(e["version"] for e in etats), c.nom
            assert [e["scrutin"]["votants"] for e in etats] == sorted(e["scrutin"]["votants"] for e in etats), c.nom
    finally:
        await asyncio.gather(*(c.fermer() for c in [*tous, *([votant] if votant else [])]),
                             return_exceptions=True)


def test_deux_processus_daphne_derriere_redis_chaque_changement_atteint_les_spectateurs_des_deux(deux_daphne):
    agent = creer_utilisateur("agent")  # with TOTP: required to drive a séance
    seance, scrutin, agent = seance_avec_scrutin(agent=agent)
    membres = presents(seance, 2, agent)
    slug = seance.slug

    # Both processes read this test's database: each serves the séance (unknown anywhere else).
    for serveur in deux_daphne:
        statut, _location, corps = requete(serveur, "GET", f"/seances/{slug}/direct/etat/")
        assert statut == 200, (serveur.nom, corps[:500], serveur.traces())
        etat = json.loads(corps)
        assert etat["scrutin"]["id"] == scrutin.pk and etat["scrutin"]["votants"] == 0

    asyncio.run(scenario(deux_daphne, slug, scrutin.pk, [cookies_de(m) for m in membres], cookies_de(agent)))

    assert sorted(Bulletin.objects.filter(scrutin=scrutin).values_list("choix", flat=True)) == ["contre", "pour"]
    scrutin.refresh_from_db()
    assert (scrutin.statut, scrutin.pour, scrutin.contre) == (Scrutin.Statut.CLOS, 1, 1)
