"""One listener per process for the broadcasts of the séances' states, handing each to the process's sockets.

When every watcher's consumer joined the séance's group itself, the Redis channel layer (channels_redis) delivered
each broadcast to every socket's own channel: for each socket and each broadcast, its ``receive`` woke up, made two
tasks and waited on them — measured with 175 sockets per daphne process, 40 % of the process's time during a vote.
Here one channel per process (and event loop) joins the group of each séance watched in that process, receives each
broadcast once and calls ``seance_etat`` of the process's consumers of that séance, which write it to their socket.

The group stays the same (``diffusion.groupe``) and so does the message: ``diffusion`` does not know who listens.
"""

import asyncio
import logging
import time
import weakref

from .diffusion import groupe

logger = logging.getLogger(__name__)

PAUSE_APRES_ECHEC = 0.5  # seconds before listening again after the channel layer failed (Redis away)

_relais = weakref.WeakKeyDictionary()  # event loop -> its Relais


class Relais:
    """The listener of one event loop: ``abonner`` / ``desabonner`` a consumer to a séance's broadcasts."""

    def __init__(self, couche):
        self.couche = couche
        self.canal = None
        self.tache = None
        self.abonnes = {}  # séance id -> set of consumers
        self.rejoint_le = {}  # séance id -> time.monotonic() of the last periodic re-join

    async def abonner(self, seance_id, consommateur):
        """Deliver the broadcasts of ``seance_id`` to ``consommateur.seance_etat`` from now on (the group is joined
        when this returns: a change committed afterwards reaches the consumer)."""
        if self.canal is None:
            self.canal = await self.couche.new_channel()
        self.abonnes.setdefault(seance_id, set()).add(consommateur)
        try:
            # Every time, not only for the first socket: refreshes the membership (groups expire in the layer).
            await self.couche.group_add(groupe(seance_id), self.canal)
        except BaseException:
            await self.desabonner(seance_id, consommateur)
            raise
        if self.tache is None:
            self.tache = asyncio.get_running_loop().create_task(self._ecouter())

    async def rejoindre(self, seance_id):
        """Join the séance's group again (idempotent): a Redis restarted with nothing on disk forgot it, while the
        connections, retried, may never have failed (the sockets call this periodically)."""
        if self.canal is None or not self.abonnes.get(seance_id):
            return
        # Every socket of the séance asks, each on its own timer: once per half period is enough for them all
        # (300 watchers would otherwise send 300 identical group_add per period).
        maintenant = time.monotonic()
        if maintenant - self.rejoint_le.get(seance_id, -1e9) < self.demi_periode():
            return
        self.rejoint_le[seance_id] = maintenant
        await self.couche.group_add(groupe(seance_id), self.canal)

    @staticmethod
    def demi_periode():
        from django.conf import settings

        return float(getattr(settings, "SOCKETS_REJOINDRE_GROUPES", 15)) / 2

    async def desabonner(self, seance_id, consommateur):
        abonnes = self.abonnes.get(seance_id)
        if abonnes is not None:
            abonnes.discard(consommateur)
            if abonnes:
                return
            del self.abonnes[seance_id]
            self.rejoint_le.pop(seance_id, None)
            if self.canal is not None:
                await self.couche.group_discard(groupe(seance_id), self.canal)
        if not self.abonnes and self.tache is not None:
            # Nobody left in this process: stop listening (a new socket starts again).
            tache, self.tache = self.tache, None
            tache.cancel()

    async def _ecouter(self):
        echec = False
        while True:
            try:
                if echec:  # Redis may have lost the groups meanwhile (restarted): join them again
                    for seance_id in list(self.abonnes):
                        await self.couche.group_add(groupe(seance_id), self.canal)
                    echec = False
                message = await self.couche.receive(self.canal)
            except asyncio.CancelledError:
                raise
            except Exception:  # the layer failed: listen again shortly, never give up while sockets watch
                logger.warning("Réception des diffusions des séances impossible ; nouvel essai", exc_info=True)
                echec = True
                await asyncio.sleep(PAUSE_APRES_ECHEC)
                continue
            for consommateur in list(self.abonnes.get(message.get("seance"), ())):
                try:
                    await consommateur.seance_etat(message)
                except Exception:  # one socket's failure never keeps the others from the state
                    logger.warning("Envoi de l'état de la séance à un socket impossible", exc_info=True)


def relais_de_la_boucle(couche):
    """The ``Relais`` of the running event loop (made on first use)."""
    boucle = asyncio.get_running_loop()
    existant = _relais.get(boucle)
    if existant is None or existant.couche is not couche:
        existant = _relais[boucle] = Relais(couche)
    return existant
