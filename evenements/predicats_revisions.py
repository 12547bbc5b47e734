"""Who may do what with the pending revisions of published events (django-rules predicates, issue 18)."""

import rules

from .models import Evenement, RevisionEvenement


@rules.predicate
def evenement_publie(user, evenement):
    return evenement is not None and evenement.publication == Evenement.Publication.PUBLIE


@rules.predicate
def est_auteur_revision(user, revision):
    return revision is not None and user.is_authenticated and revision.auteur_id == user.pk


@rules.predicate
def revision_en_attente(user, revision):
    return revision is not None and revision.statut == RevisionEvenement.Statut.EN_ATTENTE
