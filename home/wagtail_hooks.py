"""Wagtail hooks of the site's pages."""

from wagtail import hooks
from wagtail.models import Page, Site
from wagtail.rich_text.pages import PageLinkHandler

from conseil_ess.compilation import compilee_une_fois

from . import pages_du_corps
from .models import CHAMPS_URL_PAGE


class LienVersPage(PageLinkHandler):
    """Links to pages in rich text, their URLs read from the pages' table alone.

    Wagtail's handler loads each linked page as its specific type (one more query per page type, and every
    field of those types) in case a type builds its URL its own way; none of this site's does
    (``tests/home/test_liens_texte_riche.py`` checks it), so the generic rows give the same URLs.

    Without a request, each page reads the sites' root paths from the cache for its URL (a cache round trip per
    link): the pages of a text share one reading, kept where Wagtail keeps it (``Page._get_site_root_paths``).
    """

    @classmethod
    def get_many(cls, attrs_list):
        identifiants = [attrs.get("id") for attrs in attrs_list]
        lues = pages_du_corps.pages_lues([int(i) if str(i).isdigit() else -1 for i in identifiants])
        if lues is not None:  # read with the page's other queries
            racines = Site.get_site_root_paths()
            for page in lues:
                page._wagtail_cached_site_root_paths = racines
            return lues
        # The same links at each display of a text: their query compiled once per set of pages.
        pages = list(compilee_une_fois(("home.liens", tuple(identifiants)),
                                       lambda: Page.objects.filter(id__in=identifiants).only(*CHAMPS_URL_PAGE)))
        if pages:
            racines = Site.get_site_root_paths()
            for page in pages:
                page._wagtail_cached_site_root_paths = racines
        par_identifiant = {str(page.id): page for page in pages}
        return [par_identifiant.get(str(identifiant)) for identifiant in identifiants]


@hooks.register("register_rich_text_features", order=100)  # after Wagtail's own « page » link type
def lien_vers_page(features):
    features.register_link_type(LienVersPage)
