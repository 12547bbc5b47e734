"""The live page under load, through the real ASGI application: 300 watchers and 200 members voting.

200 checked-in members vote within one second, each over their own authenticated socket, while 300
anonymous watchers follow ``/ws/seances/<slug>/``. Every watcher must end on the right count (200) and
then see the result when the scrutin closes, having received a handful of aggregated states rather than
one message per vote (channel layers drop messages silently past their capacity).

All sockets are ``WebsocketCommunicator`` instances on the test's event loop and the in-memory channel
layer of this process (the Redis layer and several processes: ``test_deux_processus.py``). The waits are
generous deadlines for a state to arrive, never timing assertions. Runs on SQLite and on PostgreSQL.
"""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections

from conseil_ess.asgi import application
from conseil_ess.seances import services
from conseil_ess.seances.models import Bulletin, Scrutin

from .fabriques import seance_avec_votants

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

SPECTATEURS = 300
VOTANTS = 200
CHOIX = ["pour", "contre", "abstention"]
ORIGINE = (b"origin", b"http://testserver")
# Deadline for a state to reach every socket: a generous bound on a 2-core CI machine, not a measure.
DELAI = 90


class Socket:
    """A ``WebsocketCommunicator`` whose received JSON messages are collected without blocking."""

    def __init__(self, nom, chemin, headers):
        self.nom = nom
        self.ws = WebsocketCommunicator(application, chemin, headers=headers)
        self.messages = []

    async def connecter(self):
        connecte, code = await self.ws.connect(timeout=DELAI)
        assert connecte, f"{self.nom} : connexion refusée ({code})"

    def relever(self):
        """Move what the application sent so far into ``messages``; fail if it crashed or closed."""
        if self.ws.future.done():
            self.ws.future.result()  # raises the consumer's exception, if any
            pytest.fail(f"{self.nom} : le consumer s'est arrêté")
        while not self.ws.output_queue.empty():
            sortie = self.ws.output_queue.get_nowait()
            assert sortie["type"] == "websocket.send", f"{self.nom} : {sortie}"
            self.messages.append(json.loads(sortie["text"]))

    @property
    def etats(self):
        return [m for m in self.messages if m.get("type") == "etat"]

    def dernier_etat(self):
        etats = self.etats
        return etats[-1] if etats else None


async def attendre(sockets, condition, quoi):
    """Collect every socket's messages until ``condition(socket)`` holds for all of them, within ``DELAI``."""
    boucle = asyncio.get_running_loop()
    fin = boucle.time() + DELAI
    while True:
        for s in sockets:
            s.relever()
        en_retard = [s for s in sockets if not condition(s)]
        if not en_retard:
            return
        if boucle.time() > fin:
            exemple = en_retard[0]
            pytest.fail(f"{len(en_retard)} socket(s) sans {quoi} après {DELAI} s ; "
                        f"{exemple.nom} a reçu en dernier : {exemple.messages[-3:]}")
        await asyncio.sleep(0.05)


def votants_affiches(etat):
    """How many have voted according to ``etat`` (None without a state or a scrutin)."""
    if not etat or not etat.get("scrutin"):
        return None
    return etat["scrutin"]["votants"]


def preparer():
    """A séance with 200 members checked in and an open scrutin; each member's session cookie."""
    seance, scrutin, agent, cookies = seance_avec_votants(VOTANTS)
    return seance.slug, scrutin, agent, cookies


