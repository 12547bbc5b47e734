"""The one notification path: store a Notification, then push it live after commit.

Later apps call ``notifier()``; they never write Notification rows or talk to the channel layer
themselves.

E-mails follow each person's preference per category (PreferenceNotification, default ``groupe``):
``immediat`` sends one e-mail per notification, ``jamais`` none, and ``groupe`` sends the first one at
once, then keeps the others of the grouping window (``NOTIFICATIONS_FENETRE_REGROUPEMENT_MINUTES``,
60 by default) waiting: ``envoyer_resumes()`` (command ``envoyer_resumes``, run every few minutes)
sends them as one summary once the window after the last e-mail has elapsed.

A notification may carry a file for its e-mail (``PieceJointe``, e.g. an event's ``.ics`` with a
registration's confirmation): that e-mail leaves at once, like an urgent one, since a summary would lose
the file; « jamais » still stops it (the notification stays in « Mon espace »).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone

from conseil_ess.champs import une_ligne

from .categories_notifications import categorie as categorie_enregistree
from .models import Notification, PreferenceNotification

Statut = Notification.CourrielStatut
Frequence = PreferenceNotification.Frequence

journal = logging.getLogger(__name__)


@dataclass(frozen=True)
class PieceJointe:
    """A file sent with a notification's e-mail (never stored: the e-mail leaves at once)."""

    nom: str
    contenu: str | bytes
    type_mime: str
    legende: str = ""  # what the e-mail says about the file


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


def fenetre_regroupement():
    """Return the grouping window: after an e-mail, the others of its category wait this long."""
    return timedelta(minutes=getattr(settings, "NOTIFICATIONS_FENETRE_REGROUPEMENT_MINUTES", 60))


def frequence(user, categorie):
    """Return how ``user`` wants the e-mails of ``categorie`` (``groupe`` unless they chose otherwise)."""
    choisie = PreferenceNotification.objects.filter(user=user, categorie=categorie).values_list("frequence", flat=True)
    return choisie.first() or Frequence.GROUPE


def _lien_absolu(url, base_url):
    return f"{base_url}{url}" if url.startswith("/") else url


def _pieces(piece_jointe):
    """``piece_jointe`` as a tuple: None, one ``PieceJointe`` or several (an event's ``.ics`` and a QR code)."""
    if piece_jointe is None:
        return ()
    return (piece_jointe,) if isinstance(piece_jointe, PieceJointe) else tuple(piece_jointe)


def _envoyer(sujet, gabarit, contexte, destinataire, description, piece_jointe=None):
    """Send one plain-text e-mail (with ``piece_jointe`` attached); a mail failure is logged and never undoes
    the action. The subject and the attachment's name are put on one line first (Django refuses a line
    break in a header: the e-mail would not leave)."""
    sujet = une_ligne(str(sujet))
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    pieces = _pieces(piece_jointe)
    corps = render_to_string(gabarit, {
        **contexte, "destinataire": destinataire, "base_url": base_url, "pieces_jointes": pieces,
        "preferences": f"{base_url}{reverse('comptes:notifications_preferences')}",
    })
    try:
        if not pieces:
            send_mail(sujet, corps, None, [destinataire.email])
        else:
            message = EmailMessage(sujet, corps, to=[destinataire.email])
            for piece in pieces:
                message.attach(une_ligne(piece.nom), piece.contenu, piece.type_mime)
            message.send()
    except Exception:  # noqa: BLE001 - the notification is stored and shown in-app anyway
        journal.exception("Courriel de notification non envoyé (%s)", description)


def _envoyer_courriel(notification, destinataire, piece_jointe=None):
    """E-mail one notification (plain text, with an absolute link and its file, if any)."""
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    _envoyer(notification.titre, "comptes/courriel_notification.txt", {
        "notification": notification, "lien": _lien_absolu(notification.url, base_url),
    }, destinataire, notification.pk, piece_jointe)


def _envoyer_resume(notifications, destinataire):
    """E-mail several notifications of one category as one summary."""
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    categorie = categorie_enregistree(notifications[0].categorie)
    _envoyer(categorie.sujet_resume(len(notifications)), "comptes/courriel_resume_notifications.txt", {
        "categorie": categorie,
        "nouveautes": [(n, _lien_absolu(n.url, base_url)) for n in notifications],
    }, destinataire, [n.pk for n in notifications])


def _statut_courriel(destinataire, categorie, maintenant, urgent):
    """Decide the e-mail of a new notification: now (ENVOYE), in the next summary (EN_ATTENTE) or none."""
    choix = frequence(destinataire, categorie)
    if choix == Frequence.JAMAIS:
        return Statut.AUCUN
    if choix == Frequence.GROUPE and not urgent:
        recents = Notification.objects.filter(destinataire=destinataire, categorie=categorie).filter(
            Q(courriel_statut=Statut.EN_ATTENTE) | Q(courriel_envoye_le__gt=maintenant - fenetre_regroupement()),
        )
        if recents.exists():
            return Statut.EN_ATTENTE
    return Statut.ENVOYE


