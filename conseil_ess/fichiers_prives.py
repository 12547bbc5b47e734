"""Serving a file of the private storage (``FICHIERS_PRIVES_ROOT``), once the view has checked the reader."""

import os

from django.http import FileResponse, Http404


def telecharger(fichier):
    """Return the download of ``fichier`` (a FieldFile) under its own name; 404 when it is missing on disk."""
    try:
        contenu = fichier.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(contenu, as_attachment=True, filename=os.path.basename(fichier.name))
