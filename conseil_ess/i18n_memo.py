"""``{% load i18n %}``: Django's library, its ``{% translate "…" %}`` of a literal kept per process.

Every page has twenty to forty ``{% translate %}`` of a fixed text (the menu, the footer, the forms' labels), each
rendered through a lazy translation, the active language's lookup and the escaping: 5 to 6 µs each, every time.
The result depends only on the text, ``noop``, the active language and the context's autoescaping: it is kept
in a bounded dictionary, cleared when a setting the translations depend on changes (tests). A ``{% translate %}``
of a variable, with filters or with a ``context`` goes through Django's node as before; ``as var`` is kept too.

The project's templates load it under Django's name (``TEMPLATES["OPTIONS"]["libraries"]["i18n"]``): every
other tag and filter of the library is Django's own. ``tests/plateforme/test_gabarits_memo.py`` compares it with
Django's.
"""

from django import template
from django.core.signals import setting_changed
from django.templatetags import i18n as i18n_django
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n_django.register.tags)
register.filters.update(i18n_django.register.filters)

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


@register.tag("translate")
@register.tag("trans")
def translate(parser, token):
    """Django's ``{% translate %}`` (same syntax), rendered by ``TraductionMemoisee``."""
    noeud = i18n_django.do_translate(parser, token)
    return TraductionMemoisee(noeud.filter_expression, noeud.noop, noeud.asvar, noeud.message_context)


def _oublier(*, setting, **kwargs):
    if setting in REGLAGES:
        _memo.clear()


setting_changed.connect(_oublier, dispatch_uid="conseil_ess_i18n_memo")
