"""Admin views shared by the back offices, and those of the Conseil's membership.

- ``ActionAdminView``: confirm one action on one object, then call its service; an
  ``ActionImpossible`` comes back as a form error, never as a server error. The ateliers' admin uses
  it too (archiving a cycle, answering a request).
- ``ExportMixin``: CSV/Excel exports with readable values and no spreadsheet formula injection.
- ``EcritureParServiceMixin``: a create or edit view whose object only the app's services write (never
  ``form.save()``); ``ServiceFormMixin`` shows a service's refusal on the form. Every back office uses them.
- The decisions on a membership of the Conseil (valider, refuser, suspendre, rétablir), each through
  ``comptes.services``, which keeps the "Membre du Conseil" group in step and tells the person.
"""

import csv
import datetime

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin
from wagtail.log_actions import log

from conseil_ess.ecritures import champs_du_formulaire

from . import services, tableurs
from .models import MembreConseil

# The viewset name (URL namespace) of the memberships in wagtail_hooks.py.
NS_MANDATS = "comptes_mandats"
DEBUT_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def neutraliser_formule(valeur):
    """Keep a spreadsheet from running a cell typed by someone (``=HYPERLINK(…)``) as a formula."""
    valeur = str(valeur)
    return "'" + valeur if valeur.startswith(DEBUT_FORMULE) else valeur


