from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropositionsConfig(AppConfig):
    name = "conseil_ess.propositions"
    label = "propositions"
    verbose_name = _("Propositions")
    default_auto_field = "django.db.models.BigAutoField"
