"""Which events a page of the agenda shows: visibility by person, and the agenda's filters.

The same ``AgendaFilter`` serves ``/agenda/`` (list and month) and its iCal twin ``/agenda.ics``, so
a filtered page and its subscription always hold the same events. Every filter is a plain GET
parameter with readable values (commune and programme slugs, public codes, champ numbers): a
filtered page is a shareable URL. A malformed value is a form error and its filter is ignored
(django-filter only applies the fields that validated).
"""

import datetime
import functools
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conseil_ess.comptes.models import ChampAction, Commune
from conseil_ess.prechargement import sql_colonne, sql_table
from conseil_ess.widgets import CasesRapides, FilterSetRapide, SaisieRapide, SelectRapide, sql_des_menus

from .extensions import q_visibles
from .models import Accessibilite, Evenement, Inscription, Programme, Public, TypeEvenement

PARIS = ZoneInfo("Europe/Paris")
M = Evenement.Mode


def minuit(jour):
    """Return the Europe/Paris midnight starting ``jour`` (an aware datetime)."""
    return datetime.datetime.combine(jour, datetime.time(), tzinfo=PARIS)


def evenements_visibles(user):
    """Return the published events ``user`` may see: public ones, and reserved ones once logged in,
    within the rules other apps register (e.g. an atelier's reserved meetings: its members only). For an
    anonymous visitor it is always the same queryset (published and public): built once per process, and each
    call gets a clone of it (``all()``; building its two filters cost 0.2 ms of every public list)."""
    if user is None or not user.is_authenticated:
        return _visibles_anonyme().all()
    return Evenement.objects.publies().filter(q_visibles(user))


@functools.cache
def _visibles_anonyme():
    """Never evaluated itself: only its clones are (its result cache stays empty)."""
    return Evenement.objects.publies().filter(q_visibles(None))


def sql_visible(user, colonne):
    """``(sql, parameters)``: a condition of plain SQL, true when the event whose id is ``colonne`` (an SQL column
    of the caller's query, such as ``e."id"``) is one ``user`` may see (``evenements_visibles``). The rules stay
    the ORM's: their query, as an ``EXISTS`` on that id, compiled by the ORM. For an anonymous visitor it is the
    same SQL with the same values every time (public and published): compiled once per process, database and
    column, instead of at every page of the ateliers (0.5 ms of CPU)."""
    if user is None or not user.is_authenticated:
        return _sql_visible_anonyme(connection.vendor, colonne)
    return _sql_visible(user, colonne)


@functools.lru_cache(maxsize=16)
def _sql_visible_anonyme(_vendor, colonne):
    sql, parametres = _sql_visible(None, colonne)
    return sql, tuple(parametres)


def _sql_visible(user, colonne):
    if connection.ops.quote_name(Evenement._meta.db_table) in colonne:
        # The query below reads that table under its own name: ``colonne`` would be its own id, always visible.
        raise ValueError(f"sql_visible : colonne d'une table des événements sans alias : {colonne}")
    # The ORM's EXISTS gives the rules' own tables aliases of their own (U0, U1…): only ``colonne`` refers to
    # the caller's query.
    lui = Evenement.objects.filter(pk=RawSQL(colonne, ())).filter(  # noqa: S611 - a column of the caller
        Exists(evenements_visibles(user).filter(pk=OuterRef("pk"))),
    )
    sql, parametres = lui.order_by().values("pk").query.sql_with_params()
    return f"EXISTS ({sql})", parametres


