"""Back office of the proposals in the Wagtail admin: one "Propositions" menu for the secrétariat.

- The listing: every public proposal (drafts belong to their authors), those waiting for an answer
  first (the longest waiting first), with filters (état, champ, atelier, année), search, CSV export,
  and the bulk actions « Affecter à un atelier » and « Inscrire en séance plénière ».
- « Instruire » (``admin_views.InstruireView``): the journal, the transitions the agent may make now,
  the private notes, the follow-up points and the indicators — all through ``workflow``/``services``.
- The edit form changes the content only (``services.modifier_contenu``): never the state, the reference,
  the milestone dates, nor what a transition sets (atelier, séance, motif, responsable…). No creation here
  (proposals are written by their authors on the site) and no deletion (the journal is the proposal's memory).

Access: the agents' model permissions (``comptes.setup``) for the listing and the edit form, and the
``propositions.instruire`` rule for the instruction page and the bulk actions.
"""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn
from wagtail.admin.views.generic.models import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permissions import register_permission_policy

from ateliers.models import Atelier
from conseil_ess.comptes.admin_views import EcritureParServiceMixin, ExportMixin
from conseil_ess.comptes.journal import declarer

from . import admin_views, services
from .admin_views import NS_PROPOSITIONS, PERMISSION, url_instruire
from .models import ETATS_EN_ATTENTE, Etat, Proposition

register_permission_policy(Proposition)

CHAMPS_DU_WORKFLOW = services.CHAMPS_DU_WORKFLOW
CHAMPS_MODIFIABLES = [
    "titre", "resume", "description", "champs", "levier", "atelier_suggere", "thematique", "communes",
    "structures", "porteurs_texte", "directions", "service_responsable", "date_prevue", "deliberation",
    "nature_realisation",
]
assert not CHAMPS_DU_WORKFLOW & set(CHAMPS_MODIFIABLES)


def _annees():
    return [(d.year, str(d.year)) for d in Proposition.objects.publiques().dates("deposee_le", "year", order="DESC")]


class PropositionFilterSet(WagtailFilterSet):
    etat = django_filters.ChoiceFilter(label=gettext_lazy("État"),
                                       choices=[c for c in Etat.choices if c[0] != Etat.BROUILLON])
    atelier = django_filters.ModelChoiceFilter(label=gettext_lazy("Atelier"),
                                               queryset=Atelier.objects.select_related("cycle"))
    annee = django_filters.ChoiceFilter(label=gettext_lazy("Année de dépôt"), choices=_annees,
                                        method="filtrer_annee")

    class Meta:
        model = Proposition
        fields = ["etat", "champs", "atelier", "annee"]

    def filtrer_annee(self, queryset, name, value):
        return queryset.filter(deposee_le__year=value) if value else queryset


def jours_dans_l_etat(proposition):
    return (timezone.now() - proposition.etat_depuis).days


def _bouton_instruire(proposition, en_liste=False):
    classe = ListingButton if en_liste else Button
    return [classe(_("Instruire"), url=url_instruire(proposition), icon_name="tasks", priority=1)]


def _bouton_voir(proposition):
    try:
        return [Button(_("Voir sur le site"), url=proposition.get_absolute_url(), icon_name="view", priority=2)]
    except NoReverseMatch:
        return []


class PropositionIndexView(ExportMixin, IndexView):
    template_name = "propositions/admin/index.html"

    def get_base_queryset(self):
        queryset = super().get_base_queryset().publiques().select_related("atelier", "auteur").annotate(
            rang_attente=Case(When(etat__in=list(ETATS_EN_ATTENTE), then=Value(0)), default=Value(1),
                              output_field=IntegerField()))
        if self.is_export:  # the export's many-to-many and related columns, in a few queries in all
            queryset = queryset.select_related("responsable_elu").prefetch_related("champs", "structures",
                                                                                    "communes")
        return queryset

    def order_queryset(self, queryset):
        if self.request.GET.get("ordering") in self.get_valid_orderings():
            return super().order_queryset(queryset)
        # Waiting ones first, the longest waiting first; then the others, the latest change first.
        return queryset.order_by("rang_attente", Case(When(rang_attente=0, then="etat_depuis")), "-etat_depuis",
                                 "-pk")

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="proposition"), *super().columns]

    def _get_title_column(self, *args, **kwargs):
        return super()._get_title_column(*args, **kwargs,
                                         get_title_id=lambda instance: f"proposition_{instance.pk}_title")

    def get_edit_url(self, instance):
        # A proposal opens on its instruction page; the content form is one click further.
        return url_instruire(instance)

    @cached_property
    def peut_modifier(self):
        return bool(self.edit_url_name) and self.user_has_permission("change")

    def get_list_more_buttons(self, instance):
        # « Instruire » beside the row; the content form and the public page in its menu; never « Supprimer ».
        boutons = _bouton_instruire(instance, en_liste=True)
        if self.peut_modifier:
            boutons.append(Button(_("Modifier le contenu"), url=reverse(self.edit_url_name, args=[instance.pk]),
                                  icon_name="edit", priority=3))
        return boutons + _bouton_voir(instance)


