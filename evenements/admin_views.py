"""Admin views of the agenda that call the services: moderation, bulk publication, cancelling a registration.

Registered on the viewsets of ``wagtail_hooks.py``. Each view checks the right it needs (a moderator
for moderation, the change permission on registrations), then calls ``evenements.services``; an
``ActionImpossible`` comes back as a form error, never as a server error.
"""

import datetime

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .models import Evenement, Inscription

P = Evenement.Publication
# The viewset names (URL namespaces) of wagtail_hooks.py.
NS_EVENEMENTS = "evenements_admin"
NS_MODERATION = "evenements_moderation"
NS_INSCRIPTIONS = "evenements_inscriptions"


def dernier_jour(evenement):
    """Return the last local day of an all-day event (its ``fin`` is the exclusive midnight after it)."""
    if not evenement.journee_entiere:
        return None
    return (timezone.localtime(evenement.fin) - datetime.timedelta(days=1)).date()


def peut_moderer(user, evenement=None):
    return user.has_perm("evenements.moderer", evenement)


def url_action(action, evenement):
    return reverse(f"{NS_EVENEMENTS}:{action}", args=[quote(evenement.pk)])


def actions_de_moderation(user, evenement):
    """Return (action, label, icon) the user may take on the event now: what the buttons show."""
    if not peut_moderer(user, evenement) or evenement.publication == P.PUBLIE:
        return []
    actions = [("publier", _("Publier"), "globe")]
    if evenement.publication != P.REFUSE:
        actions += [("demander_modifications", _("Demander des modifications"), "edit"),
                    ("refuser", _("Refuser"), "cross")]
    return actions


class MessageForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message à la personne qui a proposé l'événement"), widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy("Il lui est envoyé en notification et reste affiché sur sa proposition."),
    )


class ModerationView(WagtailAdminTemplateMixin, FormView):
    """Confirm one moderation action on one event, then call its service."""

    template_name = "admin/confirmer_action.html"
    form_class = forms.Form
    action = None
    page_title = None
    bouton = None
    header_icon = "date"

    def dispatch(self, request, pk):
        self.evenement = get_object_or_404(Evenement.objects.select_related("propose_par", "lieu", "programme"),
                                           pk=pk)
        if not peut_moderer(request.user, self.evenement):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.evenement.titre

    @cached_property
    def url_retour(self):
        return get_valid_next_url_from_request(self.request) or reverse(f"{NS_MODERATION}:index")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{NS_MODERATION}:index"), "label": _("File de modération")},
            {"url": reverse(f"{NS_EVENEMENTS}:edit", args=[quote(self.evenement.pk)]), "label": self.evenement.titre},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(evenement=self.evenement, dernier_jour=dernier_jour(self.evenement),
                                        objet=self.evenement.titre,
                                        resume_template="evenements/admin/_resume_evenement.html",
                                        explication=self.evenement.resume, serieux=self.action == "refuser",
                                        bouton=self.bouton, url_retour=self.url_retour,
                                        action_url=self.request.get_full_path(), **kwargs)

    def executer(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.executer(form)
        except services.ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, self.message_succes())
        return redirect(self.url_retour)


class PublierView(ModerationView):
    action = "publier"
    page_title = gettext_lazy("Publier l'événement")
    bouton = gettext_lazy("Publier")

    def executer(self, form):
        services.publier(self.evenement, par=self.request.user)

    def message_succes(self):
        return _("« %(titre)s » est publié.") % {"titre": self.evenement.titre}


class RefuserView(ModerationView):
    action = "refuser"
    form_class = MessageForm
    page_title = gettext_lazy("Refuser l'événement")
    bouton = gettext_lazy("Refuser et prévenir")

    def executer(self, form):
        services.refuser(self.evenement, par=self.request.user, message=form.cleaned_data["message"])

    def message_succes(self):
        return _("« %(titre)s » est refusé ; la personne qui l'a proposé est prévenue.") % {
            "titre": self.evenement.titre}


class DemanderModificationsView(ModerationView):
    action = "demander_modifications"
    form_class = MessageForm
    page_title = gettext_lazy("Demander des modifications")
    bouton = gettext_lazy("Envoyer la demande")

    def executer(self, form):
        services.demander_modifications(self.evenement, par=self.request.user,
                                        message=form.cleaned_data["message"])

    def message_succes(self):
        return _("Modifications demandées pour « %(titre)s ».") % {"titre": self.evenement.titre}


