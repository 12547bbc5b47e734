"""Load or remove the whole demo, in the order of the layers (the one entry point of ``charger_demo``).

Each part (``comptes``, ``pages``, ``agenda``, ``ateliers``, ``propositions``, ``seances``) has
``charger(ctx)`` and ``supprimer()``; this module runs them in dependency order inside one transaction,
for one story (``recit.Recit``). A demo already loaded keeps the year of its story: reloading moves
nothing (``--reset`` tells the story again, for the present year).
"""

from django.db import transaction

from evenements.models import Programme

from . import agenda, ateliers, comptes, pages, propositions, seances
from .commun import Contexte
from .recit import Recit

PARTIES = [pages, agenda, ateliers, propositions, seances]  # after comptes, in dependency order


class AnneeDejaChargee(Exception):
    """The demo in the database tells another year than the one asked for."""

    def __init__(self, annee):
        super().__init__(annee)
        self.annee = annee


def annee_chargee():
    """Return the year of the story already in the database (its Mois de l'ESS), or None."""
    mois = (Programme.objects.filter(is_demo=True, type=Programme.Type.MOIS_ESS, slug__startswith="mois-ess-")
            .order_by("date_debut").first())
    return mois.date_debut.year if mois is not None else None


def charger(annee=None, avec_utilisateurs=True, reset=False, stdout=None, maintenant=None, seulement=None):
    """Load the demo (idempotent); return what ``charger_demo`` prints.

    ``annee`` pins the story's year; otherwise the story keeps the year already loaded, or tells the most
    recent Mois de l'ESS. Asking for another year than the loaded one without ``reset`` raises
    ``AnneeDejaChargee``. ``seulement``: names of the parts to load after ``comptes`` (tests that need a
    few), in the order of ``PARTIES``.
    """
    with transaction.atomic():
        if reset:
            supprimer()
        deja = annee_chargee()
        if deja is not None and annee is not None and annee != deja:
            raise AnneeDejaChargee(deja)
        recit = Recit(annee=annee if annee is not None else deja, maintenant=maintenant)
        ctx = Contexte(recit, stdout=stdout, avec_utilisateurs=avec_utilisateurs)
        resultat = comptes.charger(ctx)
        parties = {}
        for partie in PARTIES:
            nom = partie.__name__.rsplit(".", 1)[-1]
            if seulement is None or nom in seulement:
                parties[nom] = partie.charger(ctx)
        comptes.completer_mfa(resultat["comptes"])
    return {**resultat, "recit": recit, "parties": parties}


def supprimer():
    """Remove every demo object (and only those), the later parts first."""
    with transaction.atomic():
        for partie in reversed(PARTIES):
            partie.supprimer()
        comptes.supprimer()
