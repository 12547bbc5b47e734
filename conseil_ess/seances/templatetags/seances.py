"""The séance card of the séances' list, written in Python rather than as an included template: the include
(and the place's include inside it) was most of the list's cost, twenty cards a page. Same HTML as the
template it replaces (tested against it)."""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from evenements.templatetags.agenda import iso, lieu_court, plage_dates

from ..models import Seance

register = template.Library()

JALON = "jalon-de-slug"
_CLASSES_STATUT = {"preparation": " etiquette--brouillon", "terminee": " etiquette--fin", "en_cours": " etiquette--ok"}


@functools.lru_cache(maxsize=32)
def _modele_url(_urlconf, _prefixe):
    return reverse("seances:detail", args=[JALON])


@functools.lru_cache(maxsize=16)
def _libelles(_langue):
    """The cards' fixed texts in the current language (translated constants, as ``{% translate %}`` gives them:
    not escaped) and the choices' labels (escaped)."""
    return {
        "heure": gettext("(heure de Paris)"),
        "preparation": gettext("Ordre du jour non publié : seuls le secrétariat et les élu·e·s voient cette séance."),
        "motif": gettext("Motif :"),
        "natures": {valeur: escape(str(libelle)) for valeur, libelle in Seance.Nature.choices},
        "statuts": {valeur: escape(str(libelle)) for valeur, libelle in Seance.Statut.choices},
    }


def _url(seance, slug):
    modele = _modele_url(get_urlconf(), get_script_prefix())
    if slug and slug.isascii() and slug.replace("-", "").replace("_", "").isalnum():
        return modele.replace(JALON, slug)
    return reverse("seances:detail", args=[slug])  # ``Seance.get_absolute_url`` (a card may be a row)


@register.simple_tag
def carte_seance(seance):
    """Render a séance's card (``seance.evenement``, its place and commune loaded with it; or the light
    objects of ``views._cartes`` with the same attributes)."""
    libelles = _libelles(get_language())
    evenement = seance.evenement
    nature, statut = seance.nature, seance.statut
    html = [
        '<article class="carte evenement">\n  <h3 class="evenement__titre"><a href="',
        escape(_url(seance, evenement.slug)), '">', conditional_escape(evenement.titre), "</a></h3>\n",
        '  <p class="evenement__quand"><time datetime="', escape(iso(evenement.debut)), '">',
        conditional_escape(plage_dates(evenement)), '</time> <span class="aide">', libelles["heure"],
        "</span></p>\n",
        '  <p class="evenement__ou">', conditional_escape(lieu_court(evenement)), "\n</p>\n",  # (newline: old include)
        '  <p class="evenement__infos"><span class="etiquette" data-nature="', escape(nature), '">',
        libelles["natures"].get(nature, escape(nature)), "</span>\n",
        '    <span class="etiquette', _CLASSES_STATUT.get(statut, ""), '" data-statut="', escape(statut), '">',
        libelles["statuts"].get(statut, escape(statut)), "</span></p>\n  ",
    ]
    if statut == "preparation":
        html += ['<p class="aide">', libelles["preparation"], "</p>"]
    html.append("\n  ")
    if nature == "exceptionnelle":
        html += ['<p class="evenement__motif">', libelles["motif"], " ",
                 conditional_escape(seance.motif_exceptionnelle), "</p>"]
    html.append("\n</article>\n")
    return mark_safe("".join(html))  # noqa: S308 - every value is escaped above
