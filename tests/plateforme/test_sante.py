"""/sante/ (health endpoint of the load balancers) and the X-Accel-Redirect answer of private files."""

import json
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile

from conseil_ess import sante
from conseil_ess.propositions.models import PieceJointe
from tests.propositions.fabriques import PropositionFactory

pytestmark = pytest.mark.django_db


def test_sante_repond_200_sans_donnee_personnelle(client, settings):
    settings.REDIS_URL = ""
    reponse = client.get("/sante/")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json"
    assert "no-cache" in reponse["Cache-Control"]
    assert json.loads(reponse.content) == {"statut": "ok", "postgresql": "ok", "redis": "non configuré"}
    assert "sessionid" not in reponse.cookies


def test_sante_nomme_redis_quand_il_ne_repond_pas(client, settings):
    # A port nobody listens on (1 is reserved): the ping fails, the answer is 503 and names Redis.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    sante._clients_redis.clear()
    try:
        reponse = client.get("/sante/")
    finally:
        sante._clients_redis.clear()
    assert reponse.status_code == 503
    assert json.loads(reponse.content) == {"statut": "erreur", "postgresql": "ok", "redis": "erreur"}


def test_sante_nomme_postgresql_quand_la_base_ne_repond_pas(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def panne():
        raise OSError("connexion refusée")

    monkeypatch.setattr(sante, "_postgresql", panne)
    reponse = client.get("/sante/")
    assert reponse.status_code == 503
    assert json.loads(reponse.content)["postgresql"] == "erreur"


def test_sante_refuse_les_ecritures(client):
    assert client.post("/sante/").status_code == 405


@pytest.fixture
def piece(settings, tmp_path):
    settings.FICHIERS_PRIVES_ROOT = tmp_path
    proposition = PropositionFactory()
    return PieceJointe.objects.create(proposition=proposition, titre="Annexe",
                                      fichier=ContentFile(b"%PDF-1.4 annexe", name="annexe été.pdf"))


def test_piece_jointe_confiee_a_nginx_apres_la_verification(client, settings, piece):
    settings.FICHIERS_PRIVES_X_ACCEL = True
    settings.FICHIERS_PRIVES_X_ACCEL_PREFIX = "/_prive/"
    client.force_login(piece.proposition.auteur)
    reponse = client.get(f"/propositions/pieces/{piece.pk}/")
    assert reponse.status_code == 200
    assert reponse.content == b""
    assert reponse["X-Accel-Redirect"].startswith("/_prive/")
    assert reponse["X-Accel-Redirect"] == "/_prive/" + "/".join(
        quote(partie) for partie in piece.fichier.name.split("/"))
    assert "%C3%A9" in reponse["X-Accel-Redirect"]
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"].startswith("attachment;")
    assert "private" in reponse["Cache-Control"]


def test_piece_jointe_refusee_sans_x_accel(client, settings, piece):
    settings.FICHIERS_PRIVES_X_ACCEL = True
    reponse = client.get(f"/propositions/pieces/{piece.pk}/")  # a draft's attachment: its author only
    assert reponse.status_code == 404
    assert not reponse.has_header("X-Accel-Redirect")


def test_piece_jointe_manquante_sur_disque_404(client, settings, piece):
    settings.FICHIERS_PRIVES_X_ACCEL = True
    piece.fichier.storage.delete(piece.fichier.name)
    client.force_login(piece.proposition.auteur)
    reponse = client.get(f"/propositions/pieces/{piece.pk}/")
    assert reponse.status_code == 404
    assert not reponse.has_header("X-Accel-Redirect")


def test_piece_jointe_servie_par_django_hors_production(client, piece):
    client.force_login(piece.proposition.auteur)
    reponse = client.get(f"/propositions/pieces/{piece.pk}/")
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == b"%PDF-1.4 annexe"
    assert not reponse.has_header("X-Accel-Redirect")
