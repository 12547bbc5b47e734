"""The coalescing of a séance's broadcasts, step by step, with channels' in-memory layer and a fake clock:
the first change goes out at once, the following ones within the interval are merged into one broadcast that
carries the last state, and a change after a quiet interval goes out at once again. Each broadcast carries
the text the sockets send, serialised once."""

import asyncio
import json
import time
import types

import channels.consumer
import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer

from conseil_ess.seances import diffusion
from conseil_ess.seances.consumers import SeanceConsumer
from conseil_ess.seances.etat import etat_public

from .fabriques import version
from .test_diffusion import changer, une_seance

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

INTERVALLE = 0.3


@pytest.fixture
def horloge(monkeypatch, settings):
    """The broadcaster's clock, moved by hand (the event loop keeps the real one for its timers)."""
    settings.SEANCES_DIFFUSION_INTERVALLE = INTERVALLE
    maintenant = [1000.0]
    monkeypatch.setattr(
        diffusion, "time", types.SimpleNamespace(monotonic=lambda: maintenant[0], sleep=time.sleep, time=time.time)
    )
    for nom in ("_en_attente", "_dernier_envoi", "_verrous_envoi", "_echecs"):
        monkeypatch.setattr(diffusion, nom, {})
    monkeypatch.setattr(diffusion, "_boucle", None)
    return maintenant


@pytest.fixture
def couche(monkeypatch):
    couche = InMemoryChannelLayer()
    monkeypatch.setattr(diffusion, "get_channel_layer", lambda: couche)
    return couche


async def recevoir(couche, canal, delai):
    try:
        return await asyncio.wait_for(couche.receive(canal), delai)
    except TimeoutError:
        return None


async def test_premier_changement_immediat_suivants_regroupes_etat_final_toujours_envoye(horloge, couche):
    seance, _scrutin, _agent = await sync_to_async(une_seance)()
    canal = await couche.new_channel()
    await couche.group_add(diffusion.groupe(seance.pk), canal)
    while await recevoir(couche, canal, 3 * INTERVALLE):  # the broadcasts of the séance's creation
        pass
    horloge[0] += 60  # long after them

    # First change: sent at once (well before the interval).
    await sync_to_async(changer)(seance.pk, 1)
    debut = time.monotonic()
    message = await recevoir(couche, canal, INTERVALLE / 2)
    assert message is not None and time.monotonic() - debut < INTERVALLE / 2
    assert message["etat"]["version"] == await sync_to_async(version)(seance)

    # Three more changes within the interval: nothing before it ends, then ONE broadcast with the last state.
    horloge[0] += INTERVALLE / 10
    await sync_to_async(changer)(seance.pk, 3)
    assert await recevoir(couche, canal, INTERVALLE / 3) is None
    message = await recevoir(couche, canal, 3 * INTERVALLE)
    assert message is not None
    finale = await sync_to_async(version)(seance)
    assert message["etat"]["version"] == finale
    assert await recevoir(couche, canal, 2 * INTERVALLE) is None  # merged: no other broadcast

    # The text every socket sends is the state, serialised once in the message.
    assert json.loads(message["texte"]) == {"type": "etat", **await sync_to_async(etat_public)(seance.pk)}

    # A change after a quiet interval: at once again.
    horloge[0] += 10 * INTERVALLE
    await sync_to_async(changer)(seance.pk, 1)
    message = await recevoir(couche, canal, INTERVALLE / 2)
    assert message is not None and message["etat"]["version"] == finale + 1


async def test_le_consommateur_envoie_le_texte_du_message_tel_quel(monkeypatch):
    fermetures = []

    async def aclose_old_connections():
        fermetures.append(1)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", aclose_old_connections)
    envoyes = []
    consommateur = SeanceConsumer()

    async def base_send(message):
        if "text" in message:
            envoyes.append(message["text"])

    consommateur.base_send = base_send
    consommateur.accepte = True  # an open socket (before the handshake's answer, nothing is sent)
    await consommateur.dispatch({"type": "seance.etat", "etat": {"version": 3}, "texte": '{"type": "etat"}'})
    await consommateur.dispatch({"type": "seance.etat", "etat": {"version": 4}})  # an older process's message
    assert envoyes == ['{"type": "etat"}', json.dumps({"type": "etat", "version": 4})]
    # A broadcast does not go through the thread of database calls; other messages still do.
    assert fermetures == []
    await consommateur.dispatch({"type": "session.fermer"})
    assert fermetures == [1]
