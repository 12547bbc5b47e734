"""The one notification path: store a Notification, then push it live after commit.

Later apps call ``notifier()``; they never write Notification rows or talk to the channel layer
themselves.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone

from .models import Notification

journal = logging.getLogger(__name__)


def groupe_utilisateur(user_id):
    """Return the channel-layer group of one user's notification sockets."""
    return f"notifications.user.{user_id}"


def serialiser(notification):
    return {
        "id": notification.pk,
        "titre": notification.titre,
        "message": notification.message,
        "url": notification.url,
        "categorie": notification.categorie,
        "cree_le": formats.date_format(timezone.localtime(notification.cree_le), "DATETIME_FORMAT"),
    }


def _diffuser(notification):
    layer = get_channel_layer()
    if layer is None:
        return
    payload = serialiser(notification)
    payload["non_lues"] = Notification.objects.filter(destinataire_id=notification.destinataire_id).non_lues().count()
    async_to_sync(layer.group_send)(
        groupe_utilisateur(notification.destinataire_id),
        {"type": "notification.nouvelle", "notification": payload},
    )


def _envoyer_courriel(notification, destinataire):
    """E-mail the notification (plain text, with an absolute link); a mail failure never undoes the action."""
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    corps = render_to_string("comptes/courriel_notification.txt", {
        "notification": notification, "destinataire": destinataire,
        "lien": f"{base_url}{notification.url}" if notification.url.startswith("/") else notification.url,
        "base_url": base_url,
    })
    try:
        send_mail(notification.titre, corps, None, [destinataire.email])
    except Exception:  # noqa: BLE001 - the notification is stored and shown in-app anyway
        journal.exception("Courriel de notification non envoyé (%s)", notification.pk)


def notifier(destinataire, titre, message="", url="", categorie="general", courriel=False):
    """Create a notification for ``destinataire`` and push it to their open pages once committed.

    ``courriel``: also send it by e-mail, after commit (for news people must not miss: a meeting
    scheduled, moved or cancelled, minutes published…).
    """
    notification = Notification.objects.create(
        destinataire=destinataire, titre=titre, message=message, url=url, categorie=categorie,
    )
    transaction.on_commit(lambda: _diffuser(notification))
    if courriel and destinataire.email:
        transaction.on_commit(lambda: _envoyer_courriel(notification, destinataire))
    return notification


def marquer_lues(user, ids=None):
    """Mark the user's notifications (all, or those in ``ids``) as read; return how many changed."""
    qs = Notification.objects.filter(destinataire=user).non_lues()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(lue_le=timezone.now())
