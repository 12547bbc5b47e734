"""Daphne servers in child processes and real WebSocket clients, for the two-process test and the
live-page benchmark.

``Daphne(env).demarrer()`` starts ``daphne -b 127.0.0.1 -p <free port> conseil_ess.asgi:application``
with the given environment (settings module, DATABASE_URL, REDIS_URL), its output in a log file;
``attendre_pret()`` waits until it accepts connections; ``arreter()`` always ends it (and only it).
``ClientWS.connecter(serveur, chemin, cookie)`` opens a socket (``websockets`` library) whose messages are
collected, with their arrival time, by a background task.
"""

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]


def port_libre():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_base_de_donnees(settings_dict):
    """The DATABASE_URL of a connection's ``settings_dict`` (PostgreSQL or SQLite), for a child process."""
    from urllib.parse import quote

    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    utilisateur = quote(settings_dict.get("USER") or "", safe="")
    mot_de_passe = settings_dict.get("PASSWORD") or ""
    identite = f"{utilisateur}:{quote(mot_de_passe, safe='')}" if mot_de_passe else utilisateur
    hote = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{identite}@{hote}:{port}/{quote(settings_dict['NAME'], safe='')}"


class Daphne:
    """One daphne process serving ``conseil_ess.asgi:application`` on 127.0.0.1."""

    def __init__(self, env, nom="daphne"):
        self.nom = nom
        self.env = {**os.environ, **env}
        self.port = port_libre()
        self.processus = None
        self.journal = None

    @property
    def http(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self):
        return f"ws://127.0.0.1:{self.port}"

    def demarrer(self):
        self.journal = tempfile.NamedTemporaryFile(prefix=f"{self.nom}-", suffix=".log", delete=False)
        self.processus = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "conseil_ess.asgi:application"],
            cwd=RACINE, env=self.env, stdout=self.journal, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def temps_cpu(self):
        """CPU seconds (user + system) the process has used so far, from ``/proc/<pid>/stat`` (Linux)."""
        champs = Path(f"/proc/{self.processus.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(champs[11]) + int(champs[12])) / os.sysconf("SC_CLK_TCK")

    def traces(self, fin=4000):
        if self.journal is None:
            return ""
        self.journal.flush()
        return Path(self.journal.name).read_text(errors="replace")[-fin:]

    def attendre_pret(self, delai=60):
        """Wait until the server accepts TCP connections (it binds after loading Django and the application)."""
        fin = time.monotonic() + delai
        while time.monotonic() < fin:
            if self.processus.poll() is not None:
                raise RuntimeError(f"{self.nom} s'est arrêté (code {self.processus.returncode}) :\n{self.traces()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.nom} n'écoute pas sur le port {self.port} après {delai} s :\n{self.traces()}")

    def arreter(self):
        """Stop this process (SIGTERM, then SIGKILL after 10 s) and remove its log."""
        if self.processus is not None and self.processus.poll() is None:
            self.processus.terminate()
            try:
                self.processus.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.processus.kill()
                self.processus.wait(timeout=10)
        if self.journal is not None:
            self.journal.close()
            Path(self.journal.name).unlink(missing_ok=True)
            self.journal = None


def _classe_connexion():
    """``ClientConnection`` that notes when each text message's frame is read off the socket.

    With hundreds of clients in one process, the task that reads a client's messages may wake well after its
    frame came in (behind the other clients' tasks): the time noted here is the moment this process's event
    loop read the bytes, not the moment the reading task got its turn.
    """
    from collections import deque

    from websockets.asyncio.client import ClientConnection
    from websockets.frames import Frame, Opcode

    class ConnexionHorodatee(ClientConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.arrivees = deque()

        def process_event(self, event):
            if isinstance(event, Frame) and event.opcode is Opcode.TEXT and event.fin:
                self.arrivees.append(time.perf_counter())
            super().process_event(event)

    return ConnexionHorodatee


class ClientWS:
    """A real WebSocket client (``websockets``) that collects every JSON message with its arrival time (when
    its frame was read off the socket)."""

    def __init__(self, nom, connexion):
        self.nom = nom
        self.connexion = connexion
        self.messages = []  # (time.perf_counter() at arrival, message)
        self.erreur = None
        self.evenement = asyncio.Event()  # set at each message (cleared by whoever waits)
        self.tache = asyncio.create_task(self._lire())

    @classmethod
    async def connecter(cls, serveur, chemin, cookie=None, nom=None, delai=60):
        from websockets.asyncio.client import connect

        en_tetes = {"Cookie": cookie} if cookie else None
        connexion = await connect(f"{serveur.ws}{chemin}", origin=serveur.http, additional_headers=en_tetes,
                                  proxy=None, open_timeout=delai, ping_interval=None, max_queue=None,
                                  create_connection=_classe_connexion())
        return cls(nom or f"{serveur.nom} {chemin}", connexion)

    async def _lire(self):
        try:
            async for texte in self.connexion:
                arrivees = getattr(self.connexion, "arrivees", None)
                arrivee = arrivees.popleft() if arrivees else time.perf_counter()
                self.messages.append((arrivee, json.loads(texte)))
                self.evenement.set()
        except Exception as exc:  # noqa: BLE001 - reported by whoever waits on this client
            self.erreur = exc
            self.evenement.set()

    async def envoyer(self, message):
        await self.connexion.send(json.dumps(message))

    @property
    def etats(self):
        return [m for _t, m in self.messages if m.get("type") == "etat"]

    def dernier_etat(self):
        etats = self.etats
        return etats[-1] if etats else None

    async def fermer(self):
        await self.connexion.close()
        try:
            await asyncio.wait_for(self.tache, 10)
        except (TimeoutError, asyncio.CancelledError):
            self.tache.cancel()


async def attendre_tous(clients, condition, quoi, delai=60):
    """Wait until ``condition(client)`` holds for every client, at most ``delai`` seconds (then raise)."""
    fin = time.monotonic() + delai
    while True:
        en_echec = [c for c in clients if c.erreur is not None]
        if en_echec:
            raise AssertionError(f"{en_echec[0].nom} : connexion perdue ({en_echec[0].erreur!r})")
        en_retard = [c for c in clients if not condition(c)]
        if not en_retard:
            return
        if time.monotonic() > fin:
            c = en_retard[0]
            raise AssertionError(f"{len(en_retard)} client(s) sans {quoi} après {delai} s ; {c.nom} a reçu en "
                                 f"dernier : {[m for _t, m in c.messages[-3:]]}")
        await asyncio.sleep(0.02)
