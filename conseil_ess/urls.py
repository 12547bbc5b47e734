from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as adresse_statique
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from conseil_ess.redaction import apercu as apercu_redaction
from conseil_ess.sante import sante

urlpatterns = [
    # Clients that ask for /favicon.ico without reading the page's <link rel="icon">.
    # Health of the stack for load balancers (PostgreSQL and Redis answer): conseil_ess/sante.py.
    path("sante/", sante, name="sante"),
    # Preview of the Markdown editor of long texts (conseil_ess/redaction.py): POST, logged in.
    path("redaction/apercu/", apercu_redaction, name="redaction_apercu"),
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(adresse_statique("favicon.svg"))),
    # allauth before Wagtail's catch-all; the Wagtail admin logs in through it (WAGTAILADMIN_LOGIN_URL).
    path("compte/", include("allauth.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("conseil_ess.comptes.urls")),
    path("", include("evenements.urls")),
    path("", include("ateliers.urls")),
    path("", include("conseil_ess.propositions.urls")),
    path("", include("conseil_ess.seances.urls")),
    path("", include("home.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# Error pages in the site's layout, in French (conseil_ess/erreurs.py).
handler400 = "conseil_ess.erreurs.erreur_400"
handler403 = "conseil_ess.erreurs.erreur_403"
handler404 = "conseil_ess.erreurs.erreur_404"
handler500 = "conseil_ess.erreurs.erreur_500"
