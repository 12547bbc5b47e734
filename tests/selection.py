"""Which tests the PostgreSQL + Redis pass of the CI may leave out: those that touch no database, no channel
layer and no cache (they were run by ``make test`` already, and their result cannot depend on the backends).

``tests/conftest.py`` marks them ``sans_base`` as they are collected; the PostgreSQL pass runs
``-m "not navigateur and not sans_base"``. A test is ``sans_base`` only when all of these hold:

- it has no ``django_db`` mark and uses none of the fixtures that reach the database, a server or a request
  (``FIXTURES_BASE``: ``db``, ``transactional_db``, ``django_db_setup``, ``live_server``, ``serveur_live``,
  ``client``, ``rf``…), directly or through other fixtures (pytest-django refuses database access to the
  others, so they cannot touch it unnoticed);
- it has none of the markers ``redis``, ``postgres``, ``production`` (nor ``navigateur``);
- it is not a Django ``TestCase``-style class (``SimpleTestCase`` and subclasses);
- its module's source names neither a channel layer nor a cache nor Redis (``MOTS_COUCHES``: ``channel``,
  ``cache``, ``redis``, ``Communicator``, ``asgi``), a deliberately wide net: a test that might reach the
  in-memory channel layer or cache without a database stays in the pass.
"""

import re
from functools import cache

FIXTURES_BASE = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_setup",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "serveur_live",
        "admin_client",
        "admin_user",
        "django_user_model",
        "client",
        "async_client",
        "rf",
        "async_rf",
    }
)
MARQUEURS_BASE = ("django_db", "redis", "postgres", "production", "navigateur")
MOTS_COUCHES = re.compile(r"channel|cache|redis|communicator|asgi", re.IGNORECASE)


@cache
def _source_nomme_une_couche(chemin):
    with open(chemin, encoding="utf-8") as fichier:
        return bool(MOTS_COUCHES.search(fichier.read()))


def sans_base(item):
    """True when ``item`` touches no database, channel layer or cache (the rule of this module's docstring)."""
    if FIXTURES_BASE.intersection(getattr(item, "fixturenames", ())):
        return False
    if any(item.get_closest_marker(nom) for nom in MARQUEURS_BASE):
        return False
    classe = getattr(item, "cls", None)
    if classe is not None:
        from django.test import SimpleTestCase

        if issubclass(classe, SimpleTestCase):
            return False
    return not _source_nomme_une_couche(str(item.path))
