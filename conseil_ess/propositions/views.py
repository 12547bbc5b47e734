"""Placeholder: written in the next commits."""
from django.http import Http404


def liste(request, **kwargs):
    raise Http404


def nouvelle(request, **kwargs):
    raise Http404


def brouillon(request, **kwargs):
    raise Http404


def deposer(request, **kwargs):
    raise Http404


def modifier(request, **kwargs):
    raise Http404


def piece_jointe(request, **kwargs):
    raise Http404


def detail(request, **kwargs):
    raise Http404


def suivre(request, **kwargs):
    raise Http404


def retirer(request, **kwargs):
    raise Http404


