"""Forms of the séances' back office (Wagtail admin). They only read and check what was typed: every
write goes through ``services`` / ``documents`` / ``proces_verbal``, whose French refusals come back on the
form (``ajouter_erreur``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.models import ThematiqueAnnuelle
from conseil_ess.propositions.models import Etat, Proposition
from conseil_ess.redaction import ChampRedaction, EditeurMarkdown
from evenements.models import Lieu

from .models import DocumentSeance, PointOrdreDuJour, Scrutin, Seance


class ChampDateHeure(forms.DateTimeInput):
    """The browser's date-and-time picker (ISO value, so what was typed comes back as typed)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def ajouter_erreur(form, message, champs_par_mot):
    """Show a service's refusal ``message`` next to the field it is about (first key word found), or above
    the form."""
    texte = str(message)
    for mot, champ in champs_par_mot:
        if mot in texte and champ in form.fields:
            form.add_error(champ, texte)
            return
    form.add_error(None, texte)


class FormulaireAccessible(forms.Form):
    """A form whose fields in error say so to screen readers: ``aria-invalid`` and ``aria-describedby`` pointing
    to the message next to the field (``templates/seances/admin/_champ.html`` gives it the id
    ``<field id>-erreurs``)."""

    def marquer_erreurs(self):
        for nom in self.errors:
            if nom not in self.fields:
                continue
            champ = self[nom]
            ids = [f"{champ.auto_id}-erreurs"]
            if self.fields[nom].help_text:
                ids.append(f"{champ.auto_id}-helptext")
            self.fields[nom].widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(ids)})
        return self


