"""Two devices scanning the same entry code at the same instant: the person is counted once (PostgreSQL only).

Each scan is a thread with its own database connection, released together by a barrier, as two phones at the
door would be. ``inscrits.marquer_present`` writes with ``UPDATE … WHERE present_le IS NULL``: the second
update waits for the first one's row lock, reads the row again and writes nothing. The negative control does
a read-then-write without that condition and shows the race exists. SQLite serialises every writer, so these
tests run in CI's second pass.
"""

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from evenements import inscrits, services
from evenements.models import Inscription
from tests.concurrence import en_meme_temps
from tests.conftest import creer_utilisateur
from tests.factories import UserFactory

from .fabriques import EvenementFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrence : PostgreSQL requis (DATABASE_URL=postgres://…) ; 2e passe de CI",
    ),
    pytest.mark.django_db(transaction=True),
]
APPAREILS = 8


def test_deux_telephones_scannent_le_meme_code_compte_une_fois():
    agent = creer_utilisateur("agent")
    for tour in range(3):  # every run, not once by luck
        evenement = EvenementFactory(inscription_sur_plateforme=True)
        inscription = services.inscrire(evenement, UserFactory())
        code = inscrits.code_emargement(inscription)

        def scanner():
            return inscrits.marquer_present(evenement, inscrits.inscription_du_code(code, evenement), agent)

        resultats, erreurs = en_meme_temps([(scanner,) for _ in range(APPAREILS)])

        reussis = [r for r in resultats if r is not None]
        assert len(reussis) == 1, f"tour {tour}: {erreurs}"
        refus = [str(e) for e in erreurs if e is not None]
        assert len(refus) == APPAREILS - 1 and all("déjà enregistré·e comme présent·e" in r for r in refus)
        assert inscrits.compteurs(evenement)["presents"] == 1
        assert (
            ModelLogEntry.objects.filter(action="conseil.inscription.presente", object_id=str(inscription.pk)).count()
            == 1
        )


def test_controle_negatif_sans_la_condition_la_course_existe():
    """Read, then write: several devices each believe they counted the person (what the condition prevents)."""
    evenement = EvenementFactory(inscription_sur_plateforme=True)
    inscription = services.inscrire(evenement, UserFactory())

    def naif():
        lue = Inscription.objects.get(pk=inscription.pk)
        if lue.present_le is None:
            import time

            time.sleep(0.2)  # the time a request takes between its read and its write
            Inscription.objects.filter(pk=inscription.pk).update(present_le=timezone.now())
            return True
        return False

    resultats, erreurs = en_meme_temps([(naif,) for _ in range(APPAREILS)])
    assert erreurs == [None] * APPAREILS
    assert sum(resultats) > 1
