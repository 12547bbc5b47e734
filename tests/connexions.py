"""Which connections to the test database are open, besides the test's own (the leak guard of conftest).

A thread, a live server or a daphne process that a test starts must close its database connections
before the test ends: a connection left open holds locks that the next test's flush waits for
(PostgreSQL reported a deadlock), and it keeps the test database from being dropped at the end.

- PostgreSQL: ``pg_stat_activity`` lists every client connected to the test database; the test's own
  connection (the main thread's) is left out. The query runs on a separate connection to the
  ``postgres`` database, so that it never touches the test database itself.
- SQLite: every open connection is an open file. The guard reads the file descriptors of this process and
  of its children (``/proc``): the main thread's connection is one descriptor on the database file, any
  other is a connection that a thread or a server left open.
"""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from django.db import connections


def _base_de_test():
    """Return (vendor, name) of the test database, or None before it is set up."""
    connexion = connections["default"]
    nom = connexion.settings_dict["NAME"]
    if connexion.vendor == "postgresql":
        # Once set up, the connection names the test database (Django's "test_" prefix, "_gw0"… under xdist).
        nom_test = connexion.settings_dict.get("TEST", {}).get("NAME")
        return ("postgresql", nom) if nom == nom_test or str(nom).startswith("test_") else None
    if connexion.vendor == "sqlite":
        nom_test = connexion.settings_dict.get("TEST", {}).get("NAME")
        return ("sqlite", str(nom)) if nom_test and str(nom) == str(nom_test) else None
    return None


class Gardien:
    """Lists the connections to the test database that are not the test's own."""

    def __init__(self):
        self._surveillance = None  # a PostgreSQL connection to the "postgres" database

    def fermer(self):
        if self._surveillance is not None:
            self._surveillance.close()
            self._surveillance = None

    def autres_connexions(self):
        """Return a description of each connection to the test database other than the test's own."""
        base = _base_de_test()
        if base is None:
            return []
        vendor, nom = base
        if vendor == "postgresql":
            return self._postgresql(nom)
        return _sqlite(nom)

    def restantes(self, delai=5.0):
        """Like ``autres_connexions``, giving a connection being closed (a stopped server's) ``delai`` seconds."""
        fin = time.monotonic() + delai
        fuites = self.autres_connexions()
        while fuites and time.monotonic() < fin:
            time.sleep(0.05)
            fuites = self.autres_connexions()
        return fuites

    def _postgresql(self, nom):
        import psycopg

        if self._surveillance is None or self._surveillance.closed:
            reglages = connections["default"].settings_dict
            self._surveillance = psycopg.connect(
                dbname="postgres", user=reglages.get("USER") or None, password=reglages.get("PASSWORD") or None,
                host=reglages.get("HOST") or None, port=reglages.get("PORT") or None, autocommit=True,
            )
        propre = connections["default"].connection
        pid_propre = propre.info.backend_pid if propre is not None and not propre.closed else 0
        lignes = self._surveillance.execute(
            "SELECT pid, client_port, state, left(query, 120) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s AND backend_type = 'client backend'",
            [nom, pid_propre],
        ).fetchall()
        return [f"PostgreSQL pid {pid} ({etat or 'inconnu'}), ouverte par {_titulaire(port)} : {requete!r}"
                for pid, port, etat, requete in lignes]


def _titulaire(port):
    """Name the local process that holds the client end of a TCP connection (for the failure message)."""
    if not port or port < 0 or shutil.which("ss") is None:
        return "un processus inconnu"
    sortie = subprocess.run(["ss", "-Htnp", "src", f":{port}"], capture_output=True, text=True, check=False).stdout
    trouve = re.search(r'users:\(\("([^"]+)",pid=(\d+)', sortie)
    if not trouve:
        return "un processus inconnu"
    pid = int(trouve.group(2))
    qui = "ce processus de test" if pid == os.getpid() else f"le processus {pid} ({trouve.group(1)})"
    return qui


def _descripteurs(pid, fichier):
    """Return how many file descriptors of process ``pid`` point at ``fichier``."""
    try:
        entrees = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return 0
    total = 0
    for entree in entrees:
        try:
            if os.readlink(f"/proc/{pid}/fd/{entree}") == fichier:
                total += 1
        except OSError:
            continue
    return total


def _enfants(pid):
    """Return the pids of the descendants of ``pid`` (from /proc/<pid>/task/*/children)."""
    resultat = []
    try:
        taches = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return resultat
    for tache in taches:
        try:
            enfants = Path(f"/proc/{pid}/task/{tache}/children").read_text().split()
        except OSError:
            continue
        for enfant in enfants:
            resultat.append(int(enfant))
            resultat.extend(_enfants(int(enfant)))
    return resultat


def _sqlite(nom):
    if not Path("/proc/self/fd").exists():
        return []
    fichier = str(Path(nom).resolve())
    propre = connections["default"].connection
    attendus = 1 if propre is not None else 0
    fuites = []
    ici = _descripteurs(os.getpid(), fichier)
    if ici > attendus:
        fuites.append(f"SQLite : {ici - attendus} connexion(s) ouverte(s) par un autre fil de ce processus")
    for enfant in _enfants(os.getpid()):
        n = _descripteurs(enfant, fichier)
        if n:
            fuites.append(f"SQLite : {n} connexion(s) ouverte(s) par le processus enfant {enfant}")
    return fuites
