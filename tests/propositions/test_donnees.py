"""The open data of the proposals: /donnees/ documents /donnees/propositions.csv and .json, which hold
the public fields and the public timeline only (no draft, no internal note, no author's e-mail)."""

import csv
import datetime
import html as html_module
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conseil_ess.comptes.models import ChampAction
from conseil_ess.propositions import donnees_ouvertes, workflow
from conseil_ess.propositions.models import Etat, Indicateur, NoteInterne, PointSuivi, Proposition, ValeurIndicateur
from tests.ateliers.fabriques import AtelierFactory
from tests.conftest import creer_utilisateur
from tests.factories import CommuneFactory, StructureFactory

from .fabriques import PropositionFactory
from .parcours_dates import il_y_a, proposition_datee

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
E = Etat
URL_CSV = "/donnees/propositions.csv"
URL_JSON = "/donnees/propositions.json"
COURRIEL_AUTEUR = "auteur.prive@example.org"


@pytest.fixture
def jeu(db):
    auteur = creer_utilisateur("acteur", email=COURRIEL_AUTEUR, first_name="Auteur", last_name="Privé")
    elu = creer_utilisateur("elu", first_name="Nadia", last_name="Benali")
    atelier = AtelierFactory(titre="Atelier alimentation")
    structure = StructureFactory(nom="La Fabrique solidaire")
    commune = CommuneFactory(nom="Rivebelle", slug="rivebelle")
    adoptee = proposition_datee(
        E.EN_OEUVRE, {E.DEPOSEE: il_y_a(300), E.EN_ATELIER: il_y_a(250), E.ADOPTEE: il_y_a(200),
                      E.EN_OEUVRE: il_y_a(150)},
        donnees={"atelier": atelier, "responsable_elu": elu, "service_responsable": "Direction de l'ESS"},
        auteur=auteur, titre="Légumerie solidaire", levier="Commande publique",
        champs=[ChampAction.objects.get(numero=2), ChampAction.objects.get(numero=1)],
        structures=[structure], communes=[commune], porteurs_texte="Collectif des jardins",
    )
    Proposition.objects.filter(pk=adoptee.pk).update(avancement=40, date_prevue=datetime.date(2027, 3, 31))
    adoptee.transitions.filter(vers=E.ADOPTEE).update(commentaire="Adoptée à l'unanimité.")
    NoteInterne.objects.create(proposition=adoptee, texte="NOTE-INTERNE-CONFIDENTIELLE")
    PointSuivi.objects.create(proposition=adoptee, date=datetime.date(2026, 9, 1), texte="<p>Local trouvé.</p>")
    indicateur = Indicateur.objects.create(proposition=adoptee, libelle="Tonnes transformées", unite="t", cible=50)
    ValeurIndicateur.objects.create(indicateur=indicateur, date=datetime.date(2026, 12, 31), valeur=12)
    piege = proposition_datee(E.DEPOSEE, {E.DEPOSEE: il_y_a(100)}, auteur=auteur,
                              titre='=HYPERLINK("http://mal.example","clic")', resume="@SOMME(A1:A2)")
    non_retenue = proposition_datee(E.NON_RETENUE, {E.DEPOSEE: il_y_a(200), E.NON_RETENUE: il_y_a(20)},
                                    titre="Non retenue", donnees={"motif": "Hors compétence métropolitaine."})
    brouillon = PropositionFactory(auteur=auteur, titre="BROUILLON-SECRET")
    return {"adoptee": adoptee.__class__.objects.get(pk=adoptee.pk), "piege": piege, "non_retenue": non_retenue,
            "brouillon": brouillon, "elu": elu}


def lire_csv(reponse):
    return list(csv.DictReader(io.StringIO(reponse.content.decode("utf-8"))))


def test_la_page_documente_les_donnees(client, db):
    reponse = client.get("/donnees/")
    assert reponse.status_code == 200
    contenu = html_module.unescape(reponse.content.decode())
    assert "Licence Ouverte / Open Licence version 2.0" in contenu
    assert 'href="/donnees/propositions.csv"' in contenu and 'href="/donnees/propositions.json"' in contenu
    assert "UTF-8" in contenu and "ISO 8601" in contenu and "Mise à jour" in contenu
    for champ in donnees_ouvertes.CHAMPS_CSV + donnees_ouvertes.CHAMPS_JSON_SUPPLEMENTAIRES:
        assert f"<code>{champ.nom}</code>" in contenu
    assert "notes internes" in contenu  # says what is never published


def test_le_csv(client, jeu):
    reponse = client.get(URL_CSV)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"] == 'attachment; filename="propositions.csv"'
    contenu = reponse.content.decode("utf-8")
    assert contenu.splitlines()[0] == ",".join(c.nom for c in donnees_ouvertes.CHAMPS_CSV)
    for prive in ("BROUILLON-SECRET", "NOTE-INTERNE-CONFIDENTIELLE", COURRIEL_AUTEUR, "Privé"):
        assert prive not in contenu
    lignes = lire_csv(reponse)
    # Stable order: by submission, oldest first.
    assert [ligne["reference"] for ligne in lignes] == [
        jeu["adoptee"].reference, jeu["non_retenue"].reference, jeu["piege"].reference]
    adoptee = lignes[0]
    assert adoptee["etat"] == "en_oeuvre" and adoptee["etat_libelle"] == "En cours de mise en œuvre"
    assert adoptee["champs_action"] == f"{ChampAction.objects.get(numero=1)} | {ChampAction.objects.get(numero=2)}"
    assert adoptee["porteurs"] == "La Fabrique solidaire | Collectif des jardins"
    assert adoptee["communes"] == "Rivebelle"
    assert adoptee["atelier"] == "Atelier alimentation"
    assert adoptee["elu_responsable"] == "Nadia Benali"
    assert (adoptee["avancement"], adoptee["date_prevue"]) == ("40", "2027-03-31")
    assert adoptee["adoptee_le"] == donnees_ouvertes.date_iso(jeu["adoptee"].adoptee_le)
    assert adoptee["adoptee_le"][-6:] in ("+01:00", "+02:00")
    assert adoptee["adresse"] == f"http://testserver/propositions/{jeu['adoptee'].reference}/"
    assert lignes[1]["motif"] == "Hors compétence métropolitaine."
    piege = lignes[2]
    assert piege["titre"] == "'=HYPERLINK(\"http://mal.example\",\"clic\")"
    assert piege["resume"] == "'@SOMME(A1:A2)"
    assert piege["adoptee_le"] == "" and piege["avancement"] == ""


