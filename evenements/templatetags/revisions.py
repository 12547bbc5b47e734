"""The organiser's pending revision on an event's page (issue 18)."""

from django import template

from .. import revisions

register = template.Library()


@register.simple_tag
def revision_en_attente(evenement, user):
    """``user``'s pending revision of ``evenement``, or None (one query, for organisers only)."""
    if not evenement.est_publie:
        return None
    return revisions.en_attente_de(evenement, user)


@register.simple_tag
def peut_reviser(evenement, user):
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("evenements.reviser", evenement))
