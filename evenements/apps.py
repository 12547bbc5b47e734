from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvenementsConfig(AppConfig):
    verbose_name = _("Agenda")
    name = "evenements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_apres_migration, dispatch_uid="evenements_assurer_publics")


def _apres_migration(sender, **kwargs):
    from conseil_ess.comptes.setup import apres_migration_complete

    from .models import Public
    from .setup import assurer_publics

    if apres_migration_complete(sender, kwargs, Public):
        assurer_publics()
