"""Uploads checked by their bytes, not their name (issue 19): SVG, HTML and zip bombs renamed .pdf/.docx are
refused with a French message; attachments capped per object and per person and day."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ateliers.validators import valider_contenu_document, valider_taille_document, verifier_plafonds_pieces_jointes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def _zip(fichiers, compression=zipfile.ZIP_DEFLATED):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression) as archive:
        for nom, contenu in fichiers.items():
            archive.writestr(nom, contenu)
    return tampon.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document/>"})
BOMBE = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": b"0" * (20 * 1024 * 1024)})


def _fichier(nom, contenu):
    return SimpleUploadedFile(nom, contenu)


@pytest.mark.parametrize(("nom", "contenu"), [
    ("note.pdf", PDF), ("photo.png", PNG), ("rapport.docx", DOCX), ("compte-rendu.odt", ODT),
    ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ("liste.csv", "nom;commune\nCafé;Rivebelle\n".encode()),
    ("lisez-moi.txt", "Texte en latin-1 : é".encode("cp1252")),
])
def test_les_vrais_documents_passent(nom, contenu):
    valider_contenu_document(_fichier(nom, contenu))


@pytest.mark.parametrize(("nom", "contenu"), [
    ("note.pdf", SVG), ("note.pdf", HTML), ("rapport.docx", SVG), ("photo.png", SVG), ("photo.jpg", PNG),
    ("liste.csv", HTML), ("note.txt", SVG), ("rapport.docx", PDF),
    ("tableau.xlsx", DOCX.replace(b"[Content_Types]", b"[Autre_Types___]")),
    ("texte.odt", DOCX), ("note.pdf", b"MZ\x90\x00 executable"), ("ancien.doc", PDF), ("liste.csv", PNG),
])
def test_un_contenu_deguise_est_refuse(nom, contenu):
    with pytest.raises(ValidationError) as erreur:
        valider_contenu_document(_fichier(nom, contenu))
    assert "ne correspond pas" in erreur.value.messages[0] or "SVG" in erreur.value.messages[0]


def test_une_bombe_zip_est_refusee(settings):
    settings.FICHIERS_ARCHIVE_TAILLE_MAX = 10 * 1024 * 1024
    assert len(BOMBE) < 100 * 1024  # small on the wire
    with pytest.raises(ValidationError) as erreur:
        valider_contenu_document(_fichier("rapport.docx", BOMBE))
    assert "se décompresse" in erreur.value.messages[0]


def test_un_taux_de_compression_extreme_est_refuse(settings):
    settings.FICHIERS_ARCHIVE_RATIO_MAX = 50
    with pytest.raises(ValidationError):
        valider_contenu_document(_fichier("rapport.docx", _zip({"[Content_Types].xml": "<Types/>",
                                                                 "word/document.xml": b"0" * 200_000})))


def test_le_validateur_des_champs_verifie_le_contenu():
    """The fields' validator (already in their migrations) checks the content of a new upload."""
    with pytest.raises(ValidationError):
        valider_taille_document(_fichier("note.pdf", SVG))


def test_plafonds(settings):
    settings.PIECES_JOINTES_MAX_PAR_OBJET, settings.PIECES_JOINTES_MAX_PAR_JOUR = 3, 5
    verifier_plafonds_pieces_jointes(2, 4)
    with pytest.raises(ValidationError, match="maximum"):
        verifier_plafonds_pieces_jointes(3, 0)
    with pytest.raises(ValidationError, match="24 heures"):
        verifier_plafonds_pieces_jointes(0, 5)


@pytest.mark.django_db
def test_une_proposition_n_accepte_pas_plus_de_pieces_que_le_plafond(settings):
    from django.core.files.base import ContentFile

    from conseil_ess.comptes.services import ActionImpossible
    from conseil_ess.propositions import services
    from tests.propositions.fabriques import PropositionFactory

    settings.PIECES_JOINTES_MAX_PAR_OBJET = 2
    brouillon = PropositionFactory()
    for i in range(2):
        services.ajouter_piece_jointe(brouillon, f"Annexe {i}", ContentFile(PDF, name=f"annexe{i}.pdf"),
                                      brouillon.auteur)
    with pytest.raises(ActionImpossible, match="maximum"):
        services.ajouter_piece_jointe(brouillon, "Une de trop", ContentFile(PDF, name="trop.pdf"), brouillon.auteur)


@pytest.mark.django_db
def test_le_formulaire_de_proposition_refuse_un_svg_renomme():
    from conseil_ess.propositions.forms import PropositionForm

    formulaire = PropositionForm(data={}, files={"piece_fichier": _fichier("note.pdf", SVG)}, user=None)
    formulaire.is_valid()
    assert "piece_fichier" in formulaire.errors
    assert "SVG" in formulaire.errors["piece_fichier"][0]
