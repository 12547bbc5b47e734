"""Journeys of the ateliers thématiques and of the Conseil's membership.

- an acteur joins an open atelier, and asks to join one on request;
- the animation schedules a meeting (agenda, members' personal feeds), then records attendance and
  publishes minutes, which reach a member's open page live and by e-mail;
- the secrétariat validates a request to become a member of the Conseil in the Wagtail admin;
- the ateliers' pages reflow at 320 px.

The live server runs in another process, on the run's clock: meetings to come are a few days from
today, past ones a few days ago (created directly, as the animation cannot schedule a meeting in the
past).
"""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from ateliers.models import Atelier, CompteRendu, Participation, Reunion
from conseil_ess.comptes import roles
from conseil_ess.comptes.models import MembreConseil, Notification
from evenements.models import Evenement
from tests.ateliers.fabriques import (
    AtelierFactory,
    CycleFactory,
    ParticipationFactory,
    ThematiqueFactory,
    creer_reunion_directe,
)
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import LieuFactory, jour_francais, paris
from tests.factories import AdhesionFactory, CommuneFactory, StructureFactory

from .actions import (
    document_pas_recharge,
    erreur_du_champ,
    ouvrir_mon_espace_en_direct,
    se_connecter,
    se_connecter_avec_mfa,
    soumettre,
)

pytestmark = [pytest.mark.navigateur, pytest.mark.dates, pytest.mark.django_db(transaction=True)]


def largeur_du_document(page):
    return page.evaluate("document.documentElement.scrollWidth")


def sujet(courriel):
    # A long subject is folded onto the next header line; the parsed value keeps that line's leading space.
    return str(courriel["Subject"]).strip()


def resumes_du_flux(contenu):
    """Return the SUMMARY of each VEVENT of an iCalendar body."""
    return sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(contenu).walk("VEVENT"))


@pytest.fixture
def cycle_2026(transactional_db):
    """The current cycle, with two annual themes and three ateliers (one on request)."""
    cycle = CycleFactory(titre="Cycle 2026", slug="cycle-2026")
    alimentation = ThematiqueFactory(cycle=cycle, titre="Alimentation durable et circuits courts",
                                     slug="alimentation", ordre=1)
    emploi = ThematiqueFactory(cycle=cycle, titre="Emploi et insertion", slug="emploi", ordre=2)
    animatrice = creer_utilisateur("acteur", nom_affiche="Inès Animatrice")
    return {
        "cycle": cycle,
        "alimentation": alimentation,
        "emploi": emploi,
        "animatrice": animatrice,
        "ouvert": AtelierFactory(
            cycle=cycle, thematique=alimentation, titre="Cantines bio et locales", slug="cantines",
            resume="Relier les producteurs locaux à la restauration collective.", animateurs=[animatrice]),
        "voisin": AtelierFactory(
            cycle=cycle, thematique=alimentation, titre="Épiceries solidaires", slug="epiceries"),
        "sur_demande": AtelierFactory(
            cycle=cycle, thematique=emploi, titre="Clauses sociales", slug="clauses-sociales",
            mode_adhesion=Atelier.Adhesion.SUR_DEMANDE, animateurs=[animatrice]),
    }