async def test_deux_cents_votes_en_une_seconde_trois_cents_spectateurs_finissent_sur_le_bon_compte():
    slug, scrutin, agent, cookies = await database_sync_to_async(preparer)()
    chemin = f"/ws/seances/{slug}/"
    nom_cookie = settings.SESSION_COOKIE_NAME

    spectateurs = [Socket(f"spectateur {i}", chemin, [ORIGINE]) for i in range(SPECTATEURS)]
    votants = [Socket(f"votant {i}", chemin, [ORIGINE, (b"cookie", f"{nom_cookie}={c}".encode())])
               for i, c in enumerate(cookies)]
    tous = spectateurs + votants
    try:
        await asyncio.gather(*(s.connecter() for s in tous))
        # On connection, each socket gets the current state: the scrutin is open and nobody has voted.
        await attendre(tous, lambda s: s.etats, "état initial")
        for s in tous:
            etat = s.dernier_etat()
            assert etat["scrutin"]["id"] == scrutin.pk
            assert etat["scrutin"]["statut"] == Scrutin.Statut.OUVERT
            assert etat["scrutin"]["votants"] == 0
        deja_recus = {id(s): len(s.etats) for s in spectateurs}
        boucle = asyncio.get_running_loop()
        debut = boucle.time()

        # 200 votes within one second: ten bursts of 20, 0.1 s apart (sending does not wait for replies).
        for i, votant in enumerate(votants):
            await votant.ws.send_json_to({"type": "voter", "scrutin": scrutin.pk, "choix": CHOIX[i % 3]})
            if i % 20 == 19:
                await asyncio.sleep(0.1)

        def a_recu_sa_reponse(s):
            return any(m.get("type") in ("vote_enregistre", "erreur") for m in s.messages)

        await attendre(votants, a_recu_sa_reponse, "réponse à son vote")
        erreurs = [(s.nom, m) for s in votants for m in s.messages if m.get("type") == "erreur"]
        assert erreurs == []
        assert await database_sync_to_async(Bulletin.objects.filter(scrutin=scrutin).count)() == VOTANTS

        await attendre(spectateurs, lambda s: votants_affiches(s.dernier_etat()) == VOTANTS, "le compte de 200")
        # The trailing broadcast carries the final state: nothing arriving later may show fewer votes.
        intervalle = settings.SEANCES_DIFFUSION_INTERVALLE
        await asyncio.sleep(4 * intervalle)
        for s in spectateurs:
            s.relever()
        # Every broadcast of the votes left between ``debut`` and now, at most one per interval (plus the
        # first one, sent at once, and one in flight at each end): a bound that holds however slow the run.
        diffusions_max = int((boucle.time() - debut) / intervalle) + 3 if intervalle > 0 else VOTANTS
        for s in spectateurs:
            nouveaux = s.etats[deja_recus[id(s)]:]
            comptes = [votants_affiches(e) for e in nouveaux]
            assert comptes[-1] == VOTANTS, (s.nom, comptes)
            assert comptes == sorted(comptes), f"{s.nom} : le compte a reculé {comptes}"
            versions = [e["version"] for e in nouveaux]
            assert versions == sorted(versions), f"{s.nom} : versions dans le désordre {versions}"
            # Aggregated: throttled, and far fewer states than votes (a dozen or so when the 200 votes are
            # counted in a few seconds), never one message per vote.
            assert len(nouveaux) <= diffusions_max, f"{s.nom} : {len(nouveaux)} états, {diffusions_max} au plus"
            assert len(nouveaux) < VOTANTS / 2, f"{s.nom} : {len(nouveaux)} états pour {VOTANTS} votes"
        assert all(m.get("type") == "etat" for s in spectateurs for m in s.messages)

        # Closing: the result reaches every watcher without reload.
        await database_sync_to_async(services.clore_scrutin)(scrutin, agent)

        def voit_le_resultat(s):
            etat = s.dernier_etat()
            return etat["scrutin"] is not None and etat["scrutin"]["statut"] == Scrutin.Statut.CLOS

        await attendre(spectateurs, voit_le_resultat, "le résultat")
        for s in spectateurs:
            resultat = s.dernier_etat()["scrutin"]
            assert resultat["id"] == scrutin.pk
            assert (resultat["pour"], resultat["contre"], resultat["abstention"]) == (67, 67, 66)
            assert resultat["pour"] + resultat["contre"] + resultat["abstention"] == VOTANTS
            assert resultat["resultat"] == Scrutin.Resultat.REJETE  # a tie rejects
    finally:
        await asyncio.gather(*(s.ws.disconnect(timeout=DELAI) for s in tous), return_exceptions=True)
        # The worker thread's own connection: left open, it would keep PostgreSQL from dropping the test database.
        await sync_to_async(connections.close_all)()
