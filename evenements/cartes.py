"""What an event card shows, loaded as rows rather than model instances (agenda list and month).

A month holds a hundred cards or more: building each event, its place, communes, programme and structures
as model instances (and a prefetch queryset per event) cost more than rendering the cards. ``charger``
reads the card's columns with ``values()`` in one query, and the structures' names in a second (plain SQL), into
light ``Carte`` objects that ``{% carte_evenement %}`` (``templatetags/agenda.py``) renders like events.
"""

from collections import defaultdict
from types import SimpleNamespace

from django.db import connection

from conseil_ess.pagination import colonne_total, page_comptee

from .models import Evenement

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


def charger(qs, *, avec_total=False):
    """Return the cards of the events of ``qs`` (filtered, ordered, sliced if need be), in its order:
    two queries whatever their number. ``avec_total``: each row also reads the number of rows of ``qs`` before
    its slicing (``COUNT(*) OVER ()``), as the cards' ``total`` attribute."""
    colonnes = {"total": colonne_total()} if avec_total else {}
    lignes = list(qs.values(*CHAMPS, *LIES, **colonnes))
    noms = noms_des_structures([ligne["pk"] for ligne in lignes])
    return [Carte.depuis_ligne(ligne, noms.get(ligne["pk"], [])) for ligne in lignes]


def noms_des_structures(ids):
    """Return {event id: [names of its structures, in their order]} for the events ``ids``: one plain SQL
    query (none without ids). A card reads them as ``noms_structures``, on a ``Carte`` or an event."""
    noms = defaultdict(list)
    if ids:
        with connection.cursor() as curseur:
            curseur.execute(_sql_structures(len(ids)), ids)
            for evenement_id, nom in curseur.fetchall():
                noms[evenement_id].append(nom)
    return noms


def page(qs, numero, par_page):
    """Return ``(page, cards)`` for page ``numero`` of ``qs`` (ordered), like ``Paginator.get_page``: the page's
    rows carry the total (``conseil_ess.pagination``)."""
    return page_comptee(qs, numero, par_page, lire=charger)


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

