"""Site navigation: main menu (pages marked « afficher dans les menus ») and footer."""

from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/menu_principal.html", takes_context=True)
def menu_principal(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    pages = []
    if site is not None:
        pages = site.root_page.get_children().live().public().in_menu().only("title", "url_path")
    return {"pages": pages, "request": request, "site": site}


@register.inclusion_tag("includes/pied_de_page.html", takes_context=True)
def pied_de_page(context):
    return {"request": context.get("request"), "settings": context.get("settings")}
