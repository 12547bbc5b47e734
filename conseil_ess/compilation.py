"""Querysets whose SQL is compiled once per process: ``compilee_une_fois(cle, fabrique)``.

Compiling a queryset into SQL (its columns, joins, filters and order) costs the ORM more CPU than running it
when the query reads a few rows: 0.3 to 0.7 ms for a Wagtail page's query, which selects some thirty columns
through a join. A page that runs the very same query at every request (the home page's lists, the site of a
host name) builds it and compiles it once: the queryset, the SQL, its parameters and what the ORM needs to make
the rows into objects (the columns read, the models and related objects, the annotations) are kept under the
caller's key, the database alias and its vendor. The rows are read at every call: only the SQL is kept, never
data.

The caller's key must decide the whole query, parameters included: a query whose SQL or parameters depend on
something else (the time, the user, data read before) must put it in the key, or not be kept. Any change made to
the queryset afterwards (``filter``, a slice, ``count()``, ``exists()``, ``first()``, use as a subquery) clones its
query, and the clone is an ordinary query again, compiled as usual.
"""

import functools

from django.core.exceptions import EmptyResultSet
from django.db.models.sql.query import Query

# What ``as_sql`` leaves on a compiler that reading the rows uses (``execute_sql``, ``results_iter``, the
# iterables of ``QuerySet``).
_ETAT = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")

_compilees = {}
_modeles = {}
# Keys made of data (a page's path for its restrictions, a set of restrictions, the pages a text links to) are
# bounded by the site's pages, not by the code: past this many, everything kept is dropped and compiled again.
LIMITE = 2000


class _RequeteCompileeUneFois(Query):
    cle_compilation = None

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compilateur = super().get_compiler(using, connection, elide_empty)
        cle = (self.cle_compilation, compilateur.connection.alias, compilateur.connection.vendor, elide_empty,
               type(compilateur))
        try:
            etat, sql, parametres = _compilees[cle]
        except KeyError:
            try:
                sql, parametres = compilateur.as_sql()
            except EmptyResultSet:  # it can match nothing (``none()``, ``pk__in=[]``): kept as such (sql None)
                sql, parametres = None, ()
            etat = {nom: getattr(compilateur, nom) for nom in _ETAT if hasattr(compilateur, nom)}
            parametres = tuple(parametres)
            _compilees[cle] = etat, sql, parametres
        else:
            compilateur.__dict__.update(etat)
        lignes = self.__dict__.get("lignes_lues")
        if lignes is not None:  # read already (``lecture_compilee``): the ORM makes them its objects
            compilateur.execute_sql = lambda *args, **kwargs: iter([lignes])

        def as_sql(with_limits=True, with_col_aliases=False):
            if sql is None:
                raise EmptyResultSet  # as the ORM's compiler says it: the query runs no SQL, reads no row
            return sql, parametres

        compilateur.as_sql = as_sql
        compilateur.get_converters = functools.partial(_convertisseurs, compilateur, cle, compilateur.get_converters)
        return compilateur

    def clone(self):
        copie = super().clone()
        copie.__class__ = Query
        copie.__dict__.pop("cle_compilation", None)
        return copie


def _convertisseurs(compilateur, cle, calcul, expressions):
    """``get_converters`` of a compiled-once query: the conversions of its columns (each column's output field and
    the backend's, for every row) looked up once per connection (they are its methods) and kept on it."""
    memo = compilateur.connection.__dict__.setdefault("_convertisseurs_compiles", {})
    garde = memo.get(cle)
    if garde is not None and len(garde[0]) == len(expressions) and all(
            a is b for a, b in zip(garde[0], expressions, strict=True)):
        return garde[1]
    convertisseurs = calcul(expressions)
    memo[cle] = (tuple(expressions), convertisseurs)
    return convertisseurs


def compilee_une_fois(cle, fabrique):
    """The queryset ``fabrique()`` (a callable without argument, never evaluated here), built at the first call in
    this process for ``cle`` (hashable) and cloned at the next ones; its SQL compiled at its first evaluation and
    reused by every later queryset of the same key, database alias and vendor. A queryset whose query is not
    Django's own ``Query`` class goes through the ORM as usual."""
    try:
        modele = _modeles[cle]
    except KeyError:
        if len(_modeles) >= LIMITE:
            oublier()
        modele = _modeles[cle] = fabrique()
    qs = modele.all()  # a clone: the model is never evaluated, nor changed
    if type(qs.query) is Query:
        qs.query.__class__ = _RequeteCompileeUneFois
        qs.query.cle_compilation = cle
    return qs


def lecture_compilee(qs):
    """A queryset of ``compilee_une_fois`` (not evaluated yet) as a ``Lecture``: sent with other queries in one round
    trip (``conseil_ess.prechargement.lire_ensemble``), then its objects made by the ORM from its rows, as if it had
    run its own query (its result cache filled: iterating it runs no query). Any other queryset (changed since,
    evaluated, or matching nothing) is left as it is, evaluated when it is read."""
    from conseil_ess.prechargement import Lecture

    if type(qs.query) is not _RequeteCompileeUneFois or qs._result_cache is not None:
        return Lecture(None, (), lambda lignes: qs)
    try:
        sql, parametres = qs.query.get_compiler(qs.db).as_sql()
    except EmptyResultSet:
        return Lecture(None, (), lambda lignes: qs)

    def lire(lignes):
        qs.query.lignes_lues = lignes
        try:
            qs._fetch_all()
        finally:
            del qs.query.lignes_lues
        return qs

    return Lecture(sql, parametres, lire)


def oublier():
    """Drop every queryset and SQL kept (their number reached ``LIMITE``; tests)."""
    _modeles.clear()
    _compilees.clear()
