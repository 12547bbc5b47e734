"""Ateliers template tags: French dates, the status badge of a meeting, the card of an atelier and the meetings'
lines of an atelier's page."""

import datetime
import functools
from types import SimpleNamespace

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from conseil_ess.prechargement import lies
from conseil_ess.widgets import echapper
from evenements.filters import PARIS
from evenements.templatetags.agenda import etiquettes_statut, heure, iso, jour_long, lieu_court, plage_dates

register = template.Library()


@register.filter
def date_longue(jour):
    """Return a French date without the weekday: "1er janvier 2026", "19 mars 2026"."""
    if not jour:
        return ""
    if isinstance(jour, datetime.datetime):
        jour = timezone.localtime(jour, PARIS).date()
    numero = _("1er") if jour.day == 1 else str(jour.day)
    return f"{numero} {date_format(jour, 'F Y')}"


@functools.lru_cache(maxsize=2048)
def _jour_heure_langue(moment, _langue):
    local = timezone.localtime(moment, PARIS)
    return _("%(jour)s à %(heure)s") % {"jour": jour_long(local.date()), "heure": heure(local)}


@register.filter
def jour_heure(moment):
    """Return a French date and time in Europe/Paris: "mardi 12 janvier 2027 à 18 h" (once per process, moment and
    language, as the agenda's days and hours: the cards of a cycle show the same meetings on every request)."""
    if not moment:
        return ""
    return _jour_heure_langue(moment, get_language())


@register.filter
def statut_seul(evenement):
    """Return what the agenda's status badge needs of ``evenement``, without its visibility.

    The agenda's badge says "réservé aux personnes connectées"; an atelier meeting is reserved to
    the atelier's members, which the ateliers' templates say themselves.
    """
    return SimpleNamespace(statut=evenement.statut, visibilite="public")


# --- The card of an atelier (lists) --------------------------------------------------------------------

JALON = "jalon-de-slug"


@functools.lru_cache(maxsize=32)
def _modeles_url(_urlconf, _prefixe):
    return reverse("ateliers:detail", args=[JALON]), reverse("ateliers:reunion", args=[JALON, 0])


def url_atelier(slug):
    """``atelier.get_absolute_url()`` without a ``reverse`` per atelier (the pattern is resolved once)."""
    return _modeles_url(get_urlconf(), get_script_prefix())[0].replace(JALON, slug)


def urls_ateliers():
    """``url_atelier`` for a list: a function of the slug, the pattern looked up once for the list (reading the
    request's URL configuration and script prefix is two lookups of asgiref's ``Local``)."""
    modele = _modeles_url(get_urlconf(), get_script_prefix())[0]
    return lambda slug: modele.replace(JALON, slug)


def url_reunion(slug, pk):
    """The URL of meeting ``pk`` of the atelier ``slug``, without a ``reverse`` per card: the meeting's ``0`` of the
    resolved pattern replaced (the last one: a slug "0" is not touched)."""
    debut, _zero, fin = _modeles_url(get_urlconf(), get_script_prefix())[1].rpartition("/0/")
    return f"{debut.replace(JALON, slug)}/{pk}/{fin}"


@functools.lru_cache(maxsize=16)
def _libelles(_langue):
    """The cards' fixed texts in the current language, escaped (translated constants: a page of twenty cards asked
    for each of them twenty times)."""
    return {cle: echapper(texte) for cle, texte in (
        ("champs", _("Champs d'action")), ("membres", _("Membres")), ("reunion", _("Prochaine réunion")),
        ("aucune", _("Aucune réunion programmée")), ("sur_demande", _("adhésion sur demande")),
    )}


@functools.lru_cache(maxsize=512)
def _texte_champ(numero, libelle, _langue):
    return echapper(_("Champ %(numero)s : %(libelle)s") % {"numero": numero, "libelle": libelle})


@functools.lru_cache(maxsize=64)
def _texte_animation(n, _langue):
    return echapper(ngettext("Animateur·rice", "Animateur·rice·s", n))


@functools.lru_cache(maxsize=512)
def _texte_membres(n, _langue):
    return echapper(ngettext("%(n)s membre", "%(n)s membres", n) % {"n": n})


