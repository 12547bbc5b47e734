"""Our feeds read by real calendar engines: khal (Debian package) and libical, the engine of Evolution.

Both run outside the venv: ``khal`` as a command, libical through the system Python's GObject bindings.
Install them with ``apt-get install -y khal python3-gi gir1.2-ical-3.0``; a missing tool fails the
test with that message (a skipped check would pass for a verified one).
"""

import datetime
import json
import shutil
import subprocess
import textwrap

import pytest

from evenements.models import Evenement
from tests.evenements.fixtures_ical import UTC, creer_evenement, creer_lieu, creer_programme, paris

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.evenements.urls_flux"), pytest.mark.dates]
PAQUETS = "apt-get install -y khal python3-gi gir1.2-ical-3.0"
PYTHON_SYSTEME = "/usr/bin/python3"

# Run by the system Python: parse with libical, run its RFC 5545 / iTIP restriction check, and report
# every X-LIC-ERROR (the errors libical attaches instead of failing), plus each event's start and end
# as libical resolves them (TZID looked up in the calendar's own VTIMEZONE), in seconds since the epoch.
SCRIPT_LIBICAL = textwrap.dedent("""
    import json, sys
    import gi
    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib as I

    cal = I.Component.new_from_string(sys.stdin.read())
    if cal is None:
        print(json.dumps({"illisible": True}))
        sys.exit(0)
    restrictions = cal.check_restrictions()

    def erreurs(comp):
        trouvees = []
        prop = comp.get_first_property(I.PropertyKind.XLICERROR_PROPERTY)
        while prop is not None:
            trouvees.append(prop.as_ical_string().replace("\\r\\n ", "").strip())
            prop = comp.get_next_property(I.PropertyKind.XLICERROR_PROPERTY)
        sous = comp.get_first_component(I.ComponentKind.ANY_COMPONENT)
        while sous is not None:
            trouvees += erreurs(sous)
            sous = comp.get_next_component(I.ComponentKind.ANY_COMPONENT)
        return trouvees

    def instant(t):
        if t.is_date():
            return {"date": "%04d-%02d-%02d" % (t.get_year(), t.get_month(), t.get_day())}
        zone = t.get_timezone()
        return {"tzid": zone.get_tzid() if zone else None, "epoch": t.as_timet_with_zone(zone)}

    evenements = {}
    ev = cal.get_first_component(I.ComponentKind.VEVENT_COMPONENT)
    while ev is not None:
        evenements[ev.get_uid()] = {"debut": instant(ev.get_dtstart()), "fin": instant(ev.get_dtend())}
        ev = cal.get_next_component(I.ComponentKind.VEVENT_COMPONENT)
    print(json.dumps({"illisible": False, "restrictions": restrictions, "erreurs": erreurs(cal),
                      "nombre_erreurs": cal.count_errors(), "evenements": evenements}))
""")


def libical(contenu):
    """Return what libical makes of .ics bytes (see SCRIPT_LIBICAL)."""
    if not shutil.which(PYTHON_SYSTEME):
        pytest.fail(f"{PYTHON_SYSTEME} est requis pour lire les flux avec libical : {PAQUETS}")
    resultat = subprocess.run([PYTHON_SYSTEME, "-c", SCRIPT_LIBICAL], input=contenu.decode(), capture_output=True,
                              text=True, timeout=60)
    if resultat.returncode != 0:
        pytest.fail(f"libical (GObject) indisponible ou en erreur — installez : {PAQUETS}\n{resultat.stderr}")
    return json.loads(resultat.stdout)


