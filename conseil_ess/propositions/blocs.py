"""The proposals' blocks on lower apps' pages, registered by ``PropositionsConfig.ready()``: « Mon espace »
(comptes) and an atelier's page (ateliers)."""

from conseil_ess.comptes.models import Adhesion
from conseil_ess.prechargement import instances_filtrees

from .models import Abonnement, Etat, InvitationPortage, Proposition


def mes_propositions(context):
    """Return the context of the proposals block of « Mon espace »: mine (drafts included) and those I follow."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"user": user}
    miennes = Proposition.objects.filter(auteur=user).order_by("-modifie_le", "-pk")
    suivies = (
        Abonnement.objects.filter(user=user).exclude(proposition__etat=Etat.BROUILLON)
        .select_related("proposition").order_by("-proposition__etat_depuis", "-pk")
    )
    return {"user": user, "miennes": list(miennes), "suivies": [a.proposition for a in suivies]}


def invitations_portage(context):
    """Return the context of the block of « Mon espace » listing the invitations to carry a proposal that the
    structures I am a référent·e of have to answer (one query)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"invitations": []}
    invitations = list(
        InvitationPortage.objects.filter(
            etat=InvitationPortage.Etat.INVITEE, structure__adhesions__user=user,
            structure__adhesions__role=Adhesion.Role.REFERENT, structure__adhesions__statut=Adhesion.Statut.ACCEPTEE,
        ).select_related("structure", "proposition", "invite_par").order_by("cree_le", "pk")
    )
    return {"invitations": invitations}


def propositions_de_l_atelier(context):
    """Return the context of the block of an atelier's page: the public proposals it works on (one query)."""
    atelier = context["atelier"]
    # A written query around the ORM's WHERE: compiling the whole query cost a tenth of the atelier's page.
    propositions = instances_filtrees(
        Proposition.objects.publiques().filter(atelier=atelier), ("reference", "titre", "etat", "etat_depuis"),
        ("-etat_depuis", "-pk"),
    )
    return {"atelier": atelier, "propositions": propositions}
