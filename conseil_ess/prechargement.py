"""Rows read by plain SQL into model instances: many-to-many relations of a list of objects into Django's
prefetch cache (``precharger``), and joined rows into instances linked as ``select_related`` links them
(``lecture``, ``instances``, ``relier``).

``prefetch_related`` builds its query through the related manager and the ORM's compiler, then the model
instances: on a list page of twenty cards, its two or three prefetches cost more CPU than the rest of the
list's queries. ``precharger`` reads only the columns a page shows, by a query written from the models' own
table and column names, and leaves the objects where ``prefetch_related`` leaves them: ``objet.relation.all()``
reads them without a query. Nothing is kept between requests.

The same for a page's main query, when compiling it costs more than the page (the atelier's page: the atelier
with four joined rows, its meetings with their events): the query is written once from the models' table and
column names (``sql_table``, ``sql_colonne``; ``lecture`` gives its SELECT list), and each row becomes the
instances the ORM would build (``instances``: ``Model.from_db``, the ORM's conversions of the database values),
joined objects set in the relations' caches (``relier``). Which rows may be seen stays decided by the ORM's own
querysets, given as subqueries.
"""

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.db.models import DEFERRED, F, Sum


def _colonne_de_tri(modele, nom):
    champ = modele._meta.get_field(nom.lstrip("-"))
    return champ.column, " DESC" if nom.startswith("-") else ""


class Lecture(NamedTuple):
    """A query of ``lire_ensemble``: its SQL (one SELECT, written for parameters: a literal ``%`` doubled; None:
    nothing to read), its parameters, and ``lire``, which makes its rows (a list of tuples) the caller's value."""

    sql: str | None
    parametres: Sequence
    lire: Callable


def lire_ensemble(*lectures, alias=DEFAULT_DB_ALIAS):
    """The values of ``lectures`` (``Lecture``), in their order, their queries sent to the database in one round
    trip when it runs several statements at once (PostgreSQL: the statements separated by semicolons, one
    execution, each result read in turn), one after the other otherwise (SQLite). A query's round trip (the
    socket's system calls, Django's and psycopg's cursors, the process woken up) cost more CPU on a list page than
    its rows: the page's independent queries go together. Only reads: each statement is a SELECT (a write must
    go through the ORM's, watched by the page cache)."""
    a_lire = [lecture for lecture in lectures if lecture.sql is not None]
    for lecture in a_lire:
        if not lecture.sql.lstrip()[:6].upper() == "SELECT":
            raise ValueError("lire_ensemble ne lit que des requêtes SELECT")
    connexion = connections[alias]
    lignes = []
    if a_lire:
        with connexion.cursor() as curseur:
            # Several statements in one execution: psycopg's client-side binding (Django's default); with
            # server-side binding (``OPTIONS["server_side_binding"]``) a prepared statement holds only one.
            if (connexion.vendor == "postgresql" and len(a_lire) > 1
                    and not connexion.settings_dict.get("OPTIONS", {}).get("server_side_binding")):
                curseur.execute("; ".join(lecture.sql for lecture in a_lire),
                                [valeur for lecture in a_lire for valeur in lecture.parametres])
                lignes.append(curseur.fetchall())
                for _lecture in a_lire[1:]:
                    curseur.nextset()
                    lignes.append(curseur.fetchall())
            else:
                for lecture in a_lire:
                    curseur.execute(lecture.sql, lecture.parametres)
                    lignes.append(curseur.fetchall())
    lues = iter(lignes)
    return [lecture.lire(next(lues) if lecture.sql is not None else []) for lecture in lectures]


def precharger(objets, relation, champs):
    """Give every one of ``objets`` (instances of one model) its many-to-many ``relation``, as
    ``prefetch_related(relation)`` would, with only ``champs`` (field names of the related model) loaded: other
    fields are deferred, as with ``only()``. The related objects come in their model's ``Meta.ordering``
    (plain field names only), then by primary key. One query, whatever the number of ``objets``."""
    lire_ensemble(lecture_prechargement(objets, relation, champs))


