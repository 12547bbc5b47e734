"""Placeholder: written in the next commits."""
from django.http import Http404


def engagement(request, **kwargs):
    raise Http404


def tableau_de_bord(request, **kwargs):
    raise Http404


def export_csv(request, **kwargs):
    raise Http404


def donnees(request, **kwargs):
    raise Http404


def donnees_csv(request, **kwargs):
    raise Http404


def donnees_json(request, **kwargs):
    raise Http404


