"""The calendar of the demo's story (``conseil_ess.demo.recit``): pure, no database."""

import datetime

import holidays
import pytest

from conseil_ess.demo.donnees import brut
from conseil_ess.demo.recit import PARIS, Recit, annee_du_recit

D = datetime.date
FICHIERS = ["agenda", "ateliers", "comptes", "pages", "propositions", "seances"]


def _a(jour, heure=10):
    return datetime.datetime.combine(jour, datetime.time(heure), tzinfo=PARIS)


def dates_ecrites():
    """Every date and local datetime written in the data files (the story of 2026)."""
    trouvees = set()

    def parcourir(valeur):
        if isinstance(valeur, dict):
            for v in valeur.values():
                parcourir(v)
        elif isinstance(valeur, list):
            for v in valeur:
                parcourir(v)
        elif isinstance(valeur, datetime.datetime):
            trouvees.add(valeur.date())
        elif isinstance(valeur, datetime.date):
            trouvees.add(valeur)

    for nom in FICHIERS:
        parcourir(brut(nom))
    return sorted(trouvees)


@pytest.mark.parametrize(("jour", "annee"), [
    (D(2026, 10, 31), 2025),
    (D(2026, 11, 1), 2026),
    (D(2026, 11, 30), 2026),
    (D(2026, 12, 31), 2026),
    (D(2027, 1, 1), 2026),
    (D(2027, 2, 28), 2026),
    (D(2027, 3, 1), 2026),
    (D(2027, 10, 31), 2026),
    (D(2027, 11, 10), 2027),
    (D(2028, 2, 29), 2027),
    (D(2028, 11, 1), 2028),
    (D(2031, 12, 31), 2031),
])
def test_l_annee_du_recit_est_celle_du_dernier_mois_de_l_ess_commence(jour, annee):
    assert annee_du_recit(jour) == annee
    assert Recit(maintenant=_a(jour)).annee == annee


def test_l_annee_suit_le_jour_a_paris_pas_en_utc():
    # 31 October 23:30 UTC is already 1 November in Paris (UTC+1).
    maintenant = datetime.datetime(2026, 10, 31, 23, 30, tzinfo=datetime.UTC)
    recit = Recit(maintenant=maintenant)
    assert recit.aujourdhui == D(2026, 11, 1)
    assert recit.annee == 2026


def test_une_annee_fixee_l_emporte_sur_le_jour_du_chargement():
    recit = Recit(annee=2030, maintenant=_a(D(2027, 3, 1)))
    assert recit.annee == 2030
    assert recit.aujourdhui == D(2027, 3, 1)


@pytest.mark.parametrize("annee", [1999, 2101, -1])
def test_une_annee_hors_bornes_est_refusee(annee):
    with pytest.raises(ValueError):
        Recit(annee=annee)


def test_l_annee_ecrite_ne_deplace_rien():
    recit = Recit(annee=2026, maintenant=_a(D(2026, 12, 1)))
    assert recit.decalage == datetime.timedelta(0)
    for ecrit in dates_ecrites():
        assert recit.jour(ecrit) == ecrit


@pytest.mark.parametrize("annee", range(2000, 2101))
def test_chaque_date_ecrite_garde_son_jour_de_semaine_et_son_mois_hors_jours_feries(annee):
    recit = Recit(annee=annee, maintenant=_a(D(annee, 11, 20)))
    feries = holidays.France(years=range(2000 - 8, 2101 + 8))
    assert recit.decalage.days % 7 == 0
    for ecrit in dates_ecrites():
        jour = recit.jour(ecrit)
        assert jour.weekday() == ecrit.weekday(), (annee, ecrit, jour)
        assert jour.month == ecrit.month, (annee, ecrit, jour)
        assert jour.year == ecrit.year + annee - 2026, (annee, ecrit, jour)
        if ecrit not in feries:  # a written date is never on a holiday; its move never lands on one
            assert jour not in feries, (annee, ecrit, jour, feries.get(jour))


