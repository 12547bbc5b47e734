"""One dictionary for looking up a translated message, whatever the number of message catalogues.

Django keeps the catalogues of a language apart when their plural formulas differ (``TranslationCatalog``), so
that ``ngettext`` applies each catalogue's own formula. Its ``update`` means to merge a catalogue into the first
one when both formulas are the same, but compares a code object with a function (Django 5.2), so every
application's catalogue stays apart: French has twenty here, and every ``gettext`` looks a message up in each of
them in turn until it is found (4 µs a call, a hundred to two hundred calls a page: choice labels, field labels,
``{% translate %}``).

``CatalogueAplati`` answers ``get``, ``[]`` and ``in`` from one dictionary built from the catalogues in their
order of precedence (the first catalogue holding a message wins, as in Django's loop), rebuilt after any change.
``plural`` (``ngettext``) keeps Django's loop, each catalogue with its formula. ``installer()`` is called when the
accounts application is imported, before any translation is loaded (Django loads them once the application
registry is ready). ``tests/plateforme/test_traductions.py`` compares every message with Django's lookup.
"""

from django.utils.translation import trans_real


class CatalogueAplati(trans_real.TranslationCatalog):
    """``TranslationCatalog`` whose lookups read one dictionary (see the module's docstring)."""

    def __init__(self, trans=None):
        super().__init__(trans)
        self._plat = None

    def _dictionnaire(self):
        if self._plat is None:
            plat = {}
            for catalogue in reversed(self._catalogs):  # the first catalogue wins, as in Django's loop
                plat.update(catalogue)
            self._plat = plat
        return self._plat

    def __getitem__(self, key):
        return self._dictionnaire()[key]

    def __contains__(self, key):
        return key in self._dictionnaire()

    def get(self, key, default=None):
        return self._dictionnaire().get(key, default)

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._plat = None

    def update(self, trans):
        super().update(trans)
        self._plat = None


def installer():
    """Make Django build its catalogues as ``CatalogueAplati`` (``DjangoTranslation.merge`` names the class
    through its module)."""
    trans_real.TranslationCatalog = CatalogueAplati
