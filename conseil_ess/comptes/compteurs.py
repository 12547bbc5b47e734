"""Registry of the public figures the home pages' « chiffres calculés » block computes at render time.

It lives in the lowest app so that every app can add its own figures without naming the pages that
show them: each app registers its counters from its ``AppConfig.ready()`` (``evenements/extensions.py``
is the model of such a registry)::

    from conseil_ess.comptes.compteurs import enregistrer

    enregistrer("propositions_adoptees", _("propositions adoptées"), lecture=lecture_adoptees)

A counter gives either a function of its value or, better, its query (``lecture=``: a function returning a
``conseil_ess.prechargement.Lecture`` of the value, such as ``lecture_comptee``'s): a block's counters that
give their query are read in one round trip (``lire_ensemble``), their SQL written once.

Editors pick counters by code in the block (``home/blocks.py``), in registration order (the order of
``INSTALLED_APPS``); a code whose counter has disappeared is skipped when the page is displayed, so a
counter registered later needs no migration.
"""

from collections.abc import Callable
from dataclasses import dataclass

from conseil_ess.prechargement import lecture_comptee, lire_ensemble


@dataclass(frozen=True)
class Compteur:
    code: str
    libelle: str
    fonction: Callable[[], int]
    lecture: Callable | None = None


COMPTEURS = {}


def enregistrer(code, libelle, fonction=None, *, lecture=None):
    """Register (or replace) the counter ``code``: ``fonction()`` returns its current value, or ``lecture()`` gives
    its query (a ``Lecture``; ``fonction`` is then that query read alone)."""
    if fonction is None:
        def fonction():
            return lire_ensemble(lecture())[0]
    COMPTEURS[code] = Compteur(code=code, libelle=libelle, fonction=fonction, lecture=lecture)


def choix():
    """Return the (code, label) pairs offered to editors, in registration order."""
    return [(c.code, c.libelle) for c in COMPTEURS.values()]


def calculer(codes):
    """Return [(label, value)] for the registered counters among ``codes``, in the given order; those giving their
    query (``lecture``) read together, in one round trip."""
    presents = [COMPTEURS[code] for code in codes if code in COMPTEURS]
    lus = iter(lire_ensemble(*(compteur.lecture() for compteur in presents if compteur.lecture is not None)))
    return [(compteur.libelle, next(lus) if compteur.lecture is not None else compteur.fonction())
            for compteur in presents]


# --- The figures of the comptes app (registered by its ready()) ------------------------------------

def lecture_structures_validees():
    from .models import Structure

    return lecture_comptee("structures_validees", lambda: Structure.objects.filter(statut=Structure.Statut.VALIDEE))


def lecture_personnes_inscrites():
    from django.contrib.auth import get_user_model

    return lecture_comptee("personnes_inscrites", lambda: get_user_model().objects.filter(is_active=True))


def lecture_membres_du_conseil():
    from .models import MembreConseil

    return lecture_comptee("membres_du_conseil", lambda: MembreConseil.objects.valides())
