"""Load script: N concurrent clients against the production stack (nginx → gunicorn, two daphne).

Not a test: a script whose figures go in the README (« Production », « Tenue en charge »).

1. creates a dedicated PostgreSQL database (``sv_charge_<random>``, on the server of ``DATABASE_URL``,
   dropped at the end) and uses Redis DB ``--redis-db`` (9 by default, flushed before);
2. starts the stack with ``deploy/production.sh`` (what ``make production`` runs) on free loopback ports, in
   a temporary run directory; it runs ``migrate``;
3. creates one account per client (e-mail verified) and a published 10-seat event open to registration;
4. preparation (timed and reported on its own): each of the ``--clients`` threads logs in through the allauth
   form (CSRF) — at most ``--connexions-simultanees`` at a time (3 by default, the gunicorn workers: a login
   costs a PBKDF2 hash, about half a second of CPU, and logging in is not part of the measured mix) — and reads
   the event page (its registration's CSRF token); a failed login counts as an error of this phase;
5. a barrier, then every client starts the measured mix **at the same instant** (``--montee 0``), on a new
   connection (TLS handshake included; one kept from the preparation may have been closed by nginx's keepalive
   timeout): its first action is its registration to the event (the thundering herd of an opening), then for
   ``--duree`` seconds (at most ``--max`` requests each) anonymous pages (home, agenda, event), the
   ``/agenda.ics`` feed with and without ``If-None-Match`` and logged-in pages (its account); HTTPS with the
   self-signed certificate (not verified), loopback only;
6. prints, for each phase, requests/s, p50/p95 latency, errors (any status ≥ 400, or exceptions) and the
   machine's load average; the logins refused by allauth's rate limit (none expected), the registrations and
   the confirmed seats (must be exactly 10); then stops the stack (PID files) and drops the database.

Each client comes from its own loopback address (127.0.0.2, 127.0.0.3…: Linux answers on the whole
127.0.0.0/8), as a crowd would from its own machines: nginx passes it on (X-Real-IP) and allauth's login rate
limit (30 a minute per address) applies per client, as in production, instead of refusing the 31st login of
a crowd that would all be 127.0.0.1.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m tests.benchmarks.charge \\
        [--clients 50] [--duree 30] [--montee 0] [--connexions-simultanees 3] [--redis-db 9]

``--montee S`` spreads the clients' starts over S seconds after the barrier (a crowd arriving, rather than all
at the same instant); the load then lasts ``--duree`` more seconds.
"""

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from .serveurs import RACINE, port_libre

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
MOT_DE_PASSE = "Charge-2026-mot-de-passe"
PREPARATION = r"""
import datetime, sys
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from evenements.models import Evenement, Inscription
from tests.factories import UserFactory
from tests.evenements.fabriques import EvenementFactory, dans
n, mot_de_passe = int(sys.argv[1]), sys.argv[2]
User = get_user_model()
empreinte = make_password(mot_de_passe)
for i in range(n):
    u = User.objects.create(email=f"client{i}@charge.example", first_name="Client", last_name=str(i),
                            password=empreinte)
    EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)
e = EvenementFactory(slug="dix-places", titre="Atelier à dix places", capacite=10,
                     inscription_sur_plateforme=True, debut=dans(20))
for j in range(30):
    EvenementFactory(debut=dans(5 + j))
print(e.pk)
"""


def _url_base(url, nom):
    morceaux = urlsplit(url)
    return urlunsplit(morceaux._replace(path=f"/{nom}"))


def _psql(url, sql):
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, capture_output=True)


class AdresseSource(HTTPAdapter):
    """Every connection of the session leaves from ``adresse`` (a loopback address of this machine)."""

    def __init__(self, adresse, **kw):
        self.adresse = adresse
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.adresse, 0)
        super().init_poolmanager(*args, **kw)


def adresse_client(numero):
    """The loopback address of client ``numero``: 127.0.0.2 … 127.0.0.254, then 127.0.1.2 …"""
    return f"127.0.{numero // 253}.{2 + numero % 253}"