def lecture_prechargement(objets, relation, champs):
    """``precharger``'s query, as a ``Lecture`` (for ``lire_ensemble``)."""
    objets = list(objets)
    if not objets:
        return Lecture(None, (), lambda lignes: None)
    modele = type(objets[0])
    lie = modele._meta.get_field(relation).related_model
    alias = router.db_for_read(lie)
    connexion = connections[alias]
    sql, noms, a_convertir = _requete_de_prechargement(modele, relation, tuple(champs), len(objets), alias,
                                                       connexion.vendor)

    def lire(lignes):
        par_objet = {objet.pk: [] for objet in objets}
        for source_pk, *valeurs in lignes:
            convertir(valeurs, a_convertir, connexion)
            par_objet[source_pk].append(lie.from_db(alias, noms, valeurs))
        for objet in objets:
            mettre_en_cache(objet, {relation: par_objet[objet.pk]})

    return Lecture(sql, [objet.pk for objet in objets], lire)


@functools.lru_cache(maxsize=256)
def _requete_de_prechargement(modele, relation, champs, nombre, alias, _vendor):
    """``precharger``'s query for ``nombre`` objects (their ids as parameters), the attribute names of its columns
    and their conversions: constants of the models, built once per database and number of objects."""
    lien = modele._meta.get_field(relation)
    lie, table_lien = lien.related_model, lien.remote_field.through._meta.db_table
    connexion = connections[alias]
    q = connexion.ops.quote_name
    # In the model's field order: ``Model.from_db`` takes the values of a partial row in that order.
    voulus = {lie._meta.pk.attname, *(lie._meta.get_field(nom).attname for nom in champs if nom != "pk")}
    definitions = [champ for champ in lie._meta.concrete_fields if champ.attname in voulus]
    noms = [champ.attname for champ in definitions]
    colonnes = ", ".join(f"m.{q(champ.column)}" for champ in definitions)
    tri = [_colonne_de_tri(lie, nom) for nom in lie._meta.ordering] + [(lie._meta.pk.column, "")]
    ordre = ", ".join(f"m.{q(colonne)}{sens}" for colonne, sens in tri)
    source, cible = lien.m2m_column_name(), lien.m2m_reverse_name()
    marques = ", ".join(["%s"] * nombre)
    # Table and column names come from the models, quoted; the ids are parameters.
    sql = (
        f"SELECT t.{q(source)}, {colonnes} FROM {q(lie._meta.db_table)} AS m"  # noqa: S608
        f" INNER JOIN {q(table_lien)} AS t ON t.{q(cible)} = m.{q(lie._meta.pk.column)}"
        f" WHERE t.{q(source)} IN ({marques}) ORDER BY {ordre}"
    )
    return sql, noms, conversions(lie, definitions, connexion)


class RelationLue:
    """What ``mettre_en_cache`` puts in Django's prefetch cache for one relation of one object: its rows, read as
    the prefetched queryset reads them (iteration, ``len``, indexing, ``all()``, ``count()``, ``exists()``: no
    query). Any other queryset method (``filter()``, ``order_by()``…) goes to the relation's real queryset, built
    then and holding the same rows, which queries as a prefetched queryset does. Building that queryset for every
    object (a related manager and a filter each) cost more than reading the rows."""

    __slots__ = ("_objet", "_nom", "_lies", "_reel")

    def __init__(self, objet, nom, lies):
        self._objet, self._nom, self._lies, self._reel = objet, nom, list(lies), None

    def __iter__(self):
        return iter(self._lies)

    def __len__(self):
        return len(self._lies)

    def __bool__(self):
        return bool(self._lies)

    def __getitem__(self, indice):
        return self._lies[indice]

    def all(self):
        return self

    def count(self):
        return len(self._lies)

    def exists(self):
        return bool(self._lies)

    def __getattr__(self, nom):
        if self._reel is None:
            cache = self._objet._prefetched_objects_cache
            del cache[self._nom]  # the related manager then builds its own queryset
            try:
                qs = getattr(self._objet, self._nom).get_queryset()
            finally:
                cache[self._nom] = self
            qs._result_cache, qs._prefetch_done = self._lies, True
            self._reel = qs
        return getattr(self._reel, nom)


