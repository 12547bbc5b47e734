import logging
import re

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import render

from .recherche import PAR_CODE, TYPES, chercher, resultat

logger = logging.getLogger(__name__)

LONGUEUR_MAX_REQUETE = 200
PAR_PAGE = 10
PAR_GROUPE = 3  # results shown per type before « all the results of this type »
# Control characters (NUL included) break some database backends and never belong in a query.
# Double quotes open phrase queries that SQLite's full-text engine rejects when unbalanced.
CARACTERES_A_IGNORER = re.compile(r'[\x00-\x1f\x7f"]')


def nettoyer_requete(brute):
    """Return the query without control characters nor double quotes, trimmed and cut to a reasonable length."""
    requete = CARACTERES_A_IGNORER.sub(" ", brute or "")
    return " ".join(requete.split())[:LONGUEUR_MAX_REQUETE].strip()


def recherche(request):
    """Search everything a person may see: every type's count, then either the first results of each type
    (grouped) or one type's results, paginated (``?type=``)."""
    requete = nettoyer_requete(request.GET.get("q"))
    type_choisi = PAR_CODE.get(request.GET.get("type") or "")
    contexte = {"requete": requete, "type_choisi": type_choisi, "types": [], "total": 0, "groupes": [],
                "resultats": None}
    if requete:
        try:
            contexte.update(_chercher(request, requete, type_choisi))
        except DatabaseError:
            # A query the search backend cannot parse gives « no result », not an error page.
            logger.warning("Recherche impossible pour la requête %r", requete, exc_info=True)
    return render(request, "home/recherche.html", contexte)


def _chercher(request, requete, type_choisi):
    user = request.user
    comptes = [(t, chercher(t, requete, user).count()) for t in TYPES]
    contexte = {"types": [{"type": t, "nombre": n} for t, n in comptes], "total": sum(n for _, n in comptes)}
    if type_choisi is not None:
        page = Paginator(chercher(type_choisi, requete, user), PAR_PAGE).get_page(request.GET.get("page"))
        page.object_list = [resultat(type_choisi, o, requete) for o in page.object_list]
        contexte["resultats"] = page
    else:
        contexte["groupes"] = [
            {"type": t, "nombre": n,
             "resultats": [resultat(t, o, requete) for o in chercher(t, requete, user)[:PAR_GROUPE]]}
            for t, n in comptes if n
        ]
    return contexte


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
