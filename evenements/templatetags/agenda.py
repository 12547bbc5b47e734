"""Agenda template tags: French date ranges, the subscribe block, the next events."""

import datetime
import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from ..filters import PARIS, evenements_visibles
from ..models import Evenement, TypeEvenement

register = template.Library()


# Dates and hours are formatted once per process and language: a month or a programme shows the same few
# dozen days and hours hundreds of times, and each formatting goes through several translation look-ups.
@functools.lru_cache(maxsize=2048)
def _jour_langue(jour, annee, _langue):
    numero = _("1er") if jour.day == 1 else str(jour.day)
    mois = date_format(jour, "F Y" if annee else "F")
    return f"{date_format(jour, 'l')} {numero} {mois}"


def _jour(jour, annee=True):
    """Return "mardi 3 novembre 2026" (French "1er" for the first of the month)."""
    return _jour_langue(jour, annee, get_language())


@functools.lru_cache(maxsize=512)
def _heure_langue(heures, minutes, _langue):
    if minutes:
        return _("%(h)s\u00a0h\u00a0%(m)02d") % {"h": heures, "m": minutes}
    return _("%(h)s\u00a0h") % {"h": heures}


def heure(moment):
    """Return a French clock time: "18 h 30", "9 h" (non-breaking spaces: a time never wraps)."""
    return _heure_langue(moment.hour, moment.minute, get_language())


@functools.lru_cache(maxsize=16)
def _libelles_types(_langue):
    return {valeur: str(libelle) for valeur, libelle in TypeEvenement.choices}


@register.filter
def type_evenement(evenement):
    """Return the label of the event's type, like ``get_type_display`` without its cost (lazy labels
    hashed on every call): the labels are resolved once per language."""
    return _libelles_types(get_language()).get(evenement.type, evenement.type)


@register.filter
def iso(moment):
    """Return a datetime in local time, ISO 8601 (as ``|date:"c"``), for ``<time datetime>``."""
    return timezone.localtime(moment).isoformat() if isinstance(moment, datetime.datetime) else moment.isoformat()


# The small pieces of every event card, written here rather than as included templates: an include costs
# more than the rest of a card, and a month or a programme has a hundred cards or more.
_STATUTS = {
    "annule": ("etiquette etiquette--annule", gettext_noop("Annulé")),
    "reporte": ("etiquette etiquette--attente", gettext_noop("Reporté")),
    "complet": ("etiquette etiquette--attente", gettext_noop("Complet")),
    "a_confirmer": ("etiquette etiquette--attente", gettext_noop("À confirmer")),
}


@register.filter
def etiquettes_statut(evenement):
    """The status badge (cancelled, postponed, full, to be confirmed) and the "reserved" one."""
    parties = []
    classe_libelle = _STATUTS.get(evenement.statut)
    if classe_libelle:
        parties.append(format_html('<span class="{}">{}</span>', classe_libelle[0], _(classe_libelle[1])))
    if evenement.visibilite == "membres":
        reserve = (
            _("Réservée aux membres de l'atelier")
            if getattr(evenement, "type", None) == "reunion_atelier"
            else _("Réservé aux personnes connectées")
        )
        parties.append(format_html(' <span class="etiquette">{}</span>', reserve))
    return mark_safe("".join(parties))  # noqa: S308 - pieces built by format_html


@register.filter
def lieu_court(evenement):
    """Where, in one line: the place (or its precision) and the commune; "En ligne" for an online event."""
    if evenement.mode == "en_ligne":
        return _("En ligne")
    lieu = evenement.lieu
    texte = ""
    if lieu and not lieu.en_ligne:
        texte = lieu.nom
    elif evenement.precision_lieu:
        texte = evenement.precision_lieu
    commune = evenement.commune
    if commune:
        texte = f"{texte}, {commune.nom}" if (lieu or evenement.precision_lieu) else commune.nom
    if evenement.mode == "hybride":
        texte = f"{texte} {_('et en ligne')}"
    return texte


_ACCES = (
    ("boucle_magnetique", gettext_noop("Boucle magnétique")),
    ("interpretation_lsf", gettext_noop("LSF")),
    ("sous_titrage", gettext_noop("Sous-titrage")),
    ("facile_a_lire", gettext_noop("FALC")),
)


@register.filter
def etiquettes_acces(evenement):
    """The accessibility badges of an event, as a list; nothing when it has none."""
    libelles = [_("Accessible en fauteuil roulant")] if evenement.accessibilite == "oui" else []
    libelles += [_(libelle) for champ, libelle in _ACCES if getattr(evenement, champ)]
    if not libelles:
        return ""
    items = format_html_join("", '\n  <li class="etiquette">{}</li>', ((libelle,) for libelle in libelles))
    return format_html('<ul class="acces" aria-label="{}">{}\n</ul>', _("Accessibilité"), items)


