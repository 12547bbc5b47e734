"""The WebSocket of a séance's live page: anyone who may see the séance watches its state; checked-in
members vote through the same service as the form."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from conseil_ess.comptes.consumers import SuitLaSession, TientSesGroupes, session_toujours_valide
from conseil_ess.comptes.services import ActionImpossible

from . import services
from .etat import etat_public
from .models import Choix, Scrutin, Seance
from .relais import relais_de_la_boucle

TAILLE_MAX_MESSAGE = 4096


def _seance_visible(slug, user):
    seance = Seance.objects.filter(evenement__slug=slug).first()
    if seance is None or not user.has_perm("seances.voir", seance):
        return None
    return seance


def _voter(seance_id, user, session, scrutin_id, choix):
    """Record the vote; return False (nothing recorded) when the socket's session has ended meanwhile.

    The session check and the vote share one trip to the thread of database calls: each trip waits there
    behind the other sockets' work (the broadcasts' reads, the connections' first states)."""
    if not session_toujours_valide(session, user):
        return False
    scrutin = Scrutin.objects.filter(pk=scrutin_id, seance_id=seance_id).first()
    if scrutin is None:
        raise ActionImpossible(_("Ce scrutin n'existe pas dans cette séance."))
    services.voter(scrutin, user, choix)
    return True


class SeanceConsumer(TientSesGroupes, SuitLaSession, AsyncJsonWebsocketConsumer):
    """``ws/seances/<slug>/``: sends ``{"type": "etat", ...}`` on connect and on every (coalesced) change.

    Client messages: ``{"type": "voter", "scrutin": id, "choix": "pour"|"contre"|"abstention"}`` answered by
    ``{"type": "vote_enregistre", "scrutin": id, "choix": choix}`` or ``{"type": "erreur", "message": "..."}``;
    ``{"type": "ping"}`` answered by ``{"type": "pong"}``.
    """

    relais = None
    version_envoyee = None  # the version of the last state this socket was sent
    accepte = False  # the handshake is answered: states may be sent
    async def connect(self):
        slug = self.scope["url_route"]["kwargs"]["slug"]
        self.user = self.scope.get("user")
        await self.rejoindre_les_groupes_de_session()
        seance = await database_sync_to_async(_seance_visible)(slug, self.user)
        if seance is None:
            await self.close(code=4404)
            return
        self.seance_id = seance.pk
        # Join before reading the state: a change committed in between reaches us as a broadcast. The process's
        # one listener receives the séance's broadcasts and hands them to ``seance_etat`` (``relais.py``).
        self.relais = relais_de_la_boucle(self.channel_layer)
        await self.relais.abonner(seance.pk, self)
        await self.accept()
        self.accepte = True
        etat = await database_sync_to_async(etat_public)(seance.pk)
        if self.version_envoyee is None or etat["version"] > self.version_envoyee:
            # (a broadcast of a newer state may have reached this socket while the state was read)
            self.version_envoyee = etat["version"]
            await self.send_json({"type": "etat", **etat})
        self.demarrer_entretien()

    async def rejoindre_groupes(self):
        # The séance's group is joined by the process's listener (``relais.py``): it is the one that joins again.
        await self.relais.rejoindre(self.seance_id)
        for groupe in self.groupes_session:
            await self.channel_layer.group_add(groupe, self.channel_name)

    async def apres_fin(self):
        # Ended without ``disconnect`` too (the layer failed): the process's listener must forget this socket.
        await self._quitter_le_relais()

    async def _quitter_le_relais(self):
        relais, self.relais = self.relais, None
        if relais is not None:
            await relais.desabonner(self.seance_id, self)

    async def disconnect(self, code):
        self.arreter_entretien()
        await self._quitter_le_relais()
        await self.quitter_les_groupes_de_session()

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data) > TAILLE_MAX_MESSAGE:
            await self._erreur(_("Message non reconnu : envoyez un objet JSON."))
            return
        try:
            contenu = json.loads(text_data)
        except ValueError:
            await self._erreur(_("Message non reconnu : envoyez un objet JSON."))
            return
        await self.receive_json(contenu)

    async def receive_json(self, content, **kwargs):
        type_ = content.get("type") if isinstance(content, dict) else None
        if type_ == "ping":
            await self.send_json({"type": "pong"})
        elif type_ == "voter":
            await self._voter(content)
        else:
            await self._erreur(_("Message non reconnu : seuls « voter » et « ping » sont acceptés."))

    async def _voter(self, content):
        if self.user is None or not self.user.is_authenticated:
            await self._erreur(_("Connectez-vous pour voter."))
            return
        scrutin_id, choix = content.get("scrutin"), content.get("choix")
        if isinstance(scrutin_id, str) and scrutin_id.isdigit():
            scrutin_id = int(scrutin_id)
        if not isinstance(scrutin_id, int) or isinstance(scrutin_id, bool) or scrutin_id <= 0:
            await self._erreur(_("Indiquez le scrutin auquel vous votez."))
            return
        if choix not in Choix.values:
            await self._erreur(_("Choisissez « pour », « contre » ou « abstention »."))
            return
        try:
            enregistre = await database_sync_to_async(_voter)(self.seance_id, self.user, self.scope.get("session"),
                                                              scrutin_id, choix)
        except ActionImpossible as refus:
            await self._erreur(str(refus))
            return
        if not enregistre:
            # Logged out (or password changed) since the socket opened: the socket no longer speaks for them.
            await self._erreur(_("Votre session a pris fin : reconnectez-vous pour voter."))
            await self.close(code=4401)
            return
        await self.send_json({"type": "vote_enregistre", "scrutin": scrutin_id, "choix": choix})

    async def _erreur(self, message):
        await self.send_json({"type": "erreur", "message": str(message)})

    async def dispatch(self, message):
        # A broadcast reaches every watcher and touches no database: channels' ``dispatch`` would first hop to
        # the one thread of database calls (``aclose_old_connections``) for each of them, one after the other,
        # behind the votes being recorded. The other messages go through it as before. (The séance's broadcasts
        # come through ``relais``, which calls ``seance_etat`` itself; one sent to this socket's own channel
        # would be handled here the same way.)
        if message.get("type") == "seance.etat":
            await self.seance_etat(message)
        else:
            await super().dispatch(message)

    async def seance_etat(self, event):
        # Each process broadcasts the changes made through it: two processes may send the same version, or an
        # older one after a newer one. The page applies only a newer version; sending it anything else costs a
        # socket write per watcher for nothing.
        version = event["etat"].get("version")
        if not self.accepte:
            return  # the state read right after the handshake is at least as recent
        if version is not None and self.version_envoyee is not None and version <= self.version_envoyee:
            return
        self.version_envoyee = version
        texte = event.get("texte")  # serialised once per broadcast, not once per socket
        if texte is not None:
            await self.send(text_data=texte)
        else:
            await self.send_json({"type": "etat", **event["etat"]})
