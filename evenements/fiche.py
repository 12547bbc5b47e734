"""What the public page of an event reads: the event with its place, commune, programme and slot in one query, its
structures, publics and fields of action in a second one (both plain SQL), its parts only if it has some.

The page used to join the proposer and the parent (a hundred columns to compile) and to prefetch three
relations (three queries, each costing more to build than to run): two thirds of the page's CPU.
"""

import functools

from django.db import connection
from django.http import Http404

from conseil_ess.comptes.models import ChampAction, Commune, Structure
from conseil_ess.prechargement import instances, lecture, relier, sql_colonne, sql_jointure, sql_table

from .models import Creneau, Evenement, Lieu, Programme, Public


# The event with its place (and the place's commune), its own commune, programme and slot, every column as
# ``select_related`` reads them, by a query written once from the models' names (``conseil_ess.prechargement``):
# the ORM compiled it (six tables and a subquery) in 1.2 ms of CPU a view, more than running it. Each entry:
# (table alias, model, field names read, the relation that joins it).
def _tous(modele):
    return tuple(champ.name for champ in modele._meta.concrete_fields)


_PARTIES = (
    ("e", Evenement, _tous(Evenement), None),
    ("l", Lieu, _tous(Lieu), "lieu"),
    ("lc", Commune, _tous(Commune), "commune"),  # the place's
    ("c", Commune, _tous(Commune), "commune"),
    ("p", Programme, _tous(Programme), "programme"),
    ("k", Creneau, _tous(Creneau), "creneau"),
)


@functools.lru_cache(maxsize=4)
def _sql_evenement(_vendor):
    """The event of a slug (a parameter) with its place, the place's commune, its commune, programme and slot, and
    whether it has parts (last column). A constant."""
    pk = connection.ops.quote_name("id")
    # Table and column names come from the models, quoted; the slug is a parameter.
    return (
        f"SELECT {lecture(_PARTIES, _vendor)[0]}, EXISTS (SELECT 1 FROM {sql_table('x', Evenement)}"  # noqa: S608
        f" WHERE {sql_colonne('x', Evenement, 'parent')} = e.{pk}) FROM {sql_table('e', Evenement)}"
        f"{sql_jointure('l', Lieu, 'e', Evenement, 'lieu')}{sql_jointure('lc', Commune, 'l', Lieu, 'commune')}"
        f"{sql_jointure('c', Commune, 'e', Evenement, 'commune')}"
        f"{sql_jointure('p', Programme, 'e', Evenement, 'programme')}"
        f"{sql_jointure('k', Creneau, 'e', Evenement, 'creneau')}"
        f" WHERE {sql_colonne('e', Evenement, 'slug')} = %s"
    )


def evenement_de_la_fiche(slug):
    """The event of its public page (404 if none): what the page shows, joined or read with it
    (``a_des_sequences``: whether it has parts, an Assises day; most events have none and need no query for
    them). Not the proposer (only their id is read) nor the parent (a part of a day only: read then, by its own
    query); of its structures, publics and fields of action, only the columns shown, by one query."""
    with connection.cursor() as curseur:
        curseur.execute(_sql_evenement(connection.vendor), [slug])
        ligne = curseur.fetchone()
    if ligne is None:
        raise Http404
    evenement, lieu, commune_du_lieu, commune, programme, creneau = instances(_PARTIES, ligne)
    if lieu is not None:
        relier(lieu, "commune", commune_du_lieu)
    for relation, lie in (("lieu", lieu), ("commune", commune), ("programme", programme), ("creneau", creneau)):
        relier(evenement, relation, lie)
    evenement.a_des_sequences = bool(ligne[-1])
    _precharger_relations(evenement)
    return evenement


def _sql_relations():
    """One query (UNION ALL) for an event's structures, publics and fields of action, in their models' order:
    Django's three prefetches cost several times more to build than to run."""
    q = connection.ops.quote_name

    def select(liste, champ, modele, *colonnes):
        lien = Evenement._meta.get_field(champ)
        valeurs = ", ".join("NULL" if c is None else c if c.startswith("CAST") else f"m.{q(c)}" for c in colonnes)
        return (f"SELECT {liste}, {valeurs} FROM {q(modele._meta.db_table)} AS m"  # noqa: S608
                f" INNER JOIN {q(lien.remote_field.through._meta.db_table)} AS t"
                f" ON t.{q(lien.m2m_reverse_name())} = m.{q('id')} WHERE t.{q(lien.m2m_column_name())} = %s")

    # (list, id, label, code, status, sort text, number): names from the models, quoted; the id a parameter.
    return " UNION ALL ".join((
        select(1, "structures", Structure, "id", "nom", "slug", "statut", "nom", "CAST(NULL AS INTEGER)"),
        select(2, "publics", Public, "id", "libelle", "code", None, "libelle", None),
        select(3, "champs", ChampAction, "id", "libelle_court", None, None, None, "numero"),
    )) + " ORDER BY 1, 6, 7"


def _precharger_relations(evenement):
    """Give ``evenement`` its structures, publics and fields of action (what its page shows of them) as
    Django's prefetch would: ``evenement.publics.all()`` and the like read them without a query."""
    relations = {"structures": [], "publics": [], "champs": []}
    with connection.cursor() as curseur:
        curseur.execute(_sql_relations(), [evenement.pk] * 3)
        for liste, pk, libelle, code, statut, _tri, numero in curseur.fetchall():
            if liste == 1:
                relations["structures"].append(Structure(pk=pk, nom=libelle, slug=code, statut=statut))
            elif liste == 2:
                relations["publics"].append(Public(pk=pk, libelle=libelle, code=code))
            else:
                relations["champs"].append(ChampAction(pk=pk, numero=numero, libelle_court=libelle))
    # As prefetch_related leaves them: a queryset of the relation holding its rows (a predicate may still
    # filter it, e.g. the organisers' structures: that runs its own query).
    cache = {}
    for nom, objets in relations.items():
        qs = getattr(evenement, nom).get_queryset()
        qs._result_cache, qs._prefetch_done = objets, True
        cache[nom] = qs
    evenement._prefetched_objects_cache = cache