def notifier(destinataire, titre, message="", url="", categorie="general", courriel=False, urgent=False,
             piece_jointe=None, obligatoire=False):
    """Create a notification for ``destinataire`` and push it to their open pages once committed.

    ``courriel``: also e-mail it, as the person's preference for ``categorie`` says (for news people
    must not miss: a meeting scheduled, moved or cancelled, minutes published…). A single e-mail leaves
    after commit; a grouped one waits for ``envoyer_resumes()``.
    ``urgent``: news that cannot wait for a summary (a meeting moved or cancelled, a decision about
    the person): e-mailed at once even to people who group their e-mails; « jamais » still stops it.
    ``piece_jointe``: a ``PieceJointe`` (or a tuple of them) for the e-mail, which is then urgent (a summary
    would lose the file).
    ``obligatoire``: a notice the person must receive whatever their preferences (the warning before an
    inactive account is erased): e-mailed at once, even to « jamais ».
    """
    maintenant = timezone.now()
    urgent = urgent or piece_jointe is not None
    statut = Statut.AUCUN
    if courriel and destinataire.email:
        statut = Statut.ENVOYE if obligatoire else _statut_courriel(destinataire, categorie, maintenant, urgent)
    notification = Notification.objects.create(
        destinataire=destinataire, titre=titre, message=message, url=url, categorie=categorie, cree_le=maintenant,
        courriel_statut=statut, courriel_envoye_le=maintenant if statut == Statut.ENVOYE else None,
    )
    transaction.on_commit(lambda: _diffuser(notification))
    if statut == Statut.ENVOYE:
        transaction.on_commit(lambda: _envoyer_courriel(notification, destinataire, piece_jointe))
    return notification


def envoyer_resumes():
    """Send the summaries that are due; return how many e-mails left.

    A person's waiting notifications of one category are due once the grouping window after their last
    e-mail of that category has elapsed (at once if they now want every e-mail; dropped if they want
    none). Safe to run twice at the same time: each run first locks the **people** it will write to (their
    account rows, ``FOR NO KEY UPDATE SKIP LOCKED`` on PostgreSQL: a run takes the people no other run holds,
    and new notifications can still be created for them), then reads and marks sent all their waiting
    notifications in the same transaction; the e-mails leave only after that commit. So no notification is
    e-mailed twice, and a person's summary is never split between two runs (locking the notifications
    themselves with SKIP LOCKED let two runs take one half of a person's notifications each: two e-mails).
    """
    maintenant = timezone.now()
    limite = maintenant - fenetre_regroupement()
    a_envoyer = []
    with transaction.atomic():
        personnes = set(
            get_user_model().objects.select_for_update(skip_locked=True, no_key=True)
            .filter(pk__in=Notification.objects.filter(courriel_statut=Statut.EN_ATTENTE).values("destinataire_id"))
            .values_list("pk", flat=True)
        )
        if not personnes:
            return 0
        en_attente = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(courriel_statut=Statut.EN_ATTENTE, destinataire_id__in=personnes)
            .select_related("destinataire")
            .order_by("destinataire_id", "categorie", "cree_le", "pk")
        )
        if not en_attente:
            return 0
        frequences = {
            (p.user_id, p.categorie): p.frequence
            for p in PreferenceNotification.objects.filter(user_id__in=personnes)
        }
        # The pairs (person, category) with an e-mail inside the window still wait.
        trop_recents = set(
            Notification.objects.filter(
                destinataire_id__in=personnes, courriel_statut=Statut.ENVOYE, courriel_envoye_le__gt=limite,
            ).values_list("destinataire_id", "categorie").distinct()
        )
        envoyees, abandonnees = [], []
        for cle, groupe in groupby(en_attente, key=lambda n: (n.destinataire_id, n.categorie)):
            groupe = list(groupe)
            choix = frequences.get(cle, Frequence.GROUPE)
            if choix == Frequence.JAMAIS or not groupe[0].destinataire.email:
                abandonnees += groupe
            elif choix == Frequence.IMMEDIAT or cle not in trop_recents:
                envoyees += groupe
                a_envoyer.append(groupe)
        Notification.objects.filter(pk__in=[n.pk for n in abandonnees]).update(courriel_statut=Statut.AUCUN)
        Notification.objects.filter(pk__in=[n.pk for n in envoyees]).update(
            courriel_statut=Statut.ENVOYE, courriel_envoye_le=maintenant,
        )
    for groupe in a_envoyer:
        if len(groupe) == 1:
            _envoyer_courriel(groupe[0], groupe[0].destinataire)
        else:
            _envoyer_resume(groupe, groupe[0].destinataire)
    return len(a_envoyer)


def marquer_lues(user, ids=None):
    """Mark the user's notifications (all, or those in ``ids``) as read; return how many changed."""
    qs = Notification.objects.filter(destinataire=user).non_lues()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(lue_le=timezone.now())
