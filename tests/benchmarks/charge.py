"""Load script: N concurrent clients against the production stack (nginx → gunicorn, two daphne).

Not a test: a script whose figures go in the README (« Production », « Tenue en charge »).

1. creates a dedicated PostgreSQL database (``sv_charge_<random>``, on the server of ``DATABASE_URL``,
   dropped at the end) and uses Redis DB ``--redis-db`` (9 by default, flushed before);
2. starts the stack with ``deploy/production.sh`` (what ``make production`` runs) on free loopback ports, in
   a temporary run directory; it runs ``migrate``;
3. creates one account per client (e-mail verified) and a published 10-seat event open to registration;
4. runs ``--clients`` threads for ``--duree`` seconds (at most ``--max`` requests each): each one logs in
   through the allauth form (CSRF), registers to the event once, then loops over anonymous pages
   (home, agenda, event), the ``/agenda.ics`` feed with and without ``If-None-Match`` and logged-in pages
   (its account, its registrations); HTTPS with the self-signed certificate (not verified), loopback only;
5. prints requests/s, p50/p95 latency, errors (any status ≥ 400, or exceptions), the logins refused by
   allauth's rate limit (none expected) and the confirmed seats (must be exactly 10), then stops the stack
   (PID files) and drops the database.

Each client comes from its own loopback address (127.0.0.2, 127.0.0.3…: Linux answers on the whole
127.0.0.0/8), as a crowd would from its own machines: nginx passes it on (X-Real-IP) and allauth's login rate
limit (30 a minute per address) applies per client, as in production, instead of refusing the 31st login of
a crowd that would all be 127.0.0.1.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m tests.benchmarks.charge \\
        [--clients 50] [--duree 30] [--montee 0] [--redis-db 9]

``--montee S`` spreads the clients' arrivals over S seconds (a crowd arriving, rather than all at the same
instant); the load then lasts ``--duree`` more seconds.
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
    def __init__(self, numero, base, depart, fin, maximum, mesures, verrou):
        super().__init__(daemon=True)
        self.numero, self.base, self.depart, self.fin, self.maximum = numero, base, depart, fin, maximum
        self.mesures, self.verrou = mesures, verrou
        self.session = requests.Session()
        self.session.verify = False
        self.session.trust_env = False  # loopback: no proxy, no REQUESTS_CA_BUNDLE overriding verify=False
        self.session.mount("https://", AdresseSource(adresse_client(numero)))
        self.erreurs = Counter()
        self.limites = 0
        self.inscrit = False

    def requete(self, methode, chemin, attendus=(200, 302, 304), **kw):
        debut = time.monotonic()
        try:
            reponse = self.session.request(methode, self.base + chemin, timeout=60, allow_redirects=False, **kw)
        except requests.RequestException as exc:
            self.erreurs[f"{chemin} {type(exc).__name__}"] += 1
            return None
        duree = time.monotonic() - debut
        with self.verrou:
            self.mesures.append(duree)
        if reponse.status_code not in attendus:
            self.erreurs[f"{methode} {chemin.split('?')[0]} {reponse.status_code}"] += 1
        return reponse

    def csrf(self, chemin):
        page = self.requete("GET", chemin)
        if page is None:
            return None
        trouve = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return trouve.group(1) if trouve else None

    def run(self):
        time.sleep(max(0.0, self.depart - time.monotonic()))  # the ramp-up: people do not all arrive at once
        jeton = self.csrf("/compte/login/")
        # One login per address: allauth's rate limit (30 a minute per address) never refuses it (a 429 is an error).
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
        if connecte is not None and connecte.status_code == 302:
            jeton = self.csrf("/agenda/dix-places/")
            inscription = self.requete(
                "POST",
                "/agenda/dix-places/inscription/",
                attendus=(302,),
                headers={"Referer": self.base + "/agenda/dix-places/"},
                data={"csrfmiddlewaretoken": jeton},
            )
            self.inscrit = inscription is not None and inscription.status_code == 302
        etag = None
        faites = 0
        while time.monotonic() < self.fin and faites < self.maximum:
            for chemin in ("/", "/agenda/", "/agenda/dix-places/", "/mon-espace/", "/agenda.ics", "etag"):
                if chemin == "etag":
                    r = self.requete("GET", "/agenda.ics", headers={"If-None-Match": etag} if etag else {})
                else:
                    r = self.requete("GET", chemin)
                    if chemin == "/agenda.ics" and r is not None:
                        etag = r.headers.get("ETag")
                faites += 1
        self.session.close()


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
        mesures, verrou = [], threading.Lock()
        debut = time.monotonic()
        fin = debut + args.montee + args.duree
        clients = [
            Client(i, base, debut + args.montee * i / args.clients, fin, args.max, mesures, verrou)
            for i in range(args.clients)
        ]
        for c in clients:
            c.start()
        for c in clients:
            c.join(args.montee + args.duree + 300)
        ecoule = time.monotonic() - debut
        erreurs = sum((c.erreurs for c in clients), Counter())
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
        mesures.sort()
        print(f"Clients : {args.clients}, durée : {ecoule:.1f} s, requêtes : {len(mesures)}")
        print(f"Débit : {len(mesures) / ecoule:.1f} requêtes/s")
        if mesures:
            p95 = mesures[min(len(mesures) - 1, int(len(mesures) * 0.95))]
            print(f"Latence : p50 {statistics.median(mesures) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
        print(f"Erreurs : {sum(erreurs.values())}")
        for cle, nombre in erreurs.most_common(10):
            print(f"  {cle} : {nombre}")
        print(
            f"Connexions refusées par la limite de débit (429, aucune attendue : une adresse par client) : "
            f"{sum(c.limites for c in clients)}"
        )
        print(f"Inscriptions réussies (302) : {sum(c.inscrit for c in clients)}")
        print(f"Places confirmées : {places} (compteur de l'événement : {attente}) ; attendu : 10")
    finally:
        subprocess.run(
            [str(RACINE / "deploy/production.sh"), "stop"], cwd=RACINE, env=env, capture_output=True, timeout=120
        )
        shutil.rmtree(run, ignore_errors=True)
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'], capture_output=True)


if __name__ == "__main__":
    main()
