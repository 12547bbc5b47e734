"""The one listener per process of the séances' broadcasts (``relais.py``), with a channel layer that fails."""

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer

from conseil_ess.seances import relais as module_relais
from conseil_ess.seances.diffusion import _message, groupe
from conseil_ess.seances.relais import Relais

pytestmark = pytest.mark.asyncio


class CouchePerdantSesGroupes(InMemoryChannelLayer):
    """An in-memory layer whose next ``receive`` fails once and forgets every group (Redis restarted)."""

    panne = False

    async def receive(self, channel):
        if self.panne:
            self.panne = False
            self.groups.clear()
            raise ConnectionError("Redis est parti")
        return await super().receive(channel)


class Socket:
    def __init__(self):
        self.recus = []

    async def seance_etat(self, message):
        self.recus.append(message["etat"]["version"])


async def attendre(condition, delai=3):
    fin = asyncio.get_running_loop().time() + delai
    while not condition():
        assert asyncio.get_running_loop().time() < fin, "rien reçu à temps"
        await asyncio.sleep(0.01)


async def test_apres_une_panne_de_la_couche_le_relais_rejoint_ses_groupes_et_remet_les_diffusions(monkeypatch):
    monkeypatch.setattr(module_relais, "PAUSE_APRES_ECHEC", 0.01)
    couche = CouchePerdantSesGroupes()
    relais = Relais(couche)
    socket = Socket()
    await relais.abonner(7, socket)
    await couche.group_send(groupe(7), _message(7, {"version": 1}))
    await attendre(lambda: socket.recus == [1])

    couche.panne = True  # the listener's next receive (after version 2) fails, and the layer forgets the groups
    await couche.group_send(groupe(7), _message(7, {"version": 2}))
    await attendre(lambda: socket.recus == [1, 2])
    await attendre(lambda: not couche.panne and couche.groups.get(groupe(7)))  # joined again after the failure
    await couche.group_send(groupe(7), _message(7, {"version": 3}))
    await attendre(lambda: 3 in socket.recus)

    await relais.desabonner(7, socket)
    assert relais.tache is None and not couche.groups.get(groupe(7))


async def test_un_socket_en_echec_n_empeche_pas_les_autres_de_recevoir():
    class SocketFerme(Socket):
        async def seance_etat(self, message):
            raise RuntimeError("socket fermé")

    couche = InMemoryChannelLayer()
    relais = Relais(couche)
    ferme, ouvert = SocketFerme(), Socket()
    await relais.abonner(7, ferme)
    await relais.abonner(7, ouvert)
    await couche.group_send(groupe(7), _message(7, {"version": 1}))
    await attendre(lambda: ouvert.recus == [1])
    await relais.desabonner(7, ferme)
    await relais.desabonner(7, ouvert)