def lies(objet, nom):
    """``objet.<nom>.all()``, read from the prefetch cache when the relation is there (a card loop: the related
    manager ``objet.<nom>`` is built at each access, 6 µs, a hundred times the lookup)."""
    cache = getattr(objet, "_prefetched_objects_cache", None)
    if cache is not None and nom in cache:
        return cache[nom]
    return getattr(objet, nom).all()


def mettre_en_cache(objet, relations):
    """Put ``relations`` ({name: related objects}) in ``objet``'s prefetch cache, where ``prefetch_related`` leaves
    them: ``objet.<name>.all()`` reads them without a query (``RelationLue``)."""
    cache = getattr(objet, "_prefetched_objects_cache", {})
    for nom, lies in relations.items():
        cache[nom] = RelationLue(objet, nom, lies)
    objet._prefetched_objects_cache = cache


def conversions(modele, champs, connexion):
    """For each of ``champs`` (fields of ``modele``, in their order): its column and the conversions the ORM
    applies to its database values (the backend's: dates and decimals on SQLite; the field's ``from_db_value``)."""
    resultat = []
    for champ in champs:
        colonne = champ.get_col(modele._meta.db_table)
        resultat.append((colonne, connexion.ops.get_db_converters(colonne) + champ.get_db_converters(connexion)))
    return resultat


def valeur_convertie(valeur, fonctions, expression, connexion):
    """``valeur`` as read from the database, through the ORM's conversions ``fonctions`` of ``expression`` (its
    column), in order: what the ORM would give for it."""
    for fonction in fonctions:
        valeur = fonction(valeur, expression, connexion)
    return valeur


def convertir(valeurs, a_convertir, connexion):
    """Apply ``a_convertir`` (from ``conversions()``) to ``valeurs``, a row's values in the same order, in place."""
    for i, (colonne, fonctions) in enumerate(a_convertir):
        valeurs[i] = valeur_convertie(valeurs[i], fonctions, colonne, connexion)


def sql_table(alias, modele):
    """``"table" AS alias`` for ``modele``."""
    return f"{connection.ops.quote_name(modele._meta.db_table)} AS {alias}"


def sql_colonne(alias, modele, nom):
    """``alias."column"`` of ``modele``'s field ``nom``."""
    return f"{alias}.{connection.ops.quote_name(modele._meta.get_field(nom).column)}"


def sql_jointure(alias, modele, source, modele_source, relation, *, interne=False):
    """`` LEFT JOIN "table" AS alias ON alias."id" = source."relation_id"``: ``modele`` joined by the foreign key
    ``relation`` of ``modele_source`` (alias ``source``); ``INNER JOIN`` when ``interne``."""
    cle = connection.ops.quote_name(modele._meta.pk.column)
    return (f" {'INNER' if interne else 'LEFT'} JOIN {sql_table(alias, modele)} ON"
            f" {alias}.{cle} = {sql_colonne(source, modele_source, relation)}")


def sql_jointure_inverse(alias, modele, relation, source, modele_source):
    """`` LEFT JOIN "table" AS alias ON alias."relation_id" = source."id"``: ``modele``, whose foreign key (or
    one-to-one) ``relation`` points to ``modele_source`` (alias ``source``)."""
    return (f" LEFT JOIN {sql_table(alias, modele)} ON {sql_colonne(alias, modele, relation)} ="
            f" {source}.{connection.ops.quote_name(modele_source._meta.pk.column)}")


@functools.lru_cache(maxsize=16)
def lecture(parties, _vendor):
    """For ``parties`` (a tuple of ``(table alias, model, field names read, relation or None)``): the SELECT list,
    and for each part its model, the attribute names ``from_db`` is given (the pk first, then in the model's field
    order, as ``from_db`` wants them) and their conversions. Constants of the models, built once per database
    vendor."""
    q, colonnes, resultat = connection.ops.quote_name, [], []
    for alias, modele, noms, _relation in parties:
        voulus = {modele._meta.pk.attname, *(modele._meta.get_field(nom).attname for nom in noms)}
        champs = [champ for champ in modele._meta.concrete_fields if champ.attname in voulus]
        colonnes += [f"{alias}.{q(champ.column)}" for champ in champs]
        resultat.append((modele, [champ.attname for champ in champs], conversions(modele, champs, connection)))
    return ", ".join(colonnes), resultat


