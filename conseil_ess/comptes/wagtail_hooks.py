"""Back office of the comptes app in the Wagtail admin (the one staff back office)."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic.models import EditView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from . import services
from .models import Adhesion, Agrement, Commune, Notification, QuartierPrioritaire, Structure

for _model in (Structure, Adhesion, Agrement, Commune, QuartierPrioritaire, Notification):
    register_permission_policy(_model)


class StructureEditView(EditView):
    """Validation and refusal go through the services (which notify the referents)."""

    def save_instance(self):
        nouveau = self.form.instance.statut
        ancien = Structure.objects.values_list("statut", flat=True).get(pk=self.form.instance.pk)
        self.form.instance.statut = ancien
        instance = super().save_instance()
        if nouveau != ancien:
            try:
                if nouveau == Structure.Statut.VALIDEE:
                    services.valider_structure(instance, par=self.request.user)
                elif nouveau == Structure.Statut.REFUSEE:
                    services.refuser_structure(instance, par=self.request.user, motif=instance.motif_refus)
                else:
                    instance.statut = nouveau
                    instance.save(update_fields=["statut"])
            except services.ActionImpossible as exc:
                messages.error(self.request, str(exc))
            instance.refresh_from_db()
        return instance


class StructureViewSet(ModelViewSet):
    model = Structure
    icon = "group"
    menu_label = _("Structures")
    add_to_admin_menu = False
    edit_view_class = StructureEditView
    list_display = ["nom", "forme_juridique", "commune", "statut", "cree_le"]
    list_filter = ["statut", "forme_juridique", "categorie"]
    search_fields = ["nom", "siret"]
    form_fields = [
        "nom", "slug", "categorie", "forme_juridique", "precision_forme", "agrements", "siret", "secteur",
        "commune", "site_web", "description", "statut", "motif_refus",
    ]


class AdhesionEditView(EditView):
    def save_instance(self):
        nouveau = self.form.instance.statut
        ancien = Adhesion.objects.values_list("statut", flat=True).get(pk=self.form.instance.pk)
        if ancien == Adhesion.Statut.DEMANDEE and nouveau != ancien:
            self.form.instance.statut = ancien
            instance = super().save_instance()
            services.decider_adhesion(instance, par=self.request.user, accepter=nouveau == Adhesion.Statut.ACCEPTEE)
            instance.refresh_from_db()
            return instance
        return super().save_instance()


class AdhesionViewSet(ModelViewSet):
    model = Adhesion
    icon = "user"
    menu_label = _("Adhésions")
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
