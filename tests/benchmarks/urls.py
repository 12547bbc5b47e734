"""The project's URLs plus a trivial view, for the page benchmark only (``tests/benchmarks/reglages.py``)."""

from django.http import HttpResponse
from django.urls import path

from conseil_ess.urls import *  # noqa: F403
from conseil_ess.urls import urlpatterns as urls_du_projet


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__banc__/trivial/", trivial), *urls_du_projet]
