"""Send the notification summaries that are due (run every few minutes by cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from conseil_ess.comptes.notifications import envoyer_resumes


class Command(BaseCommand):
    help = ("Envoie les résumés de notifications regroupées dont la fenêtre est écoulée. "
            "Idempotent ; peut tourner deux fois en même temps sans doublon.")

    def handle(self, *args, **options):
        nombre = envoyer_resumes()
        if options["verbosity"] > 1 or nombre:
            self.stdout.write(f"{nombre} courriel(s) envoyé(s).")
