"""The site's search: one query over pages, proposals, events, ateliers, minutes, séances and structures.

Each app declares what its models index (``search_fields``, normalised copies of their text:
conseil_ess/recherche.py); Wagtail's search backend (``WAGTAILSEARCH_BACKENDS``) matches the query, and
the app's own visibility rule (its queryset) decides what this person may see: the search never shows
what the pages of the apps would not. Home is above every app, so it may name them all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Subquery
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from ateliers.models import Atelier, CompteRendu
from conseil_ess.comptes.models import Structure
from conseil_ess.propositions.models import Proposition
from conseil_ess.recherche import extrait, normaliser, texte_brut
from conseil_ess.seances.models import ProcesVerbal, Seance
from evenements.filters import evenements_visibles
from evenements.models import Evenement


@dataclass(frozen=True)
class TypeResultat:
    code: str
    libelle: object
    ensemble: Callable  # user -> the queryset of what this person may see
    decrire: Callable  # object -> {"titre", "url", "date", "etat", "texte"}
    date_seule: bool = False


def _visibles(modele, visibles, *relations):
    """The model's rows among ``visibles``, as one filter Wagtail's search accepts (``pk`` in a subquery)."""
    return modele.objects.filter(pk__in=Subquery(visibles.values("pk"))).select_related(*relations)


def _page(page):
    texte = getattr(page, "intro", "") or page.search_description
    if not texte and getattr(page, "body", None):
        texte = " ".join(str(m) for m in page._meta.get_field("body").get_searchable_content(page.body))
    return {"titre": page.title, "url": page.url, "date": getattr(page, "date", None) or page.last_published_at,
            "etat": None, "texte": texte}


def _proposition(p):
    return {"titre": f"{p.reference} – {p.titre}", "url": p.get_absolute_url(), "date": p.deposee_le,
            "etat": p.get_etat_display(), "texte": " ".join(filter(None, [p.resume, p.description]))}


def _evenement(e):
    etat = e.get_statut_display() if e.statut != e.Statut.CONFIRME else None
    return {"titre": e.titre, "url": e.get_absolute_url(), "date": e.debut, "etat": etat,
            "texte": " ".join(filter(None, [e.resume, e.description, e.intervenants]))}


def _atelier(a):
    etat = _("Cycle archivé") if a.cycle.est_archive else None
    return {"titre": a.titre, "url": a.get_absolute_url(), "date": None, "etat": etat,
            "texte": " ".join(filter(None, [a.resume, a.description, a.questions])), "contexte": a.cycle.titre}


def _compte_rendu(c):
    reunion = c.reunion
    return {"titre": f"{reunion.atelier.titre} – {reunion.evenement.titre}",
            "url": reunion.get_absolute_url() + "#compte-rendu", "date": reunion.evenement.debut,
            "etat": _("Réservé aux membres de l'atelier") if c.interne else None, "texte": c.contenu}


def _seance(s):
    e = s.evenement
    return {"titre": e.titre, "url": s.get_absolute_url(), "date": e.debut, "etat": s.get_statut_display(),
            "texte": " ".join(filter(None, [e.resume, e.description, s.motif_exceptionnelle]))}


def _proces_verbal(pv):
    e = pv.seance.evenement
    return {"titre": _("Procès-verbal – %(seance)s") % {"seance": e.titre},
            "url": pv.seance.get_absolute_url() + "#proces-verbal", "date": e.debut, "etat": None,
            "texte": pv.contenu}


def _structure(s):
    return {"titre": s.nom, "url": s.get_absolute_url(), "date": None, "etat": s.get_forme_juridique_display(),
            "texte": " ".join(filter(None, [s.secteur, s.description])),
            "contexte": s.commune.nom if s.commune_id else None}


TYPES = [
    TypeResultat("pages", _("Pages du site"), lambda user: Page.objects.live().public().specific(), _page),
    TypeResultat("propositions", _("Propositions"),
                 lambda user: _visibles(Proposition, Proposition.objects.publiques()), _proposition),
    TypeResultat("evenements", _("Événements"),
                 lambda user: _visibles(Evenement, evenements_visibles(user).filter(seance__isnull=True)),
                 _evenement),
    TypeResultat("ateliers", _("Ateliers"), lambda user: _visibles(Atelier, Atelier.objects.all(), "cycle"), _atelier),
    TypeResultat("comptes-rendus", _("Comptes rendus d'atelier"),
                 lambda user: _visibles(CompteRendu, CompteRendu.objects.lisibles_par(user),
                                        "reunion__evenement", "reunion__atelier"), _compte_rendu),
    TypeResultat("seances", _("Séances plénières"),
                 lambda user: _visibles(Seance, Seance.objects.visibles_par(user), "evenement"), _seance),
    TypeResultat("proces-verbaux", _("Procès-verbaux"),
                 lambda user: _visibles(ProcesVerbal, ProcesVerbal.objects.filter(
                     statut=ProcesVerbal.Statut.PUBLIE, seance__in=Seance.objects.visibles_par(user)),
                     "seance__evenement"), _proces_verbal),
    TypeResultat("structures", _("Structures"),
                 lambda user: _visibles(Structure, Structure.objects.publiques(), "commune"), _structure),
]
PAR_CODE = {t.code: t for t in TYPES}


def chercher(type_resultat, requete, user):
    """Return the lazy search results of ``type_resultat`` for ``requete`` as ``user`` may see them."""
    termes = normaliser(requete)
    if not termes:
        return type_resultat.ensemble(user).none()
    return get_search_backend().search(termes, type_resultat.ensemble(user), operator="and")


def resultat(type_resultat, objet, requete):
    """Return what a result line shows: title, link, date, state, excerpt (plain text; the template marks it)."""
    d = type_resultat.decrire(objet)
    d["type"] = type_resultat
    d["extrait"] = Truncator(extrait(d.pop("texte") or "", requete)).chars(320)
    d["titre"] = texte_brut(str(d["titre"]))
    date = d["date"]
    if date is not None and hasattr(date, "tzinfo"):
        d["date"] = timezone.localtime(date) if timezone.is_aware(date) else date
    return d
