"""``manage.py sauvegarder`` then ``manage.py restaurer`` into a fresh PostgreSQL database (PostgreSQL only).

The backup runs in the test process; the restore runs as an operator would run it: a ``manage.py restaurer``
process whose DATABASE_URL, MEDIA_ROOT and FICHIERS_PRIVES_ROOT are a new database (``sv_restaure_<random>``,
dropped at the end) and new folders. The restored database is then read with psycopg (a connection closed
at once): the counts of every table, the proposals' timelines and the private file come back. Restoring into
a database that has tables is refused; counts that differ from the manifest give a non-zero exit.
"""

import os
import secrets
import subprocess
import sys

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from conseil_ess.comptes.sauvegarde import MANIFESTE, compter, tables_du_projet
from conseil_ess.propositions.models import Etat, Proposition, Transition
from tests.benchmarks.serveurs import RACINE, url_base_de_donnees
from tests.propositions.fabriques import proposition_en

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="Sauvegarde : PostgreSQL requis (DATABASE_URL=postgres://…) ; 2e passe de CI"),
    pytest.mark.django_db(transaction=True),
]


def _connecter(nom):
    reglages = connection.settings_dict
    return psycopg.connect(host=reglages["HOST"] or None, port=reglages["PORT"] or None, user=reglages["USER"],
                           password=reglages["PASSWORD"] or None, dbname=nom, autocommit=True)


@pytest.fixture
def base_vide():
    """The name of a new empty database; dropped at the end."""
    nom = f"sv_restaure_{secrets.token_hex(4)}"
    with _connecter("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{nom}"')
    try:
        yield nom
    finally:
        with _connecter("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')


def restaurer(base, dossier, medias, prives, *options):
    env = {**os.environ, "DATABASE_URL": url_base_de_donnees({**connection.settings_dict, "NAME": base}),
           "MEDIA_ROOT": str(medias), "FICHIERS_PRIVES_ROOT": str(prives)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "manage.py", "restaurer", str(dossier), *options], cwd=RACINE, env=env,
                          capture_output=True, text=True, timeout=300)


def comptes(base, tables):
    with _connecter(base) as lien:
        existantes = {t for (t,) in lien.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        return {t: lien.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables if t in existantes}


REQUETE_CHRONOLOGIES = (
    f"SELECT p.reference, t.de, t.vers, t.le FROM {Transition._meta.db_table} t "
    f"JOIN {Proposition._meta.db_table} p ON p.id = t.proposition_id ORDER BY p.reference, t.le, t.id"
)


def test_une_sauvegarde_restauree_dans_une_base_neuve_redonne_les_memes_donnees(base_vide, settings, tmp_path):
    settings.FICHIERS_PRIVES_ROOT = tmp_path / "prives"
    settings.MEDIA_ROOT = tmp_path / "medias"
    (tmp_path / "prives" / "propositions").mkdir(parents=True)
    (tmp_path / "prives" / "propositions" / "piece.pdf").write_bytes(b"%PDF-1.4 contenu prive")
    (tmp_path / "medias").mkdir()
    (tmp_path / "medias" / "logo.png").write_bytes(b"png")
    proposition_en(Etat.ADOPTEE)
    proposition_en(Etat.RETIREE)
    proposition_en(Etat.EN_INSTRUCTION)
    with connection.cursor() as curseur:
        curseur.execute(REQUETE_CHRONOLOGIES)
        chronologies = curseur.fetchall()
    assert len(chronologies) >= 8

    call_command("sauvegarder", str(tmp_path / "sauvegarde"))

    manifeste = (tmp_path / "sauvegarde" / MANIFESTE).read_text()
    assert '"wagtailcore_page"' in manifeste and f'"{Transition._meta.db_table}": {len(chronologies)}' in manifeste
    resultat = restaurer(base_vide, tmp_path / "sauvegarde", tmp_path / "medias-r", tmp_path / "prives-r")
    assert resultat.returncode == 0, resultat.stderr
    assert "chaque table a le nombre de lignes du manifeste" in resultat.stdout

    tables = tables_du_projet()
    assert len(tables) > 50
    attendus = compter(connection, tables)
    assert comptes(base_vide, tables) == attendus
    assert attendus["wagtailcore_page"] >= 2 and attendus[Proposition._meta.db_table] >= 3
    with _connecter(base_vide) as lien:
        assert lien.execute(REQUETE_CHRONOLOGIES).fetchall() == chronologies
    assert (tmp_path / "prives-r" / "propositions" / "piece.pdf").read_bytes() == b"%PDF-1.4 contenu prive"
    assert (tmp_path / "medias-r" / "logo.png").read_bytes() == b"png"


def test_restaurer_dans_une_base_qui_a_des_tables_est_refuse_sauf_forcer(base_vide, settings, tmp_path):
    settings.FICHIERS_PRIVES_ROOT = tmp_path / "prives"
    settings.MEDIA_ROOT = tmp_path / "medias"
    proposition_en(Etat.DEPOSEE)
    call_command("sauvegarder", str(tmp_path / "sauvegarde"))
    with _connecter(base_vide) as lien:
        lien.execute("CREATE TABLE deja_la (id integer)")

    refus = restaurer(base_vide, tmp_path / "sauvegarde", tmp_path / "m", tmp_path / "p")

    assert refus.returncode != 0
    assert "n'est pas vide (1 tables)" in refus.stderr and "--forcer" in refus.stderr
    assert list(comptes(base_vide, ["deja_la", Proposition._meta.db_table])) == ["deja_la"]  # nothing restored

    force = restaurer(base_vide, tmp_path / "sauvegarde", tmp_path / "m", tmp_path / "p", "--forcer")
    assert force.returncode == 0, force.stderr
    assert comptes(base_vide, [Proposition._meta.db_table]) == {Proposition._meta.db_table: 1}


def test_une_restauration_dont_les_comptes_different_du_manifeste_echoue(base_vide, settings, tmp_path):
    settings.FICHIERS_PRIVES_ROOT = tmp_path / "prives"
    settings.MEDIA_ROOT = tmp_path / "medias"
    proposition_en(Etat.DEPOSEE)
    call_command("sauvegarder", str(tmp_path / "sauvegarde"))
    chemin = tmp_path / "sauvegarde" / MANIFESTE
    table = Proposition._meta.db_table
    chemin.write_text(chemin.read_text().replace(f'"{table}": 1,', f'"{table}": 2,'))

    resultat = restaurer(base_vide, tmp_path / "sauvegarde", tmp_path / "m", tmp_path / "p")

    assert resultat.returncode != 0
    assert f"{table} : 2 lignes attendues, 1 trouvées" in resultat.stderr
    assert "Vérification échouée : 1 table(s)" in resultat.stderr
