"""Which events a page of the agenda shows: visibility by person, and the agenda's filters.

The same ``AgendaFilter`` serves ``/agenda/`` (list and month) and its iCal twin ``/agenda.ics``, so
a filtered page and its subscription always hold the same events. Every filter is a plain GET
parameter with readable values (commune and programme slugs, public codes, champ numbers): a
filtered page is a shareable URL. A malformed value is a form error and its filter is ignored
(django-filter only applies the fields that validated).
"""

import datetime
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conseil_ess.comptes.models import ChampAction, Commune

from .extensions import q_visibles
from .formulaires_rapides import CasesRapides, FiltreModeleRapide, ListeRapide, SaisieRapide
from .models import Accessibilite, Evenement, Inscription, Programme, Public, TypeEvenement

PARIS = ZoneInfo("Europe/Paris")
M = Evenement.Mode


def minuit(jour):
    """Return the Europe/Paris midnight starting ``jour`` (an aware datetime)."""
    return datetime.datetime.combine(jour, datetime.time(), tzinfo=PARIS)


def evenements_visibles(user):
    """Return the published events ``user`` may see: public ones, and reserved ones once logged in,
    within the rules other apps register (e.g. an atelier's reserved meetings: its members only)."""
    return Evenement.objects.publies().filter(q_visibles(user))


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


class AgendaFilter(django_filters.FilterSet):
    """The agenda's filters. ``depuis``: lower bound applied when no date filter is given."""

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
        label=_("Type"), choices=TypeEvenement.choices, empty_label=_("Tous les types"), widget=ListeRapide
    )
    # Only the columns of the options (value and label) are read.
    commune = FiltreModeleRapide(
        label=_("Commune"),
        queryset=Commune.objects.only("slug", "nom"),
        to_field_name="slug",
        empty_label=_("Toutes les communes"),
    )
    programme = FiltreModeleRapide(
        label=_("Programme"),
        queryset=Programme.objects.only("slug", "titre"),
        to_field_name="slug",
        empty_label=_("Tous les programmes"),
    )
    public = FiltreModeleRapide(
        label=_("Public"),
        field_name="publics",
        queryset=Public.objects.only("code", "libelle"),
        to_field_name="code",
        empty_label=_("Tous les publics"),
    )
    champ = FiltreModeleRapide(
        label=_("Champ d'action"),
        field_name="champs",
        queryset=ChampAction.objects.only("numero", "libelle_court"),
        to_field_name="numero",
        empty_label=_("Tous les champs d'action"),
    )
    tarif = django_filters.ChoiceFilter(
        label=_("Tarif"), choices=TARIFS, method="filtrer_tarif", empty_label=_("Gratuit ou payant"), widget=ListeRapide
    )
    mode = django_filters.ChoiceFilter(
        label=_("Sur place ou en ligne"),
        choices=MODES,
        method="filtrer_mode",
        empty_label=_("Sur place ou en ligne"),
        widget=ListeRapide,
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

    def __init__(self, *args, depuis=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.depuis = depuis

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        donnees = self.form.cleaned_data
        sans_dates = not (donnees.get("du") or donnees.get("au") or donnees.get("passes"))
        if self.depuis is not None and sans_dates:
            queryset = queryset.filter(fin__gt=self.depuis)
        return queryset

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
