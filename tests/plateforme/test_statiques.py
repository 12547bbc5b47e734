"""The static files' storage of production (conseil_ess/statiques.py): the same URLs as ServeStatic's manifest
storage, each computed once."""

import json

import pytest
from servestatic.storage import CompressedManifestStaticFilesStorage

from conseil_ess.statiques import StatiquesManifeste

NOMS = ["css/site.css", "js/menu.js", "favicon.svg", "images/logo ESS.svg"]


@pytest.fixture
def manifeste(tmp_path):
    chemins = {nom: nom.replace(".", ".0123abcd.", 1) for nom in NOMS}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": chemins, "version": "1.1", "hash": "x"}))
    return {"location": str(tmp_path), "base_url": "/static/"}


def test_memes_urls_que_servestatic(manifeste, settings):
    settings.DEBUG = False
    servestatic, nous = CompressedManifestStaticFilesStorage(**manifeste), StatiquesManifeste(**manifeste)
    for nom in NOMS:
        assert nous.url(nom) == nous.url(nom) == servestatic.url(nom)
    assert nous.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert nous.url("images/logo ESS.svg") == "/static/images/logo ESS.0123abcd.svg"
    with pytest.raises(ValueError):  # not in the manifest: refused, as ServeStatic does (and not kept)
        nous.url("absent.css")
    assert "absent.css" not in nous._urls


def test_une_url_calculee_une_fois(manifeste, settings, monkeypatch):
    settings.DEBUG = False
    stockage = StatiquesManifeste(**manifeste)
    appels = []
    calcul = CompressedManifestStaticFilesStorage.url
    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url",
                        lambda self, nom, force=False: appels.append(nom) or calcul(self, nom, force))
    for _ in range(3):
        stockage.url("js/menu.js")
    assert appels == ["js/menu.js"]
    stockage.url("js/menu.js", force=True)
    settings.DEBUG = True  # unhashed names: Django's code answers
    assert stockage.url("js/menu.js") == "/static/js/menu.js"
    assert len(appels) == 3