class Client(threading.Thread):
    """One person: logs in during the preparation (at most ``entree`` of them at a time), waits at ``barriere``
    for everybody, then from the common start registers to the 10-seat event and browses until the end."""

    def __init__(self, numero, base, entree, barriere, depart, args):
        super().__init__(daemon=True)
        self.numero, self.base, self.entree, self.barriere, self.depart = numero, base, entree, barriere, depart
        self.args = args
        self.session = requests.Session()
        self.session.verify = False
        self.session.trust_env = False  # loopback: no proxy, no REQUESTS_CA_BUNDLE overriding verify=False
        self.session.mount("https://", AdresseSource(adresse_client(numero)))
        self.phase = "preparation"
        self.mesures = {"preparation": [], "charge": []}
        self.erreurs = {"preparation": Counter(), "charge": Counter()}
        self.connexion = None  # seconds the login took (GET of the form + POST), if it succeeded
        self.inscription = None  # seconds the registration POST took, if it succeeded
        self.limites = 0
        self.jeton = None
        self.exemples = {}  # error -> the message of its first occurrence

    def requete(self, methode, chemin, attendus=(200, 302, 304), **kw):
        debut = time.monotonic()
        try:
            reponse = self.session.request(methode, self.base + chemin, timeout=60, allow_redirects=False, **kw)
        except requests.RequestException as exc:
            cle = f"{methode} {chemin.split('?')[0]} {type(exc).__name__}"
            self.erreurs[self.phase][cle] += 1
            self.exemples.setdefault(cle, str(exc)[:300])
            return None
        self.mesures[self.phase].append(time.monotonic() - debut)
        if reponse.status_code not in attendus:
            self.erreurs[self.phase][f"{methode} {chemin.split('?')[0]} {reponse.status_code}"] += 1
        return reponse

    def csrf(self, chemin):
        page = self.requete("GET", chemin)
        if page is None:
            return None
        trouve = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return trouve.group(1) if trouve else None

    def preparer(self):
        """Log in through the allauth form (CSRF), then read the event page for the registration's token."""
        with self.entree:
            debut = time.monotonic()
            jeton = self.csrf("/compte/login/")
            # One login per address: allauth's rate limit (30 a minute per address) never refuses it (a 429 is
            # an error).
            connecte = self.requete(
                "POST",
                "/compte/login/",
                attendus=(302,),
                headers={"Referer": self.base + "/"},
                data={
                    "csrfmiddlewaretoken": jeton,
                    "login": f"client{self.numero}@charge.example",
                    "password": MOT_DE_PASSE,
                },
            )
            self.limites += connecte is not None and connecte.status_code == 429
            if connecte is None or connecte.status_code != 302:
                return
            self.connexion = time.monotonic() - debut
            self.jeton = self.csrf("/agenda/dix-places/")

    def run(self):
        try:
            self.preparer()
        finally:
            try:
                self.barriere.wait(timeout=self.args.delai_preparation)
            except threading.BrokenBarrierError:
                return
        self.phase = "charge"
        # Everybody comes to the opening on a new connection (TLS handshake included): a connection kept from the
        # preparation may have sat idle past nginx's keepalive_timeout (75 s) and be closed by nginx just as the
        # registration is sent on it (a POST is not retried): seen once in 200 when the preparation took 105 s.
        for adaptateur in self.session.adapters.values():
            adaptateur.close()
        depart = self.depart["instant"] + self.args.montee * self.numero / self.args.clients
        fin = self.depart["instant"] + self.args.montee + self.args.duree
        time.sleep(max(0.0, depart - time.monotonic()))
        if self.jeton:
            # The opening of registrations: everybody's first action, at the same instant (--montee 0).
            debut = time.monotonic()
            inscription = self.requete(
                "POST",
                "/agenda/dix-places/inscription/",
                attendus=(302,),
                headers={"Referer": self.base + "/agenda/dix-places/"},
                data={"csrfmiddlewaretoken": self.jeton},
            )
            if inscription is not None and inscription.status_code == 302:
                self.inscription = time.monotonic() - debut
        pages = ("/", "/agenda/", "/agenda/dix-places/", "/mon-espace/", "/agenda.ics", "etag")
        if self.connexion is None:  # not logged in (an error already counted): the anonymous part only
            pages = tuple(p for p in pages if p != "/mon-espace/")
        etag = None
        faites = 0
        while time.monotonic() < fin and faites < self.args.max:
            for chemin in pages:
                if chemin == "etag":
                    r = self.requete("GET", "/agenda.ics", headers={"If-None-Match": etag} if etag else {})
                else:
                    r = self.requete("GET", chemin)
                    if chemin == "/agenda.ics" and r is not None:
                        etag = r.headers.get("ETag")
                faites += 1
        self.session.close()


