"""Run calls at the same instant, each in its own thread and database connection (PostgreSQL races)."""

import threading

from django.db import connections


def en_meme_temps(appels):
    """Run each ``(fonction, argument…)`` in its own thread and connection, all released at once.

    Return (results, exceptions), in the order of ``appels``.
    """
    barriere = threading.Barrier(len(appels))
    resultats = [None] * len(appels)
    erreurs = [None] * len(appels)

    def executer(i, fonction, *args):
        try:
            barriere.wait(timeout=30)
            resultats[i] = fonction(*args)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            erreurs[i] = exc
        finally:
            connections.close_all()

    fils = [threading.Thread(target=executer, args=(i, *appel)) for i, appel in enumerate(appels)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=120)
    assert not any(fil.is_alive() for fil in fils), "une demande est restée bloquée"
    return resultats, erreurs