def khal(tmp_path, fichier_ics, fuseau_local):
    """Import ``fichier_ics`` into a throwaway khal calendar; return {uid: (start, end, title, status)}."""
    if shutil.which("khal") is None:
        pytest.fail(f"khal est requis pour ce test : {PAQUETS}")
    dossier = tmp_path / f"khal-{fuseau_local.replace('/', '-')}"
    (dossier / "agenda").mkdir(parents=True)
    config = dossier / "config"
    config.write_text(textwrap.dedent(f"""\
        [calendars]
        [[essai]]
        path = {dossier / "agenda"}
        type = calendar
        [locale]
        local_timezone = {fuseau_local}
        default_timezone = {fuseau_local}
        timeformat = %H:%M
        dateformat = %Y-%m-%d
        longdateformat = %Y-%m-%d
        datetimeformat = %Y-%m-%d %H:%M
        longdatetimeformat = %Y-%m-%d %H:%M
        [sqlite]
        path = {dossier / "khal.db"}
    """))
    env = {"HOME": str(dossier), "XDG_CONFIG_HOME": str(dossier), "XDG_DATA_HOME": str(dossier),
           "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}

    def lancer(*args):
        resultat = subprocess.run(["khal", "-c", str(config), *args], capture_output=True, text=True, env=env,
                                  timeout=120)
        assert resultat.returncode == 0, resultat.stderr
        return resultat.stdout

    lancer("import", "--batch", "-a", "essai", str(fichier_ics))
    sortie = lancer("list", "--once", "--day-format", "", "--format", "{uid}|{start}|{end}|{title}|{status}",
                    "2026-01-01", "2026-12-31")
    lignes = [ligne.strip().split("|") for ligne in sortie.splitlines() if "|" in ligne]
    return {uid: (debut, fin, titre, statut.strip()) for uid, debut, fin, titre, statut in lignes}


@pytest.fixture
def flux(client, tmp_path):
    """Return (events by role, .ics bytes, file) of a programme feed holding every tricky case."""
    programme = creer_programme()
    evenements = {
        "avant_ete": creer_evenement(programme=programme, titre="Veille du passage à l'heure d'été",
                                     debut=paris(2026, 3, 28, 18), fin=paris(2026, 3, 28, 20), lieu=creer_lieu()),
        "apres_ete": creer_evenement(programme=programme, titre="Lendemain du passage à l'heure d'été",
                                     debut=paris(2026, 3, 30, 18), fin=paris(2026, 3, 30, 20)),
        "avant_hiver": creer_evenement(programme=programme, titre="Veille du retour à l'heure d'hiver",
                                       debut=paris(2026, 10, 24, 18), fin=paris(2026, 10, 24, 20)),
        "apres_hiver": creer_evenement(programme=programme, titre="Lendemain du retour à l'heure d'hiver",
                                       debut=paris(2026, 10, 26, 18), fin=paris(2026, 10, 26, 20)),
        "mois": creer_evenement(programme=programme, titre="Exposition du Mois de l'ESS", journee_entiere=True,
                                debut=paris(2026, 11, 3), fin=paris(2026, 11, 28)),
        "en_ligne": creer_evenement(programme=programme, titre="Webinaire", mode=Evenement.Mode.EN_LIGNE,
                                    lien_en_ligne="https://visio.example.org/ess",
                                    debut=paris(2026, 11, 5, 12, 30), fin=paris(2026, 11, 5, 13, 30)),
        "annule": creer_evenement(programme=programme, titre="Forum annulé", statut=Evenement.Statut.ANNULE,
                                  motif_statut="Salle indisponible",
                                  debut=paris(2026, 11, 12, 9), fin=paris(2026, 11, 12, 17)),
    }
    reponse = client.get(f"/agenda/programmes/{programme.slug}.ics")
    assert reponse.status_code == 200
    fichier = tmp_path / "flux.ics"
    fichier.write_bytes(reponse.content)
    return evenements, reponse.content, fichier


def test_libical_lit_le_flux_sans_aucune_erreur(flux):
    evenements, contenu, _ = flux
    lu = libical(contenu)
    assert not lu["illisible"]
    assert lu["erreurs"] == []
    assert lu["nombre_erreurs"] == 0
    assert lu["restrictions"] == 1
    assert set(lu["evenements"]) == {e.uid for e in evenements.values()}


def test_libical_place_les_heures_au_bon_instant_utc(flux):
    evenements, contenu, _ = flux
    lu = libical(contenu)["evenements"]

    def utc(role):
        debut = lu[evenements[role].uid]["debut"]
        assert debut["tzid"] == "Europe/Paris"
        return datetime.datetime.fromtimestamp(debut["epoch"], UTC)

    assert utc("avant_ete") == datetime.datetime(2026, 3, 28, 17, tzinfo=UTC)
    assert utc("apres_ete") == datetime.datetime(2026, 3, 30, 16, tzinfo=UTC)
    assert utc("avant_hiver") == datetime.datetime(2026, 10, 24, 16, tzinfo=UTC)
    assert utc("apres_hiver") == datetime.datetime(2026, 10, 26, 17, tzinfo=UTC)
    mois = lu[evenements["mois"].uid]
    assert mois == {"debut": {"date": "2026-11-03"}, "fin": {"date": "2026-11-28"}}


def test_le_controle_libical_detecte_bien_les_erreurs(flux):
    """Negative control: what the builder avoids (METHOD:PUBLISH alone, COMMENT in VTIMEZONE) is caught."""
    _, contenu, _ = flux
    avec_methode = contenu.replace(b"VERSION:2.0\r\n", b"VERSION:2.0\r\nMETHOD:PUBLISH\r\n", 1)
    assert any("ORGANIZER" in e for e in libical(avec_methode)["erreurs"])
    avec_commentaire = contenu.replace(b"TZID:Europe/Paris\r\n", b"TZID:Europe/Paris\r\nCOMMENT:1970-2038\r\n", 1)
    assert any("COMMENT" in e for e in libical(avec_commentaire)["erreurs"])


def test_khal_affiche_les_heures_de_paris(flux, tmp_path):
    evenements, _, fichier = flux
    vus = khal(tmp_path, fichier, "Europe/Paris")
    assert set(vus) == {e.uid for e in evenements.values()}
    assert vus[evenements["avant_ete"].uid][:3] == ("2026-03-28 18:00", "2026-03-28 20:00",
                                                    "Veille du passage à l'heure d'été")
    assert vus[evenements["apres_ete"].uid][:2] == ("2026-03-30 18:00", "2026-03-30 20:00")
    assert vus[evenements["avant_hiver"].uid][:2] == ("2026-10-24 18:00", "2026-10-24 20:00")
    assert vus[evenements["apres_hiver"].uid][:2] == ("2026-10-26 18:00", "2026-10-26 20:00")
    assert vus[evenements["en_ligne"].uid][:2] == ("2026-11-05 12:30", "2026-11-05 13:30")
    # khal shows the last day of an all-day event (DTEND is exclusive): 3 to 27 November.
    assert vus[evenements["mois"].uid][:2] == ("2026-11-03", "2026-11-27")
    assert vus[evenements["annule"].uid][3] == "CANCELLED"
    assert vus[evenements["avant_ete"].uid][3] == "CONFIRMED"


def test_khal_convertit_vers_utc_autour_des_changements_d_heure(flux, tmp_path):
    evenements, _, fichier = flux
    vus = khal(tmp_path, fichier, "UTC")
    assert vus[evenements["avant_ete"].uid][0] == "2026-03-28 17:00"
    assert vus[evenements["apres_ete"].uid][0] == "2026-03-30 16:00"
    assert vus[evenements["avant_hiver"].uid][0] == "2026-10-24 16:00"
    assert vus[evenements["apres_hiver"].uid][0] == "2026-10-26 17:00"
    # A date stays a date whatever the reader's zone.
    assert vus[evenements["mois"].uid][:2] == ("2026-11-03", "2026-11-27")
