"""What an event's organisers do with its registrations: the list and its counts, the office export, a message
to every registered person, and the check-in at the door (a list to tick, or the personal code of the
confirmation e-mail, typed or scanned from its QR code).

Who: ``evenements.gerer_inscrits`` (the organisers, i.e. members of an organising structure or the proposer,
and the moderation team, who already see the registrations in the admin). Every action is written to the audit
log; the e-mail addresses appear only on the organisers' pages and in their export.

**The personal code** of a registration is ``<pk>-<8 characters>``: the characters are an HMAC of the
registration and its event (``salted_hmac``: SECRET_KEY), in base 32 so it can be typed (``0``/``1``/``8`` read
as ``O``/``I``/``B``). Nothing is stored: it cannot be forged without the secret, and a code of another event, a
cancelled registration or one on the waiting list is refused with its reason. **Counted once**: the presence is
written by a conditional ``UPDATE … WHERE present_le IS NULL``; of two devices scanning the same code at the
same instant, one writes and the other is told the person is already checked in (PostgreSQL test).
"""

import base64
import io
import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from conseil_ess.comptes.journal import consigner, declarer
from conseil_ess.comptes.models import Adhesion
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.redaction import html_vers_markdown

from .models import Evenement, Inscription

I = Inscription.Statut  # noqa: E741
SEL_CODE = "evenements.inscrits.code_emargement"
LONGUEUR_SIGNATURE = 8
_CODE = re.compile(rf"^(\d{{1,12}})[\s\-–]+([A-Z0-9]{{{LONGUEUR_SIGNATURE}}})$")
_LECTURE = str.maketrans({"0": "O", "1": "I", "8": "B"})
MESSAGE_MAX = 5000


def messages_par_jour():
    """How many messages an event's organisers may send to its registered people in 24 hours."""
    return getattr(settings, "EVENEMENTS_MESSAGES_INSCRITS_PAR_JOUR", 3)


def _exiger(par, evenement):
    if not (par and par.has_perm("evenements.gerer_inscrits", evenement)):
        raise ActionImpossible(_("Seuls les organisateurs de l'événement et le secrétariat gèrent ses inscrit·e·s."))


# --- The list and its counts --------------------------------------------------------------------------------


def actives(evenement):
    """The confirmed then waiting registrations (FIFO order), with their person, for the organisers' pages."""
    return (
        Inscription.objects.filter(evenement=evenement, statut__in=(I.CONFIRMEE, I.ATTENTE))
        .select_related("user")
        .order_by("-statut", "cree_le", "pk")
    )  # « confirmee » before « attente »


def compteurs(evenement):
    """Confirmed places (and capacity), waiting list and people checked in, in one query."""
    nombres = Inscription.objects.filter(evenement=evenement).aggregate(
        confirmees=Count("pk", filter=Q(statut=I.CONFIRMEE)),
        attente=Count("pk", filter=Q(statut=I.ATTENTE)),
        presents=Count("pk", filter=Q(present_le__isnull=False)),
    )
    return {**nombres, "capacite": evenement.capacite}


def evenements_organises(user, maintenant=None):
    """The events ``user`` organises that take registrations here (upcoming, or ended less than 30 days ago),
    with their counts: one query."""
    maintenant = maintenant or timezone.now()
    miens = Evenement.objects.filter(
        Q(propose_par=user)
        | Q(structures__adhesions__user=user, structures__adhesions__statut=Adhesion.Statut.ACCEPTEE)
    ).values("pk")
    return (
        Evenement.objects.filter(
            pk__in=miens, inscription_sur_plateforme=True, fin__gte=maintenant - timedelta(days=30)
        )
        .annotate(
            nb_attente=Count("inscriptions", filter=Q(inscriptions__statut=I.ATTENTE)),
            nb_presents=Count("inscriptions", filter=Q(inscriptions__present_le__isnull=False)),
        )
        .order_by("debut", "pk")
    )


def lignes_export(evenement):
    """The header and rows of the organisers' export (each typed cell neutralised by the caller)."""
    entete = [
        _("Nom"),
        _("Adresse e-mail"),
        _("Statut"),
        _("Position en liste d'attente"),
        _("Inscrit·e le"),
        _("Présent·e le"),
        _("Code d'entrée"),
    ]
    lignes = []
    position = 0
    for inscription in actives(evenement):
        if inscription.statut == I.ATTENTE:
            position += 1
        personne = inscription.user
        lignes.append(
            [
                personne.nom_public if personne else _("Personne anonymisée"),
                personne.email if personne else "",
                inscription.get_statut_display(),
                position if inscription.statut == I.ATTENTE else "",
                _date(inscription.cree_le),
                _date(inscription.present_le),
                code_emargement(inscription) if inscription.statut == I.CONFIRMEE else "",
            ]
        )
    return entete, lignes