def inscriptions_avec_position(qs):
    """Annotate registrations with ``position``: their rank on the waiting list (FIFO, 1 = next)."""
    avant = (
        Inscription.objects.filter(evenement=OuterRef("evenement"), statut=Inscription.Statut.ATTENTE)
        .filter(Q(cree_le__lt=OuterRef("cree_le")) | Q(cree_le=OuterRef("cree_le"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("evenement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(position=Coalesce(Subquery(avant), Value(0)) + 1)


@functools.cache
def _sql_des_listes(_vendor):
    """One query for the options of the four model lists of the filters (``sql_des_menus``), each in its model's
    order: communes and publics by name, programmes newest first, fields of action by number. Four ORM queries cost
    more to build than to run."""
    c, p, u, f = (functools.partial(sql_colonne, alias, modele) for alias, modele in
                  (("c", Commune), ("p", Programme), ("u", Public), ("f", ChampAction)))
    return sql_des_menus([
        (sql_table("c", Commune), c("slug"), c("nom"), None, None, c("nom")),
        (sql_table("p", Programme), p("slug"), p("titre"), None, p("date_debut"), None),
        (sql_table("u", Public), u("code"), u("libelle"), None, None, u("libelle")),
        (sql_table("f", ChampAction), None, f("libelle_court"), f("numero"), None, None),
    ])


# The agenda's four model menus: their names, in the order of ``_sql_des_listes``'s first column.
LISTES = ("commune", "programme", "public", "champ")


class AgendaFilter(FilterSetRapide):
    """The agenda's filters. ``depuis``: lower bound applied when no date filter is given."""

    listes_lues = (_sql_des_listes, LISTES, ChampAction.libelle_de)  # its four model lists: one query

    TARIFS = [("gratuit", _("Gratuit")), ("payant", _("Payant"))]
    MODES = [("sur_place", _("Sur place")), ("en_ligne", _("En ligne"))]
    ACCES = [
        ("fauteuil", _("Accessible en fauteuil roulant")),
        ("boucle", _("Boucle magnétique")),
        ("lsf", _("Interprétation en langue des signes (LSF)")),
        ("sous_titrage", _("Sous-titrage ou transcription")),
        ("falc", _("Supports en FALC (facile à lire et à comprendre)")),
    ]
    CHAMP_ACCES = {
        "fauteuil": Q(accessibilite=Accessibilite.OUI),
        "boucle": Q(boucle_magnetique=True),
        "lsf": Q(interpretation_lsf=True),
        "sous_titrage": Q(sous_titrage=True),
        "falc": Q(facile_a_lire=True),
    }

    du = django_filters.DateFilter(
        label=_("À partir du"),
        method="filtrer_du",
        widget=SaisieRapide.de(forms.DateInput)(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = django_filters.DateFilter(
        label=_("Jusqu'au"),
        method="filtrer_au",
        widget=SaisieRapide.de(forms.DateInput)(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=TypeEvenement.choices, empty_label=_("Tous les types"), widget=SelectRapide
    )
    # Their options are read by ``ListesLues`` (one query for the four lists); these querysets check a
    # submitted value.
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=Commune.objects.only("slug", "nom"),
        to_field_name="slug",
        empty_label=_("Toutes les communes"),
        widget=SelectRapide,
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.only("slug", "titre"),
        to_field_name="slug",
        empty_label=_("Tous les programmes"),
        widget=SelectRapide,
    )
    public = django_filters.ModelChoiceFilter(
        label=_("Public"),
        field_name="publics",
        queryset=Public.objects.only("code", "libelle"),
        to_field_name="code",
        empty_label=_("Tous les publics"),
        widget=SelectRapide,
    )
    champ = django_filters.ModelChoiceFilter(
        label=_("Champ d'action"),
        field_name="champs",
        queryset=ChampAction.objects.only("numero", "libelle_court"),
        to_field_name="numero",
        empty_label=_("Tous les champs d'action"),
        widget=SelectRapide,
    )
    tarif = django_filters.ChoiceFilter(
        label=_("Tarif"), choices=TARIFS, method="filtrer_tarif", empty_label=_("Gratuit ou payant"),
        widget=SelectRapide,
    )
    mode = django_filters.ChoiceFilter(
        label=_("Sur place ou en ligne"),
        choices=MODES,
        method="filtrer_mode",
        empty_label=_("Sur place ou en ligne"),
        widget=SelectRapide,
    )
    acces = django_filters.MultipleChoiceFilter(
        label=_("Accessibilité"),
        choices=ACCES,
        method="filtrer_acces",
        widget=CasesRapides,
    )
    passes = django_filters.BooleanFilter(
        label=_("Événements passés"),
        method="filtrer_passes",
        widget=SaisieRapide.de(forms.CheckboxInput)(check_test=lambda v: v in (True, "1", "on", "true")),
    )

    class Meta:
        model = Evenement
        fields = []

    def __init__(self, data=None, queryset=None, *, depuis=None, request=None, prefix=None):
        """``FilterSetRapide``'s (filters copied shallowly, the form's class built once per process)."""
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.depuis = depuis

    @property
    def qs(self):
        """django-filter's; an unbound filter set (no parameter at all: the agenda as most visitors open it, its
        form not validated) also starts at ``depuis``."""
        if not hasattr(self, "_qs"):
            qs = super().qs
            if not self.is_bound:
                qs = self._depuis(qs)
            self._qs = qs
        return self._qs

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        donnees = self.form.cleaned_data
        if not (donnees.get("du") or donnees.get("au") or donnees.get("passes")):
            queryset = self._depuis(queryset)
        return queryset

    def _depuis(self, queryset):
        """Events still to come (or running) at ``depuis``, when it is given (no date filter chosen)."""
        return queryset if self.depuis is None else queryset.filter(fin__gt=self.depuis)

    def filtrer_du(self, queryset, name, value):
        # Events still running on that day count: ``fin`` is exclusive.
        return queryset.filter(fin__gt=minuit(value))

    def filtrer_au(self, queryset, name, value):
        return queryset.filter(debut__lt=minuit(value + datetime.timedelta(days=1)))

    def filtrer_tarif(self, queryset, name, value):
        return queryset.filter(gratuit=value == "gratuit")

    def filtrer_mode(self, queryset, name, value):
        if value == "en_ligne":
            return queryset.filter(mode__in=[M.EN_LIGNE, M.HYBRIDE])
        return queryset.filter(mode__in=[M.PRESENTIEL, M.HYBRIDE])

    def filtrer_acces(self, queryset, name, values):
        for valeur in values:
            queryset = queryset.filter(self.CHAMP_ACCES[valeur])
        return queryset

    def filtrer_passes(self, queryset, name, value):
        if value:
            return queryset.filter(fin__lte=timezone.now())
        return queryset

    def actifs(self):
        """The filters in use, each as « Libellé : valeur », for the folded form's summary (valid ones only)."""
        if not self.is_bound:
            return []
        self.errors  # noqa: B018 - validates the form and fills cleaned_data
        actifs = []
        for nom, champ in self.form.fields.items():
            valeur = self.form.cleaned_data.get(nom)
            if valeur in (None, "", [], False):
                continue
            if nom == "passes":
                actifs.append(str(champ.label))
                continue
            if isinstance(valeur, datetime.date):
                texte = date_format(valeur, "j F Y")
            elif isinstance(valeur, list):
                libelles = dict(champ.choices)
                texte = ", ".join(str(libelles.get(v, v)) for v in valeur)
            elif hasattr(champ, "choices") and not hasattr(valeur, "pk"):
                texte = str(dict(champ.choices).get(valeur, valeur))
            else:
                texte = str(valeur)
            actifs.append(f"{champ.label} : {texte}")
        return actifs

    @property
    def montre_passes(self):
        """Return True when the "passés" toggle is on (and valid)."""
        if not self.is_bound:
            return False
        self.errors  # noqa: B018 - validates the form and fills cleaned_data
        return bool(self.form.cleaned_data.get("passes"))
