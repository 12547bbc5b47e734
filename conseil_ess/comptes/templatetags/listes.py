"""Template tags of the lists of every app (the lowest app holds them, so that every app may load them)."""

from django import template
from django.http import QueryDict
from django.utils.safestring import mark_safe

from conseil_ess.widgets import cases_rapides, echapper, groupe_rapide

register = template.Library()

# ``{{ form.champ|groupe_rapide }}``: a filter form's field (label, help text, widget) written in Python, the same
# HTML as ``{{ form.champ.as_field_group }}`` (conseil_ess/widgets.py).
register.filter("groupe_rapide", groupe_rapide)
# ``{{ form.champ|cases_rapides }}``: check boxes, each in its ``<div>`` with its label (conseil_ess/widgets.py).
register.filter("cases_rapides", cases_rapides)


@register.simple_tag(takes_context=True)
def lien_page(context, numero, parametre="page", ancre=""):
    """The link to page ``numero`` of a list: the current query string (every filter, those with several
    values included) with ``parametre`` set to ``numero``, then ``#ancre`` if given."""
    request = context.get("request")
    donnees = request.GET.copy() if request is not None else QueryDict(mutable=True)
    donnees[parametre] = numero
    return f"?{donnees.urlencode()}" + (f"#{ancre}" if ancre else "")


_liens_ecrits = {}
LIENS_MAX = 256


@register.filter
def elements_liens(liens):
    """``<li><a href="{url}">{titre}</a></li>`` for each ``(titre, url)`` of ``liens``, escaped: the items of a long
    list of links (the ateliers by champ d'action: a couple of hundred) without a template loop, nor
    ``format_html``'s lazy-text wrappers (``echapper``: ``conditional_escape``'s characters). The HTML of the same
    links (read at every request) is written once per process when they are plain strings (a safe string is
    equal to the plain one, and not escaped: it is written each time)."""
    liens = tuple(liens)
    simples = all(type(titre) is str and type(url) is str for titre, url in liens)
    if simples and liens in _liens_ecrits:
        return _liens_ecrits[liens]
    html = mark_safe("".join(f'<li><a href="{echapper(url)}">{echapper(titre)}</a></li>'  # noqa: S308 - escaped
                             for titre, url in liens))
    if simples:
        if len(_liens_ecrits) >= LIENS_MAX:
            _liens_ecrits.clear()
        _liens_ecrits[liens] = html
    return html
