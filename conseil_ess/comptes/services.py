"""Actions on structures and memberships. Views, the admin and the demo command all call these."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import roles
from .models import Adhesion, Structure
from .notifications import notifier


class ActionImpossible(Exception):
    """A business rule refused the action; the message is French and shown to the user."""


def _agents():
    return get_user_model().objects.filter(groups__name=roles.AGENT, is_active=True).distinct()


@transaction.atomic
def creer_structure(structure, par):
    """Save a new structure (pending validation) and make its creator the referent."""
    structure.statut = Structure.Statut.EN_ATTENTE
    structure.cree_par = par
    structure.save()
    Adhesion.objects.create(
        user=par, structure=structure, role=Adhesion.Role.REFERENT,
        statut=Adhesion.Statut.ACCEPTEE, decide_le=timezone.now(),
    )
    for agent in _agents():
        notifier(
            agent, _("Nouvelle structure à valider : %(nom)s") % {"nom": structure.nom},
            url=reverse("wagtailadmin_home"), categorie="structures",
        )
    return structure


@transaction.atomic
def valider_structure(structure, par):
    """Make a pending structure public and tell its referents."""
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    if structure.statut == Structure.Statut.VALIDEE:
        raise ActionImpossible(_("Cette structure est déjà validée."))
    structure.statut = Structure.Statut.VALIDEE
    structure.valide_le = timezone.now()
    structure.motif_refus = ""
    structure.save(update_fields=["statut", "valide_le", "motif_refus"])
    for referent in _referents(structure):
        notifier(
            referent,
            _("Votre structure « %(nom)s » a été validée") % {"nom": structure.nom},
            _("Elle est désormais visible publiquement dans l'annuaire des structures."),
            url=structure.get_absolute_url(), categorie="structures",
        )
    return structure


@transaction.atomic
def refuser_structure(structure, par, motif):
    if not (motif or "").strip():
        raise ActionImpossible(_("Indiquez le motif du refus : il est transmis à la structure."))
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    structure.statut = Structure.Statut.REFUSEE
    structure.motif_refus = motif
    structure.save(update_fields=["statut", "motif_refus"])
    for referent in _referents(structure):
        notifier(
            referent,
            _("Votre structure « %(nom)s » n'a pas été validée") % {"nom": structure.nom},
            motif, url=structure.get_absolute_url(), categorie="structures",
        )
    return structure


def _referents(structure):
    return get_user_model().objects.filter(
        adhesions__structure=structure, adhesions__role=Adhesion.Role.REFERENT,
        adhesions__statut=Adhesion.Statut.ACCEPTEE,
    )


def demander_adhesion(user, structure, message=""):
    """Ask to join a public structure; its referents are told."""
    if structure.statut != Structure.Statut.VALIDEE:
        raise ActionImpossible(_("Cette structure n'est pas encore validée : impossible de la rejoindre."))
    existante = Adhesion.objects.filter(user=user, structure=structure).first()
    if existante and existante.statut == Adhesion.Statut.ACCEPTEE:
        raise ActionImpossible(_("Vous êtes déjà membre de cette structure."))
    if existante and existante.statut == Adhesion.Statut.DEMANDEE:
        raise ActionImpossible(_("Votre demande est déjà en attente de réponse."))
    with transaction.atomic():
        if existante:  # a refused request may be asked again
            existante.statut = Adhesion.Statut.DEMANDEE
            existante.message = message
            existante.cree_le = timezone.now()
            existante.decide_le = None
            existante.save()
            adhesion = existante
        else:
            try:
                adhesion = Adhesion.objects.create(user=user, structure=structure, message=message)
            except IntegrityError as exc:  # a double click raced the check above
                raise ActionImpossible(_("Votre demande est déjà en attente de réponse.")) from exc
        for referent in _referents(structure):
            notifier(
                referent,
                _("%(nom)s demande à rejoindre « %(structure)s »")
                % {"nom": user.nom_public, "structure": structure.nom},
                message, url=reverse("comptes:mon_espace") + "#demandes", categorie="structures",
            )
    return adhesion


@transaction.atomic
def decider_adhesion(adhesion, par, accepter):
    """Accept or refuse a pending membership request and tell the person."""
    adhesion = Adhesion.objects.select_for_update().select_related("structure", "user").get(pk=adhesion.pk)
    if adhesion.statut != Adhesion.Statut.DEMANDEE:
        raise ActionImpossible(_("Cette demande a déjà reçu une réponse."))
    adhesion.statut = Adhesion.Statut.ACCEPTEE if accepter else Adhesion.Statut.REFUSEE
    adhesion.decide_le = timezone.now()
    adhesion.decide_par = par
    adhesion.save(update_fields=["statut", "decide_le", "decide_par"])
    if accepter:
        titre = _("Votre demande pour rejoindre « %(structure)s » a été acceptée")
    else:
        titre = _("Votre demande pour rejoindre « %(structure)s » n'a pas été acceptée")
    notifier(
        adhesion.user, titre % {"structure": adhesion.structure.nom},
        url=adhesion.structure.get_absolute_url(), categorie="structures",
    )
    return adhesion


@transaction.atomic
def quitter_structure(user, structure):
    adhesion = Adhesion.objects.filter(user=user, structure=structure, statut=Adhesion.Statut.ACCEPTEE).first()
    if adhesion is None:
        raise ActionImpossible(_("Vous n'êtes pas membre de cette structure."))
    if adhesion.role == Adhesion.Role.REFERENT and not structure.adhesions.filter(
        role=Adhesion.Role.REFERENT, statut=Adhesion.Statut.ACCEPTEE
    ).exclude(pk=adhesion.pk).exists():
        raise ActionImpossible(
            _("Vous êtes le ou la seule référent·e de cette structure : désignez d'abord une autre personne "
              "ou contactez le secrétariat.")
        )
    adhesion.delete()