def _centile(valeurs, q):
    valeurs = sorted(valeurs)
    return valeurs[min(len(valeurs) - 1, int(len(valeurs) * q))] if valeurs else float("nan")


def _latences(valeurs):
    if not valeurs:
        return "—"
    return f"p50 {statistics.median(valeurs) * 1000:.0f} ms, p95 {_centile(valeurs, 0.95) * 1000:.0f} ms"


class Charge(threading.Thread):
    """Samples the machine's 1-minute load average every 2 s (the machine is shared: say how loaded it was)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.valeurs, self.arret = [], threading.Event()

    def run(self):
        while not self.arret.is_set():
            self.valeurs.append(os.getloadavg()[0])
            self.arret.wait(2)

    def resume(self):
        self.arret.set()
        if not self.valeurs:
            return "—"
        return f"{min(self.valeurs):.1f} à {max(self.valeurs):.1f} (moyenne {statistics.mean(self.valeurs):.1f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duree", type=float, default=30.0, help="secondes de charge")
    parser.add_argument(
        "--montee",
        type=float,
        default=0.0,
        help="secondes sur lesquelles les arrivées des clients sont réparties (0 : tous d'un coup)",
    )
    parser.add_argument("--max", type=int, default=2000, help="requêtes au plus par client")
    parser.add_argument(
        "--connexions-simultanees",
        type=int,
        default=3,
        help="connexions (PBKDF2) en cours au plus pendant la préparation (défaut : les 3 workers gunicorn)",
    )
    parser.add_argument(
        "--delai-preparation", type=float, default=900.0, help="secondes au plus pour la préparation"
    )
    parser.add_argument("--redis-db", type=int, default=9)
    args = parser.parse_args()
    url_serveur = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url_serveur.startswith("postgres"):
        sys.exit("DATABASE_URL doit désigner un serveur PostgreSQL.")
    nom = f"sv_charge_{secrets.token_hex(4)}"
    url = _url_base(url_serveur, nom)
    admin = _url_base(url_serveur, "postgres")
    redis = f"redis://127.0.0.1:6379/{args.redis_db}"
    run = Path(tempfile.mkdtemp(prefix="charge-"))
    https = port_libre()
    env = {
        **os.environ,
        "RUN": str(run),
        "PORT_HTTPS": str(https),
        "PORT_HTTP": str(port_libre()),
        "PORT_GUNICORN": str(port_libre()),
        "PORTS_DAPHNE": f"{port_libre()} {port_libre()}",
        "DATABASE_URL": url,
        "REDIS_URL": redis,
        "MEDIA_ROOT": str(run / "medias"),
        "FICHIERS_PRIVES_ROOT": str(run / "prives"),
        "CACHE_KEY_PREFIX": nom,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _psql(admin, f'CREATE DATABASE "{nom}"')
    subprocess.run(["redis-cli", "-n", str(args.redis_db), "flushdb"], check=False, capture_output=True)
    try:
        demarrage = subprocess.run(
            [str(RACINE / "deploy/production.sh"), "start"],
            cwd=RACINE,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if demarrage.returncode != 0:
            sys.exit(f"production.sh a échoué :\n{demarrage.stdout[-3000:]}\n{demarrage.stderr[-3000:]}")
        env_prep = {**env, "DJANGO_SETTINGS_MODULE": "conseil_ess.settings.dev"}
        prep = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                f"import sys; sys.argv = ['', '{args.clients}', '{MOT_DE_PASSE}']\n{PREPARATION}",
            ],
            cwd=RACINE,
            env=env_prep,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if prep.returncode != 0:
            sys.exit(f"Préparation des données échouée :\n{prep.stderr[-3000:]}")
        base = f"https://127.0.0.1:{https}"
        depart = {}
        charge_preparation, charge_mesure = Charge(), Charge()

        def top_depart():  # run by one thread once every client is at the barrier
            depart["instant"] = time.monotonic()
            depart["preparation"] = depart["instant"] - debut
            charge_preparation.arret.set()
            charge_mesure.start()

        entree = threading.BoundedSemaphore(args.connexions_simultanees)
        barriere = threading.Barrier(args.clients, action=top_depart)
        clients = [Client(i, base, entree, barriere, depart, args) for i in range(args.clients)]
        debut = time.monotonic()
        charge_preparation.start()
        for c in clients:
            c.start()
        for c in clients:
            c.join(args.delai_preparation + args.montee + args.duree + 300)
        if "instant" not in depart:
            sys.exit("La préparation n'a pas abouti dans le délai (--delai-preparation) : barrière rompue.")
        ecoule = time.monotonic() - depart["instant"]
        places = subprocess.run(
            [
                "psql",
                url,
                "-tAc",
                "SELECT count(*) FROM evenements_inscription i JOIN "
                "evenements_evenement e ON e.id = i.evenement_id WHERE e.slug = 'dix-places' "
                "AND i.statut = 'confirmee'",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        attente = subprocess.run(
            ["psql", url, "-tAc", "SELECT nb_confirmes FROM evenements_evenement WHERE slug = 'dix-places'"],
            capture_output=True,
            text=True,
        ).stdout.strip()

        def erreurs(phase):
            total = sum((c.erreurs[phase] for c in clients), Counter())
            lignes = [f"Erreurs : {sum(total.values())}"]
            exemples = {}
            for c in clients:
                exemples.update(c.exemples)
            lignes += [f"  {cle} : {nombre}  {exemples.get(cle, '')}" for cle, nombre in total.most_common(10)]
            return "\n".join(lignes)

        connexions = [c.connexion for c in clients if c.connexion is not None]
        requetes_prep = sum(len(c.mesures["preparation"]) for c in clients)
        k = args.connexions_simultanees
        print(f"=== Préparation : {args.clients} connexions par le formulaire, {k} à la fois ===")
        print(f"Durée : {depart['preparation']:.1f} s, requêtes : {requetes_prep}")
        print(f"Connexions réussies : {len(connexions)} / {args.clients} ; une connexion : {_latences(connexions)}")
        print(erreurs("preparation"))
        print(f"Connexions refusées par la limite de débit (429, aucune attendue) : {sum(c.limites for c in clients)}")
        print(f"Charge moyenne du système (1 min) : {charge_preparation.resume()}")
        mesures = [m for c in clients for m in c.mesures["charge"]]
        inscriptions = [c.inscription for c in clients if c.inscription is not None]
        print(f"=== Charge mesurée : {args.clients} clients partis au même instant (montée {args.montee:g} s) ===")
        print(f"Durée : {ecoule:.1f} s, requêtes : {len(mesures)}")
        print(f"Débit : {len(mesures) / ecoule:.1f} requêtes/s")
        print(f"Latence : {_latences(mesures)}")
        print(f"Inscriptions réussies (302) : {len(inscriptions)} ; une inscription : {_latences(inscriptions)}")
        print(erreurs("charge"))
        print(f"Places confirmées : {places} (compteur de l'événement : {attente}) ; attendu : 10")
        print(f"Charge moyenne du système (1 min) : {charge_mesure.resume()}")
    finally:
        subprocess.run(
            [str(RACINE / "deploy/production.sh"), "stop"], cwd=RACINE, env=env, capture_output=True, timeout=120
        )
        shutil.rmtree(run, ignore_errors=True)
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'], capture_output=True)


if __name__ == "__main__":
    main()
