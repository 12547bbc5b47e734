from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

TAILLE_MAX_DOCUMENT = 10 * 1024 * 1024


def _mo(octets):
    return formats.number_format(octets / (1024 * 1024), 1)


def valider_taille_document(fichier):
    """The validator of every uploaded document (minutes, proposals, séances): its size, then its content
    (``valider_contenu_document``). One name, already in the fields' migrations."""
    if fichier.size > TAILLE_MAX_DOCUMENT:
        raise ValidationError(
            _("Ce fichier pèse %(taille)s Mo : la limite est de %(max)s Mo.")
            % {"taille": _mo(fichier.size), "max": TAILLE_MAX_DOCUMENT // (1024 * 1024)}
        )
    if not getattr(fichier, "_committed", False):  # a new upload, not a file already stored
        valider_contenu_document(fichier)


# --- What a file is, from its bytes -------------------------------------------------------------------------
# A name ending in .pdf says nothing: an SVG or an HTML page renamed .pdf would be served to readers, and a zip
# bomb renamed .docx would fill the disk of whoever opens it. Each accepted extension has its signature.

SIGNATURE_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt (Office 97–2003)
BUREAUTIQUE_ZIP = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
OLE2 = {"doc", "xls", "ppt"}
TEXTE = {"csv", "txt"}
IMAGES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
_BALISAGE = (b"<svg", b"<html", b"<!doctype", b"<script", b"<?xml", b"<body", b"<iframe", b"<head")


def _debut(fichier, n=8192):
    position = fichier.tell() if hasattr(fichier, "tell") else 0
    fichier.seek(0)
    octets = fichier.read(n)
    fichier.seek(position)
    return octets


def _refuser(message=None):
    raise ValidationError(message or _("Le contenu de ce fichier ne correspond pas à son extension : "
                                       "enregistrez-le à nouveau dans son format d'origine."), code="contenu")


def _verifier_archive(fichier, extension):
    import zipfile

    from django.conf import settings

    fichier.seek(0)
    try:
        with zipfile.ZipFile(fichier) as archive:
            infos = archive.infolist()
            noms = {i.filename for i in infos}
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuser()
    finally:
        fichier.seek(0)
    if extension in {"docx", "xlsx", "pptx"} and "[Content_Types].xml" not in noms:
        _refuser()
    if extension in {"odt", "ods", "odp"} and "mimetype" not in noms:
        _refuser()
    decompresse = sum(i.file_size for i in infos)
    compresse = max(1, sum(i.compress_size for i in infos))
    if (len(infos) > settings.FICHIERS_ARCHIVE_MAX_ELEMENTS or decompresse > settings.FICHIERS_ARCHIVE_TAILLE_MAX
            or decompresse / compresse > settings.FICHIERS_ARCHIVE_RATIO_MAX):
        _refuser(_("Ce document se décompresse en %(taille)s Mo : la limite est de %(max)s Mo. Enregistrez-le "
                   "sans contenu inutile ou en PDF.")
                 % {"taille": _mo(decompresse), "max": settings.FICHIERS_ARCHIVE_TAILLE_MAX // (1024 * 1024)})


def valider_contenu_document(fichier):
    """Check that the bytes of ``fichier`` are what its extension says (filetype for the signatures, the zip's
    own table for office files); French error next to the field."""
    import os

    import filetype

    extension = os.path.splitext(getattr(fichier, "name", "") or "")[1].lower().lstrip(".")
    debut = _debut(fichier)
    tete = debut.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    devine = filetype.guess(debut)
    if tete.startswith(b"<") or any(m in tete[:1024] for m in _BALISAGE):
        # Markup (SVG, HTML) is never a document here, whatever its name.
        _refuser(_("Ce fichier contient une page web ou une image SVG : ces formats ne sont pas acceptés."))
    if extension == "pdf":
        if b"%PDF" not in debut[:1024]:
            _refuser()
    elif extension in IMAGES:
        if devine is None or devine.mime != IMAGES[extension]:
            _refuser()
    elif extension in BUREAUTIQUE_ZIP:
        if not debut.startswith(b"PK\x03\x04"):
            _refuser()
        _verifier_archive(fichier, extension)
    elif extension in OLE2:
        if not debut.startswith(SIGNATURE_OLE2):
            _refuser()
    elif extension in TEXTE:
        if b"\x00" in debut or devine is not None:
            _refuser()
        try:
            debut.decode("utf-8")
        except UnicodeDecodeError as erreur:
            if erreur.start < len(debut) - 4:  # not only a character cut at the end of the sample
                try:
                    debut.decode("cp1252")
                except UnicodeDecodeError:
                    _refuser()


def verifier_plafonds_pieces_jointes(deja_sur_l_objet, deja_aujourd_hui):
    """Refuse one more attachment past ``PIECES_JOINTES_MAX_PAR_OBJET`` on the object or
    ``PIECES_JOINTES_MAX_PAR_JOUR`` by the person over the last 24 hours (French message)."""
    from django.conf import settings

    if deja_sur_l_objet >= settings.PIECES_JOINTES_MAX_PAR_OBJET:
        raise ValidationError(_("Ce contenu a déjà %(n)s documents joints : c'est le maximum.")
                              % {"n": deja_sur_l_objet}, code="plafond_objet")
    if deja_aujourd_hui >= settings.PIECES_JOINTES_MAX_PAR_JOUR:
        raise ValidationError(_("Vous avez joint %(n)s documents en 24 heures : c'est le maximum. Réessayez demain.")
                              % {"n": deja_aujourd_hui}, code="plafond_jour")
