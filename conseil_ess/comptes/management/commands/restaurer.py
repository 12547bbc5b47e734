"""Restore a backup of ``manage.py sauvegarder`` into an empty database: ``conseil_ess/comptes/sauvegarde.py``."""

from django.core.management.base import BaseCommand, CommandError

from conseil_ess.comptes.sauvegarde import restaurer


class Command(BaseCommand):
    help = ("Restaure DOSSIER (écrit par manage.py sauvegarder) dans la base de DATABASE_URL, qui doit être vide "
            "(sinon --forcer), et décompresse les médias et les fichiers privés dans MEDIA_ROOT et "
            "FICHIERS_PRIVES_ROOT ; vérifie ensuite le nombre de lignes de chaque table d'après le manifeste "
            "(code de sortie non nul en cas d'écart). PostgreSQL seulement.")

    def add_arguments(self, parser):
        parser.add_argument("dossier", help="Dossier d'une sauvegarde (manifeste.json, base.dump, archives).")
        parser.add_argument("--database", default="default", help="Alias de la base (par défaut : default).")
        parser.add_argument("--forcer", action="store_true",
                            help="Restaure même si la base contient déjà des tables (elles sont remplacées).")

    def handle(self, *args, dossier, database, forcer, **options):
        manifeste, differences, trouves = restaurer(dossier, alias=database, forcer=forcer)
        self.stdout.write(
            f"Sauvegarde du {manifeste['date']} (base « {manifeste['base']} ») restaurée : "
            f"{len(trouves)} tables, {sum(trouves.values())} lignes."
        )
        if differences:
            for table, attendu, trouve in differences:
                self.stderr.write(f"  {table} : {attendu} lignes attendues, {trouve} trouvées")
            raise CommandError(f"Vérification échouée : {len(differences)} table(s) ne correspondent pas au manifeste.")
        self.stdout.write("Vérification : chaque table a le nombre de lignes du manifeste.")
