"""Benchmark of the bulk import: a 1,000-row CSV read, checked and imported (the issue asks under 30 s).

Not a test (pytest collects only ``test_*.py``): a script run by hand.

It takes ``--base`` / ``DATABASE_URL`` (migrated) or a throwaway SQLite file, creates a commune, ten
structures and a moderator, writes a CSV of ``--lignes`` events (half with a SIRET organiser), then times
``importation.analyser`` (reading, checks, duplicate search) and ``services.importer_evenements`` (writes,
audit trail, notifications), then a second import of the same file (nothing new: every row unchanged).

Usage (from the repository's root)::

    .venv/bin/python -m tests.benchmarks.import_evenements
    .venv/bin/python -m tests.benchmarks.import_evenements --lignes 5000
"""

import argparse
import datetime
import os
import tempfile
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lignes", type=int, default=1000)
    parser.add_argument("--base", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--settings", default="conseil_ess.settings.test")
    args = parser.parse_args()
    if not args.base:
        args.base = "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="bench-import-")) / "bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    os.environ["DATABASE_URL"] = args.base
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.IMPORT_EVENEMENTS_OCCURRENCES_MAX = max(settings.IMPORT_EVENEMENTS_OCCURRENCES_MAX, args.lignes)
    call_command("migrate", interactive=False, verbosity=0)
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from conseil_ess.comptes import roles
    from conseil_ess.comptes.models import Commune, Structure, User
    from evenements import services
    from evenements.importation import analyser

    commune, _ = Commune.objects.get_or_create(slug="bench-rivebelle", defaults={"nom": "Bench Rivebelle"})
    sirets = ["73282932000074", "35600000000048", "44306184100047", "55208131766522", "54205118000066"]
    for i, siret in enumerate(sirets):
        Structure.objects.get_or_create(slug=f"bench-{i}", defaults={
            "nom": f"Bench {i}", "siret": siret, "forme_juridique": "association", "statut": "validee"})
    moderateur, _ = User.objects.get_or_create(email="bench-import@example.org")
    moderateur.groups.add(Group.objects.get_or_create(name=roles.AGENT)[0])
    debut = timezone.localdate() + datetime.timedelta(days=30)
    tour_id = int(time.time())  # a database reused by several runs: new identifiers and titles each time
    lignes = ["identifiant_externe;titre;debut;fin;commune;structures;type;publics;accessibilite_fauteuil"]
    for i in range(args.lignes):
        jour = debut + datetime.timedelta(days=i % 28)
        heure = 8 + i % 12
        lignes.append(f"bench-{tour_id}-{i};Événement {tour_id} n° {i};{jour:%d/%m/%Y} {heure}:00;"
                      f"{jour:%d/%m/%Y} {heure + 1}:30;Bench Rivebelle;{sirets[i % 5] if i % 2 else ''};atelier;;oui")
    contenu = ("\ufeff" + "\r\n".join(lignes) + "\r\n").encode()
    print(f"Fichier : {args.lignes} lignes, {len(contenu) / 1024:.0f} Kio, base {args.base.split(':')[0]}")
    for tour in ("premier import", "second import (identique)"):
        t0 = time.perf_counter()
        analyse = analyser(contenu, "bench.csv")
        t1 = time.perf_counter()
        rapport = services.importer_evenements(analyse, par=moderateur)
        t2 = time.perf_counter()
        print(f"{tour} : lecture et contrôles {t1 - t0:.1f} s, écriture {t2 - t1:.1f} s, total {t2 - t0:.1f} s ; "
              f"{len(rapport['crees'])} créés, {len(rapport['mis_a_jour'])} mis à jour, "
              f"{rapport['inchanges']} inchangés, {rapport['invalides']} en erreur")


if __name__ == "__main__":
    main()
