"""Through the real production stack: nginx (TLS) → gunicorn (pages) and two daphne (/ws/), PostgreSQL, Redis.

One stack per test process (module fixture, one xdist group), started by ``deploy/production.sh`` — the
script of ``make production`` — with free ports chosen now, its own run directory (temp), the test database
and Redis; always stopped by the finaliser (by its PID files). Runs in the CI's PostgreSQL + Redis pass;
skipped with its reason unless DATABASE_URL is PostgreSQL, REDIS_URL is set and nginx is installed.
"""

import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
import urllib3
from django.conf import settings
from django.db import connection

from tests.benchmarks.serveurs import RACINE, port_libre, url_base_de_donnees
from tests.conftest import creer_utilisateur

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)

pytestmark = [
    pytest.mark.production,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.xdist_group("production"),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or connection.vendor != "postgresql" or NGINX is None,
        reason="Pile de production : DATABASE_URL=postgres://…, REDIS_URL et nginx (paquet Debian) requis ; "
               "2e passe de CI",
    ),
    pytest.mark.django_db(transaction=True),
]
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


class Pile:
    def __init__(self):
        self.run = Path(tempfile.mkdtemp(prefix="pile-production-"))
        self.https = port_libre()
        self.ports_daphne = [port_libre(), port_libre()]
        self.env = {
            **os.environ,
            "RUN": str(self.run),
            "PORT_HTTPS": str(self.https), "PORT_HTTP": str(port_libre()), "PORT_GUNICORN": str(port_libre()),
            "PORTS_DAPHNE": " ".join(map(str, self.ports_daphne)),
            "DATABASE_URL": url_base_de_donnees(connection.settings_dict),
            "REDIS_URL": os.environ["REDIS_URL"],
            "CONN_MAX_AGE": "0",
            # The private storage of the test suite: files a test saves are the ones nginx sends.
            "FICHIERS_PRIVES_ROOT": str(settings.FICHIERS_PRIVES_ROOT),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CACHE_KEY_PREFIX": f"pile-{os.environ.get('PYTEST_XDIST_WORKER', 'principal')}",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.base = f"https://127.0.0.1:{self.https}"

    def demarrer(self):
        resultat = subprocess.run([str(RACINE / "deploy/production.sh"), "start"], cwd=RACINE, env=self.env,
                                  capture_output=True, text=True, timeout=300)
        if resultat.returncode != 0:
            raise RuntimeError(f"make production a échoué :\n{resultat.stdout[-3000:]}\n{resultat.stderr[-3000:]}")

    def arreter(self):
        subprocess.run([str(RACINE / "deploy/production.sh"), "stop"], cwd=RACINE, env=self.env,
                       capture_output=True, timeout=60)
        shutil.rmtree(self.run, ignore_errors=True)

    def pid(self, nom):
        return int((self.run / f"{nom}.pid").read_text())

    def get(self, chemin, session=None, **kw):
        return (session or requests).get(self.base + chemin, verify=False, timeout=30, allow_redirects=False, **kw)


@pytest.fixture(scope="module")
def pile(django_db_setup, django_db_blocker):
    # django_db_setup first: the stack must run on the test database, not on the one DATABASE_URL names.
    with django_db_blocker.unblock():
        pile = Pile()
        try:
            pile.demarrer()
            yield pile
        finally:
            pile.arreter()


def test_pages_publiques_sante_et_redirection_https(pile):
    assert pile.get("/").status_code == 200
    reponse = pile.get("/sante/")
    assert reponse.status_code == 200 and reponse.json() == {"statut": "ok", "postgresql": "ok", "redis": "ok"}
    http = requests.get(f"http://127.0.0.1:{pile.env['PORT_HTTP']}/agenda/", timeout=30, allow_redirects=False)
    assert http.status_code == 301 and http.headers["Location"] == f"{pile.base}/agenda/"
    # The private files' location is internal: nobody reaches it directly.
    assert pile.get("/_fichiers-prives/propositions/x.pdf").status_code == 404


def test_fichiers_statiques_servis_par_nginx_avec_cache(pile):
    page = pile.get("/").text
    chemin = next(m for m in page.split('"') if m.startswith("/static/css/site.") and m.endswith(".css"))
    reponse = pile.get(chemin, headers={"Accept-Encoding": "gzip"})
    assert reponse.status_code == 200
    assert reponse.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert reponse.headers.get("Content-Encoding") == "gzip"
    assert "immutable" not in pile.get("/static/css/site.css").headers["Cache-Control"]


def _ws(pile, chemin, origine):
    from websockets.sync.client import connect

    contexte = ssl.create_default_context()
    contexte.check_hostname = False
    contexte.verify_mode = ssl.CERT_NONE
    return connect(f"wss://127.0.0.1:{pile.https}{chemin}", ssl=contexte, origin=origine, open_timeout=30,
                   proxy=None)


def test_websocket_par_nginx_origine_verifiee_et_vote_anonyme_refuse(pile, transactional_db):
    from websockets.exceptions import InvalidStatus

    from tests.seances.fabriques import seance_avec_scrutin

    seance, scrutin, _agent = seance_avec_scrutin(agent=creer_utilisateur("agent"))
    chemin = f"/ws/seances/{seance.slug}/"
    with pytest.raises(InvalidStatus) as refus:
        _ws(pile, chemin, "https://pirate.example")
    assert refus.value.response.status_code == 403
    with _ws(pile, chemin, pile.base) as ws:
        etat = json.loads(ws.recv(timeout=30))
        assert etat["type"] == "etat" and etat["scrutin"]["id"] == scrutin.pk
        ws.send(json.dumps({"type": "voter", "scrutin": scrutin.pk, "choix": "pour"}))
        assert json.loads(ws.recv(timeout=30))["type"] == "erreur"


def test_daphne_tue_les_sockets_se_reconnectent_par_l_autre(pile, transactional_db):
    from tests.seances.fabriques import seance_avec_scrutin

    seance, scrutin, _agent = seance_avec_scrutin(agent=creer_utilisateur("agent"))
    chemin = f"/ws/seances/{seance.slug}/"
    victime = pile.pid("daphne-1")
    os.kill(victime, signal.SIGKILL)
    # Every new socket (what the live page's reconnection opens) reaches the surviving daphne through nginx.
    for _ in range(6):
        with _ws(pile, chemin, pile.base) as ws:
            assert json.loads(ws.recv(timeout=30))["scrutin"]["id"] == scrutin.pk
    assert pile.get(f"/seances/{seance.slug}/direct/etat/").status_code == 200


def test_un_worker_gunicorn_tue_le_site_repond(pile):
    enfants = subprocess.run(["pgrep", "-P", str(pile.pid("gunicorn"))], capture_output=True, text=True).stdout.split()
    assert enfants, "aucun worker gunicorn"
    os.kill(int(enfants[0]), signal.SIGKILL)
    fin = time.monotonic() + 10
    while time.monotonic() < fin:
        assert pile.get("/sante/").status_code == 200
        time.sleep(0.1)


def test_connexions_postgresql_coupees_les_requetes_suivantes_reussissent(pile):
    """pg_terminate_backend on every connection of the stack: the next requests succeed (CONN_HEALTH_CHECKS
    and new connections); a request that does fail meanwhile gets the French error page, never a trace."""
    nom_base = connection.settings_dict["NAME"]
    with connection.cursor() as curseur:
        curseur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()", [nom_base])
    for _ in range(10):
        reponse = pile.get("/agenda/")
        if reponse.status_code != 200:
            assert reponse.status_code == 500 and 'lang="fr"' in reponse.text and "Traceback" not in reponse.text
    for _ in range(5):
        assert pile.get("/agenda/").status_code == 200
        assert pile.get("/sante/").json()["postgresql"] == "ok"
