"""Model field for user rich text: ``TexteRiche`` cleans a value through the one sanitizer when it is assigned.

Declare ``description = TexteRiche(_("description"), blank=True)`` in place of a ``TextField``: whatever
assigns the value (the constructor, ``obj.champ = …``, ``update_or_create(defaults=…)``, a model form,
a fixture), reading it back gives the sanitizer's output, so no ``save()`` has to remember to clean it.

Values read from the database are trusted and not cleaned again: every write of this field goes through
the descriptor or ``get_db_prep_save`` (``QuerySet.update(champ="…")`` included), so only clean HTML is
ever stored. They are marked (``HtmlNettoye``, a ``str``) on load, and a marked value is never re-cleaned.
Templates still render rich text through the ``nettoye`` filter: the two guards are independent.
"""

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from .sanitizer import nettoyer_html


class HtmlNettoye(str):
    """A string that is the sanitizer's output, or was read from a ``TexteRiche`` column (only clean HTML is
    written there): assigning it again costs nothing."""

    __slots__ = ()


def nettoyer(valeur):
    """Return ``valeur`` cleaned by the one sanitizer, marked clean (a marked value is returned as is)."""
    if isinstance(valeur, HtmlNettoye):
        return valeur
    return HtmlNettoye(nettoyer_html(valeur))


class DescripteurTexteRiche(DeferredAttribute):
    """The attribute of a ``TexteRiche`` field: cleans on assignment, loads deferred values like Django's own.

    A data descriptor (it defines ``__set__``), as ``FileField``'s is, so every assignment passes here.
    """

    def __set__(self, instance, valeur):
        if valeur is not None or not self.field.null:
            valeur = nettoyer(valeur)
        instance.__dict__[self.field.attname] = valeur


class TexteRiche(models.TextField):
    """A ``TextField`` of user HTML, always holding the sanitizer's output (see the module's docstring).

    Same column and same form field as ``TextField``: switching a field to it changes nothing in the database.
    """

    descriptor_class = DescripteurTexteRiche

    def from_db_value(self, valeur, expression, connection):
        return valeur if valeur is None else HtmlNettoye(valeur)

    def get_db_prep_save(self, valeur, connection):
        # A value given to ``QuerySet.update()`` did not pass the descriptor: clean it here. The driver gets
        # a plain ``str``.
        if isinstance(valeur, str):
            valeur = str(nettoyer(valeur))
        return super().get_db_prep_save(valeur, connection)
