"""Which ateliers a page lists, and what their cards count, in a fixed number of queries.

The cards show each atelier's member count and next meeting: both are read for the page's ateliers by one
query each (``precharger_cartes``: no per-atelier query, no row multiplication), and the next meeting is one
the visitor may see, so a meeting reserved to members never leaks its date to other people.
"""

import functools

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conseil_ess.comptes.models import ChampAction
from conseil_ess.prechargement import (
    Lecture,
    lecture,
    lecture_prechargement,
    lire_ensemble,
    sql_colonne,
    sql_jointure,
    sql_table,
    valeur_convertie,
)
from conseil_ess.widgets import FilterSetRapide, FiltreModeleRapide, sql_des_menus
from evenements.filters import evenements_visibles, sql_visible
from evenements.models import Evenement

from .models import Atelier, Participation, Reunion

Animation = Atelier.animateurs.through
User = get_user_model()


def _sql_nombres_membres(nombre):
    """The number of people of ``nombre`` ateliers (ids as parameters, then the accepted status and « active »
    twice): active accepted members and animateur·rice·s, each person once (a member also named
    animateur·rice is one person). Plain SQL on the two link tables: as correlated subqueries of the list's
    query they cost more to build than the rest of the list, and most of its database time."""
    q = connection.ops.quote_name
    participation, animation, personne = Participation._meta, Animation._meta, User._meta

    def colonne(meta, nom):
        return q(meta.get_field(nom).column)

    marques = ", ".join(["%s"] * nombre)
    # Table and column names come from the models, quoted; the ids and values are parameters.
    return (
        f"SELECT x.atelier, COUNT(DISTINCT x.personne) FROM ("  # noqa: S608
        f"SELECT p.{colonne(participation, 'atelier')} AS atelier, p.{colonne(participation, 'user')} AS personne"
        f" FROM {q(participation.db_table)} AS p INNER JOIN {q(personne.db_table)} AS u"
        f" ON u.{q(personne.pk.column)} = p.{colonne(participation, 'user')}"
        f" WHERE p.{colonne(participation, 'atelier')} IN ({marques}) AND p.{colonne(participation, 'statut')} = %s"
        f" AND u.{colonne(personne, 'is_active')} = %s"
        f" UNION SELECT a.{colonne(animation, 'atelier')}, a.{colonne(animation, 'user')}"
        f" FROM {q(animation.db_table)} AS a INNER JOIN {q(personne.db_table)} AS u"
        f" ON u.{q(personne.pk.column)} = a.{colonne(animation, 'user')}"
        f" WHERE a.{colonne(animation, 'atelier')} IN ({marques}) AND u.{colonne(personne, 'is_active')} = %s"
        ") AS x GROUP BY x.atelier"
    )


def nombres_membres(ids):
    """{atelier id: its number of people (``_sql_nombres_membres``)} for the ateliers ``ids``; one query."""
    return lire_ensemble(lecture_nombres_membres(ids))[0]


def lecture_nombres_membres(ids):
    """``nombres_membres``' query, as a ``Lecture``."""
    if not ids:
        return Lecture(None, (), lambda lignes: {})
    return Lecture(_sql_nombres_membres(len(ids)), [*ids, Participation.Statut.ACCEPTEE, True, *ids, True], dict)


def reunions_a_venir_visibles(user):
    """Return the events of the upcoming meetings ``user`` may see (cancelled ones left out)."""
    return (
        evenements_visibles(user).filter(reunion_atelier__isnull=False, fin__gt=timezone.now())
        .exclude(statut=Evenement.Statut.ANNULE)
    )


def avec_prochaine_reunion(ateliers, user):
    """Annotate ``prochaine_reunion`` (start of the next meeting ``user`` may see) and its ``prochaine_reunion_pk``."""
    prochaines = reunions_a_venir_visibles(user).filter(reunion_atelier__atelier=OuterRef("pk")).order_by("debut", "pk")
    return ateliers.annotate(
        prochaine_reunion=Subquery(prochaines.values("debut")[:1]),
        prochaine_reunion_pk=Subquery(prochaines.values("reunion_atelier__pk")[:1]),
    )


# The upcoming meetings of a page's ateliers: (meeting: its atelier; event: its start), by plain SQL. The ORM
# compiled ``reunions_a_venir_visibles`` (a reverse one-to-one, the visibility rules) in more CPU than the rest of
# the ateliers' list queries together (1.2 ms of a 11 ms page, 0.1 ms of it in the database). Its rows are read
# as values (an instance of each model per row, most of their fields deferred, cost 10 µs a row).
_PARTIES_PROCHAINES = (
    ("r", Reunion, ("atelier",), None),
    ("e", Evenement, ("debut",), "evenement"),
)


