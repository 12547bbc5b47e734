"""The state table of the invitations to carry a proposal (``InvitationPortage``); the proposals' own
lifecycle is ``workflow.REGLES``. Read by ``services.decider_invitation`` and ``tests/plateforme/test_etats.py``."""

from conseil_ess.comptes.etats import Machine, Passage

from .models import InvitationPortage

I = InvitationPortage.Etat  # noqa: E741

# Kept « à inviter » on a draft, invited when the author deposits it (``portage.inviter_au_depot``), then
# accepted or refused by a référent·e of the structure (once: the author may invite it again only
# by removing and naming it anew).
INVITATION = Machine("invitation_portage", I, [
    Passage(I.A_INVITER, I.INVITEE, "propositions.deposer_brouillon"),
    Passage(I.INVITEE, I.ACCEPTEE, "propositions.decider_portage"),
    Passage(I.INVITEE, I.REFUSEE, "propositions.decider_portage"),
], en_attente=[I.INVITEE])

MACHINES = (INVITATION,)
