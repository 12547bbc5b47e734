"""The notifications socket when the channel layer loses its memberships (a Redis restarted with nothing on disk)
or fails: it joins its groups again by itself, and a failing layer closes it with the code the page reconnects
on (static/js/notifications.js gives up on 4401 only). The same mixin serves the live séance socket
(tests/seances/test_consumer_couche.py); the real Redis restart is drill 2 of tests/production/test_pile.py."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError

from conseil_ess.asgi import application
from conseil_ess.comptes.consumers import CODE_COUCHE_INJOIGNABLE
from conseil_ess.comptes.notifications import groupe_utilisateur, notifier
from tests.factories import UserFactory

from .test_websocket import en_tetes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def _socket(client):
    user = await sync_to_async(UserFactory)()
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=await sync_to_async(en_tetes)(client, user))
    connecte, _ = await ws.connect(timeout=5)
    assert connecte
    return user, ws


def _notifier(user, titre):
    with transaction.atomic():
        notifier(user, titre)


async def test_le_socket_de_notifications_rejoint_son_groupe_apres_une_perte_d_adhesion(client, settings):
    couche = get_channel_layer()
    if not isinstance(couche, InMemoryChannelLayer):
        pytest.skip("couche en mémoire seulement (le redémarrage réel de Redis : exercice 2 de la pile)")
    settings.SOCKETS_REJOINDRE_GROUPES = 0.3
    user, ws = await _socket(client)
    groupe = groupe_utilisateur(user.pk)
    assert couche.groups.get(groupe)

    couche.groups.pop(groupe)  # what a Redis restart does to an open socket's membership
    await sync_to_async(_notifier)(user, "Perdue")
    assert await ws.receive_nothing(timeout=0.1)  # negative control: deaf for now

    await asyncio.sleep(0.6)  # two re-join periods
    await sync_to_async(_notifier)(user, "Retrouvée")
    message = await ws.receive_json_from(timeout=5)
    assert message["type"] == "notification" and message["titre"] == "Retrouvée"
    await ws.disconnect()


async def test_couche_en_panne_le_socket_de_notifications_se_ferme_avec_le_code_de_reconnexion(client, settings,
                                                                                                 monkeypatch):
    settings.SOCKETS_REJOINDRE_GROUPES = 0.2
    user, ws = await _socket(client)
    couche = get_channel_layer()

    async def group_add(groupe, canal):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(couche, "group_add", group_add)  # the next re-join meets Redis down
    assert await ws.receive_output(timeout=5) == {"type": "websocket.close", "code": CODE_COUCHE_INJOIGNABLE}
    assert CODE_COUCHE_INJOIGNABLE != 4401  # the only code the notifications script does not reconnect on
    await ws.disconnect()
