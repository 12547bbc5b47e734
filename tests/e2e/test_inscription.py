"""Journey of a newcomer: sign up, confirm the e-mail, fill the profile, create a structure."""

import re

import pytest
from playwright.sync_api import expect

from conseil_ess.comptes.models import Structure, User

from .actions import erreur_du_champ, soumettre

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

EMAIL = "camille.dupont@exemple.fr"
MOT_DE_PASSE = "Une-phrase-de-passe-2026"
SIRET_INVALIDE = "73282932000075"  # last digit changed: the Luhn checksum fails
SIRET_VALIDE = "73282932000074"


def test_inscription_confirmation_profil_et_structure(navigation, boite_mail):
    page = navigation.page

    # Sign up with e-mail and password.
    navigation.aller("/compte/signup/")
    expect(page.locator("h1")).to_have_text(re.compile("Création de compte"))
    page.get_by_label("E-mail").fill(EMAIL)
    page.locator("#id_password1").fill(MOT_DE_PASSE)
    page.locator("#id_password2").fill(MOT_DE_PASSE)
    soumettre(navigation)
    assert "/compte/confirm-email/" in page.url
    expect(page.locator("main")).to_contain_text(EMAIL)
    assert not User.objects.get(email=EMAIL).emailaddress_set.get().verified

    # The confirmation e-mail, read from the live server's file backend.
    message = boite_mail.dernier(EMAIL)
    assert "[Conseil ESS]" in message["Subject"]
    lien = boite_mail.lien("/compte/confirm-email/", EMAIL)
    assert lien.startswith(navigation.base_url)
    navigation.aller(lien)
    soumettre(navigation)
    assert page.url == navigation.url("/mon-espace/")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert User.objects.get(email=EMAIL).emailaddress_set.get().verified

    # Profile: the display name is what others see.
    navigation.cliquer(page.get_by_role("link", name="Modifier mon profil"))
    page.locator("#id_nom_affiche").fill("Camille de La Ressourcerie")
    page.locator("#id_first_name").fill("Camille")
    soumettre(navigation)
    expect(page.locator(".messages")).to_contain_text("Votre profil a été enregistré.")
    expect(page.locator("#id_nom_affiche")).to_have_value("Camille de La Ressourcerie")
    assert User.objects.get(email=EMAIL).nom_public == "Camille de La Ressourcerie"

    # Create a structure: first with a SIRET whose checksum is wrong.
    navigation.aller("/structures/nouvelle/")
    page.locator("#id_nom").fill("La Ressourcerie du Port")
    page.locator("#id_forme_juridique").select_option(label="SCIC – société coopérative d'intérêt collectif")
    page.locator("#id_siret").fill(SIRET_INVALIDE)
    page.locator("#id_secteur").fill("Réemploi")
    soumettre(navigation)
    assert page.url.endswith("/structures/nouvelle/")
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    assert "Ce SIRET n'est pas valide" in erreur_du_champ(page, "id_siret")
    # What was typed is kept.
    expect(page.locator("#id_nom")).to_have_value("La Ressourcerie du Port")
    expect(page.locator("#id_forme_juridique")).to_have_value("scic")
    expect(page.locator("#id_siret")).to_have_value(SIRET_INVALIDE)
    expect(page.locator("#id_secteur")).to_have_value("Réemploi")
    assert not Structure.objects.exists()

    # Then with a valid SIRET.
    page.locator("#id_siret").fill(SIRET_VALIDE)
    soumettre(navigation)
    structure = Structure.objects.get()
    assert page.url == navigation.url(f"/structures/{structure.slug}/")
    expect(page.locator("h1")).to_have_text("La Ressourcerie du Port")
    expect(page.locator(".messages")).to_contain_text("Vous en êtes le ou la référent·e")
    expect(page.locator("main")).to_contain_text("Statut : En attente de validation.")
    expect(page.locator("main")).to_contain_text(SIRET_VALIDE)
    assert structure.statut == Structure.Statut.EN_ATTENTE
    assert structure.siret == SIRET_VALIDE
    assert structure.cree_par.email == EMAIL


def test_inscription_refusee_erreurs_en_francais_a_cote_des_champs(navigation, boite_mail):
    page = navigation.page
    navigation.aller("/compte/signup/")

    # An address the browser accepts (no dot needed) but the server refuses, and different passwords.
    page.get_by_label("E-mail").fill("camille@exemple")
    page.locator("#id_password1").fill(MOT_DE_PASSE)
    page.locator("#id_password2").fill(MOT_DE_PASSE + "x")
    soumettre(navigation)
    assert page.url.endswith("/compte/signup/")
    assert "Saisissez une adresse de courriel valide" in erreur_du_champ(page, "id_email")
    assert "Vous devez saisir deux fois le même mot de passe" in erreur_du_champ(page, "id_password2")
    expect(page.get_by_label("E-mail")).to_have_value("camille@exemple")

    # A weak password: each broken rule is explained in French.
    page.get_by_label("E-mail").fill(EMAIL)
    page.locator("#id_password1").fill("123")
    page.locator("#id_password2").fill("123")
    soumettre(navigation)
    erreur = erreur_du_champ(page, "id_password1")
    assert "Ce mot de passe est trop court" in erreur
    assert "entièrement numérique" in erreur
    expect(page.get_by_label("E-mail")).to_have_value(EMAIL)
    # Passwords are never sent back to the browser.
    expect(page.locator("#id_password1")).to_have_value("")

    assert not User.objects.exists()
    assert boite_mail.messages() == []
