"""``{{ valeur|date:… }}`` memoised (conseil_ess/filtre_date.py): every template uses it, and it writes what
Django's own filter writes, for dates, datetimes in several time zones, ambiguous and skipped times, each format
the templates use and each language (how much faster: README « Performances »)."""

import datetime
import re
import zoneinfo
from pathlib import Path

from django.conf import settings
from django.template import Context, Template, engines
from django.template import defaultfilters as django
from django.utils import timezone, translation

from conseil_ess import filtre_date

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _formats_des_gabarits():
    """Every format given to ``|date:`` in the project's templates."""
    formats = set()
    for gabarit in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for guillemet, format_ in re.findall(r"""\|date:(["'])(.*?)\1""", gabarit.read_text()):
            formats.add(format_)
    return formats


def _valeurs():
    ete = datetime.datetime(2026, 7, 14, 18, 30, tzinfo=UTC)
    return [
        datetime.date(2026, 11, 1), datetime.date(2027, 2, 28),
        ete, ete.astimezone(PARIS), ete.astimezone(NEW_YORK),  # the same instant in three zones
        datetime.datetime(2026, 10, 25, 2, 30, tzinfo=PARIS),  # ambiguous: twice in Paris
        datetime.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS),
        datetime.datetime(2026, 3, 29, 2, 30, tzinfo=PARIS),  # skipped by the clocks
        datetime.datetime(2026, 12, 31, 23, 59, 59),  # naive
        datetime.time(9, 5), "pas une date", None, "",
    ]


def _resultat(filtre, valeur, format_):
    """What ``filtre`` writes, or the error it raises (a time format for a date: Django refuses it)."""
    try:
        return filtre(valeur, format_)
    except TypeError as erreur:
        return ("erreur", str(erreur))


def test_le_filtre_date_des_gabarits_est_celui_du_projet():
    moteur = engines["django"].engine
    assert Template("{{ v|date:'Y' }}", engine=moteur).nodelist[0].filter_expression.filters[0][0] is filtre_date.date
    assert filtre_date.date.expects_localtime and not filtre_date.date.is_safe


def test_meme_texte_que_le_filtre_de_django():
    formats = _formats_des_gabarits() | {None, "DATE_FORMAT", "SHORT_DATETIME_FORMAT", "c", "e", "O", "T", "U", "I"}
    assert {"j F Y", "c", "Y-m-d"} <= formats
    compares = 0
    for langue in ("fr", "en"):
        with translation.override(langue):
            for _ in range(2):  # the second time from the cache
                for valeur in _valeurs():
                    for format_ in formats:
                        assert _resultat(filtre_date.date, valeur, format_) == _resultat(django.date, valeur, format_)
                        compares += 1
    assert compares > 500


def test_dans_un_gabarit_selon_le_fuseau_courant():
    gabarit = Template('{% load tz %}{{ v|date:"j F Y H:i T" }}|{% timezone "America/New_York" %}'
                       '{{ v|date:"j F Y H:i T" }}{% endtimezone %}', engine=engines["django"].engine)
    moment = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=UTC)
    with translation.override("fr"), timezone.override(PARIS):
        assert gabarit.render(Context({"v": moment})) == "1 novembre 2026 04:30 CET|31 octobre 2026 23:30 EDT"
    with translation.override("en"), timezone.override(PARIS):
        assert gabarit.render(Context({"v": moment})).startswith("1 November 2026 04:30")
