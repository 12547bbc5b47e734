"""The registry of notification categories: the one list of the ``categorie`` strings given to ``notifier()``.

Each category has a label (the preferences page) and the subject of its summary e-mail. ``comptes``
registers its own categories here; every later app registers the categories it notifies in from its
``AppConfig.ready()`` (``enregistrer``), so this module never names them. An app that notifies in a
new category registers it (tests/comptes/test_preferences_notifications.py checks every code used).

``ordre`` places the category on the preferences page (and its form): the closest to a person's own
activity first, the general category always last. The order of ``INSTALLED_APPS`` plays no part.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


@dataclass(frozen=True)
class CategorieNotification:
    code: str
    libelle: str
    aide: str
    # Subject of the summary e-mail, plural-aware: "3 nouveautés sur les propositions que vous suivez".
    resume: str
    ordre: int = 0

    def sujet_resume(self, nombre):
        """Return the subject of a summary e-mail holding ``nombre`` notifications."""
        return self.resume % {"nombre": nombre}


GENERAL = "general"

# Places on the preferences page of the categories of each app (gaps leave room for new ones).
ORDRE_PROPOSITIONS = 10
ORDRE_ATELIERS = 20
ORDRE_EVENEMENTS = 30
ORDRE_COMPTES = 50
ORDRE_GENERAL = 1000

# code -> category, sorted by ``ordre`` (then code); filled in place so that importers see every app's.
CATEGORIES = {}


def enregistrer(code, libelle, aide, resume, *, ordre):
    """Register (or replace) the category ``code``; ``resume`` is an ``ngettext_lazy`` on ``%(nombre)s``."""
    categories = {**CATEGORIES, code: CategorieNotification(code, libelle, aide, resume, ordre)}
    CATEGORIES.clear()
    CATEGORIES.update(sorted(categories.items(), key=lambda item: (item[1].ordre, item[0])))


def categorie(code):
    """Return the registered category ``code``, or the general one for an unknown code."""
    return CATEGORIES.get(code, CATEGORIES[GENERAL])


def enregistrer_categories_des_comptes():
    """The categories of ``comptes`` itself (called by its ``ready()``)."""
    enregistrer(
        "structures", _("Structures et adhésions"),
        _("Création et validation de structures, demandes d'adhésion."),
        ngettext_lazy("%(nombre)s nouveauté sur vos structures",
                      "%(nombre)s nouveautés sur vos structures", "nombre"),
        ordre=ORDRE_COMPTES,
    )
    enregistrer(
        "conseil", _("Mandat au Conseil"),
        _("Demandes de mandat au Conseil de l'ESS et décisions du secrétariat."),
        ngettext_lazy("%(nombre)s nouveauté sur votre mandat au Conseil",
                      "%(nombre)s nouveautés sur votre mandat au Conseil", "nombre"),
        ordre=ORDRE_COMPTES + 1,
    )
    enregistrer(
        GENERAL, _("Compte et autres notifications"),
        _("Tout ce qui ne relève d'aucune des rubriques ci-dessus."),
        ngettext_lazy("%(nombre)s nouveauté sur la plateforme du Conseil de l'ESS",
                      "%(nombre)s nouveautés sur la plateforme du Conseil de l'ESS", "nombre"),
        ordre=ORDRE_GENERAL,
    )
