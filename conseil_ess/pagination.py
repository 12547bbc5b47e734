"""A page of a public list and the list's length read by one query (a window count).

``Paginator.get_page`` counts the list (``COUNT``), then reads the page: two queries, the count's costing as much
to build as the page's. Here the page's rows carry the length of the whole list (``COUNT(*) OVER ()``, plain SQL:
``Window(Count("*"))`` cost more to resolve than the count query it replaces). Used by the agenda
(``evenements.cartes``), the ateliers and the séances.
"""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL


def colonne_total():
    """The number of rows of the list a page is cut from, as a column (an annotation or ``values()`` column named
    ``total``)."""
    return RawSQL("COUNT(*) OVER ()", (), output_field=IntegerField())


def instances(qs, *, avec_total):
    """``page_comptee``'s default reader: the instances of the page's sliced queryset, each with the list's length
    as ``total`` when ``avec_total``."""
    return list(qs.annotate(total=colonne_total()) if avec_total else qs)


def page_comptee(qs, numero, par_page, lire=instances):
    """Return ``(page, objects)``: page ``numero`` of ``qs`` (ordered) as ``Paginator(qs, par_page).get_page``
    gives it, and its objects read by ``lire(sliced queryset, avec_total=…)`` (default: the model instances),
    which with ``avec_total`` gives each object the list's length as ``total`` (``colonne_total()``). One query
    for a page that exists; a number that is not one gives the first page; past the last page, or below 1, the
    last page (then Django's ``COUNT`` and the page's query run too). A ``DISTINCT`` list, whose window would
    count duplicates, keeps Django's two queries."""
    paginateur = Paginator(qs, par_page)
    try:  # as ``Paginator.validate_number``
        if isinstance(numero, float) and not numero.is_integer():
            raise ValueError
        numero = int(numero)
    except (TypeError, ValueError):
        numero = 1
    if numero >= 1 and not qs.query.distinct:
        debut = (numero - 1) * par_page
        objets = lire(qs[debut:debut + par_page], avec_total=True)
        if objets or numero == 1:
            # No row on the first page: an empty list (an empty first page is allowed, as in Django).
            paginateur.count = objets[0].total if objets else 0
            return paginateur.page(numero), objets
    try:
        page = paginateur.page(numero)
    except InvalidPage:
        page = paginateur.page(paginateur.num_pages)
    return page, lire(page.object_list, avec_total=False)