def test_rejoindre_un_atelier_ouvert_et_demander_un_atelier_sur_demande(cycle_2026, nouvelle_navigation):
    ouvert, sur_demande = cycle_2026["ouvert"], cycle_2026["sur_demande"]
    acteur = creer_utilisateur("acteur", nom_affiche="Sacha de la Ressourcerie")
    navigation = nouvelle_navigation()
    page = navigation.page
    se_connecter(navigation, acteur.email)

    # The list of the current cycle, grouped by annual theme.
    navigation.aller("/ateliers/")
    expect(page.locator("h1")).to_have_text(re.compile(r"Ateliers thématiques\s+Cycle 2026"))
    expect(page.get_by_role("status")).to_have_text("3 ateliers dans ce cycle")
    theme = page.get_by_role("region", name=cycle_2026["alimentation"].titre)
    expect(theme.get_by_role("heading", level=4)).to_have_text([ouvert.titre, cycle_2026["voisin"].titre])
    carte = theme.locator("article", has_text=ouvert.titre)
    expect(carte).to_contain_text(ouvert.resume)
    expect(carte).to_contain_text("Inès Animatrice")
    expect(carte).to_contain_text("1 membre")  # its animatrice
    emploi = page.get_by_role("region", name=cycle_2026["emploi"].titre)
    expect(emploi).to_contain_text(sur_demande.titre)
    expect(emploi).to_contain_text("adhésion sur demande")
    expect(emploi).not_to_contain_text(ouvert.titre)

    # The atelier's page: an open atelier is joined in one click.
    navigation.cliquer(theme.get_by_role("link", name=ouvert.titre))
    assert page.url == navigation.url(f"/ateliers/{ouvert.slug}/")
    expect(page.locator("h1")).to_have_text(ouvert.titre)
    participer = page.get_by_role("region", name="Participer")
    expect(participer).to_contain_text("Cet atelier est ouvert : vous en devenez membre tout de suite")
    navigation.cliquer(participer.get_by_role("button", name=f"Rejoindre l'atelier « {ouvert.titre} »"))
    assert page.url == navigation.url(f"/ateliers/{ouvert.slug}/")
    expect(page.locator(".messages")).to_contain_text(
        f"Vous avez rejoint l'atelier « {ouvert.titre} ». Ses réunions apparaissent dans votre agenda personnel.")
    participer = page.get_by_role("region", name="Participer")
    expect(participer).to_contain_text("Vous êtes membre de cet atelier.")
    expect(participer.get_by_role("button", name=f"Quitter l'atelier « {ouvert.titre} »")).to_be_visible()
    expect(participer.get_by_role("button", name=re.compile("^Rejoindre"))).to_have_count(0)
    # As a member, they see who else takes part.
    membres = page.get_by_role("region", name="Membres de l'atelier")
    expect(membres).to_contain_text("Inès Animatrice")
    expect(membres).to_contain_text("Sacha de la Ressourcerie")
    expect(page.get_by_role("region", name="En bref")).to_contain_text("2 membres")
    assert Participation.objects.get(atelier=ouvert, user=acteur).statut == Participation.Statut.ACCEPTEE

    # An atelier on request: the request, with a message, waits for the animation.
    navigation.aller("/ateliers/")
    navigation.cliquer(page.get_by_role("region", name=cycle_2026["emploi"].titre)
                       .get_by_role("link", name=sur_demande.titre))
    participer = page.get_by_role("region", name="Participer")
    expect(participer).to_contain_text("L'animation de cet atelier valide les demandes de participation.")
    participer.get_by_label("Message à l'animation (facultatif)").fill("Je suis chargé·e des achats publics.")
    navigation.cliquer(participer.get_by_role("button", name=f"Demander à rejoindre l'atelier « {sur_demande.titre} »"))
    expect(page.locator(".messages")).to_contain_text(
        f"Votre demande pour rejoindre l'atelier « {sur_demande.titre} » est transmise à l'animation.")
    participer = page.get_by_role("region", name="Participer")
    expect(participer).to_contain_text("Demande en attente")
    expect(participer.get_by_role("button", name=f"Retirer ma demande pour l'atelier « {sur_demande.titre} »")) \
        .to_be_visible()
    # Not a member yet: the list of members stays hidden.
    expect(page.get_by_role("region", name="Membres de l'atelier")).to_have_count(0)
    demande = Participation.objects.get(atelier=sur_demande, user=acteur)
    assert (demande.statut, demande.message) == (Participation.Statut.DEMANDEE, "Je suis chargé·e des achats publics.")
    # The animatrice is told.
    assert Notification.objects.filter(
        destinataire=cycle_2026["animatrice"],
        titre=f"Sacha de la Ressourcerie demande à rejoindre l'atelier « {sur_demande.titre} »").exists()

    # The personal space lists the atelier joined and the pending request.
    navigation.aller("/mon-espace/")
    mes_ateliers = page.get_by_role("region", name="Mes ateliers")
    ligne = mes_ateliers.locator("li", has=page.get_by_role("link", name=ouvert.titre))
    expect(ligne).to_contain_text("Membre")
    expect(ligne).to_contain_text("Aucune réunion programmée.")
    expect(ligne.get_by_role("link", name=ouvert.titre)).to_have_attribute("href", f"/ateliers/{ouvert.slug}/")
    expect(mes_ateliers.get_by_role("heading", name="Mes demandes en attente")).to_be_visible()
    attente = mes_ateliers.locator("li", has=page.get_by_role("link", name=sur_demande.titre))
    expect(attente).to_contain_text("Demande en attente")
    expect(mes_ateliers).not_to_contain_text(cycle_2026["voisin"].titre)


