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
import html
import re
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

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


def _lieu(evenement):
    """Return the LOCATION text: the place, its address and commune, and the precision; or "En ligne"."""
    if evenement.mode == Evenement.Mode.EN_LIGNE:
        return _("En ligne")
    lieu = evenement.lieu
    commune = (lieu.commune if lieu and lieu.commune_id else None) or evenement.commune
    parties = []
    if lieu:
        parties += [lieu.nom, lieu.adresse]
    parties += [commune.nom if commune else "", evenement.precision_lieu]
    parties = [p.strip() for p in parties if p and p.strip()]
    if not parties and (evenement.mode == Evenement.Mode.HYBRIDE or (lieu and lieu.en_ligne)):
        return _("En ligne")
    return ", ".join(dict.fromkeys(parties))


def _geo(evenement):
    """Return (latitude, longitude) of a physical place, or None."""
    lieu = evenement.lieu
    if evenement.mode == Evenement.Mode.EN_LIGNE or lieu is None or lieu.en_ligne:
        return None
    if lieu.latitude is None or lieu.longitude is None:
        return None
    return float(lieu.latitude), float(lieu.longitude)


def _description(evenement, url):
    """Return the DESCRIPTION: the text, the status reason, the online link, and last the page's URL."""
    blocs = [texte_brut(evenement.description) or evenement.resume.strip()]
    if evenement.statut in (S.ANNULE, S.REPORTE):
        libelle = _("Événement annulé") if evenement.statut == S.ANNULE else _("Événement reporté")
        motif = evenement.motif_statut.strip()
        blocs.append(f"{libelle} : {motif}" if motif else f"{libelle}.")
    if evenement.lien_en_ligne:
        blocs.append(_("Lien de connexion : %(lien)s") % {"lien": evenement.lien_en_ligne})
    blocs.append(url)
    return "\n\n".join(b for b in blocs if b)


def _bornes(evenement):
    """Return (DTSTART, DTEND): Paris-aware datetimes, or local dates with an exclusive end."""
    debut, fin = evenement.debut.astimezone(PARIS), evenement.fin.astimezone(PARIS)
    if not evenement.journee_entiere:
        return debut, fin
    premier, lendemain = debut.date(), fin.date()
    # `fin` is the midnight after the last day; a fin inside a day still ends after that day.
    if fin.time() != datetime.time():
        lendemain += datetime.timedelta(days=1)
    return premier, max(lendemain, premier + datetime.timedelta(days=1))


def _vevent(evenement, base_url):
    url = f"{base_url}{evenement.get_absolute_url()}"
    debut, fin = _bornes(evenement)
    categories = [str(evenement.get_type_display())]
    if evenement.programme_id:
        categories.append(evenement.programme.titre)
    vevent = Event.new(
        uid=evenement.uid,
        sequence=evenement.sequence,
        stamp=evenement.modifie_le,
        created=evenement.cree_le,
        last_modified=evenement.modifie_le,
        summary=une_ligne(evenement.titre),
        description=sans_controles(_description(evenement, url)),
        start=debut,
        end=fin,
        url=url,
        location=une_ligne(_lieu(evenement)) or None,
        categories=[une_ligne(str(c)) for c in categories],
        status=STATUTS_ICAL.get(evenement.statut, "CONFIRMED"),
    )
    geo = _geo(evenement)
    if geo:
        vevent.add("GEO", geo)
    if evenement.journee_entiere:
        # A festival or an exhibition over weeks should not block the days in people's calendars.
        vevent.add("TRANSP", "TRANSPARENT")
    return vevent


def _fuseau(calendrier, evenements):
    """Add the Europe/Paris VTIMEZONE for the feed's dates only, without its COMMENT."""
    if evenements:
        premier = min(e.debut for e in evenements).astimezone(PARIS).date()
        dernier = max(e.fin for e in evenements).astimezone(PARIS).date() + datetime.timedelta(days=1)
    else:
        premier = timezone.localdate(timezone=PARIS)
        dernier = premier + datetime.timedelta(days=1)
    calendrier.add_missing_timezones(premier, dernier)
    if not calendrier.timezones:
        # Empty, or only all-day events: nothing refers to the zone, but X-WR-TIMEZONE names it.
        calendrier.subcomponents.insert(0, Timezone.from_tzid(FUSEAU, first_date=premier, last_date=dernier))
    for vtimezone in calendrier.timezones:
        vtimezone.pop("COMMENT", None)


def construire_calendrier(evenements, *, nom, base_url, description=""):
    """Return an ``icalendar.Calendar`` of ``evenements`` (any iterable), links built on ``base_url``.

    ``base_url`` is the site's origin without a trailing slash, e.g. ``https://ess.example.org``.
    """
    evenements = list(evenements)
    calendrier = Calendar.new(
        prodid=PRODID, calscale="GREGORIAN", name=une_ligne(str(nom)),
        description=une_ligne(str(description)) or None,
    )
    # `Calendar.new` gives the calendar a random UID (RFC 7986): it would change the bytes on every request.
    calendrier.pop("UID", None)
    calendrier.add("X-WR-TIMEZONE", FUSEAU)
    calendrier.add("REFRESH-INTERVAL", RAFRAICHISSEMENT, parameters={"VALUE": "DURATION"})
    calendrier.add("X-PUBLISHED-TTL", vDuration(RAFRAICHISSEMENT))
    for evenement in evenements:
        calendrier.add_component(_vevent(evenement, base_url))
    _fuseau(calendrier, evenements)
    return calendrier


def ics_evenement(evenement, base_url):
    """Return the .ics bytes of a one-event calendar ("Ajouter à mon agenda", e-mail attachment)."""
    return construire_calendrier([evenement], nom=evenement.titre, base_url=base_url).to_ical()
