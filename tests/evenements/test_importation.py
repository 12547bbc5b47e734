"""Bulk import of events (CSV and iCalendar): reading, errors with line and column, duplicates, writes through
the services, the management command; hostile files get a French error and write nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import ModelLogEntry

from conseil_ess.comptes.models import ChampAction, Notification
from evenements import services
from evenements.importation import COLONNES, analyser, modele_csv
from evenements.models import Evenement
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, CommuneFactory, StructureFactory

from .fabriques import PARIS, EvenementFactory, LieuFactory, ProgrammeFactory, dans, paris, public

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
P = Evenement.Publication
SIRET_VALIDE = "73282932000074"


def jour(n=20):
    return dans(n).date()


@pytest.fixture
def rivebelle():
    return CommuneFactory(nom="Rivebelle", slug="rivebelle", code_insee="99001")


@pytest.fixture
def moderateur(db):
    return creer_utilisateur("agent")


def fichier_csv(*lignes, sep=",", bom=False, entete=None):
    entete = entete or ["identifiant_externe", "titre", "debut", "fin", "commune", "structures", "type"]
    texte = "\r\n".join([sep.join(entete), *[sep.join(ligne) for ligne in lignes]]) + "\r\n"
    return (("\ufeff" if bom else "") + texte).encode()


def ligne(ident, titre, debut, fin, commune="Rivebelle", structures="", type_=""):
    return [ident, titre, debut, fin, commune, structures, type_]


def iso(j, h):
    return f"{j:%Y-%m-%d} {h}"


def fr(j, h):
    return f"{j:%d/%m/%Y} {h}"


# --- CSV reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sep,bom", [(",", False), (";", True), (";", False), (",", True)])
def test_csv_separateurs_bom_et_deux_formats_de_date(rivebelle, sep, bom):
    j = jour()
    contenu = fichier_csv(ligne("a1", "Ciné-débat", iso(j, "18:30"), iso(j, "21:00")),
                          ligne("a2", "Forum", fr(j, "10:00"), fr(j, "12:00")), sep=sep, bom=bom)
    analyse = analyser(contenu, "programme.csv")
    assert not analyse.erreurs_fichier and not analyse.erreurs
    a1, a2 = analyse.lignes
    assert a1.champs["debut"] == paris(j.year, j.month, j.day, 18, 30)
    assert a2.champs["fin"] == paris(j.year, j.month, j.day, 12)
    assert a1.champs["commune"] == rivebelle and a1.action == a2.action == "creation"


def test_csv_erreurs_avec_ligne_colonne_et_raison(rivebelle):
    j = jour()
    contenu = fichier_csv(
        ligne("b1", "Bon", iso(j, "18:00"), iso(j, "20:00")),
        ligne("b2", "Commune inconnue", iso(j, "18:00"), iso(j, "20:00"), commune="Atlantide"),
        ligne("b3", "Fin avant début", iso(j, "18:00"), iso(j, "17:00")),
        ligne("b4", "SIRET faux", iso(j, "18:00"), iso(j, "20:00"), structures="12345678901234"),
        ligne("b5", "Date fausse", "31/02/2027 18:00", iso(j, "20:00")),
        ligne("b6", "Type", iso(j, "18:00"), iso(j, "20:00"), type_="karaoké"),
    )
    analyse = analyser(contenu, "f.csv")
    erreurs = {(e.ligne, e.colonne): e.message for e in analyse.erreurs}
    assert [x.numero for x in analyse.valides] == [2]
    assert "Commune inconnue « Atlantide »" in erreurs[(3, "commune")]
    assert "La fin est avant le début" in erreurs[(4, "fin")]
    assert "SIRET invalide" in erreurs[(5, "structures")]
    assert "Date invalide « 31/02/2027 18:00 »" in erreurs[(6, "debut")]
    assert "Type d'événement inconnu" in erreurs[(7, "type")]


def test_csv_toutes_les_colonnes_du_modele(rivebelle):
    structure = StructureFactory(nom="La Fabrique solidaire")
    par_siret = StructureFactory(nom="Coop", siret=SIRET_VALIDE)
    grand_public = public("grand-public", "Grand public")
    champ = ChampAction.objects.get_or_create(numero=2, defaults={"nom": "Alimentation", "libelle_court": "Alim"})[0]
    lieu = LieuFactory(nom="Cinéma Le Lumière", commune=rivebelle)
    j = jour()
    valeurs = {
        "identifiant_externe": "c1", "titre": "Ciné-débat <b>gras</b>", "resume": "Résumé", "description": "<p>Un film"
        "</p><script>x</script>", "type": "Projection-débat", "debut": fr(j, "18:30"), "fin": fr(j, "21:00"),
        "journee_entiere": "non", "lieu": "cinéma le lumière", "adresse": "", "commune": "rivebelle",
        "lien_en_ligne": "visio.example.org/salle", "structures": f"{SIRET_VALIDE};la fabrique SOLIDAIRE",
        "publics": "grand-public", "champs": "2", "gratuit": "non", "tarif": "4 €", "accessibilite_fauteuil":
        "partiel", "boucle_magnetique": "oui", "lsf": "x", "sous_titrage": "1", "falc": "vrai", "inscription":
        "obligatoire", "lien_inscription": "https://billets.example.org/", "capacite": "80",
    }
    tampon = io.StringIO()
    import csv
    csv.writer(tampon, delimiter=";").writerows([COLONNES, [valeurs[c] for c in COLONNES]])
    analyse = analyser(tampon.getvalue().encode(), "f.csv")
    assert not analyse.erreurs, analyse.erreurs
    ch, rel = analyse.lignes[0].champs, analyse.lignes[0].relations
    assert ch["titre"] == "Ciné-débat gras"
    assert ch["type"] == "projection_debat" and ch["lieu"] == lieu and ch["mode"] == Evenement.Mode.HYBRIDE
    assert ch["lien_en_ligne"] == "https://visio.example.org/salle"
    assert rel["structures"] == [par_siret, structure] and rel["publics"] == [grand_public] and rel["champs"] == [champ]
    assert (ch["gratuit"], ch["tarif"], ch["accessibilite"], ch["capacite"]) == (False, "4 €", "partiel", 80)
    assert ch["boucle_magnetique"] and ch["interpretation_lsf"] and ch["sous_titrage"] and ch["facile_a_lire"]


def test_journee_entiere_sur_plusieurs_jours(rivebelle):
    j = jour()
    contenu = fichier_csv([f"{j:%Y-%m-%d}", f"{j + datetime.timedelta(days=2):%d/%m/%Y}", "oui"],
                          entete=["debut", "fin", "journee_entiere"]).replace(b"\r\n", b",Salon,Rivebelle\r\n")
    contenu = contenu.replace(b"debut,fin,journee_entiere,Salon,Rivebelle", b"debut,fin,journee_entiere,titre,commune")
    analyse = analyser(contenu, "f.csv")
    assert not analyse.erreurs, analyse.erreurs
    ch = analyse.lignes[0].champs
    assert ch["journee_entiere"] and ch["debut"] == paris(j.year, j.month, j.day)
    fin = j + datetime.timedelta(days=3)
    assert ch["fin"] == paris(fin.year, fin.month, fin.day)


# --- Writing: moderation, duplicates, updates ----------------------------------------------------


def test_import_en_moderation_deux_fois_rien_de_nouveau(rivebelle, moderateur):
    structure = StructureFactory(siret=SIRET_VALIDE)
    membre = AdhesionFactory(structure=structure).user
    j = jour()
    contenu = fichier_csv(ligne("d1", "Atelier vélo", iso(j, "10:00"), iso(j, "12:00"), structures=SIRET_VALIDE),
                          ligne("", "Sans identifiant", iso(j, "14:00"), iso(j, "16:00")))
    rapport = services.importer_evenements(analyser(contenu, "f.csv"), par=moderateur)
    assert len(rapport["crees"]) == 2
    velo = Evenement.objects.get(identifiant_externe="d1")
    assert velo.publication == P.A_MODERER and list(velo.structures.all()) == [structure]
    assert Notification.objects.filter(destinataire=membre, titre__contains="Atelier vélo").count() == 1
    assert ModelLogEntry.objects.filter(action="conseil.evenement.importe", user=moderateur).count() == 2
    seconde = analyser(contenu, "f.csv")
    assert [x.action for x in seconde.valides] == ["inchange", "doublon"]
    services.importer_evenements(seconde, par=moderateur)
    assert Evenement.objects.count() == 2
    assert Evenement.objects.get(pk=velo.pk).sequence == velo.sequence


def test_mise_a_jour_par_identifiant_et_sequence(rivebelle, moderateur):
    j = jour()
    services.importer_evenements(analyser(fichier_csv(ligne("e1", "Forum", iso(j, "10:00"), iso(j, "12:00"))),
                                          "f.csv"), par=moderateur)
    avant = Evenement.objects.get(identifiant_externe="e1")
    analyse = analyser(fichier_csv(ligne("e1", "Forum de l'emploi", iso(j, "11:00"), iso(j, "13:00"))), "f.csv")
    assert analyse.lignes[0].action == "mise_a_jour"
    rapport = services.importer_evenements(analyse, par=moderateur)
    apres = Evenement.objects.get(pk=avant.pk)
    assert rapport["mis_a_jour"] == [apres] and Evenement.objects.count() == 1
    assert apres.titre == "Forum de l'emploi" and apres.sequence == avant.sequence + 1 and apres.uid == avant.uid


def test_quasi_doublon_signale_et_non_cree(rivebelle, moderateur):
    j = jour()
    EvenementFactory(titre="Café-création !", debut=paris(j.year, j.month, j.day, 9, 30),
                     lieu=LieuFactory(commune=rivebelle))
    analyse = analyser(fichier_csv(ligne("f1", "CAFÉ création", iso(j, "10:15"), iso(j, "12:00")),
                                   ligne("f2", "Café création", iso(j, "14:00"), iso(j, "16:00"))), "f.csv")
    assert [x.action for x in analyse.valides] == ["doublon", "creation"]
    services.importer_evenements(analyse, par=moderateur)
    assert Evenement.objects.count() == 2


def test_publier_a_l_import_et_refus_explique(rivebelle, moderateur):
    j = jour()
    en_attente = StructureFactory(nom="Pas encore validée", statut="en_attente")
    contenu = fichier_csv(ligne("g1", "Publié", iso(j, "10:00"), iso(j, "12:00")),
                          ligne("g2", "Refusé", iso(j, "14:00"), iso(j, "16:00"), structures="Pas encore validée"))
    rapport = services.importer_evenements(analyser(contenu, "f.csv"), par=moderateur, publier_aussi=True)
    assert Evenement.objects.get(identifiant_externe="g1").publication == P.PUBLIE
    assert Evenement.objects.get(identifiant_externe="g2").publication == P.A_MODERER
    assert en_attente.nom in rapport["non_publies"][0][1][0]


def test_seule_la_moderation_importe(rivebelle):
    j = jour()
    analyse = analyser(fichier_csv(ligne("h1", "Forum", iso(j, "10:00"), iso(j, "12:00"))), "f.csv")
    with pytest.raises(services.ActionImpossible):
        services.importer_evenements(analyse, par=creer_utilisateur("acteur"))
    assert not Evenement.objects.exists()


# --- ICS -------------------------------------------------------------------------------------------


def ics(*vevents):
    corps = "".join(f"BEGIN:VEVENT\r\n{v.strip()}\r\nEND:VEVENT\r\n" for v in vevents)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//FR\r\n{corps}END:VCALENDAR\r\n".encode()


def test_ics_fuseaux_journees_entieres_annulation(rivebelle):
    j = jour()
    d = f"{j:%Y%m%d}"
    fin = f"{j + datetime.timedelta(days=2):%Y%m%d}"
    contenu = ics(
        f"UID:tz@x\r\nSUMMARY:Avec TZID\r\nDTSTART;TZID=Europe/Paris:{d}T183000\r\n"
        f"DTEND;TZID=Europe/Paris:{d}T200000\r\nLOCATION:Salle des fêtes\\, Rivebelle",
        f"UID:utc@x\r\nSUMMARY:En UTC\r\nDTSTART:{d}T090000Z\r\nDTEND:{d}T100000Z\r\nLOCATION:Rivebelle",
        f"UID:flottant@x\r\nSUMMARY:Flottant\r\nDTSTART:{d}T140000\r\nDTEND:{d}T150000\r\nLOCATION:Rivebelle",
        f"UID:jours@x\r\nSUMMARY:Salon\r\nDTSTART;VALUE=DATE:{d}\r\nDTEND;VALUE=DATE:{fin}\r\nLOCATION:Rivebelle",
        f"UID:annule@x\r\nSUMMARY:Annulé\r\nSTATUS:CANCELLED\r\nDTSTART:{d}T160000\r\nDTEND:{d}T170000\r\n"
        f"LOCATION:Rivebelle",
    )
    analyse = analyser(contenu, "agenda.ics")
    assert not analyse.erreurs_fichier and not analyse.erreurs, analyse.erreurs
    par_uid = {x.identifiant_externe: x.champs for x in analyse.lignes}
    assert par_uid["tz@x"]["debut"] == paris(j.year, j.month, j.day, 18, 30)
    assert par_uid["tz@x"]["commune"] == rivebelle
    utc = datetime.datetime(j.year, j.month, j.day, 9, tzinfo=datetime.UTC)
    assert par_uid["utc@x"]["debut"] == utc
    assert par_uid["flottant@x"]["debut"] == paris(j.year, j.month, j.day, 14)
    assert par_uid["jours@x"]["journee_entiere"] and par_uid["jours@x"]["fin"] - par_uid["jours@x"]["debut"] \
        >= datetime.timedelta(hours=47)
    assert par_uid["annule@x"]["statut"] == Evenement.Statut.ANNULE


def test_ics_rrule_developpee_dans_le_programme_et_reimport(rivebelle, moderateur):
    debut = jour(10)
    programme = ProgrammeFactory(date_debut=debut, date_fin=debut + datetime.timedelta(days=9))
    avant = debut - datetime.timedelta(7)
    contenu = ics(f"UID:hebdo@x\r\nSUMMARY:Permanence\r\nDTSTART;TZID=Europe/Paris:{avant:%Y%m%d}"
                  f"T100000\r\nDTEND;TZID=Europe/Paris:{debut - datetime.timedelta(7):%Y%m%d}T120000\r\n"
                  "RRULE:FREQ=DAILY;INTERVAL=2\r\nLOCATION:Rivebelle")
    analyse = analyser(contenu, "a.ics", programme)
    assert not analyse.erreurs, analyse.erreurs
    jours = [x.champs["debut"].astimezone(PARIS).date() for x in analyse.lignes]
    assert jours and all(programme.date_debut <= d <= programme.date_fin for d in jours)
    assert len(jours) == 5
    services.importer_evenements(analyse, par=moderateur)
    assert Evenement.objects.filter(programme=programme).count() == 5
    services.importer_evenements(analyser(contenu, "a.ics", programme), par=moderateur)
    assert Evenement.objects.count() == 5


def test_ics_annulation_relue_met_a_jour_et_monte_la_sequence(rivebelle, moderateur):
    j = jour()
    base = f"UID:u@x\r\nSUMMARY:Forum\r\nDTSTART:{j:%Y%m%d}T100000\r\nDTEND:{j:%Y%m%d}T120000\r\nLOCATION:Rivebelle"
    services.importer_evenements(analyser(ics(base), "a.ics"), par=moderateur)
    avant = Evenement.objects.get(identifiant_externe="u@x")
    services.importer_evenements(analyser(ics(base + "\r\nSTATUS:CANCELLED"), "a.ics"), par=moderateur)
    apres = Evenement.objects.get(pk=avant.pk)
    assert apres.statut == Evenement.Statut.ANNULE and apres.sequence > avant.sequence


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("contenu,nom,extrait", [
    (b"PK\x03\x04" + b"\x00" * 50, "evenements.csv", "archive ZIP"),
    ("titre,debut\r\nFête à l'école,14/11/2026 10:00\r\n".encode("latin-1"), "f.csv", "UTF-8"),
    (b"", "f.csv", "vide"),
    (b"nom,date\r\nx,y\r\n", "f.csv", "Colonnes inconnues"),
    (b"BEGIN:VCALENDAR\r\nn'importe quoi\r\n", "f.ics", "mal formé"),
])
def test_fichiers_hostiles_erreur_francaise_et_rien_d_ecrit(db, moderateur, contenu, nom, extrait):
    analyse = analyser(contenu, nom)
    assert extrait in " ".join(analyse.erreurs_fichier)
    assert analyse.valides == []
    with pytest.raises(services.ActionImpossible):
        services.importer_evenements(analyse, par=moderateur)
    assert not Evenement.objects.exists()


def test_taille_limite_reglage(rivebelle, settings):
    settings.IMPORT_EVENEMENTS_TAILLE_MAX = 100
    assert "la limite est" in analyser(b"titre,debut\r\n" + b"x" * 200, "f.csv").erreurs_fichier[0]


def test_cent_mille_occurrences_refusees(rivebelle, settings):
    settings.IMPORT_EVENEMENTS_OCCURRENCES_MAX = 50
    j = jour()
    vevent = (f"UID:r@x\r\nSUMMARY:Chaque minute\r\nDTSTART:{j:%Y%m%d}T100000\r\nDTEND:{j:%Y%m%d}T100100\r\n"
              "RRULE:FREQ=MINUTELY;COUNT=100000\r\nLOCATION:Rivebelle")
    analyse = analyser(ics(vevent), "a.ics")
    assert "plus de 50" in analyse.erreurs_fichier[0]


def test_formule_et_html_dans_les_cellules(rivebelle):
    j = jour()
    analyse = analyser(fichier_csv(ligne("i1", "=HYPERLINK(\"x\")", iso(j, "10:00"), iso(j, "12:00")),
                                   ligne("i2", "<script>alert(1)</script>Forum", iso(j, "10:00"), iso(j, "12:00"))),
                       "f.csv")
    assert "formule" in analyse.lignes[0].erreurs[0].message and analyse.lignes[0].erreurs[0].colonne == "titre"
    assert "<" not in analyse.lignes[1].champs["titre"] and analyse.lignes[1].valide


def test_identifiant_repete_dans_le_fichier(rivebelle):
    j = jour()
    analyse = analyser(fichier_csv(ligne("k", "A", iso(j, "10:00"), iso(j, "12:00")),
                                   ligne("k", "B", iso(j, "14:00"), iso(j, "16:00"))), "f.csv")
    assert "déjà utilisé à la ligne 2" in analyse.lignes[1].erreurs[0].message


def test_modele_telechargeable_relu_sans_erreur_d_en_tete(db):
    analyse = analyser(modele_csv().encode(), "modele.csv")
    assert not analyse.erreurs_fichier
    assert [c for c in modele_csv().lstrip("\ufeff").split("\r\n")[0].split(";")] == COLONNES


# --- Command --------------------------------------------------------------------------------------


def test_commande_simulation_puis_import(rivebelle, tmp_path, moderateur):
    programme = ProgrammeFactory(slug="mois-ess", date_debut=jour(1), date_fin=jour(40))
    j = jour()
    chemin = tmp_path / "evenements.csv"
    chemin.write_bytes(fichier_csv(ligne("m1", "Forum", iso(j, "10:00"), iso(j, "12:00")),
                                   ligne("m2", "Erreur", iso(j, "10:00"), iso(j, "09:00"))))
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command("importer_evenements", str(chemin), "--programme", "mois-ess", "--simulation",
                 "--par", moderateur.email, stdout=sortie, stderr=erreurs)
    assert "Ligne 3, colonne fin" in erreurs.getvalue() and not Evenement.objects.exists()
    call_command("importer_evenements", str(chemin), "--programme", "mois-ess", "--publier",
                 "--par", moderateur.email, stdout=sortie, stderr=erreurs)
    evenement = Evenement.objects.get()
    assert evenement.programme == programme and evenement.publication == P.PUBLIE
    with pytest.raises(CommandError):
        call_command("importer_evenements", str(chemin), "--programme", "inconnu", "--par", moderateur.email)


def test_ics_journee_entiere_repetee_avec_until_en_date(rivebelle):
    debut = jour(10)
    programme = ProgrammeFactory(date_debut=debut, date_fin=debut + datetime.timedelta(days=20))
    until = debut + datetime.timedelta(days=14)
    analyse = analyser(ics(f"UID:marche@x\r\nSUMMARY:Marché solidaire\r\nDTSTART;VALUE=DATE:{debut:%Y%m%d}\r\n"
                           f"DTEND;VALUE=DATE:{debut + datetime.timedelta(days=1):%Y%m%d}\r\n"
                           f"RRULE:FREQ=WEEKLY;UNTIL={until:%Y%m%d}\r\nLOCATION:Place du marché, Rivebelle"),
                       "a.ics", programme)
    assert not analyse.erreurs, analyse.erreurs
    assert [x.champs["debut"].date() for x in analyse.lignes] == [debut + datetime.timedelta(days=7 * k)
                                                                  for k in range(3)]
    assert all(x.champs["journee_entiere"] for x in analyse.lignes)
    assert len({x.identifiant_externe for x in analyse.lignes}) == 3
