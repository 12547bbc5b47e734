from django import template

from conseil_ess.recherche import surligner

register = template.Library()


@register.filter
def surligne(texte, requete):
    """Escape ``texte`` and mark the words that match ``requete`` (``<mark>``), as the search matched them."""
    return surligner(str(texte or ""), requete or "")
