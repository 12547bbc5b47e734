"""Ateliers template tags: French dates, and the status badge of a meeting."""

import datetime
from types import SimpleNamespace

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evenements.filters import PARIS
from evenements.templatetags.agenda import heure, jour_long

register = template.Library()


@register.filter
def date_longue(jour):
    """Return a French date without the weekday: "1er janvier 2026", "19 mars 2026"."""
    if not jour:
        return ""
    if isinstance(jour, datetime.datetime):
        jour = timezone.localtime(jour, PARIS).date()
    numero = _("1er") if jour.day == 1 else str(jour.day)
    return f"{numero} {date_format(jour, 'F Y')}"


@register.filter
def jour_heure(moment):
    """Return a French date and time in Europe/Paris: "mardi 12 janvier 2027 à 18 h"."""
    if not moment:
        return ""
    local = timezone.localtime(moment, PARIS)
    return _("%(jour)s à %(heure)s") % {"jour": jour_long(local.date()), "heure": heure(local)}


@register.filter
def statut_seul(evenement):
    """Return what the agenda's status badge needs of ``evenement``, without its visibility.

    The agenda's badge says "réservé aux personnes connectées"; an atelier meeting is reserved to
    the atelier's members, which the ateliers' templates say themselves.
    """
    return SimpleNamespace(statut=evenement.statut, visibilite="public")
