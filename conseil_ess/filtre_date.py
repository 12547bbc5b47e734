"""``{{ valeur|date:"j F Y" }}`` formatted once per process, value, format and language.

Django's ``date`` filter builds a ``DateFormat`` and translates the names of months and days on each call (50 to
80 µs here); templates call it a hundred times (99 uses in 45 templates: a proposal's timeline, a séance's
agenda, the lists). Its result depends on the value (with its time zone and ``fold``: two aware datetimes at the
same instant compare equal whatever their zones), the format and the active language only: it is kept in a
bounded cache. Anything else (an unhashable value) goes through Django's filter.

The library is a template builtin (``TEMPLATES["OPTIONS"]["builtins"]``): loaded after Django's own, its
``date`` replaces Django's in every template, with the same options (``expects_localtime``: the engine converts
the value to the current time zone first). ``tests/plateforme/test_filtre_date.py`` compares it with Django's
filter for dates, datetimes in several zones, ambiguous times and every format the templates use.
"""

import functools

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _date(_type, valeur, _fuseau, _fold, format_, _langue):
    return defaultfilters.date(valeur, format_)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter, memoised (see the module's docstring)."""
    if value in (None, ""):
        return ""
    cle = (type(value), value, getattr(value, "tzinfo", None), getattr(value, "fold", 0), arg, get_language())
    try:
        hash(cle)
    except TypeError:  # an unhashable value
        return defaultfilters.date(value, arg)
    return _date(*cle)
