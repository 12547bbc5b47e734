"""Admin views of the proposals: the instruction page and the bulk actions of the listing.

The instruction page (``InstruireView``) shows a proposal, its journal (read-only), one small form per
transition the agent may make now (``workflow.transitions_possibles``), with exactly the fields that
transition needs (``workflow.REGLES[…].exige``), the private notes, the follow-up points, the
indicators and the attachments. Every write goes through ``workflow.changer_etat`` or ``services``;
an ``ActionImpossible`` comes back as an admin error message, with what was typed kept.

The bulk actions (``AffecterAtelierBulkAction``, ``InscrirePleniereBulkAction``) call
``services.affecter_atelier_en_masse`` / ``inscrire_pleniere_en_masse``: each proposal moves through
``workflow.changer_etat`` (one journal row each). They are not all-or-nothing: a proposal in the wrong
state is refused and reported by its reference with the workflow's reason, and the others still move
(each transition is its own savepoint, so a refusal leaves nothing half-written).
"""

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ateliers.models import Atelier, Cycle
from conseil_ess.comptes import roles
from evenements.models import Evenement, TypeEvenement

from . import services, workflow
from .forms import ChampDate, IndicateurForm, PointSuiviForm, ValeurForm
from .models import MAX_INDICATEURS, Etat, Proposition

E = Etat
# The viewset name (URL namespace) of wagtail_hooks.py.
NS_PROPOSITIONS = "propositions_admin"
PERMISSION = "propositions.instruire"

# What the button of each transition says (default: « Passer à … »).
LIBELLES = {
    (E.DEPOSEE, E.EN_INSTRUCTION): gettext_lazy("Prendre en instruction"),
    (E.EN_INSTRUCTION, E.REORIENTEE): gettext_lazy("Réorienter vers un dispositif existant"),
    (E.EN_INSTRUCTION, E.EN_ATELIER): gettext_lazy("Affecter à un atelier"),
    (E.DEPOSEE, E.FUSIONNEE): gettext_lazy("Fusionner avec une autre proposition (doublon)"),
    (E.EN_INSTRUCTION, E.FUSIONNEE): gettext_lazy("Fusionner avec une autre proposition (doublon)"),
    (E.EN_ATELIER, E.SOUMISE_PLENIERE): gettext_lazy("Inscrire en séance plénière"),
    (E.SOUMISE_PLENIERE, E.ADOPTEE): gettext_lazy("Enregistrer l'adoption par le Conseil"),
    (E.SOUMISE_PLENIERE, E.NON_RETENUE): gettext_lazy("Enregistrer la non-adoption"),
    (E.SOUMISE_PLENIERE, E.EN_ATELIER): gettext_lazy("Renvoyer en atelier"),
    (E.SOUMISE_PLENIERE, E.SOUMISE_PLENIERE): gettext_lazy("Inscrire à une autre séance plénière"),
    (E.ADOPTEE, E.EN_OEUVRE): gettext_lazy("Ouvrir la mise en œuvre"),
    (E.EN_OEUVRE, E.REALISEE): gettext_lazy("Déclarer réalisée"),
    (E.REALISEE, E.EVALUEE): gettext_lazy("Enregistrer l'évaluation"),
}


def libelle_transition(de, vers):
    if (de, vers) in LIBELLES:
        return LIBELLES[(de, vers)]
    if vers == E.ABANDONNEE:
        return _("Abandonner")
    return _("Passer à « %(etat)s »") % {"etat": Etat(vers).label}


def url_instruire(proposition):
    return reverse(f"{NS_PROPOSITIONS}:instruire", args=[quote(proposition.pk)])


def ateliers_ouverts():
    """Ateliers of cycles that are not archived."""
    return Atelier.objects.exclude(cycle__statut=Cycle.Statut.ARCHIVE).select_related("cycle").order_by(
        "-cycle__date_debut", "ordre", "titre")


def plenieres():
    """Plenary sessions, upcoming ones first (soonest first), then past ones (latest first); not cancelled."""
    maintenant = timezone.now()
    return (Evenement.objects.filter(type=TypeEvenement.SEANCE_PLENIERE)
            .exclude(statut=Evenement.Statut.ANNULE)
            .annotate(passee=Case(When(debut__lt=maintenant, then=Value(1)), default=Value(0),
                                  output_field=IntegerField()),
                      debut_a_venir=Case(When(debut__gte=maintenant, then=F("debut")), default=None))
            .order_by("passee", F("debut_a_venir").asc(nulls_last=True), "-debut"))


