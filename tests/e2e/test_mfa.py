"""Journey of an Agent·e: the Wagtail admin is out of reach until two-factor authentication is set up."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.conftest import a_mfa, code_totp, creer_utilisateur
from tests.factories import MOT_DE_PASSE

from .actions import erreur_du_champ, se_connecter, soumettre

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_agent_sans_mfa_configure_totp_avant_l_admin(navigation):
    agent = creer_utilisateur("agent", mfa=False, first_name="Dominique", last_name="Agent")
    page = navigation.page

    se_connecter(navigation, agent.email)
    assert page.url == navigation.url("/mon-espace/")

    # The admin sends the Agent·e to the TOTP set-up page and says why; allauth first asks for the
    # password again (setting up MFA needs a fresh re-authentication, the login does not count).
    navigation.aller("/admin/")
    assert page.url.startswith(navigation.url("/compte/reauthenticate/"))
    expect(page.locator(".messages")).to_contain_text("configurez d'abord la double authentification")
    page.locator("#id_password").fill(MOT_DE_PASSE)
    soumettre(navigation)
    assert page.url.startswith(navigation.url("/compte/2fa/totp/activate/"))
    expect(page.locator("h1")).to_have_text(re.compile("Activer"))

    # The secret is shown as text (for people who cannot scan the QR code).
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    expect(page.locator("main img")).to_have_attribute("alt", secret)

    # A wrong code is refused, in French, next to the field.
    page.locator("#id_code").fill("000000" if code_totp(secret) != "000000" else "111111")
    soumettre(navigation, "Activer")
    assert "Code incorrect" in erreur_du_champ(page, "id_code")
    assert not a_mfa(agent)

    # The code of the authenticator app activates TOTP, then the recovery codes are shown.
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(code_totp(secret))
    soumettre(navigation, "Activer")
    assert page.url == navigation.url("/compte/2fa/recovery-codes/")
    expect(page.locator("h1")).to_have_text(re.compile("Codes de récupération"))
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    assert a_mfa(agent)
    assert Authenticator.objects.filter(user=agent, type=Authenticator.Type.RECOVERY_CODES).exists()

    # The page offers to continue to the staff page that was asked for; the Wagtail dashboard opens.
    navigation.cliquer(page.get_by_role("link", name="Continuer vers la page demandée"))
    assert page.url == navigation.url("/admin/")
    expect(page.locator("main")).to_contain_text("Dominique")
