"""The clock of the test run: ``DATE_SIMULEE=AAAA-MM-JJ`` moves every process of the run to that date.

``make test-dates`` runs the date-sensitive tests (marker ``dates``) with the clock moved to several
dates. The move is started by the test settings (``conseil_ess.settings.test``), so it reaches:

- the pytest process and its threads;
- the servers a test forks (the browser journeys' daphne): a forked child keeps its parent's clock;
- the servers a test starts as new programs (``python -m daphne`` with the test settings): they read
  the same variables. The first process turns the date into an offset from the real clock
  (``DATE_SIMULEE_DECALAGE``, in seconds) and passes it on in the environment, so that every process
  of the run agrees on "now" to the millisecond, and the clock keeps ticking.

A test that needs one fixed instant still travels inside this one (``time_machine.travel``): the moves
nest. Chromium keeps the real clock: the pages never rely on the browser's date, and the session and
CSRF cookies are made to last the browser session (``settings.test``), so that a date far from the
real one never makes them expire at once.
"""

import datetime
import os
import time
from zoneinfo import ZoneInfo

VARIABLE = "DATE_SIMULEE"
VARIABLE_DECALAGE = "DATE_SIMULEE_DECALAGE"
HEURE = datetime.time(10, 0)  # the simulated day starts at 10:00 in Paris, like a working morning
PARIS = ZoneInfo("Europe/Paris")

_voyage = None


def date_simulee():
    """Return the simulated date of this run, or None when the clock is the real one."""
    valeur = os.environ.get(VARIABLE, "").strip()
    if not valeur:
        return None
    try:
        return datetime.date.fromisoformat(valeur)
    except ValueError:
        raise SystemExit(f"{VARIABLE}={valeur!r} : date invalide, attendu AAAA-MM-JJ (par exemple 2027-06-30).")


def demarrer():
    """Move this process's clock to the simulated date (no-op without ``DATE_SIMULEE`` or if already moved)."""
    global _voyage
    jour = date_simulee()
    if jour is None or _voyage is not None:
        return
    import time_machine

    decalage = os.environ.get(VARIABLE_DECALAGE)
    if decalage is None:
        cible = datetime.datetime.combine(jour, HEURE, tzinfo=PARIS).timestamp()
        decalage = cible - time.time()
        os.environ[VARIABLE_DECALAGE] = repr(decalage)
    _voyage = time_machine.travel(time.time() + float(decalage), tick=True)
    _voyage.start()
