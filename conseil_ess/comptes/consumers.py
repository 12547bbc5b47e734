"""WebSocket consumers of the comptes app, and the mixins every consumer of the project uses."""

import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer
from django.conf import settings
from redis.exceptions import RedisError

from . import sockets
from .notifications import groupe_utilisateur
from .predicates import marquer_session

logger = logging.getLogger(__name__)

# Close code when the channel layer (Redis) cannot be reached: the pages reconnect on it (the live séance page
# gives up only on 4404, the notifications only on 4401), and the new socket joins its groups again once Redis
# answers.
CODE_COUCHE_INJOIGNABLE = 4503
# What the channel layer raises when Redis is down or was restarted under it.
ERREURS_COUCHE = (RedisError, OSError)


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


class TientSesGroupes:
    """Mixin of the consumers, for a channel layer on Redis (which keeps nothing on disk here).

    - A socket whose layer fails (Redis down, or restarted under it) closes with ``CODE_COUCHE_INJOIGNABLE`` and
      one log line: channels would end the consumer with the exception, leaving the socket half-dead until
      daphne noticed it, with a traceback.
    - An open socket joins its groups again every ``SOCKETS_REJOINDRE_GROUPES`` seconds (``group_add`` is
      idempotent): a restart forgets every membership, and a socket whose receive loop lived through it (a short
      outage, absorbed by the connection's retry) would never hear its groups again.

    A consumer calls ``demarrer_entretien()`` once accepted, says what to join in ``rejoindre_groupes()``, and
    puts what must happen however it ends (``disconnect`` or not) in ``apres_fin()``."""

    _entretien = None
    _ferme_pour_la_couche = False

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except ERREURS_COUCHE as erreur:
            await self._fermer_pour_la_couche(erreur, send)
        finally:
            self.arreter_entretien()
            with contextlib.suppress(Exception):
                await self.apres_fin()

    async def dispatch(self, message):
        try:
            await super().dispatch(message)
        except ERREURS_COUCHE as erreur:
            # Close at once, then end: channels ends the consumer only once the layer's pending receive on its
            # own channel returns (channels_redis's blocking read, up to 5 s); the page must not wait for it.
            await self._fermer_pour_la_couche(erreur, self.base_send)
            raise

    async def _fermer_pour_la_couche(self, erreur, send):
        if self._ferme_pour_la_couche:
            return
        self._ferme_pour_la_couche = True
        # One line, no traceback: while Redis is down every page retries, and each attempt ends here.
        logger.warning("Couche de canaux injoignable, socket fermé (code %s) : %r", CODE_COUCHE_INJOIGNABLE, erreur)
        with contextlib.suppress(Exception):
            await send({"type": "websocket.close", "code": CODE_COUCHE_INJOIGNABLE})

    async def rejoindre_groupes(self):
        """Join (again) the groups this socket listens to."""

    async def apres_fin(self):
        """Whatever the consumer's end (``disconnect`` or a failed layer)."""

    def demarrer_entretien(self):
        self._entretien = asyncio.ensure_future(self._rejoindre_periodiquement())

    def arreter_entretien(self):
        if self._entretien is not None:
            self._entretien.cancel()
            self._entretien = None

    async def _rejoindre_periodiquement(self):
        intervalle = float(getattr(settings, "SOCKETS_REJOINDRE_GROUPES", 15))
        try:
            while True:
                await asyncio.sleep(intervalle)
                await self.rejoindre_groupes()
        except ERREURS_COUCHE as erreur:
            logger.warning("Couche de canaux injoignable, socket fermé (code %s) : %r", CODE_COUCHE_INJOIGNABLE,
                           erreur)
            await self.close(code=CODE_COUCHE_INJOIGNABLE)


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


class NotificationConsumer(TientSesGroupes, SuitLaSession, AsyncJsonWebsocketConsumer):
    """Push the logged-in user's new notifications. Anonymous sockets are refused."""

    groupe = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.groupe = groupe_utilisateur(user.pk)
        await self.channel_layer.group_add(self.groupe, self.channel_name)
        await self.rejoindre_les_groupes_de_session()
        await self.accept()
        self.demarrer_entretien()

    async def rejoindre_groupes(self):
        for groupe in (self.groupe, *self.groupes_session):
            await self.channel_layer.group_add(groupe, self.channel_name)

    async def disconnect(self, code):
        self.arreter_entretien()
        if self.groupe:
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
