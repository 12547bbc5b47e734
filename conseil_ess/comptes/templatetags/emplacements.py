"""Render what later apps registered for a page's emplacement (``conseil_ess.comptes.emplacements``)."""

from django import template
from django.utils.html import format_html_join

from .. import emplacements

register = template.Library()


@register.simple_tag(takes_context=True)
def blocs(context, emplacement):
    """Render every block of ``emplacement``, each with its own context (as an inclusion tag would)."""
    rendus = []
    for bloc in emplacements.blocs(emplacement):
        gabarit = context.template.engine.get_template(bloc.template)
        contexte = context.new(bloc.contexte(context))
        if context.get("csrf_token") is not None:
            contexte["csrf_token"] = context["csrf_token"]
        rendus.append((gabarit.render(contexte),))
    return format_html_join("", "{}", rendus)


@register.simple_tag(takes_context=True)
def liens(context, emplacement):
    """Return the links of ``emplacement`` the current user may follow: ``{% liens "…" as liens %}``."""
    return emplacements.liens(emplacement, context["request"].user)
