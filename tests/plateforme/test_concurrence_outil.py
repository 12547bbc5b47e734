"""The race helper waits for a PostgreSQL connection slot, and only for that."""

import pytest
from django.db import OperationalError, connection

from tests import concurrence

TROP = OperationalError('connection to server at "127.0.0.1" failed: FATAL:  sorry, too many clients already')


@pytest.fixture
def tentatives(monkeypatch):
    """Make ``ensure_connection`` raise the given errors in turn, then succeed; count the attempts."""
    appels = []

    def installer(*erreurs):
        file = list(erreurs)

        def ensure_connection():
            appels.append(1)
            if file:
                raise file.pop(0)

        monkeypatch.setattr(connection, "ensure_connection", ensure_connection)
        monkeypatch.setattr(connection, "close", lambda: None)
        return appels

    return installer


def test_attend_une_place_puis_se_connecte(tentatives):
    appels = tentatives(TROP, TROP)
    concurrence.connecter(attente=5, pause=0)
    assert len(appels) == 3


def test_une_autre_erreur_est_levee_sans_attendre(tentatives):
    appels = tentatives(OperationalError("password authentication failed"), TROP)
    with pytest.raises(OperationalError, match="password"):
        concurrence.connecter(attente=5, pause=0)
    assert len(appels) == 1


def test_au_dela_de_l_attente_l_erreur_remonte(tentatives):
    tentatives(*[TROP] * 1000)
    with pytest.raises(OperationalError, match="too many clients"):
        concurrence.connecter(attente=0, pause=0)


@pytest.mark.django_db(transaction=True)
def test_un_fil_qui_ne_peut_se_connecter_libere_les_autres(monkeypatch):
    """One thread failing to connect breaks the barrier: the others fail at once, nothing hangs."""
    import threading

    premier = threading.Lock()

    def connecter():
        if premier.acquire(blocking=False):
            raise OperationalError("password authentication failed")

    monkeypatch.setattr(concurrence, "connecter", connecter)
    resultats, erreurs = concurrence.en_meme_temps([(lambda: "fait",) for _ in range(5)])
    assert sum(isinstance(e, OperationalError) for e in erreurs) == 1
    assert sum(isinstance(e, threading.BrokenBarrierError) for e in erreurs) == 4
    assert resultats == [None] * 5


@pytest.mark.django_db(transaction=True)
def test_tous_les_appels_partent_ensemble():
    resultats, erreurs = concurrence.en_meme_temps([(pow, 2, n) for n in range(6)])
    assert erreurs == [None] * 6
    assert resultats == [1, 2, 4, 8, 16, 32]
