from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropositionsConfig(AppConfig):
    name = "conseil_ess.propositions"
    label = "propositions"
    verbose_name = _("Propositions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import ngettext_lazy

        from ateliers.extensions import PAGE_ATELIER
        from conseil_ess.comptes import categories_notifications, compteurs
        from conseil_ess.comptes.emplacements import (
            MON_ESPACE,
            ORDRE_MES_PROPOSITIONS,
            enregistrer_bloc,
            enregistrer_lien,
        )
        from conseil_ess.comptes.setup import confier_aux_agents

        from .blocs import mes_propositions, propositions_de_l_atelier
        from .statistiques import compter_adoptees, compter_deposees, compter_realisees

        confier_aux_agents(self.label)
        # The figures editors may show in the « chiffres calculés » block of the home pages.
        compteurs.enregistrer("propositions_deposees", _("propositions déposées au Conseil"), compter_deposees)
        compteurs.enregistrer("propositions_adoptees", _("propositions adoptées par le Conseil"), compter_adoptees)
        compteurs.enregistrer("propositions_realisees", _("propositions réalisées"), compter_realisees)
        # The notifications of the workflow, to authors and followers.
        categories_notifications.enregistrer(
            "propositions", _("Propositions que je suis"),
            _("Changements d'état des propositions que vous avez déposées ou que vous suivez."),
            ngettext_lazy("%(nombre)s nouveauté sur les propositions que vous suivez",
                          "%(nombre)s nouveautés sur les propositions que vous suivez", "nombre"),
            ordre=categories_notifications.ORDRE_PROPOSITIONS,
        )
        # « Mon espace »: my proposals and those I follow; the follow-up dashboard for who may see it.
        enregistrer_bloc(MON_ESPACE, "propositions/includes/mes_propositions.html", mes_propositions,
                         ordre=ORDRE_MES_PROPOSITIONS)
        enregistrer_lien(MON_ESPACE, _("Suivi des propositions"), "propositions:tableau_de_bord",
                         permission="propositions.tableau_de_bord")
        # An atelier's page: the public proposals it works on.
        enregistrer_bloc(PAGE_ATELIER, "propositions/includes/atelier.html", propositions_de_l_atelier, ordre=10)
        _declarer_traitements()


def _declarer_traitements():
    """The proposals' processing in the register (``/donnees-personnelles/``)."""
    from conseil_ess.comptes.traitements import MISSION_INTERET_PUBLIC, declarer

    declarer(
        "propositions", ordre=60, app="propositions",
        finalite=_("Recevoir, instruire et suivre les propositions déposées au Conseil ; prévenir les personnes "
                   "qui les suivent."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Auteur·rice·s des propositions et personnes qui les suivent"),
        donnees=[_("propositions (brouillons compris) et pièces jointes"), _("structures porteuses"),
                 _("abonnements aux propositions"), _("historique des changements d'état")],
        destinataires=[_("public : propositions déposées, avec le nom affiché de leur auteur·rice et leurs "
                         "structures"), _("secrétariat, élu·e·s et animateur·rice·s chargés de leur instruction")],
        conservation=[_("brouillons : jusqu'à leur suppression ou celle du compte"),
                      _("propositions déposées : mémoire publique du Conseil ; à la suppression du compte, "
                        "l'auteur·rice n'est plus nommé·e")],
    )