def elus():
    return get_user_model().objects.filter(is_active=True, groups__name=roles.ELU).distinct().order_by(
        "last_name", "first_name", "email")


class ChoixPersonne(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nom_public} ({obj.email})"


class ChoixPleniere(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{timezone.localtime(obj.debut):%d/%m/%Y %H:%M} – {obj.titre}"


class ChoixAtelier(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.titre} ({obj.cycle})"


class ReferenceField(forms.CharField):
    """A public proposal typed by its reference (P-2026-014); cleaned into the proposal."""

    def __init__(self, *args, exclure=None, **kwargs):
        self.exclure = exclure
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        reference = super().clean(value).strip().upper()
        if not reference:
            return None
        proposition = Proposition.objects.publiques().filter(reference=reference).first()
        if proposition is None:
            raise forms.ValidationError(_("Aucune proposition publique n'a la référence « %(reference)s ».")
                                        % {"reference": reference})
        if self.exclure is not None and proposition.pk == self.exclure.pk:
            raise forms.ValidationError(_("Choisissez une autre proposition que celle-ci."))
        return proposition


def champs_exiges(exige, proposition):
    """Return the form fields of what a transition needs (``REGLES[…].exige``), not required by the form:
    the workflow checks them, with its own French messages (``MESSAGES_EXIGES``)."""
    champs = {}
    for nom in exige:
        if nom == "motif":
            champs["motif"] = forms.CharField(
                label=_("Motif public"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Affiché publiquement dans le parcours de la proposition."))
        elif nom == "dispositif":
            champs["dispositif"] = forms.CharField(
                label=_("Dispositif vers lequel elle est réorientée"), required=False, max_length=300)
        elif nom == "atelier":
            champs["atelier"] = ChoixAtelier(label=_("Atelier"), queryset=ateliers_ouverts(), required=False,
                                             initial=proposition.atelier_suggere_id)
        elif nom == "cible":
            champs["cible"] = ReferenceField(
                label=_("Fusionnée dans la proposition (référence)"), required=False, exclure=proposition,
                help_text=_("Par exemple P-2026-014 : une proposition déposée, non fusionnée."))
        elif nom == "pleniere":
            champs["pleniere"] = ChoixPleniere(label=_("Séance plénière"), queryset=plenieres(), required=False)
        elif nom == "responsable":
            champs["responsable_elu"] = ChoixPersonne(label=_("Élu·e responsable"), queryset=elus(),
                                                      required=False, initial=proposition.responsable_elu_id)
            champs["service_responsable"] = forms.CharField(
                label=_("Service responsable"), required=False, max_length=200,
                initial=proposition.service_responsable)
            champs["date_prevue"] = forms.DateField(label=_("Réalisation prévue le"), required=False,
                                                    initial=proposition.date_prevue, widget=ChampDate())
        elif nom == "constats":
            champs["constats"] = forms.CharField(label=_("Constats de l'évaluation"), required=False,
                                                 widget=forms.Textarea(attrs={"rows": 4}))
            champs["recommandations"] = forms.CharField(label=_("Recommandations"), required=False,
                                                        widget=forms.Textarea(attrs={"rows": 4}))
            champs["proposition_suite"] = ReferenceField(
                label=_("Proposition de suite (référence, facultatif)"), required=False, exclure=proposition)
    return champs


class TransitionForm(forms.Form):
    """Base of the transition forms: what the transition needs is checked here first, so that each
    missing piece gets the workflow's own French message next to its field (the workflow checks again)."""

    def __init__(self, *args, proposition, exige, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposition = proposition
        self.exige = exige

    def clean(self):
        donnees = super().clean()
        p = self.proposition
        for nom in self.exige:
            if nom == "responsable":
                if not (donnees.get("responsable_elu") or p.responsable_elu_id) and \
                        "responsable_elu" not in self.errors:
                    self.add_error("responsable_elu", workflow.MESSAGES_EXIGES[nom])
                if not ((donnees.get("service_responsable") or "").strip() or p.service_responsable) and \
                        "service_responsable" not in self.errors:
                    self.add_error("service_responsable", workflow.MESSAGES_EXIGES[nom])
            elif nom in self.fields and nom not in self.errors:
                valeur = donnees.get(nom)
                if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
                    self.add_error(nom, workflow.MESSAGES_EXIGES[nom])
        return donnees


def formulaire_transition(proposition, vers, data=None):
    """The small form of the transition of ``proposition`` to ``vers``: its needs, then a public comment."""
    regle = workflow.REGLES[(proposition.etat, vers)]
    champs = champs_exiges(regle.exige, proposition)
    champs["commentaire"] = forms.CharField(
        label=_("Commentaire public"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Affiché dans le parcours public et envoyé aux personnes qui suivent la proposition."))
    classe = type("TransitionForm", (TransitionForm,), champs)
    form = classe(data, prefix=f"t-{vers}", proposition=proposition, exige=regle.exige)
    form.vers = vers
    form.libelle = libelle_transition(proposition.etat, vers)
    form.serieux = vers in (E.ABANDONNEE, E.NON_RETENUE, E.REORIENTEE, E.FUSIONNEE)
    form.exigences = [str(workflow.MESSAGES_EXIGES[m]) for m in regle.exige]
    return form


class NoteForm(forms.Form):
    texte = forms.CharField(label=gettext_lazy("Note interne"), widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": gettext_lazy("La note est vide.")},
                            help_text=gettext_lazy("Interne au secrétariat : jamais publiée."))


class InstruireView(WagtailAdminTemplateMixin, TemplateView):
    """The secrétariat's page for one proposal: summary, journal, transitions, notes, follow-up, indicators."""

    template_name = "propositions/admin/instruire.html"
    header_icon = "doc-full"
    page_title = gettext_lazy("Instruire")
    ACTIONS = ("transition", "note", "point", "indicateur", "valeur")

    def dispatch(self, request, pk):
        self.proposition = get_object_or_404(
            Proposition.objects.publiques().select_related("auteur", "atelier__cycle", "atelier_suggere",
                                                           "pleniere", "responsable_elu", "fusionnee_dans",
                                                           "proposition_suite", "thematique")
            .prefetch_related("champs", "structures", "communes"),
            pk=pk)
        if not request.user.has_perm(PERMISSION, self.proposition):
            raise PermissionDenied
        self.formulaires = {}
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.proposition)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{NS_PROPOSITIONS}:index"), "label": _("Propositions")},
            {"url": "", "label": str(self.proposition)},
        ]

    # --- Forms ---

    def formulaires_transition(self):
        p = self.proposition
        liee = self.formulaires.get("transition")
        return [liee if liee is not None and liee.vers == vers else formulaire_transition(p, vers)
                for vers in workflow.transitions_possibles(p, self.request.user)]

    def get_context_data(self, **kwargs):
        p = self.proposition
        return super().get_context_data(
            proposition=p,
            journal=p.transitions.select_related("par", "atelier", "pleniere"),
            transitions=self.formulaires_transition(),
            notes=p.notes_internes.select_related("auteur"),
            note_form=self.formulaires.get("note") or NoteForm(prefix="note"),
            points=p.points_suivi.select_related("auteur"),
            point_form=self.formulaires.get("point") or PointSuiviForm(prefix="point"),
            indicateurs=p.indicateurs.prefetch_related("valeurs"),
            indicateur_form=self.formulaires.get("indicateur") or IndicateurForm(prefix="indicateur"),
            valeur_form=self.formulaires.get("valeur") or ValeurForm(prefix="valeur", proposition=p),
            max_indicateurs=MAX_INDICATEURS,
            suivi_ouvert=p.est_adoptee,
            pieces=p.pieces_jointes.all(),
            url_modifier=reverse(f"{NS_PROPOSITIONS}:edit", args=[quote(p.pk)]),
            action_url=self.request.path,
            **kwargs,
        )

    def post(self, request, pk):
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            messages.error(request, _("Action inconnue."))
            return redirect(request.path)
        try:
            form, message = getattr(self, f"_{action}")(request.POST)
        except services.ActionImpossible as exc:
            # Refused by the workflow or a service: nothing was written; the form comes back with what
            # was typed and the French reason above its fields.
            messages.error(request, str(exc))
            form = self.formulaires.get(action)
            if form is not None and form.is_bound and str(exc) not in form.non_field_errors():
                form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data())
        if form is not None:  # invalid input: the form comes back with its errors
            self.formulaires[action] = form
            messages.error(request, _("Corrigez les erreurs du formulaire."))
            return self.render_to_response(self.get_context_data())
        messages.success(request, message)
        return redirect(request.path)

    def _garder(self, action, form):
        """Keep the bound form for the page that shows the error."""
        self.formulaires[action] = form

    def _transition(self, data):
        p = self.proposition
        vers = data.get("vers")
        if vers not in workflow.transitions_possibles(p, self.request.user):
            raise services.ActionImpossible(
                _("Cette étape n'est plus possible : la proposition est maintenant « %(etat)s ».")
                % {"etat": p.get_etat_display()})
        form = formulaire_transition(p, vers, data)
        self._garder("transition", form)
        if not form.is_valid():
            return form, None
        donnees = {k: v for k, v in form.cleaned_data.items() if k != "commentaire" and v not in (None, "")}
        reinscription = p.etat == vers == E.SOUMISE_PLENIERE
        workflow.changer_etat(p, vers, self.request.user, commentaire=form.cleaned_data["commentaire"], **donnees)
        if reinscription:
            return None, _("%(reference)s est inscrite à la séance plénière « %(seance)s » ; son parcours public le "
                           "dit et les personnes qui la suivent sont prévenues.") % {
                "reference": p.reference, "seance": p.pleniere.titre}
        return None, _("%(reference)s : « %(etat)s ».") % {"reference": p.reference, "etat": p.get_etat_display()}

    def _note(self, data):
        form = NoteForm(data, prefix="note")
        self._garder("note", form)
        if not form.is_valid():
            return form, None
        services.ajouter_note_interne(self.proposition, form.cleaned_data["texte"], self.request.user)
        return None, _("Note interne ajoutée.")

    def _point(self, data):
        form = PointSuiviForm(data, prefix="point")
        self._garder("point", form)
        if not form.is_valid():
            return form, None
        d = form.cleaned_data
        services.ajouter_point_suivi(self.proposition, d["texte"], self.request.user, date=d["date"],
                                     avancement=d["avancement"])
        return None, _("Point de suivi ajouté ; les personnes qui suivent la proposition sont prévenues.")

    def _indicateur(self, data):
        form = IndicateurForm(data, prefix="indicateur")
        self._garder("indicateur", form)
        if not form.is_valid():
            return form, None
        d = form.cleaned_data
        indicateur = services.ajouter_indicateur(
            self.proposition, d["libelle"], self.request.user, unite=d["unite"], cible=d["cible"],
            cible_texte=d["cible_texte"], valeur_reference=d["valeur_reference"])
        return None, _("Indicateur « %(libelle)s » ajouté.") % {"libelle": indicateur.libelle}

    def _valeur(self, data):
        form = ValeurForm(data, prefix="valeur", proposition=self.proposition)
        self._garder("valeur", form)
        if not form.is_valid():
            return form, None
        d = form.cleaned_data
        services.ajouter_valeur(d["indicateur"], d["date"], d["valeur"], self.request.user,
                                commentaire=d["commentaire"])
        return None, _("Valeur enregistrée pour « %(libelle)s ».") % {"libelle": d["indicateur"].libelle}


# --- Bulk actions ----------------------------------------------------------------------------------


class AffecterAtelierForm(forms.Form):
    atelier = ChoixAtelier(label=gettext_lazy("Atelier"), queryset=Atelier.objects.none())
    commentaire = forms.CharField(label=gettext_lazy("Commentaire public"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["atelier"].queryset = ateliers_ouverts()


class InscrirePleniereForm(forms.Form):
    pleniere = ChoixPleniere(label=gettext_lazy("Séance plénière"), queryset=Evenement.objects.none())
    commentaire = forms.CharField(label=gettext_lazy("Commentaire public"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pleniere"].queryset = plenieres()


MAX_REFUS_DETAILLES = 20


def details_refus(refusees):
    """« P-2026-003 – reason ; … » for the first refused proposals, then how many more."""
    details = " ; ".join(f"{p.reference} – {raison}" for p, raison in refusees[:MAX_REFUS_DETAILLES])
    reste = len(refusees) - MAX_REFUS_DETAILLES
    if reste > 0:
        details += " " + ngettext("… et %(n)d autre.", "… et %(n)d autres.", reste) % {"n": reste}
    return details


class PropositionsEnMasse(BulkAction):
    """Apply one service to the ticked proposals; each refused one is reported with its reason."""

    models = [Proposition]
    template_name = "propositions/admin/en_masse.html"
    service = None
    champ = None
    explication = ""
    icone = "doc-full"

    def check_perm(self, proposition):
        return proposition.est_publique and self.request.user.has_perm(PERMISSION, proposition)

    @classmethod
    def get_queryset(cls, model, object_ids):
        # Ids come from the query string: anything that is not a number is ignored (never a server error).
        ids = [int(i) for i in object_ids if str(i).isdigit()]
        return list(Proposition.objects.filter(pk__in=ids).select_related("atelier").order_by("reference"))

    def get_all_objects_in_listing_query(self, parent_id):
        return Proposition.objects.publiques().values_list("pk", flat=True)

    def object_context(self, proposition):
        return {"item": proposition, "url": url_instruire(proposition)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(explication=self.explication, icone=self.icone, **kwargs)

    def get_execution_context(self):
        self.rapport = {}
        return {"user": self.request.user, "cible": self.cleaned_form.cleaned_data[self.champ],
                "commentaire": self.cleaned_form.cleaned_data["commentaire"], "rapport": self.rapport}

    @classmethod
    def execute_action(cls, objects, user=None, cible=None, commentaire="", rapport=None, **kwargs):
        faites, refusees = cls.service(objects, cible, user, commentaire=commentaire)
        if rapport is not None:
            rapport.update(faites=faites, refusees=refusees)
        return len(faites), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        refusees = self.rapport.get("refusees", [])
        if refusees:
            messages.warning(self.request, ngettext(
                "%(n)d proposition refusée : %(details)s",
                "%(n)d propositions refusées : %(details)s", len(refusees)) % {
                "n": len(refusees),
                "details": details_refus(refusees)})
        if not num_parent_objects:
            return None
        return self.message_fait(num_parent_objects, self.cleaned_form.cleaned_data[self.champ])


class AffecterAtelierBulkAction(PropositionsEnMasse):
    display_name = gettext_lazy("Affecter à un atelier")
    action_type = "affecter_atelier"
    aria_label = gettext_lazy("Affecter les propositions sélectionnées à un atelier")
    action_priority = 10
    form_class = AffecterAtelierForm
    service = staticmethod(services.affecter_atelier_en_masse)
    champ = "atelier"
    explication = gettext_lazy("Seules les propositions en instruction peuvent être affectées à un atelier ; "
                               "les autres sont signalées sans être modifiées.")
    icone = "group"

    def message_fait(self, n, atelier):
        return ngettext("%(n)d proposition affectée à l'atelier « %(atelier)s ».",
                        "%(n)d propositions affectées à l'atelier « %(atelier)s ».", n) % {
            "n": n, "atelier": atelier.titre}


class InscrirePleniereBulkAction(PropositionsEnMasse):
    display_name = gettext_lazy("Inscrire en séance plénière")
    action_type = "inscrire_pleniere"
    aria_label = gettext_lazy("Inscrire les propositions sélectionnées en séance plénière")
    action_priority = 20
    form_class = InscrirePleniereForm
    service = staticmethod(services.inscrire_pleniere_en_masse)
    champ = "pleniere"
    explication = gettext_lazy("Seules les propositions travaillées en atelier peuvent être inscrites en séance "
                               "plénière ; les autres sont signalées sans être modifiées.")
    icone = "date"

    def message_fait(self, n, pleniere):
        return ngettext("%(n)d proposition inscrite à « %(seance)s ».",
                        "%(n)d propositions inscrites à « %(seance)s ».", n) % {"n": n, "seance": pleniere.titre}