def test_animation_planifie_une_reunion_puis_publie_son_compte_rendu(nouvelle_navigation, boite_mail):
    animatrice = creer_utilisateur("acteur", nom_affiche="Inès Animatrice")
    membre = creer_utilisateur("acteur", nom_affiche="Malik Membre")
    atelier = AtelierFactory(cycle=CycleFactory(titre="Cycle 2026", slug="cycle-2026"), titre="Cantines bio et locales",
                             slug="cantines", animateurs=[animatrice])
    ParticipationFactory(atelier=atelier, user=membre)
    maison = LieuFactory(nom="Maison de l'ESS", commune=CommuneFactory(nom="Lanvallon", slug="lanvallon"))
    passee = creer_reunion_directe(atelier, jours=-3)
    titre = "Réunion de lancement des cantines"
    jour = timezone.localdate() + datetime.timedelta(days=5)
    assert roles.ANIMATEUR in animatrice.groups.values_list("name", flat=True)

    anim = nouvelle_navigation()
    page = anim.page
    se_connecter(anim, animatrice.email)

    # From the atelier's page to the animation's dashboard.
    anim.aller(f"/ateliers/{atelier.slug}/")
    expect(page.get_by_role("region", name="Participer")).to_contain_text("Vous animez cet atelier.")
    anim.cliquer(page.get_by_role("link", name="Gérer l'atelier"))
    assert page.url == anim.url(f"/ateliers/{atelier.slug}/gerer/")
    expect(page.locator("h1")).to_have_text(f"Animation de l'atelier « {atelier.titre} »")
    expect(page.get_by_role("region", name=re.compile("^Membres"))).to_contain_text("Malik Membre")
    anim.cliquer(page.get_by_role("link", name="Planifier une réunion"))
    expect(page.locator("h1")).to_have_text("Planifier une réunion")

    # First attempt: the end comes before the start.
    page.get_by_label("Titre (facultatif)").fill(titre)
    page.get_by_label("Ordre du jour").fill("<ul><li>Tour de table</li><li>Calendrier de l'année</li></ul>")
    page.get_by_label("Date").fill(jour.isoformat())
    page.get_by_label("Heure de début").fill("18:00")
    page.get_by_label("Heure de fin").fill("17:00")
    page.locator("#id_lieu").select_option(label=str(maison))
    page.get_by_label("Publique : dans l'agenda de tout le monde").check()
    soumettre(anim, "Planifier la réunion")
    assert page.url == anim.url(f"/ateliers/{atelier.slug}/reunions/nouvelle/")
    expect(page.get_by_role("alert").first).to_contain_text("Le formulaire contient des erreurs")
    assert "L'heure de fin doit être après l'heure de début." in erreur_du_champ(page, "id_heure_fin")
    expect(page.get_by_label("Titre (facultatif)")).to_have_value(titre)
    expect(page.get_by_label("Date")).to_have_value(jour.isoformat())
    expect(page.get_by_label("Heure de début")).to_have_value("18:00")
    expect(page.get_by_label("Heure de fin")).to_have_value("17:00")
    expect(page.locator("#id_lieu")).to_have_value(str(maison.pk))
    expect(page.get_by_label("Publique : dans l'agenda de tout le monde")).to_be_checked()
    assert Reunion.objects.count() == 1  # the past one only

    # Fixed: the meeting is scheduled and its page shows.
    page.get_by_label("Heure de fin").fill("20:00")
    soumettre(anim, "Planifier la réunion")
    reunion = Reunion.objects.get(evenement__titre=titre)
    assert page.url == anim.url(f"/ateliers/{atelier.slug}/reunions/{reunion.pk}/")
    expect(page.locator(".messages")).to_contain_text(
        "La réunion est planifiée et publiée dans l'agenda ; les membres de l'atelier sont prévenu·e·s.")
    expect(page.locator("h1")).to_have_text(titre)
    fiche = page.locator("main dl.fiche")
    expect(fiche).to_contain_text(jour_francais(jour))
    expect(fiche).to_contain_text("Maison de l'ESS")
    expect(fiche).to_contain_text("Réunion publique")
    expect(page.get_by_role("region", name="Ordre du jour").locator("li")).to_have_text(
        ["Tour de table", "Calendrier de l'année"])
    evenement = reunion.evenement
    debut = paris(jour.year, jour.month, jour.day, 18)
    assert (evenement.debut, evenement.fin) == (debut, debut + datetime.timedelta(hours=2))
    assert evenement.publication == Evenement.Publication.PUBLIE

    # It is in the public agenda.
    visiteur = nouvelle_navigation()
    visiteur.aller("/agenda/")
    expect(visiteur.page.locator(".agenda__resultats")).to_contain_text(titre)

    # The member was told (in-app and by e-mail); the meeting is in their personal feed.
    courriel = boite_mail.dernier(membre.email)
    assert sujet(courriel).startswith(f"Nouvelle réunion de l'atelier « {atelier.titre} »")
    assert not [m for m in boite_mail.messages() if animatrice.email in str(m["To"])]
    m = nouvelle_navigation()
    se_connecter(m, membre.email)
    m.aller("/mon-espace/")
    expect(m.page.locator("[data-notifications-liste] li").first).to_contain_text(
        f"Nouvelle réunion de l'atelier « {atelier.titre} »")
    ligne = m.page.get_by_role("region", name="Mes ateliers").locator("li", has_text=atelier.titre)
    expect(ligne).to_contain_text("Prochaine réunion :")
    expect(ligne.get_by_role("link", name=re.compile(" ".join(jour_francais(jour).split()[1:3])))).to_have_attribute(
        "href", f"/ateliers/{atelier.slug}/reunions/{reunion.pk}/")
    adresse_flux = m.page.get_by_label("Adresse de mon flux").input_value()
    assert adresse_flux == m.url(f"/agenda/perso/{membre.jeton_agenda}.ics")
    flux = m.page.request.get(adresse_flux)
    assert flux.status == 200
    assert flux.headers["content-type"] == "text/calendar; charset=utf-8"
    assert titre in resumes_du_flux(flux.body())
    # Anyone else's personal feed does not have it.
    autre = creer_utilisateur("acteur")
    assert titre not in resumes_du_flux(m.page.request.get(m.url(f"/agenda/perso/{autre.jeton_agenda}.ics")).body())

    # The member keeps their personal space open.
    notifications = ouvrir_mon_espace_en_direct(m)

    # The meeting three days ago: attendance, then minutes.
    anim.aller(f"/ateliers/{atelier.slug}/gerer/")
    passees = page.get_by_role("region", name="Réunions passées")
    ligne_passee = passees.locator("tbody tr", has_text=passee.evenement.titre)
    expect(ligne_passee).to_contain_text("À saisir")
    anim.cliquer(ligne_passee.get_by_role("link", name=f"Présences {passee.evenement.titre}"))
    expect(page.locator("h1")).to_have_text(f"Présences – {passee.evenement.titre}")
    page.get_by_label("Malik Membre").check()
    page.get_by_label("Inès Animatrice").check()
    page.get_by_label("Autres participant·e·s (sans compte)").fill("3")
    soumettre(anim, "Enregistrer les présences")
    expect(page.locator(".messages")).to_contain_text("Les présences sont enregistrées : 5 participant·e·s au total.")
    expect(page.get_by_label("Malik Membre")).to_be_checked()
    passee.refresh_from_db()
    assert (passee.nb_presents, passee.participants_sans_compte) == (2, 3)

    anim.cliquer(page.get_by_role("link", name="Retour à l'animation de l'atelier"))
    ligne_passee = page.get_by_role("region", name="Réunions passées").locator("tbody tr",
                                                                               has_text=passee.evenement.titre)
    expect(ligne_passee).to_contain_text("5 participant·e·s")
    anim.cliquer(ligne_passee.get_by_role("link", name=f"Compte rendu {passee.evenement.titre}"))
    expect(page.locator("h1")).to_have_text(f"Compte rendu – {passee.evenement.titre}")
    expect(page.locator("main")).to_contain_text("Pas encore rédigé")
    page.get_by_role("textbox", name=re.compile("^Compte rendu")).fill(
        "<h2>Décisions</h2><p>Le groupe retient <strong>trois pistes</strong> pour 2027.</p>"
        "<script>alert('x')</script><p onclick=\"alert('y')\">Prochaine étape : visite d'une cuisine centrale.</p>")
    assert not Notification.objects.filter(destinataire=membre, titre__startswith="Compte rendu publié").exists()
    soumettre(anim, "Publier")
    expect(page.locator(".messages")).to_contain_text(
        "Le compte rendu est publié ; les membres de l'atelier sont prévenu·e·s.")
    expect(page.locator("main")).to_contain_text("Publié")
    compte_rendu = CompteRendu.objects.get(reunion=passee)
    assert compte_rendu.statut == CompteRendu.Statut.PUBLIE
    assert "<script" not in compte_rendu.contenu and "onclick" not in compte_rendu.contenu

    # The member's open page hears of it without a reload.
    nouvelle = notifications.locator("li").first
    expect(nouvelle).to_contain_text(f"Compte rendu publié : atelier « {atelier.titre} », réunion du")
    expect(nouvelle.get_by_role("link")).to_have_attribute("href", f"/ateliers/{atelier.slug}/reunions/{passee.pk}/")
    assert document_pas_recharge(m)
    m.auditer()
    # By e-mail: the member's preference is « regroupées » (the default) and the meeting's e-mail left a
    # moment ago, so the minutes wait for the summary sent once the hour is over.
    notification = Notification.objects.get(destinataire=membre, titre__startswith="Compte rendu publié")
    assert notification.courriel_statut == Notification.CourrielStatut.EN_ATTENTE
    assert sujet(boite_mail.dernier(membre.email)).startswith(f"Nouvelle réunion de l'atelier « {atelier.titre} »")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        call_command("envoyer_resumes")
    courriel = boite_mail.dernier(membre.email)
    assert sujet(courriel).startswith(f"Compte rendu publié : atelier « {atelier.titre} »")
    assert f"/ateliers/{atelier.slug}/reunions/{passee.pk}/" in boite_mail.texte(courriel)

    # The public page of the meeting shows the minutes, cleaned, and the attendance.
    visiteur.aller(f"/ateliers/{atelier.slug}/")
    bilan = visiteur.page.get_by_role("region", name="Réunions passées")
    expect(bilan).to_contain_text("5 participant·e·s")
    visiteur.cliquer(bilan.get_by_role("link", name=re.compile("^Lire le compte rendu")))
    assert visiteur.page.url == visiteur.url(f"/ateliers/{atelier.slug}/reunions/{passee.pk}/#compte-rendu")
    section = visiteur.page.get_by_role("region", name="Compte rendu")
    expect(section.get_by_role("heading", name="Décisions")).to_be_visible()
    expect(section.locator("strong")).to_have_text("trois pistes")
    expect(section).to_contain_text("Prochaine étape : visite d'une cuisine centrale.")
    expect(section.locator("script, [onclick]")).to_have_count(0)
    expect(visiteur.page.locator("main dl.fiche")).to_contain_text("5 participant·e·s")


