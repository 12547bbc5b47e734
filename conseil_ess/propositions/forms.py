"""Forms of the authors' pages: write or edit a proposal (with one attachment per save), withdraw it."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ateliers.models import Atelier, Cycle
from conseil_ess.comptes.models import Adhesion, Structure
from conseil_ess.redaction import ChampRedaction, EditeurMarkdown

from .extensions import libelles_leviers
from .models import InvitationPortage, PieceJointe, Proposition


class PropositionForm(forms.ModelForm):
    """What an author writes. ``structures``: their own validated structures; ``co_porteurs``: others."""

    co_porteurs = forms.ModelMultipleChoiceField(
        label=_("Structures co-porteuses"), required=False, queryset=Structure.objects.none(),
        help_text=_("D'autres structures de la plateforme qui portent la proposition avec vous (facultatif). Une "
                    "structure dont vous n'êtes pas membre est invitée : ses référent·e·s acceptent ou refusent, "
                    "et elle n'apparaît comme porteuse qu'après avoir accepté."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    piece_titre = forms.CharField(label=_("Titre du document joint"), max_length=200, required=False)
    piece_fichier = forms.FileField(
        label=_("Document joint"), required=False,
        validators=PieceJointe._meta.get_field("fichier").validators,
        help_text=_("Facultatif ; un document par enregistrement (PDF, bureautique, image ; 10 Mo au plus). "
                    "Enregistrez à nouveau pour en ajouter un autre."),
    )

    class Meta:
        model = Proposition
        fields = ["titre", "resume", "description", "champs", "levier", "atelier_suggere", "communes", "structures",
                  "porteurs_texte"]
        widgets = {
            "resume": forms.Textarea(attrs={"rows": 3}),
            "description": EditeurMarkdown({"rows": 12}),
            "champs": forms.CheckboxSelectMultiple,
            "communes": forms.CheckboxSelectMultiple,
            "structures": forms.CheckboxSelectMultiple,
            "levier": forms.TextInput(attrs={"list": "leviers"}),
        }
        field_classes = {"description": ChampRedaction}
        labels = {"structures": _("Vos structures porteuses")}
        help_texts = {
            "description": _("Le constat, la proposition, les moyens envisagés. Mise en forme : voir l'aide "
                             "sous le champ."),
            "champs": _("Au moins un champ d'action de la politique ESS."),
            "levier": _("Facultatif : un levier d'action du champ (choisissez dans la liste ou écrivez-le)."),
            "atelier_suggere": _("Facultatif : le secrétariat décide de l'atelier qui la travaillera."),
            "structures": _("Les structures dont vous êtes membre et qui portent la proposition."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["champs"].required = True
        self.fields["champs"].error_messages["required"] = _("Choisissez au moins un champ d'action.")
        cycle = Cycle.objects.courant()
        self.fields["atelier_suggere"].queryset = (
            Atelier.objects.filter(Q(cycle=cycle) | Q(pk=self.instance.atelier_suggere_id)).order_by("ordre", "titre")
            if cycle else Atelier.objects.filter(pk=self.instance.atelier_suggere_id)
        )
        self.fields["atelier_suggere"].empty_label = _("Pas de suggestion")
        miennes = Structure.objects.publiques().filter(
            adhesions__user=user, adhesions__statut=Adhesion.Statut.ACCEPTEE).distinct().order_by("nom")
        self.fields["structures"].queryset = miennes
        self.fields["co_porteurs"].queryset = Structure.objects.publiques().order_by("nom")
        if self.instance.pk and not self.is_bound:
            actuelles = list(self.instance.structures.all())
            ids_miennes = set(miennes.values_list("pk", flat=True))
            self.initial["structures"] = [s.pk for s in actuelles if s.pk in ids_miennes]
            invitees = self.instance.invitations_portage.filter(
                etat__in=[InvitationPortage.Etat.INVITEE, InvitationPortage.Etat.A_INVITER])
            self.initial["co_porteurs"] = [s.pk for s in actuelles if s.pk not in ids_miennes] + list(
                invitees.values_list("structure_id", flat=True))
        self.leviers = libelles_leviers()

    def clean(self):
        donnees = super().clean()
        if donnees.get("piece_fichier") and not (donnees.get("piece_titre") or "").strip():
            self.add_error("piece_titre", _("Donnez un titre au document joint."))
        if (donnees.get("piece_titre") or "").strip() and not donnees.get("piece_fichier") and \
                "piece_fichier" not in self.errors:
            self.add_error("piece_fichier", _("Choisissez le fichier à joindre, ou effacez son titre."))
        return donnees

    def structures_choisies(self):
        """Return the structures named: the author's and the co-carriers (carriers or invited), once each."""
        choisies = {s.pk: s for s in self.cleaned_data.get("structures", [])}
        for structure in self.cleaned_data.get("co_porteurs", []):
            choisies.setdefault(structure.pk, structure)
        return list(choisies.values())


class RetraitForm(forms.Form):
    motif = forms.CharField(
        label=_("Pourquoi retirez-vous votre proposition ?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce motif est affiché publiquement dans le parcours de la proposition."),
        error_messages={"required": _("Indiquez le motif du retrait : il est affiché publiquement.")},
    )

    def clean_motif(self):
        motif = self.cleaned_data["motif"].strip()
        if not motif:
            raise forms.ValidationError(_("Indiquez le motif du retrait : il est affiché publiquement."))
        return motif


# --- Follow-up of an adopted proposal: the engagement page (élu·e responsable) and the admin -----------------


class ChampDate(forms.DateInput):
    """The browser's date picker (ISO value, so what was typed comes back as typed)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _pas_dans_le_futur(date):
    """A follow-up point or a measured value is dated today at the latest."""
    if date and date > timezone.localdate():
        raise forms.ValidationError(_("Cette date n'est pas encore arrivée : datez ce qui est déjà constaté."))
    return date


class PointSuiviForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False, widget=ChampDate(),
                           help_text=_("Aujourd'hui si vide."))
    texte = forms.CharField(label=_("Point de suivi (public)"),
                            error_messages={"required": _("Écrivez le point de suivi.")},
                            widget=forms.Textarea(attrs={"rows": 3}))
    avancement = forms.IntegerField(label=_("Avancement (%)"), required=False, min_value=0, max_value=100,
                                    help_text=_("Facultatif : le pourcentage réalisé, de 0 à 100."))

    def clean_date(self):
        return _pas_dans_le_futur(self.cleaned_data.get("date"))


class IndicateurForm(forms.Form):
    libelle = forms.CharField(label=_("Indicateur"), max_length=200)
    unite = forms.CharField(label=_("Unité"), max_length=40, required=False)
    cible = forms.DecimalField(label=_("Cible"), max_digits=14, decimal_places=2, required=False)
    cible_texte = forms.CharField(label=_("Cible (texte)"), max_length=60, required=False,
                                  help_text=_("Si la cible ne s'écrit pas en nombre, par exemple "
                                                         "« +20 % »."))
    valeur_reference = forms.DecimalField(label=_("Valeur de référence"), max_digits=14,
                                          decimal_places=2, required=False)


class ValeurForm(forms.Form):
    indicateur = forms.ModelChoiceField(label=_("Indicateur"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=ChampDate())
    valeur = forms.DecimalField(label=_("Valeur"), max_digits=14, decimal_places=2)
    commentaire = forms.CharField(label=_("Commentaire"), max_length=200, required=False)

    def __init__(self, *args, proposition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicateur"].queryset = proposition.indicateurs.all()

    def clean_date(self):
        return _pas_dans_le_futur(self.cleaned_data.get("date"))
