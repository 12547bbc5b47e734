"""Load the demo data set of Rivebelle (``conseil_ess/demo``), told in the present; idempotent."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from conseil_ess.demo import chargeur
from conseil_ess.demo.adresses import adresses_a_essayer
from conseil_ess.demo.recit import ANNEE_MAX, ANNEE_MIN


def annee_reference(valeur):
    try:
        annee = int(valeur)
    except (TypeError, ValueError):
        raise CommandError(f"--annee-reference : « {valeur} » n'est pas une année (AAAA, entre {ANNEE_MIN} et "
                           f"{ANNEE_MAX}). Rien n'a été chargé.")
    if not ANNEE_MIN <= annee <= ANNEE_MAX:
        raise CommandError(f"--annee-reference : {annee} est hors de {ANNEE_MIN}–{ANNEE_MAX}. Rien n'a été chargé.")
    return annee


class Command(BaseCommand):
    help = ("Charge le jeu de démonstration (Rivebelle Métropole), raconté au présent : l'année de l'histoire est "
            "celle du dernier Mois de l'ESS commencé. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--annee-reference", metavar="AAAA",
                            help="Raconte l'histoire de cette année-là (documentation, captures d'écran).")
        parser.add_argument("--reset", action="store_true",
                            help="Supprime uniquement les objets de démonstration, puis recharge (au présent).")
        parser.add_argument("--sans-utilisateurs", action="store_true",
                            help="Ne crée pas les comptes de démonstration.")
        parser.add_argument("--reset-seulement", action="store_true",
                            help="Supprime les objets de démonstration sans recharger.")

    def handle(self, *args, **options):
        annee = options["annee_reference"]
        if annee is not None:
            annee = annee_reference(annee)
        if options["reset_seulement"]:
            chargeur.supprimer()
            call_command("update_index", verbosity=0)
            self.stdout.write(self.style.SUCCESS("Objets de démonstration supprimés."))
            return
        try:
            resultat = chargeur.charger(annee=annee, avec_utilisateurs=not options["sans_utilisateurs"],
                                        reset=options["reset"], stdout=self.stdout)
        except chargeur.AnneeDejaChargee as erreur:
            raise CommandError(
                f"La démo déjà chargée raconte l'année {erreur.annee} ; relancez avec --reset pour raconter "
                f"{annee}. Rien n'a été modifié.")
        # Saving indexes each object (Wagtail's signals); rebuilding the site search's index once more
        # (about 2 s) also covers rows the loader writes with QuerySet.update() and removes stale entries.
        call_command("update_index", verbosity=0)
        recit = resultat["recit"]
        self.stdout.write(self.style.SUCCESS(
            f"Démo chargée ({recit.annee}, au {recit.en_mots(recit.aujourdhui)}) : {resultat['communes']} communes, "
            f"{resultat['structures']} structures, {len(resultat['comptes'])} comptes."))
        self._afficher_comptes(resultat["comptes"])
        self._afficher_adresses()

    def _afficher_comptes(self, comptes):
        if not comptes:
            return
        w = self.stdout.write
        w("")
        w("Comptes de démonstration (mots de passe générés à ce chargement) :")
        w("-" * 100)
        for c in comptes:
            w(f"{c['email']:<42} {c['mot_de_passe']:<20} {c['roles']}")
        avec_mfa = [c for c in comptes if "totp_secret" in c]
        if avec_mfa:
            w("")
            w("Double authentification (agent·e·s, élu·e·s, administrateur) : à la connexion, saisissez un code")
            w("de récupération ci-dessous, ou ajoutez la clé TOTP à une application d'authentification.")
            for c in avec_mfa:
                w(f"  {c['email']} : clé TOTP {c['totp_secret']}")
                w(f"      codes de récupération : {' '.join(c['codes_recuperation'][:5])}")
        w("-" * 100)

    def _afficher_adresses(self):
        self.stdout.write("")
        self.stdout.write("À essayer (adresses de cette histoire ; « manage.py adresses_demo » les redonne) :")
        for libelle, adresse in adresses_a_essayer():
            self.stdout.write(f"  {libelle:<46} {adresse}")