class PublierEnMasseBulkAction(BulkAction):
    """Publish the events ticked in the moderation queue (``services.publier_en_masse``)."""

    display_name = gettext_lazy("Publier")
    action_type = "publier"
    aria_label = gettext_lazy("Publier les événements sélectionnés")
    template_name = "evenements/admin/publier_en_masse.html"
    action_priority = 10
    models = [Evenement]

    def check_perm(self, evenement):
        return evenement.publication != P.PUBLIE and peut_moderer(self.request.user, evenement)

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all" in the queue means every event awaiting moderation, not every event.
        return Evenement.objects.filter(publication=P.A_MODERER).values_list("pk", flat=True)

    def object_context(self, evenement):
        return {"item": evenement, "edit_url": reverse(f"{NS_EVENEMENTS}:edit", args=[quote(evenement.pk)])}

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return services.publier_en_masse(objects, par=user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(n)d événement publié.", "%(n)d événements publiés.", num_parent_objects) % {
            "n": num_parent_objects}


class AnnulerInscriptionView(WagtailAdminTemplateMixin, FormView):
    """Cancel a registration for the person (the first one waiting is promoted and told)."""

    template_name = "evenements/admin/annuler_inscription.html"
    form_class = forms.Form
    page_title = gettext_lazy("Annuler l'inscription")
    header_icon = "user"

    def dispatch(self, request, pk):
        self.inscription = get_object_or_404(Inscription.objects.select_related("user", "evenement"), pk=pk)
        if not request.user.has_perm("evenements.change_inscription"):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.inscription)

    @cached_property
    def url_retour(self):
        return get_valid_next_url_from_request(self.request) or reverse(f"{NS_INSCRIPTIONS}:index")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{NS_INSCRIPTIONS}:index"), "label": _("Inscriptions")},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(inscription=self.inscription, url_retour=self.url_retour,
                                        action_url=self.request.get_full_path(), **kwargs)

    def form_valid(self, form):
        try:
            promue = services.annuler_inscription(self.inscription, par=self.request.user)
        except services.ActionImpossible as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        message = _("Inscription de %(personne)s annulée.") % {"personne": self.inscription.user}
        if promue is not None:
            message += " " + _("%(personne)s passe de la liste d'attente à une place confirmée.") % {
                "personne": promue.user}
        messages.success(self.request, message)
        return redirect(self.url_retour)


# --- Bulk import (Agenda › Importer) ----------------------------------------------------------------

CLE_SESSION_IMPORT = "evenements_import"


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label=gettext_lazy("Fichier CSV ou iCalendar (.ics)"),
        help_text=gettext_lazy("CSV en UTF-8 (avec ou sans BOM), séparateur virgule ou point-virgule, dates "
                               "« 2026-11-14 18:30 » ou « 14/11/2026 18:30 » (heure de Paris) ; ou fichier .ics."),
    )
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), required=False, queryset=None,
        help_text=gettext_lazy("Les événements y sont rattachés ; les répétitions (RRULE) sont développées dans "
                               "ses dates."),
    )
    publier = forms.BooleanField(
        label=gettext_lazy("Publier directement les événements créés (sinon : file de modération)"), required=False,
    )

    def __init__(self, *args, **kwargs):
        from .models import Programme

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.all()

    def clean_fichier(self):
        from .importation import taille_max

        fichier = self.cleaned_data["fichier"]
        if fichier.size > taille_max():
            raise forms.ValidationError(
                _("Le fichier pèse %(taille)s Mo : la limite est de %(max)s Mo. Découpez-le en plusieurs fichiers.")
                % {"taille": round(fichier.size / 1048576, 1), "max": round(taille_max() / 1048576, 1)})
        return fichier


class ImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a file, see the preview (every row, every error), then import the valid rows."""

    template_name = "evenements/admin/importer.html"
    form_class = ImportForm
    page_title = gettext_lazy("Importer des événements")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("evenements.importer"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        contexte["url_modele"] = reverse("evenements_import:modele")
        analyse = kwargs.get("analyse")
        if analyse is not None:
            for action in ("creation", "mise_a_jour", "inchange", "doublon"):
                contexte[f"nb_{action}"] = analyse.nombre(action)
            contexte["a_ecrire"] = analyse.nombre("creation") + analyse.nombre("mise_a_jour")
        return contexte

    def _analyser(self, donnees):
        import base64

        from .importation import analyser
        from .models import Programme

        programme = Programme.objects.filter(pk=donnees.get("programme")).first() if donnees.get("programme") else None
        return analyser(base64.b64decode(donnees["contenu"]), donnees["nom"], programme), programme

    def post(self, request, *args, **kwargs):
        if "confirmer" in request.POST:
            return self.importer(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        import base64

        fichier = form.cleaned_data["fichier"]
        programme = form.cleaned_data["programme"]
        donnees = {"contenu": base64.b64encode(fichier.read()).decode(), "nom": fichier.name[:200],
                   "programme": programme.pk if programme else None, "publier": form.cleaned_data["publier"]}
        analyse, programme = self._analyser(donnees)
        if analyse.erreurs_fichier:
            for erreur in analyse.erreurs_fichier:
                form.add_error("fichier", erreur)
            return self.form_invalid(form)
        self.request.session[CLE_SESSION_IMPORT] = donnees
        return self.render_to_response(self.get_context_data(form=form, analyse=analyse, programme=programme,
                                                             publier=donnees["publier"], nom=donnees["nom"]))

    def importer(self, request):
        donnees = request.session.get(CLE_SESSION_IMPORT)
        if not donnees:
            messages.error(request, _("L'aperçu a expiré : choisissez de nouveau le fichier."))
            return redirect(request.path)
        analyse, _programme = self._analyser(donnees)
        try:
            rapport = services.importer_evenements(analyse, par=request.user, publier_aussi=donnees["publier"])
        except services.ActionImpossible as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        request.session.pop(CLE_SESSION_IMPORT, None)
        messages.success(request, _(
            "Import terminé : %(crees)d événement(s) créé(s), %(maj)d mis à jour, %(inchanges)d déjà à jour, "
            "%(doublons)d doublon(s) probable(s) non créé(s), %(invalides)d ligne(s) en erreur non importée(s).") % {
            "crees": len(rapport["crees"]), "maj": len(rapport["mis_a_jour"]), "inchanges": rapport["inchanges"],
            "doublons": rapport["doublons"], "invalides": rapport["invalides"]})
        for evenement, problemes in rapport["non_publies"]:
            messages.warning(request, _("« %(titre)s » reste dans la file de modération : %(raisons)s")
                             % {"titre": evenement.titre, "raisons": " ".join(problemes)})
        return redirect(reverse(f"{NS_MODERATION}:index"))


def modele_import_csv(request):
    """The CSV template of the import (header and one example row)."""
    from django.http import HttpResponse

    from .importation import modele_csv

    if not request.user.has_perm("evenements.importer"):
        raise PermissionDenied
    reponse = HttpResponse(modele_csv(), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = 'attachment; filename="modele-import-evenements.csv"'
    return reponse


# --- The coordinator's report of a programme (bilan) -------------------------------------------------


class BilanView(WagtailAdminTemplateMixin, TemplateView):
    """*Bilan* of a programme: figures, tables and SVG bars drawn on the server; ``?export=csv`` for a file."""

    template_name = "evenements/admin/bilan.html"
    header_icon = "doc-full"

    def dispatch(self, request, pk):
        from .models import Programme

        if not request.user.has_perm("evenements.moderer"):
            raise PermissionDenied
        self.programme = get_object_or_404(Programme, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Bilan : %(programme)s") % {"programme": self.programme.titre}

    def get(self, request, *args, **kwargs):
        from .bilan import bilan, lignes_csv

        self.donnees = bilan(self.programme)
        if request.GET.get("export") == "csv":
            from django.http import HttpResponse
            from django.utils.http import content_disposition_header

            from conseil_ess.comptes.admin_views import neutraliser_formule
            from conseil_ess.comptes.tableurs import ecrivain_bureautique

            reponse = HttpResponse(content_type="text/csv; charset=utf-8")
            reponse["Content-Disposition"] = content_disposition_header(True, f"bilan-{self.programme.slug}.csv")
            ecrivain = ecrivain_bureautique(reponse)
            ecrivain.writerow([_("Rubrique"), _("Libellé"), _("Valeur")])
            for ligne in lignes_csv(self.donnees):
                ecrivain.writerow([neutraliser_formule(v) for v in ligne])
            return reponse
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, bilan=self.donnees, **kwargs)
