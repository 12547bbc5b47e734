"""The « Séances » menu of the Wagtail admin: the secrétariat's back office for the séances plénières
(the views are in ``admin_views.py``). Shown to those the rule ``seances.gerer_seance`` allows (agents);
the views check the same rule, so nobody else gets in by typing the address."""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views


class MenuSecretariat(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


class SeancesViewSet(ViewSet):
    name = admin_views.NS
    url_prefix = "seances"
    icon = "group"
    menu_label = gettext_lazy("Séances")
    menu_order = 240
    add_to_admin_menu = True
    menu_item_class = MenuSecretariat

    def get_urlpatterns(self):
        return [
            path("", admin_views.ListeView.as_view(), name="index"),
            path("ajouter/", admin_views.NouvelleSeanceView.as_view(), name="ajouter"),
            path("<int:pk>/", admin_views.PreparerView.as_view(), name="preparer"),
            path("<int:pk>/emargement/", admin_views.EmargementView.as_view(), name="emargement"),
            path("<int:pk>/emargement/qr-code/", admin_views.QrCodeView.as_view(), name="qr_code"),
            path("<int:pk>/proces-verbal/", admin_views.ProcesVerbalView.as_view(), name="proces_verbal"),
        ]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return SeancesViewSet()
