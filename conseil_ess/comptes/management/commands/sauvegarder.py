"""Back up the database, the media and the private files into a folder: ``conseil_ess/comptes/sauvegarde.py``."""

from django.core.management.base import BaseCommand

from conseil_ess.comptes.sauvegarde import MANIFESTE, sauvegarder


class Command(BaseCommand):
    help = ("Sauvegarde dans DOSSIER (nouveau ou vide) : la base PostgreSQL (pg_dump, format personnalisé), "
            "MEDIA_ROOT et FICHIERS_PRIVES_ROOT (archives tar.gz) et manifeste.json (nombre de lignes de chaque "
            "table, date, migrations appliquées). PostgreSQL seulement. Restauration : manage.py restaurer.")

    def add_arguments(self, parser):
        parser.add_argument("dossier", help="Dossier de la sauvegarde (créé s'il n'existe pas ; doit être vide).")
        parser.add_argument("--database", default="default", help="Alias de la base (par défaut : default).")

    def handle(self, *args, dossier, database, **options):
        manifeste = sauvegarder(dossier, alias=database)
        lignes = sum(manifeste["comptes"].values())
        self.stdout.write(
            f"Sauvegarde écrite dans {dossier} : {len(manifeste['comptes'])} tables, {lignes} lignes, "
            f"{len(manifeste['migrations'])} migrations ; détail dans {MANIFESTE}."
        )
