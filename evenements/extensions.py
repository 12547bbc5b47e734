"""Hooks by which later apps (ateliers, séances) widen the agenda without the agenda importing them.

The import direction is comptes ← evenements ← ateliers ← …: the agenda cannot know ateliers, yet an
atelier meeting reserved to its members must be hidden from other people everywhere the agenda shows
events, and must appear in its members' personal feed. Each app registers here, in its ``ready()``:

- a **visibility rule** for the reserved events it owns: which reserved events it governs, and, for
  a person, which of those they may see (as ``Q`` objects, so lists and feeds stay one query);
- a **personal-agenda source**: the events a person follows through that app (e.g. the meetings of
  their ateliers), and the date of the last change that adds or removes some (for the feed's
  Last-Modified);
- a **manager**: who, besides the organisers and the moderators, manages an event that app owns (the
  animation of an atelier, for its meetings): read by the rule ``evenements.changer_statut``.
"""

from django.db.models import Q

_regles_visibilite = []
_sources_agenda_personnel = []
_gestionnaires = []


def enregistrer_regle_visibilite(hors_regle, autorises):
    """Register a rule for reserved events.

    ``hors_regle``: a ``Q`` selecting the events the rule does NOT govern.
    ``autorises(user)``: a ``Q`` selecting, among governed events, those ``user`` (logged in) may see.
    """
    _regles_visibilite.append((hors_regle, autorises))


def enregistrer_source_agenda_personnel(source):
    """Register ``source(user) -> (Q of events, last change date or None)`` for personal feeds."""
    _sources_agenda_personnel.append(source)


def q_visibles(user):
    """Return a ``Q`` of the events ``user`` may see (publication aside): public ones, and reserved
    ones once logged in, within every registered rule."""
    public = Q(visibilite="public")
    if not (user and user.is_authenticated):
        return public
    reserves = Q(visibilite="membres")
    for hors_regle, autorises in _regles_visibilite:
        reserves &= hors_regle | autorises(user)
    return public | reserves


def q_agenda_personnel(user):
    """Return (``Q`` of events followed through the registered sources, newest change date or None)."""
    q = Q(pk__in=[])
    dates = []
    for source in _sources_agenda_personnel:
        q_source, date = source(user)
        q |= q_source
        if date:
            dates.append(date)
    return q, (max(dates) if dates else None)


def enregistrer_gestionnaire(predicat):
    """Register ``predicat(user, evenement) -> bool``: ``user`` manages ``evenement`` through the app."""
    _gestionnaires.append(predicat)


def gere_par_son_application(user, evenement):
    """True when a registered app says ``user`` manages ``evenement`` (e.g. an atelier's meeting)."""
    return any(predicat(user, evenement) for predicat in _gestionnaires)
