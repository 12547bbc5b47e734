"""Back office of the comptes app in the Wagtail admin (the one staff back office).

Two menus: *Structures et territoire*, and *Conseil* (the members of the Conseil and the collèges).
Structures, memberships of a structure and of the Conseil are written by ``comptes.services`` only
(``EcritureParServiceMixin``): their content forms through its ``modifier_…``/``ajouter_…`` functions, and
a decision (valider, refuser, suspendre, rétablir…) through its own service, from its buttons (listing and
edit page) or from the status field of the form.
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, ListingButton
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from . import admin_traitements, admin_views, services
from .admin_views import (
    NS_MANDATS,
    CreationParServiceForm,
    EcritureParServiceMixin,
    ExportMixin,
    ServiceFormMixin,
    decisions_possibles,
)
from .forms import structures_representables
from .journal import declarer
from .models import (
    Adhesion,
    Agrement,
    College,
    Commune,
    MembreConseil,
    Notification,
    QuartierPrioritaire,
    Structure,
)

for _model in (Structure, Adhesion, Agrement, Commune, QuartierPrioritaire, Notification, College, MembreConseil):
    register_permission_policy(_model)


class StructureEcritureMixin(EcritureParServiceMixin):
    """The description through the services; validation and refusal too (they notify the referents)."""

    champs_etat = ("statut",)

    def ecrire(self, instance, champs, relations):
        if instance._state.adding:
            return services.ajouter_structure(instance, relations, par=self.request.user)
        return services.modifier_structure(instance, champs, relations, par=self.request.user)

    def changer_etat(self, instance, voulu):
        nouveau, par = voulu["statut"], self.request.user
        if nouveau == Structure.Statut.VALIDEE:
            services.valider_structure(instance, par=par)
        elif nouveau == Structure.Statut.REFUSEE:
            services.refuser_structure(instance, par=par, motif=instance.motif_refus)
        else:
            services.remettre_structure_en_attente(instance, par=par)


class StructureCreateView(StructureEcritureMixin, CreateView):
    pass


class StructureEditView(StructureEcritureMixin, EditView):
    pass


class StructureViewSet(ModelViewSet):
    model = Structure
    icon = "group"
    menu_label = _("Structures")
    add_to_admin_menu = False
    add_view_class = StructureCreateView
    edit_view_class = StructureEditView
    list_display = ["nom", "forme_juridique", "commune", "statut", "cree_le"]
    list_filter = ["statut", "forme_juridique", "categorie"]
    search_fields = ["nom", "siret"]
    # The model is indexed for the site's search: the admin keeps searching these columns in the database.
    search_backend_name = None
    form_fields = [
        "nom", "slug", "categorie", "forme_juridique", "precision_forme", "agrements", "siret", "secteur",
        "commune", "site_web", "description", "statut", "motif_refus",
    ]


class AdhesionEcritureMixin(EcritureParServiceMixin):
    """A request is answered through ``decider_adhesion`` (the person is told), which refuses to change an
    answer already given."""

    champs_etat = ("statut",)

    def ecrire(self, instance, champs, relations):
        if instance._state.adding:
            return services.ajouter_adhesion(instance, par=self.request.user)
        return services.modifier_adhesion(instance, champs, par=self.request.user)

    def changer_etat(self, instance, voulu):
        services.decider_adhesion(instance, par=self.request.user,
                                  accepter=voulu["statut"] == Adhesion.Statut.ACCEPTEE)


class AdhesionCreateView(AdhesionEcritureMixin, CreateView):
    pass


class AdhesionEditView(AdhesionEcritureMixin, EditView):
    pass


class AdhesionViewSet(ModelViewSet):
    model = Adhesion
    icon = "user"
    menu_label = _("Adhésions")
    add_view_class = AdhesionCreateView
    edit_view_class = AdhesionEditView
    list_display = ["user", "structure", "role", "statut", "cree_le"]
    list_filter = ["statut", "role"]
    form_fields = ["user", "structure", "role", "statut", "message"]


class AgrementViewSet(ModelViewSet):
    model = Agrement
    icon = "tag"
    menu_label = _("Agréments et labels")
    form_fields = ["code", "libelle"]
    list_display = ["libelle", "code"]


class CommuneViewSet(ModelViewSet):
    model = Commune
    icon = "site"
    menu_label = _("Communes")
    form_fields = ["nom", "slug", "code_insee"]
    list_display = ["nom", "code_insee"]


class QPVViewSet(ModelViewSet):
    model = QuartierPrioritaire
    icon = "home"
    menu_label = _("Quartiers prioritaires")
    form_fields = ["nom", "commune"]
    list_display = ["nom", "commune"]


class ComptesGroup(ModelViewSetGroup):
    menu_label = _("Structures et territoire")
    menu_icon = "group"
    menu_order = 200
    items = (StructureViewSet, AdhesionViewSet, AgrementViewSet, CommuneViewSet, QPVViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ComptesGroup()


# --- The Conseil: members and collèges ------------------------------------------------------------


class CollegeViewSet(ModelViewSet):
    model = College
    name = "comptes_colleges"
    url_prefix = "conseil/colleges"
    icon = "list-ul"
    menu_label = _("Collèges")
    list_display = ["nom", "ordre", "poids", "actif"]
    list_filter = ["actif"]
    form_fields = ["nom", "slug", "description", "ordre", "poids", "actif"]
    copy_view_enabled = False


class MandatAdminForm(WagtailAdminModelForm):
    """The structure represented stays one the person may represent (validated, and they belong to it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "structure" in self.fields:
            if self.instance.pk:
                possibles = Structure.objects.filter(
                    Q(pk__in=structures_representables(self.instance.user).values("pk"))
                    | Q(pk=self.instance.structure_id))
            else:
                possibles = Structure.objects.publiques()
            self.fields["structure"].queryset = possibles

    def clean(self):
        donnees = super().clean()
        statut = donnees.get("statut")
        if (self.instance.pk and statut in (MembreConseil.Statut.REFUSE, MembreConseil.Statut.SUSPENDU)
                and statut != self.initial.get("statut") and not (donnees.get("motif") or "").strip()):
            self.add_error("motif", _("Indiquez le motif : il est transmis à la personne."))
        return donnees


PANNEAUX_MANDAT = ObjectList([
    FieldPanel("user", read_only=True),
    FieldRowPanel([FieldPanel("structure"), FieldPanel("college")]),
    FieldPanel("motivation", read_only=True),
    FieldPanel("affichage_public"),
    MultiFieldPanel([
        FieldPanel("statut", help_text=_("Changer le statut prévient la personne (notification et e-mail) et "
                                          "met à jour le groupe « Membre du Conseil ». Les boutons du menu "
                                          "« … » en haut de la page font de même.")),
        FieldPanel("motif", help_text=_("Obligatoire pour refuser ou suspendre ; transmis à la personne avec "
                                         "la décision.")),
        FieldRowPanel([FieldPanel("demande_le", read_only=True), FieldPanel("decide_le", read_only=True),
                       FieldPanel("decide_par", read_only=True)]),
    ], heading=_("Décision du secrétariat")),
], base_form_class=MandatAdminForm)

class NouveauMandatForm(CreationParServiceForm, MandatAdminForm):
    pass


PANNEAUX_NOUVEAU_MANDAT = ObjectList([
    FieldPanel("user"),
    FieldRowPanel([FieldPanel("structure"), FieldPanel("college")]),
    FieldPanel("motivation"),
    FieldPanel("affichage_public"),
], base_form_class=NouveauMandatForm)


def _boutons_decision(mandat, user, suite, en_liste=False):
    boutons = []
    for i, (action, libelle, icone) in enumerate(decisions_possibles(user, mandat)):
        url = f"{admin_views.url_decision(action, mandat)}?{urlencode({'next': suite})}"
        # In the listing, the first decision (Valider, Rétablir…) is one click away; the others in "…".
        classe = ListingButton if en_liste and i == 0 else Button
        boutons.append(classe(libelle, url=url, icon_name=icone, priority=5 + i))
    return boutons


class MembreConseilIndexView(ExportMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "structure", "college")

    def get_list_more_buttons(self, instance):
        return _boutons_decision(instance, self.request.user, self.request.get_full_path(), en_liste=True) + \
            super().get_list_more_buttons(instance)


class MembreConseilCreateView(ServiceFormMixin, CreateView):
    """A request typed by the secrétariat (e.g. received on paper) is made through the service, then decided."""

    def save_instance(self):
        donnees = self.form.cleaned_data
        mandat = services.demander_mandat_conseil(
            donnees["user"], donnees["structure"], donnees["college"], donnees.get("motivation", ""),
            donnees.get("affichage_public", True))
        log(instance=mandat, action="wagtail.create", user=self.request.user)
        self.form.instance = mandat
        return mandat


class MembreConseilEditView(EcritureParServiceMixin, EditView):
    """The status and its trace change only through the services, which tell the person and set the group."""

    champs_etat = ("statut", "motif")

    def ecrire(self, instance, champs, relations):
        return services.modifier_mandat(instance, champs, par=self.request.user)

    def changer_etat(self, instance, voulu):
        if voulu["statut"] != instance.statut:  # a reason alone goes with a decision, never by itself
            admin_views.changer_statut_mandat(instance, voulu["statut"], par=self.request.user, motif=voulu["motif"])

    @cached_property
    def header_more_buttons(self):
        return _boutons_decision(self.object, self.request.user, self.request.path) + super().header_more_buttons


class MembreConseilViewSet(ModelViewSet):
    model = MembreConseil
    name = NS_MANDATS
    url_prefix = "conseil/membres"
    icon = "group"
    menu_label = _("Membres du Conseil")
    index_view_class = MembreConseilIndexView
    add_view_class = MembreConseilCreateView
    edit_view_class = MembreConseilEditView
    edit_handler = PANNEAUX_MANDAT
    list_display = ["user", "structure", "college", "statut", "demande_le"]
    list_filter = ["statut", "college", "affichage_public"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "user__nom_affiche", "structure__nom"]
    ordering = ["college__ordre", "user__last_name", "user__email"]
    list_per_page = 50
    list_export = ["user.email", "user.first_name", "user.last_name", "user.nom_affiche", "user.fonction",
                   "structure.nom", "college.nom", "statut", "affichage_public", "demande_le", "decide_le", "motif"]
    export_headings = {
        "user.email": _("E-mail"), "user.first_name": _("Prénom"), "user.last_name": _("Nom"),
        "user.nom_affiche": _("Nom affiché"), "user.fonction": _("Fonction"), "structure.nom": _("Structure"),
        "college.nom": _("Collège"),
    }
    export_filename = "membres-du-conseil"
    copy_view_enabled = False

    def get_add_view_kwargs(self, **kwargs):
        panneaux = PANNEAUX_NOUVEAU_MANDAT.bind_to_model(MembreConseil)
        return super().get_add_view_kwargs(panel=panneaux, form_class=panneaux.get_form_class(), **kwargs)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("valider/<int:pk>/", admin_views.ValiderMandatView.as_view(), name="valider"),
            path("refuser/<int:pk>/", admin_views.RefuserMandatView.as_view(), name="refuser"),
            path("suspendre/<int:pk>/", admin_views.SuspendreMandatView.as_view(), name="suspendre"),
            path("retablir/<int:pk>/", admin_views.RetablirMandatView.as_view(), name="retablir"),
        ]


