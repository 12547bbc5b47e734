"""The view restrictions of the site's pages, read by queries compiled once per process.

Wagtail reads them at every page it serves (``check_view_restrictions``: the page's ancestors, then their
restrictions, two queries its ORM compiles afresh), and the lists of pages leave out private sections
(``private_q``: every restriction with its page, one more query). The same questions, asked by queries compiled
once (``conseil_ess.compilation``), the second inside the lists' own queries: the rows are read at every request,
the answers are Wagtail's.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Length, Substr
from wagtail.models import Page, PageViewRestriction

from conseil_ess.compilation import compilee_une_fois


class RestrictionsCompilees:
    """Mixin of the site's page types: ``get_view_restrictions`` in one query compiled once per page."""

    def get_view_restrictions(self):
        """Wagtail's: the restrictions of this page and of its ancestors, an alias counting as the page it is an
        alias of (Wagtail's aliases always point to a page that is not one). An alias itself, or a page not yet
        in the tree, goes through Wagtail's."""
        lues = self.__dict__.get("restrictions_lues")
        if lues is not None:  # read with the site (the root page: ``home.sites``) or the route (``home.routage``)
            return lues  # a page being served: Wagtail's ``check_view_restrictions`` iterates over them
        if self.alias_of_id is not None or not self.path:
            return super().get_view_restrictions()
        return restrictions_du_chemin(self.path)


def restrictions_du_chemin(chemin):
    """The restrictions of the page at ``chemin`` (not an alias) and of its ancestors, an alias counting as its
    source: a queryset compiled once per path."""
    pas = Page.steplen
    chemins = [chemin[:fin] for fin in range(pas, len(chemin) + 1, pas)]
    return compilee_une_fois(("home.restrictions", chemin), lambda: PageViewRestriction.objects.filter(
        page_id__in=Page.objects.filter(path__in=chemins).values(source=Coalesce("alias_of_id", "id"))))


def prive_q():
    """``Page.objects.private_q()``: the pages of the private sections (a view restriction on the page or on one of
    its ancestors: its path starts with the restricted page's). Wagtail reads every restriction first and writes a
    condition per restricted page; here the condition reads them itself (``EXISTS``), inside the query of the list:
    no query of its own, and the same SQL whatever the restrictions (a list using it is compiled once)."""
    return Q(Exists(PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path")))))
