"""Template filters for user content: the only place that marks user HTML safe, after sanitizing."""

from django import template
from django.utils.safestring import mark_safe

from conseil_ess.sanitizer import nettoyer_html

register = template.Library()


@register.filter
def nettoye(valeur):
    """Render user rich text through the one sanitizer."""
    return mark_safe(nettoyer_html(valeur))  # noqa: S308 - sanitized just above