@functools.lru_cache(maxsize=64)
def _constructions(parties, vendor):
    """``lecture(parties)``'s parts, each with where its values go among its model's concrete fields (None: all of
    them are read): ``from_db`` is then given a value (or ``DEFERRED``) for every field, and skips matching each
    field's name against the names read (a comparison per field and name read, for every row)."""
    resultat = []
    for modele, attributs, a_convertir in lecture(parties, vendor)[1]:
        tous = [champ.attname for champ in modele._meta.concrete_fields]
        places = None if attributs == tous else tuple(tous.index(nom) for nom in attributs)
        resultat.append((modele, attributs, a_convertir, places, len(tous)))
    return resultat


def instances(parties, ligne, connexion=None):
    """The instances of ``parties`` from a row read with ``lecture(parties)``'s columns: None for a part whose pk
    is NULL (a LEFT JOIN that found nothing). Link them with ``relier``. ``connexion``: the default database's (a
    caller reading many rows looks it up once: each attribute of ``django.db.connection`` is a lookup of the
    request's connections in asgiref's ``Local``)."""
    if connexion is None:
        connexion = connections[DEFAULT_DB_ALIAS]
    objets, debut = [], 0
    for modele, attributs, a_convertir, places, nombre in _constructions(parties, connexion.vendor):
        valeurs = list(ligne[debut:debut + len(attributs)])
        debut += len(attributs)
        if valeurs[0] is None:
            objets.append(None)
            continue
        convertir(valeurs, a_convertir, connexion)
        if places is not None:
            complet = [DEFERRED] * nombre
            for place, valeur in zip(places, valeurs, strict=True):
                complet[place] = valeur
            valeurs = complet
        objets.append(modele.from_db(connexion.alias, attributs, valeurs))
    return objets


def relier(objet, relation, lie):
    """Set ``lie`` (or None) as ``objet``'s ``relation`` (a foreign key or a reverse one-to-one) in its cache, and
    ``objet`` as the reverse side of a one-to-one, as ``select_related`` does."""
    champ = objet._meta.get_field(relation)
    champ.set_cached_value(objet, lie)
    if lie is not None and champ.one_to_one and not champ.concrete:
        champ.field.set_cached_value(lie, objet)


# --- Whole tables: their SQL compiled once ----------------------------------------------------------------------

_requetes_de_tables = {}


def _table_entiere(query):
    """True when ``query`` reads every row of its model (no filter, annotation, DISTINCT, slice, extra or union):
    its SQL then depends only on the model, the order, the columns read and the database, not on any value."""
    return not (query.where or query.annotations or query.distinct or query.extra or query.combinator
                or query.low_mark or query.high_mark is not None or query.select_related)


def lignes_de_table(qs, champs):
    """``list(qs.values_list(*champs))`` for a queryset of a whole table in some order (a menu's options, the
    cycles), its SQL compiled once per process (model, order, columns, database): the ORM compiled it afresh at
    every page, for a few rows. Another queryset (filtered…) goes through the ORM as usual."""
    query = qs.query
    if not _table_entiere(query):
        return list(qs.values_list(*champs))
    connexion = connections[qs.db]
    cle = (qs.model, tuple(query.order_by), query.default_ordering, tuple(champs), qs.db, connexion.vendor)
    try:
        sql, parametres, a_convertir = _requetes_de_tables[cle]
    except KeyError:
        compilateur = qs.values_list(*champs).query.get_compiler(qs.db)
        sql, parametres = compilateur.as_sql()
        a_convertir = compilateur.get_converters([colonne for colonne, _sql, _alias in compilateur.select])
        _requetes_de_tables[cle] = sql, parametres, a_convertir
    with connexion.cursor() as curseur:
        curseur.execute(sql, parametres)
        lignes = curseur.fetchall()
    if not a_convertir:
        return lignes
    resultat = []
    for ligne in lignes:
        ligne = list(ligne)
        for position, (fonctions, expression) in a_convertir.items():
            ligne[position] = valeur_convertie(ligne[position], fonctions, expression, connexion)
        resultat.append(tuple(ligne))
    return resultat


