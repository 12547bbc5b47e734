"""The Wagtail site of a request, when there is only one site, by a query compiled once per process.

Wagtail finds the site of each request by a query ranking every site by host name and port
(``wagtail.models.sites.get_site_for_hostname``: a ``CASE … WHEN`` annotation, the root page joined), which its
ORM compiles afresh at each request: 0.5 ms of CPU, the most costly query of a Wagtail page. With one site, the
default one (this platform's case), Wagtail's answer is that site whatever the host name and port: its row and
its root page are read by a query compiled once (``conseil_ess.compilation``), at every request (nothing about
the site is kept). Otherwise (no site, several, or one which is not the default) Wagtail's own function decides.
"""

from conseil_ess.compilation import compilee_une_fois

_originale = None


def _sites():
    from wagtail.models import Site

    return Site.objects.select_related("root_page").order_by("pk")[:2]


def site_pour_hote(hostname, port):
    """``get_site_for_hostname`` of Wagtail, the same site (raises ``Site.DoesNotExist`` as it does)."""
    sites = list(compilee_une_fois("home.sites", _sites))
    if len(sites) == 1 and sites[0].is_default_site:
        return sites[0]
    return _originale(hostname, port)


def installer():
    """Make ``site_pour_hote`` the function Wagtail calls (``Site.find_for_request``)."""
    global _originale
    from wagtail.models import sites

    if _originale is None:
        _originale = sites.get_site_for_hostname
        sites.get_site_for_hostname = site_pour_hote
