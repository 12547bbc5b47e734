"""URLs of the agenda. Fixed words (proposer, programmes, perso, inscriptions) come before ``<slug>``."""

from django.urls import path

from . import feeds, views, views_organisateurs, vues_revisions

app_name = "evenements"

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("donnees/evenements.csv", views.donnees_csv, name="donnees_csv"),
    path("donnees/evenements.json", views.donnees_json, name="donnees_json"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/proposer/", views.proposer, name="proposer"),
    path("agenda/integrer/", views.integrer, name="integrer"),
    path("agenda/programmes/<slug:slug>/", views.programme, name="programme"),
    path("agenda/programmes/<slug:slug>.ics", feeds.flux_programme, name="programme_ics"),
    path("agenda/programmes/<slug:slug>.pdf", views.programme_pdf, name="programme_pdf"),
    path("agenda/perso/regenerer/", views.regenerer_jeton, name="regenerer_jeton"),
    path("agenda/perso/<slug:token>.ics", feeds.flux_personnel, name="flux_personnel"),
    path("agenda/inscriptions/<int:pk>/annuler/", views.annuler_inscription, name="annuler_inscription"),
    path("agenda/<slug:slug>.ics", feeds.flux_evenement, name="detail_ics"),
    path("agenda/<slug:slug>/", views.detail, name="detail"),
    path("agenda/<slug:slug>/inscription/", views.inscrire, name="inscrire"),
    path("agenda/<slug:slug>/modifier/", views.modifier, name="modifier"),
    path("agenda/<slug:slug>/statut/", views.statut, name="statut"),
    path("agenda/<slug:slug>/revisions/<int:pk>/", vues_revisions.revision, name="revision"),
    path("agenda/<slug:slug>/revisions/<int:pk>/retirer/", vues_revisions.retirer, name="revision_retirer"),
    # The organisers' pages (registered people, export, message, check-in): views_organisateurs.py.
    path("agenda/<slug:slug>/organisateurs/", views_organisateurs.gerer, name="organisateurs"),
    path("agenda/<slug:slug>/organisateurs/inscrits.csv", views_organisateurs.export, name="organisateurs_export"),
    path("agenda/<slug:slug>/organisateurs/message/", views_organisateurs.message, name="organisateurs_message"),
    path("agenda/<slug:slug>/organisateurs/emargement/", views_organisateurs.emargement,
         name="organisateurs_emargement"),
    path("agenda/<slug:slug>/organisateurs/emargement/<str:code>/", views_organisateurs.scan,
         name="organisateurs_scan"),
]
