"""Every template of the project compiles (a syntax error would otherwise show up as a 500 in use)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

RACINE = Path(settings.BASE_DIR)
GABARITS = sorted(
    str(p.relative_to(dossier))
    for dossier in [RACINE / "templates", *(RACINE / app / "templates" for app in ("home", "evenements", "ateliers"))]
    if dossier.exists()
    for p in dossier.rglob("*")
    if p.suffix in {".html", ".txt"}
)


def test_gabarits_trouves():
    assert "base.html" in GABARITS and len(GABARITS) > 20


@pytest.mark.parametrize("nom", GABARITS)
def test_gabarit_compile(nom):
    get_template(nom)
