"""ASGI entry point: HTTP through Django, WebSockets through Channels (full origin and session checked)."""

import gc
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

# Django, Wagtail and the app loaded: a few hundred thousand objects that live as long as the process. Left to the
# garbage collector, each full collection walks them all again and stops the event loop for 0.1–0.5 s on this
# machine (every socket of the process waits: measured on the live séance page). Frozen, they are never walked.
# The pages' WSGI application collects first and freezes again after its first requests
# (conseil_ess/ramasse_miettes.py). Here it stays one freeze: the browser journeys import this module in the
# test process (their daphne is forked from it), and the one CI run with a collection here also saw a test
# thread's SQLite connection outlive the leak guard's wait (cause not proven; that thread now closes its
# connections, tests/e2e/test_seances.py).
gc.freeze()
