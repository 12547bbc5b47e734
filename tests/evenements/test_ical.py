"""The iCalendar builder, read back with icalendar's parser: properties, time zones, statuses, stability."""

import datetime

import pytest
from django.utils import timezone

from evenements.ical import construire_calendrier, ics_evenement, texte_brut
from evenements.models import Evenement
from tests.evenements.fixtures_ical import (
    BASE_URL,
    PARIS,
    UTC,
    analyser,
    creer_evenement,
    creer_lieu,
    creer_programme,
    lignes,
    paris,
    vevents,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evenements.urls_flux"), pytest.mark.dates]
S = Evenement.Statut


def construire(evenements, nom="Agenda de test", **kwargs):
    """Return (bytes, parsed calendar) of a feed of ``evenements``."""
    contenu = construire_calendrier(evenements, nom=nom, base_url=BASE_URL, **kwargs).to_ical()
    return contenu, analyser(contenu)


def test_en_tete_du_calendrier_sans_methode():
    contenu, cal = construire([creer_evenement()], nom="Agenda de l'ESS – Lanvallon", description="Tout l'agenda")
    assert str(cal["PRODID"]) == "-//Conseil ESS Rivebelle//Agenda//FR"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "Agenda de l'ESS – Lanvallon"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert str(cal["X-WR-CALDESC"]) == "Tout l'agenda"
    texte = lignes(contenu)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in texte
    assert "X-PUBLISHED-TTL:PT6H" in texte
    assert "METHOD" not in cal
    # No random calendar UID either: it would change the bytes on every request.
    assert "UID" not in cal


def test_aucun_organisateur_participant_ni_alarme():
    evenement = creer_evenement(lien_en_ligne="https://visio.example.org/a", mode=Evenement.Mode.HYBRIDE,
                                lieu=creer_lieu(), programme=creer_programme())
    contenu, cal = construire([evenement])
    noms = {ligne.split(":")[0].split(";")[0] for ligne in lignes(contenu) if ligne}
    assert not noms & {"METHOD", "ORGANIZER", "ATTENDEE"}
    assert not cal.walk("VALARM")


def test_proprietes_d_un_evenement_sur_place():
    programme = creer_programme(titre="Mois de l'ESS 2026")
    lieu = creer_lieu(nom="Tiers-lieu La Fabrique", adresse="3 rue des Tanneurs")
    evenement = creer_evenement(
        titre="Forum de l'emploi solidaire", type="forum", lieu=lieu, programme=programme,
        precision_lieu="Salle 2, premier étage",
        description='<p onclick="x()">Des <strong>stands</strong> &amp; des rencontres.</p>'
                    '<img src=x onerror="alert(1)"><p>Entrée libre.</p>',
    )
    _, cal = construire([evenement])
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["UID"]) == evenement.uid
    assert str(vevent["SUMMARY"]) == "Forum de l'emploi solidaire"
    assert vevent["SEQUENCE"] == evenement.sequence == 0
    assert vevent["DTSTAMP"].dt == evenement.modifie_le.replace(microsecond=0)
    assert vevent["LAST-MODIFIED"].dt == evenement.modifie_le.replace(microsecond=0)
    assert vevent["CREATED"].dt == evenement.cree_le.replace(microsecond=0)
    url = f"{BASE_URL}/agenda/{evenement.slug}/"
    assert str(vevent["URL"]) == url
    assert str(vevent["LOCATION"]) == (
        f"Tiers-lieu La Fabrique, 3 rue des Tanneurs, {lieu.commune.nom}, Salle 2, premier étage"
    )
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == pytest.approx((48.117266, -1.677793))
    assert vevent.categories == ["Forum", "Mois de l'ESS 2026"]
    assert str(vevent["STATUS"]) == "CONFIRMED"
    description = str(vevent["DESCRIPTION"])
    assert description == f"Des stands & des rencontres.\n\nEntrée libre.\n\n{url}"
    assert "<" not in description
    assert description.endswith(url)


