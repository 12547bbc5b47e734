"""Template tags of the proposals: the state badge, safe links."""

from django import template

from ..models import ETATS_ADOPTES, ETATS_FINAUX, Etat

register = template.Library()


@register.filter
def classe_etat(etat):
    """Return the badge modifier of a state: adopted ones "ok", closed ones "fin", the others "attente"."""
    if etat in ETATS_ADOPTES:
        return "etiquette--ok"
    if etat in ETATS_FINAUX:
        return "etiquette--fin"
    if etat == Etat.BROUILLON:
        return "etiquette--brouillon"
    return "etiquette--attente"


@register.filter
def lien_sur(url):
    """Return True if ``url`` may be a link target: a path of the site or an http(s) address."""
    url = (url or "").strip()
    return url.startswith("/") and not url.startswith("//") or url.lower().startswith(("http://", "https://"))
