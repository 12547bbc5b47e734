"""The registry of notification categories: the one list of the ``categorie`` strings given to ``notifier()``.

Each category has a label (the preferences page) and the subject of its summary e-mail. A caller that
uses a new category adds it here (tests/comptes/test_preferences_notifications.py checks the code).
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

    def sujet_resume(self, nombre):
        """Return the subject of a summary e-mail holding ``nombre`` notifications."""
        return self.resume % {"nombre": nombre}


GENERAL = "general"

_CATEGORIES = [
    CategorieNotification(
        "propositions", _("Propositions que je suis"),
        _("Changements d'état des propositions que vous avez déposées ou que vous suivez."),
        ngettext_lazy("%(nombre)s nouveauté sur les propositions que vous suivez",
                      "%(nombre)s nouveautés sur les propositions que vous suivez", "nombre"),
    ),
    CategorieNotification(
        "ateliers", _("Ateliers"),
        _("Demandes de participation, réunions planifiées, déplacées ou annulées, comptes rendus."),
        ngettext_lazy("%(nombre)s nouveauté dans vos ateliers",
                      "%(nombre)s nouveautés dans vos ateliers", "nombre"),
    ),
    CategorieNotification(
        "evenements", _("Agenda et inscriptions"),
        _("Vos événements proposés à l'agenda et vos inscriptions (liste d'attente, annulation)."),
        ngettext_lazy("%(nombre)s nouveauté sur l'agenda et vos inscriptions",
                      "%(nombre)s nouveautés sur l'agenda et vos inscriptions", "nombre"),
    ),
    CategorieNotification(
        "moderation", _("Modération de l'agenda"),
        _("Événements proposés qui attendent une modération."),
        ngettext_lazy("%(nombre)s événement à modérer",
                      "%(nombre)s événements à modérer", "nombre"),
    ),
    CategorieNotification(
        "structures", _("Structures et adhésions"),
        _("Création et validation de structures, demandes d'adhésion."),
        ngettext_lazy("%(nombre)s nouveauté sur vos structures",
                      "%(nombre)s nouveautés sur vos structures", "nombre"),
    ),
    CategorieNotification(
        "conseil", _("Mandat au Conseil"),
        _("Demandes de mandat au Conseil de l'ESS et décisions du secrétariat."),
        ngettext_lazy("%(nombre)s nouveauté sur votre mandat au Conseil",
                      "%(nombre)s nouveautés sur votre mandat au Conseil", "nombre"),
    ),
    CategorieNotification(
        GENERAL, _("Compte et autres notifications"),
        _("Tout ce qui ne relève d'aucune des rubriques ci-dessus."),
        ngettext_lazy("%(nombre)s nouveauté sur la plateforme du Conseil de l'ESS",
                      "%(nombre)s nouveautés sur la plateforme du Conseil de l'ESS", "nombre"),
    ),
]

CATEGORIES = {c.code: c for c in _CATEGORIES}


def categorie(code):
    """Return the registered category ``code``, or the general one for an unknown code."""
    return CATEGORIES.get(code, CATEGORIES[GENERAL])

