"""Who a person is for a proposal, and what state it is in (django-rules predicates). Combined in ``rules.py``."""

import rules
from django.utils import timezone

from conseil_ess.comptes.predicates import est_agent, est_connecte, est_elu, est_referent

from .models import ETATS_ADOPTES, Etat


@rules.predicate
def est_auteur(user, proposition):
    return proposition is not None and user.is_authenticated and proposition.auteur_id == user.pk


@rules.predicate
def est_publique(user, proposition):
    return proposition is not None and proposition.etat != Etat.BROUILLON


@rules.predicate
def modifiable_par_l_auteur(user, proposition):
    return proposition is not None and proposition.etat in (Etat.BROUILLON, Etat.DEPOSEE)


@rules.predicate
def est_responsable(user, proposition):
    return proposition is not None and user.is_authenticated and proposition.responsable_elu_id == user.pk


@rules.predicate
def pleniere_passee(user, proposition):
    """Inscribed in plenary, and that plenary has started (or was cancelled) and the proposal is still there
    without a decision (its prepared scrutin withdrawn when the séance ended): it may go to another plenary."""
    if proposition is None or proposition.etat != Etat.SOUMISE_PLENIERE:
        return False
    pleniere = proposition.pleniere
    return pleniere is None or pleniere.debut <= timezone.now() or pleniere.statut == pleniere.Statut.ANNULE


@rules.predicate
def suivi_ouvert(user, proposition):
    """Adopted (or further on): its follow-up points, progress and indicators may be recorded."""
    return proposition is not None and proposition.etat in ETATS_ADOPTES


@rules.predicate
def est_referent_invite(user, invitation):
    """A référent·e of the structure invited to carry a proposal (``InvitationPortage``)."""
    return invitation is not None and est_referent(user, invitation.structure)


__all__ = ["est_agent", "est_auteur", "est_connecte", "est_elu", "est_publique", "est_referent_invite",
           "est_responsable", "modifiable_par_l_auteur", "pleniere_passee", "suivi_ouvert"]