def instances_de_table(qs):
    """``list(qs)`` for a queryset of a whole table in some order (``lignes_de_table``): every concrete field read,
    each row made the instance the ORM makes (``Model.from_db``)."""
    if not _table_entiere(qs.query) or qs.query.deferred_loading[0] or not qs.query.deferred_loading[1]:
        return list(qs)
    modele = qs.model
    noms = [champ.attname for champ in modele._meta.concrete_fields]
    return [modele.from_db(qs.db, noms, ligne) for ligne in lignes_de_table(qs, noms)]


# --- A written query around the ORM's WHERE -----------------------------------------------------------------------


def where_sans_jointure(qs):
    """``(sql, parameters)``: the WHERE of ``qs`` as the ORM compiles it (``""`` when it has none), naming ``qs``'s
    table by its own name, for a query written around it (its SELECT, joins under other aliases, ORDER BY): the
    ORM then builds the filters only, not the columns, joins and order. None when ``qs`` needs more than its own
    table (a filter through a relation), or is not a plain filtered read (annotation, DISTINCT, grouping, extra,
    union). Raises ``EmptyResultSet`` when it can match nothing (as the ORM then runs no query)."""
    query, table = qs.query, qs.model._meta.db_table
    jointes = {alias for alias in query.alias_map if alias != table and query.alias_refcount[alias]}
    if (jointes or query.annotations or query.distinct or query.extra or query.combinator or query.group_by
            or (query.alias_map and table not in query.alias_map)):
        return None
    try:
        return query.get_compiler(qs.db).compile(query.where)
    except FullResultSet:
        return "", []


def sql_tri(modele, noms):
    """The ORDER BY terms of field names ``noms`` of ``modele`` (``-`` for descending, ``pk``), its table named by its
    own name; None when one of them is not a column of that table (an expression, a relation, a lookup through
    one, an annotation): the query then needs the ORM."""
    q, table = connection.ops.quote_name, connection.ops.quote_name(modele._meta.db_table)
    termes = []
    for nom in noms:
        if not isinstance(nom, str):
            return None
        try:
            champ = modele._meta.pk if nom.lstrip("-") == "pk" else modele._meta.get_field(nom.lstrip("-"))
        except FieldDoesNotExist:  # a lookup through a relation (``cycle__titre``), an annotation
            return None
        if not champ.concrete or champ.is_relation:
            return None
        termes.append(f"{table}.{q(champ.column)}{' DESC' if nom.startswith('-') else ''}")
    return ", ".join(termes)


def instances_filtrees(qs, noms, ordre, lies=(), tranche=None):
    """``list(qs.select_related(…).only(*noms, …).order_by(*ordre)[debut:fin])`` (``ordre``: field names of
    ``qs``'s model, ``-`` for descending, ``pk``; ``tranche``: ``(debut, fin)`` or None), by a query written around
    the ORM's WHERE (``where_sans_jointure``), ordered by ``sql_tri``: the instances with the fields ``noms`` read,
    the others deferred;
    ``lies``: parts ``(alias, model, field names, foreign key of qs's model)`` LEFT JOINed and set as
    ``select_related`` sets them (None when there is none). Through the ORM when ``qs`` needs it. ``qs`` is not
    sliced (``tranche`` slices)."""
    try:
        requete = _requete_filtree(qs, noms, ordre, lies, tranche)
    except EmptyResultSet:
        return []
    if requete is None:
        relations = [relation for _alias, _modele, _noms, relation in lies]
        champs = [*noms, *(f"{relation}__{nom}" for _a, _m, noms_lies, relation in lies for nom in noms_lies)]
        qs = qs.select_related(*relations).only(*champs).order_by(*ordre)
        return list(qs if tranche is None else qs[tranche[0]:tranche[1]])
    return _lire_filtrees(*requete, lies)


