"""The leak guard of the suite (tests/connexions.py) sees a connection that a thread leaves open."""

import threading

import pytest
from django.db import connection

from tests.connexions import Gardien


@pytest.mark.django_db(transaction=True)
def test_le_gardien_voit_la_connexion_d_un_fil_puis_plus_rien_quand_il_la_ferme():
    connection.ensure_connection()
    gardien = Gardien()
    ouverte, fermer = threading.Event(), threading.Event()

    def fil():
        from django.contrib.auth import get_user_model
        from django.db import connection as connexion_du_fil

        get_user_model().objects.count()  # opens this thread's own connection
        ouverte.set()
        fermer.wait(timeout=30)
        connexion_du_fil.close()

    t = threading.Thread(target=fil)
    t.start()
    try:
        assert ouverte.wait(timeout=30)
        fuites = gardien.autres_connexions()
        assert len(fuites) == 1, fuites
    finally:
        fermer.set()
        t.join(timeout=30)
    assert gardien.restantes() == []
    gardien.fermer()
