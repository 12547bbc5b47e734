"""``{% translate "…" %}`` of a literal kept per process.

Every page has twenty to forty ``{% translate %}`` of a fixed text (the menu, the footer, the forms' labels), each
rendered through a lazy translation, the active language's lookup and the escaping: 5 to 6 µs each, every time.
The result depends only on the text, ``noop``, the active language and the context's autoescaping: it is kept
in a bounded dictionary, cleared when a setting the translations depend on changes (tests). A ``{% translate %}``
of a variable, with filters or with a ``context`` goes through Django's node as before; ``as var`` is kept too.

``installer()`` (called when the accounts application is imported, before any template is compiled) puts it
in place of ``translate`` and ``trans`` in Django's own ``i18n`` library: every ``{% load i18n %}`` gets it, and
every other tag and filter of the library stays Django's (a library of the same name would be a second module
for ``i18n``: ``templates.W003``). ``tests/plateforme/test_gabarits_memo.py`` compares it with Django's tag.
"""

from django.core.signals import setting_changed
from django.templatetags import i18n as i18n_django
from django.utils.translation import get_language

# Django's own compile functions, before ``installer()``.
ORIGINAUX = {nom: i18n_django.register.tags[nom] for nom in ("translate", "trans")}
_memo = {}
MEMO_MAX = 4096
REGLAGES = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS", "USE_I18N"}


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


def _oublier(*, setting, **kwargs):
    if setting in REGLAGES:
        _memo.clear()


def installer():
    for nom in ORIGINAUX:
        i18n_django.register.tags[nom] = translate
    setting_changed.connect(_oublier, dispatch_uid="conseil_ess_i18n_memo")