class ConseilGroup(ModelViewSetGroup):
    menu_label = _("Conseil")
    menu_icon = "group"
    menu_order = 190
    items = (MembreConseilViewSet, CollegeViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets_conseil():
    return ConseilGroup()


class MenuEffacement(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION_EFFACEMENT)


class DonneesPersonnellesViewSet(ViewSet):
    """*Paramètres › Effacer un compte sur demande* : erasure on a request received by post (agents)."""

    name = admin_views.NS_DONNEES
    url_prefix = "donnees-personnelles"
    icon = "user"
    menu_label = _("Effacer un compte sur demande")
    add_to_settings_menu = True
    menu_item_class = MenuEffacement

    def get_urlpatterns(self):
        return [path("effacer/", admin_views.EffacementSurDemandeView.as_view(), name="effacer")]


@hooks.register("register_admin_viewset")
def register_viewset_donnees():
    return DonneesPersonnellesViewSet()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """French labels of the audit trail's actions on structures, memberships and mandates (``journal``)."""
    declarer(actions, {
        "conseil.structure.proposee": _("Structure proposée"),
        "conseil.structure.validee": _("Structure validée"),
        "conseil.structure.refusee": (_("Structure refusée"), _("Structure refusée : %(motif)s")),
        "conseil.structure.remise_en_attente": _("Structure remise en attente de validation"),
        "conseil.structure.a_revalider": _("Structure modifiée (nom, SIRET ou forme juridique) : à valider de "
                                           "nouveau"),
        "conseil.adhesion.demandee": _("Adhésion à une structure demandée"),
        "conseil.adhesion.acceptee": _("Adhésion à une structure acceptée"),
        "conseil.adhesion.refusee": _("Adhésion à une structure refusée"),
        "conseil.adhesion.quittee": _("Structure quittée"),
        "conseil.adhesion.role": (_("Rôle dans la structure modifié"), _("Rôle dans la structure : %(role)s"),
                                  {"role": Adhesion.Role}),
        "conseil.mandat.demande": _("Mandat au Conseil demandé"),
        "conseil.mandat.valide": _("Mandat au Conseil validé"),
        "conseil.mandat.refuse": (_("Mandat au Conseil refusé"), _("Mandat au Conseil refusé : %(motif)s")),
        "conseil.mandat.suspendu": (_("Mandat au Conseil suspendu"), _("Mandat au Conseil suspendu : %(motif)s")),
        "conseil.mandat.termine": _("Mandat au Conseil terminé (compte supprimé)"),
        # Personal data (``donnees_personnelles.py``).
        "conseil.donnees.exportees": (_("Données personnelles téléchargées"),
                                      _("Données personnelles téléchargées (%(fichiers)s fichier(s) joint(s))")),
        "conseil.compte.efface": (_("Compte supprimé"), _("Compte supprimé (demande : %(demande)s)")),
        "conseil.compte.averti": (_("Averti·e de la suppression du compte pour inactivité"),
                                  _("Averti·e : compte supprimé dans %(jours)s jours sans connexion")),
    })


class MenuRegistre(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_traitements.PERMISSION)


class RegistreTraitementsViewSet(ViewSet):
    """*Rapports › Registre des traitements*: the register of processing and its CSV for the DPO."""

    name = admin_traitements.NS
    url_prefix = "registre-des-traitements"
    icon = "doc-full"
    menu_label = _("Registre des traitements")

    def get_urlpatterns(self):
        return [
            path("", admin_traitements.RegistreView.as_view(), name="index"),
            path("csv/", admin_traitements.RegistreCsvView.as_view(), name="csv"),
        ]


_registre = RegistreTraitementsViewSet()


@hooks.register("register_admin_viewset")
def register_registre_traitements():
    return _registre


@hooks.register("register_reports_menu_item")
def register_menu_registre_traitements():
    return MenuRegistre(_("Registre des traitements"), _registre.menu_url, icon_name="doc-full", order=900)
