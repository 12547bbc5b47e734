"""Add production-scale data on top of the demo (``conseil_ess/demo/echelle.py``); idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from conseil_ess.demo import echelle


class Command(BaseCommand):
    help = ("Ajoute, par-dessus la démo, des données à l'échelle de la production (10 : plus de 3 000 événements, "
            "1 000 propositions, 80 ateliers, 20 séances, 5 000 comptes). Idempotent : remplace la génération "
            "précédente.")

    def add_arguments(self, parser):
        parser.add_argument("--facteur", type=float, default=10,
                            help="Multiplicateur (10 par défaut ; 0.1 pour un essai rapide).")
        parser.add_argument("--supprimer", action="store_true", help="Supprime les données générées, sans en recréer.")

    def handle(self, *args, **options):
        if options["supprimer"]:
            echelle.supprimer()
            _statistiques()
            self.stdout.write(self.style.SUCCESS("Données d'échelle supprimées."))
            return
        facteur = options["facteur"]
        if not 0 < facteur <= 100:
            raise CommandError("--facteur doit être compris entre 0 (exclu) et 100.")
        nombres = echelle.generer(facteur)
        _statistiques()
        self.stdout.write(self.style.SUCCESS(
            "Données d'échelle générées : " + ", ".join(f"{v} {k}" for k, v in nombres.items()) + "."))


def _statistiques():
    """On PostgreSQL, refresh the planner's statistics now: thousands of rows written in bulk are otherwise unknown
    to it until autovacuum comes by (seen: the home page's next events read by scanning every published event,
    7 ms instead of under 1, the statistics still saying the table was empty)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as curseur:
            curseur.execute("ANALYZE")
