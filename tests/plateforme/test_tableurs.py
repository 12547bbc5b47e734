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


def _viewsets_exportables():
    import inspect

    from wagtail.admin.viewsets.model import ModelViewSet

    import ateliers.wagtail_hooks
    import conseil_ess.comptes.wagtail_hooks
    import conseil_ess.propositions.wagtail_hooks
    import conseil_ess.seances.wagtail_hooks
    import evenements.wagtail_hooks

    modules = [conseil_ess.comptes.wagtail_hooks, evenements.wagtail_hooks, ateliers.wagtail_hooks,
               conseil_ess.propositions.wagtail_hooks, conseil_ess.seances.wagtail_hooks]
    return sorted({classe for module in modules for classe in vars(module).values()
                   if inspect.isclass(classe) and issubclass(classe, ModelViewSet)
                   and isinstance(getattr(classe, "list_export", None), (list, tuple)) and classe.list_export},
                  key=lambda c: c.__qualname__)


def test_chaque_export_de_l_admin_passe_par_le_meme_nettoyage():
    """A CSV/xlsx export of the admin that bypassed ``ExportMixin`` would write control characters raw
    (a corrupt .xlsx) and formulas unneutralised: every viewset that exports uses it."""
    from conseil_ess.comptes.admin_views import ExportMixin

    exportables = _viewsets_exportables()
    assert len(exportables) >= 6, exportables
    sans = [v.__qualname__ for v in exportables if not issubclass(v.index_view_class, ExportMixin)]
    assert sans == []


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_texte_long_hostile_dans_les_exports(client, format_):
    """Multi-line text fields keep their line breaks but lose every other control character, in both formats."""
    from django.db import connection

    from evenements.models import Lieu

    hostile = "Rampe\x01 d'accès\x0b\nascenseur \uffff\ufffe=HYPERLINK(\"x\")"
    proposition = proposition_en("deposee", titre="Réemploi")
    lieu = Lieu.objects.create(nom="Halle", slug="halle")
    with connection.cursor() as curseur:
        curseur.execute(f"UPDATE {lieu._meta.db_table} SET infos_accessibilite = %s WHERE id = %s", [hostile, lieu.pk])
        curseur.execute(f"UPDATE {proposition._meta.db_table} SET resume = %s WHERE id = %s",
                        [hostile, proposition.pk])
    client.force_login(creer_utilisateur("agent"))
    # A place's accessibility notes are multi-line (the break stays); a proposal's summary is one line
    # (the model's single-line guard turns the break into a space).
    for adresse, attendu in ((reverse("evenements_lieux:index"), "Rampe d'accès\nascenseur =HYPERLINK(\"x\")"),
                             (reverse("propositions_admin:index"), "Rampe d'accès ascenseur =HYPERLINK(\"x\")")):
        reponse = client.get(adresse, {"export": format_})
        assert reponse.status_code == 200, adresse
        contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
        if format_ == "xlsx":
            valeurs = [c for ligne in load_workbook(io.BytesIO(contenu)).active.iter_rows(values_only=True)
                       for c in ligne if isinstance(c, str)]
        else:
            lignes = csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";")
            valeurs = [c for ligne in lignes for c in ligne]
        assert attendu in valeurs, (adresse, [v for v in valeurs if "Rampe" in v])
