"""Proposals walked through the workflow with a date per step, for the figures of /suivi/, the public
summary and the open data (shared by test_suivi, test_synthese and test_donnees)."""

import datetime

from django.utils import timezone

from conseil_ess.propositions import workflow

from .fabriques import CHEMINS, PropositionFactory, donnees_par_defaut


def il_y_a(jours):
    """Return the moment ``jours`` days ago (at the current time of day)."""
    return timezone.now() - datetime.timedelta(days=jours)


def proposition_datee(etat, dates, donnees=None, **kwargs):
    """Return a new proposal (``PropositionFactory(**kwargs)``) brought to ``etat`` step by step.

    ``dates``: ``{Etat: datetime}`` for the steps; a step without a date takes the previous step's
    (so give at least the submission). ``donnees``: what the steps need (``atelier``, …).
    """
    p = PropositionFactory(**kwargs)
    le = None
    for vers in CHEMINS[etat]:
        le = dates.get(vers, le)
        assert le is not None, "give at least the date of the submission"
        workflow.changer_etat(p, vers, p.auteur, forcer_role=True, le=le,
                              **donnees_par_defaut(vers, p, **(donnees or {})))
    p.refresh_from_db()
    return p
