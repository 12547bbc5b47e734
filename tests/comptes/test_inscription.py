"""Sign-up, e-mail verification and login through allauth (French messages, no account enumeration)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from conseil_ess.comptes import roles
from conseil_ess.comptes.models import User

pytestmark = pytest.mark.django_db


def inscrire(client, email="nadia@example.org", p1="Une-phrase-de-passe-2026", p2=None, **entetes):
    return client.post(reverse("account_signup"), {"email": email, "password1": p1, "password2": p2 or p1},
                       **entetes)


def test_inscription_verification_connexion(client):
    reponse = inscrire(client)
    assert reponse.status_code == 302
    user = User.objects.get(email="nadia@example.org")
    assert user.groups.filter(name=roles.ACTEUR).exists()
    assert len(mail.outbox) == 1
    lien = re.search(r"https?://[^/\s]+(/compte/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    # Not verified yet: login is refused until the address is confirmed.
    client.logout()
    connexion = client.post(reverse("account_login"), {"login": "nadia@example.org",
                                                       "password": "Une-phrase-de-passe-2026"})
    assert "_auth_user_id" not in client.session
    assert connexion.status_code == 302 and "confirm" in connexion["Location"]
    reponse = client.post(lien)
    assert reponse.status_code == 302
    client.logout()
    client.post(reverse("account_login"), {"login": "nadia@example.org", "password": "Une-phrase-de-passe-2026"})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("comptes:mon_espace")).status_code == 200


def test_lien_de_confirmation_invalide_ne_plante_pas(client):
    reponse = client.get("/compte/confirm-email/nimporte-quoi/")
    assert reponse.status_code in (200, 404)
    assert "lien" in reponse.content.decode().lower()


@pytest.mark.parametrize(
    ("donnees", "champ", "fragment"),
    [
        ({"email": "pas-une-adresse"}, "email", "adresse"),
        ({"p2": "Autre-phrase-de-passe-99"}, "password2", "même mot de passe"),
        ({"p1": "123"}, "password1", "court"),
    ],
)
def test_mauvaise_saisie_message_francais_et_saisie_conservee(client, donnees, champ, fragment):
    reponse = inscrire(client, **{"email": "karim@example.org", **donnees})
    assert reponse.status_code == 200
    form = reponse.context["form"]
    assert champ in form.errors
    assert fragment in " ".join(form.errors[champ]).lower()
    email = donnees.get("email", "karim@example.org")
    assert f'value="{email}"' in reponse.content.decode()
    assert not User.objects.filter(email="karim@example.org").exists()


def test_adresse_deja_utilisee_non_revelee(client, acteur):
    reponse = inscrire(client, email=acteur.email)
    # Same answer as a new sign-up: redirect to "check your e-mail", nothing revealed on the page.
    assert reponse.status_code == 302
    assert User.objects.filter(email=acteur.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [acteur.email]
    corps = mail.outbox[0].body.lower()
    assert "compte" in corps and "existe" in corps  # the owner is told an account already exists


def test_courriel_de_verification_en_francais_avec_l_adresse_du_site(client):
    """The platform's own French text and signature; the link uses the address the site is served on."""
    inscrire(client, email="ines@example.org", HTTP_HOST="127.0.0.1:8802")
    corps = mail.outbox[0].body
    assert corps.startswith("Bonjour,\n")
    assert "ines@example.org" in corps
    assert re.search(r"http://127\.0\.0\.1:8802/compte/confirm-email/\S+/", corps)
    assert "Le secrétariat du Conseil de l'économie sociale et solidaire de Rivebelle Métropole" in corps
    assert corps.rstrip().endswith("Métropole\nhttp://127.0.0.1:8802/")
    assert "c'est" not in corps and "Hello" not in corps and "Merci d'utiliser" not in corps
    assert mail.outbox[0].subject.startswith("[Conseil ESS] ")


def test_courriel_de_reinitialisation_en_francais(client, acteur):
    client.post(reverse("account_reset_password"), {"email": acteur.email}, HTTP_HOST="127.0.0.1:8802")
    corps = mail.outbox[-1].body
    assert corps.startswith("Bonjour,\n")
    assert "choisir un nouveau mot de passe" in corps
    assert re.search(r"http://127\.0\.0\.1:8802/compte/password/reset/key/\S+/", corps)