def test_le_secretariat_valide_une_demande_d_adhesion_au_conseil(nouvelle_navigation, boite_mail):
    acteur = creer_utilisateur("acteur", nom_affiche="Yasmina de la Coop", fonction="Co-gérante")
    structure = StructureFactory(nom="Coopérative du Quai", slug="cooperative-du-quai")
    AdhesionFactory(user=acteur, structure=structure)
    agent = creer_utilisateur("agent", first_name="Dominique", last_name="Agent")
    college = "Coopératives et mutuelles"

    a = nouvelle_navigation()
    page = a.page
    se_connecter(a, acteur.email)

    # Not a member yet: absent from the public list.
    a.aller("/conseil/membres/")
    expect(page.locator("h1")).to_have_text("Les membres du Conseil de l'ESS")
    expect(page.locator("main")).not_to_contain_text("Yasmina de la Coop")

    # The request: structure, collège, motivation.
    a.cliquer(page.get_by_role("link", name="Devenir membre du Conseil"))
    assert page.url == a.url("/conseil/mon-mandat/")
    expect(page.locator("h1")).to_have_text("Mon mandat au Conseil de l'ESS")
    expect(page.get_by_label("Structure que vous représentez")).to_have_value(str(structure.pk))
    page.get_by_label(college).check()
    page.get_by_label("Motivation (facultatif)").fill("Vingt ans de coopération sur le port.")
    expect(page.get_by_label("Apparaître dans la liste publique des membres")).to_be_checked()
    soumettre(a, "Envoyer ma demande")
    assert page.url == a.url("/conseil/mon-mandat/")
    expect(page.locator(".messages")).to_contain_text("Votre demande est transmise au secrétariat du Conseil.")
    fiche = page.locator("main dl.fiche")
    expect(fiche).to_contain_text("Demande en attente")
    expect(fiche).to_contain_text(structure.nom)
    expect(fiche).to_contain_text(college)
    expect(page.locator("main")).to_contain_text("Votre demande est en attente de réponse du secrétariat.")
    mandat = MembreConseil.objects.get(user=acteur)
    assert (mandat.statut, mandat.motivation) == (MembreConseil.Statut.DEMANDE, "Vingt ans de coopération sur le port.")

    # The acteur keeps their personal space open.
    notifications = ouvrir_mon_espace_en_direct(a)

    # The agent, told of the request, validates it from the admin's list of members of the Conseil.
    s = nouvelle_navigation()
    admin = s.page
    se_connecter_avec_mfa(s, agent)
    s.aller("/mon-espace/")
    alerte = admin.locator("[data-notifications-liste] li").first
    expect(alerte).to_contain_text("Demande d'adhésion au Conseil : Yasmina de la Coop (Coopérative du Quai)")
    s.cliquer(alerte.get_by_role("link"))
    assert admin.url == s.url("/admin/conseil/membres/?statut=demande")
    expect(admin.locator("h1")).to_contain_text(re.compile("Membres du Conseil", re.I))
    ligne = admin.locator("tbody tr", has_text="Yasmina de la Coop")
    expect(ligne).to_have_count(1)
    expect(ligne).to_contain_text("Demande en attente")
    s.cliquer(ligne.get_by_role("link", name="Valider"))
    expect(admin.get_by_role("heading", level=2)).to_have_text(
        re.compile("^Valider la demande d'adhésion au Conseil : Yasmina de la Coop"))
    expect(admin.locator("main")).to_contain_text("Vingt ans de coopération sur le port.")
    s.cliquer(admin.locator("main form").get_by_role("button", name="Valider"))
    assert admin.url == s.url("/admin/conseil/membres/?statut=demande")
    expect(admin.locator(".messages")).to_contain_text("Yasmina de la Coop est membre du Conseil.")
    expect(admin.locator("tbody tr", has_text="Yasmina de la Coop")).to_have_count(0)
    mandat.refresh_from_db()
    assert (mandat.statut, mandat.decide_par) == (MembreConseil.Statut.VALIDE, agent)
    assert roles.MEMBRE in acteur.groups.values_list("name", flat=True)

    # The acteur hears of it at once, and by e-mail.
    nouvelle = notifications.locator("li").first
    expect(nouvelle).to_contain_text("Vous êtes membre du Conseil de l'ESS, pour « Coopérative du Quai »")
    assert document_pas_recharge(a)
    a.auditer()
    courriel = boite_mail.dernier(acteur.email)
    assert sujet(courriel) == "Vous êtes membre du Conseil de l'ESS, pour « Coopérative du Quai »"

    # They are now listed under their collège, with their structure.
    a.aller("/conseil/membres/")
    expect(page.locator("main")).to_contain_text("Le Conseil compte 1 membre")
    section = page.get_by_role("region", name=college)
    expect(section).to_contain_text("Yasmina de la Coop, Co-gérante")
    expect(section.get_by_role("link", name=structure.nom)).to_have_attribute("href", f"/structures/{structure.slug}/")
    expect(page.get_by_role("region", name="Associations et fondations")).not_to_contain_text("Yasmina")
    a.aller("/conseil/mon-mandat/")
    expect(page.locator("main dl.fiche")).to_contain_text("Membre")
    expect(page.get_by_role("button", name="Ne plus apparaître dans la liste publique")).to_be_visible()


