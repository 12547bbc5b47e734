"""On SQLite, ``sauvegarder`` and ``restaurer`` refuse with a French message (PostgreSQL only; see
tests/production/test_sauvegarde.py for the real backup and restore)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="Le refus ne concerne que SQLite"),
    pytest.mark.django_db,
]


@pytest.mark.parametrize("commande", ["sauvegarder", "restaurer"])
def test_sur_sqlite_sauvegarde_et_restauration_refusent(commande, tmp_path):
    with pytest.raises(CommandError, match="ne fonctionnent qu'avec PostgreSQL.*copiez le fichier"):
        call_command(commande, str(tmp_path / "sauvegarde"))
    assert not (tmp_path / "sauvegarde").exists()
