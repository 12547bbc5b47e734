"""The state machines of the ateliers, described once (``conseil_ess/comptes/etats.py`` explains the form):
membership of an atelier (participation), minutes, annual themes, cycles. ``services`` checks them."""

from conseil_ess.comptes.etats import Machine, Passage

from .models import CompteRendu, Cycle, Participation, ThematiqueAnnuelle

PS, CR, TH, CY = Participation.Statut, CompteRendu.Statut, ThematiqueAnnuelle.Statut, Cycle.Statut

# Joining: an open atelier accepts at once, one on request waits for its animateur·rice·s; a person who
# left or was refused may ask again; a member (or a pending request) leaves.
PARTICIPATION = Machine("participation", PS, [
    *[Passage(de, vers, "ateliers.rejoindre") for de in (PS.PARTIE, PS.REFUSEE) for vers in (PS.DEMANDEE, PS.ACCEPTEE)],
    Passage(PS.DEMANDEE, PS.ACCEPTEE, "ateliers.gerer"),
    Passage(PS.DEMANDEE, PS.REFUSEE, "ateliers.gerer"),
    Passage(PS.ACCEPTEE, PS.PARTIE, "ateliers.quitter"),
    Passage(PS.DEMANDEE, PS.PARTIE, "ateliers.quitter"),
], membre=[PS.ACCEPTEE], actives=[PS.ACCEPTEE, PS.DEMANDEE])

# Minutes: written as a draft, published once the meeting took place, withdrawn back to a draft.
COMPTE_RENDU = Machine("compte_rendu", CR, [
    Passage(CR.BROUILLON, CR.PUBLIE, "ateliers.gerer", ("réunion passée",)),
    Passage(CR.PUBLIE, CR.BROUILLON, "ateliers.gerer"),
], publie=[CR.PUBLIE])

# An annual theme: retained or not by a plenary vote (``seances``), or recorded by hand by the secrétariat.
THEMATIQUE = Machine("thematique", TH, [
    Passage(de, vers, "ateliers.administrer") for de in TH.values for vers in TH.values if de != vers
])

# A cycle (a year of ateliers): running, then archived for good.
CYCLE = Machine("cycle", CY, [Passage(CY.EN_COURS, CY.ARCHIVE, "ateliers.administrer")])

MACHINES = (PARTICIPATION, COMPTE_RENDU, THEMATIQUE, CYCLE)
