"""Hooks by which later apps add to the proposals without the proposals importing them.

The import direction is … ← propositions ← seances ← home: the proposal form suggests the levers of
action of the champs d'action, yet those are written on the champs' pages (``home``, a later app).
A later app registers, from its ``AppConfig.ready()``, a **source of lever wordings**:
``source() -> [libellé]`` (``evenements/extensions.py`` is the model of such hooks).
"""

_sources_leviers = []


def enregistrer_source_leviers(source):
    """Register ``source() -> list of lever wordings`` offered as suggestions by the proposal form."""
    _sources_leviers.append(source)


def libelles_leviers():
    """Return the wordings of every registered source, in their order, each once."""
    return list(dict.fromkeys(libelle for source in _sources_leviers for libelle in source()))
