"""WebSocket consumers of the comptes app."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

from .notifications import groupe_utilisateur


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Push the logged-in user's new notifications. Anonymous sockets are refused."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.groupe = groupe_utilisateur(user.pk)
        await self.channel_layer.group_add(self.groupe, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if getattr(self, "groupe", None):
            await self.channel_layer.group_discard(self.groupe, self.channel_name)

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
