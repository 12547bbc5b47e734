"""References stay unique and consecutive under simultaneous submissions (PostgreSQL only).

``workflow.changer_etat`` locks the proposal and draws the number from the year's ``CompteurReference``
row under ``select_for_update``; the unique constraint on ``reference`` backs the lock. SQLite
serialises every writer and could prove nothing: these tests run in CI's second pass.
"""

import pytest
from django.db import connection

from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions import workflow
from conseil_ess.propositions.models import CompteurReference, Etat, Proposition, Transition
from tests.concurrence import en_meme_temps

from .fabriques import PropositionFactory

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