def _requete_filtree(qs, noms, ordre, lies, tranche):
    """``(sql, parameters, parts)`` of ``instances_filtrees``, or None when ``qs`` needs the ORM (raises
    ``EmptyResultSet`` when it can match nothing)."""
    if qs.query.is_sliced:
        raise ValueError("instances_filtrees : une tranche se donne par « tranche », pas en découpant le queryset")
    modele, q = qs.model, connection.ops.quote_name
    filtres = where_sans_jointure(qs)
    tri = sql_tri(modele, ordre)
    if filtres is None or tri is None:
        return None
    where, parametres = filtres
    table = q(modele._meta.db_table)
    # The foreign keys of the joined parts are read too (``select_related`` reads them: their descriptor needs them).
    parties = ((table, modele, (*noms, *(relation for _a, _m, _n, relation in lies)), None), *lies)
    jointures = "".join(sql_jointure(alias, lie, table, modele, relation) for alias, lie, _noms, relation in lies)
    # Table and column names come from the models, quoted; the values are the ORM's parameters.
    sql = f"SELECT {lecture(parties, connection.vendor)[0]} FROM {table}{jointures}"  # noqa: S608
    sql += f" WHERE {where}" if where else ""
    sql += f" ORDER BY {tri}" if tri else ""
    parametres = list(parametres)
    if tranche is not None:
        sql += " LIMIT %s OFFSET %s"
        parametres += [tranche[1] - tranche[0], tranche[0]]
    return sql, parametres, parties


def _lire_filtrees(sql, parametres, parties, lies):
    return lire_ensemble(Lecture(sql, parametres, functools.partial(_filtrees_de, parties, lies)))[0]


def _filtrees_de(parties, lies, lignes):
    connexion = connections[DEFAULT_DB_ALIAS]
    resultat = []
    for ligne in lignes:
        objet, *objets_lies = instances(parties, ligne, connexion)
        for (_alias, _modele, _noms, relation), lie in zip(lies, objets_lies, strict=True):
            relier(objet, relation, lie)
        resultat.append(objet)
    return resultat


# A stand-in for the instant of ``instances_filtrees_a``: no query of the site compares with it otherwise.
JALON = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_filtrees_a = {}


def instances_filtrees_a(cle, fabrique, instant, noms, ordre, lies=(), tranche=None):
    """``instances_filtrees(fabrique(instant), noms, ordre, lies, tranche)``, its query written once per process,
    key (``cle``: with ``noms``, ``ordre``, ``lies`` and ``tranche``, what decides the query but the instant) and
    database: ``fabrique`` (the queryset of an instant, such as ``lambda t: qs.filter(fin__gte=t)``) is called
    once with a stand-in instant (``JALON``), and the SQL kept with the places of the stand-in among its
    parameters; each call puts ``instant`` there, as the ORM adapts a date and time for the database. Building the
    queryset and its WHERE cost more than reading a few rows (the home page's next events). When the stand-in is
    not among the parameters as such (the ORM changed it: a date taken from it), or the queryset needs the ORM,
    nothing is kept."""
    return lire_ensemble(lecture_instances_filtrees_a(cle, fabrique, instant, noms, ordre, lies, tranche))[0]


def lecture_instances_filtrees_a(cle, fabrique, instant, noms, ordre, lies=(), tranche=None):
    """``instances_filtrees_a``'s query as a ``Lecture`` (``lire_ensemble``); computed at once when it is not
    kept."""
    connexion = connections[DEFAULT_DB_ALIAS]
    cle = (cle, tuple(noms), tuple(ordre), tuple(lies), tranche, connexion.alias, connexion.vendor)
    try:
        gardee = _filtrees_a[cle]
    except KeyError:
        gardee = _filtrees_a[cle] = _garder_filtree(fabrique, noms, ordre, lies, tranche, connexion)
    if gardee is None:
        resultat = instances_filtrees(fabrique(instant), noms, ordre, lies, tranche)
        return Lecture(None, (), lambda lignes: resultat)
    sql, parametres, places, parties = gardee
    return Lecture(sql, _a_l_instant(parametres, places, instant, connexion),
                   functools.partial(_filtrees_de, parties, lies))