class PropositionEditView(EcritureParServiceMixin, EditView):
    """Only the form's fields are written: the state and what the workflow set may have moved meanwhile."""

    def ecrire(self, instance, champs, relations):
        return services.modifier_contenu(instance, champs, relations, par=self.request.user)

    @cached_property
    def header_more_buttons(self):
        return _bouton_instruire(self.object) + _bouton_voir(self.object) + super().header_more_buttons


PANNEAUX = ObjectList([
    FieldPanel("titre"),
    FieldPanel("resume"),
    FieldPanel("description"),
    FieldPanel("champs", widget=forms.CheckboxSelectMultiple),
    FieldPanel("levier"),
    FieldRowPanel([FieldPanel("atelier_suggere"), FieldPanel("thematique")]),
    MultiFieldPanel([
        FieldPanel("structures", widget=forms.SelectMultiple(attrs={"size": 8})),
        FieldPanel("porteurs_texte"),
        FieldPanel("communes", widget=forms.SelectMultiple(attrs={"size": 8})),
        FieldPanel("directions"),
    ], heading=gettext_lazy("Porteurs et territoire")),
    MultiFieldPanel([
        FieldRowPanel([FieldPanel("service_responsable"), FieldPanel("date_prevue")]),
        FieldRowPanel([FieldPanel("deliberation"), FieldPanel("nature_realisation")]),
    ], heading=gettext_lazy("Mise en œuvre"), help_text=gettext_lazy(
        "L'état, l'atelier, la séance, l'élu·e responsable et les motifs se changent sur la page « Instruire ».")),
])


class PropositionViewSet(ModelViewSet):
    model = Proposition
    name = NS_PROPOSITIONS
    url_prefix = "propositions"
    icon = "doc-full"
    menu_label = gettext_lazy("Propositions")
    menu_order = 230
    add_to_admin_menu = True
    index_view_class = PropositionIndexView
    edit_view_class = PropositionEditView
    edit_handler = PANNEAUX
    filterset_class = PropositionFilterSet
    list_display = [
        "reference", "titre", "etat", "atelier", "auteur",
        DateColumn("deposee_le", label=gettext_lazy("Déposée le"), sort_key="deposee_le"),
        Column("jours", label=gettext_lazy("Jours dans l'état"), accessor=jours_dans_l_etat, sort_key="etat_depuis"),
    ]
    search_fields = ["reference", "titre", "resume"]
    # The model is indexed for the site's search: the admin keeps searching these columns in the database.
    search_backend_name = None
    list_per_page = 50
    list_export = ["reference", "titre", "resume", "etat", "etat_depuis", "champs", "atelier.titre", "auteur.email",
                   "structures", "communes", "deposee_le", "decidee_le", "adoptee_le", "realisee_le",
                   "responsable_elu", "service_responsable", "date_prevue", "avancement", "motif"]
    export_headings = {"atelier.titre": gettext_lazy("Atelier"), "auteur.email": gettext_lazy("Auteur·rice")}
    export_filename = "propositions"
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"add_url_name": None, "delete_url_name": None, **kwargs})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("usage/<int:pk>/", self.usage_view, name="usage"),
            path("instruire/<int:pk>/", admin_views.InstruireView.as_view(), name="instruire"),
        ]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return PropositionViewSet()


hooks.register("register_bulk_action", admin_views.AffecterAtelierBulkAction)
hooks.register("register_bulk_action", admin_views.InscrirePleniereBulkAction)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """French labels of the audit trail's actions on proposals (``comptes.journal``); every transition of
    ``workflow.changer_etat`` is one, besides its row in the public timeline."""
    declarer(actions, {
        "conseil.proposition.transition": (gettext_lazy("Changement d'état d'une proposition"),
                                           gettext_lazy("Proposition passée de « %(de)s » à « %(vers)s »"),
                                           {"de": Etat, "vers": Etat}),
        "conseil.proposition.point_suivi": gettext_lazy("Point de suivi ajouté"),
        "conseil.proposition.indicateur_ajoute": gettext_lazy("Indicateur ajouté"),
        "conseil.proposition.valeur_indicateur": gettext_lazy("Valeur d'indicateur enregistrée"),
        "conseil.proposition.note_interne": gettext_lazy("Note interne ajoutée"),
        "conseil.proposition.piece_jointe": gettext_lazy("Pièce jointe ajoutée"),
        "conseil.proposition.portage_invite": gettext_lazy("Structure invitée à porter la proposition"),
        "conseil.proposition.portage_accepte": gettext_lazy("Invitation de co-portage acceptée"),
        "conseil.proposition.portage_refuse": gettext_lazy("Invitation de co-portage refusée"),
    })

__all__ = ["PERMISSION", "PropositionViewSet"]
