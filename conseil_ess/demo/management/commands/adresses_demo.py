"""Print the addresses of the README's walkthroughs for the demo story in the database."""

from django.core.management.base import BaseCommand

from conseil_ess.demo.adresses import adresses_a_essayer


class Command(BaseCommand):
    help = "Affiche les adresses à essayer de la démo chargée (prochaine plénière, prochain Mois de l'ESS…)."

    def handle(self, *args, **options):
        adresses = adresses_a_essayer()
        if not adresses:
            self.stdout.write("Aucune démo chargée : lancez « python manage.py charger_demo ».")
        for libelle, adresse in adresses:
            self.stdout.write(f"{libelle:<46} {adresse}")
