from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

TAILLE_MAX_DOCUMENT = 10 * 1024 * 1024


def _mo(octets):
    return formats.number_format(octets / (1024 * 1024), 1)


def valider_taille_document(fichier):
    if fichier.size > TAILLE_MAX_DOCUMENT:
        raise ValidationError(
            _("Ce fichier pèse %(taille)s Mo : la limite est de %(max)s Mo.")
            % {"taille": _mo(fichier.size), "max": TAILLE_MAX_DOCUMENT // (1024 * 1024)}
        )
