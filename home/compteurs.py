"""Registry of the figures that the « chiffres calculés » block computes from the data at render time.

Any app registers its own counters from its ``AppConfig.ready()``::

    from home.compteurs import enregistrer

    enregistrer("propositions_adoptees", _("propositions adoptées"), compter_adoptees)

The block stores only the code, so a counter registered later needs no migration; a code whose
counter has disappeared is skipped when the page is displayed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Compteur:
    code: str
    libelle: str
    fonction: Callable[[], int]


COMPTEURS = {}


def enregistrer(code, libelle, fonction):
    """Register (or replace) the counter ``code``: ``fonction()`` returns its current value."""
    COMPTEURS[code] = Compteur(code=code, libelle=libelle, fonction=fonction)


def choix():
    """Return the (code, label) pairs offered to editors, in registration order."""
    return [(c.code, c.libelle) for c in COMPTEURS.values()]


def calculer(codes):
    """Return [(label, value)] for the registered counters among ``codes``, in the given order."""
    resultats = []
    for code in codes:
        compteur = COMPTEURS.get(code)
        if compteur is not None:
            resultats.append((compteur.libelle, compteur.fonction()))
    return resultats


def _structures_validees():
    from conseil_ess.comptes.models import Structure

    return Structure.objects.filter(statut=Structure.Statut.VALIDEE).count()


def _personnes_inscrites():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True).count()


def _membres_du_conseil():
    from conseil_ess.comptes.models import MembreConseil

    return MembreConseil.objects.valides().count()


enregistrer("structures_validees", _("structures de l'ESS référencées"), _structures_validees)
enregistrer("personnes_inscrites", _("personnes inscrites sur la plateforme"), _personnes_inscrites)
enregistrer("membres_du_conseil", _("membres du Conseil"), _membres_du_conseil)