class ExportMixin:
    """CSV/Excel export with local times, readable choices and related names, and no formula injection.

    ``list_export`` may name related fields with dots (``user.email``).
    """

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        str: {SpreadsheetExportMixin.FORMAT_CSV: neutraliser_formule,
              SpreadsheetExportMixin.FORMAT_XLSX: tableurs.sans_caracteres_interdits},
    }

    def stream_csv(self, queryset):
        """Wagtail's CSV, as French offices open it: ``;``-separated, UTF-8 with a BOM (``tableurs``)."""
        ecrivain = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=tableurs.SEPARATEUR)
        yield tableurs.BOM.encode() + ecrivain.writerow(
            {champ: self.get_heading(queryset, champ) for champ in self.list_export})
        for item in queryset:
            yield self.write_csv_row(ecrivain, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        reponse = super().write_csv_response(queryset)
        reponse["Content-Type"] = "text/csv; charset=utf-8"
        return reponse

    def to_row_dict(self, item):
        ligne = {}
        for champ in self.list_export:
            valeur = self.valeur_export(item, champ)
            if isinstance(valeur, bool):
                valeur = _("oui") if valeur else _("non")
            elif isinstance(valeur, datetime.datetime):
                valeur = timezone.make_naive(valeur).replace(microsecond=0)
            elif isinstance(valeur, str):
                # Any text, CSV and xlsx alike: no control character, non-character or lone surrogate.
                valeur = tableurs.sans_caracteres_interdits(valeur)
            ligne[champ] = valeur
        return ligne

    def valeur_export(self, item, champ):
        objet, _sep, nom = champ.rpartition(".")
        for partie in filter(None, objet.split(".")):
            item = getattr(item, partie) if item is not None else None
        if item is None:
            return ""
        affichage = getattr(item, f"get_{nom}_display", None)
        if affichage is not None:
            return affichage()
        valeur = getattr(item, nom)
        if hasattr(valeur, "all"):  # many-to-many: the names, one cell
            return ", ".join(str(o) for o in valeur.all())
        return "" if valeur is None else valeur


class CreationParServiceForm(WagtailAdminModelForm):
    """An admin creation form whose object is made by a service: the service checks uniqueness and the
    constraints, with its own messages (and e.g. lets a person who left an atelier join it again)."""

    def _post_clean(self):
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
            self.instance.full_clean(exclude=self._get_validation_exclusions(), validate_unique=False,
                                     validate_constraints=False)
        except ValidationError as exc:
            self._update_errors(exc)


class ServiceFormMixin:
    """A service refusing the action (``ActionImpossible``) leaves the form on screen with its message, and the
    transaction of the save is rolled back: nothing is saved halfway."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.ActionImpossible as exc:
            form.add_error(None, str(exc))
            self.produced_error_message = str(exc)
            return self.form_invalid(form)


class EcritureParServiceMixin(ServiceFormMixin):
    """A Wagtail create or edit view whose object only the app's services write, never ``form.save()``.

    ``ecrire(instance, champs, relations)`` calls the service that saves what the form edits (``instance``
    holds the form's values; ``champs``: the concrete fields to write, those of ``champs_etat`` left out;
    ``relations``: the many-to-many values). A ``champs_etat`` value chosen in the form that differs from the
    stored one goes to ``changer_etat(instance, voulu)``, which calls the state's own services; a new object
    starts in its initial state and reaches the chosen one the same way. Wagtail's history gets its
    create/edit entry, as its own save would write it.
    """

    champs_etat = ()

    def ecrire(self, instance, champs, relations):
        raise NotImplementedError

    def changer_etat(self, instance, voulu):
        raise services.ActionImpossible(_("Ce changement de statut n'est pas possible ici."))

    def save_instance(self):
        form = self.form
        instance, ajout = form.instance, form.instance._state.adding
        champs, relations = champs_du_formulaire(form)
        voulu = {nom: getattr(instance, nom) for nom in self.champs_etat if nom in champs}
        if ajout:
            for nom in voulu:
                setattr(instance, nom, instance._meta.get_field(nom).get_default())
        instance = self.ecrire(instance, [nom for nom in champs if nom not in voulu], relations)
        if any(getattr(instance, nom) != valeur for nom, valeur in voulu.items()):
            self.changer_etat(instance, voulu)
            instance.refresh_from_db()
        log(instance=instance, action="wagtail.create" if ajout else "wagtail.edit", user=self.request.user,
            content_changed=form.has_changed())
        form.instance = instance
        return instance


class MotifForm(forms.Form):
    motif = forms.CharField(
        label=gettext_lazy("Motif"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Il est transmis à la personne, en notification et par e-mail."),
    )


class ActionAdminView(WagtailAdminTemplateMixin, FormView):
    """Confirm one action on one object (GET), then run it (POST) and go back where the user came from.

    Subclasses set ``model``, ``permission`` (a django-rules or model permission, checked with the
    object), ``index_url_name``, the texts, and implement ``executer(form)`` and ``message_succes()``.
    """

    template_name = "admin/confirmer_action.html"
    form_class = forms.Form
    model = None
    permission = None
    index_url_name = None
    edit_url_name = None
    page_title = None
    bouton = None
    explication = ""
    serieux = False

    def get_queryset(self):
        return self.model._default_manager.all()

    def dispatch(self, request, pk):
        self.objet = get_object_or_404(self.get_queryset(), pk=pk)
        if not request.user.has_perm(self.permission, self.objet):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.objet)

    @cached_property
    def url_retour(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)

    def get_breadcrumbs_items(self):
        items = [{"url": reverse(self.index_url_name), "label": capfirst(self.model._meta.verbose_name_plural)}]
        if self.edit_url_name:
            items.append({"url": reverse(self.edit_url_name, args=[quote(self.objet.pk)]), "label": str(self.objet)})
        return self.breadcrumbs_items + items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(objet=self.objet, bouton=self.bouton, url_retour=self.url_retour,
                                        action_url=self.request.get_full_path(), explication=self.explication,
                                        serieux=self.serieux, **kwargs)

    def executer(self, form):
        raise NotImplementedError

    def message_succes(self):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.executer(form)
        except services.ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, self.message_succes())
        return redirect(self.url_retour)


# --- Membership of the Conseil --------------------------------------------------------------------

S = MembreConseil.Statut


def changer_statut_mandat(mandat, nouveau, par, motif=""):
    """Route a status chosen in the admin to its service (which checks the status it comes from)."""
    if nouveau == S.VALIDE:
        return services.valider_mandat_conseil(mandat, par)
    if nouveau == S.REFUSE:
        return services.refuser_mandat_conseil(mandat, par, motif)
    if nouveau == S.SUSPENDU:
        return services.suspendre_mandat_conseil(mandat, par, motif)
    raise services.ActionImpossible(_("Une décision ne se remet pas en attente : validez, refusez ou suspendez."))


def url_decision(action, mandat):
    return reverse(f"{NS_MANDATS}:{action}", args=[quote(mandat.pk)])


def decisions_possibles(user, mandat):
    """Return (action, label, icon) the user may take on the membership now: what the buttons show."""
    if not user.has_perm("comptes.decider_mandat", mandat):
        return []
    return {
        S.DEMANDE: [("valider", _("Valider"), "success"), ("refuser", _("Refuser"), "cross")],
        S.VALIDE: [("suspendre", _("Suspendre"), "warning")],
        S.SUSPENDU: [("retablir", _("Rétablir"), "success")],
    }.get(mandat.statut, [])


class DecisionMandatView(ActionAdminView):
    model = MembreConseil
    permission = "comptes.decider_mandat"
    index_url_name = f"{NS_MANDATS}:index"
    edit_url_name = f"{NS_MANDATS}:edit"
    header_icon = "group"

    def get_queryset(self):
        return MembreConseil.objects.select_related("user", "structure", "college")

    def get_context_data(self, **kwargs):
        return super().get_context_data(resume_template="comptes/admin/_resume_mandat.html", mandat=self.objet,
                                        **kwargs)


class ValiderMandatView(DecisionMandatView):
    page_title = gettext_lazy("Valider la demande d'adhésion au Conseil")
    bouton = gettext_lazy("Valider")
    explication = gettext_lazy("La personne devient membre du Conseil : elle vote en séance et apparaît dans la "
                               "liste des membres si elle l'a accepté. Elle est prévenue par notification et "
                               "par e-mail.")

    def executer(self, form):
        services.valider_mandat_conseil(self.objet, par=self.request.user)

    def message_succes(self):
        return _("%(personne)s est membre du Conseil.") % {"personne": self.objet.user.nom_public}


class RetablirMandatView(ValiderMandatView):
    page_title = gettext_lazy("Rétablir le mandat")
    bouton = gettext_lazy("Rétablir")
    explication = gettext_lazy("La personne redevient membre du Conseil ; elle est prévenue.")

    def message_succes(self):
        return _("Le mandat de %(personne)s est rétabli.") % {"personne": self.objet.user.nom_public}


class RefuserMandatView(DecisionMandatView):
    form_class = MotifForm
    page_title = gettext_lazy("Refuser la demande d'adhésion au Conseil")
    bouton = gettext_lazy("Refuser et prévenir")
    serieux = True

    def executer(self, form):
        services.refuser_mandat_conseil(self.objet, par=self.request.user, motif=form.cleaned_data["motif"])

    def message_succes(self):
        return _("La demande de %(personne)s est refusée ; la personne est prévenue.") % {
            "personne": self.objet.user.nom_public}


class SuspendreMandatView(DecisionMandatView):
    form_class = MotifForm
    page_title = gettext_lazy("Suspendre le mandat")
    bouton = gettext_lazy("Suspendre et prévenir")
    explication = gettext_lazy("La personne ne vote plus en séance et disparaît de la liste des membres "
                               "jusqu'à ce que son mandat soit rétabli.")
    serieux = True

    def executer(self, form):
        services.suspendre_mandat_conseil(self.objet, par=self.request.user, motif=form.cleaned_data["motif"])

    def message_succes(self):
        return _("Le mandat de %(personne)s est suspendu ; la personne est prévenue.") % {
            "personne": self.objet.user.nom_public}


class ConsultationSeuleMixin:
    """A ModelViewSet whose rows are only listed, inspected and exported: no add, edit or delete view
    (registrations, meetings: they change through their services, from their own pages)."""

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{
            "add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs,
        })

    def get_urlpatterns(self):
        from django.urls import path

        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]


# --- Personal data: erasing an account on a request received by post --------------------------------

NS_DONNEES = "donnees_admin"
PERMISSION_EFFACEMENT = "comptes.effacer_comptes_sur_demande"


class EffacementSurDemandeView(WagtailAdminTemplateMixin, FormView):
    """The secrétariat runs the same erasure as « Supprimer mon compte » (``effacer_compte``), with the reason
    (the request received), written to the audit trail."""

    template_name = "comptes/admin/effacer_compte.html"
    page_title = gettext_lazy("Effacer un compte sur demande")
    header_icon = "user"

    def get_form_class(self):
        from .forms import EffacementSurDemandeForm

        return EffacementSurDemandeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION_EFFACEMENT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        from .donnees_personnelles import effacer_compte

        personne = form.personne
        try:
            effacer_compte(personne, par=self.request.user, motif=form.cleaned_data["motif"])
        except services.ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Le compte a été supprimé ; la demande est notée dans le journal."))
        return redirect(f"{NS_DONNEES}:effacer")

    def form_invalid(self, form):
        reponse = super().form_invalid(form)
        reponse.status_code = 400
        return reponse
