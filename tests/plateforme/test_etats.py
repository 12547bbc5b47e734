"""Each state machine is described once (``etats.py`` of each app, ``workflow.REGLES`` for proposals): walk
every table, and check that the services refuse a transition the table does not hold."""

import pytest
import rules

from ateliers import etats as etats_ateliers
from conseil_ess.comptes import etats as etats_comptes
from conseil_ess.comptes.etats import Machine
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions import etats as etats_propositions
from conseil_ess.propositions import workflow
from conseil_ess.seances import etats as etats_seances
from evenements import etats as etats_evenements

MACHINES = [*etats_comptes.MACHINES, *etats_evenements.MACHINES, *etats_ateliers.MACHINES, *etats_propositions.MACHINES,
            *etats_seances.MACHINES]


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.nom)
def test_chaque_table_est_bien_formee(machine):
    etats = set(machine.choix.values)
    for passage in machine.passages:
        assert passage.de in etats and passage.vers in etats, passage
        assert passage.de != passage.vers, passage
        assert rules.perm_exists(passage.regle), f"{machine.nom} : la règle {passage.regle} n'existe pas"
    cles = [(p.de, p.vers) for p in machine.passages]
    assert len(cles) == len(set(cles)), "une transition décrite deux fois"
    for nom, ensemble in machine.ensembles.items():
        assert ensemble <= etats, nom


def test_chaque_transition_des_propositions_nomme_une_regle_existante():
    for (de, vers), regle in workflow.REGLES.items():
        assert rules.perm_exists(regle.regle), (de, vers, regle.regle)
    # Outside the table: refused whoever asks (the matrix of ``tests/propositions/test_workflow.py``).
    assert (workflow.Etat.BROUILLON, workflow.Etat.ADOPTEE) not in workflow.REGLES


def test_verifier_refuse_ce_que_la_table_ne_tient_pas():
    mandat = etats_comptes.MANDAT
    M = mandat.choix
    assert mandat.verifier(M.DEMANDE, M.VALIDE).regle == "comptes.decider_mandat"
    with pytest.raises(ActionImpossible, match="Impossible de passer de « Demande refusée » à « Membre »"):
        mandat.verifier(M.REFUSE, M.VALIDE)


def _sans(module, nom, de, vers):
    """Replace the table ``module.nom`` by a copy without ``de → vers`` (everywhere it was imported)."""
    machine = getattr(module, nom)
    reduite = Machine(machine.nom, machine.choix, [p for p in machine.passages if (p.de, p.vers) != (de, vers)],
                      **machine.ensembles)
    assert len(reduite.passages) == len(machine.passages) - 1
    return reduite


@pytest.mark.django_db
def test_les_services_des_seances_lisent_la_table(monkeypatch):
    from conseil_ess.seances import services
    from conseil_ess.seances.models import Scrutin, Seance
    from tests.seances.fabriques import seance_avec_scrutin

    seance, scrutin, agent = seance_avec_scrutin(ouvrir=False)
    monkeypatch.setattr(services, "SCRUTIN", _sans(etats_seances, "SCRUTIN",
                                                   Scrutin.Statut.PREPARE, Scrutin.Statut.OUVERT))
    with pytest.raises(ActionImpossible, match="Impossible de passer"):
        services.ouvrir_scrutin(scrutin, agent)
    monkeypatch.setattr(services, "SEANCE", _sans(etats_seances, "SEANCE",
                                                  Seance.Statut.ORDRE_DU_JOUR_PUBLIE, Seance.Statut.TERMINEE))
    with pytest.raises(ActionImpossible, match="Impossible de passer"):
        services.terminer_seance(seance, agent)
    scrutin.refresh_from_db()
    seance.refresh_from_db()
    assert (scrutin.statut, seance.statut) == (Scrutin.Statut.PREPARE, Seance.Statut.ORDRE_DU_JOUR_PUBLIE)


@pytest.mark.django_db
def test_les_services_de_l_agenda_lisent_la_table(monkeypatch):
    from evenements import services
    from evenements.models import Evenement
    from tests.conftest import creer_utilisateur
    from tests.evenements.fabriques import EvenementFactory

    P = Evenement.Publication
    evenement = EvenementFactory(publication=P.A_MODERER)
    monkeypatch.setattr(services, "PUBLICATION", _sans(etats_evenements, "PUBLICATION",
                                                       P.A_MODERER, P.PUBLIE))
    with pytest.raises(ActionImpossible, match="Impossible de passer"):
        services.publier(evenement, par=creer_utilisateur("agent"))
    evenement.refresh_from_db()
    assert evenement.publication == P.A_MODERER


@pytest.mark.django_db
def test_les_services_des_mandats_lisent_la_table(monkeypatch):
    from conseil_ess.comptes import services
    from conseil_ess.comptes.models import MembreConseil
    from tests.comptes.fabriques import MembreConseilFactory
    from tests.conftest import creer_utilisateur

    M = MembreConseil.Statut
    mandat = MembreConseilFactory(statut=M.DEMANDE)
    monkeypatch.setattr(services, "MANDAT", _sans(etats_comptes, "MANDAT", M.DEMANDE, M.VALIDE))
    with pytest.raises(ActionImpossible, match="Impossible"):
        services.valider_mandat_conseil(mandat, creer_utilisateur("agent"))
    mandat.refresh_from_db()
    assert mandat.statut == M.DEMANDE


@pytest.mark.django_db
def test_les_services_des_ateliers_lisent_la_table(monkeypatch):
    from ateliers import services
    from ateliers.models import Cycle
    from tests.ateliers.fabriques import CycleFactory
    from tests.conftest import creer_utilisateur

    cycle = CycleFactory(statut=Cycle.Statut.EN_COURS)
    monkeypatch.setattr(services, "CYCLE", _sans(etats_ateliers, "CYCLE",
                                                 Cycle.Statut.EN_COURS, Cycle.Statut.ARCHIVE))
    with pytest.raises(ActionImpossible, match="Impossible de passer"):
        services.archiver_cycle(cycle, creer_utilisateur("agent"))
    cycle.refresh_from_db()
    assert cycle.statut == Cycle.Statut.EN_COURS

