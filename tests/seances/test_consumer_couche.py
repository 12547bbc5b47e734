"""The live socket when the channel layer loses its state or its Redis: memberships come back by themselves, and
a layer that fails closes the socket with a code the page reconnects on (static/js/seance_direct.js gives up on
4404 only). The real Redis restart is drill 2 of tests/production/test_pile.py."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from redis.exceptions import ConnectionError as RedisConnectionError

from conseil_ess.comptes.consumers import CODE_COUCHE_INJOIGNABLE
from conseil_ess.seances import diffusion

from .test_consumer import DELAI, avec_scrutin, calmer, chemin, connecter, un_agent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def message_temoin(seance_id, version):
    return diffusion._message(seance_id, {"version": version})


async def test_le_socket_rejoint_le_groupe_de_sa_seance_apres_une_perte_d_adhesion(settings):
    couche = get_channel_layer()
    if not isinstance(couche, InMemoryChannelLayer):
        pytest.skip("couche en mémoire seulement (le redémarrage réel de Redis : exercice 2 de la pile)")
    settings.SOCKETS_REJOINDRE_GROUPES = 0.3
    agent = await un_agent()
    seance, _, _ = await sync_to_async(avec_scrutin)(agent)
    ws = await connecter(seance)
    assert (await ws.receive_json_from(timeout=DELAI))["type"] == "etat"
    groupe = diffusion.groupe(seance.pk)
    assert couche.groups.get(groupe)

    # What a Redis restarted with nothing on disk does to an open socket: the group forgets it.
    couche.groups.pop(groupe)
    await couche.group_send(groupe, message_temoin(seance.pk, 900))
    assert await ws.receive_nothing(timeout=0.1)  # negative control: deaf for now

    await asyncio.sleep(0.6)  # two re-join periods
    assert couche.groups.get(groupe)
    await couche.group_send(groupe, message_temoin(seance.pk, 901))
    assert await ws.receive_json_from(timeout=DELAI) == {"type": "etat", "version": 901}
    await ws.disconnect()


async def test_couche_en_panne_le_socket_ouvert_se_ferme_avec_le_code_de_reconnexion(monkeypatch):
    agent = await un_agent()
    seance, _, _ = await sync_to_async(avec_scrutin)(agent)
    couche = get_channel_layer()
    panne = asyncio.Event()
    recevoir = couche.receive

    async def receive(canal):
        # The layer's receive as it behaves when Redis stops: it raises (here as soon as the outage starts).
        reception = asyncio.ensure_future(recevoir(canal))
        arret = asyncio.ensure_future(panne.wait())
        fini, _ = await asyncio.wait({reception, arret}, return_when=asyncio.FIRST_COMPLETED)
        if reception in fini:
            arret.cancel()
            return reception.result()
        reception.cancel()
        raise RedisConnectionError("Connection closed by server.")

    monkeypatch.setattr(couche, "receive", receive)
    ws = await connecter(seance)
    assert (await ws.receive_json_from(timeout=DELAI))["type"] == "etat"
    await calmer(ws)  # the set-up's trailing broadcast, if any, comes through the working layer
    assert await ws.receive_nothing(timeout=0.2)  # open and quiet while the layer works

    panne.set()
    assert await ws.receive_output(timeout=DELAI) == {"type": "websocket.close", "code": CODE_COUCHE_INJOIGNABLE}
    assert CODE_COUCHE_INJOIGNABLE != 4404  # the only code the page does not reconnect on
    await ws.disconnect()


async def test_couche_en_panne_a_la_connexion_le_socket_est_refuse_avec_le_code_de_reconnexion(monkeypatch):
    from channels.testing import WebsocketCommunicator

    from conseil_ess.asgi import application
    from tests.comptes.test_websocket import ORIGINE

    agent = await un_agent()
    seance, _, _ = await sync_to_async(avec_scrutin)(agent)
    couche = get_channel_layer()

    async def group_add(groupe, canal):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(couche, "group_add", group_add)
    ws = WebsocketCommunicator(application, chemin(seance), headers=[ORIGINE])
    assert await ws.connect(timeout=DELAI) == (False, CODE_COUCHE_INJOIGNABLE)
    await ws.disconnect()
