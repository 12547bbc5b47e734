"""All WebSocket routes of the platform, with a catch-all that refuses unknown paths."""

from django.urls import re_path

from conseil_ess.comptes import routing as comptes_routing
from conseil_ess.comptes.consumers import RouteInconnueConsumer
from conseil_ess.seances import routing as seances_routing

websocket_urlpatterns = [
    *comptes_routing.websocket_urlpatterns,
    *seances_routing.websocket_urlpatterns,
    re_path(r"^.*$", RouteInconnueConsumer.as_asgi()),
]
