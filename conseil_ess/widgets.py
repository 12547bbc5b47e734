"""Form widgets shared by the apps' public pages.

``SelectRapide`` renders a ``<select>`` in Python, with the same HTML as Django's templates: those include one
template per option, which made the filter forms the costliest part of the list pages (the ateliers' and
communes' menus have tens of options).
"""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _attributs(attrs):
    """The attributes as ``django/forms/widgets/attrs.html`` writes them (True: bare name, False: left out)."""
    return mark_safe(  # noqa: S308 - every piece is escaped by format_html
        "".join(
            format_html(" {}", nom) if valeur is True else format_html(' {}="{}"', nom, str(valeur))
            for nom, valeur in attrs.items()
            if valeur is not False
        )
    )


class SelectRapide(forms.Select):
    """``forms.Select`` rendered without a template per option (same HTML)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        morceaux = [format_html('<select name="{}"{}>', widget["name"], _attributs(widget["attrs"]))]
        for groupe, options, _index in widget["optgroups"]:
            if groupe:
                morceaux.append(format_html('\n  <optgroup label="{}">', groupe))
            for option in options:
                morceaux.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        _attributs(option["attrs"]),
                        option["label"],
                    )
                )
            if groupe:
                morceaux.append("\n  </optgroup>")
        morceaux.append("\n</select>")
        return mark_safe("".join(morceaux))  # noqa: S308 - every piece is escaped by format_html
