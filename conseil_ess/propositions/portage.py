"""The co-carrier structures a proposal's author names (``InvitationPortage``, states in ``etats.INVITATION``).

A structure the author is a member of carries the proposal at once; any other is *invited*. While the proposal
is a draft, nobody is told: the wished structures wait « à inviter au dépôt »; the deposit
(``workflow.changer_etat`` to « déposée ») sends the invitations, and only then are the référent·e·s notified.
Kept apart from ``services`` so that ``workflow`` can call ``inviter_au_depot`` (``services`` imports ``workflow``).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.models import Adhesion
from conseil_ess.comptes.notifications import notifier

from . import etats
from .models import Etat, InvitationPortage

CATEGORIE_PORTAGE = "portage_propositions"
I = InvitationPortage.Etat  # noqa: E741


def _membre_de(par, structure_ids):
    if par is None or not structure_ids:
        return set()
    return set(Adhesion.objects.filter(user=par, statut=Adhesion.Statut.ACCEPTEE, structure_id__in=list(structure_ids))
               .values_list("structure_id", flat=True))


def nommer_porteurs(proposition, structures, par):
    """Make ``structures`` the carriers the author ``par`` wants for ``proposition``.

    A structure ``par`` is a member of carries it at once; any other is *invited* (``InvitationPortage``, its
    référent·e·s notified) and carries it only once one of them accepts; on a draft, it is only kept « à inviter
    au dépôt » (nobody told before the deposit, ``inviter_au_depot``). A structure no longer named stops
    carrying it (its invitation, whatever its state, is removed); a refused invitation stays refused.
    Return the invitations sent now.
    """
    voulues = {s.pk: s for s in structures}
    membres = _membre_de(par, voulues)
    actuelles = set(proposition.structures.values_list("pk", flat=True))
    invitees = set(proposition.invitations_portage.values_list("structure_id", flat=True))
    retirees = (actuelles | invitees) - set(voulues)
    if retirees:
        proposition.structures.remove(*(actuelles & retirees))
        proposition.invitations_portage.filter(structure_id__in=retirees).delete()
    directes = (membres | actuelles) & set(voulues)
    if directes - actuelles:
        proposition.structures.add(*(directes - actuelles))
    brouillon = proposition.etat == Etat.BROUILLON
    nouvelles = [InvitationPortage.objects.create(proposition=proposition, structure=voulues[pk], invite_par=par,
                                                  etat=I.A_INVITER if brouillon else I.INVITEE)
                 for pk in sorted(set(voulues) - directes - invitees)]
    if brouillon:
        return []
    for invitation in nouvelles:
        _prevenir_referents(proposition, invitation, par)
    return nouvelles


def inviter_au_depot(proposition, par):
    """At the deposit: the structures kept « à inviter » become invited and their référent·e·s are told (those
    the author has joined since carry it at once). Return the invitations sent."""
    attente = list(proposition.invitations_portage.filter(etat=I.A_INVITER).select_related("structure"))
    membres = _membre_de(par, {i.structure_id for i in attente})
    envoyees = []
    for invitation in attente:
        if invitation.structure_id in membres:
            proposition.structures.add(invitation.structure)
            invitation.delete()
            continue
        etats.INVITATION.verifier(invitation.etat, I.INVITEE)
        invitation.etat, invitation.cree_le = I.INVITEE, timezone.now()
        invitation.save(update_fields=["etat", "cree_le"])
        _prevenir_referents(proposition, invitation, par)
        envoyees.append(invitation)
    return envoyees


def _prevenir_referents(proposition, invitation, par):
    consigner(proposition, "conseil.proposition.portage_invite", par, structure=invitation.structure.nom)
    referents = (invitation.structure.adhesions.filter(role=Adhesion.Role.REFERENT, statut=Adhesion.Statut.ACCEPTEE)
                 .select_related("user"))
    for adhesion in referents:
        notifier(adhesion.user, _("Invitation à porter une proposition"),
                 _("%(structure)s est invitée à porter la proposition « %(titre)s ». Acceptez ou refusez "
                   "depuis « Mon espace ».") % {"structure": invitation.structure.nom, "titre": proposition.titre},
                 url=reverse("comptes:mon_espace"), categorie=CATEGORIE_PORTAGE, courriel=True)
