"""``python manage.py importer_evenements FICHIER [--programme SLUG] [--publier] [--simulation] [--par E-MAIL]``

Reads a CSV or iCalendar file exactly as the admin page *Agenda › Importer* does, prints every error
with its line and column, then imports the valid rows through ``services.importer_evenements`` (nothing
with ``--simulation``). The audit trail names the person of ``--par`` (default: the first active
administrator).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from evenements import services
from evenements.importation import analyser
from evenements.models import Programme


class Command(BaseCommand):
    help = "Importe des événements depuis un fichier CSV ou iCalendar (.ics)."

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--programme", help="slug du programme auquel rattacher les événements")
        parser.add_argument("--publier", action="store_true", help="publier les événements (sinon : modération)")
        parser.add_argument("--simulation", action="store_true", help="montrer ce qui serait fait, sans rien écrire")
        parser.add_argument("--par", help="e-mail de la personne qui importe (journal d'audit)")

    def handle(self, fichier, programme=None, publier=False, simulation=False, par=None, **options):
        if programme:
            try:
                programme = Programme.objects.get(slug=programme)
            except Programme.DoesNotExist as exc:
                raise CommandError(f"Programme inconnu : « {programme} ».") from exc
        Users = get_user_model()
        if par:
            personne = Users.objects.filter(email__iexact=par, is_active=True).first()
        else:
            personne = Users.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if personne is None:
            raise CommandError("Aucune personne pour signer l'import : indiquez --par E-MAIL (un·e modérateur·rice).")
        try:
            with open(fichier, "rb") as f:
                contenu = f.read(services_taille_max() + 1)
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {exc}") from exc
        analyse = analyser(contenu, fichier, programme)
        for erreur in analyse.erreurs_fichier:
            self.stderr.write(str(erreur))
        if analyse.erreurs_fichier:
            raise CommandError("Rien n'a été importé.")
        for e in analyse.erreurs:
            colonne = f", colonne {e.colonne}" if e.colonne else ""
            self.stderr.write(f"Ligne {e.ligne}{colonne} : {e.message}")
        self.stdout.write(
            f"{len(analyse.lignes)} événement(s) lus : {analyse.nombre('creation')} à créer, "
            f"{analyse.nombre('mise_a_jour')} à mettre à jour, {analyse.nombre('inchange')} déjà à jour, "
            f"{analyse.nombre('doublon')} doublon(s) probable(s), {len(analyse.invalides)} en erreur.")
        if simulation:
            self.stdout.write("Simulation : rien n'a été écrit.")
            return
        try:
            rapport = services.importer_evenements(analyse, par=personne, publier_aussi=publier)
        except services.ActionImpossible as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Importé : {len(rapport['crees'])} créé(s), {len(rapport['mis_a_jour'])} mis à jour.")
        for evenement, problemes in rapport["non_publies"]:
            self.stdout.write(f"Non publié, laissé en modération : {evenement.titre} — {' '.join(problemes)}")


def services_taille_max():
    from evenements.importation import taille_max

    return taille_max()
