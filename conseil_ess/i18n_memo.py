"""``{% translate "…" %}`` of a literal, and ``{% blocktranslate %}`` of the same values, kept per process.

Every page has twenty to forty ``{% translate %}`` of a fixed text (the menu, the footer, the forms' labels), each
rendered through a lazy translation, the active language's lookup and the escaping: 5 to 6 µs each, every time.
The result depends only on the text, ``noop``, the active language and the context's autoescaping: it is kept
in a bounded dictionary, cleared when a setting the translations depend on changes (tests). A ``{% translate %}``
of a variable, with filters or with a ``context`` goes through Django's node as before; ``as var`` is kept too.

``{% blocktranslate %}`` (a count, a page number, a date already written: three to five a list page, 100 to 300
function calls each) writes a text that depends only on its values (those of ``with`` and ``count``, and the
context's variables it names), the active language and the context's autoescaping, localisation and time zone
flags: kept per node (on the node, which lives as long as its compiled template) when every value is a string,
a number or None (their type in the key: a safe string is not escaped again; a decimal or a float by its text:
``1.0`` and ``1.00`` are equal, not written alike); with another value (a date, a lazy text, an object), a
``context`` or nested, Django's node answers.

``installer()`` (called when the accounts application is imported, before any template is compiled) puts it
in place of ``translate`` and ``trans`` in Django's own ``i18n`` library: every ``{% load i18n %}`` gets it, and
every other tag and filter of the library stays Django's (a library of the same name would be a second module
for ``i18n``: ``templates.W003``). ``tests/plateforme/test_gabarits_memo.py`` compares it with Django's tag.
"""

from decimal import Decimal

from django.core.signals import setting_changed
from django.template.base import TokenType
from django.templatetags import i18n as i18n_django
from django.utils.translation import get_language

# Django's own compile functions, before ``installer()``.
ORIGINAUX = {nom: i18n_django.register.tags[nom] for nom in ("translate", "trans", "blocktranslate", "blocktrans")}
_memo = {}
MEMO_MAX = 4096
REGLAGES = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS", "USE_I18N", "USE_THOUSAND_SEPARATOR",
            "NUMBER_GROUPING", "DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR", "FORMAT_MODULE_PATH", "USE_TZ", "TIME_ZONE"}
# The kinds of values a ``{% blocktranslate %}`` is kept for (a subclass, such as a safe string, is its own kind).
SIMPLES = (str, int, float, Decimal, type(None))
# Equal numbers written differently (``Decimal("1.0")`` and ``Decimal("1.00")``, ``0.0`` and ``-0.0``): keyed by
# their text.
ECRITS = (float, Decimal)
BLOCS_MAX = 256
# Bumped when the settings change: every node's memo is then left behind.
_epoque = [0]


class TraductionMemoisee(i18n_django.TranslateNode):
    """Django's ``TranslateNode``; the rendering of a literal kept (see the module's docstring)."""

    def render(self, context):
        expression = self.filter_expression
        if expression.filters or self.message_context is not None or expression.var.lookups is not None:
            return super().render(context)
        cle = (expression.var.literal, self.noop, get_language(), context.autoescape)
        try:
            valeur = _memo[cle]
        except KeyError:
            valeur = super().render(context)
            if self.asvar:
                valeur = context[self.asvar]
            if len(_memo) >= MEMO_MAX:
                _memo.clear()
            _memo[cle] = valeur
        if self.asvar:
            context[self.asvar] = valeur
            return ""
        return valeur


def translate(parser, token):
    """Django's ``{% translate %}`` (same syntax), rendered by ``TraductionMemoisee``."""
    noeud = ORIGINAUX["translate"](parser, token)
    return TraductionMemoisee(noeud.filter_expression, noeud.noop, noeud.asvar, noeud.message_context)


class BlocMemoise(i18n_django.BlockTranslateNode):
    """Django's ``BlockTranslateNode``; its text kept per values (see the module's docstring)."""

    def _noms(self):
        """The context's variables the texts name (``{{ n }}``), in order, once per node."""
        try:
            return self._noms_lus
        except AttributeError:
            noms = [t.contents for t in (*self.singular, *(self.plural or ())) if t.token_type == TokenType.VAR]
            self._noms_lus = tuple(dict.fromkeys(noms))
            return self._noms_lus

    def render(self, context, nested=False):
        if nested or self.message_context:
            return super().render(context, nested)
        valeurs = {nom: valeur.resolve(context) for nom, valeur in self.extra_context.items()}
        compte = None
        if self.plural and self.countervar and self.counter:
            compte = valeurs[self.countervar] = self.counter.resolve(context)
        cle = [get_language(), context.autoescape, context.use_l10n, context.use_tz, type(compte),
               str(compte) if type(compte) in ECRITS else compte]
        for nom in self._noms():
            if nom in valeurs:
                valeur = valeurs[nom]
            elif nom in context:
                valeur = context[nom]
            else:
                return super().render(context, nested)  # a missing variable: Django writes its placeholder
            if type(valeur) not in SIMPLES and not isinstance(valeur, str):
                return super().render(context, nested)
            cle += (type(valeur), str(valeur) if type(valeur) in ECRITS else valeur)
        cle = tuple(cle)
        memo = self.__dict__.get("_memo")
        if memo is None or memo[0] != _epoque[0] or len(memo[1]) >= BLOCS_MAX:
            memo = self._memo = (_epoque[0], {})
        try:
            texte = memo[1][cle]
        except KeyError:
            texte = super().render(context, nested)
            if self.asvar:
                texte = context[self.asvar]
            memo[1][cle] = texte
        except TypeError:  # an unhashable value (a string subclass of its own)
            return super().render(context, nested)
        if self.asvar:
            context[self.asvar] = texte
            return ""
        return texte


def blocktranslate(parser, token):
    """Django's ``{% blocktranslate %}`` (same syntax), rendered by ``BlocMemoise``."""
    noeud = ORIGINAUX["blocktranslate"](parser, token)
    copie = BlocMemoise.__new__(BlocMemoise)
    copie.__dict__.update(noeud.__dict__)
    return copie


def _oublier(*, setting, **kwargs):
    if setting in REGLAGES:
        _memo.clear()
        _epoque[0] += 1


def installer():
    for nom in ("translate", "trans"):
        i18n_django.register.tags[nom] = translate
    for nom in ("blocktranslate", "blocktrans"):
        i18n_django.register.tags[nom] = blocktranslate
    setting_changed.connect(_oublier, dispatch_uid="conseil_ess_i18n_memo")