def test_ateliers_a_320_px(cycle_2026, nouvelle_navigation):
    ouvert = cycle_2026["ouvert"]
    membre = creer_utilisateur("acteur", nom_affiche="Malik Membre")
    ParticipationFactory(atelier=ouvert, user=membre)
    lieu = LieuFactory(nom="Maison de l'économie sociale et solidaire du Pays de Lanvallon",
                       commune=CommuneFactory(nom="Lanvallon", slug="lanvallon"))
    # Created directly: the service would notify the members, and Playwright's running loop forbids the
    # test process to push to the channel layer (async_to_sync) once the journey has started.
    prochaine = creer_reunion_directe(ouvert, jours=10).evenement
    prochaine.lieu = lieu
    prochaine.save()
    creer_reunion_directe(ouvert, jours=-3)

    etroit = nouvelle_navigation(largeur=320)
    page = etroit.page
    etroit.aller("/ateliers/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("region", name=cycle_2026["alimentation"].titre)).to_contain_text(ouvert.titre)
    assert largeur_du_document(page) <= 320, "/ateliers/"
    etroit.cliquer(page.get_by_role("region", name=cycle_2026["alimentation"].titre)
                   .get_by_role("link", name=ouvert.titre))
    expect(page.locator("h1")).to_have_text(ouvert.titre)
    expect(page.get_by_role("region", name="Prochaines réunions")).to_contain_text(lieu.nom)
    assert largeur_du_document(page) <= 320, page.url

    # The same page for a member (members' list and leave button).
    se_connecter(etroit, membre.email)
    etroit.aller(f"/ateliers/{ouvert.slug}/")
    expect(page.get_by_role("region", name="Membres de l'atelier")).to_contain_text("Malik Membre")
    assert largeur_du_document(page) <= 320, page.url
