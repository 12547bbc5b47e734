from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from conseil_ess.redaction import ChampRedaction, EditeurMarkdown

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
            "description": EditeurMarkdown({"rows": 6}),
        }
        field_classes = {"description": ChampRedaction}
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


def _code_valide(user, code):
    """True when ``code`` is a current TOTP code or an unused recovery code of ``user`` (allauth)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    code = (code or "").replace(" ", "")
    for authenticateur in Authenticator.objects.filter(user=user):
        if authenticateur.type == Authenticator.Type.TOTP and TOTP(authenticateur).validate_code(code):
            return True
        if (authenticateur.type == Authenticator.Type.RECOVERY_CODES
                and RecoveryCodes(authenticateur).validate_code(code)):
            return True
    return False


class ConfirmationIdentiteForm(forms.Form):
    """The password, and a two-factor code for whoever set one up: asked before erasing one's account."""

    mot_de_passe = forms.CharField(
        label=_("Votre mot de passe"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code de double authentification"), required=False, max_length=20,
        help_text=_("Le code à 6 chiffres de votre application d'authentification, ou un code de récupération."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user, *args, **kwargs):
        from allauth.mfa.models import Authenticator

        super().__init__(*args, **kwargs)
        self.user = user
        self.avec_code = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if self.avec_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

    def clean_mot_de_passe(self):
        mot_de_passe = self.cleaned_data["mot_de_passe"]
        if not self.user.check_password(mot_de_passe):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon. Rien n'a été supprimé."))
        return mot_de_passe

    def clean_code(self):
        code = self.cleaned_data.get("code", "")
        if not _code_valide(self.user, code):
            raise forms.ValidationError(_("Ce code de double authentification n'est pas valide. Rien n'a été "
                                          "supprimé."))
        return code


class EffacementSurDemandeForm(forms.Form):
    """The secrétariat erases an account on a request received by post (admin)."""

    email = forms.EmailField(label=_("Adresse e-mail du compte"))
    motif = forms.CharField(
        label=_("Motif (la demande reçue)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500,
        help_text=_("Par exemple : « Courrier du 3 mars, signé, pièce d'identité vérifiée ». Écrit dans le journal."),
    )
    confirmation = forms.BooleanField(
        label=_("Je confirme la suppression définitive de ce compte"), required=True)

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"].strip().lower()
        self.personne = get_user_model().objects.filter(email__iexact=email, supprime_le__isnull=True).first()
        if self.personne is None:
            raise forms.ValidationError(_("Aucun compte n'a cette adresse e-mail."))
        return email
