"""Run calls at the same instant, each in its own thread and database connection (PostgreSQL races)."""

import threading
import time

from django.db import OperationalError, connection, connections

ATTENTE_CONNEXION = 60  # seconds a thread may wait for a free PostgreSQL connection slot


def connecter(attente=ATTENTE_CONNEXION, pause=0.2):
    """Open this thread's connection, waiting while the server has no free slot.

    The races need some fifty connections at once. PostgreSQL refuses a connection past
    ``max_connections`` (« too many clients »): the backends of the previous round may still be exiting,
    or a test on the other xdist worker may hold connections. That is the test harness's limit, not the
    code under test, so the thread waits for a slot; any other error is raised at once.
    """
    fin = time.monotonic() + attente
    while True:
        try:
            connection.ensure_connection()
            return
        except OperationalError as exc:
            if "too many clients" not in str(exc) or time.monotonic() >= fin:
                raise
            connection.close()
            time.sleep(pause)


def en_meme_temps(appels):
    """Run each ``(fonction, argument…)`` in its own thread and connection, all released at once.

    Each thread connects before the barrier, so the calls start together whatever the time taken to connect.
    Return (results, exceptions), in the order of ``appels``.
    """
    barriere = threading.Barrier(len(appels))
    resultats = [None] * len(appels)
    erreurs = [None] * len(appels)

    def executer(i, fonction, *args):
        try:
            try:
                connecter()
            except Exception:
                barriere.abort()  # the others fail at once rather than after the barrier's timeout
                raise
            barriere.wait(timeout=ATTENTE_CONNEXION + 30)
            resultats[i] = fonction(*args)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            erreurs[i] = exc
        finally:
            connections.close_all()

    fils = [threading.Thread(target=executer, args=(i, *appel)) for i, appel in enumerate(appels)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=ATTENTE_CONNEXION + 120)
    assert not any(fil.is_alive() for fil in fils), "une demande est restée bloquée"
    return resultats, erreurs
