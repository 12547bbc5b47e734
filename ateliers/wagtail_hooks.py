"""Back office of the ateliers in the Wagtail admin: one "Ateliers" menu for the secrétariat.

- *Cycles*: the years of work, saved by ``services.enregistrer_cycle``; *Archiver*
  (``services.archiver_cycle``) closes one for good.
- *Thématiques annuelles*, filtered by cycle, saved by ``services.enregistrer_thematique``; their status by
  ``services.changer_statut_thematique``.
- *Ateliers*: everything, including the animateur·rice·s. Naming or removing one goes through the
  many-to-many relation, whose ``m2m_changed`` signal (``apps.py``) keeps the "Animateur·rice" group
  in step.
- *Participations*: who belongs to which atelier; a request is answered through
  ``services.decider_participation``, from its buttons or from the status field.
- *Réunions*: a read-only listing (the animation schedules meetings on the site); links to the public
  page and to the event in the agenda's admin. A meeting held without being scheduled is recorded on the
  site (« Enregistrer une réunion passée », a button of each atelier in the list).

Access follows Django model permissions: agents and administrators have them all (``comptes.setup``).
"""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, ListingButton
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from conseil_ess.comptes import roles
from conseil_ess.comptes.admin_views import (
    ConsultationSeuleMixin,
    CreationParServiceForm,
    EcritureParServiceMixin,
    ExportMixin,
    ServiceFormMixin,
)
from conseil_ess.comptes.journal import declarer
from conseil_ess.comptes.models import Structure
from evenements.filters import PARIS

from . import admin_views, services
from .admin_views import NS_ATELIERS, NS_CYCLES, NS_PARTICIPATIONS, NS_REUNIONS, url_action
from .models import Atelier, Cycle, Participation, Reunion, ThematiqueAnnuelle

for _model in (Cycle, ThematiqueAnnuelle, Atelier, Participation, Reunion):
    register_permission_policy(_model)

PS = Participation.Statut


def _suite(request):
    return urlencode({"next": request.get_full_path()})


