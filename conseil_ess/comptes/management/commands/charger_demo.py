"""Load the demo data set of DEMO_DATA.md (idempotent). ``--reset`` removes only demo objects."""

from django.core.management.base import BaseCommand
from django.db import transaction

from conseil_ess.comptes import demo as demo_comptes


def _etapes_suivantes():
    """Return (load, remove) pairs of the apps loaded after comptes, in dependency order.

    Later apps (agenda, ateliers, propositions, séances) add their pair here.
    """
    from ateliers import demo as demo_ateliers
    from conseil_ess.propositions import demo as demo_propositions
    from conseil_ess.seances import demo as demo_seances
    from evenements import demo as demo_evenements
    from home import demo as demo_home

    return [
        (demo_home.charger_pages, demo_home.supprimer_pages),
        (demo_evenements.charger, demo_evenements.supprimer),
        (demo_ateliers.charger, demo_ateliers.supprimer),
        (demo_propositions.charger, demo_propositions.supprimer),
        (demo_seances.charger, demo_seances.supprimer),
    ]


class Command(BaseCommand):
    help = "Charge le jeu de données de démonstration (Rivebelle Métropole). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Supprime uniquement les objets de démonstration, puis recharge.")
        parser.add_argument("--sans-utilisateurs", action="store_true",
                            help="Ne crée pas les comptes de démonstration.")
        parser.add_argument("--reset-seulement", action="store_true",
                            help="Supprime les objets de démonstration sans recharger.")

    def handle(self, *args, **options):
        with transaction.atomic():
            if options["reset"] or options["reset_seulement"]:
                self._supprimer()
                if options["reset_seulement"]:
                    self.stdout.write(self.style.SUCCESS("Objets de démonstration supprimés."))
                    return
            resultat = demo_comptes.charger(avec_utilisateurs=not options["sans_utilisateurs"])
            for charger, _supprimer in _etapes_suivantes():
                charger(stdout=self.stdout)
            demo_comptes.completer_mfa(resultat["comptes"])
        self.stdout.write(self.style.SUCCESS(
            f"Démo chargée : {resultat['communes']} communes, {resultat['structures']} structures, "
            f"{len(resultat['comptes'])} comptes."
        ))
        self._afficher_comptes(resultat["comptes"])

    def _supprimer(self):
        for _charger, supprimer in reversed(_etapes_suivantes()):
            supprimer()
        demo_comptes.supprimer()

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
