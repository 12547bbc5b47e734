"""The channel layer's Redis connections (``settings.COUCHE_REDIS_CONNEXIONS``) across a Redis restart, on a
redis-server of the test's own (free port, nothing on disk; never the machine's).

After a restart every idle connection of a pool is dead. Without a retry the first command sent on each one
fails (seen on the production stack: a socket refused, a broadcast lost after Redis came back); with the
settings' single immediate retry the layer serves at once. A layer built without the retry is the negative
control."""

import asyncio
import shutil
import subprocess
import time

import pytest
import redis
from channels_redis.core import RedisChannelLayer
from django.conf import settings

from tests.benchmarks.serveurs import port_libre

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server (paquet Debian) requis")

PARALLELES = 20  # commands at once: as many connections in each pool


class ServeurRedis:
    def __init__(self, dossier):
        self.port, self.dossier, self.processus = port_libre(), dossier, None

    def demarrer(self):
        self.processus = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dossier)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.RedisError:
                pass
            time.sleep(0.05)
        raise AssertionError("redis-server ne démarre pas")

    def arreter(self):
        if self.processus is not None and self.processus.poll() is None:
            self.processus.terminate()
            self.processus.wait(10)


async def _en_parallele(couche, groupe):
    """PARALLELES group_add at once; return how many failed."""
    canaux = [await couche.new_channel() for _ in range(PARALLELES)]
    resultats = await asyncio.gather(*(couche.group_add(groupe, c) for c in canaux), return_exceptions=True)
    return sum(isinstance(r, Exception) for r in resultats)


async def _scenario(serveur):
    adresse = f"redis://127.0.0.1:{serveur.port}/0"
    options = settings.COUCHE_REDIS_CONNEXIONS
    couche = RedisChannelLayer(hosts=[{"address": adresse, **options}], capacity=1000)
    sans_reessai = {k: v for k, v in options.items() if k not in ("retry", "retry_on_error")}
    temoin = RedisChannelLayer(hosts=[{"address": adresse, **sans_reessai}], capacity=1000)
    # Both pools hold PARALLELES connections, idle once the commands are done.
    assert await _en_parallele(couche, "avant") == 0
    assert await _en_parallele(temoin, "avant") == 0

    serveur.arreter()
    serveur.demarrer()  # empty: nothing kept on disk

    echecs_temoin = await _en_parallele(temoin, "apres")
    echecs = await _en_parallele(couche, "apres")
    # And a whole round trip through the restarted Redis: join, broadcast, receive.
    canal = await couche.new_channel()
    await couche.group_add("seance.test", canal)
    await couche.group_send("seance.test", {"type": "seance.etat", "n": 1})
    message = await asyncio.wait_for(couche.receive(canal), 5)
    return echecs_temoin, echecs, message


def test_apres_un_redemarrage_de_redis_la_couche_sert_sans_erreur(tmp_path):
    serveur = ServeurRedis(tmp_path)
    serveur.demarrer()
    try:
        echecs_temoin, echecs, message = asyncio.run(_scenario(serveur))
    finally:
        serveur.arreter()
    assert echecs_temoin > 0, "témoin : sans réessai, les connexions mortes du pool auraient dû échouer"
    assert echecs == 0
    assert message == {"type": "seance.etat", "n": 1}


def test_un_redis_muet_fait_echouer_la_commande_sans_attente_sans_fin():
    """A Redis that accepts connections but never answers (a partition, a frozen host: the kernel completes the
    TCP handshake, nothing replies): with the settings' timeouts a command of the layer fails in bounded time
    (each attempt's read timeout, the retry included) instead of waiting forever. The timeouts are scaled down
    here (the settings' read timeout is 15 s); the settings' own values are checked in test_redis.py."""
    import socket

    muet = socket.socket()
    muet.bind(("127.0.0.1", 0))
    muet.listen(50)  # never accepted, never answered: connections complete in the kernel's backlog
    try:
        options = {**settings.COUCHE_REDIS_CONNEXIONS, "socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        assert settings.COUCHE_REDIS_CONNEXIONS["socket_timeout"] is not None
        couche = RedisChannelLayer(
            hosts=[{"address": f"redis://127.0.0.1:{muet.getsockname()[1]}/0", **options}], capacity=1000
        )

        async def essai():
            debut = time.monotonic()
            with pytest.raises(redis.exceptions.TimeoutError):
                # The outer bound only guards the test: the layer must give up well before it.
                await asyncio.wait_for(couche.group_add("seance.muette", await couche.new_channel()), 20)
            return time.monotonic() - debut

        duree = asyncio.run(essai())
        assert duree < 5, duree
        # Negative control: without a read timeout the same command is still waiting when the test gives up.
        sans_delai = {**options, "socket_timeout": None, "socket_connect_timeout": None}
        temoin = RedisChannelLayer(
            hosts=[{"address": f"redis://127.0.0.1:{muet.getsockname()[1]}/0", **sans_delai}], capacity=1000
        )

        async def essai_temoin():
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(temoin.group_add("seance.muette", await temoin.new_channel()), 3)

        asyncio.run(essai_temoin())
    finally:
        muet.close()