def test_evenement_en_ligne():
    evenement = creer_evenement(mode=Evenement.Mode.EN_LIGNE, lien_en_ligne="https://visio.example.org/ess-2026",
                                lieu=creer_lieu(), description="<p>Webinaire.</p>")
    _, cal = construire([evenement])
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["LOCATION"]) == "En ligne"
    assert "GEO" not in vevent
    description = str(vevent["DESCRIPTION"])
    assert "https://visio.example.org/ess-2026" in description
    assert description.endswith(f"{BASE_URL}/agenda/{evenement.slug}/")


def test_evenement_hybride_garde_le_lieu_et_le_lien():
    evenement = creer_evenement(mode=Evenement.Mode.HYBRIDE, lien_en_ligne="https://visio.example.org/h",
                                lieu=creer_lieu(nom="Maison de l'ESS"))
    _, cal = construire([evenement])
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["LOCATION"]).startswith("Maison de l'ESS, ")
    assert "GEO" in vevent
    assert "https://visio.example.org/h" in str(vevent["DESCRIPTION"])


@pytest.mark.parametrize(
    ("debut", "utc_attendu"),
    [
        # Last evening of winter time, first evening of summer time (change on 29 March 2026)…
        (paris(2026, 3, 28, 18), datetime.datetime(2026, 3, 28, 17, tzinfo=UTC)),
        (paris(2026, 3, 30, 18), datetime.datetime(2026, 3, 30, 16, tzinfo=UTC)),
        # …and around the return to winter time on 25 October 2026.
        (paris(2026, 10, 24, 18), datetime.datetime(2026, 10, 24, 16, tzinfo=UTC)),
        (paris(2026, 10, 26, 18), datetime.datetime(2026, 10, 26, 17, tzinfo=UTC)),
    ],
)
def test_heures_autour_des_changements_d_heure(debut, utc_attendu):
    evenement = creer_evenement(debut=debut, fin=debut + datetime.timedelta(hours=2))
    contenu, cal = construire([evenement])
    (vevent,) = cal.walk("VEVENT")
    locale = f"{debut:%Y%m%dT%H%M%S}"
    texte = lignes(contenu)
    assert f"DTSTART;TZID=Europe/Paris:{locale}" in texte
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent["DTEND"].params["TZID"] == "Europe/Paris"
    assert vevent["DTSTART"].dt.astimezone(UTC) == utc_attendu
    assert vevent["DTEND"].dt.astimezone(UTC) == utc_attendu + datetime.timedelta(hours=2)
    # Never floating, never UTC-only (bare DTSTART lines belong to the VTIMEZONE only).
    evenement_seul = texte[texte.index("BEGIN:VEVENT"):]
    assert not any(ligne.startswith(("DTSTART:", "DTEND:")) for ligne in evenement_seul)


def test_evenement_sur_plusieurs_jours_entiers():
    evenement = creer_evenement(debut=paris(2026, 11, 3), fin=paris(2026, 11, 28), journee_entiere=True,
                                type="exposition")
    contenu, cal = construire([evenement])
    texte = lignes(contenu)
    assert "DTSTART;VALUE=DATE:20261103" in texte
    assert "DTEND;VALUE=DATE:20261128" in texte
    (vevent,) = cal.walk("VEVENT")
    assert vevent["DTSTART"].dt == datetime.date(2026, 11, 3)
    assert not isinstance(vevent["DTSTART"].dt, datetime.datetime)
    assert vevent["DTEND"].dt == datetime.date(2026, 11, 28)
    assert str(vevent["TRANSP"]) == "TRANSPARENT"


def test_journee_entiere_unique_a_un_jour_de_duree():
    evenement = creer_evenement(debut=paris(2026, 11, 14), fin=paris(2026, 11, 15), journee_entiere=True)
    contenu, _ = construire([evenement])
    assert "DTSTART;VALUE=DATE:20261114" in lignes(contenu)
    assert "DTEND;VALUE=DATE:20261115" in lignes(contenu)


