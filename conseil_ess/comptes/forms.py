from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .categories_notifications import CATEGORIES
from .models import Adhesion, PreferenceNotification, Structure, User
from .notifications import fenetre_regroupement
from .validators import valider_siret


class ProfilForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["nom_affiche", "first_name", "last_name", "fonction"]
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}


class StructureForm(forms.ModelForm):
    site_web = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    # Wider than 14 so that spaces typed between the digit groups are accepted, then removed.
    siret = forms.CharField(
        label=_("SIRET"), max_length=20, required=False,
        help_text=_("14 chiffres. Facultatif pour les collectifs non immatriculés."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Structure
        fields = [
            "nom", "forme_juridique", "precision_forme", "agrements", "siret", "secteur", "commune",
            "site_web", "description",
        ]
        widgets = {
            "agrements": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "description": _("Mise en forme simple acceptée (gras, italique, listes, liens)."),
        }

    def clean_siret(self):
        siret = "".join((self.cleaned_data.get("siret") or "").split())
        if siret:
            valider_siret(siret)
        return siret

    def clean_nom(self):
        nom = self.cleaned_data["nom"].strip()
        if not slugify(nom):
            raise forms.ValidationError(_("Le nom doit contenir au moins une lettre ou un chiffre."))
        return nom

    def structure(self):
        """Return the structure with the form's values (a new one gets its slug); ``comptes.services`` saves it."""
        structure = self.instance
        if not structure.slug:
            structure.slug = _slug_libre(structure.nom)
        return structure


def _slug_libre(nom):
    base = slugify(nom)[:180] or "structure"
    slug, n = base, 2
    while Structure.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class DemandeAdhesionForm(forms.ModelForm):
    class Meta:
        model = Adhesion
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        labels = {"message": _("Message aux référent·e·s (facultatif)")}


class RefusStructureForm(forms.Form):
    motif = forms.CharField(label=_("Motif du refus"), widget=forms.Textarea(attrs={"rows": 3}))


class DemandeMandatForm(forms.Form):
    """Ask to become a member of the Conseil: for one of one's validated structures, in an open collège."""

    structure = forms.ModelChoiceField(
        label=_("Structure que vous représentez"), queryset=Structure.objects.none(), empty_label=None,
        help_text=_("Seules les structures validées dont vous êtes membre sont proposées."),
    )
    college = forms.ModelChoiceField(label=_("Collège"), queryset=None, empty_label=None,
                                     widget=forms.RadioSelect)
    motivation = forms.CharField(
        label=_("Motivation (facultatif)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quelques mots pour le secrétariat : votre activité, ce que vous souhaitez apporter."),
    )
    affichage_public = forms.BooleanField(
        label=_("Apparaître dans la liste publique des membres"), required=False, initial=True,
        help_text=_("Votre nom, votre fonction, votre structure et votre collège sont affichés sur la page "
                    "des membres du Conseil. Vous pourrez changer d'avis à tout moment."),
    )

    def __init__(self, user, *args, **kwargs):
        from .models import College

        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures_representables(user)
        self.fields["college"].queryset = College.objects.filter(actif=True)

    def clean_motivation(self):
        return self.cleaned_data["motivation"].strip()


def structures_representables(user):
    """Return the structures ``user`` may represent at the Conseil: validated, and they are an accepted member."""
    return Structure.objects.publiques().filter(
        adhesions__user=user, adhesions__statut=Adhesion.Statut.ACCEPTEE,
    ).distinct()


class AffichageMandatForm(forms.Form):
    """One button: appear in the public list of members, or stop appearing in it."""

    affichage_public = forms.TypedChoiceField(
        choices=[("oui", _("oui")), ("non", _("non"))], coerce=lambda valeur: valeur == "oui",
    )


class PreferencesNotificationsForm(forms.Form):
    """One radio group per notification category: how its e-mails reach ``user``."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        Frequence = PreferenceNotification.Frequence  # noqa: N806
        minutes = int(fenetre_regroupement().total_seconds() // 60)
        choix = [
            (valeur, libelle if valeur != Frequence.GROUPE or minutes == 60 else _(
                "Un courriel tout de suite, puis au plus un résumé toutes les %(minutes)s minutes"
            ) % {"minutes": minutes})
            for valeur, libelle in Frequence.choices
        ]
        actuelles = dict(user.preferences_notifications.values_list("categorie", "frequence"))
        for code, categorie in CATEGORIES.items():
            self.fields[code] = forms.ChoiceField(
                label=categorie.libelle, help_text=categorie.aide, choices=choix, widget=forms.RadioSelect,
                initial=actuelles.get(code, Frequence.GROUPE),
                error_messages={
                    "required": _("Choisissez comment recevoir ces notifications."),
                    "invalid_choice": _("Ce choix n'existe pas : choisissez l'une des trois possibilités."),
                },
            )

    def save(self):
        """Store every choice (one query whatever the number of categories)."""
        PreferenceNotification.objects.bulk_create(
            [PreferenceNotification(user=self.user, categorie=code, frequence=frequence)
             for code, frequence in self.cleaned_data.items()],
            update_conflicts=True, unique_fields=["user", "categorie"], update_fields=["frequence"],
        )
