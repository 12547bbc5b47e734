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

    # Once per migrate, after the last app: every permission and wagtail's root page exist then.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from .setup import assurer_groupes, assurer_vocabulaire

    assurer_groupes()
    assurer_vocabulaire()
