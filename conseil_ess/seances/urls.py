"""URLs of the séances plénières: the public list and the page of each séance (by its event's slug)."""

from django.urls import path

from . import views

app_name = "seances"

urlpatterns = [
    path("seances/", views.liste, name="liste"),
    path("seances/<slug:slug>/", views.detail, name="detail"),
]