class SuppressionProtegeeView(DeleteView):
    """An object still used elsewhere (a cycle with ateliers, an atelier with meetings) is not deleted."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, _("« %(objet)s » est encore utilisé (ateliers, réunions…) : il ne peut "
                                           "pas être supprimé.") % {"objet": self.object})
            return redirect(self.get_success_url())


# --- Cycles ---------------------------------------------------------------------------------------


def _bouton_archiver(request, cycle, en_liste=False):
    if cycle.est_archive or not request.user.has_perm("ateliers.administrer", cycle):
        return []
    classe = ListingButton if en_liste else Button
    url = f"{url_action(NS_CYCLES, 'archiver', cycle)}?{_suite(request)}"
    return [classe(_("Archiver"), url=url, icon_name="lock", priority=5)]


class CycleIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return _bouton_archiver(self.request, instance, en_liste=True) + super().get_list_more_buttons(instance)


class CycleEcritureMixin(EcritureParServiceMixin):
    def ecrire(self, instance, champs, relations):
        return services.enregistrer_cycle(instance, champs, par=self.request.user)


class CycleCreateView(CycleEcritureMixin, CreateView):
    pass


class CycleEditView(CycleEcritureMixin, EditView):
    @cached_property
    def header_more_buttons(self):
        return _bouton_archiver(self.request, self.object) + super().header_more_buttons


class CycleViewSet(ModelViewSet):
    model = Cycle
    name = NS_CYCLES
    url_prefix = "ateliers/cycles"
    icon = "calendar"
    menu_label = gettext_lazy("Cycles")
    index_view_class = CycleIndexView
    add_view_class = CycleCreateView
    edit_view_class = CycleEditView
    delete_view_class = SuppressionProtegeeView
    list_display = ["titre", "date_debut", "date_fin", "statut"]
    list_filter = ["statut"]
    search_fields = ["titre"]
    # The status changes only through "Archiver" (services.archiver_cycle).
    form_fields = ["titre", "slug", "date_debut", "date_fin", "description"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("archiver/<int:pk>/", admin_views.ArchiverCycleView.as_view(), name="archiver"),
        ]


# --- Annual themes --------------------------------------------------------------------------------


class ThematiqueEcritureMixin(EcritureParServiceMixin):
    champs_etat = ("statut",)

    def ecrire(self, instance, champs, relations):
        return services.enregistrer_thematique(instance, champs, par=self.request.user)

    def changer_etat(self, instance, voulu):
        services.changer_statut_thematique(instance, voulu["statut"], par=self.request.user)


class ThematiqueCreateView(ThematiqueEcritureMixin, CreateView):
    pass


class ThematiqueEditView(ThematiqueEcritureMixin, EditView):
    pass


class ThematiqueViewSet(ModelViewSet):
    model = ThematiqueAnnuelle
    add_view_class = ThematiqueCreateView
    edit_view_class = ThematiqueEditView
    name = "ateliers_thematiques"
    url_prefix = "ateliers/thematiques"
    icon = "tag"
    menu_label = gettext_lazy("Thématiques annuelles")
    list_display = ["titre", "cycle", "statut", "vote_date"]
    list_filter = ["cycle", "statut"]
    search_fields = ["titre"]
    form_fields = ["cycle", "titre", "slug", "description", "statut", "vote_libelle", "vote_date",
                   "vote_commentaire", "ordre"]
    copy_view_enabled = False


# --- Ateliers -------------------------------------------------------------------------------------


class ChoixPersonnes(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nom_public} ({obj.email})"


class ChoixPersonne(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nom_public} ({obj.email})"


def _personnes(*roles_requis, deja=()):
    """Active people (with the given roles, if any), plus those already chosen."""
    qs = get_user_model().objects.filter(is_active=True)
    if roles_requis:
        qs = qs.filter(groups__name__in=roles_requis)
    anciens = get_user_model().objects.filter(pk__in=[pk for pk in deja if pk])
    return (qs | anciens).distinct().order_by("last_name", "first_name", "email")


class AtelierAdminForm(WagtailAdminModelForm):
    """Names people with their e-mail (homonyms exist); the binôme's élu·e and agent·e come from their roles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        animateurs = list(instance.animateurs.values_list("pk", flat=True)) if instance.pk else []
        remplacements = {
            "animateurs": ChoixPersonnes(queryset=_personnes(deja=animateurs), required=False,
                                         widget=forms.SelectMultiple(attrs={"size": 10})),
            "binome_elu": ChoixPersonne(queryset=_personnes(roles.ELU, deja=[instance.binome_elu_id]),
                                        required=False),
            "binome_agent": ChoixPersonne(
                queryset=_personnes(roles.AGENT, roles.ADMINISTRATEUR, deja=[instance.binome_agent_id]),
                required=False),
        }
        for nom, champ in remplacements.items():
            if nom in self.fields:
                ancien = self.fields[nom]
                champ.label, champ.help_text = ancien.label, ancien.help_text
                self.fields[nom] = champ
        if "structures_coanimatrices" in self.fields:
            deja = list(instance.structures_coanimatrices.values_list("pk", flat=True)) if instance.pk else []
            self.fields["structures_coanimatrices"].queryset = (
                Structure.objects.publiques() | Structure.objects.filter(pk__in=deja)).distinct()
        self.fields["animateurs"].help_text = _(
            "Les personnes choisies reçoivent le rôle « Animateur·rice » tant que le cycle est en cours. "
            "Ctrl (ou Cmd) + clic pour en choisir plusieurs.")

    def clean(self):
        donnees = super().clean()
        thematique, cycle = donnees.get("thematique"), donnees.get("cycle")
        if thematique and cycle and thematique.cycle_id != cycle.pk:
            self.add_error("thematique", _("Cette thématique appartient à un autre cycle (%(cycle)s).")
                           % {"cycle": thematique.cycle})
        return donnees


PANNEAUX_ATELIER = TabbedInterface([
    ObjectList([
        FieldRowPanel([FieldPanel("cycle"), FieldPanel("thematique")]),
        FieldPanel("titre"),
        FieldPanel("slug"),
        FieldPanel("resume"),
        FieldPanel("description"),
        FieldPanel("questions"),
        FieldPanel("champs", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("mode_adhesion"), FieldPanel("rythme"), FieldPanel("ordre")]),
    ], heading=gettext_lazy("Atelier")),
    ObjectList([
        FieldPanel("animateurs"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("binome_elu"), FieldPanel("binome_agent")]),
            FieldPanel("binome_texte"),
        ], heading=gettext_lazy("Binôme élu·e – agent·e")),
        MultiFieldPanel([
            FieldPanel("structures_coanimatrices", widget=forms.SelectMultiple(attrs={"size": 8})),
            FieldPanel("coanimation_texte"),
        ], heading=gettext_lazy("Co-animation")),
    ], heading=gettext_lazy("Animation")),
], base_form_class=AtelierAdminForm)


