"""ASGI entry point: HTTP through Django, WebSockets through Channels (full origin and session checked)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conseil_ess.settings.dev")

# Django must be set up before the routing (and the models it imports) is loaded.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from conseil_ess.comptes.origine import OrigineStricte  # noqa: E402
from conseil_ess.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OrigineStricte(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
