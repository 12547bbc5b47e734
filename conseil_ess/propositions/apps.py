from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropositionsConfig(AppConfig):
    name = "conseil_ess.propositions"
    label = "propositions"
    verbose_name = _("Propositions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The figures editors may show in the « chiffres calculés » block of the home pages.
        from conseil_ess.comptes.compteurs import enregistrer

        from .statistiques import compter_adoptees, compter_deposees, compter_realisees

        enregistrer("propositions_deposees", _("propositions déposées au Conseil"), compter_deposees)
        enregistrer("propositions_adoptees", _("propositions adoptées par le Conseil"), compter_adoptees)
        enregistrer("propositions_realisees", _("propositions réalisées"), compter_realisees)
