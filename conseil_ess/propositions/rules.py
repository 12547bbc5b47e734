"""What each role may do with proposals: the single place for the propositions app.

State changes are further checked, transition by transition, by ``workflow.REGLES``.
"""

import rules

from conseil_ess.comptes.predicates import est_agent, est_connecte, est_elu


@rules.predicate
def est_auteur(user, proposition):
    return proposition is not None and user.is_authenticated and proposition.auteur_id == user.pk


@rules.predicate
def est_publique(user, proposition):
    return proposition is not None and proposition.etat != "brouillon"


@rules.predicate
def modifiable_par_l_auteur(user, proposition):
    return proposition is not None and proposition.etat in ("brouillon", "deposee")


@rules.predicate
def est_responsable(user, proposition):
    return proposition is not None and user.is_authenticated and proposition.responsable_elu_id == user.pk


rules.add_perm("propositions.deposer", est_connecte)
rules.add_perm("propositions.voir", est_publique | est_auteur | est_agent)
rules.add_perm("propositions.modifier", est_auteur & modifiable_par_l_auteur)
rules.add_perm("propositions.suivre", est_connecte & est_publique)
# The secrétariat's work: instruction, notes, follow-up, indicators (élu·e·s read the dashboard).
rules.add_perm("propositions.instruire", est_agent)
rules.add_perm("propositions.voir_notes_internes", est_agent | est_elu)
rules.add_perm("propositions.ajouter_suivi", est_agent | est_responsable | est_auteur)
rules.add_perm("propositions.tableau_de_bord", est_agent | est_elu)
