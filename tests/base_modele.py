"""SQLite test databases copied from a migrated template instead of migrated by every test process.

Migrating an empty database (Django, Wagtail, allauth and the apps: a few hundred migrations) costs each
test process about 20 s of CPU. ``make test`` and ``make test-dates`` start eight of them (two xdist
workers, four runs) one after the other, on the same migrations. The first process that needs a
database migrates it as usual and keeps a copy, the template
``.test-db-modele-<key>.sqlite3``; every later process copies the template, then Django's ``migrate``
finds nothing to apply and only sends ``post_migrate`` (groups, page tree, site: at the clock of this
run). The key is a digest of the migration files of the installed apps and of the installed distributions
(name and version): a new migration or another version of a library makes a new template. A lock file
makes the other workers wait for the first migration instead of running it in parallel.

This is not ``--reuse-db``: every process still gets a fresh database, dropped at the end, and the
template holds nothing but what ``migrate`` made. ``make clean`` removes it (``.test-db-*``).
PostgreSQL keeps Django's usual creation (one migrated database per worker).
"""

import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import sqlite3
from pathlib import Path

from django.conf import settings

RACINE = Path(__file__).resolve().parent.parent


def cle_des_migrations():
    """A digest of the migration files of every installed app and of the installed distributions' versions."""
    from django.apps import apps

    empreinte = hashlib.sha256()
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        for chemin in sorted(Path(app.path).glob("migrations/*.py")):
            empreinte.update(f"{app.label}/{chemin.name}".encode())
            empreinte.update(chemin.read_bytes())
    versions = sorted({f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()})
    empreinte.update("\n".join(versions).encode())
    return empreinte.hexdigest()[:16]


@contextlib.contextmanager
def _verrou(chemin):
    with open(chemin, "w") as fichier:
        fcntl.flock(fichier, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fichier, fcntl.LOCK_UN)


def _copier_base(source, destination):
    """Copy a SQLite database with SQLite's backup API (consistent even if ``source`` is open)."""
    temporaire = f"{destination}.{os.getpid()}.tmp"
    with contextlib.closing(sqlite3.connect(source)) as de, contextlib.closing(sqlite3.connect(temporaire)) as vers:
        de.backup(vers)
    os.replace(temporaire, destination)


def creer_les_bases(setup_databases, **options):
    """``django.test.utils.setup_databases`` for the test run, through the template on SQLite."""
    from django.db import connections

    reglages = connections["default"].settings_dict
    nom = reglages.get("TEST", {}).get("NAME")
    if reglages["ENGINE"] != "django.db.backends.sqlite3" or not nom or set(settings.DATABASES) != {"default"}:
        return setup_databases(**options)
    modele = RACINE / f".test-db-modele-{cle_des_migrations()}.sqlite3"
    with _verrou(RACINE / ".test-db-modele.sqlite3.lock"):
        if modele.exists():
            for suffixe in ("", "-journal", "-wal", "-shm"):
                Path(f"{nom}{suffixe}").unlink(missing_ok=True)
            shutil.copyfile(modele, nom)
            # keepdb: Django keeps the copied file and runs ``migrate`` on it (nothing to apply, post_migrate sent).
            return setup_databases(keepdb=True, **options)
        configuration = setup_databases(**options)
        connections["default"].close()
        _copier_base(nom, modele)
        return configuration