def test_le_json(client, jeu):
    reponse = client.get(URL_JSON)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json; charset=utf-8"
    assert reponse["Content-Disposition"] == 'inline; filename="propositions.json"'
    contenu = reponse.content.decode("utf-8")
    for prive in ("BROUILLON-SECRET", "NOTE-INTERNE-CONFIDENTIELLE", COURRIEL_AUTEUR, "Privé"):
        assert prive not in contenu
    donnees = json.loads(contenu)
    assert [p["reference"] for p in donnees] == [
        jeu["adoptee"].reference, jeu["non_retenue"].reference, jeu["piege"].reference]
    adoptee = donnees[0]
    assert set(adoptee) == {c.nom for c in donnees_ouvertes.CHAMPS_CSV + donnees_ouvertes.CHAMPS_JSON_SUPPLEMENTAIRES}
    assert adoptee["champs_action"] == [str(ChampAction.objects.get(numero=n)) for n in (1, 2)]
    assert adoptee["avancement"] == 40
    assert adoptee["titre"] == "Légumerie solidaire"  # JSON is not a spreadsheet: no quote added
    assert donnees[2]["titre"] == '=HYPERLINK("http://mal.example","clic")'
    parcours = adoptee["parcours"]
    assert [(etape["de"], etape["vers"]) for etape in parcours] == [
        ("brouillon", "deposee"), ("deposee", "en_instruction"), ("en_instruction", "en_atelier"),
        ("en_atelier", "soumise_pleniere"), ("soumise_pleniere", "adoptee"), ("adoptee", "en_oeuvre")]
    adoption = parcours[4]
    assert adoption["date"] == donnees_ouvertes.date_iso(jeu["adoptee"].adoptee_le)
    assert adoption["instance"] == "seance" and adoption["commentaire"] == "Adoptée à l'unanimité."
    assert adoption["lien"]["url"].startswith("http://testserver/")
    assert parcours[2]["lien"] == {"libelle": "Atelier alimentation",
                                   "url": "http://testserver" + jeu["adoptee"].atelier.get_absolute_url()}
    assert all("par" not in etape for etape in parcours)
    assert adoptee["points_suivi"] == [{"date": "2026-09-01", "texte": "<p>Local trouvé.</p>"}]
    assert adoptee["indicateurs"] == [{
        "libelle": "Tonnes transformées", "unite": "t", "valeur_reference": None, "cible": "50.00", "cible_texte": "",
        "valeurs": [{"date": "2026-12-31", "valeur": "12.00", "commentaire": ""}]}]
    assert donnees[1]["parcours"][-1]["vers"] == "non_retenue"


def test_sans_proposition_les_fichiers_sont_vides_mais_valides(client, db):
    PropositionFactory(titre="BROUILLON-SEUL")
    assert json.loads(client.get(URL_JSON).content) == []
    lignes = client.get(URL_CSV).content.decode().splitlines()
    assert len(lignes) == 1 and lignes[0].startswith("reference,titre,")


def test_une_proposition_fusionnee_pointe_vers_sa_cible(client, db):
    cible = proposition_datee(E.DEPOSEE, {E.DEPOSEE: il_y_a(20)})
    doublon = proposition_datee(E.DEPOSEE, {E.DEPOSEE: il_y_a(10)})
    workflow.changer_etat(doublon, E.FUSIONNEE, None, forcer_role=True, cible=cible)
    lignes = {ligne["reference"]: ligne for ligne in lire_csv(client.get(URL_CSV))}
    assert lignes[doublon.reference]["fusionnee_dans"] == cible.reference


@pytest.mark.parametrize("url", [URL_CSV, URL_JSON])
def test_nombre_de_requetes_constant(client, db, django_assert_max_num_queries, url):
    atelier = AtelierFactory()

    def creer(n):
        for i in range(n):
            p = proposition_datee(E.EN_OEUVRE if i % 2 else E.DEPOSEE, {E.DEPOSEE: il_y_a(100 + i)},
                                  donnees={"atelier": atelier}, structures=[StructureFactory()],
                                  communes=[CommuneFactory()])
            PointSuivi.objects.create(proposition=p, date=datetime.date(2026, 1, 1), texte="Point")
            indicateur = Indicateur.objects.create(proposition=p, libelle="Indicateur")
            ValeurIndicateur.objects.create(indicateur=indicateur, date=datetime.date(2026, 1, 1), valeur=1)

    creer(5)
    with CaptureQueriesContext(connection) as peu:
        assert client.get(url).status_code == 200
    creer(35)
    assert Proposition.objects.publiques().count() == 40
    with django_assert_max_num_queries(len(peu)):
        reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse.content.decode().count("/propositions/P-") >= 40
