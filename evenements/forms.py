"""Forms of the agenda's actor pages: propose or edit an event, change its status.

Dates are typed the way people think of them (a day, a start and an end time; or whole days from a
first to a last day) and turned here into the model's aware datetimes in Europe/Paris, with an
exclusive end (local midnight after the last day for whole-day events).
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from conseil_ess.comptes.models import Adhesion, Structure
from conseil_ess.ecritures import champs_du_formulaire
from conseil_ess.redaction import ChampRedaction, EditeurMarkdown

from .filters import PARIS, minuit
from .models import SLUGS_RESERVES, Evenement, Lieu, Programme, TypeEvenement

# Slugs taken by the fixed routes of evenements/urls.py: no event may use them.
M = Evenement.Mode
S = Evenement.Statut
def valider_jour(jour, nouveau):
    """Refuse an absurd year, and a past day for something being created (an edit may keep its past day)."""
    if not 2000 <= jour.year <= 2100:
        raise forms.ValidationError(_("Cette date n'est pas valide."))
    if nouveau and jour < timezone.localdate(timezone=PARIS):
        raise forms.ValidationError(_("Cette date est passée."))
    return jour


TYPES_PLANIFIES_AILLEURS = {TypeEvenement.REUNION_ATELIER, TypeEvenement.SEANCE_PLENIERE}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HEURE = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def slug_libre(titre):
    """Return an unused event slug made from ``titre`` (never one of the reserved route words)."""
    base = slugify(titre)[:180].strip("-") or "evenement"
    if base in SLUGS_RESERVES:
        base = f"{base}-evenement"
    slug, n = base, 2
    while Evenement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class EvenementForm(forms.ModelForm):
    """Everything an actor gives about an event they propose; the moderators check it before publication."""

    date = forms.DateField(label=_("Date (premier jour)"), widget=DATE)
    heure_debut = forms.TimeField(label=_("Heure de début"), required=False, widget=HEURE)
    heure_fin = forms.TimeField(label=_("Heure de fin"), required=False, widget=HEURE)
    date_fin = forms.DateField(
        label=_("Dernier jour (si l'événement dure plusieurs jours)"), required=False, widget=DATE,
        help_text=_("Laissez vide pour un événement sur une seule journée."),
    )
    lien_en_ligne = forms.URLField(
        label=_("Lien de connexion"), required=False, assume_scheme="https",
        help_text=_("Obligatoire pour un événement en ligne ; il est affiché sur la page de l'événement."),
    )
    capacite = forms.IntegerField(
        label=_("Nombre de places"), required=False, min_value=1, max_value=100000,
        help_text=_("Laissez vide si le nombre de places n'est pas limité."),
    )

    class Meta:
        model = Evenement
        fields = [
            "titre", "type", "programme", "structures", "organisateurs_texte", "resume", "description",
            "intervenants", "journee_entiere", "mode", "lieu", "precision_lieu", "commune", "lien_en_ligne",
            "publics", "champs", "gratuit", "tarif", "accessibilite", "boucle_magnetique", "interpretation_lsf",
            "sous_titrage", "facile_a_lire", "infos_accessibilite", "inscription", "inscription_sur_plateforme",
            "capacite",
        ]
        widgets = {
            "structures": forms.CheckboxSelectMultiple,
            "publics": forms.CheckboxSelectMultiple,
            "champs": forms.CheckboxSelectMultiple,
            "description": EditeurMarkdown({"rows": 8}),
            "intervenants": forms.Textarea(attrs={"rows": 2}),
            "infos_accessibilite": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"description": ChampRedaction}
        labels = {
            "structures": _("Structures organisatrices"),
            "organisateurs_texte": _("Autres organisateurs (facultatif)"),
            "journee_entiere": _("Sur une ou plusieurs journées entières (sans horaires)"),
        }
        help_texts = {
            "structures": _("Vos structures qui organisent l'événement ; cochez-en plusieurs s'il est co-organisé."),
            "organisateurs_texte": _("Partenaires qui ne sont pas sur la plateforme."),
            "resume": _("Une ou deux phrases, affichées dans la liste de l'agenda."),
            "description": _("Mise en forme simple acceptée (gras, italique, listes, liens)."),
            "intervenants": _("Par exemple : présidence, animation, intervenant·e·s."),
            "lieu": _("Choisissez un lieu de la liste, ou décrivez le lieu ci-dessous."),
            "precision_lieu": _("Salle, point de rendez-vous, ou adresse complète si le lieu n'est pas dans la liste."),
            "commune": _("Obligatoire si le lieu n'est pas dans la liste."),
            "inscription_sur_plateforme": _(
                "Les personnes s'inscrivent sur cette plateforme : places confirmées dans la limite du nombre de "
                "places, puis liste d'attente."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        instance = self.instance
        # Atelier meetings and séances are scheduled by their own apps (linked to their atelier or séance),
        # never proposed as free-standing events.
        if instance.type not in TYPES_PLANIFIES_AILLEURS:
            self.fields["type"].choices = [
                (valeur, libelle) for valeur, libelle in self.fields["type"].choices
                if valeur not in TYPES_PLANIFIES_AILLEURS
            ]
        self.fields["structures"].required = True
        self.fields["structures"].error_messages["required"] = _("Choisissez au moins une structure organisatrice.")
        self.fields["structures"].queryset = (
            Structure.objects.filter(
                Q(adhesions__user=user, adhesions__statut=Adhesion.Statut.ACCEPTEE)
                | Q(pk__in=instance.structures.all() if instance.pk else [])
            ).exclude(statut=Structure.Statut.REFUSEE).distinct().order_by("nom")
        )
        if not instance.pk:
            mes_structures = list(self.fields["structures"].queryset[:2])
            if len(mes_structures) == 1:  # a single structure: it organises the event
                self.initial.setdefault("structures", mes_structures)
        self.fields["programme"].queryset = Programme.objects.filter(
            Q(ouvert_aux_propositions=True) | Q(pk=instance.programme_id or 0)
        )
        self.fields["programme"].empty_label = _("Aucun programme")
        self.fields["programme"].help_text = _(
            "Les programmes ouverts aux propositions (par exemple le Mois de l'ESS).")
        self.fields["lieu"].queryset = Lieu.objects.select_related("commune")
        self.fields["lieu"].empty_label = _("Lieu hors liste (précisez-le ci-dessous)")
        self.fields["commune"].empty_label = _("Choisissez la commune")
        self.fields["tarif"].help_text = _(
            "Obligatoire si l'événement est payant : par exemple « 4 € », « prix libre ».")
        if instance.pk:
            debut = timezone.localtime(instance.debut, PARIS)
            fin = timezone.localtime(instance.fin, PARIS)
            dernier = (fin - datetime.timedelta(microseconds=1)).date()
            self.initial.update({
                "date": debut.date(),
                "heure_debut": None if instance.journee_entiere else debut.time(),
                "heure_fin": None if instance.journee_entiere else fin.time(),
                "date_fin": dernier if dernier != debut.date() else None,
            })

    @property
    def a_des_structures(self):
        return self.fields["structures"].queryset.exists()

    def clean_date(self):
        return valider_jour(self.cleaned_data["date"], nouveau=not self.instance.pk)

    def clean(self):
        donnees = super().clean()
        self._clean_dates(donnees)
        self._clean_lieu(donnees)
        self._clean_programme(donnees)
        if not donnees.get("gratuit") and not (donnees.get("tarif") or "").strip():
            self.add_error("tarif", _(
                "Indiquez le tarif d'un événement payant (par exemple « 4 € » ou « prix libre »)."))
        capacite = donnees.get("capacite")
        if capacite is not None and capacite < self.instance.nb_confirmes:
            self.add_error("capacite", _(
                "%(n)s personnes sont déjà inscrites : le nombre de places ne peut pas être inférieur."
            ) % {"n": self.instance.nb_confirmes})
        return donnees

    def _clean_programme(self, donnees):
        """An event of a programme falls within its days (the Mois de l'ESS is in November)."""
        programme, debut, fin = donnees.get("programme"), donnees.get("debut"), donnees.get("fin")
        if programme is None or debut is None or fin is None:
            return
        premier = timezone.localtime(debut, PARIS).date()
        dernier = max(premier, timezone.localtime(fin - datetime.timedelta(microseconds=1), PARIS).date())
        if premier < programme.date_debut or dernier > programme.date_fin:
            self.add_error("programme", _(
                "« %(programme)s » va du %(du)s au %(au)s : choisissez une date dans cette période, ou aucun "
                "programme.") % {"programme": programme.titre, "du": date_format(programme.date_debut, "j F Y"),
                                 "au": date_format(programme.date_fin, "j F Y")})

    def _clean_dates(self, donnees):
        jour, dernier = donnees.get("date"), donnees.get("date_fin")
        if jour is None:
            return
        if dernier is not None and dernier < jour:
            self.add_error("date_fin", _("Le dernier jour ne peut pas précéder le premier jour."))
            return
        if dernier is not None and (dernier - jour).days > 366:
            self.add_error("date_fin", _("Un événement ne peut pas durer plus d'un an."))
            return
        dernier = dernier or jour
        if donnees.get("journee_entiere"):
            donnees["debut"], donnees["fin"] = minuit(jour), minuit(dernier + datetime.timedelta(days=1))
            return
        heure_debut, heure_fin = donnees.get("heure_debut"), donnees.get("heure_fin")
        if heure_debut is None and "heure_debut" not in self.errors:
            self.add_error("heure_debut", _("Indiquez l'heure de début, ou cochez « journées entières »."))
        if heure_fin is None and "heure_fin" not in self.errors:
            self.add_error("heure_fin", _("Indiquez l'heure de fin, ou cochez « journées entières »."))
        if heure_debut is None or heure_fin is None:
            return
        debut = datetime.datetime.combine(jour, heure_debut, tzinfo=PARIS)
        fin = datetime.datetime.combine(dernier, heure_fin, tzinfo=PARIS)
        if fin <= debut:
            self.add_error("heure_fin", _("L'heure de fin doit être après l'heure de début."))
            return
        donnees["debut"], donnees["fin"] = debut, fin

    def _clean_lieu(self, donnees):
        mode = donnees.get("mode")
        lieu = donnees.get("lieu")
        if mode in (M.EN_LIGNE, M.HYBRIDE) and not donnees.get("lien_en_ligne") and "lien_en_ligne" not in self.errors:
            self.add_error("lien_en_ligne", _("Indiquez le lien de connexion d'un événement en ligne."))
        if mode in (M.PRESENTIEL, M.HYBRIDE) and not (lieu and not lieu.en_ligne):
            if not (donnees.get("precision_lieu") or "").strip():
                self.add_error("lieu", _(
                    "Choisissez un lieu dans la liste, ou décrivez-le (adresse) dans « précision sur le lieu »."))
            elif not donnees.get("commune") and "commune" not in self.errors:
                self.add_error("commune", _("Indiquez la commune où a lieu l'événement."))

    def ecritures(self):
        """Return (the event with the form's values, its dates and, new, its slug; the fields to write; the
        many-to-many values), for ``services.proposer_evenement`` / ``modifier_evenement``."""
        evenement = self.instance
        evenement.debut = self.cleaned_data["debut"]
        evenement.fin = self.cleaned_data["fin"]
        if not evenement.slug:
            evenement.slug = slug_libre(evenement.titre)
        champs, relations = champs_du_formulaire(self)
        return evenement, [*champs, "debut", "fin"], relations


class StatutForm(forms.Form):
    """An organiser or a moderator marks an event confirmed, postponed, full or cancelled."""

    statut = forms.ChoiceField(label=_("Nouveau statut"), choices=S.choices)
    motif = forms.CharField(
        label=_("Motif (public)"), max_length=300, required=False,
        help_text=_("Affiché sur la page de l'événement et envoyé aux personnes inscrites. "
                    "Obligatoire pour un report ou une annulation."),
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("statut") in (S.ANNULE, S.REPORTE) and not (donnees.get("motif") or "").strip():
            self.add_error("motif", _(
                "Indiquez le motif d'un report ou d'une annulation : il est affiché publiquement."))
        return donnees
