"""Who may do what with events (django-rules predicates)."""

import rules

from conseil_ess.comptes.models import Adhesion
from conseil_ess.comptes.predicates import est_agent, est_connecte

from . import extensions
from .models import Evenement


@rules.predicate
def a_le_droit_de_moderation(user):
    """A person given the moderation right (e.g. the CRESS coordinator of the Mois de l'ESS)."""
    return bool(user and user.is_authenticated and user.has_perm("evenements.moderer_evenement"))


est_moderateur = est_agent | a_le_droit_de_moderation


@rules.predicate
def est_proposant(user, evenement):
    return evenement is not None and user.is_authenticated and evenement.propose_par_id == user.pk


@rules.predicate
def est_organisateur(user, evenement):
    """A member of one of the organising structures, or the person who proposed it."""
    if evenement is None or not user.is_authenticated:
        return False
    if evenement.propose_par_id == user.pk:
        return True
    return evenement.structures.filter(adhesions__user=user, adhesions__statut=Adhesion.Statut.ACCEPTEE).exists()


@rules.predicate
def modifiable_par_proposant(user, evenement):
    """Before publication, the proposer edits freely; afterwards edits go back through moderation."""
    return evenement is not None and evenement.publication != Evenement.Publication.REFUSE


@rules.predicate
def evenement_visible(user, evenement):
    """Published, and public or reserved to people the registered visibility rules let in."""
    if evenement is None or evenement.publication != Evenement.Publication.PUBLIE:
        return False
    if evenement.visibilite == Evenement.Visibilite.PUBLIC:
        return True
    if not (user and user.is_authenticated):
        return False
    from .extensions import q_visibles

    return Evenement.objects.filter(pk=evenement.pk).filter(q_visibles(user)).exists()


@rules.predicate
def gere_par_son_application(user, evenement):
    """The app that owns the event (ateliers, for its meetings) says this person manages it."""
    return evenement is not None and user.is_authenticated and extensions.gere_par_son_application(user, evenement)


__all__ = ["est_connecte", "est_moderateur", "est_organisateur", "est_proposant", "evenement_visible",
           "gere_par_son_application"]
