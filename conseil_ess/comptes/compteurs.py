"""Registry of the public figures the home pages' « chiffres calculés » block computes at render time.

It lives in the lowest app so that every app can add its own figures without naming the pages that
show them: each app registers its counters from its ``AppConfig.ready()`` (``evenements/extensions.py``
is the model of such a registry)::

    from conseil_ess.comptes.compteurs import enregistrer

    enregistrer("propositions_adoptees", _("propositions adoptées"), compter_adoptees)

Editors pick counters by code in the block (``home/blocks.py``), in registration order (the order of
``INSTALLED_APPS``); a code whose counter has disappeared is skipped when the page is displayed, so a
counter registered later needs no migration.
"""

from collections.abc import Callable
from dataclasses import dataclass


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


# --- The figures of the comptes app (registered by its ready()) ------------------------------------

def structures_validees():
    from .models import Structure

    return Structure.objects.filter(statut=Structure.Statut.VALIDEE).count()


def personnes_inscrites():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True).count()


def membres_du_conseil():
    from .models import MembreConseil

    return MembreConseil.objects.valides().count()
