"""Test-only URLs: the feed views and the pages their events link to, under the ``evenements`` namespace.

The real routes live in ``evenements/urls.py``; these let the feed tests run on their own
(``@pytest.mark.urls("tests.evenements.urls_flux")``).
"""

from django.http import HttpResponse
from django.urls import include, path

from evenements import feeds


def page(request, slug):
    return HttpResponse(slug)


routes = [
    path("agenda/programmes/<slug:slug>/", page, name="programme"),
    path("agenda/programmes/<slug:slug>.ics", feeds.flux_programme, name="programme_ics"),
    path("agenda/perso/<slug:token>.ics", feeds.flux_personnel, name="flux_personnel"),
    path("agenda/<slug:slug>.ics", feeds.flux_evenement, name="detail_ics"),
    path("agenda/<slug:slug>/", page, name="detail"),
]

urlpatterns = [path("", include((routes, "evenements")))]
