"""The structure card of the structures' list, written in Python rather than in the template's loop (twenty
cards a page, each with a reversed URL, a choice label and a nested loop). Same HTML as the template it
replaces (tested against it)."""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..models import FormeJuridique

register = template.Library()

JALON = "jalon-de-slug"


@functools.lru_cache(maxsize=32)
def _modele_url(_urlconf, _prefixe):
    return reverse("comptes:structure_detail", args=[JALON])


@functools.lru_cache(maxsize=16)
def _formes(_langue):
    return {valeur: escape(str(libelle)) for valeur, libelle in FormeJuridique.choices}


def _url(structure):
    slug = structure.slug
    if slug and slug.isascii() and slug.replace("-", "").replace("_", "").isalnum():
        return _modele_url(get_urlconf(), get_script_prefix()).replace(JALON, slug)
    return structure.get_absolute_url()


@register.simple_tag
def carte_structure(structure):
    """Render a structure's card (``commune`` selected and ``agrements`` prefetched with it)."""
    forme = structure.forme_juridique
    html = [
        '<li class="carte"><h2><a href="', escape(_url(structure)), '">', conditional_escape(structure.nom),
        "</a></h2>\n      <p>", _formes(get_language()).get(forme, escape(forme)),
    ]
    if structure.commune:
        html += [" · ", conditional_escape(structure.commune.nom)]
    html.append("</p>\n      ")
    for agrement in structure.agrements.all():
        html += ['<span class="etiquette">', conditional_escape(agrement.libelle), "</span> "]
    html.append("\n    </li>")
    return mark_safe("".join(html))  # noqa: S308 - every value is escaped above