def _garder_filtree(fabrique, noms, ordre, lies, tranche, connexion):
    try:
        requete = _requete_filtree(fabrique(JALON), noms, ordre, lies, tranche)
    except EmptyResultSet:
        return None
    if requete is None:
        return None
    sql, parametres, parties = requete
    places = _places_du_jalon(parametres, connexion)
    return (sql, tuple(parametres), places, parties) if places else None


def _places_du_jalon(parametres, connexion):
    """Where the stand-in instant (``JALON``, as the ORM adapts it for the database) is among a query's
    parameters."""
    jalon = connexion.ops.adapt_datetimefield_value(JALON)
    return tuple(i for i, valeur in enumerate(parametres) if valeur == jalon)


def _a_l_instant(parametres, places, instant, connexion):
    """A kept query's parameters with ``instant`` at the stand-in's ``places``."""
    parametres = list(parametres)
    valeur = connexion.ops.adapt_datetimefield_value(instant)
    for place in places:
        parametres[place] = valeur
    return parametres


# --- Counts and sums, their SQL written once -------------------------------------------------------------------

_comptees = {}


def lecture_comptee(cle, fabrique, instant=None, sommes=()):
    """The number of rows of the queryset ``fabrique()`` — or, with ``sommes`` (field names), the sum of those
    fields over its rows, NULLs counting 0 — as a ``Lecture`` (``lire_ensemble``), its SQL written once per
    process, key (``cle``: what decides the query but the instant) and database. With ``instant``, ``fabrique``
    is the queryset of an instant (``lambda t: qs.filter(fin__lte=t)``), written once with a stand-in instant
    (``JALON``) whose places among the parameters get ``instant`` at each call, as in ``instances_filtrees_a``.
    Compiling the ORM's count cost more than reading it: a page of figures (« chiffres calculés ») counted
    nine. A queryset that can match nothing, or whose stand-in the ORM changed, is counted by the ORM each time."""
    connexion = connections[DEFAULT_DB_ALIAS]
    cle = (cle, tuple(sommes), instant is None, connexion.alias, connexion.vendor)
    try:
        gardee = _comptees[cle]
    except KeyError:
        gardee = _comptees[cle] = _garder_comptee(fabrique, instant is not None, tuple(sommes), connexion)
    if gardee is None:
        valeur = _compter(fabrique(instant) if instant is not None else fabrique(), sommes)
        return Lecture(None, (), lambda lignes: valeur)
    sql, parametres, places = gardee
    return Lecture(sql, _a_l_instant(parametres, places, instant, connexion) if places else parametres,
                   _premiere_valeur)


def _premiere_valeur(lignes):
    return lignes[0][0] or 0


def _compter(qs, sommes):
    if not sommes:
        return qs.count()
    totaux = qs.aggregate(**{f"s{i}": Sum(nom) for i, nom in enumerate(sommes)})
    return sum(valeur or 0 for valeur in totaux.values())


def _garder_comptee(fabrique, avec_instant, sommes, connexion):
    qs = (fabrique(JALON) if avec_instant else fabrique()).order_by()
    interne = qs.values(**{f"s{i}": F(nom) for i, nom in enumerate(sommes)}) if sommes else qs.values("pk")
    try:
        sql, parametres = interne.query.get_compiler(connexion.alias).as_sql()
    except EmptyResultSet:
        return None
    places = _places_du_jalon(parametres, connexion) if avec_instant else ()
    if avec_instant and not places:
        return None
    if sommes:
        total = " + ".join(f"COALESCE(SUM(sous.s{i}), 0)" for i in range(len(sommes)))
    else:
        total = "COUNT(*)"
    # The inner SQL is the ORM's, written for its parameters.
    return f"SELECT {total} FROM ({sql}) sous", tuple(parametres), places  # noqa: S608
