from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComptesConfig(AppConfig):
    name = "conseil_ess.comptes"
    label = "comptes"
    verbose_name = _("Comptes et structures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_apres_migration, dispatch_uid="comptes_assurer_groupes")


def _apres_migration(sender, **kwargs):
    from django.apps import apps

    # Once per migrate (or flush), after the last app that has models: post_migrate is sent only
    # for those, and every permission exists by then. Wagtail page and collection permissions are
    # granted by home's handler, once the page tree is there (comptes.setup.permissions_wagtail).
    derniere = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not derniere:
        return
    from .setup import assurer_groupes, assurer_vocabulaire

    assurer_groupes()
    assurer_vocabulaire()
