from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

TAILLE_MAX_DOCUMENT = 10 * 1024 * 1024


def valider_taille_document(fichier):
    if fichier.size > TAILLE_MAX_DOCUMENT:
        raise ValidationError(
            _("Ce fichier pèse %(taille)s : la limite est de %(max)s.")
            % {"taille": filesizeformat(fichier.size), "max": filesizeformat(TAILLE_MAX_DOCUMENT)}
        )
