"""A URL configuration of the memoised ``{% url %}`` test (tests/plateforme/test_gabarits_memo.py): the site's
search elsewhere."""

from django.urls import include, path

urlpatterns = [path("ailleurs/", include("home.urls"))]
