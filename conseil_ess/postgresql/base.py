"""Django's PostgreSQL backend (``django.db.backends.postgresql``), with a health check that costs no round trip.

With ``CONN_HEALTH_CHECKS`` (production), Django checks a persistent connection at the first query of each
request by running ``SELECT 1`` (``is_usable``): a round trip to PostgreSQL per request, paid by every page that
reads the database (a twentieth of a list page's CPU), to find the rare connection PostgreSQL has closed (a
restart, a failover, ``pg_terminate_backend``). PostgreSQL closing a connection writes to its socket (a FATAL
message, then the end of the stream): an idle connection (no transaction, nothing in progress) whose socket has
nothing to read has not been closed by the server. That is looked at first (a ``poll`` of the socket, no
message); anything else (something to read, a transaction, a connection closed or broken on our side) goes to
Django's own check, which runs ``SELECT 1`` and replaces the connection if it fails. A server gone without a
word (a host lost, a network cut) is noticed by neither check before its query times out: as before.

After an error in a request Django checks the connection with ``is_usable`` (``close_if_unusable_or_obsolete``):
unchanged, a real query.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


def silencieuse(connexion):
    """True when ``connexion`` (psycopg) is open, idle, and its socket has nothing to read."""
    if connexion.closed or connexion.broken or connexion.pgconn.status != pq.ConnStatus.OK:
        return False
    if connexion.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    sondage = select.poll()
    sondage.register(connexion.fileno(), select.POLLIN | select.POLLPRI)
    return not sondage.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (self.pool is None and self.connection is not None and self.health_check_enabled
                and not self.health_check_done and silencieuse(self.connection)):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
