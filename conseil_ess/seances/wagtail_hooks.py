"""The « Séances » menu of the Wagtail admin: the secrétariat's back office for the séances plénières
(the views are in ``admin_views.py``). Shown to those the rule ``seances.gerer_seance`` allows (agents);
the views check the same rule, so nobody else gets in by typing the address."""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from conseil_ess.comptes.journal import declarer

from . import admin_views
from .models import Emargement, PointOrdreDuJour, Scrutin


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
            path("<int:pk>/points/<int:point>/modifier/", admin_views.ModifierPointView.as_view(),
                 name="modifier_point"),
            path("<int:pk>/points/<int:point>/supprimer/", admin_views.SupprimerPointView.as_view(),
                 name="supprimer_point"),
            path("<int:pk>/emargement/", admin_views.EmargementView.as_view(), name="emargement"),
            path("<int:pk>/emargement/qr-code/", admin_views.QrCodeView.as_view(), name="qr_code"),
            path("<int:pk>/proces-verbal/", admin_views.ProcesVerbalView.as_view(), name="proces_verbal"),
        ]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return SeancesViewSet()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """French labels of the audit trail's actions on séances, scrutins and minutes (``comptes.journal``).
    A vote itself is never logged (a secret ballot stays secret); the closing of its scrutin is."""
    declarer(actions, {
        "conseil.seance.creee": gettext_lazy("Séance créée"),
        "conseil.seance.point_ajoute": (gettext_lazy("Point ajouté à l'ordre du jour"),
                                        gettext_lazy("Point ajouté à l'ordre du jour (%(type)s)"),
                                        {"type": PointOrdreDuJour.Type}),
        "conseil.seance.point_deplace": (gettext_lazy("Point de l'ordre du jour déplacé"),
                                         gettext_lazy("Point de l'ordre du jour déplacé (rang %(rang)s)")),
        "conseil.seance.point_modifie": gettext_lazy("Point de l'ordre du jour modifié"),
        "conseil.seance.point_supprime": (gettext_lazy("Point de l'ordre du jour supprimé"),
                                          gettext_lazy("Point de l'ordre du jour supprimé : %(titre)s")),
        "conseil.seance.ordre_du_jour_publie": gettext_lazy("Ordre du jour publié (convocation)"),
        "conseil.seance.ouverte": gettext_lazy("Séance ouverte"),
        "conseil.seance.point_courant": gettext_lazy("Séance : point suivant de l'ordre du jour"),
        "conseil.seance.terminee": gettext_lazy("Séance terminée"),
        "conseil.seance.emargement": (gettext_lazy("Émargement à une séance"),
                                      gettext_lazy("Émargement (%(mode)s)"), {"mode": Emargement.Mode}),
        "conseil.seance.presents_declares": (gettext_lazy("Nombre de présents déclaré"),
                                             gettext_lazy("Nombre de présents déclaré : %(nombre)s")),
        "conseil.seance.document_ajoute": gettext_lazy("Document de séance ajouté"),
        "conseil.seance.document_supprime": gettext_lazy("Document de séance supprimé"),
        "conseil.scrutin.ouvert": gettext_lazy("Scrutin ouvert"),
        "conseil.scrutin.clos": (gettext_lazy("Scrutin clos, résultat publié"),
                                 gettext_lazy("Scrutin clos : %(resultat)s (pour %(pour)s, contre %(contre)s, "
                                              "abstention %(abstention)s)"), {"resultat": Scrutin.Resultat}),
        "conseil.scrutin.retire": gettext_lazy("Scrutin retiré sans vote (fin de la séance)"),
        "conseil.proces_verbal.genere": gettext_lazy("Procès-verbal généré"),
        "conseil.proces_verbal.modifie": gettext_lazy("Procès-verbal modifié"),
        "conseil.proces_verbal.publie": gettext_lazy("Procès-verbal publié"),
        "conseil.proces_verbal.retire": gettext_lazy("Publication du procès-verbal retirée"),
    })
