"""The one iCalendar builder of the platform: feeds, "Ajouter à mon agenda" downloads, e-mail attachments.

Choices that calendar clients need (see ``PITFALLS.md``, section iCalendar):

- no METHOD, ORGANIZER, ATTENDEE or VALARM: a published feed, not an invitation (libical rejects
  ``METHOD:PUBLISH`` without ORGANIZER, and ORGANIZER makes some clients write to the organiser);
- every value derives from the database (UID, DTSTAMP = ``modifie_le``), never from the clock or a
  random generator, so an unchanged feed is byte-identical between two requests (ETags);
- timed events carry ``TZID=Europe/Paris`` with a VTIMEZONE limited to the feed's dates (the default
  1970–2038 one is misread by some clients), without the COMMENT that libical rejects;
- all-day events are ``VALUE=DATE`` with an exclusive DTEND, like ``Evenement.fin``.
"""

import datetime
import functools
import html
import re
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, vDuration

from conseil_ess.champs import sans_controles, une_ligne
from conseil_ess.sanitizer import texte_seul

from .models import Evenement

PRODID = "-//Conseil ESS Rivebelle//Agenda//FR"
FUSEAU = "Europe/Paris"
PARIS = ZoneInfo(FUSEAU)
# How often subscribed clients should fetch a feed again (RFC 7986 and the older Microsoft name).
RAFRAICHISSEMENT = datetime.timedelta(hours=6)

S = Evenement.Statut
STATUTS_ICAL = {
    S.CONFIRME: "CONFIRMED",
    S.COMPLET: "CONFIRMED",
    S.A_CONFIRMER: "TENTATIVE",
    S.REPORTE: "TENTATIVE",
    S.ANNULE: "CANCELLED",
}

# Where the text of sanitized HTML breaks: after a block (blank line) or at <br> (new line). List items
# already end with a line break once stripped.
_FIN_DE_BLOC = re.compile(r"</(?:p|h[1-6]|blockquote|pre|ul|ol)\s*>|<hr\s*/?>", re.IGNORECASE)
_SAUT_DE_LIGNE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LIGNES_VIDES = re.compile(r"\n{2,}")


def texte_brut(valeur):
    """Return ``valeur`` (sanitized HTML) as plain text: blank line between paragraphs, entities decoded."""
    balise = _FIN_DE_BLOC.sub(lambda m: m.group(0) + "\n\n", valeur or "")
    texte = html.unescape(texte_seul(_SAUT_DE_LIGNE.sub("\n", balise)))
    lignes = [" ".join(ligne.split()) for ligne in texte.splitlines()]
    return _LIGNES_VIDES.sub("\n\n", "\n".join(lignes)).strip()


# The columns a feed reads (``QuerySet.values``): no model instances, no prefetch.
COLONNES = (
    "uid", "slug", "sequence", "cree_le", "modifie_le", "titre", "resume", "description", "statut", "motif_statut",
    "lien_en_ligne", "debut", "fin", "journee_entiere", "type", "mode", "precision_lieu", "programme__titre",
    "commune__nom", "lieu_id", "lieu__nom", "lieu__adresse", "lieu__en_ligne", "lieu__latitude", "lieu__longitude",
    "lieu__commune__nom",
)


def colonnes(qs):
    """Return the rows of ``qs`` that the builder reads (one query, no model instances)."""
    return qs.values(*COLONNES)


def ligne(evenement):
    """Return the row of one ``Evenement`` instance, as ``colonnes`` would give it."""
    lieu, commune, programme = evenement.lieu, evenement.commune, evenement.programme
    lieu_commune = lieu.commune if lieu and lieu.commune_id else None
    rangee = {c: getattr(evenement, c) for c in COLONNES if "__" not in c}
    rangee.update({
        "programme__titre": programme.titre if programme else None,
        "commune__nom": commune.nom if commune else None,
        "lieu__nom": lieu.nom if lieu else None, "lieu__adresse": lieu.adresse if lieu else None,
        "lieu__en_ligne": lieu.en_ligne if lieu else None, "lieu__latitude": lieu.latitude if lieu else None,
        "lieu__longitude": lieu.longitude if lieu else None,
        "lieu__commune__nom": lieu_commune.nom if lieu_commune else None,
    })
    return rangee


def _lieu(e, en_ligne):
    """Return the LOCATION text: the place, its address and commune, and the precision; or "En ligne"."""
    if e["mode"] == Evenement.Mode.EN_LIGNE:
        return en_ligne
    a_un_lieu = e["lieu_id"] is not None
    parties = [e["lieu__nom"], e["lieu__adresse"]] if a_un_lieu else []
    parties += [e["lieu__commune__nom"] or e["commune__nom"] or "", e["precision_lieu"]]
    parties = [p.strip() for p in parties if p and p.strip()]
    if not parties and (e["mode"] == Evenement.Mode.HYBRIDE or (a_un_lieu and e["lieu__en_ligne"])):
        return en_ligne
    return ", ".join(dict.fromkeys(parties))


