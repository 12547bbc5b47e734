"""WebSocket routes of the séances: the live page of each séance."""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/seances/<slug:slug>/", consumers.SeanceConsumer.as_asgi()),
]
