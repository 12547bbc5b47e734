"""``/sante/``: the health endpoint that load balancers and supervision poll (project wiring).

200 ``{"statut": "ok", "postgresql": "ok", "redis": "ok"}`` when the database and Redis answer; 503 with
``"erreur"`` next to the one that failed otherwise. Nothing personal, nothing cached, no session read: the
view runs one ``SELECT 1`` and one Redis ``PING`` (2 s at most each). Redis is checked when ``REDIS_URL`` is
set (``"non configuré"`` otherwise: the embedded default has no Redis).
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

journal = logging.getLogger(__name__)
DELAI = 2  # seconds

_clients_redis = {}


def _postgresql():
    with connection.cursor() as curseur:
        curseur.execute("SELECT 1")
        curseur.fetchone()


def _redis():
    import redis

    client = _clients_redis.get(settings.REDIS_URL)
    if client is None:
        client = _clients_redis[settings.REDIS_URL] = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=DELAI, socket_connect_timeout=DELAI)
    client.ping()


@never_cache
@require_safe
def sante(request):
    verifications = {"postgresql": _postgresql}
    if getattr(settings, "REDIS_URL", ""):
        verifications["redis"] = _redis
    corps = {"statut": "ok"}
    for nom, verifier in verifications.items():
        try:
            verifier()
            corps[nom] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is the answer; the detail goes to the log only
            journal.warning("Santé : %s ne répond pas (%s)", nom, exc.__class__.__name__)
            corps[nom] = "erreur"
            corps["statut"] = "erreur"
    if "redis" not in corps:
        corps["redis"] = "non configuré"
    return JsonResponse(corps, status=200 if corps["statut"] == "ok" else 503,
                        json_dumps_params={"ensure_ascii": False})
