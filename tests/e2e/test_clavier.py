"""Keyboard-only journeys (no mouse, no click(), fields reached by Tab): skip link, visible focus at every
step, no keyboard trap, axe audit of every page; the main menu at 375 px behind its disclosure button."""

import re

import pytest
from playwright.sync_api import expect

from conseil_ess.comptes.models import User
from conseil_ess.propositions.models import Etat, InvitationPortage, Proposition
from conseil_ess.seances.models import Bulletin
from evenements.models import Evenement, Inscription
from evenements.services import inscrire
from tests.ateliers.fabriques import AtelierFactory, CycleFactory
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory, dans
from tests.factories import MOT_DE_PASSE as MOT_DE_PASSE_FABRIQUE
from tests.factories import CommuneFactory, StructureFactory
from tests.seances.fabriques import membre_en_exercice, seance_avec_scrutin

from .clavier import evitement, focus, parcourir_sans_piege, tab, tab_jusqu_a

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

EMAIL = "alex.martin@exemple.fr"
MOT_DE_PASSE = "Une-phrase-de-passe-2026"
TITRE_PROPOSITION = "Une légumerie solidaire pour les cantines"


def test_pages_legales_et_menu_mobile_au_clavier(nouvelle_navigation):
    navigation = nouvelle_navigation(largeur=375)
    page = navigation.page
    page.set_viewport_size({"width": 375, "height": 667})
    navigation.aller("/accessibilite/")

    # Content starts on the first screen: the menu is folded behind its button.
    hauteur = page.viewport_size["height"]
    assert page.locator("main h1").bounding_box()["y"] < hauteur
    liste = page.locator("#menu-principal-liste")
    expect(liste).to_be_hidden()
    bouton = page.get_by_role("button", name="Menu")
    expect(bouton).to_have_attribute("aria-expanded", "false")
    expect(bouton).to_have_attribute("aria-controls", "menu-principal-liste")

    # The skip link, then the menu opened with the keyboard (Enter, then Space closes it).
    evitement(navigation)
    page.keyboard.press("Shift+Tab")  # back into the header, from main
    tab_jusqu_a(page, lambda a: a["texte"].startswith("Menu"), touche="Shift+Tab")
    page.keyboard.press("Enter")
    expect(bouton).to_have_attribute("aria-expanded", "true")
    expect(liste).to_be_visible()
    actif = tab(page)
    assert actif["tag"] == "A" and page.evaluate("document.activeElement.closest('#menu-principal-liste') !== null")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(bouton).to_have_attribute("aria-expanded", "false")
    expect(liste).to_be_hidden()

    # Through the page to the footer, whose « Données personnelles » link is followed with Enter.
    parcourir_sans_piege(page)
    tab_jusqu_a(page, lambda a: a["texte"] == "Données personnelles", touche="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()
    assert page.url == navigation.url("/donnees-personnelles/")
    expect(page.locator("h1")).to_have_text("Données personnelles")
    expect(page.locator("footer")).to_contain_text("Accessibilité : partiellement conforme")
    evitement(navigation)


def test_inscription_au_clavier(navigation, boite_mail):
    page = navigation.page
    navigation.aller("/")
    evitement(navigation)
    # From the home page to the sign-up form, by the header's link (Shift+Tab from main goes back up).
    tab_jusqu_a(page, lambda a: a["texte"] == "Créer un compte", touche="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()
    expect(page.locator("h1")).to_have_text(re.compile("Création de compte"))

    evitement(navigation)
    tab_jusqu_a(page, lambda a: a["id"] == "id_email")
    page.keyboard.type(EMAIL)
    assert tab(page)["id"] == "id_password1"
    page.keyboard.type(MOT_DE_PASSE)
    tab_jusqu_a(page, lambda a: a["id"] == "id_password2")
    page.keyboard.type(MOT_DE_PASSE)
    tab_jusqu_a(page, lambda a: a["tag"] == "BUTTON")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()
    assert "/compte/confirm-email/" in page.url
    assert User.objects.filter(email=EMAIL).exists()

    # The confirmation link of the e-mail, then its form submitted with the keyboard.
    navigation.aller(boite_mail.lien("/compte/confirm-email/", EMAIL))
    evitement(navigation)
    tab_jusqu_a(page, lambda a: a["tag"] == "BUTTON")
    assert focus(page)["visible"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()
    assert page.url == navigation.url("/mon-espace/")
    assert User.objects.get(email=EMAIL).emailaddress_set.get().verified


def se_connecter_au_clavier(navigation, email):
    page = navigation.page
    navigation.aller("/compte/login/")
    evitement(navigation)
    tab_jusqu_a(page, lambda a: a["id"] == "id_login")
    page.keyboard.type(email)
    tab_jusqu_a(page, lambda a: a["id"] == "id_password")
    page.keyboard.type(MOT_DE_PASSE_FABRIQUE)
    tab_jusqu_a(page, lambda a: a["tag"] == "BUTTON" and a["texte"] != "Se connecter avec un code")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


@pytest.fixture
def evenement_complet(transactional_db):
    """An event whose only place is taken (built before the browser starts: the service notifies)."""
    evenement = EvenementFactory(
        titre="Visite de la ressourcerie", slug="visite-ressourcerie", type="visite", debut=dans(10, 14),
        fin=dans(10, 16), inscription=Evenement.Inscription.OBLIGATOIRE, inscription_sur_plateforme=True,
        capacite=1)
    inscrire(evenement, creer_utilisateur("acteur"))
    return evenement


@pytest.mark.dates
def test_liste_d_attente_d_un_evenement_complet_au_clavier(evenement_complet, navigation):
    evenement = evenement_complet
    bruno = creer_utilisateur("acteur", nom_affiche="Bruno Petit")
    page = navigation.page

    se_connecter_au_clavier(navigation, bruno.email)
    navigation.aller(f"/agenda/{evenement.slug}/")
    expect(page.locator("section.inscription")).to_contain_text("Complet.")
    evitement(navigation)
    tab_jusqu_a(page, lambda a: a["texte"].startswith("Rejoindre la liste d'attente"))
    with page.expect_navigation():
        page.keyboard.press("Space")
    navigation.auditer()
    expect(page.locator(".messages")).to_contain_text("vous êtes sur la liste d'attente, en position 1.")
    assert Inscription.objects.get(evenement=evenement, user=bruno).statut == Inscription.Statut.ATTENTE


def test_deposer_une_proposition_au_clavier(navigation):
    acteur = creer_utilisateur("acteur", nom_affiche="Sacha de la Ressourcerie")
    atelier = AtelierFactory(cycle=CycleFactory(), titre="Alimentation durable")
    lanvallon = CommuneFactory(nom="Lanvallon", slug="lanvallon")
    # Validated; the actor is not a member of it.
    co_porteuse = StructureFactory(nom="La Ressourcerie du Lac", commune=lanvallon)
    page = navigation.page

    # Logged in, « Mon espace » leads to the form (the link reached by Tab, followed with Enter).
    se_connecter_au_clavier(navigation, acteur.email)
    assert page.url == navigation.url("/mon-espace/")
    evitement(navigation)
    tab_jusqu_a(page, lambda a: a["texte"] == "Déposer une proposition")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()
    assert page.url == navigation.url("/propositions/nouvelle/")

    # Each field by Tab: text typed, a checkbox ticked with Space, the atelier chosen with the arrows.
    evitement(navigation)
    tab_jusqu_a(page, lambda a: a["id"] == "id_titre")
    page.keyboard.type(TITRE_PROPOSITION)
    tab_jusqu_a(page, lambda a: a["id"] == "id_resume")
    page.keyboard.type("Des légumes locaux transformés par des salarié·e·s en insertion.")
    tab_jusqu_a(page, lambda a: a["id"] == "id_champs_0")
    page.keyboard.press("Space")
    tab_jusqu_a(page, lambda a: a["id"] == "id_atelier_suggere")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_atelier_suggere")).to_have_value(str(atelier.pk))
    tab_jusqu_a(page, lambda a: a["texte"] == "Lanvallon" or a["id"].startswith("id_communes_"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Lanvallon")).to_be_checked()
    # A co-carrier chosen in the picker (a combobox, search as you type) on a phone-sized screen: typed,
    # the option reached with the arrows, chosen with Enter; the structure will be invited, not a carrier yet.
    page.set_viewport_size({"width": 375, "height": 740})
    tab_jusqu_a(page, lambda a: a["id"] == "id_co_porteurs_recherche")
    champ = page.locator("#id_co_porteurs_recherche")
    expect(champ).to_have_attribute("role", "combobox")
    page.keyboard.type("Ressourc")
    expect(champ).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(champ).to_have_attribute("aria-activedescendant", f"id_co_porteurs_options_{co_porteuse.pk}")
    page.keyboard.press("Enter")
    expect(champ).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".selecteur__puce")).to_contain_text("La Ressourcerie du Lac")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no horizontal scroll at 375 px
    navigation.auditer()
    page.set_viewport_size({"width": 1280, "height": 800})
    parcourir_sans_piege(page)
    tab_jusqu_a(page, lambda a: a["texte"] == "Enregistrer le brouillon et voir l'aperçu", touche="Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()

    # The preview, then the draft submitted with Enter on « Déposer la proposition ».
    brouillon = Proposition.objects.get(titre=TITRE_PROPOSITION)
    # The fragment « #contenu » of the skip link followed the form's redirect: Tab starts from main.
    assert page.url == navigation.url(f"/propositions/brouillons/{brouillon.pk}/#contenu")
    tab_jusqu_a(page, lambda a: a["texte"] == "Déposer la proposition")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()
    proposition = Proposition.objects.get(pk=brouillon.pk)
    assert (proposition.etat, proposition.auteur, proposition.atelier_suggere) == (Etat.DEPOSEE, acteur, atelier)
    assert list(proposition.communes.values_list("nom", flat=True)) == ["Lanvallon"]
    assert proposition.champs.count() == 1
    # The structure named in the picker is invited, not a carrier until its référent·e·s accept.
    assert list(proposition.structures.all()) == []
    assert list(InvitationPortage.objects.filter(proposition=proposition).values_list("structure", "etat")) == [
        (co_porteuse.pk, InvitationPortage.Etat.INVITEE)]
    assert page.url == navigation.url(f"/propositions/{proposition.reference}/")
    expect(page.locator("h1")).to_have_text(TITRE_PROPOSITION)
    expect(page.locator(".messages")).to_contain_text(f"sous la référence {proposition.reference}")
    evitement(navigation)
    parcourir_sans_piege(page)


@pytest.fixture
def seance_en_vote(transactional_db):
    """A published séance whose scrutin is open (built before the browser starts: the services broadcast)."""
    seance, scrutin, _ = seance_avec_scrutin(question="Soutenir la pépinière ESS de la Filature ?")
    return seance, scrutin, membre_en_exercice(nom_affiche="Nadia Benarfa")


@pytest.mark.dates
def test_emarger_et_voter_en_direct_au_clavier(seance_en_vote, navigation):
    seance, scrutin, nadia = seance_en_vote
    page = navigation.page

    # The member checks in herself: the room's QR code (read by her phone, no mouse involved) asks her
    # to log in first, which she does with the keyboard, then she confirms with Enter.
    page.goto(navigation.url(f"/seances/{seance.slug}/emarger/{seance.jeton_emargement}/"))
    navigation.auditer()
    assert "/compte/login/" in page.url
    evitement(navigation)
    tab_jusqu_a(page, lambda a: a["id"] == "id_login")
    page.keyboard.type(nadia.email)
    tab_jusqu_a(page, lambda a: a["id"] == "id_password")
    page.keyboard.type(MOT_DE_PASSE_FABRIQUE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()
    assert f"/seances/{seance.slug}/emarger/" in page.url
    evitement(navigation)
    tab_jusqu_a(page, lambda a: a["texte"] == "Confirmer ma présence")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    navigation.auditer()

    # The live page (the skip link's « #contenu » followed the redirects: Tab starts from main).
    assert page.url == navigation.url(f"/seances/{seance.slug}/direct/#contenu")
    expect(page.locator(".messages")).to_contain_text("Votre présence est enregistrée")
    expect(page.locator("[data-connexion]")).to_have_text("Mise à jour en direct active.")

    # She votes: Tab to « Pour », then Space.
    tab_jusqu_a(page, lambda a: a["tag"] == "BUTTON" and a["texte"] == "Pour")
    page.keyboard.press("Space")
    confirmation = page.locator("[data-moi-bloc=a-vote]")
    expect(confirmation).to_contain_text("Votre vote est enregistré : Pour")
    # The ballot disappears under the focus: the focus moves to the confirmation, visibly.
    expect(confirmation).to_be_focused()
    assert focus(page)["visible"]
    expect(page.locator("[data-etat] [data-champ=votants]")).to_have_text("1")
    assert list(Bulletin.objects.filter(scrutin=scrutin).values_list("votant", "choix")) == [(nadia.pk, "pour")]
    navigation.auditer()
    # The ballot is gone (one vote only); the keyboard still goes through the page and out of it.
    expect(page.get_by_role("button", name="Pour")).to_be_hidden()
    parcourir_sans_piege(page)
