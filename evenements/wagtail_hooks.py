"""Back office of the agenda in the Wagtail admin: one "Agenda" menu.

- *File de modération*: events awaiting moderation, oldest submission first; publish, refuse or ask
  for changes (with a message to the proposer), and publish in bulk.
- *Événements*: every event, with filters and CSV/Excel export. Its form is saved by
  ``services.creer_evenement`` / ``modifier_evenement``; a status change (reporté, complet, annulé, with its
  public reason) goes through ``services.changer_statut``, which tells registered people.
- *Inscriptions*: filters and export; cancelling one goes through ``services.annuler_inscription``.
- *Lieux*, *Programmes*, *Créneaux*, *Publics*.

Access follows Django model permissions: agents and administrators have them all (``comptes.setup``).
A coordinator given ``evenements.moderer_evenement``, ``wagtailadmin.access_admin`` and view/change
on events works the queue without being an agent (the demo does this for Claire Vasseur).
"""

from urllib.parse import urlencode

from django import forms
from django.contrib.admin.utils import quote
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, DateColumn
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permissions import register_permission_policy

from conseil_ess.comptes.admin_views import ConsultationSeuleMixin, EcritureParServiceMixin, ExportMixin
from conseil_ess.comptes.journal import declarer

from . import admin_views, inscrits, services
from .admin_revisions import RevisionsViewSet
from .admin_views import NS_EVENEMENTS, NS_INSCRIPTIONS, NS_MODERATION, actions_de_moderation
from .models import Creneau, Evenement, Inscription, Lieu, Programme, Public

for _model in (Lieu, Programme, Creneau, Public, Evenement, Inscription):
    register_permission_policy(_model)

P = Evenement.Publication


# --- Events -----------------------------------------------------------------------------------------


class EvenementAdminForm(WagtailAdminModelForm):
    lien_en_ligne = forms.URLField(label=gettext_lazy("lien de connexion"), required=False, assume_scheme="https",
                                   max_length=Evenement._meta.get_field("lien_en_ligne").max_length)
    lien_inscription = forms.URLField(label=gettext_lazy("lien d'inscription"), required=False, assume_scheme="https",
                                      max_length=Evenement._meta.get_field("lien_inscription").max_length)

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut and fin and fin <= debut:
            self.add_error("fin", _("La fin doit être après le début."))
        statut, motif = donnees.get("statut"), donnees.get("motif_statut", "")
        if statut in (Evenement.Statut.ANNULE, Evenement.Statut.REPORTE) and not motif.strip():
            self.add_error("motif_statut", _("Indiquez le motif : il est affiché publiquement et envoyé aux "
                                             "inscrit·e·s."))
        capacite = donnees.get("capacite")
        if capacite is not None and self.instance.pk and capacite < self.instance.nb_confirmes:
            self.add_error("capacite", _("%(n)d places sont déjà confirmées : la capacité ne peut pas être "
                                         "inférieure.") % {"n": self.instance.nb_confirmes})
        mode = donnees.get("mode")
        if mode in (Evenement.Mode.EN_LIGNE, Evenement.Mode.HYBRIDE) and not donnees.get("lien_en_ligne"):
            self.add_error("lien_en_ligne", _("Un événement en ligne a besoin de son lien de connexion."))
        return donnees


PANNEAUX_EVENEMENT = TabbedInterface([
    ObjectList([
        FieldPanel("titre"),
        FieldPanel("slug"),
        FieldPanel("resume"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("type"), FieldPanel("programme")]),
        FieldRowPanel([FieldPanel("parent"), FieldPanel("creneau")]),
        MultiFieldPanel([
            FieldPanel("structures", widget=forms.CheckboxSelectMultiple),
            FieldPanel("organisateurs_texte"),
            FieldPanel("intervenants"),
        ], heading=gettext_lazy("Organisation")),
    ], heading=gettext_lazy("Événement")),
    ObjectList([
        FieldRowPanel([FieldPanel("debut"), FieldPanel("fin")]),
        FieldPanel("journee_entiere"),
        FieldPanel("mode"),
        FieldRowPanel([FieldPanel("lieu"), FieldPanel("commune")]),
        FieldPanel("precision_lieu"),
        FieldPanel("lien_en_ligne"),
    ], heading=gettext_lazy("Date et lieu")),
    ObjectList([
        FieldPanel("publics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("champs", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("gratuit"), FieldPanel("tarif")]),
        MultiFieldPanel([
            FieldPanel("accessibilite"),
            FieldRowPanel([FieldPanel("boucle_magnetique"), FieldPanel("interpretation_lsf")]),
            FieldRowPanel([FieldPanel("sous_titrage"), FieldPanel("facile_a_lire")]),
            FieldPanel("infos_accessibilite"),
        ], heading=gettext_lazy("Accessibilité")),
        FieldPanel("visibilite"),
    ], heading=gettext_lazy("Public et accès")),
    ObjectList([
        FieldPanel("inscription"),
        FieldPanel("lien_inscription"),
        FieldRowPanel([FieldPanel("inscription_sur_plateforme"), FieldPanel("capacite")]),
        FieldRowPanel([FieldPanel("statut"), FieldPanel("motif_statut")]),
    ], heading=gettext_lazy("Inscriptions et statut")),
], base_form_class=EvenementAdminForm)


