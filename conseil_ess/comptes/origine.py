"""The Origin check of the WebSockets: the whole origin (scheme, host and port), not only the host.

Channels' ``AllowedHostsOriginValidator`` compares the host of the Origin header with ``ALLOWED_HOSTS`` and
ignores its scheme and port (``http://127.0.0.1:9999`` passed for a site on ``http://127.0.0.1:8000``).
Here the origin must be exactly one of: the site's address (``SITE_URL``), ``CSRF_TRUSTED_ORIGINS``, or the
address the browser asked for (its ``Host`` header, when that host is allowed, with the socket's scheme).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host


def _origine(url):
    """``scheme://host[:port]`` in lower case, the default port left out; None when not an origin."""
    try:
        morceaux = urlsplit(str(url).strip())
        port = morceaux.port
    except ValueError:
        return None
    schema, hote = (morceaux.scheme or "").lower(), (morceaux.hostname or "").lower()
    if schema not in ("http", "https") or not hote:
        return None
    if ":" in hote:
        hote = f"[{hote}]"
    if port is None or (schema, port) in (("http", 80), ("https", 443)):
        return f"{schema}://{hote}"
    return f"{schema}://{hote}:{port}"


def origines_autorisees(scope):
    autorisees = {_origine(o) for o in [settings.WAGTAILADMIN_BASE_URL, *settings.CSRF_TRUSTED_ORIGINS]}
    en_tetes = dict(scope.get("headers") or [])
    hote = en_tetes.get(b"host", b"").decode("latin1").strip()
    if hote:
        domaine, _port = split_domain_port(hote)
        hotes = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
        if domaine and validate_host(domaine, hotes):
            schema = "https" if scope.get("scheme") == "wss" else "http"
            autorisees.add(_origine(f"{schema}://{hote}"))
    autorisees.discard(None)
    return autorisees


class OrigineStricte:
    """ASGI middleware: refuse (403 at the handshake) a WebSocket whose Origin is not an allowed origin."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.application(scope, receive, send)
        origine = dict(scope.get("headers") or []).get(b"origin")
        if origine is None or _origine(origine.decode("latin1")) not in origines_autorisees(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
