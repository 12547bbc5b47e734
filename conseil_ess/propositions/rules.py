"""What each role may do with proposals: the single place for the propositions app.

State changes are further checked, transition by transition, by ``workflow.REGLES``: each transition
names one of the rules below (``propositions.deposer_brouillon``, ``propositions.retirer``,
``propositions.instruire``, ``propositions.engager_mise_en_oeuvre``).
"""

import rules

from .predicates import (
    est_agent,
    est_auteur,
    est_connecte,
    est_elu,
    est_publique,
    est_referent_invite,
    est_responsable,
    modifiable_par_l_auteur,
    pleniere_passee,
    suivi_ouvert,
)

rules.add_perm("propositions.deposer", est_connecte)
rules.add_perm("propositions.voir", est_publique | est_auteur | est_agent)
rules.add_perm("propositions.modifier", est_auteur & modifiable_par_l_auteur)
rules.add_perm("propositions.suivre", est_connecte & est_publique)
# The secrétariat's work: instruction, notes, follow-up, indicators (élu·e·s read the dashboard).
rules.add_perm("propositions.instruire", est_agent)
rules.add_perm("propositions.voir_notes_internes", est_agent | est_elu)
rules.add_perm("propositions.ajouter_suivi", est_agent | est_responsable | est_auteur)
rules.add_perm("propositions.tableau_de_bord", est_agent | est_elu)
# Follow-up points, progress and indicator values from the engagement page, once adopted: the élu·e in
# charge of the implementation (still an élu·e) and the secrétariat (``views_suivi.avancement``).
rules.add_perm("propositions.enregistrer_avancement", (est_agent | (est_elu & est_responsable)) & suivi_ouvert)
# Workflow transitions (``workflow.REGLES``): the author submits the draft and may withdraw it; the
# secrétariat instructs (``propositions.instruire``); an élu·e or the secrétariat takes the engagement.
rules.add_perm("propositions.deposer_brouillon", est_auteur)
rules.add_perm("propositions.retirer", est_auteur)
rules.add_perm("propositions.engager_mise_en_oeuvre", est_agent | est_elu)
# A proposal whose plenary went by without a decision: the secrétariat inscribes it at another one.
rules.add_perm("propositions.reinscrire_pleniere", est_agent & pleniere_passee)
# The person named as responsible élu·e in the engagement form: any élu·e when the secrétariat acts.
rules.add_perm("propositions.designer_tout_elu", est_agent)
# An invited co-carrier structure: one of its référent·e·s accepts or refuses (``etats.INVITATION``).
rules.add_perm("propositions.decider_portage", est_referent_invite)
