"""Instructions per request of public pages, counted by valgrind's callgrind (a script, not a test).

    python -m tests.benchmarks.instructions [--requetes 5] /propositions/ /agenda/ …

Timings on this shared machine move by ± 20 % from one minute to the next; the number of instructions a request
executes does not (the same count twice for the same code and data, whatever the machine is doing). For each
path, a child process is started under ``valgrind --tool=callgrind --instr-atstart=no``: it loads Django with the
page benchmark's settings, uncached (``tests.benchmarks.pages.environnement``: production settings, the
``DATABASE_URL`` and ``REDIS_URL`` of the environment, its static files collected once), warms the page up (five
requests through the test client), then turns the counting on (``callgrind_control -i on``) for ``--requetes``
requests only. Printed: instructions per request and
the ratio of the trivial view (``/__banc__/trivial/``) to the page, the benchmark's ratio counted in instructions.

Instructions leave out the kernel: a saved query (its socket round trip, mostly system calls) shows less here
than in the CPU time gunicorn's worker is charged (``tests/benchmarks/pages.py``, the measure of the targets).
To compare two versions, run this on each (a ``git worktree`` of the other commit as ``PYTHONPATH``).
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.pages import environnement, manage

RACINE = Path(__file__).resolve().parents[2]
TRIVIAL = "/__banc__/trivial/"

ENFANT = """
import os, subprocess, sys, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
chemin, nombre = sys.argv[1], int(sys.argv[2])
for _ in range(5):
    reponse = client.get(chemin)
    assert reponse.status_code == 200, (chemin, reponse.status_code)
subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True, check=True)
for _ in range(nombre):
    client.get(chemin)
subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True, check=True)
"""


def instructions(chemin, nombre, env):
    """The instructions of one request of ``chemin`` (mean of ``nombre``), counted by callgrind."""
    with tempfile.TemporaryDirectory(prefix="instructions-") as dossier:
        sortie = Path(dossier) / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={sortie}",
             sys.executable, "-c", ENFANT, chemin, str(nombre)],
            cwd=RACINE, env={**env, "PYTHONPATH": os.environ.get("PYTHONPATH", str(RACINE))},
            check=True, capture_output=True,
        )
        totaux = [ligne for ligne in sortie.read_text().splitlines() if ligne.startswith("totals:")]
        return int(totaux[-1].split()[1]) / nombre


def main():
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.instructions",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("chemins", nargs="+", help="les adresses à mesurer (/propositions/, /agenda/ …)")
    parser.add_argument("--requetes", type=int, default=5, help="requêtes comptées par adresse (défaut : 5)")
    args = parser.parse_args()
    for variable in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(variable):
            parser.error(f"{variable} est requis (PostgreSQL avec la démo chargée, Redis)")
    static_root = tempfile.mkdtemp(prefix="instructions-static-")
    env = environnement(False, static_root)
    manage("collectstatic", "--noinput", env=env)
    triviale = instructions(TRIVIAL, args.requetes, env)
    print(f"{TRIVIAL:40s} {triviale / 1e6:8.2f} millions d'instructions")
    for chemin in args.chemins:
        page = instructions(chemin, args.requetes, env)
        print(f"{chemin:40s} {page / 1e6:8.2f} millions d'instructions  rapport {triviale / page:.3f}")


if __name__ == "__main__":
    main()
