"""The demo command: idempotent, generated passwords, MFA ready for staff, removal of demo objects only."""

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from conseil_ess.comptes.models import Commune, Structure, User
from tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def charger(*args):
    sortie = StringIO()
    call_command("charger_demo", *args, stdout=sortie)
    return sortie.getvalue()


def test_charger_demo_idempotent_et_comptes_affiches():
    premiere = charger()
    comptes = (User.objects.count(), Structure.objects.count(), Commune.objects.count())
    seconde = charger()
    assert (User.objects.count(), Structure.objects.count(), Commune.objects.count()) == comptes
    assert Structure.objects.filter(is_demo=True).count() == 16 + 7
    for sortie in (premiere, seconde):
        assert "nadia.benarfa@example.org" in sortie
        assert "thomas.lefebvreadam@example.org" in sortie
    # Passwords are generated at each load, never hard-coded, and they work.
    mdp1 = re.search(r"nadia\.benarfa@example\.org\s+(\S+)", premiere).group(1)
    mdp2 = re.search(r"nadia\.benarfa@example\.org\s+(\S+)", seconde).group(1)
    assert mdp1 != mdp2
    assert User.objects.get(email="nadia.benarfa@example.org").check_password(mdp2)


def test_personnel_avec_mfa_et_codes_de_recuperation_affiches():
    sortie = charger()
    for email in ("thomas.lefebvreadam@example.org", "helene.marceau@example.org",
                  "claire.vasseur@example.org"):  # the CRESS coordinator moderates events in the admin
        user = User.objects.get(email=email)
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(), email
        assert re.search(rf"{re.escape(email)} : clé TOTP [A-Z2-7]+", sortie), email
    assert not Authenticator.objects.filter(user__email="nadia.benarfa@example.org").exists()
    # The TOTP secret stays the same between loads (an authenticator app keeps working).
    secret = re.search(r"thomas\.lefebvreadam@example\.org : clé TOTP (\S+)", sortie).group(1)
    assert f"thomas.lefebvreadam@example.org : clé TOTP {secret}" in charger()


def test_reset_ne_supprime_que_la_demo():
    charger()
    reelle = StructureFactory(nom="Structure réelle", commune=Commune.objects.get(slug="rivebelle"))
    sortie = charger("--reset-seulement")
    assert "supprimés" in sortie
    assert not User.objects.filter(is_demo=True).exists()
    assert not Structure.objects.filter(is_demo=True).exists()
    assert Structure.objects.filter(pk=reelle.pk).exists()
    assert Commune.objects.filter(slug="rivebelle").exists()  # still used by the real structure
    charger("--reset")
    assert Structure.objects.filter(is_demo=True).count() == 16 + 7
