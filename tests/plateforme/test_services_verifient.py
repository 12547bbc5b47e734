"""The services check who acts themselves (the rule of the action), whatever called them: a view, the
admin, a command. Here each is called directly by someone the rule does not allow."""

import pytest

from ateliers import services as services_ateliers
from ateliers.models import Participation
from conseil_ess.comptes import services as services_comptes
from conseil_ess.comptes.models import Adhesion, Structure
from conseil_ess.comptes.services import ActionImpossible
from evenements import services as services_agenda
from evenements.models import Evenement
from tests.ateliers.fabriques import AtelierFactory, ParticipationFactory
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.factories import AdhesionFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("par", [None, "acteur", "elu"])
def test_moderer_un_evenement(par):
    personne = creer_utilisateur(par) if par else None
    evenement = EvenementFactory(publication=Evenement.Publication.A_MODERER)
    with pytest.raises(ActionImpossible, match="Seule l'équipe de modération publie un événement."):
        services_agenda.publier(evenement, par=personne)
    with pytest.raises(ActionImpossible, match="Seule l'équipe de modération répond à une proposition."):
        services_agenda.refuser(evenement, par=personne, message="Non.")
    evenement.refresh_from_db()
    assert evenement.publication == Evenement.Publication.A_MODERER
    assert services_agenda.publier(evenement, par=creer_utilisateur("agent")).publication == "publie"


def test_soumettre_l_evenement_d_une_autre_personne():
    evenement = EvenementFactory(publication=Evenement.Publication.BROUILLON, propose_par=creer_utilisateur("acteur"))
    with pytest.raises(ActionImpossible, match="Vous ne pouvez pas soumettre cet événement."):
        services_agenda.soumettre(evenement, par=creer_utilisateur("acteur"))
    assert services_agenda.soumettre(evenement, par=evenement.propose_par).publication == "a_moderer"


def test_valider_ou_refuser_une_structure():
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    referent = creer_utilisateur("acteur")
    AdhesionFactory(user=referent, structure=structure, role=Adhesion.Role.REFERENT)
    with pytest.raises(ActionImpossible, match="Seul le secrétariat valide une structure."):
        services_comptes.valider_structure(structure, par=referent)
    with pytest.raises(ActionImpossible, match="Seul le secrétariat refuse une structure."):
        services_comptes.refuser_structure(structure, par=referent, motif="Non.")
    assert services_comptes.valider_structure(structure, par=creer_utilisateur("agent")).statut == "validee"


def test_decider_d_une_adhesion():
    demande = AdhesionFactory(statut=Adhesion.Statut.DEMANDEE)
    with pytest.raises(ActionImpossible, match="référent·e·s de la structure et le secrétariat"):
        services_comptes.decider_adhesion(demande, par=creer_utilisateur("acteur"), accepter=True)
    referent = creer_utilisateur("acteur")
    AdhesionFactory(user=referent, structure=demande.structure, role=Adhesion.Role.REFERENT)
    assert services_comptes.decider_adhesion(demande, par=referent, accepter=True).statut == "acceptee"


def test_decider_d_une_participation():
    animatrice = creer_utilisateur("animateur")
    atelier = AtelierFactory(animateurs=[animatrice])
    demande = ParticipationFactory(atelier=atelier, statut=Participation.Statut.DEMANDEE)
    with pytest.raises(ActionImpossible, match="Seule l'animation de l'atelier et le secrétariat"):
        services_ateliers.decider_participation(demande, creer_utilisateur("acteur"), accepter=True)
    assert services_ateliers.decider_participation(demande, animatrice, accepter=True).statut == "acceptee"


def test_changer_le_statut_d_un_evenement():
    evenement = EvenementFactory()
    with pytest.raises(ActionImpossible, match="Seules les personnes qui organisent cet événement"):
        services_agenda.changer_statut(evenement, Evenement.Statut.COMPLET, par=creer_utilisateur("acteur"))
    assert services_agenda.changer_statut(evenement, Evenement.Statut.COMPLET,
                                          par=evenement_propose_par(evenement)).statut == "complet"


def evenement_propose_par(evenement):
    """The person who proposed ``evenement`` (an organiser), created for the test."""
    personne = creer_utilisateur("acteur")
    Evenement.objects.filter(pk=evenement.pk).update(propose_par=personne)
    evenement.refresh_from_db()
    return personne


def test_l_animation_d_un_atelier_annule_sa_reunion_par_le_service_de_l_agenda():
    from tests.ateliers.fabriques import creer_reunion

    animatrice, autre = creer_utilisateur("animateur"), creer_utilisateur("animateur")
    atelier = AtelierFactory(animateurs=[animatrice])
    reunion = creer_reunion(atelier)
    assert autre.has_perm("evenements.changer_statut", reunion.evenement) is False
    assert animatrice.has_perm("evenements.changer_statut", reunion.evenement) is True
    services_ateliers.annuler_reunion(reunion, animatrice, "Salle fermée.")
    reunion.evenement.refresh_from_db()
    assert reunion.evenement.statut == Evenement.Statut.ANNULE
