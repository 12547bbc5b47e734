"""Backup and restore of a PostgreSQL installation: ``manage.py sauvegarder`` / ``manage.py restaurer``.

A backup folder holds:

- ``base.dump``: ``pg_dump --format=custom --no-owner`` of the database;
- ``medias.tar.gz`` and ``fichiers-prives.tar.gz``: ``MEDIA_ROOT`` and ``FICHIERS_PRIVES_ROOT``;
- ``manifeste.json``: the date, the database name, the number of rows of every table of the project's models
  (``apps.get_models``, many-to-many tables included: Wagtail pages too) and the applied migrations.

The counts and the dump are one snapshot: the counts are read in a REPEATABLE READ transaction whose
snapshot ``pg_dump --snapshot`` reuses, so rows written during the backup are in neither or in both.
Tables are counted generically: this module sits at the bottom of the layers and names no other app.
"""

import json
import os
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

BASE = "base.dump"
MEDIAS = "medias.tar.gz"
PRIVES = "fichiers-prives.tar.gz"
MANIFESTE = "manifeste.json"


def exiger_postgresql(connexion):
    if connexion.vendor != "postgresql":
        raise CommandError(
            f"Sauvegarde et restauration ne fonctionnent qu'avec PostgreSQL (DATABASE_URL=postgres://…) ; la base "
            f"« {connexion.alias} » est {connexion.vendor}. Avec SQLite, arrêtez l'application et copiez le fichier "
            f"de la base ({connexion.settings_dict['NAME']}) et les dossiers MEDIA_ROOT et FICHIERS_PRIVES_ROOT."
        )


def tables_du_projet():
    """The tables of the project's models, sorted (concrete, managed models; many-to-many tables included)."""
    tables = set()
    for modele in apps.get_models(include_auto_created=True):
        meta = modele._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables.add(meta.db_table)
    return sorted(tables)


def compter(connexion, tables):
    existantes = set(connexion.introspection.table_names())
    comptes = {}
    with connexion.cursor() as curseur:
        for table in tables:
            if table in existantes:
                curseur.execute(f"SELECT count(*) FROM {connexion.ops.quote_name(table)}")  # noqa: S608 (quoted model table)
                comptes[table] = curseur.fetchone()[0]
    return comptes


def migrations_appliquees(connexion):
    if not MigrationRecorder(connexion).has_table():
        return []
    with connexion.cursor() as curseur:
        curseur.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{nom}" for app, nom in curseur.fetchall()]


def _environnement(connexion):
    """libpq arguments and environment for pg_dump/pg_restore from a Django connection's settings."""
    reglages = connexion.settings_dict
    env = os.environ.copy()
    if reglages.get("PASSWORD"):
        env["PGPASSWORD"] = str(reglages["PASSWORD"])
    arguments = []
    for option, cle in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if reglages.get(cle):
            arguments.append(f"{option}={reglages[cle]}")
    arguments.append(f"--dbname={reglages['NAME']}")
    return arguments, env


def _lancer(commande, env):
    try:
        resultat = subprocess.run(commande, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as erreur:
        raise CommandError(f"Programme introuvable : {commande[0]} (installez le client PostgreSQL).") from erreur
    if resultat.returncode != 0:
        raise CommandError(f"{commande[0]} a échoué (code {resultat.returncode}) :\n{resultat.stderr.strip()}")


def _archiver(source, archive):
    source = Path(source)
    with tarfile.open(archive, "w:gz") as tar:
        if source.is_dir():
            for chemin in sorted(source.iterdir()):
                tar.add(chemin, arcname=chemin.name)


def _extraire(archive, destination):
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(destination, filter="data")


def sauvegarder(dossier, alias="default"):
    """Write a backup into ``dossier`` (created; must be empty); return the manifest."""
    connexion = connections[alias]
    exiger_postgresql(connexion)
    dossier = Path(dossier)
    if dossier.exists() and any(dossier.iterdir()):
        raise CommandError(f"Le dossier {dossier} n'est pas vide : choisissez un dossier nouveau ou vide.")
    dossier.mkdir(parents=True, exist_ok=True)
    arguments, env = _environnement(connexion)
    with transaction.atomic(using=alias):
        with connexion.cursor() as curseur:
            curseur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            curseur.execute("SELECT pg_export_snapshot()")
            instantane = curseur.fetchone()[0]
        comptes = compter(connexion, tables_du_projet())
        migrations = migrations_appliquees(connexion)
        # The snapshot lives as long as this transaction: pg_dump runs inside it.
        _lancer(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={instantane}",
                 f"--file={dossier / BASE}", *arguments], env)
    _archiver(settings.MEDIA_ROOT, dossier / MEDIAS)
    _archiver(settings.FICHIERS_PRIVES_ROOT, dossier / PRIVES)
    manifeste = {
        "date": timezone.now().isoformat(),
        "base": connexion.settings_dict["NAME"],
        "comptes": comptes,
        "migrations": migrations,
        "fichiers": {BASE: (dossier / BASE).stat().st_size, MEDIAS: (dossier / MEDIAS).stat().st_size,
                     PRIVES: (dossier / PRIVES).stat().st_size},
    }
    (dossier / MANIFESTE).write_text(json.dumps(manifeste, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifeste


class BaseNonVide(CommandError):
    pass


def restaurer(dossier, alias="default", forcer=False):
    """Restore ``dossier`` into the database ``alias``; return (manifest, differences).

    ``differences`` lists (table, expected, found) for every table whose count differs from the manifest.
    """
    connexion = connections[alias]
    exiger_postgresql(connexion)
    dossier = Path(dossier)
    try:
        manifeste = json.loads((dossier / MANIFESTE).read_text(encoding="utf-8"))
    except FileNotFoundError as erreur:
        raise CommandError(f"{dossier / MANIFESTE} est introuvable : ce dossier n'est pas une sauvegarde.") from erreur
    for nom in (BASE, MEDIAS, PRIVES):
        if not (dossier / nom).is_file():
            raise CommandError(f"{dossier / nom} est introuvable : sauvegarde incomplète.")
    tables = connexion.introspection.table_names()
    if tables and not forcer:
        raise BaseNonVide(
            f"La base « {connexion.settings_dict['NAME']} » n'est pas vide ({len(tables)} tables) : la restauration "
            f"se fait dans une base vide (createdb). Pour écraser ses données, relancez avec --forcer."
        )
    arguments, env = _environnement(connexion)
    commande = ["pg_restore", "--no-owner", "--exit-on-error", *arguments]
    if tables:
        commande[1:1] = ["--clean", "--if-exists"]
    connexion.close()
    _lancer([*commande, str(dossier / BASE)], env)
    _extraire(dossier / MEDIAS, settings.MEDIA_ROOT)
    _extraire(dossier / PRIVES, settings.FICHIERS_PRIVES_ROOT)
    attendus = manifeste["comptes"]
    trouves = compter(connexion, list(attendus))
    differences = [(table, attendu, trouves.get(table)) for table, attendu in sorted(attendus.items())
                   if trouves.get(table) != attendu]
    if migrations_appliquees(connexion) != manifeste["migrations"]:
        differences.append(("django_migrations", len(manifeste["migrations"]), len(migrations_appliquees(connexion))))
    return manifeste, differences, trouves
