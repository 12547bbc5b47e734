"""The state machines of the séances app, described once (``conseil_ess/comptes/etats.py`` explains the form):
a séance, a scrutin, a procès-verbal. ``services`` and ``proces_verbal`` check them; the rules, the live
page and the admin read their named sets (``emargement_ouvert``…) instead of lists of states."""

from conseil_ess.comptes.etats import Machine, Passage

from .models import ProcesVerbal, Scrutin, Seance

G = "seances.gerer_seance"
St, Sc, Pv = Seance.Statut, Scrutin.Statut, ProcesVerbal.Statut

# preparation → ordre_du_jour_publie (publier_ordre_du_jour: at least one item) → en_cours (passer_au_point,
# ouvrir_scrutin) → terminee (terminer_seance closes and counts the open scrutin, withdraws the prepared ones;
# also straight from the earlier states).
SEANCE = Machine("seance", St, [
    Passage(St.PREPARATION, St.ORDRE_DU_JOUR_PUBLIE, G, ("un point à l'ordre du jour",)),
    Passage(St.ORDRE_DU_JOUR_PUBLIE, St.EN_COURS, G),
    Passage(St.PREPARATION, St.TERMINEE, G, ("scrutin ouvert clos et dépouillé", "scrutins préparés retirés")),
    Passage(St.ORDRE_DU_JOUR_PUBLIE, St.TERMINEE, G, ("scrutin ouvert clos et dépouillé",
                                                      "scrutins préparés retirés")),
    Passage(St.EN_COURS, St.TERMINEE, G, ("scrutin ouvert clos et dépouillé", "scrutins préparés retirés")),
],
    # Members check in (``seances.emarger``) and scrutins open only in these states.
    emargement_ouvert=[St.ORDRE_DU_JOUR_PUBLIE, St.EN_COURS],
    # The agenda may still change (``ajouter_point``).
    ordre_du_jour_modifiable=[St.PREPARATION, St.ORDRE_DU_JOUR_PUBLIE, St.EN_COURS],
    # The public sees the séance (``seances.voir``).
    publiee=[St.ORDRE_DU_JOUR_PUBLIE, St.EN_COURS, St.TERMINEE],
)

# prepare → ouvert (ouvrir_scrutin: the séance is open, no other scrutin open) → clos (clore_scrutin);
# a show of hands (saisir_resultat_manuel) closes a prepared or open scrutin with the counts entered;
# prepare → retire when the séance ends without voting it (terminer_seance).
SCRUTIN = Machine("scrutin", Sc, [
    Passage(Sc.PREPARE, Sc.OUVERT, G, ("séance ouverte", "aucun autre scrutin ouvert")),
    Passage(Sc.OUVERT, Sc.CLOS, G),
    Passage(Sc.PREPARE, Sc.CLOS, G, ("résultat à main levée",)),
    Passage(Sc.PREPARE, Sc.RETIRE, G, ("fin de la séance",)),
],
    # Members vote online (``seances.voter``) only in these states.
    vote_en_ligne=[Sc.OUVERT],
)

# The minutes: a draft, published, and withdrawn back to a draft.
PROCES_VERBAL = Machine("proces_verbal", Pv, [
    Passage(Pv.BROUILLON, Pv.PUBLIE, G),
    Passage(Pv.PUBLIE, Pv.BROUILLON, G),
])

MACHINES = (SEANCE, SCRUTIN, PROCES_VERBAL)
