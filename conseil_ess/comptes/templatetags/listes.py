"""Template tags of the lists of every app (the lowest app holds them, so that every app may load them)."""

from django import template
from django.http import QueryDict
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


@register.simple_tag(takes_context=True)
def pagination(context, page_obj, libelle="", parametre="", ancre=""):
    """The pagination of a list (``includes/pagination.html``), written here rather than as template nodes (on
    every list page): its ``<nav>`` with the links to the previous and next pages (``lien_page``) and « Page n sur
    total »; nothing when there is one page. The same HTML as the template it replaced
    (tests/plateforme/anciens_gabarits/pagination.html)."""
    if not page_obj.has_other_pages():
        return ""
    parametre = parametre or "page"
    etiquette = echapper(libelle) if libelle else _("Pagination")
    morceaux = [f'\n<nav aria-label="{etiquette}"><ul class="pagination">\n  ']
    if page_obj.has_previous():
        lien = echapper(lien_page(context, page_obj.previous_page_number(), parametre, ancre))
        morceaux.append(f'<li><a href="{lien}">{_("Page précédente")}</a></li>')
    texte = _("Page %(n)s sur %(total)s") % {"n": echapper(localize(page_obj.number)),
                                             "total": echapper(localize(page_obj.paginator.num_pages))}
    morceaux.append(f'\n  <li aria-current="page">{texte}</li>\n  ')
    if page_obj.has_next():
        lien = echapper(lien_page(context, page_obj.next_page_number(), parametre, ancre))
        morceaux.append(f'<li><a href="{lien}">{_("Page suivante")}</a></li>')
    morceaux.append("\n</ul></nav>\n")
    return mark_safe("".join(morceaux))  # noqa: S308 - the label, links and numbers escaped


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


class FormulaireMemoiseNode(template.Node):
    """``{% formulaire_de_filtres filtre [value …] %}…{% fin_formulaire_de_filtres %}``: the form of a list's
    filters (``FilterSetRapide``). Unbound (the list opened without parameters, as most visitors open it), its
    HTML is a function of the form's fields (the code's), the options of its menus read from the database
    (``listes_lues``: read at each request, with the page's other queries), the language and the ``value``\\ s the
    template gives (the view, the month…): kept per process under all of these, so that the same options give the
    same HTML without rendering a field (the agenda's eleven fields and hundred options: a sixth of its page). A
    bound form (parameters, errors, the values typed) is rendered each time."""

    def __init__(self, nodelist, filtre, valeurs):
        self.nodelist, self.filtre, self.valeurs = nodelist, filtre, valeurs

    def render(self, context):
        filtre = self.filtre.resolve(context)
        if filtre.is_bound or getattr(filtre, "listes_lues", None) is None:
            return self.nodelist.render(context)
        filtre.form  # noqa: B018 - builds the form and its menus (``_listes``)
        cle = (id(self), get_language(), tuple(v.resolve(context) for v in self.valeurs),
               filtre._listes.instantane())
        trouve = _formulaires.get(cle)
        if trouve is not None and trouve[0] is self:  # the memo holds the node: its id stays its own
            return trouve[1]
        html = self.nodelist.render(context)
        if len(_formulaires) >= FORMULAIRES_MAX:
            _formulaires.clear()
        _formulaires[cle] = (self, html)
        return html


_formulaires = {}
FORMULAIRES_MAX = 256


@register.tag("formulaire_de_filtres")
def formulaire_de_filtres(parser, jeton):
    morceaux = jeton.split_contents()
    if len(morceaux) < 2:
        raise template.TemplateSyntaxError("formulaire_de_filtres : le filtre (FilterSetRapide) est requis")
    nodelist = parser.parse(("fin_formulaire_de_filtres",))
    parser.delete_first_token()
    return FormulaireMemoiseNode(nodelist, parser.compile_filter(morceaux[1]),
                                 [parser.compile_filter(m) for m in morceaux[2:]])
