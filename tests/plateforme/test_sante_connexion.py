"""The health check of a persistent PostgreSQL connection (``conseil_ess.postgresql``): no round trip for an idle
connection PostgreSQL has said nothing on; Django's ``SELECT 1`` otherwise, and a connection PostgreSQL closed is
replaced before the request's first query."""

import time

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from conseil_ess.postgresql.base import DatabaseWrapper, silencieuse

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),  # autocommit: an idle connection, as between two requests
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="PostgreSQL requis (DATABASE_URL=postgres://…) ; 2e passe de CI"),
]


@pytest.fixture
def connexion(monkeypatch):
    """The default connection, open, as at the start of a request with CONN_HEALTH_CHECKS; the queries its psycopg
    connection runs outside Django's cursors (the health check's) counted."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    assert isinstance(wrapper, DatabaseWrapper)
    wrapper.ensure_connection()
    monkeypatch.setattr(wrapper, "health_check_enabled", True)
    wrapper.health_check_done = False
    directes = []
    curseur = wrapper.connection.cursor
    monkeypatch.setattr(wrapper.connection, "cursor", lambda *a, **k: directes.append(1) or curseur(*a, **k))
    wrapper.directes = directes
    yield wrapper
    del wrapper.directes
    wrapper.health_check_done = False


def test_connexion_inactive_verifiee_sans_aller_retour(connexion):
    assert silencieuse(connexion.connection)
    ancienne = connexion.connection
    connexion.close_if_health_check_failed()
    assert connexion.directes == [] and connexion.health_check_done and connexion.connection is ancienne
    with connexion.cursor() as curseur:
        curseur.execute("SELECT 1")
        assert curseur.fetchone() == (1,)


def test_dans_une_transaction_la_verification_de_django(connexion):
    connexion.connection.execute("BEGIN")
    connexion.directes.clear()
    try:
        assert not silencieuse(connexion.connection)
        connexion.close_if_health_check_failed()
        assert connexion.directes == [1]  # Django's SELECT 1
    finally:
        connexion.connection.execute("ROLLBACK")


def test_une_connexion_fermee_par_postgresql_est_remplacee(connexion):
    pid = connexion.connection.info.backend_pid
    parametres = connexion.get_connection_params()
    with psycopg.connect(**parametres, autocommit=True) as autre:
        autre.execute("SELECT pg_terminate_backend(%s)", [pid])
    fin = time.monotonic() + 5
    while silencieuse(connexion.connection) and time.monotonic() < fin:
        time.sleep(0.02)  # the FATAL message and the end of the stream reach the socket
    assert not silencieuse(connexion.connection)
    connexion.close_if_health_check_failed()
    assert connexion.connection is None  # Django's SELECT 1 failed: closed
    with connexion.cursor() as curseur:  # the request's first query: a new connection
        curseur.execute("SELECT pg_backend_pid()")
        assert curseur.fetchone()[0] != pid
