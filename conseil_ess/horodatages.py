"""PostgreSQL ``timestamptz`` values read by psycopg's C loader (psycopg 3).

Django's PostgreSQL backend reads every ``timestamptz`` with its own loader (``psycopg_any.BaseTzLoader``): a
subclass of psycopg's **Python** ``TimestamptzLoader``, which parses the text in Python (the C loader cannot be
subclassed), then gives the value Django's time zone (``replace(tzinfo=…)``). That cost about 3 µs a value here:
0.1 ms for the forty dates of a page of the agenda, a quarter of the CPU of ``/agenda.ics`` (three dates for each
of 3,400 events).

Its ``replace`` changes nothing when Django's zone and the session's are both UTC (as in every configuration of
this project: ``USE_TZ``, the database's ``TIME_ZONE`` unset): psycopg's own loader then already gives the value
``datetime.timezone.utc``, the very object Django's gives it. ``installer()`` then registers psycopg's loader
(the C one when psycopg's binary or C package is installed) on each new connection (``connection_created``),
behind ``ChargeurPsycopg``, which carries the ``timezone`` Django's cursors compare before they register their
own (they do when the zones differ). Any other case keeps Django's loader. ``tests/plateforme/test_horodatages.py``
compares both loaders value by value, limits and errors included.
"""

import datetime

from django.db.backends.signals import connection_created

try:
    import psycopg
    from psycopg.pq import Format
except ImportError:  # SQLite only
    psycopg = None

OID_TIMESTAMPTZ = 1184


class ChargeurPsycopg:
    """psycopg's default text loader of ``timestamptz``, registered under a class that carries the ``timezone``
    Django's cursors read (``DatabaseWrapper.create_cursor``). psycopg instantiates a loader class with
    ``(oid, context)``: this one returns psycopg's own loader (a C class cannot be subclassed)."""

    timezone = datetime.UTC

    def __new__(cls, oid, context=None):
        return cls.chargeur(oid, context)

    @classmethod
    def preparer(cls):
        cls.chargeur = psycopg.adapters.get_loader(OID_TIMESTAMPTZ, Format.TEXT)
        cls.format = cls.chargeur.format


def _enregistrer(sender, connection, **kwargs):
    """Register ``ChargeurPsycopg`` on a new PostgreSQL connection when it gives what Django's loader gives."""
    if connection.vendor != "postgresql" or psycopg is None:
        return
    brute = connection.connection
    if connection.timezone is datetime.UTC and brute.info.timezone is datetime.UTC:
        brute.adapters.register_loader(OID_TIMESTAMPTZ, ChargeurPsycopg)


def installer():
    if psycopg is not None:
        ChargeurPsycopg.preparer()
    connection_created.connect(_enregistrer, dispatch_uid="conseil_ess_horodatages")
