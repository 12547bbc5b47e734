"""The demo's data files: TOML written for the story of 2026, read through ``lire`` and told by a ``Recit``."""

import tomllib
from functools import cache
from pathlib import Path

DOSSIER = Path(__file__).resolve().parent


@cache
def brut(nom):
    """Return the data file as written (placeholders and 2026 dates kept)."""
    with (DOSSIER / f"{nom}.toml").open("rb") as fichier:
        return tomllib.load(fichier)


def lire(nom, recit):
    """Return the data file ``donnees/<nom>.toml`` told in ``recit`` (dates moved, placeholders filled in)."""
    return recit.transposer(brut(nom))
