"""One vote per voter under simultaneous requests (PostgreSQL only).

``services.voter`` locks the scrutin row (``select_for_update``) and the unique constraints on
``Bulletin`` / ``Participation`` back the lock. SQLite serialises every writer and could prove nothing:
these tests run in CI's second pass. 200 voters share a pool of threads (each with its own connection,
all released at once) so the test stays under PostgreSQL's connection limit.
"""

import pytest
from django.db import connection

from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.seances import decompte, services
from conseil_ess.seances.models import Bulletin, BulletinSecret, Participation, Scrutin
from tests.concurrence import en_meme_temps

from .fabriques import presents, seance_avec_scrutin, version

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="Concurrence : PostgreSQL requis (DATABASE_URL=postgres://…) ; 2e passe de CI"),
    pytest.mark.django_db(transaction=True),
]
FILS = 25
CHOIX = ["pour", "contre", "abstention"]


def en_meme_temps_par_fils(appels, fils=FILS):
    """Run ``appels`` from ``fils`` threads released at once (each thread runs its share in turn).

    Return the exceptions, in the order of ``appels``.
    """
    parts = [list(range(i, len(appels), fils)) for i in range(fils)]

    def executer(indices):
        erreurs = {}
        for i in indices:
            fonction, *args = appels[i]
            try:
                fonction(*args)
            except Exception as exc:  # noqa: BLE001 - collected for the assertions
                erreurs[i] = exc
        return erreurs

    resultats, erreurs = en_meme_temps([(executer, indices) for indices in parts if indices])
    assert erreurs == [None] * len(erreurs)
    toutes = {}
    for r in resultats:
        toutes.update(r)
    return [toutes.get(i) for i in range(len(appels))]


@pytest.mark.parametrize("secret", [False, True], ids=["public", "secret"])
def test_vingt_votes_simultanes_du_meme_membre_un_seul_compte(secret):
    seance, scrutin, agent = seance_avec_scrutin(secret=secret)
    (membre,) = presents(seance, 1, agent)
    v0 = version(seance)

    _resultats, erreurs = en_meme_temps([(services.voter, scrutin, membre, CHOIX[i % 3]) for i in range(20)])

    assert sum(e is None for e in erreurs) == 1
    assert all(isinstance(e, ActionImpossible) and "déjà voté" in str(e) for e in erreurs if e is not None)
    if secret:
        assert (Participation.objects.count(), BulletinSecret.objects.count()) == (1, 1)
    else:
        assert Bulletin.objects.filter(scrutin=scrutin, votant=membre).count() == 1
    assert version(seance) == v0 + 1
    services.clore_scrutin(scrutin, agent)
    scrutin.refresh_from_db()
    assert scrutin.pour + scrutin.contre + scrutin.abstention == 1


@pytest.mark.parametrize("secret", [False, True], ids=["public", "secret"])
def test_deux_cents_membres_votent_en_meme_temps_deux_cents_voix(secret):
    seance, scrutin, agent = seance_avec_scrutin(secret=secret)
    membres = presents(seance, 200, agent)
    v0 = version(seance)

    erreurs = en_meme_temps_par_fils([(services.voter, scrutin, m, CHOIX[i % 3]) for i, m in enumerate(membres)])

    assert erreurs == [None] * 200
    assert decompte.nombre_votants(scrutin) == 200
    assert version(seance) == v0 + 200
    services.clore_scrutin(scrutin, agent)
    scrutin.refresh_from_db()
    assert (scrutin.pour, scrutin.contre, scrutin.abstention) == (67, 67, 66)
    assert scrutin.statut == Scrutin.Statut.CLOS


def test_vote_et_cloture_simultanes_aucune_voix_apres_la_cloture():
    seance, scrutin, agent = seance_avec_scrutin()
    membres = presents(seance, 30, agent)

    appels = [(services.voter, scrutin, m, "pour") for m in membres] + [(services.clore_scrutin, scrutin, agent)]
    erreurs = en_meme_temps_par_fils(appels, fils=10)

    assert erreurs[-1] is None
    refuses = [e for e in erreurs[:-1] if e is not None]
    assert all(isinstance(e, ActionImpossible) and "clos" in str(e) for e in refuses)
    scrutin.refresh_from_db()
    # What was counted at closing is exactly what was recorded: no ballot slipped in after.
    assert scrutin.pour == Bulletin.objects.filter(scrutin=scrutin).count() == 30 - len(refuses)