class SeanceForm(FormulaireAccessible):
    titre = forms.CharField(label=_("Titre"), max_length=200,
                            error_messages={"required": _("Indiquez le titre de la séance.")})
    nature = forms.ChoiceField(label=_("Nature"), choices=Seance.Nature.choices, initial=Seance.Nature.ORDINAIRE)
    motif_exceptionnelle = forms.CharField(
        label=_("Motif de la séance exceptionnelle"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour une séance exceptionnelle : affiché publiquement."))
    debut = forms.DateTimeField(label=_("Début (heure de Paris)"), widget=ChampDateHeure(),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
                                error_messages={"required": _("Indiquez le début de la séance."),
                                                "invalid": _("Indiquez une date et une heure valides.")})
    fin = forms.DateTimeField(label=_("Fin (heure de Paris)"), widget=ChampDateHeure(),
                              input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
                              error_messages={"required": _("Indiquez la fin de la séance."),
                                              "invalid": _("Indiquez une date et une heure valides.")})
    lieu = forms.ModelChoiceField(label=_("Lieu"), queryset=Lieu.objects.order_by("nom"), required=False)
    precision_lieu = forms.CharField(label=_("Précision sur le lieu"), max_length=300, required=False,
                                     help_text=_("Salle, étage, accès."))
    presidence = forms.CharField(label=_("Présidence"), max_length=200, required=False,
                                 help_text=_("Par exemple « Le Président de l'Eurométropole »."))
    resume = forms.CharField(label=_("Résumé"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    CHAMPS_PAR_MOT = [("motif", "motif_exceptionnelle"), ("fin de la séance", "fin")]


class PointForm(FormulaireAccessible):
    """An agenda item: information only, or a vote with its object and rules."""

    titre = forms.CharField(label=_("Titre du point"), max_length=200,
                            error_messages={"required": _("Indiquez le titre du point.")})
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Affichée dans l'ordre du jour public."))
    type = forms.ChoiceField(label=_("Type de point"), choices=PointOrdreDuJour.Type.choices,
                             initial=PointOrdreDuJour.Type.INFORMATION, widget=forms.RadioSelect)
    objet = forms.ChoiceField(label=_("Objet du vote"), required=False,
                              choices=[("", "—")] + list(Scrutin.Objet.choices))
    proposition = forms.ModelChoiceField(
        label=_("Proposition"), required=False,
        queryset=Proposition.objects.filter(etat=Etat.SOUMISE_PLENIERE).order_by("reference"),
        help_text=_("Seules les propositions inscrites à cette séance plénière."),
        error_messages={"invalid_choice": _("Cette proposition n'est pas inscrite à cette séance plénière : elle ne "
                                            "peut être soumise au vote que dans la séance où elle est inscrite.")})
    thematique = forms.ModelChoiceField(
        label=_("Thématique annuelle"), required=False,
        queryset=ThematiqueAnnuelle.objects.exclude(statut=ThematiqueAnnuelle.Statut.RETENUE)
        .select_related("cycle").order_by("-cycle__pk", "ordre", "titre"),
        help_text=_("Les thématiques pas encore retenues."))
    question = forms.CharField(label=_("Question soumise au vote"), max_length=300, required=False,
                               help_text=_("Écrite d'après l'objet si vous la laissez vide."))
    texte = forms.CharField(label=_("Texte soumis au vote"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Le texte de l'orientation ou de la question libre."))
    secret = forms.BooleanField(label=_("Vote secret"), required=False)
    une_voix_par_structure = forms.BooleanField(label=_("Une voix par structure"), required=False)
    quorum = forms.IntegerField(label=_("Quorum (membres présents)"), required=False,
                                help_text=_("Vide : pas de quorum."),
                                error_messages={"invalid": _("Indiquez un nombre entier.")})
    ponderation_par_college = forms.BooleanField(label=_("Pondération par collège"), required=False)
    changement_de_vote_autorise = forms.BooleanField(label=_("Changement de vote autorisé"), required=False,
                                                     help_text=_("Impossible pour un vote secret."))
    saisie_manuelle = forms.BooleanField(label=_("Vote à main levée (décompte saisi par le secrétariat)"),
                                         required=False)

    CHAMPS_PAR_MOT = [("objet du scrutin", "objet"), ("proposition", "proposition"), ("thématique", "thematique"),
                      ("changement de vote", "changement_de_vote_autorise"), ("quorum", "quorum"),
                      ("titre du point", "titre")]

    def __init__(self, *args, seance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if seance is not None:  # a proposal is voted on in the séance of its plenary only (services check it too)
            self.fields["proposition"].queryset = self.fields["proposition"].queryset.filter(
                pleniere_id=seance.evenement_id)
        self.fields["proposition"].label_from_instance = lambda p: f"{p.reference} – {p.titre}"
        self.fields["thematique"].label_from_instance = lambda t: f"{t.titre} ({t.cycle})"

    def arguments_service(self):
        """(titre, description, scrutin) for ``services.ajouter_point``."""
        d = self.cleaned_data
        if d["type"] != PointOrdreDuJour.Type.VOTE:
            return d["titre"], d["description"], None
        scrutin = {nom: d[nom] for nom in ("objet", "question", "texte", "secret", "une_voix_par_structure",
                                          "quorum", "ponderation_par_college", "changement_de_vote_autorise",
                                          "saisie_manuelle")}
        scrutin["objet"] = scrutin["objet"] or None
        if d["objet"] == Scrutin.Objet.PROPOSITION:
            scrutin["proposition"] = d["proposition"]
        if d["objet"] == Scrutin.Objet.THEMATIQUE:
            scrutin["thematique"] = d["thematique"]
        return d["titre"], d["description"], scrutin


class ModifierPointForm(FormulaireAccessible):
    """An agenda item's title and description, and the question of its prepared scrutin (``avec_question``)."""

    titre = forms.CharField(label=_("Titre du point"), max_length=200,
                            error_messages={"required": _("Indiquez le titre du point.")})
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Affichée dans l'ordre du jour public."))
    question = forms.CharField(label=_("Question soumise au vote"), max_length=300, required=False,
                               help_text=_("Laissée vide : la question actuelle est gardée."))

    CHAMPS_PAR_MOT = [("titre", "titre"), ("question", "question")]

    def __init__(self, *args, avec_question=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not avec_question:
            del self.fields["question"]


class DocumentForm(FormulaireAccessible):
    titre = forms.CharField(label=_("Titre du document"), max_length=200,
                            error_messages={"required": _("Indiquez le titre du document.")})
    fichier = forms.FileField(label=_("Fichier"), error_messages={"required": _("Choisissez le fichier à joindre.")},
                              help_text=_("PDF, bureautique, CSV, texte ou image."))

    CHAMPS_PAR_MOT = [("titre", "titre"), ("fichier", "fichier"), ("Mo", "fichier"), ("extension", "fichier")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].validators = list(DocumentSeance._meta.get_field("fichier").validators)


class PresentsForm(FormulaireAccessible):
    presents_declares = forms.IntegerField(
        label=_("Membres présents relevés sur la feuille papier"), required=False, min_value=0,
        help_text=_("Vide si l'émargement se fait en ligne ; le chiffre retenu est le plus grand des deux."),
        error_messages={"invalid": _("Indiquez un nombre entier."),
                        "min_value": _("Le nombre de membres présents ne peut pas être négatif.")})

    CHAMPS_PAR_MOT = [("présents", "presents_declares")]


class ProcesVerbalForm(FormulaireAccessible):
    contenu = ChampRedaction(
        label=_("Texte du procès-verbal"), widget=EditeurMarkdown({"rows": 30}),
        error_messages={"required": _("Le procès-verbal ne peut pas être vide.")},
        help_text=_("Titres, paragraphes, listes, gras, italique, liens (voir l'aide sous le champ). Le reste est "
                    "retiré à l'enregistrement."))

    CHAMPS_PAR_MOT = [("vide", "contenu")]

