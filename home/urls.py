from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("recherche/", views.recherche, name="recherche"),
    # Before Wagtail's catch-all: they take the place of the legal pages with these slugs (whose body is
    # shown as an introduction).
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
]