def _geo(e):
    """Return "latitude;longitude" of a physical place, or None."""
    if e["mode"] == Evenement.Mode.EN_LIGNE or e["lieu_id"] is None or e["lieu__en_ligne"]:
        return None
    if e["lieu__latitude"] is None or e["lieu__longitude"] is None:
        return None
    return f"{float(e['lieu__latitude'])};{float(e['lieu__longitude'])}"


@functools.lru_cache(maxsize=4096)
def _texte_de_description(description):
    """The plain text of a sanitized description, kept per process: many events share a description, and
    the same ones are read at every build of a feed (bleach is the costliest step of a build)."""
    return sans_controles(texte_brut(description))


def _une_ligne(valeur):
    return valeur if valeur.isprintable() else une_ligne(valeur)


def _multiligne(valeur):
    return valeur if valeur.isprintable() else sans_controles(valeur)


def _description(e, url, libelles):
    """Return the DESCRIPTION: the text, the status reason, the online link, and last the page's URL."""
    blocs = [_texte_de_description(e["description"]) if e["description"] else ""]
    if not blocs[0]:
        blocs[0] = _multiligne(e["resume"].strip())
    if e["statut"] in (S.ANNULE, S.REPORTE):
        libelle = libelles["annule"] if e["statut"] == S.ANNULE else libelles["reporte"]
        motif = e["motif_statut"].strip()
        blocs.append(_multiligne(f"{libelle} : {motif}" if motif else f"{libelle}."))
    if e["lien_en_ligne"]:
        blocs.append(_multiligne(libelles["lien"] % {"lien": e["lien_en_ligne"]}))
    blocs.append(_multiligne(url))
    return "\n\n".join(b for b in blocs if b)


def _bornes(e):
    """Return (DTSTART, DTEND): Paris-aware datetimes, or local dates with an exclusive end."""
    debut, fin = e["debut"].astimezone(PARIS), e["fin"].astimezone(PARIS)
    if not e["journee_entiere"]:
        return debut, fin
    premier, lendemain = debut.date(), fin.date()
    # `fin` is the midnight after the last day; a fin inside a day still ends after that day.
    if fin.time() != datetime.time():
        lendemain += datetime.timedelta(days=1)
    return premier, max(lendemain, premier + datetime.timedelta(days=1))


# --- Writing the text (RFC 5545), as icalendar writes it -------------------------------------------------


def _echapper(texte):
    """TEXT escaping (RFC 5545 §3.3.11), the same replacements as icalendar's, in the same order."""
    return (
        texte.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def _plier(ligne, limite=75):
    """Fold a content line into lines of less than 75 octets (RFC 5545 §3.1), as icalendar folds them:
    never inside a character, never right after a backslash (a TEXT escape stays on one line)."""
    if len(ligne) < limite // 4 or len(ligne.encode()) < limite:
        return ligne
    morceaux, courant, octets = [], [], 0
    for caractere in ligne:
        taille = 1 if caractere < "\x80" else len(caractere.encode())
        if courant and octets + taille >= limite:
            if len(courant) > 1 and courant[-1] in "\\^":
                reste = courant.pop()
                morceaux.append("".join(courant))
                courant, octets = [reste], len(reste.encode())
            else:
                morceaux.append("".join(courant))
                courant, octets = [], 0
        courant.append(caractere)
        octets += taille
    morceaux.append("".join(courant))
    return "\r\n ".join(morceaux)


def _utc(moment):
    m = moment.astimezone(datetime.UTC)
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}Z"


def _date_ou_heure(nom, valeur):
    if isinstance(valeur, datetime.datetime):
        v = valeur
        return (f"{nom};TZID={FUSEAU}:{v.year:04d}{v.month:02d}{v.day:02d}T"
                f"{v.hour:02d}{v.minute:02d}{v.second:02d}")
    return f"{nom};VALUE=DATE:{valeur.year:04d}{valeur.month:02d}{valeur.day:02d}"