def _bouton_voir(objet, priorite=1):
    try:
        return [Button(_("Voir sur le site"), url=objet.get_absolute_url(), icon_name="view", priority=priorite)]
    except NoReverseMatch:  # public pages not installed
        return []


class AtelierIndexView(ExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("cycle", "thematique")

    def get_list_more_buttons(self, instance):
        boutons = _bouton_voir(instance)
        try:
            boutons.append(Button(_("Enregistrer une réunion passée"), icon_name="date", priority=3,
                                  url=reverse("ateliers:reunion_passee", args=[instance.slug])))
        except NoReverseMatch:
            pass
        return boutons + super().get_list_more_buttons(instance)


class AtelierEditView(EditView):
    def save_instance(self):
        instance = super().save_instance()
        # The m2m signal follows who is named; a change of cycle (archived or not) changes the role too.
        for personne in instance.animateurs.all():
            services.synchroniser_groupe_animateur(personne)
        return instance

    @cached_property
    def header_more_buttons(self):
        return _bouton_voir(self.object) + super().header_more_buttons


class AtelierDeleteView(SuppressionProtegeeView):
    def delete_action(self):
        # Deleting the atelier deletes its m2m rows without m2m_changed: resync its animateur·rice·s.
        animateurs = list(self.object.animateurs.all())
        super().delete_action()
        for personne in animateurs:
            services.synchroniser_groupe_animateur(personne)


class AtelierViewSet(ModelViewSet):
    model = Atelier
    name = NS_ATELIERS
    url_prefix = "ateliers/ateliers"
    icon = "group"
    menu_label = gettext_lazy("Ateliers")
    index_view_class = AtelierIndexView
    edit_view_class = AtelierEditView
    delete_view_class = AtelierDeleteView
    edit_handler = PANNEAUX_ATELIER
    list_display = ["titre", "cycle", "thematique", "mode_adhesion"]
    list_filter = ["cycle", "mode_adhesion", "champs"]
    search_fields = ["titre", "resume"]
    # The model is indexed for the site's search: the admin keeps searching these columns in the database.
    search_backend_name = None
    list_export = ["titre", "cycle.titre", "thematique.titre", "mode_adhesion", "champs", "animateurs",
                   "binome_elu", "binome_agent", "binome_texte", "structures_coanimatrices", "coanimation_texte",
                   "rythme", "slug"]
    export_headings = {"cycle.titre": gettext_lazy("Cycle"), "thematique.titre": gettext_lazy("Thématique")}
    export_filename = "ateliers"
    copy_view_enabled = False


# --- Participations -------------------------------------------------------------------------------


def _boutons_participation(request, participation, en_liste=False):
    if participation.statut != PS.DEMANDEE or not request.user.has_perm("ateliers.gerer", participation):
        return []
    suite = _suite(request)
    return [
        (ListingButton if en_liste else Button)(
            _("Accepter"), url=f"{url_action(NS_PARTICIPATIONS, 'accepter', participation)}?{suite}",
            icon_name="success", priority=5),
        Button(_("Refuser"), url=f"{url_action(NS_PARTICIPATIONS, 'refuser', participation)}?{suite}",
               icon_name="cross", priority=6),
    ]


class ParticipationIndexView(ExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "atelier__cycle")

    def get_list_more_buttons(self, instance):
        return _boutons_participation(self.request, instance, en_liste=True) + super().get_list_more_buttons(instance)


def changer_statut_participation(participation, nouveau, par):
    """Route a status chosen in the admin to its service."""
    ancien = participation.statut
    if ancien == PS.DEMANDEE and nouveau in (PS.ACCEPTEE, PS.REFUSEE):
        return services.decider_participation(participation, par=par, accepter=nouveau == PS.ACCEPTEE)
    if ancien in (PS.DEMANDEE, PS.ACCEPTEE) and nouveau == PS.PARTIE:
        return services.quitter(participation.atelier, participation.user)
    raise services.ActionImpossible(
        _("Ce changement de statut n'est pas possible ici : une demande s'accepte ou se refuse, un membre peut "
          "être retiré de l'atelier (« A quitté l'atelier »)."))


class ParticipationCreateView(ServiceFormMixin, CreateView):
    """Adding someone goes through ``services.rejoindre``: member at once if the atelier is open, else a request."""

    def save_instance(self):
        donnees = self.form.cleaned_data
        participation = services.rejoindre(donnees["atelier"], donnees["user"], donnees.get("message", ""))
        log(instance=participation, action="wagtail.create", user=self.request.user)
        self.form.instance = participation
        return participation


class ParticipationEditView(ServiceFormMixin, EditView):
    def save_instance(self):
        instance = self.form.instance
        nouveau = instance.statut
        ancien = Participation.objects.select_for_update().get(pk=instance.pk)
        if nouveau != ancien.statut:
            instance.statut = ancien.statut
            changer_statut_participation(instance, nouveau, par=self.request.user)
            instance.refresh_from_db()
        return instance

    @cached_property
    def header_more_buttons(self):
        return _boutons_participation(self.request, self.object) + super().header_more_buttons


class ParticipationViewSet(ModelViewSet):
    model = Participation
    name = NS_PARTICIPATIONS
    url_prefix = "ateliers/participations"
    icon = "user"
    menu_label = gettext_lazy("Participations")
    index_view_class = ParticipationIndexView
    add_view_class = ParticipationCreateView
    edit_view_class = ParticipationEditView
    list_display = ["user", "atelier", "statut", "cree_le", "modifie_le"]
    list_filter = ["statut", "atelier__cycle", "atelier"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "atelier__titre"]
    ordering = ["-cree_le", "pk"]
    list_per_page = 50
    list_export = ["user.email", "user.first_name", "user.last_name", "atelier.titre", "statut", "message",
                   "cree_le", "modifie_le"]
    export_headings = {
        "user.email": gettext_lazy("E-mail"), "user.first_name": gettext_lazy("Prénom"),
        "user.last_name": gettext_lazy("Nom"), "atelier.titre": gettext_lazy("Atelier"),
    }
    export_filename = "participations-ateliers"
    copy_view_enabled = False
    # Adding someone: the service decides the status (member at once, or a request).
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("user"), FieldPanel("atelier")]),
        FieldPanel("message"),
    ], base_form_class=CreationParServiceForm)

    def get_edit_view_kwargs(self, **kwargs):
        panneaux = ObjectList([
            FieldRowPanel([FieldPanel("user", read_only=True), FieldPanel("atelier", read_only=True)]),
            FieldPanel("message", read_only=True),
            FieldPanel("statut", help_text=gettext_lazy(
                "Accepter ou refuser une demande prévient la personne ; « A quitté l'atelier » retire un membre.")),
            FieldPanel("decide_par", read_only=True),
        ]).bind_to_model(Participation)
        return super().get_edit_view_kwargs(panel=panneaux, form_class=panneaux.get_form_class(), **kwargs)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("accepter/<int:pk>/", admin_views.AccepterParticipationView.as_view(), name="accepter"),
            path("refuser/<int:pk>/", admin_views.RefuserParticipationView.as_view(), name="refuser"),
        ]


