"""The demo loaded today (marker ``dates``: ``make test-dates`` moves today, tests/horloge.py).

In a module of its own: the demos of ``test_chargement`` stay loaded until the end of their module."""

import pytest
from django.utils import timezone

from conseil_ess.demo.recit import PARIS

from .conftest import Chargement, charger
from .test_chargement import VERIFICATIONS

pytestmark = [pytest.mark.django_db]


@pytest.mark.dates
def test_la_demo_chargee_aujourd_hui():
    """Every check of ``test_chargement`` on the demo loaded at the (possibly simulated) present."""
    maintenant = timezone.now().astimezone(PARIS).replace(microsecond=0)
    sortie, recit = charger(maintenant)
    assert recit.aujourdhui == timezone.localdate(timezone=PARIS)
    demo = Chargement(maintenant, sortie, recit)
    for verification in VERIFICATIONS:
        verification(demo)
