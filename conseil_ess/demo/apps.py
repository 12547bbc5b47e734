from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data set of Rivebelle (``charger_demo``): the top layer, it may use every app."""

    name = "conseil_ess.demo"
    label = "demo"
    verbose_name = _("Démonstration")
