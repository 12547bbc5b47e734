"""The WebSockets follow the session (issue 19): closed at logout, password change, deactivation, deletion
and loss of the mandate; the session checked again at each vote; the Origin compared in full."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.urls import reverse

from conseil_ess.asgi import application
from conseil_ess.comptes import services as services_comptes
from conseil_ess.comptes.models import MembreConseil
from conseil_ess.seances.models import Bulletin
from tests.comptes.test_websocket import en_tetes
from tests.conftest import creer_utilisateur
from tests.factories import MOT_DE_PASSE, UserFactory
from tests.seances.fabriques import presents, seance_avec_scrutin

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

DELAI = 5


async def socket_notifications(client, user):
    headers = await sync_to_async(en_tetes)(client, user)
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connecte, _ = await ws.connect()
    assert connecte
    return ws


async def attendre_fermeture(ws):
    """Read until the server closes the socket; return the close code (fails after DELAI seconds). The client then
    disconnects, as a browser does: the consumer ends here, not in the event loop's teardown (a CI run hung there
    once, on the Redis layer)."""
    while True:
        sortie = await ws.receive_output(timeout=DELAI)
        if sortie["type"] == "websocket.close":
            await ws.disconnect(code=sortie.get("code", 1000))
            return sortie.get("code")


async def test_deconnexion_ferme_les_sockets_de_la_session(client):
    user = await sync_to_async(UserFactory)()
    ws = await socket_notifications(client, user)
    await sync_to_async(client.post)(reverse("account_logout"))
    assert await attendre_fermeture(ws) == 4401


async def test_deconnexion_d_une_autre_session_ne_ferme_pas_celle_ci(client):
    from django.test import Client

    user = await sync_to_async(UserFactory)()
    ws = await socket_notifications(client, user)
    autre = Client()
    await sync_to_async(autre.force_login)(user)
    await sync_to_async(autre.post)(reverse("account_logout"))
    assert await ws.receive_nothing(timeout=0.5)
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from(timeout=DELAI) == {"type": "pong"}
    await ws.disconnect()


async def test_changement_de_mot_de_passe_ferme_les_sockets(client):
    user = await sync_to_async(UserFactory)()
    ws = await socket_notifications(client, user)
    nouveau = "Un-autre-mot-de-passe-2027"
    reponse = await sync_to_async(client.post)(reverse("account_change_password"), {
        "oldpassword": MOT_DE_PASSE, "password1": nouveau, "password2": nouveau})
    assert reponse.status_code == 302
    assert await attendre_fermeture(ws) == 4401


async def test_compte_desactive_ferme_les_sockets(client):
    user = await sync_to_async(UserFactory)()
    ws = await socket_notifications(client, user)
    user.is_active = False
    await sync_to_async(user.save)()
    assert await attendre_fermeture(ws) == 4401


async def test_compte_supprime_ferme_les_sockets(client):
    user = await sync_to_async(UserFactory)()
    ws = await socket_notifications(client, user)
    await sync_to_async(user.delete)()
    assert await attendre_fermeture(ws) == 4401


def _seance_et_membre():
    agent = creer_utilisateur("agent")
    seance, scrutin, _ = seance_avec_scrutin(agent)
    seance.evenement  # loaded here: the slug is read in async code
    [membre] = presents(seance, 1, agent)
    return seance, scrutin, agent, membre


async def _socket_seance(client, seance, membre):
    headers = await sync_to_async(en_tetes)(client, membre)
    ws = WebsocketCommunicator(application, f"/ws/seances/{seance.slug}/", headers=headers)
    connecte, _ = await ws.connect()
    assert connecte
    assert (await ws.receive_json_from(timeout=DELAI))["type"] == "etat"
    return ws


@pytest.mark.dates
async def test_perte_du_mandat_ferme_les_sockets_du_direct(client):
    seance, scrutin, agent, membre = await sync_to_async(_seance_et_membre)()
    ws = await _socket_seance(client, seance, membre)
    mandat = await sync_to_async(MembreConseil.objects.get)(user=membre)
    await sync_to_async(services_comptes.suspendre_mandat_conseil)(mandat, agent, "Mandat terminé")
    assert await attendre_fermeture(ws) == 4401


@pytest.mark.dates
async def test_un_vote_sur_un_socket_dont_la_session_a_pris_fin_est_refuse(client):
    """The session is read again at each vote: gone (expired, or removed without a signal), no vote."""
    seance, scrutin, agent, membre = await sync_to_async(_seance_et_membre)()
    ws = await _socket_seance(client, seance, membre)
    await sync_to_async(Session.objects.all().delete)()

    await ws.send_json_to({"type": "voter", "scrutin": scrutin.pk, "choix": "pour"})

    while True:
        message = await ws.receive_json_from(timeout=DELAI)
        if message["type"] == "erreur":
            break
    assert "reconnectez-vous" in message["message"]
    assert await attendre_fermeture(ws) == 4401
    assert not await sync_to_async(Bulletin.objects.exists)()


@pytest.mark.parametrize(("origine", "hote", "accepte"), [
    (b"http://testserver", None, True),
    (b"http://testserver:9999", None, False),
    (b"https://testserver", None, False),
    (b"http://127.0.0.1:8123", b"127.0.0.1:8123", True),
    (b"http://127.0.0.1:9999", b"127.0.0.1:8123", False),
    (b"https://127.0.0.1:8123", b"127.0.0.1:8123", False),
    (b"http://127.0.0.1:8123", b"pirate.example.com:8123", False),
    (b"null", b"127.0.0.1:8123", False),
])
async def test_l_origine_est_comparee_en_entier(origine, hote, accepte):
    headers = [(b"origin", origine)] + ([(b"host", hote)] if hote else [])
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    try:
        connecte, code = await ws.connect()
        # An accepted origin reaches the consumer, which refuses an anonymous socket with its own code (4401);
        # another stops at the handshake (403), before any consumer.
        assert not connecte
        assert (code == 4401) is accepte
    finally:
        # The refused consumer still waits for the client's disconnect: end it here, not in the event loop's
        # teardown (which cancels every task at once; one CI run hung there on the Redis layer).
        await ws.disconnect()
