"""The key django-rules rules, role by role: voting, running a séance, moderation, follow-up, two-factor.

The routes are checked role by role in ``tests/test_permissions.py``; here each rule is asked directly,
with the object it takes, so that a rule that drifts shows here first.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from conseil_ess.comptes.models import Adhesion
from conseil_ess.comptes.predicates import mfa_manquante
from conseil_ess.propositions.models import Etat, InvitationPortage
from conseil_ess.seances import services as seances
from conseil_ess.seances.models import Scrutin
from conseil_ess.seances.rules import peut_voter
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.factories import AdhesionFactory
from tests.propositions.fabriques import PropositionFactory
from tests.seances.fabriques import membre_en_exercice, presents, seance_avec_scrutin

pytestmark = pytest.mark.django_db

ROLES = ["anonyme", "acteur", "auteur", "membre", "membre_emarge", "animateur", "agent", "elu"]

# rule → the roles that hold it on the objects built below (anything else must not).
ATTENDU = {
    "seances.voter": {"membre_emarge"},
    "seances.gerer_seance": {"agent"},
    "seances.voir_emargements": {"agent", "elu"},
    "seances.voir_proces_verbal_brouillon": {"agent", "elu"},
    "evenements.moderer": {"agent"},
    "evenements.importer": {"agent"},
    "evenements.modifier": {"agent", "auteur"},
    # Its organisers (here the person who proposed it) and the moderation team see who registered.
    "evenements.gerer_inscrits": {"agent", "auteur"},
    "propositions.instruire": {"agent"},
    "propositions.tableau_de_bord": {"agent", "elu"},
    "propositions.voir_notes_internes": {"agent", "elu"},
    "propositions.engager_mise_en_oeuvre": {"agent", "elu"},
    "propositions.deposer_brouillon": {"auteur"},
    "propositions.retirer": {"auteur"},
    "propositions.ajouter_suivi": {"agent", "auteur"},
    # Only a référent·e of the invited structure (the "acteur" here) answers an invitation to carry a proposal.
    "propositions.decider_portage": {"acteur"},
    "comptes.decider_mandat": {"agent"},
    "comptes.voir_registre_traitements": {"agent"},
    "comptes.voir_tableau_de_bord": {"agent", "elu"},
    # Personal data: one's own export and erasure (on the "auteur"'s account), the secrétariat's erasure on
    # request, the end of a mandate (the "membre"'s) when an account is erased.
    "comptes.exporter_donnees": {"auteur"},
    "comptes.effacer_compte": {"auteur", "agent"},
    "comptes.effacer_comptes_sur_demande": {"agent"},
    "comptes.terminer_mandat": {"membre", "agent"},
}


@pytest.fixture
def monde():
    agent = creer_utilisateur("agent")
    seance, scrutin, _ = seance_avec_scrutin(agent)
    emarge = presents(seance, 1, agent)[0]
    personnes = {
        "anonyme": AnonymousUser(),
        "acteur": creer_utilisateur("acteur"),
        "auteur": creer_utilisateur("acteur"),
        "membre": membre_en_exercice(),
        "membre_emarge": emarge,
        "animateur": creer_utilisateur("animateur"),
        "agent": agent,
        "elu": creer_utilisateur("elu"),
    }
    proposition = PropositionFactory(auteur=personnes["auteur"], etat=Etat.DEPOSEE, reference="P-2026-900")
    evenement = EvenementFactory(propose_par=personnes["auteur"])
    objets = {"seances": seance, "propositions": proposition, "evenements": evenement, "comptes": None}
    objets["seances.voter"] = scrutin
    invitee = AdhesionFactory(user=personnes["acteur"], role=Adhesion.Role.REFERENT).structure
    AdhesionFactory(user=personnes["membre"], structure=invitee)  # a simple member does not answer
    objets["propositions.decider_portage"] = InvitationPortage.objects.create(proposition=proposition,
                                                                            structure=invitee)
    objets["comptes.exporter_donnees"] = objets["comptes.effacer_compte"] = personnes["auteur"]
    objets["comptes.terminer_mandat"] = personnes["membre"].mandats_conseil.get()
    return personnes, objets


@pytest.mark.parametrize("regle", sorted(ATTENDU))
def test_matrice_role_regle(monde, regle):
    personnes, objets = monde
    assert rules.perm_exists(regle)
    objet = objets.get(regle, objets[regle.split(".")[0]])
    accordes = {role for role in ROLES if rules.has_perm(regle, personnes[role], objet)}
    assert accordes == ATTENDU[regle]


def test_voter_une_seule_regle(monde):
    personnes, objets = monde
    scrutin = objets["seances.voter"]
    emarge = personnes["membre_emarge"]
    assert peut_voter(emarge, scrutin)
    # The same rule closes with the scrutin, and for a show of hands.
    assert not peut_voter(emarge, Scrutin(pk=scrutin.pk, seance_id=scrutin.seance_id, statut=Scrutin.Statut.CLOS))
    assert not peut_voter(emarge, Scrutin(pk=scrutin.pk, seance_id=scrutin.seance_id, statut=Scrutin.Statut.OUVERT,
                                          saisie_manuelle=True))
    # A superuser who is not a checked-in member does not vote (no superuser shortcut).
    chef = creer_utilisateur("agent", is_superuser=True)
    assert chef.has_perm("seances.voter", scrutin) and not peut_voter(chef, scrutin)
    assert not peut_voter(None, scrutin)


def test_le_service_de_vote_demande_la_regle(monde, monkeypatch):
    personnes, objets = monde
    monkeypatch.setattr(seances, "peut_voter", lambda user, scrutin: False)
    with pytest.raises(seances.ActionImpossible):
        seances.voter(objets["seances.voter"], personnes["membre_emarge"], "pour")


def test_les_services_des_seances_demandent_gerer_seance(monde):
    personnes, objets = monde
    for role in ("acteur", "membre_emarge", "elu", "animateur"):
        with pytest.raises(seances.ActionImpossible, match="Seul le secrétariat"):
            seances.terminer_seance(objets["seances"], personnes[role])


@pytest.mark.parametrize(("role", "mfa", "manquante"), [
    ("acteur", False, False), ("membre", False, False), ("agent", False, True), ("agent", True, False),
    ("elu", False, True), ("elu", True, False),
])
def test_double_authentification_une_seule_regle(role, mfa, manquante):
    assert mfa_manquante(creer_utilisateur(role, mfa=mfa)) is manquante
    assert not mfa_manquante(AnonymousUser())
