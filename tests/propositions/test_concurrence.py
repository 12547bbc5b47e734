"""Races on proposals, with real simultaneous requests (PostgreSQL only).

- References stay unique and consecutive under simultaneous submissions: ``workflow.changer_etat`` locks
  the proposal and draws the number from the year's ``CompteurReference`` row under ``select_for_update``;
  the unique constraint on ``reference`` backs the lock.
- The author's edit (``services.enregistrer``) never undoes a transition committed meanwhile: it reads the
  state on the locked row and writes only the author's columns; the negative control removes the lock.
SQLite serialises every writer and could prove nothing: these tests run in CI's second pass.
"""

import threading
import time

import pytest
from django.db import connection

from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions import services, workflow
from conseil_ess.propositions.models import CompteurReference, Etat, Proposition, Transition
from tests.concurrence import en_meme_temps
from tests.conftest import creer_utilisateur

from .fabriques import PropositionFactory, proposition_en

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="Concurrence : PostgreSQL requis (DATABASE_URL=postgres://…) ; 2e passe de CI"),
    pytest.mark.django_db(transaction=True),
]
DEPOTS = 30


def test_trente_depots_simultanes_recoivent_trente_references_consecutives():
    brouillons = [PropositionFactory() for _ in range(DEPOTS)]
    assert not CompteurReference.objects.exists()  # the year's counter row is created in the race too

    resultats, erreurs = en_meme_temps([(workflow.changer_etat, p, Etat.DEPOSEE, p.auteur) for p in brouillons])

    assert erreurs == [None] * DEPOTS
    references = sorted(Proposition.objects.values_list("reference", flat=True))
    annee = resultats[0].le.year
    assert references == [f"P-{annee}-{n:03d}" for n in range(1, DEPOTS + 1)]
    assert CompteurReference.objects.get(annee=annee).dernier == DEPOTS
    assert Transition.objects.filter(vers=Etat.DEPOSEE).count() == DEPOTS


def test_un_meme_brouillon_depose_dix_fois_a_la_fois_ne_l_est_qu_une_fois():
    brouillon = PropositionFactory()

    _resultats, erreurs = en_meme_temps([(workflow.changer_etat, brouillon, Etat.DEPOSEE, brouillon.auteur)] * 10)

    assert sum(e is None for e in erreurs) == 1
    assert all(isinstance(e, ActionImpossible) for e in erreurs if e is not None)
    brouillon.refresh_from_db()
    assert brouillon.etat == Etat.DEPOSEE
    assert brouillon.transitions.count() == 1
    assert CompteurReference.objects.get().dernier == 1


def _instruction_lente(monkeypatch):
    """Make ``changer_etat`` hold its lock a moment after writing the new state (a slower server), and
    return the event set once the state is written (not yet committed)."""
    ecrite = threading.Event()
    prevenir = workflow._prevenir

    def prevenir_lentement(*args):
        prevenir(*args)
        ecrite.set()
        time.sleep(0.5)

    monkeypatch.setattr(workflow, "_prevenir", prevenir_lentement)
    return ecrite


def _edition_pendant(ecrite, edition, auteur):
    def editer():
        assert ecrite.wait(timeout=30)
        return services.enregistrer(edition, auteur)

    return editer


def test_une_transition_validee_pendant_l_edition_de_l_auteur_survit(monkeypatch):
    p = proposition_en(Etat.DEPOSEE, titre="Titre d'origine")
    agent = creer_utilisateur("agent")
    edition = Proposition.objects.get(pk=p.pk)  # the author's form, opened while the proposal is submitted
    edition.titre = "Titre corrigé"
    ecrite = _instruction_lente(monkeypatch)

    _resultats, erreurs = en_meme_temps([
        (workflow.changer_etat, p, Etat.EN_INSTRUCTION, agent),
        (_edition_pendant(ecrite, edition, p.auteur),),
    ])

    assert erreurs[0] is None
    assert isinstance(erreurs[1], ActionImpossible) and "ne peut plus être modifiée" in str(erreurs[1])
    p.refresh_from_db()
    assert (p.etat, p.titre) == (Etat.EN_INSTRUCTION, "Titre d'origine")
    assert p.transitions.last().vers == Etat.EN_INSTRUCTION


def test_sans_le_verrou_l_edition_passe_apres_l_instruction(monkeypatch):
    """Negative control: read without ``select_for_update``, the state is the one before the transition's
    commit, so the author's edit is accepted on a proposal already in instruction."""
    monkeypatch.setattr(services, "_verrouiller", lambda p: Proposition.objects.get(pk=p.pk))
    p = proposition_en(Etat.DEPOSEE, titre="Titre d'origine")
    edition = Proposition.objects.get(pk=p.pk)
    edition.titre = "Titre corrigé"
    ecrite = _instruction_lente(monkeypatch)

    _resultats, erreurs = en_meme_temps([
        (workflow.changer_etat, p, Etat.EN_INSTRUCTION, creer_utilisateur("agent")),
        (_edition_pendant(ecrite, edition, p.auteur),),
    ])

    assert erreurs == [None, None], "la course aurait dû laisser passer l'édition sans le verrou"
    p.refresh_from_db()
    assert (p.etat, p.titre) == (Etat.EN_INSTRUCTION, "Titre corrigé")
