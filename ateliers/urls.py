"""URLs of the ateliers. Public and members' pages are in ``views``, the animation's in ``views_gestion``."""

from django.urls import path, re_path

from . import feeds, views, views_gestion

app_name = "ateliers"

urlpatterns = [
    path("ateliers/", views.index, name="index"),
    path("ateliers/cycles/<slug:slug>/", views.cycle, name="cycle"),
    path("ateliers/<slug:slug>.ics", feeds.flux_atelier, name="ics"),
    path("ateliers/<slug:slug>/", views.detail, name="detail"),
    path("ateliers/<slug:slug>/rejoindre/", views.rejoindre, name="rejoindre"),
    path("ateliers/<slug:slug>/quitter/", views.quitter, name="quitter"),
    path("ateliers/<slug:slug>/reunions/<int:pk>/", views.reunion, name="reunion"),
    path("ateliers/<slug:slug>/reunions/<int:pk>/documents/<int:doc>/", views.document, name="document"),
    # The animation (animateur·rice·s of the atelier) and the secrétariat.
    path("ateliers/<slug:slug>/gerer/", views_gestion.gerer, name="gerer"),
    re_path(r"^ateliers/(?P<slug>[-a-zA-Z0-9_]+)/gerer/demandes/(?P<pk>[0-9]+)/(?P<decision>accepter|refuser)/$",
            views_gestion.decider, name="decider"),
    path("ateliers/<slug:slug>/reunions/nouvelle/", views_gestion.reunion_nouvelle, name="reunion_nouvelle"),
    path("ateliers/<slug:slug>/reunions/passee/", views_gestion.reunion_passee, name="reunion_passee"),
    path("ateliers/<slug:slug>/reunions/<int:pk>/modifier/", views_gestion.reunion_modifier, name="reunion_modifier"),
    path("ateliers/<slug:slug>/reunions/<int:pk>/annuler/", views_gestion.reunion_annuler, name="reunion_annuler"),
    path("ateliers/<slug:slug>/reunions/<int:pk>/presences/", views_gestion.presences, name="presences"),
    path("ateliers/<slug:slug>/reunions/<int:pk>/compte-rendu/", views_gestion.compte_rendu, name="compte_rendu"),
    path("ateliers/<slug:slug>/reunions/<int:pk>/documents/<int:doc>/supprimer/", views_gestion.document_supprimer,
         name="document_supprimer"),
]