def test_les_dates_ecrites_ne_tombent_pas_un_jour_ferie():
    feries = holidays.France(years=range(2018, 2030))
    assert [d for d in dates_ecrites() if d in feries] == []


def test_le_decalage_est_le_multiple_de_sept_jours_le_plus_proche():
    recit = Recit(annee=2027, maintenant=_a(D(2027, 11, 20)))
    assert recit.decalage == datetime.timedelta(weeks=52)  # 365 days: 52 weeks and a day
    recit = Recit(annee=2031, maintenant=_a(D(2031, 11, 20)))
    assert recit.decalage == datetime.timedelta(weeks=261)  # 1826 days: 260 weeks and 6 days


def test_un_jour_ferie_deplace_d_une_semaine_dans_le_meme_mois():
    recit = Recit(annee=2027, maintenant=_a(D(2027, 11, 20)))
    # 2026-11-04 (Wednesday) + 52 weeks = 2027-11-03 (Wednesday): not a holiday, kept.
    assert recit.jour(D(2026, 11, 4)) == D(2027, 11, 3)
    # 2026-11-12 (Thursday) + 52 weeks = 2027-11-11, Armistice: one week later or earlier, still November.
    jour = recit.jour(D(2026, 11, 12))
    assert jour in (D(2027, 11, 4), D(2027, 11, 18))
    assert jour.weekday() == 3


def test_instant_et_passe():
    maintenant = _a(D(2027, 3, 1), 12)
    recit = Recit(annee=2026, maintenant=maintenant)
    instant = recit.instant(datetime.datetime(2026, 3, 26, 18, 30))
    assert instant == datetime.datetime(2026, 3, 26, 18, 30, tzinfo=PARIS)
    assert recit.passe(instant)
    assert recit.passe(maintenant)
    assert not recit.passe(maintenant + datetime.timedelta(seconds=1))
    assert recit.passe(D(2027, 2, 28))
    assert not recit.passe(D(2027, 3, 1))  # a date is past once it has ended
    assert recit.au_plus_tard(maintenant + datetime.timedelta(days=3)) == maintenant - datetime.timedelta(hours=1)
    assert recit.au_plus_tard(instant) == instant


def test_les_textes_nomment_les_annees_et_les_dates_du_recit():
    recit = Recit(annee=2027, maintenant=_a(D(2027, 11, 20)))
    assert recit.texte("Mois de l'ESS {an}, depuis {an-5}, jusqu'en {an+1}") == \
        "Mois de l'ESS 2027, depuis 2022, jusqu'en 2028"
    # 2026-03-26 (Thursday) + 52 weeks = 2027-03-25 (Thursday).
    assert recit.texte("le {date:2026-03-26}") == "le 25 mars 2027"
    assert recit.texte("le {jour:2026-03-26}") == "le jeudi 25 mars 2027"
    assert recit.texte("{P10} et {programme:mois-ess-{an}}") == "{P10} et {programme:mois-ess-2027}"
    assert recit.texte("sans accolade") == "sans accolade"
    assert Recit.en_mots(D(2026, 11, 1)) == "1er novembre 2026"
    assert Recit.en_mots(D(2026, 11, 1), avec_jour=True) == "dimanche 1er novembre 2026"
    assert Recit.en_mots(D(2026, 11, 11)) == "11 novembre 2026"


def test_transposer_parcourt_les_donnees():
    recit = Recit(annee=2028, maintenant=_a(D(2028, 11, 20)))
    donnees = {"titre": "Assises {an+1}", "liste": [D(2026, 3, 26), datetime.datetime(2026, 3, 26, 18, 0)],
               "nombre": 3, "vrai": True}
    resultat = recit.transposer(donnees)
    assert resultat["titre"] == "Assises 2029"
    jour = recit.jour(D(2026, 3, 26))
    assert resultat["liste"] == [jour, datetime.datetime.combine(jour, datetime.time(18), tzinfo=PARIS)]
    assert resultat["nombre"] == 3 and resultat["vrai"] is True
    assert jour.year == 2028 and jour.month == 3 and jour.weekday() == 3
