"""Add production-scale data on top of the demo (``conseil_ess/demo/echelle.py``); idempotent."""

from django.core.management.base import BaseCommand, CommandError

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
            self.stdout.write(self.style.SUCCESS("Données d'échelle supprimées."))
            return
        facteur = options["facteur"]
        if not 0 < facteur <= 100:
            raise CommandError("--facteur doit être compris entre 0 (exclu) et 100.")
        nombres = echelle.generer(facteur)
        self.stdout.write(self.style.SUCCESS(
            "Données d'échelle générées : " + ", ".join(f"{v} {k}" for k, v in nombres.items()) + "."))
