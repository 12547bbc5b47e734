"""The one audit trail: every state change and every staff action goes to Wagtail's log (``log()``).

The services call ``consigner`` right after their write, inside the same transaction: a change rolled back
leaves no entry. The entries show in the admin under *Rapports › Historique du site* and in the history of
the object. Each app declares the French labels of its actions (``conseil.<objet>.<action>``) from its own
``wagtail_hooks.py`` with ``declarer``. ``data`` stays minimal: ids, states, a motif; never an e-mail or a
free text other than the motif. (A proposal's public timeline, ``propositions.Transition``, is separate.)
"""

from wagtail.log_actions import LogFormatter, log, registry


def consigner(objet, action, par=None, **donnees):
    """Write ``action`` done on ``objet`` by ``par`` (None: the platform itself) to the audit log.

    ``donnees``: what identifies the change (ids, states, motif), stored as the entry's ``data``.
    An action nobody declared is a programming error (its label would be missing from the admin).
    """
    if not registry.action_exists(action):
        raise ValueError(f"Action du journal d'audit non déclarée : {action}")
    utilisateur = par if getattr(par, "is_authenticated", False) else None
    return log(objet, action, user=utilisateur, data=donnees, content_changed=True)


class _Valeurs(dict):
    def __missing__(self, cle):
        return "?"


class Formateur(LogFormatter):
    """A label, and a message that may name the entry's ``data`` (``%(statut)s``); ``choix`` gives the
    ``TextChoices`` of a key whose stored value is shown by its French label."""

    choix = {}

    def format_message(self, log_entry):
        valeurs = _Valeurs()
        for cle, valeur in (log_entry.data or {}).items():
            choix = self.choix.get(cle)
            if choix is not None and valeur in choix.values:
                valeur = choix(valeur).label
            valeurs[cle] = valeur
        return str(self.message) % valeurs


def declarer(actions, declarations):
    """Register each ``action: libellé`` (or ``action: (libellé, message, choix)``) of ``declarations`` with
    Wagtail's log ``actions`` registry (the ``register_log_actions`` hook's argument)."""
    for action, declaration in declarations.items():
        libelle, message, choix = (declaration + (None, None))[:3] if isinstance(declaration, tuple) else (
            declaration, None, None)
        formateur = type("Formateur", (Formateur,), {
            "label": libelle, "message": message or libelle, "choix": choix or {}})
        actions.register_action(action)(formateur)