# --- Meetings (read-only) -------------------------------------------------------------------------


class ReunionIndexView(ExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("atelier", "evenement", "compte_rendu")

    def get_list_more_buttons(self, instance):
        boutons = _bouton_voir(instance)
        try:
            boutons.append(Button(_("Modifier l'événement dans l'agenda"), icon_name="date", priority=2,
                                  url=reverse("evenements_admin:edit", args=[instance.evenement_id])))
        except NoReverseMatch:
            pass
        return boutons + super().get_list_more_buttons(instance)

    @cached_property
    def header_more_buttons(self):
        # A meeting held without being scheduled is recorded from its atelier (« Enregistrer une réunion
        # passée », in the ateliers' list), with its attendance and minutes.
        return [Button(_("Enregistrer une réunion passée (choisir l'atelier)"), icon_name="plus",
                       url=reverse(f"{NS_ATELIERS}:index"), priority=10)] + super().header_more_buttons


class DateParisColumn(Column):
    """A date and time in Europe/Paris (« 8 déc. 2026, 9 h 30 »), followed by « dans N jours » when it
    is to come: Wagtail's ``DateColumn`` shows « Il y a 0 minute » for any future date."""

    def get_value(self, instance):
        valeur = super().get_value(instance)
        if valeur is None:
            return ""
        local = timezone.localtime(valeur, PARIS)
        heure = f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"
        texte = _("%(jour)s, %(heure)s") % {"jour": formats.date_format(local, "j M Y"), "heure": heure}
        jours = (local.date() - timezone.localdate(timezone=PARIS)).days
        if jours > 0:
            texte += " " + ngettext("(dans %(n)s jour)", "(dans %(n)s jours)", jours) % {"n": jours}
        elif jours == 0 and valeur > timezone.now():
            texte += " " + _("(aujourd'hui, à venir)")
        return texte


def _compte_rendu(reunion):
    compte_rendu = getattr(reunion, "compte_rendu", None)
    if compte_rendu is None:
        return _("aucun")
    if compte_rendu.est_publie and compte_rendu.interne:
        return _("publié (réservé aux membres)")
    return compte_rendu.get_statut_display()


class ReunionViewSet(ConsultationSeuleMixin, ModelViewSet):
    """Meetings are scheduled by the animation on the site (services); here the secrétariat follows them."""

    model = Reunion
    name = NS_REUNIONS
    url_prefix = "ateliers/reunions"
    icon = "date"
    menu_label = gettext_lazy("Réunions")
    index_view_class = ReunionIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "__str__", "atelier",
        DateParisColumn("debut", label=gettext_lazy("Date (heure de Paris)"), accessor="evenement.debut",
                        sort_key="evenement__debut"),
        Column("participants", label=gettext_lazy("Participant·e·s"), accessor="nb_participants"),
        Column("statut", label=gettext_lazy("Statut"), accessor="evenement.get_statut_display"),
        Column("compte_rendu", label=gettext_lazy("Compte rendu"), accessor=_compte_rendu),
    ]
    list_filter = ["atelier__cycle", "atelier"]
    search_fields = ["evenement__titre", "atelier__titre"]
    ordering = ["-evenement__debut", "pk"]
    list_per_page = 50
    list_export = ["atelier.titre", "evenement.titre", "evenement.debut", "evenement.statut", "nb_presents",
                   "participants_sans_compte", "nb_participants"]
    export_headings = {"atelier.titre": gettext_lazy("Atelier"), "evenement.titre": gettext_lazy("Réunion"),
                       "evenement.debut": gettext_lazy("Début"), "evenement.statut": gettext_lazy("Statut"),
                       "nb_participants": gettext_lazy("Participant·e·s")}
    export_filename = "reunions-ateliers"
    form_fields = []



class AteliersGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Ateliers")
    menu_icon = "group"
    menu_order = 220
    items = (AtelierViewSet, ParticipationViewSet, ReunionViewSet, CycleViewSet, ThematiqueViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return AteliersGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """French labels of the audit trail's actions on ateliers, meetings, minutes and cycles (``comptes.journal``)."""
    declarer(actions, {
        "conseil.participation.demandee": gettext_lazy("Participation à un atelier demandée"),
        "conseil.participation.rejointe": gettext_lazy("Atelier rejoint"),
        "conseil.participation.quittee": gettext_lazy("Atelier quitté"),
        "conseil.participation.acceptee": gettext_lazy("Participation à un atelier acceptée"),
        "conseil.participation.refusee": gettext_lazy("Participation à un atelier refusée"),
        "conseil.reunion.planifiee": gettext_lazy("Réunion d'atelier planifiée"),
        "conseil.reunion.modifiee": gettext_lazy("Réunion d'atelier modifiée"),
        "conseil.reunion.enregistree_a_posteriori": gettext_lazy("Réunion non planifiée enregistrée a posteriori"),
        "conseil.reunion.annulee": (gettext_lazy("Réunion d'atelier annulée"),
                                    gettext_lazy("Réunion d'atelier annulée : %(motif)s")),
        "conseil.reunion.presences": (gettext_lazy("Présences d'une réunion saisies"),
                                      gettext_lazy("Présences saisies : %(nb_presents)s personne(s) avec un compte")),
        "conseil.compte_rendu.enregistre": gettext_lazy("Compte rendu enregistré"),
        "conseil.compte_rendu.publie": gettext_lazy("Compte rendu publié"),
        "conseil.compte_rendu.retire": gettext_lazy("Compte rendu retiré (brouillon)"),
        "conseil.compte_rendu.document_ajoute": gettext_lazy("Document ajouté au compte rendu"),
        "conseil.compte_rendu.document_supprime": gettext_lazy("Document du compte rendu supprimé"),
        "conseil.thematique.statut": (gettext_lazy("Statut d'une thématique annuelle changé"),
                                      gettext_lazy("Thématique annuelle : %(statut)s"),
                                      {"statut": ThematiqueAnnuelle.Statut}),
        "conseil.cycle.archive": gettext_lazy("Cycle archivé"),
    })
