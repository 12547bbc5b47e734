"""With REDIS_URL (CI's second pass), the Redis channel layer keeps idle sockets open (PITFALLS.md)."""

import asyncio
import os

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from channels_redis.core import RedisChannelLayer
from django.conf import settings

from conseil_ess.asgi import application
from conseil_ess.comptes.notifications import notifier
from tests.comptes.test_websocket import en_tetes
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL absent : vérifié par la 2e passe de CI"),
]


def test_couche_redis_configuree():
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    hote = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    # A bounded wait, well above channels_redis's blocking receive (5 s), which an idle socket repeats forever.
    assert hote["socket_timeout"] >= 3 * RedisChannelLayer.brpop_timeout and hote["max_connections"] >= 1000
    assert hote["socket_connect_timeout"] is not None
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def test_reponses_lues_par_hiredis():
    """Redis replies are parsed by hiredis (C), not by redis-py's Python parser: the page cache's generation is read
    at every request, a cached page at every hit (requirements.txt pins it; redis-py picks it up)."""
    from django.core.cache import cache
    from redis._parsers import _HiredisParser
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE
    client = cache.client.get_client()
    connexion = client.connection_pool.get_connection()
    try:
        assert isinstance(connexion._parser, _HiredisParser)
    finally:
        client.connection_pool.release(connexion)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_socket_inactif_15_secondes_reste_ouvert(client):
    user = await sync_to_async(UserFactory)()
    headers = await sync_to_async(en_tetes)(client, user)
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connecte, _ = await ws.connect()
    assert connecte
    await asyncio.sleep(15)
    # Still open: no close frame arrived during the idle period, and a new notification gets through.
    assert await ws.receive_nothing(timeout=0.1)
    await sync_to_async(notifier)(user, "Toujours là après 15 s")
    message = await ws.receive_json_from(timeout=5)
    assert message["titre"] == "Toujours là après 15 s"
    await ws.disconnect()
