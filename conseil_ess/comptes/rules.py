"""What each role may do: the single place that declares permissions of the comptes app.

Views check these with ``PermissionRequiredMixin`` / ``has_perm``; the permission matrix test in
``tests/test_permissions.py`` checks every URL against them for each role.
"""

import rules

from .predicates import (
    est_agent,
    est_connecte,
    est_elu,
    est_membre_structure,
    est_referent,
    est_referent_de_adhesion,
    est_soi_meme,
    est_titulaire_mandat,
    structure_publique,
)

# Personal space
rules.add_perm("comptes.acceder_espace", est_connecte)
# Structures
rules.add_perm("comptes.creer_structure", est_connecte)
rules.add_perm("comptes.voir_structure", structure_publique | est_membre_structure | est_agent)
rules.add_perm("comptes.modifier_structure", est_referent | est_agent)
rules.add_perm("comptes.demander_adhesion", est_connecte & structure_publique)
rules.add_perm("comptes.valider_structure", est_agent)
rules.add_perm("comptes.decider_adhesion", est_referent_de_adhesion | est_agent)
# Staff
rules.add_perm("comptes.voir_tableau_de_bord", est_agent | est_elu)
# Membership of the Conseil (the list of members is public): a logged-in acteur asks, the secrétariat decides.
rules.add_perm("comptes.demander_mandat", est_connecte)
rules.add_perm("comptes.decider_mandat", est_agent)
rules.add_perm("comptes.terminer_mandat", est_titulaire_mandat | est_agent)
# Personal data (``donnees_personnelles.py``): one's own export and erasure; the secrétariat erases an account
# on a request received by post (admin, with a motif).
rules.add_perm("comptes.exporter_donnees", est_soi_meme)
rules.add_perm("comptes.effacer_compte", est_soi_meme | est_agent)
rules.add_perm("comptes.effacer_comptes_sur_demande", est_agent)
# The register of processing in the admin (its CSV, for the data protection officer).
rules.add_perm("comptes.voir_registre_traitements", est_agent)
