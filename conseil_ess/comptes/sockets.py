"""The WebSockets follow the session: every consumer joins its person's group and its session's group,
and these functions close them (logout, password change, account deactivated or deleted, loss of a mandate).

Consumers handle the message ``{"type": "session.fermer"}`` by closing with code 4401 (``fermer_si_demande``).
"""

import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

CODE_FERMETURE = 4401
MESSAGE = {"type": "session.fermer"}

journal = logging.getLogger(__name__)


def groupe_personne(user_id):
    """The channel-layer group of every socket of one person."""
    return f"utilisateur.{user_id}"


def groupe_session(cle_session):
    """The channel-layer group of the sockets opened with one session (its key is not written as such)."""
    return "session." + hashlib.sha256(str(cle_session).encode()).hexdigest()[:40]


def groupes(user, session):
    """The groups a consumer joins for the person and session of its scope (none when anonymous)."""
    noms = []
    if user is not None and user.is_authenticated:
        noms.append(groupe_personne(user.pk))
        cle = getattr(session, "session_key", None)
        if cle:
            noms.append(groupe_session(cle))
    return noms


def _envoyer(groupe):
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(groupe, dict(MESSAGE))
    except Exception:  # noqa: BLE001 - a channel layer outage must not break a logout or a password change
        journal.exception("Fermeture des WebSockets impossible (%s)", groupe)


def fermer_les_sockets_de(user_id):
    """Close every socket of a person, once the current transaction (if any) is committed."""
    if user_id is not None:
        transaction.on_commit(lambda: _envoyer(groupe_personne(user_id)))


def fermer_les_sockets_de_la_session(cle_session):
    if cle_session:
        transaction.on_commit(lambda: _envoyer(groupe_session(cle_session)))
