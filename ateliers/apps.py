from django.apps import AppConfig


class AteliersConfig(AppConfig):
    verbose_name = "Ateliers thématiques"
    name = "ateliers"
    default_auto_field = "django.db.models.BigAutoField"