@register.simple_tag
def carte_atelier(atelier, niveau=3):
    """Render an atelier's card, written here rather than in an included template (a cycle's list holds tens of
    cards, and the template engine made them most of the page's cost). Every text is escaped here (``echapper``:
    ``conditional_escape``'s characters), with f-strings rather than ``format_html`` (its escaping of each argument
    through the lazy-text wrappers was half of a card); ``atelier`` comes from
    ``filters.precharger_cartes`` (member count and next meeting set); ``niveau``: the level of its heading (3 or
    4). Translated texts are looked up and escaped once per language (pure functions)."""
    langue = get_language()
    libelles = _libelles(langue)
    champs = "".join(f'<li class="etiquette">{_texte_champ(c.numero, c.libelle_court, langue)}</li>'
                     for c in lies(atelier, "champs"))
    animateurs = lies(atelier, "animateurs")
    animation = ""
    if animateurs:
        animation = (f"<dt>{_texte_animation(len(animateurs), langue)}</dt>\n"
                     f"    <dd>{echapper(', '.join(a.nom_public for a in animateurs))}</dd>")
    membres = _texte_membres(atelier.nb_membres, langue)
    if atelier.mode_adhesion != atelier.Adhesion.OUVERT:
        membres = f"{membres} · {libelles['sur_demande']}"
    if atelier.prochaine_reunion:
        prochaine = (f'<a href="{echapper(url_reunion(atelier.slug, atelier.prochaine_reunion_pk))}">'
                     f'<time datetime="{echapper(iso(atelier.prochaine_reunion))}">'
                     f"{echapper(jour_heure(atelier.prochaine_reunion))}</time></a>")
    else:
        prochaine = libelles["aucune"]
    h = "h4" if niveau == 4 else "h3"
    resume = f"<p>{echapper(atelier.resume)}</p>\n  " if atelier.resume else ""
    return mark_safe(  # noqa: S308 - every text is escaped above
        '<article class="carte carte-atelier">\n'
        f'  <{h} class="carte-atelier__titre"><a href="{echapper(url_atelier(atelier.slug))}">'
        f"{echapper(atelier.titre)}</a></{h}>\n"
        f"  {resume}"
        f'<ul class="etiquettes" aria-label="{libelles["champs"]}">{champs}</ul>\n'
        '  <dl class="fiche fiche--compacte">\n'
        f"    {animation}\n"
        f"    <dt>{libelles['membres']}</dt>\n    <dd>{membres}</dd>\n"
        f"    <dt>{libelles['reunion']}</dt>\n    <dd>{prochaine}</dd>\n"
        "  </dl>\n</article>"
    )


# --- The meetings' lines of an atelier's page -----------------------------------------------------------------

@functools.lru_cache(maxsize=16)
def _libelles_reunions(_langue):
    """The meetings' lines' fixed texts in the current language. Not escaped, as ``{% translate "…" %}`` does not
    escape a literal (the catalog is trusted)."""
    return {
        "reservee": _("Réservée aux membres de l'atelier"),
        "non_saisie": _("Participation non encore saisie"),
        "lire": _("Lire le compte rendu"),
    }


@functools.lru_cache(maxsize=256)
def _texte_participants(n, _langue):
    return ngettext("%(n)s participant·e", "%(n)s participant·e·s", n) % {"n": n}


def _ligne_reunion(reunion, slug, passee, libelles, langue):
    evenement = reunion.evenement
    url = url_reunion(slug, reunion.pk)
    quand = echapper(plage_dates(evenement))
    annule = evenement.est_annule
    lisible = reunion.compte_rendu_lisible
    html = [
        '<li class="reunion-ligne evenement--annule">' if annule else '<li class="reunion-ligne">',
        f'<p class="reunion-ligne__quand"><a href="{echapper(url)}"><time datetime="{iso(evenement.debut)}">{quand}'
        f'</time></a></p>\n<p class="reunion-ligne__infos">{echapper(lieu_court(evenement))}\n\n  ',
        # The agenda's status badge alone: the atelier's own "reserved" badge follows.
        etiquettes_statut(statut_seul(evenement)),
        "\n\n  ",
    ]
    if evenement.visibilite == "membres":
        html.append(f'<span class="etiquette">{libelles["reservee"]}</span>')
    html.append("</p>\n")
    if evenement.motif_statut and evenement.statut != "confirme":
        html.append(f'<p class="evenement__motif">{echapper(evenement.motif_statut)}</p>')
    html.append("\n")
    if passee and (not annule or lisible):
        html.append('<p class="reunion-ligne__bilan">')
        if not annule:
            n = reunion.nb_participants
            html.append(_texte_participants(n, langue) if reunion.presences_saisies_le or n
                        else libelles["non_saisie"])
            if lisible:
                html.append(" · ")
        if lisible:
            sr = _("de la réunion du %(quand)s") % {"quand": quand}
            html.append(f'<a href="{echapper(url)}#compte-rendu">{libelles["lire"]}'
                        f'<span class="sr-only"> {sr}</span></a>')
        html.append("</p>")
    html.append("\n</li>")
    return "".join(html)


@register.simple_tag
def lignes_reunions(reunions, slug, passee=False):
    """Render the ``<li>`` lines of an atelier's meetings (the atelier ``slug``), written here rather than by an
    included template per meeting. Each meeting carries ``compte_rendu_lisible`` (set by the view); ``passee``:
    held meetings, whose lines tell the attendance and link to readable minutes. Same HTML as the former
    template ``ateliers/includes/reunion_ligne.html`` (kept under tests/ateliers/anciens_gabarits, tested); every
    value is escaped."""
    langue = get_language()
    libelles = _libelles_reunions(langue)
    return mark_safe("".join(  # noqa: S308 - every value escaped in _ligne_reunion
        _ligne_reunion(reunion, slug, passee, libelles, langue) for reunion in reunions))
