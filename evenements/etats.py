"""The state machines of the agenda, described once (``conseil_ess/comptes/etats.py`` explains the form):
an event's publication (moderation) and its status. ``services`` checks them."""

from conseil_ess.comptes.etats import Machine, Passage

from .models import Evenement

P, S = Evenement.Publication, Evenement.Statut
MODERER = "evenements.moderer"

# brouillon → a_moderer (soumettre, by whoever may edit it) → publie | modifications | refuse (the moderators);
# a published event edited by its proposer goes back to moderation; a refused one is never submitted again.
PUBLICATION = Machine("publication", P, [
    *[Passage(de, P.A_MODERER, "evenements.modifier") for de in (P.BROUILLON, P.MODIFICATIONS, P.PUBLIE)],
    *[Passage(de, P.PUBLIE, MODERER) for de in (P.BROUILLON, P.A_MODERER, P.MODIFICATIONS, P.REFUSE)],
    *[Passage(de, P.MODIFICATIONS, MODERER, ("message",)) for de in (P.BROUILLON, P.A_MODERER, P.PUBLIE, P.REFUSE)],
    *[Passage(de, P.REFUSE, MODERER, ("message",)) for de in (P.BROUILLON, P.A_MODERER, P.MODIFICATIONS, P.PUBLIE)],
],
    # What « publier en masse » publishes.
    en_attente=[P.BROUILLON, P.A_MODERER, P.MODIFICATIONS],
    visible=[P.PUBLIE],
)

# The status of a published event: any status to any other, by its organisers or the moderators; a
# cancellation or a postponement needs a public reason, tells the registered people and closes registration.
STATUT = Machine("statut", S, [
    Passage(de, vers, "evenements.changer_statut", ("motif",) if vers in (S.ANNULE, S.REPORTE) else ())
    for de in S.values for vers in S.values if de != vers
],
    inscriptions_fermees=[S.ANNULE, S.REPORTE],
)

MACHINES = (PUBLICATION, STATUT)
