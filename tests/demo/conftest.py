"""The demo loaded once per instant and shared by the tests of a module (loading takes ~15 s)."""

import dataclasses
import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from conseil_ess.demo.recit import PARIS, Recit

COMPTE = re.compile(r"^(\S+@example\.org)\s+(\S+)\s+(.+)$")


def a_paris(jour, heure="10:00"):
    return datetime.datetime.combine(jour, datetime.time.fromisoformat(heure), tzinfo=PARIS)


@dataclasses.dataclass
class Chargement:
    maintenant: datetime.datetime
    sortie: str
    recit: Recit

    @property
    def annee(self):
        return self.recit.annee

    def mots_de_passe(self):
        """{e-mail: password} as ``charger_demo`` printed them."""
        return {m.group(1): m.group(2) for m in map(COMPTE.match, self.sortie.splitlines()) if m}


def charger(maintenant, *args):
    """Run ``charger_demo`` with the clock frozen at ``maintenant``; return the ``Chargement``."""
    sortie = StringIO()
    with time_machine.travel(maintenant, tick=False):
        call_command("charger_demo", *args, stdout=sortie)
        recit = Recit(maintenant=maintenant)
    return sortie.getvalue(), recit


@pytest.fixture(scope="module")
def demo_chargee(request, django_db_setup, django_db_blocker):
    """The demo loaded at ``request.param`` (an aware datetime), rolled back after the module's tests that use it."""
    maintenant = request.param
    with django_db_blocker.unblock():
        bloc = transaction.atomic()
        bloc.__enter__()
        try:
            sortie, recit = charger(maintenant)
            yield Chargement(maintenant, sortie, recit)
        finally:
            transaction.set_rollback(True)
            bloc.__exit__(None, None, None)
