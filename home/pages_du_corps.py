"""The pages a page's body shows or links to, read with the page's other queries.

A body's pages are read while its template is rendered: those chosen in a call to action
(``blocks.PageDuSiteBlock.bulk_to_python``), then, for each rich text, those its links point to
(``wagtail_hooks.LienVersPage.get_many``): a query each, after the page's own. A page type that reads its
other queries together (the home page, a content page: ``lire_ensemble``) finds these pages in its body's raw
data (``identifiants``), reads them in the same round trip (``lecture``) and serves the page inside ``portee()``
(``ServieAvecSonCorps``):
the two readers then take them from there (``pages_lues``), and query only for a page not found (a body whose
raw data they would read otherwise). Nothing outlives the request's rendering.
"""

import contextlib
import contextvars
import copy

from wagtail.models import Page
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from conseil_ess.compilation import compilee_une_fois, lecture_compilee

_lues = contextvars.ContextVar("pages_du_corps", default=None)


def identifiants(donnees):
    """The ids of the pages in a body's raw data (``StreamValue.raw_data``): the ``page`` of a block (a chooser)
    and the page links of its rich texts, in order, each once."""
    trouves = {}

    def parcourir(valeur, cle=None):
        if isinstance(valeur, dict):
            for nom, sous in valeur.items():
                parcourir(sous, nom)
        elif isinstance(valeur, (list, tuple)):
            for sous in valeur:
                parcourir(sous)
        elif isinstance(valeur, int) and not isinstance(valeur, bool) and cle == "page":
            trouves.setdefault(valeur)
        elif isinstance(valeur, str) and 'linktype="page"' in valeur:
            for attributs in FIND_A_TAG.findall(valeur):
                attrs = extract_attrs(attributs)
                if attrs.get("linktype") == "page" and attrs.get("id", "").isdigit():
                    trouves.setdefault(int(attrs["id"]))

    parcourir(list(donnees))
    return tuple(trouves)


def lecture(ids):
    """The pages ``ids`` (their generic rows, every field) as a ``Lecture``: kept for ``page_lue`` within
    ``portee()``."""
    base = lecture_compilee(compilee_une_fois(("home.corps", ids), lambda: Page.objects.filter(pk__in=ids).order_by()))

    def garder(lignes):
        pages = base.lire(lignes)
        lues = _lues.get()
        if lues is not None:
            lues.update((page.pk, page) for page in pages)
        return pages

    return base._replace(lire=garder)


@contextlib.contextmanager
def portee():
    """While it lasts (a page served and rendered), the pages read by ``lecture`` are found by ``page_lue``."""
    jeton = _lues.set({})
    try:
        yield
    finally:
        _lues.reset(jeton)


class ServieAvecSonCorps:
    """Mixin of a page type whose ``get_context`` reads its body's pages (``lecture``): the page served and its
    template rendered inside ``portee()``, where the body's readers find them."""

    def serve(self, request, *args, **kwargs):
        with portee():
            reponse = super().serve(request, *args, **kwargs)
            if hasattr(reponse, "render"):
                reponse.render()
        return reponse


def pages_lues(ids):
    """The pages ``ids`` read ahead in the current ``portee()`` (None for a None id; a page asked for twice given
    as a copy the second time, as Wagtail's readers give two objects), or None when one of them was not."""
    lues = _lues.get()
    if not lues or not all(i is None or i in lues for i in ids):
        return None
    vues, resultat = set(), []
    for i in ids:
        page = None if i is None else lues[i]
        resultat.append(copy.copy(page) if i in vues and page is not None else page)
        vues.add(i)
    return resultat
