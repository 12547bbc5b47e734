import logging
import re

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import render
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

logger = logging.getLogger(__name__)

LONGUEUR_MAX_REQUETE = 200
PAR_PAGE = 10
# Control characters (NUL included) break some database backends and never belong in a query.
# Double quotes open phrase queries that SQLite's full-text engine rejects when unbalanced.
CARACTERES_A_IGNORER = re.compile(r'[\x00-\x1f\x7f"]')


def nettoyer_requete(brute):
    """Return the query without control characters nor double quotes, trimmed and cut to a reasonable length."""
    requete = CARACTERES_A_IGNORER.sub(" ", brute or "")
    return " ".join(requete.split())[:LONGUEUR_MAX_REQUETE].strip()


def extrait(page, mots=40):
    """Return a short plain-text summary of a page for a result list."""
    texte = getattr(page, "intro", "") or page.search_description
    if not texte and getattr(page, "body", None):
        champ = page._meta.get_field("body")
        texte = strip_tags(" ".join(champ.get_searchable_content(page.body)))
    return Truncator(" ".join(texte.split())).words(mots)


def recherche(request):
    """Search the published pages of the site."""
    requete = nettoyer_requete(request.GET.get("q"))
    resultats = Page.objects.live().public().specific().search(requete) if requete else Page.objects.none()
    try:
        page = Paginator(resultats, PAR_PAGE).get_page(request.GET.get("page"))
        page.object_list = [{"page": p, "extrait": extrait(p)} for p in page.object_list]
    except DatabaseError:
        # A query the search backend cannot parse gives « no result », not an error page.
        logger.warning("Recherche impossible pour la requête %r", requete, exc_info=True)
        page = Paginator([], PAR_PAGE).get_page(1)
    return render(request, "home/recherche.html", {"requete": requete, "resultats": page})


def _preambule(slug):
    """The editable introduction: the body of the live legal page with this slug, if any."""
    from .models import LegalPage

    return LegalPage.objects.live().public().filter(slug=slug).first()


def donnees_personnelles(request):
    """The register of processing (``conseil_ess.comptes.traitements``), rendered for the public."""
    from conseil_ess.comptes import traitements

    return render(request, "home/donnees_personnelles.html", {
        "page": _preambule("donnees-personnelles"),
        "traitements": [(t, t.durees()) for t in traitements.registre()],
        "responsable": traitements.responsable(), "contact_dpo": traitements.contact_dpo(),
        "cookies": traitements.cookies(),
        "adresse_mes_donnees": traitements.ADRESSE_MES_DONNEES,
        "adresse_suppression": traitements.ADRESSE_SUPPRESSION,
    })


def accessibilite(request):
    """The accessibility statement, generated from ``home.accessibilite.DECLARATION``."""
    from .accessibilite import DECLARATION

    return render(request, "home/accessibilite.html", {"page": _preambule("accessibilite"), "d": DECLARATION})
