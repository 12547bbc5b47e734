"""ASGI entry point: HTTP through Django, WebSockets through Channels (full origin and session checked)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conseil_ess.settings.dev")

# Django must be set up before the routing (and the models it imports) is loaded.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from conseil_ess.comptes.origine import OrigineStricte  # noqa: E402
from conseil_ess.ramasse_miettes import geler  # noqa: E402
from conseil_ess.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OrigineStricte(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Django, Wagtail and the app loaded: a few hundred thousand objects that live as long as the process. Left to the
# garbage collector, each full collection walks them all again and stops the event loop for 0.1–0.5 s on this
# machine (every socket of the process waits: measured on the live séance page). Frozen, they are never walked
# (conseil_ess/ramasse_miettes.py; the WSGI application of the pages freezes again after its first requests).
geler()
