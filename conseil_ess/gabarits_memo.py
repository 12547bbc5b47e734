"""Template builtins whose result is kept per process: ``{{ valeur|date:"j F Y" }}`` and ``{% url … %}``; and
``{% static %}`` (``installer()``).

Both are pure functions of their inputs, called on every page: the same few dates and URLs again and again.
The library is a template builtin (``TEMPLATES["OPTIONS"]["builtins"]``): loaded after Django's own, its ``date``
and ``url`` replace Django's in every template (no ``{% load %}`` defines them again), with the same options and
the same output. ``tests/plateforme/test_gabarits_memo.py`` compares them with Django's.

- ``date``: Django's filter builds a ``DateFormat`` and translates the names of months and days on each call (50
  to 80 µs here; 99 uses in 45 templates: a proposal's timeline, a séance's agenda, the lists). Its result
  depends on the value (with its time zone and ``fold``: two aware datetimes at the same instant compare equal
  whatever their zones), the format and the active language only: kept in a bounded cache. An unhashable value
  goes through Django's filter.
- ``url``: ``reverse()`` walks the URL patterns' possibilities for the name (70 to 90 µs here, eight or nine a
  page). Its result depends on the name, the arguments, the current application, the URL configuration, the
  script prefix and the active language: kept in a bounded cache when the name and every argument are strings
  or integers (an object's ``str()`` may change with it: those go through ``reverse()`` each time). An error
  (``NoReverseMatch``) is not kept.
- ``static`` (of Django's ``static`` library, loaded by ``{% load static %}``: ``installer()`` puts it in that
  library, as ``i18n_memo`` does for ``translate``): Django's node asks ``apps.is_installed()`` on every call,
  which walks the list of installed applications (about 60 generator steps), before the storage's ``url()``
  (itself kept per name in production: ``conseil_ess/statiques.py``); five or six a page. Its result depends on
  the path, the storage (its settings) and the script prefix: kept per path (a string) and script prefix,
  cleared when one of those settings changes (tests). An error (a file missing from the manifest) is not kept.
"""

import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template import defaultfilters, defaulttags
from django.templatetags import static as static_django
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import smart_str
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()


# --- date --------------------------------------------------------------------------------------------------

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


# --- url ---------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _reverse(nom, args, kwargs, application, _urlconf, _prefixe, _langue):
    return reverse(nom, args=args, kwargs=dict(kwargs), current_app=application)


def _simple(valeur):
    """A string (the template's literals are ``SafeString``) or an integer (not a boolean: ``True == 1``)."""
    return isinstance(valeur, str) or type(valeur) is int


class URLMemoisee(defaulttags.URLNode):
    """Django's ``URLNode``, its ``reverse()`` memoised (see the module's docstring)."""

    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((smart_str(k, "ascii"), v.resolve(context)) for k, v in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        if not (_simple(view_name) and all(map(_simple, args)) and all(_simple(v) for _k, v in kwargs)):
            return super().render(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = _reverse(view_name, args, kwargs, current_app, get_urlconf() or settings.ROOT_URLCONF,
                           get_script_prefix(), get_language())
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's ``{% url %}`` (same syntax), rendered by ``URLMemoisee``."""
    noeud = defaulttags.url(parser, token)
    return URLMemoisee(noeud.view_name, noeud.args, noeud.kwargs, noeud.asvar)


# --- static ------------------------------------------------------------------------------------------------

_statiques = {}
STATIQUES_MAX = 1024
REGLAGES_STATIQUES = {"STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS", "INSTALLED_APPS", "DEBUG",
                      "FORCE_SCRIPT_NAME"}


class StatiqueMemoisee(static_django.StaticNode):
    """Django's ``StaticNode``; the URL of a path kept (see the module's docstring)."""

    def url(self, context):
        chemin = self.path.resolve(context)
        if not isinstance(chemin, str):
            return self.handle_simple(chemin)
        cle = (chemin, get_script_prefix())
        try:
            return _statiques[cle]
        except KeyError:
            url = self.handle_simple(chemin)
            if len(_statiques) >= STATIQUES_MAX:
                _statiques.clear()
            _statiques[cle] = url
            return url


def static(parser, token):
    """Django's ``{% static %}`` (same syntax), rendered by ``StatiqueMemoisee``."""
    return StatiqueMemoisee.handle_token(parser, token)


def _oublier_statiques(*, setting, **kwargs):
    if setting in REGLAGES_STATIQUES:
        _statiques.clear()


def installer():
    """Put ``static`` in Django's ``static`` library (before any template is compiled)."""
    static_django.register.tags["static"] = static
    setting_changed.connect(_oublier_statiques, dispatch_uid="conseil_ess_gabarits_memo_static")
