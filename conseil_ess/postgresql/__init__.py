"""Django's PostgreSQL backend, its health check of a persistent connection made without a round trip when the
connection is idle and PostgreSQL has said nothing on it (``base.DatabaseWrapper``)."""
