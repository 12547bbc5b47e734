"""Placeholder: written in the next commits."""
from django.http import Http404


def flux_atelier(request, **kwargs):
    raise Http404


