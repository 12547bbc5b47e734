"""The WSGI application freezes the objects that live as long as the worker (conseil_ess/ramasse_miettes.py)."""

import gc
import weakref

import pytest

from conseil_ess.ramasse_miettes import GelDuTas


@pytest.fixture
def sans_gel():
    """Start with nothing frozen, and give the frozen objects back to the collector afterwards (the test process
    keeps collecting them)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def _application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def _requete(application):
    return application({}, lambda statut, entetes: None)


def test_gele_une_fois_charge_puis_avant_les_requetes_des_paliers_seulement(sans_gel):
    application = GelDuTas(_application, paliers=(3, 5))
    assert gc.get_freeze_count() > 0  # frozen once loaded
    gardes, comptes = [], []
    for _ in range(6):
        gardes.append([[i] for i in range(1000)])  # kept alive: to be frozen at the next palier
        avant = gc.get_freeze_count()
        assert _requete(application) == [b"ok"]
        comptes.append(gc.get_freeze_count() - avant)
    assert application.requetes == 6
    # Requests 3 and 5 froze what had been kept since (at least 1,000 lists each); the others froze nothing.
    assert comptes[2] >= 1000 and comptes[4] >= 1000
    assert all(comptes[i] <= 0 for i in (0, 1, 3, 5)), comptes


class _Noeud:
    pass


def test_un_cycle_perdu_est_ramasse_avant_le_gel(sans_gel):
    application = GelDuTas(_application, paliers=(2,))
    gc.disable()  # no automatic collection: only the palier's may free the cycle
    try:
        noeud = _Noeud()
        noeud.lui = noeud  # a cycle: once unreachable, only a collection frees it
        reste = weakref.ref(noeud)
        del noeud
        _requete(application)
        assert reste() is not None  # the 1st request is not a palier
        _requete(application)
        assert reste() is None  # collected, not frozen
    finally:
        gc.enable()
