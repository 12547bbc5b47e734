"""PostgreSQL timestamps read by psycopg's own loader give exactly what Django's loader gives
(conseil_ess/horodatages.py). PostgreSQL only: CI's second pass."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import DataError, connection

from conseil_ess import horodatages

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="Chargeur psycopg : PostgreSQL requis (DATABASE_URL=postgres://…) ; 2e passe de CI"),
    pytest.mark.django_db,
]

VALEURS = [
    "2026-11-05 18:30:00+00", "2026-11-05 18:30:00.5+00", "2026-11-05 18:30:00.123456+00",
    "2026-11-05 19:30:00+01", "2026-03-29 01:59:59.999999+00", "2026-10-25 01:00:00+00",
    "0001-01-01 00:00:00+00", "9999-12-31 23:59:59.999999+00", "2000-02-29 12:00:00-09:30", None,
]


def lire(avec_le_chargeur_de_django):
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    marques = ", ".join(["%s::timestamptz"] * len(VALEURS))
    with connection.cursor() as curseur:
        if avec_le_chargeur_de_django:
            register_tzloader(connection.timezone, curseur.cursor)
        curseur.execute(f"SELECT {marques}", VALEURS)  # noqa: S608 - placeholders only
        return curseur.fetchone()


def test_le_chargeur_de_psycopg_est_celui_de_la_connexion():
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(horodatages.OID_TIMESTAMPTZ, 0) is horodatages.ChargeurPsycopg
    # Django's cursors keep it: their zone is the one it carries.
    with connection.cursor() as curseur:
        assert curseur.cursor.adapters.get_loader(horodatages.OID_TIMESTAMPTZ, 0) is horodatages.ChargeurPsycopg


def test_memes_valeurs_et_meme_fuseau_que_le_chargeur_de_django():
    rapides, django = lire(False), lire(True)
    assert rapides == django
    for rapide, attendu in zip(rapides, django, strict=True):
        if attendu is None:
            assert rapide is None
            continue
        assert rapide.tzinfo is attendu.tzinfo is datetime.UTC
        assert (rapide.isoformat(), rapide.fold) == (attendu.isoformat(), attendu.fold)
    assert rapides[3] == datetime.datetime(2026, 11, 5, 18, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize("valeur", ["infinity", "-infinity"])
def test_memes_erreurs_hors_des_limites(valeur):
    with connection.cursor() as curseur:
        curseur.execute("SELECT %s::timestamptz", [valeur])
        with pytest.raises(DataError, match="timestamp too"):
            curseur.fetchone()


@pytest.mark.parametrize(("django", "session"), [
    (ZoneInfo("Europe/Paris"), datetime.UTC), (datetime.UTC, ZoneInfo("Europe/Paris")), (None, datetime.UTC),
])
def test_un_autre_fuseau_garde_le_chargeur_de_django(django, session):
    enregistres = []
    brute = SimpleNamespace(info=SimpleNamespace(timezone=session),
                            adapters=SimpleNamespace(register_loader=lambda *a: enregistres.append(a)))
    horodatages._enregistrer(None, SimpleNamespace(vendor="postgresql", timezone=django, connection=brute))
    assert enregistres == []
    brute.info.timezone = django = datetime.UTC
    horodatages._enregistrer(None, SimpleNamespace(vendor="postgresql", timezone=django, connection=brute))
    assert enregistres == [(horodatages.OID_TIMESTAMPTZ, horodatages.ChargeurPsycopg)]
