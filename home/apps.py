from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Pages du site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_apres_migration, dispatch_uid="home_assurer_site")


def _apres_migration(sender, **kwargs):
    from django.apps import apps
    from django.db import connections

    # Once per migrate (or flush), after the last app that has models: post_migrate is sent only
    # for those, and every table and content type exists by then.
    derniere = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not derniere:
        return
    from .models import HomePage
    from .setup import assurer_site

    # Nothing to do while the home app is migrated back to zero.
    if HomePage._meta.db_table in connections[kwargs.get("using", "default")].introspection.table_names():
        from conseil_ess.comptes.setup import assurer_groupes, permissions_wagtail

        assurer_site()
        assurer_groupes()
        permissions_wagtail()