def _date(valeur):
    return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M") if valeur else ""


# --- The personal code and its QR code ----------------------------------------------------------------------


def _signature(inscription_pk, evenement_pk):
    empreinte = salted_hmac(SEL_CODE, f"{inscription_pk}:{evenement_pk}").digest()
    return base64.b32encode(empreinte).decode()[:LONGUEUR_SIGNATURE]


def code_emargement(inscription):
    """The personal code of ``inscription`` (printed in its e-mail and in its QR code's address)."""
    return f"{inscription.pk}-{_signature(inscription.pk, inscription.evenement_id)}"


def url_scan(inscription):
    """The address the QR code opens on the organiser's phone."""
    return reverse("evenements:organisateurs_scan", args=[inscription.evenement.slug, code_emargement(inscription)])


def qr_png(texte):
    """A PNG of a QR code holding ``texte`` (qrcode, as the séances' check-in), about 260 px wide.

    The mask pattern is fixed (any of the eight is valid and read by phones): letting the library try all
    eight made each confirmation e-mail five times slower to prepare (~0.12 s instead of ~0.025 s)."""
    import qrcode

    code = qrcode.QRCode(box_size=6, border=3, mask_pattern=0)
    code.add_data(texte)
    code.make(fit=True)
    tampon = io.BytesIO()
    code.make_image().save(tampon, format="PNG")
    return tampon.getvalue()


def inscription_du_code(texte, evenement):
    """Return the registration of the code ``texte`` for ``evenement``, or refuse with the reason in French."""
    correspondance = _CODE.match((texte or "").strip().upper())
    if not correspondance:
        raise ActionImpossible(
            _(
                "Ce code n'a pas la forme d'un code d'entrée (des chiffres, un tiret, puis huit "
                "lettres ou chiffres, par exemple 42-ABCD2EFG)."
            )
        )
    pk, signature = int(correspondance[1]), correspondance[2].translate(_LECTURE)
    inscription = Inscription.objects.select_related("evenement", "user").filter(pk=pk).first()
    if inscription is None or not constant_time_compare(
        signature, _signature(inscription.pk, inscription.evenement_id)
    ):
        raise ActionImpossible(_("Code inconnu : il ne correspond à aucune inscription (vérifiez la saisie)."))
    if inscription.evenement_id != evenement.pk:
        raise ActionImpossible(
            _("Ce code est celui d'une inscription à un autre événement : « %(titre)s ».")
            % {"titre": inscription.evenement.titre}
        )
    return inscription


# --- Check-in -----------------------------------------------------------------------------------------------


def _nom(inscription):
    return inscription.user.nom_public if inscription.user_id else _("Personne anonymisée")


def marquer_present(evenement, inscription, par):
    """Check ``inscription`` in at ``evenement``'s door, once: a cancelled registration, one on the waiting list,
    one of another event or one already checked in is refused with its reason (nothing counted twice)."""
    _exiger(par, evenement)
    if inscription.evenement_id != evenement.pk:
        raise ActionImpossible(_("Cette inscription concerne un autre événement."))
    with transaction.atomic():
        ecrites = Inscription.objects.filter(pk=inscription.pk, statut=I.CONFIRMEE, present_le__isnull=True).update(
            present_le=timezone.now()
        )
        inscription.refresh_from_db()
        if ecrites:
            consigner(inscription, "conseil.inscription.presente", par, evenement_id=evenement.pk)
            return inscription
    if inscription.statut == I.ANNULEE:
        raise ActionImpossible(
            _("L'inscription de %(nom)s est annulée : sa présence n'est pas enregistrée.") % {"nom": _nom(inscription)}
        )
    if inscription.statut == I.ATTENTE:
        raise ActionImpossible(
            _("%(nom)s est sur la liste d'attente, sans place confirmée : sa présence n'est pas enregistrée.")
            % {"nom": _nom(inscription)}
        )
    raise ActionImpossible(
        _("%(nom)s est déjà enregistré·e comme présent·e (depuis %(heure)s) : rien n'est compté deux fois.")
        % {"nom": _nom(inscription), "heure": timezone.localtime(inscription.present_le).strftime("%H:%M")}
    )


