"""Events open data (/donnees/evenements.csv and .json, the agenda's filters) and each event's schema.org JSON-LD."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from evenements.donnees_ouvertes import CHAMPS_CSV
from evenements.models import Evenement
from tests.factories import CommuneFactory, StructureFactory

from .fabriques import EvenementFactory, LieuFactory, creer_en_masse, dans, mois_suivant

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
CSV = reverse("evenements:donnees_csv")
JSON = reverse("evenements:donnees_json")


def lire_csv(reponse):
    assert reponse.status_code == 200 and reponse["Content-Type"] == "text/csv; charset=utf-8"
    texte = reponse.content.decode("utf-8")
    assert not texte.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(texte)))


def test_csv_evenements_publies_publics_avec_filtres(client):
    rivebelle = CommuneFactory(nom="Rivebelle", slug="rivebelle")
    ici = EvenementFactory(titre="=HYPERLINK(\"http://x\")", lieu=LieuFactory(commune=rivebelle),
                           interpretation_lsf=True, structures=[StructureFactory(nom="Coop")])
    ailleurs = EvenementFactory(titre="Ailleurs")
    EvenementFactory(titre="Brouillon", publication=Evenement.Publication.BROUILLON)
    EvenementFactory(titre="Réservé", visibilite=Evenement.Visibilite.MEMBRES)
    lignes = lire_csv(client.get(CSV))
    assert list(lignes[0]) == [c.nom for c in CHAMPS_CSV]
    assert {x["identifiant"] for x in lignes} == {ici.uid, ailleurs.uid}
    filtre = lire_csv(client.get(CSV, {"commune": "rivebelle", "acces": "lsf"}))
    assert [x["identifiant"] for x in filtre] == [ici.uid]
    assert filtre[0]["titre"].startswith("'=") and filtre[0]["commune"] == "Rivebelle"
    assert filtre[0]["organisateurs"] == "Coop" and filtre[0]["lsf"] == "true"
    assert filtre[0]["debut"] == ici.debut.astimezone(datetime.timezone(ici.debut.utcoffset())).isoformat()


def test_json_et_requetes_constantes(client, django_assert_max_num_queries):
    creer_en_masse(5, mois_suivant())
    with django_assert_max_num_queries(8):
        petit = client.get(JSON)
    EvenementFactory.create_batch(15)
    with django_assert_max_num_queries(8):
        grand = client.get(JSON)
    with django_assert_max_num_queries(8):
        client.get(CSV)
    assert len(json.loads(grand.content)) == len(json.loads(petit.content)) + 15
    donnee = json.loads(grand.content)[0]
    assert isinstance(donnee["gratuit"], bool) and "description" in donnee


def test_la_page_donnees_documente_les_evenements(client):
    page = client.get(reverse("propositions:donnees")).content.decode()
    assert CSV in page and JSON in page and "lien_inscription" in page


def _json_ld(reponse):
    bloc = re.search(r'<script type="application/ld\+json">(.*?)</script>', reponse.content.decode(), re.S)
    assert bloc, "pas de JSON-LD"
    return json.loads(bloc.group(1))


def test_schema_org_evenement_sur_place_payant(client):
    lieu = LieuFactory(nom="Halle", adresse="1 rue Haute", latitude=Decimal("47.2"), longitude=Decimal("-1.5"),
                       commune=CommuneFactory(nom="Port-Aval", slug="port-aval"))
    e = EvenementFactory(titre="Forum </script><script>alert(1)</script>", lieu=lieu, gratuit=False,
                         tarif="4,50 €", description="<p>Un <b>forum</b> &amp; des stands</p>",
                         structures=[StructureFactory(nom="La Fabrique")])
    reponse = client.get(e.get_absolute_url())
    assert "</script><script>alert(1)" not in reponse.content.decode()
    d = _json_ld(reponse)
    assert d["@type"] == "Event" and d["name"] == e.titre
    assert d["startDate"] == e.debut.astimezone(datetime.timezone(e.debut.utcoffset())).isoformat()
    assert d["eventStatus"] == "https://schema.org/EventScheduled"
    assert d["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert d["location"]["address"]["addressLocality"] == "Port-Aval" and d["location"]["geo"]["latitude"] == 47.2
    assert d["organizer"]["name"] == "La Fabrique" and d["isAccessibleForFree"] is False
    assert d["offers"]["price"] == "4.50" and d["offers"]["priceCurrency"] == "EUR"
    assert d["description"] == "Un forum & des stands" and d["url"].endswith(e.get_absolute_url())


def test_schema_org_en_ligne_annule_journee_entiere(client):
    debut = dans(12, 0)
    e = EvenementFactory(mode=Evenement.Mode.EN_LIGNE, lieu=None, lien_en_ligne="https://visio.example.org/",
                         statut=Evenement.Statut.ANNULE, motif_statut="Intempéries", journee_entiere=True,
                         debut=debut, fin=debut + datetime.timedelta(days=2))
    d = _json_ld(client.get(e.get_absolute_url()))
    assert d["eventStatus"] == "https://schema.org/EventCancelled"
    assert d["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert d["location"]["@type"] == "VirtualLocation"
    assert d["startDate"] == debut.date().isoformat()
    assert d["endDate"] == (debut.date() + datetime.timedelta(days=1)).isoformat()
    assert "offers" not in d


def test_schema_org_hybride_reporte(client):
    e = EvenementFactory(mode=Evenement.Mode.HYBRIDE, lien_en_ligne="https://visio.example.org/",
                         statut=Evenement.Statut.REPORTE, motif_statut="Salle indisponible")
    d = _json_ld(client.get(e.get_absolute_url()))
    assert d["eventStatus"] == "https://schema.org/EventPostponed"
    assert d["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [x["@type"] for x in d["location"]] == ["Place", "VirtualLocation"]
