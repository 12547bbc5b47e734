from django.apps import AppConfig


class CachePagesConfig(AppConfig):
    name = "conseil_ess.cache_pages"
    label = "cache_pages"
    verbose_name = "Cache des pages publiques"

    def ready(self):
        from . import generation

        generation.installer()
