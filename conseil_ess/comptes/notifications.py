"""The one notification path: store a Notification, then push it live after commit.

Later apps call ``notifier()``; they never write Notification rows or talk to the channel layer
themselves.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import formats, timezone

from .models import Notification


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


def notifier(destinataire, titre, message="", url="", categorie="general"):
    """Create a notification for ``destinataire`` and push it to their open pages once committed."""
    notification = Notification.objects.create(
        destinataire=destinataire, titre=titre, message=message, url=url, categorie=categorie,
    )
    transaction.on_commit(lambda: _diffuser(notification))
    return notification


def marquer_lues(user, ids=None):
    """Mark the user's notifications (all, or those in ``ids``) as read; return how many changed."""
    qs = Notification.objects.filter(destinataire=user).non_lues()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(lue_le=timezone.now())
