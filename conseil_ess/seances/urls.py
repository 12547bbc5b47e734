"""URLs of the séances plénières (by their event's slug): the public list and page of each séance, then the
live page and check-in (``urls_direct``), then the documents and minutes (``urls_documents``)."""

from django.urls import path

from . import urls_direct, urls_documents, views

app_name = "seances"

urlpatterns = [
    path("seances/", views.liste, name="liste"),
    *urls_direct.urlpatterns,
    *urls_documents.urlpatterns,
    path("seances/<slug:slug>/", views.detail, name="detail"),
]
