"""Wagtail's routing of a page's URL in one round trip, the page read as its specific type with its restrictions.

Wagtail routes ``/champs-d-action/foncier/`` from the site's root page one URL level at a time
(``Page.route``): the child page by its slug, then that page as its specific type, two queries per level that its
ORM compiles afresh at each request; then, before serving it, the view restrictions of the page and its ancestors
(one more). A champ d'action's page spent five of its ten queries there.

``RoutageEnUneLecture.route`` reads the same answer in one round trip (``lire_ensemble``), by two queries written
once per process for a number of URL levels:

- the pages under the routing page at the depths of the remaining levels whose slug is one of them, with the row
  of one page type joined: the type of the page found last at this URL in this process (``_types_devines``; a
  direct child model of ``Page``). Joining every type's table cost PostgreSQL 1.5 ms of planning per request.
  When the page served is of another type (the first request, a page replaced), Wagtail's ``specific`` reads it,
  and the next request joins its type;
- the view restrictions of those pages and of the routing page and its ancestors (an alias counting as its
  source), each with the path of the page it was read through.

The levels are then walked in Python as Wagtail walks them: at each level, the child (next depth, parent's path,
slug) of the page reached, none when that page has no children (``numchild``), several as Wagtail's ``get``
finds several (its error). A page whose type routes otherwise (its own ``route``, a type not joined) is given
the remaining levels as Wagtail gives them; the pages on the way are routed with as their type, their own fields
read if used (``get_specific(deferred=True)``: no query); the page reached last is given none
(``route(request, [])``: its ``live`` check, or its own routing). The page served is given the restrictions of its path
(``restrictions_lues``, read by ``RestrictionsCompilees.get_view_restrictions``). Nothing is kept between
requests but the SQL.
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import Http404
from wagtail.models import Page, PageViewRestriction

from conseil_ess.prechargement import Lecture, conversions, instances, lecture, lire_ensemble

# Past this many URL levels, Wagtail's routing (one SQL text per number of levels is kept).
NIVEAUX_MAX = 8
_PARTIES_RESTRICTION = (("r", PageViewRestriction, ("restriction_type", "password", "page"), None),)
# The specific model of the page last found at a URL ((routing page's path, levels) → model), bounded.
_types_devines = {}
TYPES_DEVINES_MAX = 2048


def _joignable(modele):
    """True when ``modele``'s row can be joined to its page's: a concrete direct child model of ``Page`` (a
    deeper one would need a chain of joins: read by Wagtail's ``specific``)."""
    return modele is not None and modele is not Page and list(modele._meta.parents) == [Page]


@functools.lru_cache(maxsize=128)
def _requetes(niveaux, profondeur, _vendor, type_joint):
    """The two queries' SQL for ``niveaux`` URL levels under a page at ``profondeur``, with the row of
    ``type_joint`` (a page model, or None) joined, how a row becomes a page and where its path, slug and content
    type are: ``(sql des pages, sql des restrictions, constructions, colonnes)``; ``constructions`` maps
    ``Page`` and ``type_joint`` to the places of their concrete fields' values in a row and their names.
    Parameters: the routing page's path followed by ``%``, its depth, its depth + ``niveaux``, the ``niveaux``
    slugs; the restrictions' query takes the routing page's own path and its ancestors' before them."""
    q = connection.ops.quote_name
    page = Page._meta.db_table
    champs_page = Page._meta.concrete_fields
    colonnes = [f"p.{q(champ.column)}" for champ in champs_page]
    constructions = {Page: (tuple(range(len(champs_page))), [champ.attname for champ in champs_page])}
    jointure = ""
    if _joignable(type_joint):
        places = {champ.attname: i for i, champ in enumerate(champs_page)}
        for champ in type_joint._meta.concrete_fields:
            if champ.model is type_joint:
                places[champ.attname] = len(colonnes)
                colonnes.append(f"s.{q(champ.column)}")
        lien = type_joint._meta.get_ancestor_link(Page)
        jointure = (f" LEFT JOIN {q(type_joint._meta.db_table)} AS s"
                    f" ON s.{q(lien.column)} = p.{q(Page._meta.pk.column)}")
        champs = type_joint._meta.concrete_fields
        constructions[type_joint] = (tuple(places[champ.attname] for champ in champs),
                                     [champ.attname for champ in champs])
    marques = ", ".join(["%s"] * niveaux)
    filtre = (f"p.{q('path')} LIKE %s AND p.{q('depth')} > %s AND p.{q('depth')} <= %s"
              f" AND p.{q('slug')} IN ({marques})")
    # Table and column names come from the models, quoted; paths, depths and slugs are parameters.
    sql_pages = f"SELECT {', '.join(colonnes)} FROM {q(page)} AS p{jointure} WHERE {filtre}"  # noqa: S608
    ancetres = ", ".join(["%s"] * profondeur)
    sql_restrictions = (
        f"SELECT {lecture(_PARTIES_RESTRICTION, connection.vendor)[0]}, p.{q('path')}"  # noqa: S608
        f" FROM {q(PageViewRestriction._meta.db_table)} AS r INNER JOIN {q(page)} AS p"
        f" ON r.{q('page_id')} = COALESCE(p.{q('alias_of_id')}, p.{q('id')})"
        f" WHERE p.{q('path')} IN ({ancetres}) OR ({filtre})")
    noms_page = constructions[Page][1]
    colonnes_cles = (noms_page.index("path"), noms_page.index("slug"), noms_page.index("content_type_id"))
    return sql_pages, sql_restrictions, constructions, colonnes_cles


@functools.lru_cache(maxsize=64)
def _conversions(modele, _vendor):
    return conversions(modele, modele._meta.concrete_fields, connections[DEFAULT_DB_ALIAS])


def _page(ligne, modele, constructions, connexion):
    """The instance of ``modele`` (``Page`` or the joined type) made from a row."""
    places, noms = constructions[modele]
    valeurs = [ligne[place] for place in places]
    for i, (colonne, fonctions) in enumerate(_conversions(modele, connexion.vendor)):
        for fonction in fonctions:
            valeurs[i] = fonction(valeurs[i], colonne, connexion)
    return modele.from_db(connexion.alias, noms, valeurs)


def _route_standard(page):
    """True when ``page``'s type routes a child level as Wagtail's ``Page.route`` does."""
    methode = type(page).route
    return methode is Page.route or methode is RoutageEnUneLecture.route


class RoutageEnUneLecture:
    """Mixin of the site's page types: ``route`` in one round trip (see the module)."""

    def route(self, request, path_components):
        niveaux = len(path_components)
        if not niveaux or niveaux > NIVEAUX_MAX or not self.path:
            return super().route(request, path_components)
        connexion = connections[DEFAULT_DB_ALIAS]
        cle = (self.path, tuple(path_components))
        devine = _types_devines.get(cle)
        sql_pages, sql_restrictions, constructions, colonnes = _requetes(niveaux, self.depth, connexion.vendor,
                                                                         devine)
        colonne_chemin, colonne_slug, colonne_type = colonnes
        pas = Page.steplen
        filtre = [f"{self.path}%", self.depth, self.depth + niveaux, *path_components]
        ancetres = [self.path[:fin] for fin in range(pas, len(self.path) + 1, pas)]
        lignes, restrictions = lire_ensemble(
            Lecture(sql_pages, filtre, lambda lignes: lignes),
            Lecture(sql_restrictions, [*ancetres, *filtre], lambda lignes: lignes))
        enfants = {}
        for ligne in lignes:
            enfants.setdefault((ligne[colonne_chemin][:-pas], ligne[colonne_slug]), []).append(ligne)
        page = self
        for niveau, slug in enumerate(path_components):
            if niveau and not _route_standard(page):
                return page.route(request, path_components[niveau:])
            trouvees = enfants.get((page.path, slug), []) if page.numchild else []
            if len(trouvees) != 1:
                if not trouvees:
                    raise Http404
                return super().route(request, path_components)  # Wagtail's ``get`` says it
            ligne = trouvees[0]
            modele = ContentType.objects.get_for_id(ligne[colonne_type]).model_class()
            derniere = niveau == niveaux - 1
            enfant = _page(ligne, modele if derniere and modele in constructions else Page, constructions,
                           connexion)
            enfant._cached_parent_obj = page
            if not derniere:  # what Wagtail routes with: its type, its fields read when used
                page = enfant.get_specific(deferred=True)
                continue
            page = enfant.specific
            if modele is not devine:
                if len(_types_devines) >= TYPES_DEVINES_MAX:
                    _types_devines.clear()
                _types_devines[cle] = modele
        if page.alias_of_id is None:
            page.restrictions_lues = self._restrictions_de(page.path, restrictions, connexion)
        return page.route(request, [])

    @staticmethod
    def _restrictions_de(chemin, lignes, connexion):
        """The restrictions read for the page at ``chemin``: those of the pages its path starts with."""
        vues, resultat = set(), []
        for ligne in lignes:
            *colonnes, par = ligne
            if chemin.startswith(par):
                restriction = instances(_PARTIES_RESTRICTION, colonnes, connexion)[0]
                if restriction.pk not in vues:
                    vues.add(restriction.pk)
                    resultat.append(restriction)
        return resultat