def _boutons_moderation(evenement, user, next_url):
    suite = urlencode({"next": next_url})
    return [
        Button(libelle, url=f"{admin_views.url_action(action, evenement)}?{suite}", icon_name=icone,
               priority=5 + i)
        for i, (action, libelle, icone) in enumerate(actions_de_moderation(user, evenement))
    ]


class EvenementIndexView(ExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().pour_liste().select_related("propose_par")

    def get_list_more_buttons(self, instance):
        return _boutons_moderation(instance, self.request.user, self.request.get_full_path()) + \
            super().get_list_more_buttons(instance)


class EvenementEcritureMixin(EcritureParServiceMixin):
    """The form through the services: only its fields are written (the registration counter and the
    publication may have moved since it was opened), a raised capacity serves the waiting list, and a status
    change goes through ``services.changer_statut`` (registered people are told)."""

    champs_etat = ("statut", "motif_statut")

    def ecrire(self, instance, champs, relations):
        if instance._state.adding:
            return services.creer_evenement(instance, relations, par=self.request.user)
        return services.modifier_evenement(instance, champs, relations, par=self.request.user)

    def changer_etat(self, instance, voulu):
        services.changer_statut(instance, voulu["statut"], par=self.request.user, motif=voulu["motif_statut"])


class EvenementCreateView(EvenementEcritureMixin, CreateView):
    pass


class EvenementEditView(EvenementEcritureMixin, EditView):
    template_name = "evenements/admin/evenement_edit.html"

    @cached_property
    def header_more_buttons(self):
        boutons = _boutons_moderation(self.object, self.request.user, self.request.path) + super().header_more_buttons
        if self.object.est_publie:
            try:
                boutons.append(Button(_("Voir sur le site"), url=self.object.get_absolute_url(), icon_name="view",
                                      priority=1))
            except NoReverseMatch:  # public pages not installed
                pass
        return boutons

    def get_context_data(self, **kwargs):
        return super().get_context_data(evenement=self.object, dernier_jour=admin_views.dernier_jour(self.object),
                                        **kwargs)


EXPORT_EVENEMENTS = [
    "titre", "debut", "fin", "journee_entiere", "type", "programme", "commune", "lieu", "precision_lieu",
    "lien_en_ligne", "structures", "organisateurs_texte", "publics", "champs", "gratuit", "tarif", "accessibilite",
    "inscription", "inscription_sur_plateforme", "capacite", "nb_confirmes", "publication", "statut",
    "motif_statut", "propose_par.email", "uid", "slug",
]


class EvenementViewSet(ModelViewSet):
    model = Evenement
    name = NS_EVENEMENTS
    url_prefix = "agenda/evenements"
    icon = "date"
    menu_label = gettext_lazy("Événements")
    index_view_class = EvenementIndexView
    add_view_class = EvenementCreateView
    edit_view_class = EvenementEditView
    edit_handler = PANNEAUX_EVENEMENT
    list_display = ["titre", "debut", "commune", "programme", "publication", "statut"]
    list_filter = ["publication", "statut", "programme", "type", "commune"]
    search_fields = ["titre", "resume", "organisateurs_texte"]
    # The model is indexed for the site's search: the admin keeps searching these columns in the database.
    search_backend_name = None
    ordering = ["debut", "pk"]
    list_per_page = 50
    list_export = EXPORT_EVENEMENTS
    export_headings = {"propose_par.email": gettext_lazy("Proposé par")}
    export_filename = "evenements"
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("publier/<int:pk>/", admin_views.PublierView.as_view(), name="publier"),
            path("refuser/<int:pk>/", admin_views.RefuserView.as_view(), name="refuser"),
            path("modifications/<int:pk>/", admin_views.DemanderModificationsView.as_view(),
                 name="demander_modifications"),
        ]


