"""WebSocket consumers of the comptes app."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

from . import sockets
from .notifications import groupe_utilisateur
from .predicates import marquer_session


def session_toujours_valide(session, user):
    """True when the session the socket was opened with still exists and still logs in ``user`` (not logged
    out, password unchanged, account active): Django's own check, on a fresh read of the session."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user

    cle = getattr(session, "session_key", None)
    if not cle or user is None or not user.is_authenticated:
        return False
    fraiche = session.__class__(session_key=cle)
    if not fraiche.exists(cle):
        return False
    actuel = get_user(SimpleNamespace(session=fraiche))
    return bool(actuel.is_authenticated and actuel.pk == user.pk and actuel.is_active)


class SuitLaSession:
    """Mixin of the consumers: the socket closes when its session ends (``sockets.py``), and the predicates
    know whether the session's login went through TOTP."""

    groupes_session = ()

    async def rejoindre_les_groupes_de_session(self):
        user, session = self.scope.get("user"), self.scope.get("session")
        if user is not None and user.is_authenticated:
            marquer_session(user, session)
        self.groupes_session = sockets.groupes(user, session)
        for groupe in self.groupes_session:
            await self.channel_layer.group_add(groupe, self.channel_name)

    async def quitter_les_groupes_de_session(self):
        for groupe in self.groupes_session:
            await self.channel_layer.group_discard(groupe, self.channel_name)

    async def session_encore_valide(self):
        return await database_sync_to_async(session_toujours_valide)(self.scope.get("session"),
                                                                     self.scope.get("user"))

    async def session_fermer(self, event):
        await self.close(code=sockets.CODE_FERMETURE)


class NotificationConsumer(SuitLaSession, AsyncJsonWebsocketConsumer):
    """Push the logged-in user's new notifications. Anonymous sockets are refused."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.groupe = groupe_utilisateur(user.pk)
        await self.channel_layer.group_add(self.groupe, self.channel_name)
        await self.rejoindre_les_groupes_de_session()
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "groupe", None):
            await self.channel_layer.group_discard(self.groupe, self.channel_name)
        await self.quitter_les_groupes_de_session()

    async def receive_json(self, content, **kwargs):
        # The socket is push-only; a ping gets a pong so clients can check liveness.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def notification_nouvelle(self, event):
        await self.send_json({"type": "notification", **event["notification"]})


class RouteInconnueConsumer(AsyncWebsocketConsumer):
    """Refuse any /ws/ path that has no route, cleanly (never a 500 at the handshake)."""

    async def connect(self):
        await self.close(code=4404)
