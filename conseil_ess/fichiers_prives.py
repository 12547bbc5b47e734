"""Serving a file of the private storage (``FICHIERS_PRIVES_ROOT``), once the view has checked the reader.

Behind nginx (``FICHIERS_PRIVES_X_ACCEL``, production settings) the answer is an empty response whose
``X-Accel-Redirect`` header names the file under ``FICHIERS_PRIVES_X_ACCEL_PREFIX``, an ``internal`` location
of nginx (``deploy/nginx/conseil-ess.conf``): nginx sends the file itself, so a download never holds a gunicorn
worker, and nobody can ask nginx for that prefix directly. Elsewhere (``make demo``, tests) Django streams it.
"""

import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


def telecharger(fichier):
    """Return the download of ``fichier`` (a FieldFile) under its own name; 404 when it is missing on disk."""
    if getattr(settings, "FICHIERS_PRIVES_X_ACCEL", False):
        return _par_nginx(fichier)
    try:
        contenu = fichier.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(contenu, as_attachment=True, filename=os.path.basename(fichier.name))


def _par_nginx(fichier):
    if not fichier or not fichier.storage.exists(fichier.name):
        raise Http404
    nom = os.path.basename(fichier.name)
    type_, _encodage = mimetypes.guess_type(nom)
    reponse = HttpResponse(content_type=type_ or "application/octet-stream")
    # The path relative to FICHIERS_PRIVES_ROOT, percent-encoded (nginx decodes it before looking up the file).
    reponse["X-Accel-Redirect"] = settings.FICHIERS_PRIVES_X_ACCEL_PREFIX + quote(fichier.name.replace(os.sep, "/"))
    reponse["Content-Disposition"] = content_disposition_header(True, nom)
    # The reader was checked: the file must not be kept by a shared cache.
    reponse["Cache-Control"] = "private, no-store"
    return reponse
