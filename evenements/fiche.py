"""What the public page of an event reads: the event with its place, commune, programme and slot in one query,
its structures, publics and fields of action in a second one (plain SQL), its parts only if it has some.

The page used to join the proposer and the parent (a hundred columns to compile) and to prefetch three
relations (three queries, each costing more to build than to run): two thirds of the page's CPU.
"""

from django.db import connection
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from conseil_ess.comptes.models import ChampAction, Structure

from .models import Evenement, Public


def evenement_de_la_fiche(slug):
    """The event of its public page: what the page shows, joined or read with it. Not the proposer (only their
    id is read) nor the parent (a part of a day only: read then, by its own query), whose hundred columns made
    building the query cost more than the rest of the page; of its structures, publics and fields of action,
    only the columns shown, by one query."""
    evenement = get_object_or_404(
        Evenement.objects.select_related("lieu__commune", "commune", "programme", "creneau")
        # Whether it has parts at all (an Assises day): most events have none, and need no query for them.
        .annotate(a_des_sequences=Exists(Evenement.objects.filter(parent=OuterRef("pk")))),
        slug=slug,
    )
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
