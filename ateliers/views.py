"""Placeholder: written in the next commits."""
from django.http import Http404


def index(request, **kwargs):
    raise Http404


def cycle(request, **kwargs):
    raise Http404


def detail(request, **kwargs):
    raise Http404


def rejoindre(request, **kwargs):
    raise Http404


def quitter(request, **kwargs):
    raise Http404


def reunion(request, **kwargs):
    raise Http404


def document(request, **kwargs):
    raise Http404


