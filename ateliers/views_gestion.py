"""Placeholder: written in the next commits."""
from django.http import Http404


def gerer(request, **kwargs):
    raise Http404


def decider(request, **kwargs):
    raise Http404


def reunion_nouvelle(request, **kwargs):
    raise Http404


def reunion_modifier(request, **kwargs):
    raise Http404


def reunion_annuler(request, **kwargs):
    raise Http404


def presences(request, **kwargs):
    raise Http404


def compte_rendu(request, **kwargs):
    raise Http404


def document_supprimer(request, **kwargs):
    raise Http404