def _vevent(e, base_url, chemin, types, libelles):
    """Return the VEVENT lines of one row, properties in icalendar's order (canonical ones, then by name)."""
    url = base_url + chemin.replace(_JALON, e["slug"])
    debut, fin = _bornes(e)
    categories = [types.get(e["type"], e["type"])]
    if e["programme__titre"] is not None:
        categories.append(e["programme__titre"])
    modifie = _utc(e["modifie_le"])
    lieu = _une_ligne(_lieu(e, libelles["en_ligne"]))
    geo = _geo(e)
    lignes = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _echapper(_une_ligne(e["titre"])),
        _date_ou_heure("DTSTART", debut),
        _date_ou_heure("DTEND", fin),
        "DTSTAMP:" + modifie,
        "UID:" + _echapper(e["uid"]),
        f"SEQUENCE:{e['sequence']}",
        "CATEGORIES:" + ",".join(_echapper(_une_ligne(c)) for c in categories),
        "CREATED:" + _utc(e["cree_le"]),
        "DESCRIPTION:" + _echapper(_description(e, url, libelles)),
    ]
    if geo:
        lignes.append("GEO:" + geo)
    lignes.append("LAST-MODIFIED:" + modifie)
    if lieu:
        lignes.append("LOCATION:" + _echapper(lieu))
    lignes.append("STATUS:" + STATUTS_ICAL.get(e["statut"], "CONFIRMED"))
    if e["journee_entiere"]:
        # A festival or an exhibition over weeks should not block the days in people's calendars.
        lignes.append("TRANSP:TRANSPARENT")
    lignes.append("URL:" + url)
    lignes.append("END:VEVENT")
    return "\r\n".join(_plier(ligne) for ligne in lignes)


@functools.lru_cache(maxsize=64)
def _vtimezone(premier, dernier):
    """Return the Europe/Paris VTIMEZONE for these dates only, without its COMMENT (libical rejects it)."""
    vtimezone = Timezone.from_tzid(FUSEAU, first_date=premier, last_date=dernier)
    vtimezone.pop("COMMENT", None)
    return vtimezone.to_ical()


_JALON = "jalon-de-slug"


class CalendrierIcs:
    """A built calendar: ``to_ical()`` gives its bytes (the interface of ``icalendar.Calendar``)."""

    def __init__(self, octets):
        self.octets = octets

    def to_ical(self):
        return self.octets


def construire_calendrier(evenements, *, nom, base_url, description=""):
    """Return the calendar of ``evenements`` (``Evenement`` instances, or rows of ``colonnes``), links built on
    ``base_url``; ``.to_ical()`` gives its bytes.

    ``base_url`` is the site's origin without a trailing slash, e.g. ``https://ess.example.org``.
    The calendar's head and its VTIMEZONE come from icalendar; the events are written here, property by
    property as icalendar writes them, without its per-value objects (5 to 10 times faster for a feed).
    """
    rangees = [e if isinstance(e, dict) else ligne(e) for e in evenements]
    calendrier = Calendar.new(
        prodid=PRODID, calscale="GREGORIAN", name=une_ligne(str(nom)),
        description=une_ligne(str(description)) or None,
    )
    # `Calendar.new` gives the calendar a random UID (RFC 7986): it would change the bytes on every request.
    calendrier.pop("UID", None)
    calendrier.add("X-WR-TIMEZONE", FUSEAU)
    calendrier.add("REFRESH-INTERVAL", RAFRAICHISSEMENT, parameters={"VALUE": "DURATION"})
    calendrier.add("X-PUBLISHED-TTL", vDuration(RAFRAICHISSEMENT))
    tete = calendrier.to_ical()
    fin_calendrier = b"END:VCALENDAR\r\n"
    assert tete.endswith(fin_calendrier)
    # One VTIMEZONE for the feed's dates only (the default 1970–2038 one is misread by some clients); an
    # empty feed, or one of all-day events only, carries it too (X-WR-TIMEZONE names it).
    if rangees:
        premier = min(e["debut"] for e in rangees).astimezone(PARIS).date()
        dernier = max(e["fin"] for e in rangees).astimezone(PARIS).date() + datetime.timedelta(days=1)
    else:
        premier = timezone.localdate(timezone=PARIS)
        dernier = premier + datetime.timedelta(days=1)
    types = {valeur: str(libelle) for valeur, libelle in Evenement._meta.get_field("type").flatchoices}
    libelles = {
        "annule": _("Événement annulé"), "reporte": _("Événement reporté"), "lien": _("Lien de connexion : %(lien)s"),
        "en_ligne": _("En ligne"),
    }
    chemin = reverse("evenements:detail", args=[_JALON])
    texte = "".join(_vevent(e, base_url, chemin, types, libelles) + "\r\n" for e in rangees)
    return CalendrierIcs(tete[: -len(fin_calendrier)] + _vtimezone(premier, dernier) + texte.encode() + fin_calendrier)


def ics_evenement(evenement, base_url):
    """Return the .ics bytes of a one-event calendar ("Ajouter à mon agenda", e-mail attachment)."""
    return construire_calendrier([evenement], nom=evenement.titre, base_url=base_url).to_ical()
