"""URLs of the live page of a séance and of the QR check-in."""

from django.urls import path

from . import views_direct

urlpatterns = [
    path("seances/<slug:slug>/direct/", views_direct.direct, name="direct"),
    path("seances/<slug:slug>/direct/etat/", views_direct.direct_etat, name="direct_etat"),
    path("seances/<slug:slug>/direct/voter/", views_direct.voter, name="voter"),
    path("seances/<slug:slug>/direct/piloter/", views_direct.piloter, name="piloter"),
    path("seances/<slug:slug>/emarger/<str:jeton>/", views_direct.emarger, name="emarger"),
]
