"""What an event card shows, loaded as rows rather than model instances (agenda list and month).

A month holds a hundred cards or more: building each event, its place, communes, programme and structures
as model instances (and a prefetch queryset per event) cost more than rendering the cards. ``charger``
reads the card's columns with ``values()`` in one query, and the structures' names in a second (plain SQL), into
light ``Carte`` objects that ``{% carte_evenement %}`` (``templatetags/agenda.py``) renders like events.
"""

import functools
from collections import defaultdict
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet
from django.db import connection

from conseil_ess.comptes.models import Commune
from conseil_ess.pagination import colonne_total, page_comptee
from conseil_ess.prechargement import (
    Lecture,
    conversions,
    lire_ensemble,
    sql_tri,
    valeur_convertie,
    where_sans_jointure,
)

from .models import Evenement, Lieu, Programme

# The event's own columns a card reads (``carte_evenement``, ``lieu_court``, the status and access badges),
# plus its dates for the month's grouping by day.
CHAMPS = (
    "pk", "slug", "titre", "resume", "type", "debut", "fin", "journee_entiere", "mode", "precision_lieu",
    "gratuit", "tarif", "organisateurs_texte", "statut", "motif_statut", "visibilite", "accessibilite",
    "boucle_magnetique", "interpretation_lsf", "sous_titrage", "facile_a_lire", "lieu_id", "commune_id",
    "programme_id",
)
# Columns of related rows, read under their lookup names (``F()`` aliases cost an annotation each to build).
LIES = ("lieu__nom", "lieu__en_ligne", "commune__nom", "programme__titre")


class Carte(SimpleNamespace):
    """An event as its card reads it: the same attribute names as ``Evenement`` for what a card shows;
    ``lieu``, ``commune`` and ``programme`` are small objects with the card's fields (or ``None``)."""

    @classmethod
    def depuis_ligne(cls, ligne, noms_structures):
        lieu_nom, lieu_en_ligne = ligne.pop("lieu__nom"), ligne.pop("lieu__en_ligne")
        commune_nom, programme_titre = ligne.pop("commune__nom"), ligne.pop("programme__titre")
        return cls(
            **ligne,
            id=ligne["pk"],
            lieu=SimpleNamespace(nom=lieu_nom, en_ligne=lieu_en_ligne) if ligne["lieu_id"] else None,
            commune=SimpleNamespace(nom=commune_nom) if ligne["commune_id"] else None,
            programme=SimpleNamespace(titre=programme_titre) if ligne["programme_id"] else None,
            noms_structures=noms_structures,
        )


def charger(qs, *, avec_total=False, autres=()):
    """Return the cards of the events of ``qs`` (filtered, ordered, sliced if need be), in its order:
    two queries whatever their number. ``avec_total``: each row also reads the number of rows of ``qs`` before
    its slicing (``COUNT(*) OVER ()``), as the cards' ``total`` attribute. ``autres``: the page's other queries
    (``Lecture``), sent with the structures' names (``lire_ensemble``)."""
    lignes = _lignes_en_sql(qs, avec_total)
    if lignes is None:
        colonnes = {"total": colonne_total()} if avec_total else {}
        lignes = list(qs.values(*CHAMPS, *LIES, **colonnes))
    noms, *_autres = lire_ensemble(lecture_noms_des_structures([ligne["pk"] for ligne in lignes]), *autres)
    return [Carte.depuis_ligne(ligne, noms.get(ligne["pk"], [])) for ligne in lignes]


# The cards' rows by a query whose SELECT, joins and ORDER BY are written once: the ORM compiles only the
# queryset's WHERE (its filters: visibility, dates, the agenda's filters). Compiling the whole ``values()`` query
# (28 columns, three joined tables, the window count) cost a fifth of the agenda's list. A queryset whose filters
# need a join (a public, a champ d'action, a logged-in person's visibility rules), another order or an
# annotation keeps the ORM's ``values()``: ``_lignes_en_sql`` then returns None.
_PARTIES_CARTE = (
    (None, Evenement, tuple(nom for nom in CHAMPS if nom != "pk"), None),
    ("l", Lieu, ("nom", "en_ligne"), "lieu"),
    ("c", Commune, ("nom",), "commune"),
    ("p", Programme, ("titre",), "programme"),
)


