"""Spreadsheets: the office exports open cleanly in French Excel (``;`` and a UTF-8 BOM, or .xlsx), the
open data CSV stays RFC 4180; accented headers survive; a control character never breaks an export."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conseil_ess.comptes.tableurs import sans_caracteres_interdits
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.propositions.fabriques import proposition_en
from tests.tableurs import lire_export

pytestmark = pytest.mark.django_db

LISTE_EVENEMENTS = reverse("evenements_admin:index")


def test_export_de_l_admin_en_csv_pour_excel(client):
    EvenementFactory(titre="Café-débat : l'économie circulaire\x0b à Rivebelle")
    client.force_login(creer_utilisateur("agent"))
    reponse = client.get(LISTE_EVENEMENTS, {"export": "csv"})
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    lignes = lire_export(reponse)
    entete = lignes[0]
    assert any("é" in titre for titre in entete), entete  # accented headers survive (e.g. « Début »)
    assert len(lignes) == 2 and len(lignes[1]) == len(entete)
    assert any(cellule.startswith("Café-débat : l'économie circulaire") for cellule in lignes[1])


def test_export_de_l_admin_en_xlsx_malgre_un_caractere_de_controle(client):
    from django.db import connection

    evenement = EvenementFactory()
    # Written past the models' single-line guard (conseil_ess/champs.py), as data stored before it would be.
    with connection.cursor() as curseur:
        curseur.execute(f"UPDATE {evenement._meta.db_table} SET titre = %s WHERE id = %s",
                        ["Ressourcerie\x01 solidaire \uffff", evenement.pk])
    client.force_login(creer_utilisateur("agent"))
    reponse = client.get(LISTE_EVENEMENTS, {"export": "xlsx"})
    assert reponse.status_code == 200
    classeur = load_workbook(io.BytesIO(b"".join(reponse.streaming_content) if reponse.streaming else reponse.content))
    valeurs = [c for ligne in classeur.active.iter_rows(values_only=True) for c in ligne if isinstance(c, str)]
    # Cleaned on load by the model's guard; the cell guard itself is ``test_caracteres_interdits``.
    assert "Ressourcerie solidaire" in valeurs
    assert any("é" in v for v in valeurs[:20])


def test_export_du_suivi_pour_excel(client):
    proposition_en("deposee", titre="Réemploi : un réseau de ressourceries")
    client.force_login(creer_utilisateur("elu"))
    reponse = client.get("/suivi/export.csv")
    lignes = lire_export(reponse)
    assert lignes[0][:3] == ["Référence", "Titre", "État"]
    assert lignes[1][1] == "Réemploi : un réseau de ressourceries"


def test_les_donnees_ouvertes_restent_en_rfc_4180(client):
    proposition_en("deposee", titre="Réemploi ; virgules, et « guillemets »")
    contenu = client.get("/donnees/propositions.csv").content
    assert not contenu.startswith("\ufeff".encode())
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8"))))
    assert len(lignes) == 2 and len(lignes[0]) == len(lignes[1]) > 3
    assert "Réemploi ; virgules, et « guillemets »" in lignes[1]


def test_caracteres_interdits():
    assert sans_caracteres_interdits("a\x00b\x1fc\td\ne\uffff") == "abc\td\ne"
