"""URLs of the proposals: public pages and the author's (``views``), the follow-up dashboard and the
open data (``views_suivi``). The secrétariat's instruction happens in the Wagtail admin."""

from django.urls import path, re_path

from . import views, views_suivi

app_name = "propositions"

REFERENCE = r"(?P<reference>P-[0-9]{4}-[0-9]{3,})"

urlpatterns = [
    path("propositions/", views.liste, name="liste"),
    path("propositions/nouvelle/", views.nouvelle, name="nouvelle"),
    path("propositions/brouillons/<int:pk>/", views.brouillon, name="brouillon"),
    path("propositions/brouillons/<int:pk>/deposer/", views.deposer, name="deposer"),
    path("propositions/modifier/<int:pk>/", views.modifier, name="modifier"),
    path("propositions/structures.json", views.structures_json, name="structures_json"),
    path("propositions/invitations/<int:pk>/", views.decider_portage, name="decider_portage"),
    path("propositions/pieces/<int:pk>/", views.piece_jointe, name="piece_jointe"),
    re_path(rf"^propositions/{REFERENCE}/$", views.detail, name="detail"),
    re_path(rf"^propositions/{REFERENCE}/suivre/$", views.suivre, name="suivre"),
    re_path(rf"^propositions/{REFERENCE}/retirer/$", views.retirer, name="retirer"),
    re_path(rf"^propositions/{REFERENCE}/engagement/$", views_suivi.engagement, name="engagement"),
    re_path(rf"^propositions/{REFERENCE}/avancement/$", views_suivi.avancement, name="avancement"),
    path("suivi/", views_suivi.tableau_de_bord, name="tableau_de_bord"),
    path("suivi/export.csv", views_suivi.export_csv, name="tableau_de_bord_csv"),
    path("donnees/", views_suivi.donnees, name="donnees"),
    path("donnees/propositions.csv", views_suivi.donnees_csv, name="donnees_csv"),
    path("donnees/propositions.json", views_suivi.donnees_json, name="donnees_json"),
]
