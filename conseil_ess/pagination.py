"""A page of a public list and the list's length read by one query (a window count)."""

from django.core.paginator import Paginator
from django.db.models.expressions import RawSQL


def page_comptee(qs, numero, par_page):
    """Return ``Paginator(qs, par_page).get_page(numero)`` (``qs`` ordered), its ``object_list`` a list, the rows of
    the page carrying the length of the whole list (``COUNT(*) OVER ()``): one query instead of a ``COUNT`` and
    the page. A number that is not one gives the first page; past the last page, or below 1, the last page
    (then Django's ``COUNT`` and page queries run too). A ``DISTINCT`` query, whose window would count duplicates, keeps
    Django's two queries."""
    paginateur = Paginator(qs, par_page)
    try:  # as ``Paginator.validate_number``
        if isinstance(numero, float) and not numero.is_integer():
            raise ValueError
        numero = int(numero)
    except (TypeError, ValueError):
        numero = 1
    if numero >= 1 and not qs.query.distinct:
        debut = (numero - 1) * par_page
        objets = list(qs.annotate(_longueur_liste=RawSQL("COUNT(*) OVER ()", ()))[debut:debut + par_page])
        if objets or numero == 1:
            # No row on the first page: an empty list (an empty first page is allowed, as in Django).
            paginateur.count = objets[0]._longueur_liste if objets else 0
            page = paginateur.page(numero)
            page.object_list = objets
            return page
    page = paginateur.get_page(numero)
    page.object_list = list(page.object_list)
    return page