@functools.lru_cache(maxsize=64)
def _sql_prochaines_reunions(_vendor, nombre):
    """The meetings of ``nombre`` ateliers (ids as parameters, then the time and the cancelled status) not over
    and not cancelled, by start; the visibility condition (``sql_visible``) follows. Their columns:
    ``lecture(_PARTIES_PROCHAINES)``'s. A constant."""
    marques = ", ".join(["%s"] * nombre)
    # Table and column names come from the models, quoted; the ids and values are parameters.
    return (
        f"SELECT {lecture(_PARTIES_PROCHAINES, _vendor)[0]} FROM {sql_table('r', Reunion)}"  # noqa: S608
        f"{sql_jointure('e', Evenement, 'r', Reunion, 'evenement', interne=True)}"
        f" WHERE {sql_colonne('r', Reunion, 'atelier')} IN ({marques}) AND {sql_colonne('e', Evenement, 'fin')} > %s"
        f" AND {sql_colonne('e', Evenement, 'statut')} <> %s AND "
    ), f" ORDER BY {sql_colonne('e', Evenement, 'debut')}, {sql_colonne('e', Evenement, 'id')}"


@functools.lru_cache(maxsize=4)
def _positions_prochaines(_vendor):
    """Where a row of ``_sql_prochaines_reunions`` holds the meeting's id, its atelier's id and the event's start,
    and the start's conversions (``lecture``'s)."""
    (_r, attributs_r, _c), (_e, attributs_e, conversions_e) = lecture(_PARTIES_PROCHAINES, _vendor)[1]
    debut = attributs_e.index("debut")
    return (attributs_r.index("id"), attributs_r.index("atelier_id"), len(attributs_r) + debut,
            conversions_e[debut])


def prochaines_reunions(ids, user):
    """{atelier id: (start, meeting id)} of the next meeting ``user`` may see of each of the ateliers ``ids``
    (those with one): as ``reunions_a_venir_visibles``, by one plain query."""
    return lire_ensemble(lecture_prochaines_reunions(ids, user))[0]


def lecture_prochaines_reunions(ids, user):
    """``prochaines_reunions``' query, as a ``Lecture``."""
    if not ids:
        return Lecture(None, (), lambda lignes: {})
    debut, fin = _sql_prochaines_reunions(connection.vendor, len(ids))
    visible, parametres = sql_visible(user, sql_colonne("e", Evenement, "id"))
    maintenant = connection.ops.adapt_datetimefield_value(timezone.now())
    connexion = connections[DEFAULT_DB_ALIAS]

    def lire(lignes):
        # Each atelier's first row is its next meeting (the others are later ones).
        prochaines = {}
        pk, atelier, position, (colonne, fonctions) = _positions_prochaines(connexion.vendor)
        for ligne in lignes:
            if ligne[atelier] not in prochaines:
                prochaines[ligne[atelier]] = (valeur_convertie(ligne[position], fonctions, colonne, connexion),
                                              ligne[pk])
        return prochaines

    return Lecture(debut + visible + fin, [*ids, maintenant, Evenement.Statut.ANNULE.value, *parametres], lire)


def precharger_cartes(ateliers, user, *autres):
    """Give ``ateliers`` (a list) everything their cards show, for ``user``: their champs and their animation
    (the public name's fields only), read by plain SQL in place of two ``prefetch_related``; their number of
    people (``nb_membres``) and the next meeting ``user`` may see (``prochaine_reunion``, its start, and
    ``prochaine_reunion_pk``). Four queries whatever the number of ateliers, sent together (``lire_ensemble``)
    with the page's ``autres`` (``Lecture``), whose values are returned."""
    ids = [atelier.pk for atelier in ateliers]
    _champs, _animateurs, nombres, prochaines, *valeurs = lire_ensemble(
        lecture_prechargement(ateliers, "champs", ["numero", "libelle_court"]),
        lecture_prechargement(ateliers, "animateurs", ["nom_affiche", "first_name", "last_name"]),
        lecture_nombres_membres(ids), lecture_prochaines_reunions(ids, user), *autres,
    )
    for atelier in ateliers:
        atelier.nb_membres = nombres.get(atelier.pk, 0)
        atelier.prochaine_reunion, atelier.prochaine_reunion_pk = prochaines.get(atelier.pk, (None, None))
    return valeurs


@functools.cache
def _sql_menu_des_champs(_vendor):
    """The options of the champs d'action menu (``sql_des_menus``), by number: one query, sent with the page's
    others (``lecture_menus``)."""
    c = functools.partial(sql_colonne, "c", ChampAction)
    return sql_des_menus([(sql_table("c", ChampAction), None, c("libelle_court"), c("numero"), None, None)])


class AtelierFilter(FilterSetRapide):
    """The filter of the ateliers' pages: a champ d'action by its number (``?champ=3``).

    A malformed value is a form error and the filter is then ignored (django-filter only applies
    the fields that validated).
    """

    listes_lues = (_sql_menu_des_champs, ("champ",), ChampAction.libelle_de)

    champ = FiltreModeleRapide(
        label=_("Champ d'action"), field_name="champs", queryset=ChampAction.objects.all(), to_field_name="numero",
        empty_label=_("Tous les champs d'action"), colonnes=("numero", "libelle_court"),
        libelle=ChampAction.libelle_de,
    )

    class Meta:
        model = Atelier
        fields = []

    @property
    def champ_choisi(self):
        """Return the valid chosen champ, or None."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.form.cleaned_data.get("champ")
