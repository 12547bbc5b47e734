"""The register of processing in the Wagtail admin (*Rapports › Registre des traitements*, namespace
``registre_traitements``): the same declaration as ``/donnees-personnelles/`` (``traitements.py``), as a table
and as a CSV for the data protection officer (French office CSV, ``tableurs.py``). Rule:
``comptes.voir_registre_traitements`` (agents)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import tableurs, traitements
from .admin_views import neutraliser_formule

NS = "registre_traitements"
PERMISSION = "comptes.voir_registre_traitements"


class _Garde:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RegistreView(_Garde, WagtailAdminTemplateMixin, TemplateView):
    template_name = "comptes/admin/registre_traitements.html"
    page_title = gettext_lazy("Registre des traitements")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        lignes = traitements.lignes_csv()
        return super().get_context_data(entete=lignes[0], lignes=lignes[1:], **kwargs)


class RegistreCsvView(_Garde, View):
    def get(self, request):
        reponse = HttpResponse(content_type="text/csv; charset=utf-8")
        nom = f"registre-traitements-{timezone.localdate():%Y-%m-%d}.csv"
        reponse["Content-Disposition"] = content_disposition_header(True, nom)
        ecrivain = tableurs.ecrivain_bureautique(reponse)
        for ligne in traitements.lignes_csv():
            ecrivain.writerow([neutraliser_formule(v) for v in ligne])
        return reponse
