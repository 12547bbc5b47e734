"""The filters of ``/propositions/``: plain GET parameters with readable values (state code, champ
number, atelier and commune slugs, year, words), so a filtered list is a shareable URL. A malformed
value is a form error and its filter is ignored (django-filter only applies the fields that validated).
"""

import datetime
import functools

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ateliers.models import Atelier
from conseil_ess.comptes.models import ChampAction, Commune
from conseil_ess.prechargement import Lecture, lire_ensemble, sql_colonne, sql_jointure, sql_table, where_sans_jointure
from conseil_ess.widgets import (
    FilterSetRapide,
    FiltreModeleRapide,
    SaisieRapide,
    SelectRapide,
    sql_des_menus,
)

from .models import Etat, Proposition

ETATS_PUBLICS = [(valeur, libelle) for valeur, libelle in Etat.choices if valeur != Etat.BROUILLON]


@functools.cache
def _sql_des_menus(_vendor):
    """One query for the options of the three model menus (``sql_des_menus``), each in its model's order: champs
    d'action by number, ateliers by their cycle, newest first, then by title, communes by name."""
    c, a, m = (functools.partial(sql_colonne, alias, modele) for alias, modele in
               (("c", ChampAction), ("a", Atelier), ("m", Commune)))
    cycle = Atelier._meta.get_field("cycle").related_model
    return sql_des_menus([
        (sql_table("c", ChampAction), None, c("libelle_court"), c("numero"), None, None),
        (sql_table("a", Atelier) + sql_jointure("y", cycle, "a", Atelier, "cycle", interne=True),
         a("slug"), a("titre"), None, sql_colonne("y", cycle, "date_debut"), a("titre")),
        (sql_table("m", Commune), m("slug"), m("nom"), None, None, m("nom")),
    ])


# The three model menus, in the order of ``_sql_des_menus``'s first column.
MENUS = ("champ", "atelier", "commune")


class PropositionFilter(FilterSetRapide):
    listes_lues = (_sql_des_menus, MENUS, ChampAction.libelle_de)  # its three model menus: one query
    q = django_filters.CharFilter(label=_("Rechercher"), method="filtrer_texte",
                                  help_text=_("Dans le titre, le résumé ou la référence (P-2026-014)."),
                                  widget=SaisieRapide.de(forms.TextInput)(attrs={"type": "search"}))
    etat = django_filters.ChoiceFilter(label=_("État"), choices=ETATS_PUBLICS, empty_label=_("Tous les états"),
                                     widget=SelectRapide)
    # The menus' options are read as rows (``FiltreModeleRapide``): a model instance per option cost more than the
    # list of proposals.
    champ = FiltreModeleRapide(
        label=_("Champ d'action"), field_name="champs", queryset=ChampAction.objects.all(), to_field_name="numero",
        empty_label=_("Tous les champs d'action"), colonnes=("numero", "libelle_court"),
        libelle=ChampAction.libelle_de,
    )
    atelier = FiltreModeleRapide(
        label=_("Atelier"), queryset=Atelier.objects.order_by("-cycle__date_debut", "titre"),
        to_field_name="slug", empty_label=_("Tous les ateliers"), colonnes=("titre",),
    )
    commune = FiltreModeleRapide(
        label=_("Commune concernée"), field_name="communes", queryset=Commune.objects.all(), to_field_name="slug",
        empty_label=_("Toutes les communes"), colonnes=("nom",),
    )
    annee = django_filters.NumberFilter(label=_("Année de dépôt"), method="filtrer_annee", min_value=2000,
                                        max_value=2100, widget=SaisieRapide.de(forms.NumberInput))

    class Meta:
        model = Proposition
        fields = []

    def filtrer_texte(self, queryset, name, value):
        for mot in value.split()[:10]:
            queryset = queryset.filter(Q(titre__icontains=mot) | Q(resume__icontains=mot)
                                       | Q(reference__icontains=mot))
        return queryset

    def filtrer_annee(self, queryset, name, value):
        # Years of Europe/Paris (the current time zone), as the reference numbers them.
        annee = int(value)
        return queryset.filter(deposee_le__gte=_debut_annee(annee), deposee_le__lt=_debut_annee(annee + 1))

    def filtrer_sauf(self, queryset, *exclus):
        """Return ``queryset`` with the valid filters applied, except those named in ``exclus``."""
        if not self.is_bound:
            return queryset
        self.errors  # noqa: B018 - validates the form and fills cleaned_data
        for nom, valeur in self.form.cleaned_data.items():
            if nom not in exclus:
                queryset = self.filters[nom].filter(queryset, valeur)
        return queryset

    def comptes_par_etat(self, queryset):
        """Return ``[(code, label, n)]`` for the public states, counted with the other filters (one query)."""
        return lire_ensemble(self.lecture_comptes_par_etat(queryset))[0]

    def lecture_comptes_par_etat(self, queryset):
        """``comptes_par_etat``'s query as a ``Lecture`` (``lire_ensemble``); when a filter goes through a relation
        (champ, commune), the ORM's grouped query, run at once."""
        filtrees = self.filtrer_sauf(queryset, "etat")

        def par_etat(comptes):
            return [(code, libelle, comptes.get(code, 0)) for code, libelle in ETATS_PUBLICS]

        lecture = _lecture_comptes_sans_jointure(filtrees)
        if lecture is None:
            comptes = dict(filtrees.order_by().values_list("etat").annotate(n=Count("pk", distinct=True)))
            return Lecture(None, (), lambda lignes: par_etat(comptes))
        return Lecture(lecture.sql, lecture.parametres, lambda lignes: par_etat(lecture.lire(lignes)))


def _lecture_comptes_sans_jointure(filtrees):
    """{state: number} of ``filtrees`` by a query written around the ORM's WHERE (``where_sans_jointure``: without
    a join, a proposal is one row), as a ``Lecture``, or None when its filters need a join. The ORM's grouped query
    cost as much to build as the list's cards."""
    try:
        filtres = where_sans_jointure(filtrees)
    except EmptyResultSet:
        return Lecture(None, (), lambda lignes: {})
    if filtres is None:
        return None
    where, parametres = filtres
    q = connection.ops.quote_name
    table, etat = q(Proposition._meta.db_table), q(Proposition._meta.get_field("etat").column)
    pk = q(Proposition._meta.pk.column)
    # Table and column names come from the model, quoted; the values are the ORM's parameters.
    sql = (f"SELECT {table}.{etat}, COUNT({table}.{pk}) FROM {table}"  # noqa: S608
           f"{f' WHERE {where}' if where else ''} GROUP BY {table}.{etat}")
    return Lecture(sql, parametres, dict)


def _debut_annee(annee):
    return timezone.make_aware(datetime.datetime(annee, 1, 1))
