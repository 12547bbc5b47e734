from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Connects the single-line guard of every CharField before the models are loaded (``class_prepared``).
import conseil_ess.champs  # noqa: F401, E402, I001

# Message lookups in one dictionary, installed before any translation is loaded (conseil_ess/traductions.py).
from conseil_ess import traductions  # noqa: E402, I001

traductions.installer()

# Choice labels from one dictionary per field and language, installed before any model class exists
# (conseil_ess/libelles.py).
from conseil_ess import libelles  # noqa: E402, I001

libelles.installer()

# PostgreSQL timestamps parsed at C speed, with Django's time zone (conseil_ess/horodatages.py).
from conseil_ess import horodatages  # noqa: E402, I001

horodatages.installer()

# ``{% translate "…" %}`` of a literal kept per language, in Django's i18n library (conseil_ess/i18n_memo.py).
from conseil_ess import i18n_memo  # noqa: E402, I001

i18n_memo.installer()

# ``{% static %}`` kept per path, in Django's static library (conseil_ess/gabarits_memo.py).
from conseil_ess import gabarits_memo  # noqa: E402, I001

gabarits_memo.installer()


class ComptesConfig(AppConfig):
    name = "conseil_ess.comptes"
    label = "comptes"
    verbose_name = _("Comptes et structures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import compteurs
        from .categories_notifications import enregistrer_categories_des_comptes
        from .donnees_personnelles import enregistrer_partie_des_comptes
        from .emplacements import MON_ESPACE, enregistrer_lien
        from .traitements import declarer_traitements_des_comptes

        post_migrate.connect(_apres_migration, dispatch_uid="comptes_assurer_groupes")
        from . import signaux

        signaux.connecter()
        enregistrer_categories_des_comptes()
        # Personal data: the account's part of the export and erasure; the two links of « Mon espace ».
        enregistrer_partie_des_comptes()
        enregistrer_lien(MON_ESPACE, _("Mes données"), "comptes:mes_donnees", ordre=90)
        enregistrer_lien(MON_ESPACE, _("Supprimer mon compte"), "comptes:supprimer_mon_compte", ordre=91)
        # The register of processing (/donnees-personnelles/); later apps declare theirs.
        declarer_traitements_des_comptes()
        # The figures the home pages may show (« chiffres calculés »); later apps add theirs.
        compteurs.enregistrer("structures_validees", _("structures de l'ESS référencées"),
                              lecture=compteurs.lecture_structures_validees)
        compteurs.enregistrer("personnes_inscrites", _("personnes inscrites sur la plateforme"),
                              lecture=compteurs.lecture_personnes_inscrites)
        compteurs.enregistrer("membres_du_conseil", _("membres du Conseil"),
                              lecture=compteurs.lecture_membres_du_conseil)


def _apres_migration(sender, **kwargs):
    from .models import Agrement
    from .setup import apres_migration_complete, assurer_groupes, assurer_vocabulaire

    if apres_migration_complete(sender, kwargs, Agrement):
        assurer_groupes()
        assurer_vocabulaire()
