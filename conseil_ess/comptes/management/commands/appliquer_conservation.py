"""Apply the retention durations of personal data (run daily by cron or a systemd timer): see
``conseil_ess/comptes/donnees_personnelles.py::appliquer_conservation``."""

from django.core.management.base import BaseCommand

from conseil_ess.comptes.donnees_personnelles import appliquer_conservation


class Command(BaseCommand):
    help = ("Applique les durées de conservation des données personnelles (réglages CONSERVATION_*) : comptes "
            "jamais vérifiés, comptes inactifs (avertis puis supprimés), inscriptions anciennes anonymisées, "
            "notifications lues anciennes, fichiers de brouillons supprimés. Idempotent ; à lancer chaque jour.")

    def add_arguments(self, parser):
        parser.add_argument("--simulation", action="store_true",
                            help="N'écrit rien : affiche seulement ce qui serait fait.")

    def handle(self, *args, simulation=False, **options):
        bilan = appliquer_conservation(simulation=simulation)
        titre = ("Conservation des données personnelles (simulation : rien n'a été modifié)" if simulation
                 else "Conservation des données personnelles")
        self.stdout.write(titre)
        for libelle, nombre in bilan:
            self.stdout.write(f"  {libelle} : {nombre}")
