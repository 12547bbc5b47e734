"""Validators with French messages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as stdnum_siret


def valider_siret(value):
    """Check a SIRET: 14 digits and a valid Luhn checksum (python-stdnum, La Poste exception included)."""
    compact = stdnum_siret.compact(value or "")
    if not compact.isdigit() or len(compact) != 14:
        raise ValidationError(_("Le SIRET doit comporter exactement 14 chiffres."), code="siret_longueur")
    if not stdnum_siret.is_valid(compact):
        raise ValidationError(
            _("Ce SIRET n'est pas valide : la clé de contrôle (algorithme de Luhn) ne correspond pas. "
              "Vérifiez les 14 chiffres."),
            code="siret_cle",
        )