@register.filter
def structures_organisatrices(evenement):
    """Return the event's structures, read from the prefetch when there is one (no queryset per event)."""
    prefetch = getattr(evenement, "_prefetched_objects_cache", {}).get("structures")
    return list(prefetch) if prefetch is not None else list(evenement.structures.all())


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
            "premier": _jour(debut.date(), annee=debut.year != dernier.year),
            "dernier": _jour(dernier),
        }
    if dernier == debut.date():
        fin_texte = _("minuit") if fin.time() == datetime.time() else heure(fin)
        return _("%(jour)s, de %(debut)s à %(fin)s") % {
            "jour": _jour(debut.date()),
            "debut": heure(debut),
            "fin": fin_texte,
        }
    return _("du %(premier)s à %(debut)s au %(dernier)s à %(fin)s") % {
        "premier": _jour(debut.date()),
        "debut": heure(debut),
        "dernier": _jour(fin.date()),
        "fin": heure(fin),
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

    chemin = reverse("evenements:integrer") + (f"?{requete}" if requete else "")
    return {"url": context["request"].build_absolute_uri(chemin)}


# What a line of ``prochains_evenements`` shows: its link, dates, place (``lieu_court``) and badges.
_CHAMPS_PROCHAINS = (
    "titre", "slug", "type", "debut", "fin", "journee_entiere", "mode", "precision_lieu", "statut", "visibilite",
    "lieu__nom", "lieu__en_ligne", "commune__nom",
)


@register.inclusion_tag("evenements/includes/prochains_evenements.html", takes_context=True)
def prochains_evenements(context, n=3):
    """Render the next ``n`` published public events (home page): only the fields their lines show."""
    evenements = (
        evenements_visibles(None)
        .a_venir()
        .filter(parent__isnull=True)
        .exclude(statut=Evenement.Statut.ANNULE)
        .select_related("lieu", "commune")
        .only(*_CHAMPS_PROCHAINS)
        .order_by("debut", "pk")[: int(n)]
    )
    return {"evenements": evenements, "request": context.get("request")}


@functools.lru_cache(maxsize=32)
def _modele_url_evenement(_urlconf, _prefixe):
    return reverse("evenements:detail", args=["jalon-de-slug"])


def url_evenement(evenement):
    """``evenement.get_absolute_url()`` without a ``reverse`` per event (the pattern is resolved once)."""
    return _modele_url_evenement(get_urlconf(), get_script_prefix()).replace("jalon-de-slug", evenement.slug)


@register.simple_tag
def carte_evenement(evenement, niveau=2, horaire_seul=False, sans_programme=False):
    """Render an event's card (lists, month, programme, embeds), written here rather than in a template: a
    month or a large programme holds a hundred cards or more, and the template engine made them most of the
    page's cost. Its text is escaped by ``format_html``; ``niveau``: its heading level (2 or 3)."""
    annule = evenement.statut == "annule"
    titre = format_html(
        '<h{niveau} class="evenement__titre"><a href="{url}">{annonce}{titre}</a></h{niveau}>',
        niveau=3 if niveau == 3 else 2,
        url=url_evenement(evenement),
        annonce=format_html('<span class="sr-only">{} </span>', _("Annulé :")) if annule else "",
        titre=evenement.titre,
    )
    quand = horaire(evenement) if horaire_seul else plage_dates(evenement)
    prix = _("Gratuit") if evenement.gratuit else (evenement.tarif or _("Payant"))
    programme = evenement.programme if evenement.programme_id and not sans_programme else None
    structures = structures_organisatrices(evenement)
    orga = ""
    if structures or evenement.organisateurs_texte:
        noms = [s.nom for s in structures] + ([evenement.organisateurs_texte] if evenement.organisateurs_texte else [])
        orga = format_html('\n  <p class="evenement__orga">{} {}</p>', _("Organisé par"), ", ".join(noms))
    return format_html(
        '<article class="carte evenement{classe}">\n  {titre}\n'
        '  <p class="evenement__quand"><time datetime="{iso}">{quand}</time></p>\n'
        '  <p class="evenement__ou">{ou}</p>\n'
        '  <p class="evenement__infos"><span class="etiquette">{type}</span>\n    {statut}\n'
        '    <span class="etiquette">{prix}</span>{programme}</p>{orga}{resume}{motif}\n  {acces}\n</article>',
        classe=" evenement--annule" if annule else "",
        titre=titre,
        iso=iso(evenement.debut),
        quand=quand,
        ou=lieu_court(evenement),
        type=type_evenement(evenement),
        statut=etiquettes_statut(evenement),
        prix=prix,
        programme=format_html('\n    <span class="etiquette">{}</span>', programme.titre) if programme else "",
        orga=orga,
        resume=format_html("\n  <p>{}</p>", evenement.resume) if evenement.resume else "",
        motif=format_html('\n  <p class="evenement__motif">{}</p>', evenement.motif_statut)
        if annule and evenement.motif_statut
        else "",
        acces=etiquettes_acces(evenement),
    )
