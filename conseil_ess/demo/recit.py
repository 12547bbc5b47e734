"""The calendar of the demo's story: which year it tells, and where each written date falls that year.

The data files (``donnees/*.toml``) are written once, for the story of 2026: plenaries in March, June and
December 2026, the Mois de l'ESS in November 2026, the Assises in February 2027, older proposals back to
2021, and the next cycle (the Mois de l'ESS and the December plenary of 2027). A ``Recit`` moves that
story to the year it tells:

- **the year**: the year of the most recent Mois de l'ESS that has begun on the day of loading (loaded on
  2027-03-01, the story is 2026; on 2027-11-10, it is 2027), unless pinned (``--annee-reference``);
- **the dates**: every written date moves by whole weeks (the multiple of 7 days closest to the years
  between), so weekdays stay as written; a date that would leave its month (the Mois de l'ESS stays in
  November, the Assises in February) or fall on a French public holiday moves to the nearest week of its
  month that is not one (one week back or forth, else two…);
- **the present**: ``maintenant`` is the instant of loading. What is dated after it has not happened yet:
  the loaders ask ``passe()`` before recording attendance, results, minutes or a step of a proposal;
- **the texts**: ``{an}``, ``{an+1}``, ``{an-2}``… become years of the story, ``{date:2026-03-26}`` the
  moved date in words (« 26 mars 2026 ») and ``{jour:2026-03-26}`` with its weekday (« jeudi 26 mars
  2026 »). Other braces (``{P10}``, ``{programme:…}``) are left for the loaders.
"""

import datetime
import re
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone, translation
from django.utils.formats import date_format

PARIS = ZoneInfo("Europe/Paris")
ANNEE_ECRITE = 2026  # the year the data files are written for
ANNEE_MIN, ANNEE_MAX = 2000, 2100
ANNEE = re.compile(r"\{an(?:([+-])(\d+))?\}")
DATE = re.compile(r"\{(date|jour):(\d{4}-\d\d-\d\d)\}")


def annee_du_recit(jour):
    """Return the year of the most recent Mois de l'ESS (1–30 November) that has begun on ``jour``."""
    return jour.year if jour >= datetime.date(jour.year, 11, 1) else jour.year - 1


class Recit:
    """The demo's story told in ``annee``, loaded at ``maintenant`` (both default to the present)."""

    def __init__(self, annee=None, maintenant=None):
        self.maintenant = maintenant or timezone.now()
        self.aujourdhui = timezone.localtime(self.maintenant, PARIS).date()
        self.annee = annee if annee is not None else annee_du_recit(self.aujourdhui)
        if not ANNEE_MIN <= self.annee <= ANNEE_MAX:
            raise ValueError(f"année hors de {ANNEE_MIN}–{ANNEE_MAX} : {self.annee}")
        ecart = (datetime.date(self.annee, 11, 15) - datetime.date(ANNEE_ECRITE, 11, 15)).days
        self.decalage = datetime.timedelta(days=7 * round(ecart / 7))
        self._jours = {}

    def __repr__(self):
        return f"<Recit {self.annee} chargé le {self.aujourdhui}>"

    @cached_property
    def feries(self):
        return holidays.France(years=range(self.annee - 8, self.annee + 4))

    # --- Dates ----------------------------------------------------------------------------------------

    def jour(self, ecrit):
        """Return where the written date ``ecrit`` falls in this story (same weekday, same month, not a
        public holiday)."""
        if ecrit not in self._jours:
            jour = ecrit + self.decalage
            if jour.month != ecrit.month or jour in self.feries:
                # The nearest week of the same month that is not a public holiday (one week back or forth is
                # not always enough: 31 December may land on 1 January with Christmas a week before, 2 May on
                # 1 May with 8 May a week after). Every weekday comes at least four times a month and a month
                # has at most three holidays on one weekday, so there is always one.
                semaines = (datetime.timedelta(days=7 * k * sens) for k in range(1, 6) for sens in (-1, 1))
                annee = ecrit.year + self.annee - ANNEE_ECRITE
                jour = next(j for j in (jour + s for s in semaines)
                            if (j.year, j.month) == (annee, ecrit.month) and j not in self.feries)
            self._jours[ecrit] = jour
        return self._jours[ecrit]

    def instant(self, ecrit):
        """Return the aware instant (Europe/Paris) of the written local datetime ``ecrit``."""
        return datetime.datetime.combine(self.jour(ecrit.date()), ecrit.time(), tzinfo=PARIS)

    def a(self, jour, heure="10:00"):
        """Return the aware instant of ``heure`` ("HH:MM" or a time) on the story's date ``jour``."""
        if isinstance(heure, str):
            heure = datetime.time.fromisoformat(heure)
        return datetime.datetime.combine(jour, heure, tzinfo=PARIS)

    @staticmethod
    def jour_local(instant):
        """Return the date of ``instant`` in Paris."""
        return timezone.localtime(instant, PARIS).date()

    def passe(self, moment):
        """Return True if ``moment`` (a date: its end; an instant) is before the instant of loading."""
        if isinstance(moment, datetime.datetime):
            return moment <= self.maintenant
        return moment < self.aujourdhui

    def au_plus_tard(self, moment, marge=datetime.timedelta(hours=1)):
        """Return ``moment``, or a little before now if it has not come yet (for what is pending now)."""
        return min(moment, self.maintenant - marge)

    # --- Texts ----------------------------------------------------------------------------------------

    def an(self, ecart=0):
        return self.annee + ecart

    def texte(self, texte):
        """Replace the year and date placeholders of a written text."""
        if "{" not in texte:
            return texte
        texte = ANNEE.sub(lambda m: str(self.annee + (int(m.group(2)) * (-1 if m.group(1) == "-" else 1)
                                                         if m.group(1) else 0)), texte)
        return DATE.sub(lambda m: self.en_mots(self.jour(datetime.date.fromisoformat(m.group(2))),
                                               avec_jour=m.group(1) == "jour"), texte)

    @staticmethod
    def en_mots(jour, avec_jour=False):
        """« 26 mars 2026 », « jeudi 26 mars 2026 », « 1er novembre 2026 »."""
        with translation.override("fr"):
            texte = date_format(jour, "l j F Y" if avec_jour else "j F Y")
        return re.sub(r"(^|\s)1 ", r"\g<1>1er ", texte, count=1)

    # --- Data files -----------------------------------------------------------------------------------

    def transposer(self, valeur):
        """Return ``valeur`` (read from a data file) told in this story: dates moved, texts filled in."""
        if isinstance(valeur, dict):
            return {cle: self.transposer(v) for cle, v in valeur.items()}
        if isinstance(valeur, list):
            return [self.transposer(v) for v in valeur]
        if isinstance(valeur, str):
            return self.texte(valeur)
        if isinstance(valeur, datetime.datetime):
            return self.instant(valeur)
        if isinstance(valeur, datetime.date):
            return self.jour(valeur)
        return valeur
