"""Benchmark of « Mes données »: the time to build the ZIP of a heavy demo user (the target is under 10 s).

Not a test (pytest collects only ``test_*.py``): a script run by hand.

1. takes a database: ``--base`` / ``DATABASE_URL`` if given (migrated; the demo is loaded unless already
   there), otherwise a throwaway SQLite file, migrated, with the demo loaded, deleted at the end;
2. takes the demo account ``--compte`` (an acteur, member of the Conseil and référente: proposals, check-ins,
   votes, registrations, notifications), then makes it heavier with ``--notifications`` more notifications,
   ``--brouillons`` drafts each with a 1 MB attachment and registrations to ``--inscriptions`` more events;
3. builds its export ``--repetitions`` times through ``exporter_donnees`` and prints the time of each (and the
   number of SQL queries of the first), the ZIP size and the number of files.

Usage (from the repository's root)::

    .venv/bin/python -m tests.benchmarks.export_donnees
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python -m tests.benchmarks.export_donnees
"""

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--settings", default="conseil_ess.settings.test")
    parser.add_argument("--compte", default="nadia.benarfa@example.org",
                        help="compte de démo mesuré (défaut : une actrice membre du Conseil et référente)")
    parser.add_argument("--notifications", type=int, default=3000)
    parser.add_argument("--brouillons", type=int, default=20)
    parser.add_argument("--inscriptions", type=int, default=200)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args(argv)
    jetable = None
    if not args.base:
        jetable = Path(tempfile.mkdtemp(prefix="bench-export-"))
        args.base = f"sqlite:///{jetable / 'bench.sqlite3'}"
        os.environ["FICHIERS_PRIVES_ROOT"] = str(jetable / "prives")
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    os.environ["DATABASE_URL"] = args.base
    try:
        mesurer(args)
    finally:
        if jetable is not None:
            shutil.rmtree(jetable, ignore_errors=True)


def mesurer(args):
    import django

    django.setup()
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from conseil_ess.comptes.donnees_personnelles import exporter_donnees
    from conseil_ess.comptes.models import Notification
    from conseil_ess.propositions import services as propositions
    from conseil_ess.propositions.models import Proposition
    from evenements.models import Evenement, Inscription

    call_command("migrate", interactive=False, verbosity=0)
    User = get_user_model()
    if not User.objects.filter(is_demo=True).exists():
        debut = time.perf_counter()
        call_command("charger_demo", verbosity=0)
        print(f"Démo chargée en {time.perf_counter() - debut:.0f} s.")
    user = User.objects.get(email=args.compte)
    avant = {nom: getattr(user, nom).count() for nom in ("notifications", "inscriptions", "propositions",
                                                         "emargements", "bulletins", "adhesions")}
    print(f"Compte mesuré : {user.email} (avant d'alourdir : {avant}).")
    with transaction.atomic():
        Notification.objects.bulk_create([
            Notification(destinataire=user, titre=f"Nouveauté {i}", message="Un message de notification. " * 5,
                         url="/propositions/", cree_le=timezone.now() - datetime.timedelta(hours=i))
            for i in range(args.notifications)])
        for i in range(args.brouillons):
            brouillon = propositions.creer_brouillon(Proposition(titre=f"Brouillon {i}", resume="Résumé."), user)
            propositions.ajouter_piece_jointe(brouillon, f"Annexe {i}", ContentFile(os.urandom(1_000_000),
                                                                                    name=f"annexe-{i}.pdf"), user)
        modele = Evenement.objects.filter(is_demo=True).first()
        for i in range(args.inscriptions):
            modele.pk, modele.id, modele.slug, modele.uid = None, None, f"bench-export-{i}-{time.time_ns()}", ""
            modele._state.adding = True
            modele.save()
            Inscription.objects.create(evenement=modele, user=user, statut=Inscription.Statut.CONFIRMEE)
    for repetition in range(args.repetitions):
        debut = time.perf_counter()
        with CaptureQueriesContext(connection) as requetes:
            nom, contenu = exporter_donnees(user, par=user)
        duree = time.perf_counter() - debut
        print(f"Export {repetition + 1} : {duree:.2f} s, {len(requetes)} requêtes SQL, "
              f"{len(contenu) / 1e6:.1f} Mo ({nom}).")


if __name__ == "__main__":
    main()
