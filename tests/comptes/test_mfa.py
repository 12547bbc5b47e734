"""Staff and élu·e·s must set up TOTP before any staff page (Wagtail admin included)."""

import pytest
from django.urls import reverse

from tests.conftest import creer_utilisateur

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["agent", "elu"])
def test_sans_mfa_redirige_vers_la_configuration(client, role, mot_de_passe):
    user = creer_utilisateur(role, mfa=False)
    client.post(reverse("account_login"), {"login": user.email, "password": mot_de_passe})
    assert client.session["_auth_user_id"] == str(user.pk)
    reponse = client.get("/admin/")
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("mfa_activate_totp"))
    # allauth asks for the password again before any change to the second factor.
    suite = client.get(reponse["Location"])
    assert suite.status_code == 302 and suite["Location"].startswith(reverse("account_reauthenticate"))
    confirme = client.post(suite["Location"], {"password": mot_de_passe})
    assert confirme.status_code == 302 and confirme["Location"].startswith(reverse("mfa_activate_totp"))
    page = client.get(confirme["Location"])
    assert page.status_code == 200
    assert "double authentification" in page.content.decode().lower()


def test_agent_avec_mfa_atteint_l_admin(client, agent):
    client.force_login(agent)
    assert client.get("/admin/").status_code == 200


def test_superuser_sans_mfa_bloque(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin@example.org", "Motdepasse-admin-2026")
    client.force_login(admin)
    assert client.get("/admin/pages/").status_code == 302


def test_acteur_n_a_pas_besoin_de_mfa_mais_n_entre_pas_dans_l_admin(client, acteur):
    client.force_login(acteur)
    reponse = client.get("/admin/")
    # Not sent to set up two-factor authentication: told that the back office is the secrétariat's.
    assert reponse.status_code == 403
    assert "administration est réservée au secrétariat" in reponse.content.decode()
    assert client.get(reverse("comptes:mon_espace")).status_code == 200


def test_la_connexion_d_un_agent_demande_le_code_totp(client, agent, mot_de_passe):
    from tests.conftest import code_totp

    reponse = client.post(reverse("account_login"), {"login": agent.email, "password": mot_de_passe})
    assert reponse.status_code == 302 and reponse["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": code_totp(agent.totp_secret)})
    assert client.session["_auth_user_id"] == str(agent.pk)
    assert client.get("/admin/").status_code == 200


def test_un_code_totp_deja_utilise_est_refuse(client, agent, mot_de_passe):
    """A code seen on the wire cannot be replayed, even within its 30-second window."""
    from tests.conftest import code_totp

    code = code_totp(agent.totp_secret)
    client.post(reverse("account_login"), {"login": agent.email, "password": mot_de_passe})
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(agent.pk)
    client.logout()
    client.post(reverse("account_login"), {"login": agent.email, "password": mot_de_passe})
    reponse = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session
    assert "Code incorrect" in reponse.content.decode()


@pytest.mark.django_db(transaction=True)
def test_permissions_wagtail_retablies_apres_un_flush(client):
    """A transactional test flushes the database: groups and page permissions come back with the site."""
    from django.core.management import call_command
    from wagtail.models import GroupPagePermission

    call_command("flush", "--noinput")
    assert GroupPagePermission.objects.filter(group__name="Agent·e", permission__codename="publish_page").exists()
    agent = creer_utilisateur("agent")
    client.force_login(agent)
    assert client.get("/admin/pages/").status_code == 200


def test_une_personne_ayant_acces_a_l_admin_doit_avoir_la_mfa(client, acteur):
    """A non-agent given the back-office right (e.g. the CRESS coordinator) is held to MFA too."""
    from django.contrib.auth.models import Permission

    acteur.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(acteur)
    reponse = client.get("/admin/")
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("mfa_activate_totp"))