class FileModerationIndexView(EvenementIndexView):
    """Events awaiting moderation, oldest submission (last change) first, with the bulk publish action."""

    template_name = "evenements/admin/file_moderation.html"
    page_title = gettext_lazy("File de modération")
    default_ordering = "modifie_le"

    def get_base_queryset(self):
        return super().get_base_queryset().filter(publication=P.A_MODERER)

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="evenement"), *super().columns]

    def _get_title_column(self, *args, **kwargs):
        return super()._get_title_column(
            *args, **kwargs, get_title_id=lambda instance: f"evenement_{quote(instance.pk)}_title")

    def get_page_title(self):
        return self.page_title

    def get_list_more_buttons(self, instance):
        # In the queue, publishing is one click away (with its confirmation page).
        boutons = super().get_list_more_buttons(instance)
        for i, bouton in enumerate(boutons):
            if bouton.url and bouton.url.startswith(admin_views.url_action("publier", instance)):
                boutons[i] = ListingButton(bouton.label, url=bouton.url, icon_name="globe", priority=bouton.priority)
        return boutons


class FileModerationViewSet(ModelViewSet):
    """The moderation queue: a second listing of events; editing happens in the events viewset."""

    model = Evenement
    name = NS_MODERATION
    url_prefix = "agenda/moderation"
    icon = "tasks"
    menu_label = gettext_lazy("File de modération")
    index_view_class = FileModerationIndexView
    list_display = [
        "titre", DateColumn("modifie_le", label=gettext_lazy("Soumis ou modifié le"), sort_key="modifie_le"),
        "propose_par", "debut", "commune", "programme",
    ]
    list_filter = ["statut", "programme", "type", "commune"]
    search_fields = ["titre", "resume", "organisateurs_texte"]
    # The model is indexed for the site's search: the admin keeps searching these columns in the database.
    search_backend_name = None
    list_export = EXPORT_EVENEMENTS
    export_headings = {"propose_par.email": gettext_lazy("Proposé par")}
    export_filename = "evenements-a-moderer"
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{
            "edit_url_name": f"{NS_EVENEMENTS}:edit", "add_url_name": None, "delete_url_name": None,
            "history_url_name": None, "usage_url_name": None, **kwargs,
        })

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def register_admin_url_finder(self):
        """Leave "edit this event" links to the events viewset."""


# --- Registrations ----------------------------------------------------------------------------------


class InscriptionIndexView(ExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "evenement")

    def get_list_more_buttons(self, instance):
        boutons = super().get_list_more_buttons(instance)
        if instance.statut != Inscription.Statut.ANNULEE and self.user_has_permission("change"):
            url = reverse(f"{NS_INSCRIPTIONS}:annuler", args=[quote(instance.pk)])
            suite = urlencode({"next": self.request.get_full_path()})
            boutons.append(Button(_("Annuler l'inscription"), url=f"{url}?{suite}",
                                    icon_name="cross", priority=5))
        return boutons


class InscriptionViewSet(ConsultationSeuleMixin, ModelViewSet):
    """Registrations are made by people and cancelled through the service: no add or edit form here."""

    model = Inscription
    name = NS_INSCRIPTIONS
    url_prefix = "agenda/inscriptions"
    icon = "user"
    menu_label = gettext_lazy("Inscriptions")
    index_view_class = InscriptionIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["user", "evenement", "statut", "cree_le", "promue_le"]
    list_filter = ["statut", "evenement__programme", "evenement"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "evenement__titre"]
    ordering = ["evenement__debut", "cree_le", "pk"]
    list_per_page = 50
    list_export = ["user.email", "user.first_name", "user.last_name", "evenement.titre", "evenement.debut",
                   "statut", "cree_le", "promue_le", "annulee_le"]
    export_headings = {
        "user.email": gettext_lazy("E-mail"), "user.first_name": gettext_lazy("Prénom"),
        "user.last_name": gettext_lazy("Nom"), "evenement.titre": gettext_lazy("Événement"),
        "evenement.debut": gettext_lazy("Début de l'événement"),
    }
    export_filename = "inscriptions"
    form_fields = []

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("annuler/<int:pk>/", admin_views.AnnulerInscriptionView.as_view(), name="annuler"),
        ]


# --- Venues, programmes, slots, publics ------------------------------------------------------------


class LieuIndexView(ExportMixin, IndexView):
    """The places' export, cleaned like every other export of the admin (control characters, formulas)."""


class LieuViewSet(ModelViewSet):
    model = Lieu
    index_view_class = LieuIndexView
    name = "evenements_lieux"
    url_prefix = "agenda/lieux"
    icon = "site"
    menu_label = gettext_lazy("Lieux")
    list_display = ["nom", "commune", "capacite", "accessibilite"]
    list_filter = ["commune", "accessibilite", "en_ligne"]
    search_fields = ["nom", "adresse"]
    list_export = ["nom", "adresse", "commune", "latitude", "longitude", "capacite", "accessibilite",
                   "infos_accessibilite", "en_ligne"]
    export_filename = "lieux"
    form_fields = ["nom", "slug", "adresse", "commune", "latitude", "longitude", "capacite", "accessibilite",
                   "infos_accessibilite", "en_ligne"]


class ProgrammeIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        boutons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("evenements.moderer"):
            boutons.append(ListingButton(_("Bilan"), url=reverse("evenements_programmes:bilan", args=[instance.pk]),
                                         icon_name="doc-full", priority=5))
            boutons.append(ListingButton(_("Programme PDF"), url=reverse("evenements:programme_pdf",
                                                                         args=[instance.slug]),
                                         icon_name="download", priority=6))
        return boutons


class ProgrammeViewSet(ModelViewSet):
    model = Programme
    index_view_class = ProgrammeIndexView
    name = "evenements_programmes"
    url_prefix = "agenda/programmes"
    icon = "list-ul"
    menu_label = gettext_lazy("Programmes")
    list_display = ["titre", "type", "date_debut", "date_fin", "ouvert_aux_propositions"]
    list_filter = ["type", "ouvert_aux_propositions"]
    search_fields = ["titre"]
    form_fields = ["titre", "slug", "type", "date_debut", "date_fin", "description", "coordination",
                   "ouvert_aux_propositions"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path("bilan/<int:pk>/", admin_views.BilanView.as_view(), name="bilan")]


class CreneauViewSet(ModelViewSet):
    model = Creneau
    name = "evenements_creneaux"
    url_prefix = "agenda/creneaux"
    icon = "time"
    menu_label = gettext_lazy("Créneaux d'ateliers")
    list_display = ["libelle", "programme", "debut", "fin"]
    list_filter = ["programme"]
    form_fields = ["programme", "libelle", "debut", "fin"]


class PublicViewSet(ModelViewSet):
    model = Public
    name = "evenements_publics"
    url_prefix = "agenda/publics"
    icon = "group"
    menu_label = gettext_lazy("Publics")
    list_display = ["libelle", "code"]
    form_fields = ["libelle", "code"]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("evenements.importer")


class ImportViewSet(ViewSet):
    """*Agenda › Importer*: bulk import of a CSV or iCalendar file, with a preview (moderators)."""

    name = "evenements_import"
    url_prefix = "agenda/importer"
    icon = "upload"
    menu_label = gettext_lazy("Importer")
    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.ImportView.as_view(), name="index"),
            path("modele.csv", admin_views.modele_import_csv, name="modele"),
        ]


class AgendaGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Agenda")
    menu_icon = "date"
    menu_order = 210
    items = (FileModerationViewSet, RevisionsViewSet, EvenementViewSet, ImportViewSet, InscriptionViewSet, LieuViewSet,
             ProgrammeViewSet, CreneauViewSet, PublicViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return AgendaGroup()


hooks.register("register_bulk_action", admin_views.PublierEnMasseBulkAction)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """French labels of the audit trail's actions on events and registrations (``comptes.journal``)."""
    declarer(actions, {
        "conseil.evenement.propose": gettext_lazy("Événement proposé"),
        "conseil.evenement.soumis": gettext_lazy("Événement soumis à la modération"),
        "conseil.evenement.publie": gettext_lazy("Événement publié"),
        "conseil.evenement.importe": gettext_lazy("Événement importé (fichier CSV ou iCalendar)"),
        "conseil.evenement.importe_maj": gettext_lazy("Événement mis à jour par un import"),
        "conseil.evenement.refuse": (gettext_lazy("Événement refusé"), gettext_lazy("Événement refusé : %(motif)s")),
        "conseil.evenement.a_modifier": (gettext_lazy("Modifications demandées pour un événement"),
                                         gettext_lazy("Modifications demandées : %(motif)s")),
        "conseil.evenement.statut": (gettext_lazy("Statut d'un événement changé"),
                                     gettext_lazy("Statut de l'événement : %(statut)s"), {"statut": Evenement.Statut}),
        "conseil.evenement.revision_proposee": gettext_lazy("Modification d'un événement publié proposée"),
        "conseil.evenement.revision_acceptee": gettext_lazy("Modification d'un événement publié acceptée"),
        "conseil.evenement.revision_refusee": (gettext_lazy("Modification d'un événement publié refusée"),
                                               gettext_lazy("Modification refusée : %(motif)s")),
        "conseil.evenement.revision_retiree": gettext_lazy("Modification d'un événement publié retirée"),
        "conseil.evenement.modification_mineure": gettext_lazy("Correction mineure publiée directement"),
        "conseil.inscription.enregistree": (gettext_lazy("Inscription à un événement"),
                                            gettext_lazy("Inscription : %(statut)s"), {"statut": Inscription.Statut}),
        "conseil.inscription.promue": gettext_lazy("Inscription confirmée depuis la liste d'attente"),
        "conseil.inscription.annulee": gettext_lazy("Inscription à un événement annulée"),
    })


# The organisers' actions on registrations (check-in, message): labels declared next to their service.
hooks.register("register_log_actions", inscrits.declarer_actions)
