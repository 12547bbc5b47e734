from django.urls import path, re_path

from . import views

app_name = "comptes"

urlpatterns = [
    path("mon-espace/", views.mon_espace, name="mon_espace"),
    path("mon-espace/profil/", views.profil, name="profil"),
    path("mon-espace/notifications.json", views.notifications_json, name="notifications_json"),
    path("mon-espace/notifications/lues/", views.notifications_lues, name="notifications_lues"),
    path("mon-espace/notifications/preferences/", views.notifications_preferences, name="notifications_preferences"),
    path("mon-espace/mes-donnees/", views.mes_donnees, name="mes_donnees"),
    path("mon-espace/supprimer-mon-compte/", views.supprimer_mon_compte, name="supprimer_mon_compte"),
    path("compte-supprime/", views.compte_supprime, name="compte_supprime"),
    re_path(r"^mon-espace/adhesions/(?P<pk>[0-9]+)/(?P<decision>accepter|refuser)/$", views.adhesion_decider,
            name="adhesion_decider"),
    path("conseil/membres/", views.conseil_membres, name="conseil_membres"),
    path("conseil/mon-mandat/", views.conseil_demande, name="conseil_demande"),
    path("conseil/mon-mandat/affichage/", views.conseil_affichage, name="conseil_affichage"),
    path("structures/", views.structure_liste, name="structure_liste"),
    path("structures/nouvelle/", views.structure_creer, name="structure_creer"),
    path("structures/<slug:slug>/", views.structure_detail, name="structure_detail"),
    path("structures/<slug:slug>/modifier/", views.structure_modifier, name="structure_modifier"),
    path("structures/<slug:slug>/rejoindre/", views.structure_rejoindre, name="structure_rejoindre"),
    path("structures/<slug:slug>/quitter/", views.structure_quitter, name="structure_quitter"),
]
