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
    from django.apps import apps
    from django.db import connections

    # Once per migrate (or flush), after the last app that has models, as comptes does.
    derniere = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not derniere:
        return
    from .models import Public

    # Nothing to do while the evenements app is migrated back to zero.
    if Public._meta.db_table in connections[kwargs.get("using", "default")].introspection.table_names():
        from .setup import assurer_publics

        assurer_publics()
