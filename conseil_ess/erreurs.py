"""Error pages in the site's layout, in French, each with a way on (project wiring, above every app).

- ``handler400/403/404/500`` of ``urls.py`` and ``CSRF_FAILURE_VIEW`` render ``templates/erreurs/``;
  the 500 page is rendered without the request's context processors and without the database (the
  failure may be the database itself).
- ``PagesErreurMiddleware``: an empty 400/403/404/405 response (``require_POST``, ``HttpResponseForbidden()``…)
  gets its page too, and a logged-in person who
  may not enter the back office is told so at ``/admin/`` instead of being sent to the login page, which
  sends a logged-in person back to ``/admin/`` (the loop browsers give up on).
"""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import requires_csrf_token


def _contact():
    return getattr(settings, "COURRIEL_SECRETARIAT", "")


def _page(request, gabarit, statut, **contexte):
    reponse = TemplateResponse(request, gabarit, {"contact_secretariat": _contact(), "statut": statut, **contexte},
                               status=statut)
    reponse.render()
    return reponse


@requires_csrf_token
def erreur_400(request, exception=None):
    return _page(request, "erreurs/400.html", 400)


@requires_csrf_token
def erreur_403(request, exception=None):
    return _page(request, "erreurs/403.html", 403)


@requires_csrf_token
def erreur_404(request, exception=None):
    return _page(request, "erreurs/404.html", 404)


def erreur_500(request):
    """No context processor, no query: only static files and translations."""
    return HttpResponse(loader.get_template("erreurs/500.html").render({"contact_secretariat": _contact()}),
                        status=500)


def echec_csrf(request, reason=""):
    """A form sent without its CSRF token, or after the session it belonged to ended (an old tab)."""
    return _page(request, "erreurs/403_csrf.html", 403)


PAGES_VIDES = {400: "erreurs/400.html", 403: "erreurs/403.html", 404: "erreurs/404.html", 405: "erreurs/405.html"}


def _prefixe_admin():
    """The back office's prefix, or None under a URLconf without it (a test's reduced URLconf)."""
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


class PagesErreurMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and (prefixe := _prefixe_admin()) and request.path.startswith(prefixe)
                and user.is_authenticated and not user.has_perm("wagtailadmin.access_admin")):
            return _page(request, "erreurs/403_administration.html", 403)
        reponse = self.get_response(request)
        gabarit = PAGES_VIDES.get(reponse.status_code)
        if gabarit and not reponse.streaming and not reponse.content:
            # An empty refusal (``HttpResponseNotAllowed``, ``HttpResponseForbidden()``…) gets its page
            # (not under a URLconf without the site's pages, which the layout links to).
            try:
                page = _page(request, gabarit, reponse.status_code)
            except NoReverseMatch:
                return reponse
            if reponse.has_header("Allow"):
                page["Allow"] = reponse["Allow"]
            return page
        return reponse
