"""What each role may do with events: the single place for the evenements app."""

import rules

from .predicates import (
    est_connecte,
    est_moderateur,
    est_organisateur,
    est_proposant,
    evenement_visible,
    gere_par_son_application,
    modifiable_par_proposant,
)
from .predicats_revisions import est_auteur_revision, evenement_publie, revision_en_attente

rules.add_perm("evenements.voir", evenement_visible | est_organisateur | est_moderateur)
rules.add_perm("evenements.proposer", est_connecte)
rules.add_perm("evenements.modifier", (est_proposant & modifiable_par_proposant) | est_moderateur)
rules.add_perm("evenements.moderer", est_moderateur)
rules.add_perm("evenements.importer", est_moderateur)
rules.add_perm("evenements.changer_statut", est_organisateur | est_moderateur | gere_par_son_application)
rules.add_perm("evenements.s_inscrire", est_connecte)

# Pending revisions of published events (issue 18, ``evenements.revisions``): an organiser proposes, its author
# sees and withdraws it, the moderators accept or refuse it (``evenements.moderer``).
rules.add_perm("evenements.reviser", est_organisateur & evenement_publie)
rules.add_perm("evenements.voir_revision", est_auteur_revision | est_moderateur)
rules.add_perm("evenements.retirer_revision", est_auteur_revision & revision_en_attente)
# Organisers see and manage their registrations (evenements/inscrits.py); the moderation team sees them in the
# admin already.
rules.add_perm("evenements.gerer_inscrits", est_organisateur | est_moderateur)
