"""The notifications WebSocket through the real ASGI application (origin, session, routing)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from conseil_ess.asgi import application
from conseil_ess.comptes.notifications import notifier
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGINE = (b"origin", b"http://testserver")


def en_tetes(client, user, origine=ORIGINE):
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    return [origine, (b"cookie", cookie)]


async def test_notification_poussee_apres_commit(client):
    user = await sync_to_async(UserFactory)()
    headers = await sync_to_async(en_tetes)(client, user)
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connecte, _ = await ws.connect()
    assert connecte

    def creer():
        with transaction.atomic():
            notifier(user, "Votre structure a été validée", url="/structures/x/")
            # Nothing is sent before the commit.
    await sync_to_async(creer)()
    message = await ws.receive_json_from(timeout=5)
    assert message["type"] == "notification"
    assert message["titre"] == "Votre structure a été validée"
    assert message["non_lues"] == 1
    await ws.disconnect()


async def test_rien_n_est_envoye_si_la_transaction_echoue(client):
    user = await sync_to_async(UserFactory)()
    headers = await sync_to_async(en_tetes)(client, user)
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    await ws.connect()

    def creer_puis_annuler():
        try:
            with transaction.atomic():
                notifier(user, "Ne doit pas partir")
                raise RuntimeError
        except RuntimeError:
            pass
    await sync_to_async(creer_puis_annuler)()
    assert await ws.receive_nothing(timeout=0.5)
    await ws.disconnect()


async def test_une_personne_ne_recoit_pas_les_notifications_d_une_autre(client):
    alice, bob = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    headers = await sync_to_async(en_tetes)(client, alice)
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    await ws.connect()
    await sync_to_async(notifier)(bob, "Pour Bob")
    assert await ws.receive_nothing(timeout=0.5)
    await ws.disconnect()


async def test_anonyme_refuse():
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGINE])
    connecte, code = await ws.connect()
    assert not connecte
    assert code == 4401
    await ws.disconnect()


async def test_origine_etrangere_refusee(client):
    user = await sync_to_async(UserFactory)()
    headers = await sync_to_async(en_tetes)(client, user, (b"origin", b"https://pirate.example.com"))
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connecte, _ = await ws.connect()
    assert not connecte
    await ws.disconnect()


async def test_chemin_inconnu_refuse_proprement():
    ws = WebsocketCommunicator(application, "/ws/nimporte-quoi/42/", headers=[ORIGINE])
    connecte, code = await ws.connect()
    assert not connecte
    assert code == 4404
    await ws.disconnect()