def retirer_presence(evenement, inscription, par):
    """Undo a check-in made by mistake."""
    _exiger(par, evenement)
    if inscription.evenement_id != evenement.pk:
        raise ActionImpossible(_("Cette inscription concerne un autre événement."))
    with transaction.atomic():
        ecrites = Inscription.objects.filter(pk=inscription.pk, present_le__isnull=False).update(present_le=None)
        inscription.refresh_from_db()
        if not ecrites:
            raise ActionImpossible(_("%(nom)s n'était pas enregistré·e comme présent·e.") % {"nom": _nom(inscription)})
        consigner(inscription, "conseil.inscription.presence_retiree", par, evenement_id=evenement.pk)
    return inscription


# --- A message to every registered person -------------------------------------------------------------------


def destinataires(evenement, avec_attente=False):
    statuts = (I.CONFIRMEE, I.ATTENTE) if avec_attente else (I.CONFIRMEE,)
    return (
        Inscription.objects.filter(evenement=evenement, statut__in=statuts, user__isnull=False, user__is_active=True)
        .select_related("user")
        .order_by("cree_le", "pk")
    )


def messages_envoyes_recemment(evenement, maintenant=None):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    maintenant = maintenant or timezone.now()
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Evenement),
        object_id=str(evenement.pk),
        action="conseil.evenement.message_inscrits",
        timestamp__gt=maintenant - timedelta(hours=24),
    ).count()


def envoyer_message(evenement, objet, texte, par, avec_attente=False):
    """Send ``texte`` (the editor's sanitized HTML, ``conseil_ess.redaction``; plain text works too) to the
    registered people of ``evenement`` through the notification path (category « Agenda et inscriptions », at
    once: « jamais » still stops the e-mail). Notifications and their e-mails are plain text: the message goes
    as its Markdown, which reads as text (paragraphs, lists, links kept). Return how many people it went to."""
    _exiger(par, evenement)
    objet, texte = (objet or "").strip(), html_vers_markdown(texte or "").strip()
    if not texte:
        raise ActionImpossible(_("Le message est vide : écrivez ce que vous voulez dire aux personnes inscrites."))
    if len(texte) > MESSAGE_MAX:
        raise ActionImpossible(_("Le message est trop long (%(max)s caractères au plus).") % {"max": MESSAGE_MAX})
    with transaction.atomic():
        evenement = Evenement.objects.select_for_update().get(pk=evenement.pk)  # one sender at a time
        limite = messages_par_jour()
        if messages_envoyes_recemment(evenement) >= limite:
            raise ActionImpossible(
                ngettext(
                    "Vous avez déjà envoyé %(n)s message aux personnes inscrites ces dernières 24 heures : c'est le "
                    "maximum. Réessayez plus tard.",
                    "Vous avez déjà envoyé %(n)s messages aux personnes inscrites ces dernières 24 heures : c'est le "
                    "maximum. Réessayez plus tard.",
                    limite,
                )
                % {"n": limite}
            )
        personnes = [i.user for i in destinataires(evenement, avec_attente)]
        if not personnes:
            raise ActionImpossible(_("Personne n'est inscrit·e : le message n'a pas été envoyé."))
        titre = _("Message des organisateurs de « %(evenement)s »") % {"evenement": evenement.titre}
        if objet:
            titre = f"{titre} : {objet}"
        titre = titre[:200]
        for personne in personnes:
            notifier(
                personne,
                titre,
                texte,
                url=evenement.get_absolute_url(),
                categorie="evenements",
                courriel=True,
                urgent=True,
            )
        consigner(
            evenement,
            "conseil.evenement.message_inscrits",
            par,
            destinataires=len(personnes),
            liste_attente=avec_attente,
        )
    return len(personnes)


def declarer_actions(actions):
    """The audit log's labels of this module (hook ``register_log_actions``)."""
    declarer(
        actions,
        {
            "conseil.inscription.presente": gettext_lazy("Présence enregistrée à l'accueil d'un événement"),
            "conseil.inscription.presence_retiree": gettext_lazy("Présence à un événement retirée"),
            "conseil.evenement.message_inscrits": (
                gettext_lazy("Message envoyé aux personnes inscrites"),
                gettext_lazy("Message envoyé aux personnes inscrites (destinataires : %(destinataires)s)"),
            ),
        },
    )


def bloc_mon_espace(context):
    """The context of the « Mon espace » block listing the events the person organises, with their counts."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"evenements": []}
    return {"evenements": list(evenements_organises(user)[:20])}
