"""URLs of the documents and minutes (procès-verbal) of a séance."""

from django.urls import path

from . import views_documents

urlpatterns = [
    path("seances/<slug:slug>/documents/<int:pk>/", views_documents.document, name="document"),
    path("seances/<slug:slug>/proces-verbal/", views_documents.proces_verbal, name="proces_verbal"),
    path("seances/<slug:slug>/proces-verbal.pdf", views_documents.proces_verbal_pdf, name="proces_verbal_pdf"),
]
