"""Data and parsing helpers for the iCalendar tests (builder, feeds, real clients). Imported explicitly."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from icalendar import Calendar

from evenements.models import Evenement, Lieu, Programme
from tests.factories import CommuneFactory

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
BASE_URL = "https://ess.example.org"
_numeros = itertools.count(1)


def paris(annee, mois, jour, heure=0, minute=0):
    """Return an aware Europe/Paris datetime."""
    return datetime.datetime(annee, mois, jour, heure, minute, tzinfo=PARIS)


def creer_lieu(**kwargs):
    n = next(_numeros)
    valeurs = {
        "nom": f"Salle des fêtes {n}", "slug": f"salle-{n}", "adresse": f"{n} rue de la Lère",
        "commune": CommuneFactory(nom=f"Lanvallon {n}", slug=f"lanvallon-{n}"),
        "latitude": "48.117266", "longitude": "-1.677793",
    }
    valeurs.update(kwargs)
    return Lieu.objects.create(**valeurs)


def creer_programme(**kwargs):
    n = next(_numeros)
    valeurs = {
        "titre": f"Mois de l'ESS 2026 ({n})", "slug": f"mois-ess-{n}", "type": Programme.Type.MOIS_ESS,
        "date_debut": datetime.date(2026, 11, 1), "date_fin": datetime.date(2026, 11, 30),
    }
    valeurs.update(kwargs)
    return Programme.objects.create(**valeurs)


def creer_evenement(**kwargs):
    """Create a published, public, confirmed event on 28 March 2026, 18:00–20:00 Paris (overridable)."""
    n = next(_numeros)
    valeurs = {
        "titre": f"Rencontre {n}", "slug": f"rencontre-{n}", "type": "conference",
        "debut": paris(2026, 3, 28, 18), "fin": paris(2026, 3, 28, 20),
        "publication": Evenement.Publication.PUBLIE,
    }
    valeurs.update(kwargs)
    return Evenement.objects.create(**valeurs)


def creer_en_masse(n, **kwargs):
    """Create ``n`` published events at once (bulk_create: UID and slug given here, as save() would)."""
    debut = paris(2026, 11, 2, 18)
    premier = next(_numeros)
    evenements = [
        Evenement(
            titre=f"Atelier {premier}-{i}", slug=f"atelier-{premier}-{i}", uid=f"atelier-{premier}-{i}@test",
            type="atelier", publication=Evenement.Publication.PUBLIE,
            debut=debut + datetime.timedelta(hours=i), fin=debut + datetime.timedelta(hours=i, minutes=90),
            **kwargs,
        )
        for i in range(n)
    ]
    return Evenement.objects.bulk_create(evenements)


def analyser(contenu):
    """Parse .ics bytes with icalendar (our own reader of what clients receive)."""
    return Calendar.from_ical(contenu)


def vevents(calendrier):
    """Return the calendar's VEVENTs by UID."""
    return {str(e["UID"]): e for e in calendrier.walk("VEVENT")}


def lignes(contenu):
    """Return the unfolded content lines of .ics bytes (RFC 5545 §3.1)."""
    return contenu.decode().replace("\r\n ", "").split("\r\n")
