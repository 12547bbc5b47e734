"""Forms of the animation's pages: a meeting (its agenda event), its cancellation, attendance, minutes, documents.

A meeting's date is typed as a day and two clock times in Europe/Paris, the way the agenda's forms
do it, and turned here into the event's aware ``debut`` and ``fin``.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conseil_ess.redaction import ChampRedaction, EditeurMarkdown
from evenements.filters import PARIS
from evenements.forms import DATE, HEURE, valider_jour
from evenements.models import Evenement, Lieu

from .models import CompteRendu, DocumentCompteRendu

M = Evenement.Mode


def _champ_formulaire(champ, **kwargs):
    """Build a model field's form field; web addresses typed without a scheme get https (as Django 6 will)."""
    if isinstance(champ, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return champ.formfield(**kwargs)


class ReunionForm(forms.ModelForm):
    """A meeting of an atelier: the fields of its agenda event, and its agenda (ordre du jour)."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    heure_debut = forms.TimeField(label=_("Heure de début"), widget=HEURE)
    heure_fin = forms.TimeField(label=_("Heure de fin"), widget=HEURE)
    lien_en_ligne = forms.URLField(
        label=_("Lien de connexion"), required=False, assume_scheme="https",
        help_text=_("Obligatoire pour une réunion en ligne ou hybride."),
    )
    visibilite = forms.ChoiceField(
        label=_("Visibilité"), widget=forms.RadioSelect,
        choices=[(Evenement.Visibilite.PUBLIC, _("Publique : dans l'agenda de tout le monde")),
                 (Evenement.Visibilite.MEMBRES, _("Réservée aux membres de l'atelier"))],
        help_text=_("Une réunion réservée n'est visible (agenda, flux d'agenda, page de la réunion) que par les "
                    "membres de l'atelier, les élu·e·s et le secrétariat."),
    )
    ordre_du_jour = ChampRedaction(
        label=_("Ordre du jour"), required=False, widget=EditeurMarkdown({"rows": 6}),
        help_text=_("Mise en forme simple acceptée (gras, italique, listes, liens)."),
    )

    class Meta:
        model = Evenement
        formfield_callback = _champ_formulaire
        fields = ["titre", "mode", "lieu", "precision_lieu", "lien_en_ligne", "visibilite", "resume", "description"]
        widgets = {"description": EditeurMarkdown({"rows": 6})}
        field_classes = {"description": ChampRedaction}
        labels = {"titre": _("Titre (facultatif)"), "mode": _("Sur place ou en ligne")}
        help_texts = {
            "titre": _("Sans titre, la réunion s'appelle « Réunion de l'atelier » suivi du nom de l'atelier."),
            "lieu": _("Choisissez un lieu de la liste, ou décrivez le lieu ci-dessous."),
            "precision_lieu": _("Salle, point de rendez-vous, ou adresse complète si le lieu n'est pas dans la "
                                "liste."),
            "resume": _("Une ou deux phrases, affichées dans l'agenda et dans le message envoyé aux membres."),
            "description": _("Mise en forme simple acceptée (gras, italique, listes, liens)."),
        }

    def __init__(self, *args, reunion=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # a new meeting gets the service's default title
            self.fields["titre"].required = False
        else:
            self.fields["titre"].label = _("Titre")
            self.fields["titre"].help_text = ""
        self.fields["lieu"].queryset = Lieu.objects.select_related("commune")
        self.fields["lieu"].empty_label = _("Lieu hors liste (précisez-le ci-dessous)")
        if self.instance.pk:
            debut = timezone.localtime(self.instance.debut, PARIS)
            fin = timezone.localtime(self.instance.fin, PARIS)
            self.initial.update({"date": debut.date(), "heure_debut": debut.time(), "heure_fin": fin.time()})
        if reunion is not None:
            self.initial.setdefault("ordre_du_jour", reunion.ordre_du_jour)

    def clean_date(self):
        return valider_jour(self.cleaned_data["date"], nouveau=not self.instance.pk)

    def clean(self):
        donnees = super().clean()
        jour, heure_debut, heure_fin = (donnees.get(c) for c in ("date", "heure_debut", "heure_fin"))
        if jour and heure_debut and heure_fin:
            debut = datetime.datetime.combine(jour, heure_debut, tzinfo=PARIS)
            fin = datetime.datetime.combine(jour, heure_fin, tzinfo=PARIS)
            if fin <= debut:
                self.add_error("heure_fin", _("L'heure de fin doit être après l'heure de début."))
            else:
                donnees["debut"], donnees["fin"] = debut, fin
        mode, lieu = donnees.get("mode"), donnees.get("lieu")
        if mode in (M.EN_LIGNE, M.HYBRIDE) and not donnees.get("lien_en_ligne") and "lien_en_ligne" not in self.errors:
            self.add_error("lien_en_ligne", _("Indiquez le lien de connexion d'une réunion en ligne."))
        if mode in (M.PRESENTIEL, M.HYBRIDE) and not (lieu and not lieu.en_ligne):
            if not (donnees.get("precision_lieu") or "").strip() and "lieu" not in self.errors:
                self.add_error("lieu", _(
                    "Choisissez un lieu dans la liste, ou décrivez-le (adresse) dans « précision sur le lieu »."))
        return donnees

    def save(self, commit=False):
        """Return the event with its times set, unsaved: the service saves it."""
        if commit:
            raise ValueError("Meetings are saved by ateliers.services.")
        evenement = super().save(commit=False)
        evenement.debut = self.cleaned_data["debut"]
        evenement.fin = self.cleaned_data["fin"]
        return evenement


class ReunionPasseeForm(ReunionForm):
    """A meeting held without being scheduled on the platform, recorded afterwards: its event (in the
    past), who attended and, if written, its minutes."""

    presents = None  # set in __init__ (the atelier's members)
    participants_sans_compte = forms.IntegerField(
        label=_("Autres participant·e·s (sans compte)"), min_value=0, max_value=10000, initial=0,
        help_text=_("Personnes présentes qui n'ont pas de compte sur la plateforme."),
    )
    compte_rendu = ChampRedaction(
        label=_("Compte rendu (facultatif)"), required=False, widget=EditeurMarkdown({"rows": 10}),
        help_text=_("Mise en forme acceptée : paragraphes, titres, gras, italique, listes, liens. Vous pourrez "
                    "aussi l'écrire plus tard."),
    )
    interne = forms.BooleanField(label=_("Compte rendu réservé aux membres de l'atelier"), required=False)
    publier = forms.BooleanField(
        label=_("Publier le compte rendu maintenant"), required=False,
        help_text=_("Sinon il reste en brouillon (non public) ; les membres sont prévenu·e·s de sa publication."),
    )

    def __init__(self, *args, personnes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presents"] = ChoixPersonnes(
            label=_("Membres présent·e·s"), queryset=personnes, required=False, widget=forms.CheckboxSelectMultiple,
        )

    def clean_date(self):
        jour = valider_jour(self.cleaned_data["date"], nouveau=False)
        if jour > timezone.localdate(timezone=PARIS):
            raise forms.ValidationError(_("Cette date est à venir : planifiez plutôt la réunion."))
        return jour

    def clean(self):
        donnees = super().clean()
        if donnees.get("debut") and donnees["debut"] > timezone.now():
            self.add_error("heure_debut", _("Cette heure est à venir : une réunion enregistrée après coup a déjà "
                                            "commencé."))
        if donnees.get("publier") and not (donnees.get("compte_rendu") or "").strip():
            self.add_error("compte_rendu", _("Écrivez le compte rendu pour le publier."))
        return donnees


class AnnulationForm(forms.Form):
    motif = forms.CharField(
        label=_("Motif de l'annulation (public)"), max_length=300,
        help_text=_("Affiché sur la page de la réunion et dans l'agenda, et envoyé aux membres de l'atelier."),
        error_messages={"required": _("Indiquez le motif de l'annulation : il est affiché publiquement.")},
    )


class ChoixPersonnes(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.nom_public


class PresencesForm(forms.Form):
    """Who attended a meeting: the atelier's members (and anyone already recorded), and how many others."""

    presents = ChoixPersonnes(
        label=_("Membres présent·e·s"), queryset=get_user_model().objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_sans_compte = forms.IntegerField(
        label=_("Autres participant·e·s (sans compte)"), min_value=0, max_value=10000,
        help_text=_("Personnes présentes qui n'ont pas de compte sur la plateforme."),
    )

    def __init__(self, *args, personnes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presents"].queryset = personnes


class CompteRenduForm(forms.ModelForm):
    class Meta:
        model = CompteRendu
        fields = ["contenu", "interne"]
        widgets = {"contenu": EditeurMarkdown({"rows": 16})}
        field_classes = {"contenu": ChampRedaction}
        help_texts = {
            "contenu": _("Mise en forme acceptée : paragraphes, titres, gras, italique, listes, citations, liens (voir "
                         "l'aide sous le champ). Tout le reste (scripts, styles, images, cadres) est retiré à "
                         "l'enregistrement."),
            "interne": _("Sinon, une fois publié, le compte rendu est public, même si la réunion était réservée aux "
                         "membres."),
        }
        error_messages = {"contenu": {"required": _("Le compte rendu est vide.")}}


class DocumentForm(forms.ModelForm):
    """A file attached to minutes; the model's validators check its extension and size (10 Mo)."""

    class Meta:
        model = DocumentCompteRendu
        fields = ["titre", "fichier"]
        help_texts = {
            "fichier": _("PDF, documents bureautiques (ODT, DOCX, ODS, XLSX, ODP, PPTX…), CSV, TXT, PNG ou JPG ; "
                         "10 Mo au plus."),
        }
        error_messages = {
            "titre": {"required": _("Donnez un titre au document.")},
            "fichier": {"required": _("Choisissez un fichier."),
                        "empty": _("Le fichier est vide."),
                        "invalid": _("Aucun fichier n'a été envoyé. Vérifiez que le formulaire est bien envoyé.")},
        }
