"""Choice labels (``get_FOO_display()``) read from one dictionary per field and language.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on every call. Making the
choices hashable hashes each label, and hashing a lazy label translates it: showing one state of a proposal
translated the labels of all its states (about 20 µs a label here, 100 to 200 µs a call). A proposal's page calls
it a dozen times, the lists once or twice per row.

``_get_FIELD_display`` below keeps, on the field, one dictionary value → label (as ``str``) per language, built the
first time a label of the field is shown in that language, and answers as Django does (a value outside the choices
is returned as is, through ``force_str(strings_only=True)``). The dictionary is built again if the field's choices
are replaced. Choices given as a callable are read again by Django on each use: those fields keep Django's code.

``installer()`` is called when the accounts application is imported, before any model class exists: each field
binds its ``get_FOO_display`` to the model's ``_get_FIELD_display`` when its class is created.
``tests/plateforme/test_libelles.py`` compares every label of every field with Django's own answer.
"""

from django.db.models import base
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_get_FIELD_display_django = base.Model._get_FIELD_display


def _get_FIELD_display(self, field):
    valeur = getattr(self, field.attname)
    choix = field.choices
    if not isinstance(choix, (list, tuple)):
        return _get_FIELD_display_django(self, field)
    memo = field.__dict__.get("_libelles_par_langue")
    if memo is None or memo[0] is not choix:
        memo = (choix, {})
        field._libelles_par_langue = memo
    langue = get_language()
    libelles = memo[1].get(langue)
    if libelles is None:
        libelles = {make_hashable(cle): force_str(libelle, strings_only=True) for cle, libelle in field.flatchoices}
        memo[1][langue] = libelles
    try:
        return libelles[valeur]
    except KeyError:
        return force_str(valeur, strings_only=True)
    except TypeError:  # an unhashable value (a list): Django's own way
        return force_str(libelles.get(make_hashable(valeur), valeur), strings_only=True)


def installer():
    """Make the fields of the model classes created from now on bind ``get_FOO_display`` to the function above."""
    base.Model._get_FIELD_display = _get_FIELD_display
