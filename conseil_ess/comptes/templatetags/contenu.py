"""Template filters for user content: the only place that marks user HTML safe, after sanitizing."""

from django import template
from django.utils.safestring import mark_safe

from conseil_ess.sanitizer import html_affiche

register = template.Library()


@register.filter
def nettoye(valeur):
    """Render user rich text through the one sanitizer, its paragraphs and line breaks kept."""
    return mark_safe(html_affiche(valeur))  # noqa: S308 - sanitized just above
