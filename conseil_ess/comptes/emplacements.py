"""Places (« emplacements ») of a lower app's pages where later apps add blocks and links.

The import direction is comptes ← evenements ← ateliers ← propositions ← seances ← home: « Mon espace »
(comptes) cannot name the agenda, the ateliers or the proposals, yet it shows a part of each; an atelier's
page cannot name the proposals it works on. The page names only its emplacement; each later app
registers what it adds there from its ``AppConfig.ready()`` (``evenements/extensions.py`` is the model):

- a **block**: a template and ``contexte(context) -> dict``, given the page's template context (its
  ``request``, its objects); the template renders with that dict alone, plus the CSRF token, the way an
  inclusion tag does. ``{% load emplacements %}{% blocs "comptes.mon_espace" %}`` renders every block of
  the emplacement by ``ordre``;
- a **link**: a label and a URL name, shown to those who hold ``permission`` (``{% liens … as liens %}``).

The emplacement names are constants of the app that owns the page (``MON_ESPACE`` here).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

MON_ESPACE = "comptes.mon_espace"

# Places of the blocks on « Mon espace », after the account's own part (structures, requests).
ORDRE_MON_AGENDA = 10
ORDRE_MES_ATELIERS = 20
ORDRE_MES_PROPOSITIONS = 30


@dataclass(frozen=True)
class Bloc:
    template: str
    contexte: Callable[[object], dict]
    ordre: int


@dataclass(frozen=True)
class Lien:
    libelle: str
    nom_url: str
    permission: str | None
    ordre: int


_blocs = defaultdict(dict)  # emplacement -> {template: Bloc}
_liens = defaultdict(dict)  # emplacement -> {URL name: Lien}


def enregistrer_bloc(emplacement, template, contexte, *, ordre):
    """Add (or replace) the block rendered with ``template`` to ``emplacement``."""
    _blocs[emplacement][template] = Bloc(template, contexte, ordre)


def enregistrer_lien(emplacement, libelle, nom_url, *, permission=None, ordre=0):
    """Add (or replace) a link to the URL named ``nom_url``, for those who hold ``permission`` (None: all)."""
    _liens[emplacement][nom_url] = Lien(libelle, nom_url, permission, ordre)


def blocs(emplacement):
    """Return the blocks of ``emplacement``, by ``ordre`` then template name."""
    return sorted(_blocs[emplacement].values(), key=lambda bloc: (bloc.ordre, bloc.template))


def liens(emplacement, user):
    """Return [{"libelle", "url"}] of the links of ``emplacement`` that ``user`` may follow, by ``ordre``."""
    return [
        {"libelle": lien.libelle, "url": reverse(lien.nom_url)}
        for lien in sorted(_liens[emplacement].values(), key=lambda lien: (lien.ordre, lien.nom_url))
        if lien.permission is None or user.has_perm(lien.permission)
    ]
