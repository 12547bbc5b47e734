from django.apps import AppConfig


class EvenementsConfig(AppConfig):
    verbose_name = "Agenda"
    name = "evenements"
    default_auto_field = "django.db.models.BigAutoField"