@pytest.mark.parametrize(
    ("statut", "attendu"),
    [(S.CONFIRME, "CONFIRMED"), (S.COMPLET, "CONFIRMED"), (S.A_CONFIRMER, "TENTATIVE"),
     (S.REPORTE, "TENTATIVE"), (S.ANNULE, "CANCELLED")],
)
def test_statut(statut, attendu):
    evenement = creer_evenement(statut=statut, motif_statut="Intempéries annoncées")
    _, cal = construire([evenement])
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["STATUS"]) == attendu
    assert str(vevent["SUMMARY"]) == evenement.titre
    motif_montre = "Intempéries annoncées" in str(vevent["DESCRIPTION"])
    assert motif_montre is (statut in (S.ANNULE, S.REPORTE))


def test_annulation_sans_motif():
    _, cal = construire([creer_evenement(statut=S.ANNULE)])
    assert "Événement annulé." in str(cal.walk("VEVENT")[0]["DESCRIPTION"])


def test_modification_meme_uid_sequence_plus_haute():
    evenement = creer_evenement()
    _, avant = construire([evenement])
    evenement.debut, evenement.fin = paris(2026, 3, 28, 19), paris(2026, 3, 28, 21)
    evenement.save()
    _, apres = construire([Evenement.objects.get(pk=evenement.pk)])
    (v1,), (v2,) = avant.walk("VEVENT"), apres.walk("VEVENT")
    assert str(v1["UID"]) == str(v2["UID"]) == evenement.uid
    assert v2["SEQUENCE"] > v1["SEQUENCE"]
    assert v2["DTSTAMP"].dt >= v1["DTSTAMP"].dt
    assert v2["DTSTART"].dt == paris(2026, 3, 28, 19)


def test_sortie_identique_octet_pour_octet():
    evenements = [creer_evenement(lieu=creer_lieu()), creer_evenement(statut=S.ANNULE)]
    premier = construire_calendrier(evenements, nom="A", base_url=BASE_URL).to_ical()
    second = construire_calendrier(list(Evenement.objects.filter(pk__in=[e.pk for e in evenements])),
                                   nom="A", base_url=BASE_URL).to_ical()
    assert premier == second


def test_un_seul_vtimezone_limite_aux_annees_du_flux_sans_commentaire():
    evenements = [
        creer_evenement(debut=paris(2026, 3, 28, 18), fin=paris(2026, 3, 28, 20)),
        creer_evenement(debut=paris(2026, 10, 26, 18), fin=paris(2026, 10, 26, 20)),
    ]
    contenu, cal = construire(evenements)
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Paris"
    assert "COMMENT" not in vtimezone
    assert "COMMENT" not in contenu.decode()
    debuts = [sous["DTSTART"].dt for sous in vtimezone.subcomponents]
    assert debuts
    assert {d.year for d in debuts} == {2026}
    # The zone comes before the events that use it.
    assert contenu.index(b"BEGIN:VTIMEZONE") < contenu.index(b"BEGIN:VEVENT")


def test_flux_vide_valide_avec_le_fuseau_du_jour():
    contenu, cal = construire([])
    assert not cal.walk("VEVENT")
    (vtimezone,) = cal.walk("VTIMEZONE")
    annee = timezone.localdate(timezone=PARIS).year
    assert {sous["DTSTART"].dt.year for sous in vtimezone.subcomponents} <= {annee, annee + 1}
    assert "COMMENT" not in vtimezone


def test_flux_de_journees_entieres_seules_porte_le_fuseau():
    _, cal = construire([creer_evenement(debut=paris(2026, 11, 3), fin=paris(2026, 11, 5), journee_entiere=True)])
    assert len(cal.walk("VTIMEZONE")) == 1


def test_ics_evenement():
    evenement = creer_evenement(titre="Café-création")
    contenu = ics_evenement(evenement, BASE_URL)
    assert isinstance(contenu, bytes)
    cal = analyser(contenu)
    assert str(cal["X-WR-CALNAME"]) == "Café-création"
    assert list(vevents(cal)) == [evenement.uid]


def test_texte_brut():
    assert texte_brut("<p>Un &amp; deux</p><ul><li>trois</li><li>quatre</li></ul><p>cinq<br>six</p>") == (
        "Un & deux\n\ntrois\nquatre\n\ncinq\nsix"
    )
    assert texte_brut("<h2>Titre</h2><p>a &lt;b&gt;</p>") == "Titre\n\na <b>"
    assert texte_brut("") == ""
    assert texte_brut(None) == ""
