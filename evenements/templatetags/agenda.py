"""Agenda template tags: French date ranges, the subscribe block, the next events."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..filters import PARIS, evenements_visibles
from ..models import Evenement

register = template.Library()


def _jour(jour, annee=True):
    """Return "mardi 3 novembre 2026" (French "1er" for the first of the month)."""
    numero = _("1er") if jour.day == 1 else str(jour.day)
    mois = date_format(jour, "F Y" if annee else "F")
    return f"{date_format(jour, 'l')} {numero} {mois}"


def heure(moment):
    """Return a French clock time: "18 h 30", "9 h" (non-breaking spaces: a time never wraps)."""
    if moment.minute:
        return _("%(h)s\u00a0h\u00a0%(m)02d") % {"h": moment.hour, "m": moment.minute}
    return _("%(h)s\u00a0h") % {"h": moment.hour}


def bornes_locales(evenement):
    """Return the local start, the local end and the last local day an event covers (``fin`` is exclusive)."""
    debut = timezone.localtime(evenement.debut, PARIS)
    fin = timezone.localtime(evenement.fin, PARIS)
    return debut, fin, (fin - datetime.timedelta(microseconds=1)).date()


def sur_plusieurs_jours(evenement):
    debut, _fin, dernier = bornes_locales(evenement)
    return dernier != debut.date()


@register.filter
def plage_dates(evenement):
    """Return when an event takes place, in French, in Europe/Paris time."""
    debut, fin, dernier = bornes_locales(evenement)
    if evenement.journee_entiere:
        if dernier == debut.date():
            return _("%(jour)s, toute la journée") % {"jour": _jour(debut.date())}
        return _("du %(premier)s au %(dernier)s") % {
            "premier": _jour(debut.date(), annee=debut.year != dernier.year), "dernier": _jour(dernier),
        }
    if dernier == debut.date():
        fin_texte = _("minuit") if fin.time() == datetime.time() else heure(fin)
        return _("%(jour)s, de %(debut)s à %(fin)s") % {"jour": _jour(debut.date()), "debut": heure(debut),
                                                        "fin": fin_texte}
    return _("du %(premier)s à %(debut)s au %(dernier)s à %(fin)s") % {
        "premier": _jour(debut.date()), "debut": heure(debut), "dernier": _jour(fin.date()), "fin": heure(fin),
    }


@register.filter
def horaire(evenement):
    """Return the time of day of an event for a list grouped by day: "18 h 30 – 21 h" or "Toute la journée"."""
    if evenement.journee_entiere:
        return _("Toute la journée")
    debut, fin, dernier = bornes_locales(evenement)
    if dernier != debut.date():
        return plage_dates(evenement)
    return f"{heure(debut)} – {heure(fin)}"


@register.filter
def jour_long(jour):
    return _jour(jour)


@register.filter
def horaire_creneau(creneau):
    """Return a time slot's hours: "10 h 45 – 12 h 30"."""
    return f"{heure(timezone.localtime(creneau.debut, PARIS))} – {heure(timezone.localtime(creneau.fin, PARIS))}"


@register.filter
def periode_programme(programme):
    """Return a programme's days: "jeudi 4 février 2027" or "du dimanche 1er novembre au lundi 30 novembre 2026"."""
    if programme.date_debut == programme.date_fin:
        return _jour(programme.date_debut)
    return _("du %(premier)s au %(dernier)s") % {
        "premier": _jour(programme.date_debut, annee=programme.date_debut.year != programme.date_fin.year),
        "dernier": _jour(programme.date_fin),
    }


@register.filter
def webcal(url):
    """Return the ``webcal://`` twin of an http(s) URL (calendar apps subscribe to it)."""
    return "webcal://" + url.split("://", 1)[-1]


@register.inclusion_tag("evenements/includes/abonnement.html", takes_context=True)
def abonnement(context, chemin, titre=None, identifiant="abonnement"):
    """Render the "S'abonner" block for the iCal feed at ``chemin`` (a path, with its query string)."""
    url = context["request"].build_absolute_uri(chemin)
    return {"url": url, "url_webcal": webcal(url), "titre": titre, "identifiant": identifiant}


@register.inclusion_tag("evenements/includes/integration.html", takes_context=True)
def integration(context, requete=""):
    """Render the "Intégrer à votre site" block: the <iframe> snippet of /agenda/integrer/ with these filters."""
    from django.urls import reverse

    chemin = reverse("evenements:integrer") + (f"?{requete}" if requete else "")
    return {"url": context["request"].build_absolute_uri(chemin)}


@register.inclusion_tag("evenements/includes/prochains_evenements.html", takes_context=True)
def prochains_evenements(context, n=3):
    """Render the next ``n`` published public events (home page)."""
    evenements = (
        evenements_visibles(None).a_venir().filter(parent__isnull=True).exclude(statut=Evenement.Statut.ANNULE)
        .pour_liste().order_by("debut", "pk")[: int(n)]
    )
    return {"evenements": evenements, "request": context.get("request")}