@functools.lru_cache(maxsize=4)
def _sql_cartes(_vendor):
    """``(SELECT … FROM … joins, keys, [(key, column, conversions)])``: the cards' columns, the event's table under
    its own name (the ORM's WHERE names it so), its place, commune and programme joined; the key of each column,
    in their order; the columns that have conversions (dates and decimals on SQLite, none or few on PostgreSQL).
    A constant."""
    q = connection.ops.quote_name
    table = q(Evenement._meta.db_table)
    colonnes, cles, a_convertir = [], [], []
    for alias, modele, noms, _relation in _PARTIES_CARTE:
        champs = [modele._meta.pk] if alias is None else []
        champs += [modele._meta.get_field(nom) for nom in noms]
        for champ, (colonne, fonctions) in zip(champs, conversions(modele, champs, connection), strict=True):
            if alias is None:
                cle = "pk" if champ.primary_key else next(n for n in CHAMPS if n in (champ.name, champ.attname))
            else:
                cle = f"{[r for a, _m, _n, r in _PARTIES_CARTE if a == alias][0]}__{champ.name}"
            cles.append(cle)
            if fonctions:
                a_convertir.append((cle, colonne, fonctions))
            colonnes.append(f"{alias or table}.{q(champ.column)}")
    jointures = "".join(
        f" LEFT JOIN {q(modele._meta.db_table)} AS {alias}"
        f" ON {alias}.{q(modele._meta.pk.column)} = {table}.{q(Evenement._meta.get_field(relation).column)}"
        for alias, modele, _noms, relation in _PARTIES_CARTE[1:]
    )
    # Table and column names come from the models, quoted.
    return f"SELECT {', '.join(colonnes)}{{total}} FROM {table}{jointures}", cles, a_convertir  # noqa: S608


def _lignes_en_sql(qs, avec_total):
    """The rows ``qs.values(*CHAMPS, *LIES)`` would give (with ``total``), or None when ``qs`` needs the ORM."""
    query = qs.query
    if not query.order_by or query.extra_order_by or (query.low_mark and query.high_mark is None):
        return None
    ordre = sql_tri(Evenement, query.order_by)
    if ordre is None:
        return None
    try:
        filtres = where_sans_jointure(qs)
    except EmptyResultSet:
        return []
    if filtres is None:
        return None
    where, parametres = filtres
    debut, cles, a_convertir = _sql_cartes(connection.vendor)
    sql = debut.replace("{total}", ", COUNT(*) OVER ()" if avec_total else "")
    sql += f" WHERE {where}" if where else ""
    sql += f" ORDER BY {ordre}"
    parametres = list(parametres)
    if query.high_mark is not None:
        sql += " LIMIT %s OFFSET %s"
        parametres += [query.high_mark - query.low_mark, query.low_mark]
    with connection.cursor() as curseur:
        curseur.execute(sql, parametres)
        rangs = curseur.fetchall()
    # The columns are read in their order (``zip`` leaves out the total, last), then those with conversions are
    # converted.
    lignes = []
    for rang in rangs:
        ligne = dict(zip(cles, rang, strict=False))  # the total, if any, is the extra last column
        for cle, colonne, fonctions in a_convertir:
            ligne[cle] = valeur_convertie(ligne[cle], fonctions, colonne, connection)
        if avec_total:
            ligne["total"] = rang[-1]
        lignes.append(ligne)
    return lignes


def noms_des_structures(ids):
    """Return {event id: [names of its structures, in their order]} for the events ``ids``: one plain SQL
    query (none without ids). A card reads them as ``noms_structures``, on a ``Carte`` or an event."""
    return lire_ensemble(lecture_noms_des_structures(ids))[0]


def lecture_noms_des_structures(ids):
    """``noms_des_structures``' query, as a ``Lecture``."""

    def lire(lignes):
        noms = defaultdict(list)
        for evenement_id, nom in lignes:
            noms[evenement_id].append(nom)
        return noms

    return Lecture(_sql_structures(len(ids)) if ids else None, list(ids), lire)


def page(qs, numero, par_page, autres=()):
    """Return ``(page, cards)`` for page ``numero`` of ``qs`` (ordered), like ``Paginator.get_page``: the page's
    rows carry the total (``conseil_ess.pagination``). ``autres``: see ``charger``."""
    return page_comptee(qs, numero, par_page, lire=functools.partial(charger, autres=autres))


def _sql_structures(nombre):
    """The names of the structures of ``nombre`` events (ids as parameters), in the structures' order, as plain
    SQL: building the ORM query cost more than running it."""
    q = connection.ops.quote_name
    lien = Evenement._meta.get_field("structures")
    structure = q(lien.related_model._meta.db_table)
    # Table and column names come from the models, quoted; the ids are parameters.
    evenement_id, lien_table = q(lien.m2m_column_name()), q(lien.remote_field.through._meta.db_table)
    return (
        f"SELECT t.{evenement_id}, s.{q('nom')} FROM {structure} AS s INNER JOIN {lien_table} AS t"  # noqa: S608
        f" ON t.{q(lien.m2m_reverse_name())} = s.{q('id')} WHERE t.{evenement_id} IN ({', '.join(['%s'] * nombre)})"
        f" ORDER BY s.{q('nom')}, s.{q('id')}"
    )

