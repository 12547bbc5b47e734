from django.apps import AppConfig


class CachePagesConfig(AppConfig):
    name = "conseil_ess.cache_pages"
    label = "cache_pages"
    verbose_name = "Cache des pages publiques"

    def ready(self):
        from . import generation

        generation.installer()
        # The menu and the footer are computed once per generation (any write to the database raises it).
        from home.templatetags import navigation

        navigation.version_des_donnees = generation.version_courante
        # The sites' root paths too, for the generation read by the current request.
        from home import sites

        sites.version_de_la_requete = generation.version_de_la_requete
