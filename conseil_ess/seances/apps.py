from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeancesConfig(AppConfig):
    name = "conseil_ess.seances"
    label = "seances"
    verbose_name = _("Séances plénières")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conseil_ess.comptes.setup import confier_aux_agents

        from .donnees_personnelles import enregistrer_partie

        confier_aux_agents(self.label)
        enregistrer_partie()  # check-ins and public votes in « Mes données » (kept on erasure: the minutes)
