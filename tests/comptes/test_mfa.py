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


def test_sans_mfa_l_agent_agit_en_acteur(client, mot_de_passe):
    """Issue 19: with a password alone an agent read others' drafts and ran the ateliers. Until the
    session's login goes through TOTP, no power of the role (rules, model permissions, superuser)."""
    from conseil_ess.comptes.predicates import est_agent

    agent = creer_utilisateur("agent", mfa=False)
    client.post(reverse("account_login"), {"login": agent.email, "password": mot_de_passe})
    assert client.session["_auth_user_id"] == str(agent.pk)
    reponse = client.get(reverse("comptes:mon_espace"))
    user = reponse.wsgi_request.user
    assert not est_agent(user)
    assert not user.has_perm("comptes.valider_structure")
    assert not user.has_perm("evenements.moderer_evenement")  # a model permission of the Agent·e group


def test_un_totp_ajoute_depuis_une_autre_session_ne_donne_rien_a_celle_ci(client, mot_de_passe):
    """A session opened with the password alone stays without powers when a TOTP is set up elsewhere: its
    login did not go through it. The staff pages ask it to confirm with a code."""
    from tests.conftest import activer_mfa
    from tests.propositions.fabriques import PropositionFactory

    agent = creer_utilisateur("agent", mfa=False)
    client.post(reverse("account_login"), {"login": agent.email, "password": mot_de_passe})
    activer_mfa(agent)  # from another device
    brouillon = PropositionFactory()
    assert client.get(brouillon.get_absolute_url()).status_code == 404
    reponse = client.get("/admin/")
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("mfa_reauthenticate"))


def test_le_totp_configure_dans_la_session_donne_les_pouvoirs(client, mot_de_passe):
    from allauth.mfa.signals import authenticator_added

    from tests.conftest import activer_mfa

    agent = creer_utilisateur("agent", mfa=False)
    client.post(reverse("account_login"), {"login": agent.email, "password": mot_de_passe})
    assert client.get("/admin/").status_code == 302
    activer_mfa(agent)
    # What allauth sends once the code typed on its set-up page is right.
    requete = client.get(reverse("comptes:mon_espace")).wsgi_request
    authenticator_added.send(sender=None, request=requete, user=agent, authenticator=None)
    requete.session.save()
    assert client.get("/admin/").status_code == 200
