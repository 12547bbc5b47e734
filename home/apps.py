from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Pages du site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from conseil_ess.comptes.setup import confier_aux_agents
        from conseil_ess.propositions.extensions import enregistrer_source_leviers

        from . import instances, sites

        post_migrate.connect(_apres_migration, dispatch_uid="home_assurer_site")
        confier_aux_agents(self.label)
        # The proposal form suggests the levers written on the champs d'action pages.
        enregistrer_source_leviers(_libelles_leviers)
        sites.installer()  # the site of a request by a query compiled once, when there is one site
        instances.installer()  # pages read from the database without modelcluster's search for child objects


def _libelles_leviers():
    from .models import Levier

    return list(Levier.objects.order_by("libelle").values_list("libelle", flat=True).distinct())


def _apres_migration(sender, **kwargs):
    from conseil_ess.comptes.setup import apres_migration_complete, assurer_groupes, permissions_wagtail

    from .models import HomePage
    from .setup import assurer_site

    if apres_migration_complete(sender, kwargs, HomePage):
        assurer_site()
        # Page and collection permissions need the page tree: granted once it exists.
        assurer_groupes()
        permissions_wagtail()
