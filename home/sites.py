"""The Wagtail site of a request, when there is only one site, by a query compiled once per process.

Wagtail finds the site of each request by a query ranking every site by host name and port
(``wagtail.models.sites.get_site_for_hostname``: a ``CASE … WHEN`` annotation, the root page joined), which its
ORM compiles afresh at each request: 0.5 ms of CPU, the most costly query of a Wagtail page. With one site, the
default one (this platform's case), Wagtail's answer is that site whatever the host name and port: its row and
its root page are read by a query compiled once (``conseil_ess.compilation``), at every request (nothing about
the site is kept). Otherwise (no site, several, or one which is not the default) Wagtail's own function decides.

Wagtail routes every request from the root page as its specific type (``site.root_page.localized.specific``:
one more query, compiled at each request). The same query reads it: the specific class of the root page seen
last in this process is joined (``select_related`` of its parent link, Django filling the inherited fields from
the page's columns), and ``root_page.specific`` is set to it as Wagtail's ``get_specific`` would make it. A root
page of another class (the root changed) is read without it, and the next query joins the new class.

The sites' root paths (``Site.get_site_root_paths``: every page URL starts from them) are kept by Wagtail in the
cache, read from Redis by each request that builds a URL, and once more by each rich text with page links (no
request at hand): three round trips on the home page. They are kept in the process for the version of the data
read for the current request (``version_de_la_requete``, set by ``conseil_ess.cache_pages``: the page cache's
generation, raised by every write to the database), as the menu is (``CACHE_NAVIGATION``); Wagtail's cache is
read without such a version.
"""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from conseil_ess.compilation import compilee_une_fois, lecture_compilee
from conseil_ess.prechargement import lire_ensemble

_originale = None
_racines_originale = None
# Set by ``conseil_ess.cache_pages`` (a higher layer) in its ``ready()``: the version of the data read for the
# request being served, or None.
version_de_la_requete = None
_racines = {}
# The specific class of the root page last read, its content type and its path (None: not known yet).
_classe_racine = [None]


def _jointure(classe):
    """The ``select_related`` path from a site's root page to its row of ``classe`` (None: not a direct child
    model of ``Page``, read by Wagtail as usual)."""
    from wagtail.models import Page

    if classe is None or classe is Page or list(classe._meta.parents) != [Page]:
        return None
    return f"root_page__{classe._meta.get_ancestor_link(Page).related_query_name()}"


def _sites(jointure):
    from wagtail.models import Site

    return Site.objects.select_related("root_page", *([jointure] if jointure else [])).order_by("pk")[:2]


def _specifique(racine, connue, jointure, restrictions):
    """Give ``racine`` its ``specific`` page from the joined row, as ``get_specific`` copies the attributes, and its
    view restrictions when they were read with it (``restrictions``, for the root's path known before); or, if the
    root is not of the class joined (``connue``: class, content type and path), learn it for the next query."""
    if connue is None or racine.content_type_id != connue[1] or racine.path != connue[2]:
        _classe_racine[0] = (racine.specific_class, racine.content_type_id, racine.path)
        if connue is None or racine.content_type_id != connue[1]:
            return
        restrictions = None
    specifique = getattr(racine, jointure.split("__", 1)[1])
    for nom, valeur in racine.__dict__.items():
        specifique.__dict__.setdefault(nom, valeur)
    racine.__dict__["specific"] = specifique
    if restrictions is not None and racine.alias_of_id is None:
        specifique.__dict__["restrictions_lues"] = restrictions


def site_pour_hote(hostname, port):
    """``get_site_for_hostname`` of Wagtail, the same site (raises ``Site.DoesNotExist`` as it does). With the site,
    in the same round trip (``lire_ensemble``), the view restrictions of the root page (its path known from the
    previous request): Wagtail checks them at every request for the home page."""
    from .restrictions import RestrictionsCompilees, restrictions_du_chemin

    connue = _classe_racine[0]
    jointure = _jointure(connue[0]) if connue else None
    lectures = [lecture_compilee(compilee_une_fois(("home.sites", jointure), lambda: _sites(jointure)))]
    if jointure and issubclass(connue[0], RestrictionsCompilees):
        lectures.append(lecture_compilee(restrictions_du_chemin(connue[2])))
    sites, *restrictions = lire_ensemble(*lectures)
    sites = list(sites)
    if len(sites) == 1 and sites[0].is_default_site:
        _specifique(sites[0].root_page, connue if jointure else None, jointure, next(iter(restrictions), None))
        return sites[0]
    return _originale(hostname, port)


def racines_des_sites():
    """``Site.get_site_root_paths`` of Wagtail: kept per version of the data (see above). The list is shared: read
    it, never change it (Wagtail does not)."""
    lire = version_de_la_requete
    version = lire() if lire is not None and settings.CACHE_NAVIGATION else None
    if version is None:
        return _racines_originale()
    try:
        return _racines[version]
    except KeyError:
        pass
    racines = _racines_originale()
    _racines.clear()  # one version at a time: the previous ones are never read again
    _racines[version] = racines
    return racines


_parties_originale = None
_parties = {}
PARTIES_MAX = 4096


def parties_d_url(page, request=None):
    """``Page.get_url_parts`` of Wagtail, kept per process under what decides it: the page's URL path, the sites'
    root paths it falls under, the URL configuration, script prefix and language, and Wagtail's settings. Wagtail
    reverses its serving URL for each page link (``{% pageurl %}``, a rich text's links, the menu): a tenth of a
    millisecond for the ten links of the home page. A page under several sites goes to Wagtail's (the site of the
    request decides there)."""
    possibles = page._get_relevant_site_root_paths(request)
    if len({racine[0] for racine in possibles}) > 1:
        return _parties_originale(page, request)
    cle = (page.url_path, possibles, get_urlconf(), get_script_prefix(), get_language(),
           getattr(settings, "WAGTAIL_I18N_ENABLED", False), getattr(settings, "WAGTAIL_APPEND_SLASH", True))
    try:
        return _parties[cle]
    except KeyError:
        pass
    parties = _parties_originale(page, request)
    if len(_parties) >= PARTIES_MAX:
        _parties.clear()
    _parties[cle] = parties
    return parties


def installer():
    """Make ``site_pour_hote``, ``racines_des_sites`` and ``parties_d_url`` the functions Wagtail calls
    (``Site.find_for_request``, ``Site.get_site_root_paths``, ``Page.get_url_parts``)."""
    global _originale, _racines_originale, _parties_originale
    from wagtail.models import Page, Site, sites

    if _parties_originale is None:
        _parties_originale = Page.get_url_parts
        Page.get_url_parts = parties_d_url

    if _originale is None:
        _originale = sites.get_site_for_hostname
        sites.get_site_for_hostname = site_pour_hote
    if _racines_originale is None:
        _racines_originale = Site.get_site_root_paths
        Site.get_site_root_paths = staticmethod(racines_des_sites)
