"""Journeys of the agenda: filter and subscribe, propose and moderate, register with a waiting list, Assises.

The live server runs in another process, on the run's clock: every event of these journeys is built
relative to today (next month, in a few days), so that it is still to come on any date.
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from evenements.models import Accessibilite, Evenement, Inscription
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import (
    EvenementFactory,
    LieuFactory,
    ProgrammeFactory,
    dans,
    jour_francais,
    mois_francais,
    mois_suivant,
    paris,
)
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


def resumes_du_flux(contenu):
    """Return the SUMMARY of each VEVENT of an iCalendar body."""
    return sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(contenu).walk("VEVENT"))


def filtres_de(url):
    """Return the non-empty query parameters of ``url`` (what a filtered agenda URL holds)."""
    return {cle: valeurs for cle, valeurs in parse_qs(urlsplit(url).query).items() if any(valeurs)}


def le(jour, numero, heure, minute=0):
    """Return day ``numero`` of the month of ``jour``, at ``heure`` in Paris."""
    return paris(jour.year, jour.month, numero, heure, minute)


@pytest.fixture
def agenda_du_mois_prochain(transactional_db):
    """Four events of next month: one matches commune + type + wheelchair access, each other misses one filter."""
    mois = mois_suivant()
    lanvallon = CommuneFactory(nom="Lanvallon", slug="lanvallon")
    port = CommuneFactory(nom="Port-Sainte-Marie", slug="port-sainte-marie")
    cinema = LieuFactory(nom="Cinéma Le Familial", commune=lanvallon, accessibilite=Accessibilite.OUI)
    quai = LieuFactory(nom="Halle du Quai", commune=port, accessibilite=Accessibilite.OUI)
    commun = {"accessibilite": Accessibilite.OUI}
    return {
        "attendu": EvenementFactory(
            titre="Projection-débat « Les communs »", type="projection_debat", lieu=cinema,
            debut=le(mois, 3, 20), fin=le(mois, 3, 22, 30), **commun),
        "autre_type": EvenementFactory(
            titre="Atelier réparation de vélos", type="atelier", lieu=cinema,
            debut=le(mois, 5, 14), fin=le(mois, 5, 17), **commun),
        "autre_commune": EvenementFactory(
            titre="Projection-débat au quai", type="projection_debat", lieu=quai,
            debut=le(mois, 8, 19), fin=le(mois, 8, 21), **commun),
        "sans_acces": EvenementFactory(
            titre="Projection-débat à l'étage", type="projection_debat", lieu=cinema,
            debut=le(mois, 10, 19), fin=le(mois, 10, 21), accessibilite=Accessibilite.NON),
    }


def test_agenda_filtrer_et_s_abonner(agenda_du_mois_prochain, nouvelle_navigation):
    attendu = agenda_du_mois_prochain["attendu"]
    ce_mois, prochain = timezone.localdate().replace(day=1), mois_suivant()
    jour_attendu = prochain.replace(day=3)
    exclus = [e.titre for cle, e in agenda_du_mois_prochain.items() if cle != "attendu"]
    navigation = nouvelle_navigation()
    page = navigation.page

    navigation.aller("/agenda/")
    expect(page.locator("h1")).to_have_text("Agenda de l'ESS")
    resultats = page.locator(".agenda__resultats")
    expect(resultats.get_by_role("status")).to_have_text("4 événements")

    # Commune, type and wheelchair access: the list narrows to the one event that has all three.
    filtres = page.get_by_role("form", name="Filtrer l'agenda")
    filtres.get_by_label("Commune").select_option(label="Lanvallon")
    filtres.get_by_label("Type").select_option(label="Projection-débat")
    filtres.get_by_label("Accessible en fauteuil roulant").check()
    navigation.cliquer(filtres.get_by_role("button", name="Filtrer"))
    expect(resultats.get_by_role("status")).to_have_text("1 événement")
    expect(resultats.get_by_role("heading", level=3)).to_have_text([attendu.titre])
    for titre in exclus:
        expect(resultats).not_to_contain_text(titre)

    # The URL holds the filters, and the form shows them back.
    url_filtree = page.url
    assert filtres_de(url_filtree) == {"commune": ["lanvallon"], "type": ["projection_debat"], "acces": ["fauteuil"]}
    expect(filtres.get_by_label("Commune")).to_have_value("lanvallon")
    expect(filtres.get_by_label("Accessible en fauteuil roulant")).to_be_checked()

    # Shareable: someone else opening that URL sees the same list.
    autre = nouvelle_navigation()
    autre.aller(url_filtree)
    expect(autre.page.locator(".agenda__resultats").get_by_role("heading", level=3)).to_have_text([attendu.titre])

    # "S'abonner": a webcal:// link and the web address of the feed, with the page's own filters.
    abonnement = page.locator("[data-abonnement]")
    expect(abonnement.get_by_role("heading", level=2)).to_have_text("S'abonner – ces événements")
    webcal = abonnement.get_by_role("link", name="S'abonner dans mon application d'agenda").get_attribute("href")
    adresse = abonnement.get_by_label(re.compile("Ou copiez cette adresse")).input_value()
    telechargement = abonnement.get_by_role("link", name="Télécharger le fichier .ics").get_attribute("href")
    assert telechargement == adresse
    assert adresse.startswith(navigation.url("/agenda.ics?"))
    assert webcal == "webcal://" + adresse.split("://", 1)[1]
    assert urlsplit(adresse).query == urlsplit(url_filtree).query
    assert urlsplit(webcal).query == urlsplit(url_filtree).query

    # The feed holds the filtered events only.
    flux = page.request.get(adresse)
    assert flux.status == 200
    assert flux.headers["content-type"] == "text/calendar; charset=utf-8"
    assert resumes_du_flux(flux.body()) == [attendu.titre]
    tout = page.request.get(navigation.url("/agenda.ics"))
    assert resumes_du_flux(tout.body()) == sorted(e.titre for e in agenda_du_mois_prochain.values())

    # The month view keeps the filters: it opens on this month, and next month shows the event on its day.
    vues = page.get_by_role("navigation", name="Affichage de l’agenda")
    navigation.cliquer(vues.get_by_role("link", name="Mois", exact=True))
    expect(page.locator("h1")).to_have_text(f"Agenda de l'ESS – {mois_francais(ce_mois)}")
    navigation.cliquer(page.get_by_role("link", name="Mois suivant"))
    expect(page.locator("h1")).to_have_text(f"Agenda de l'ESS – {mois_francais(prochain)}")
    assert filtres_de(page.url) == {**filtres_de(url_filtree), "vue": ["mois"], "mois": [prochain.strftime("%Y-%m")]}
    expect(page.locator(".agenda__resultats").get_by_role("status")).to_have_text("1 événement ce mois-ci")
    # The calendar's day links to the day's events further down the same page.
    page.get_by_role("table").get_by_role("link", name=jour_francais(jour_attendu)).click()
    assert page.url.endswith(f"#jour-{jour_attendu.isoformat()}")
    navigation.auditer()
    jour = page.get_by_role("region", name=jour_francais(jour_attendu))
    expect(jour).to_contain_text(attendu.titre)
    expect(jour).to_contain_text("20 h – 22 h 30")

    # On a 320 px wide screen, the list and the month reflow without horizontal scrolling.
    etroit = nouvelle_navigation(largeur=320)
    for chemin in (url_filtree, "/agenda/", f"/agenda/?vue=mois&mois={prochain:%Y-%m}"):
        etroit.aller(chemin)
        expect(etroit.page.locator("h1")).to_be_visible()
        assert largeur_du_document(etroit.page) <= 320, chemin
    assert Evenement.objects.count() == 4


def test_agenda_proposer_moderer_publier(nouvelle_navigation):
    lanvallon = CommuneFactory(nom="Lanvallon", slug="lanvallon")
    maison = LieuFactory(nom="Maison des associations", commune=lanvallon)
    aujourdhui = timezone.localdate()
    mois = ProgrammeFactory(titre="Mois de l'ESS", slug="mois-ess", ouvert_aux_propositions=True,
                            date_debut=aujourdhui - datetime.timedelta(days=20),
                            date_fin=aujourdhui + datetime.timedelta(days=40))
    jour = aujourdhui + datetime.timedelta(days=7)
    structure = StructureFactory(nom="Ressourcerie du Port")
    acteur = creer_utilisateur("acteur", nom_affiche="Sacha de la Ressourcerie")
    AdhesionFactory(user=acteur, structure=structure)
    agent = creer_utilisateur("agent", first_name="Dominique", last_name="Agent")
    titre = "Troc de vêtements solidaire"

    proposant = nouvelle_navigation()
    page = proposant.page
    se_connecter(proposant, acteur.email)
    proposant.aller("/agenda/proposer/")
    expect(page.locator("h1")).to_have_text("Proposer un événement")

    # First attempt: the end comes before the start.
    page.get_by_label("Titre").fill(titre)
    page.get_by_label("Type d'événement").select_option(label="Marché solidaire")
    page.get_by_label("Programme").select_option(label=mois.titre)
    page.get_by_label("Ressourcerie du Port").check()
    page.get_by_label("Date (premier jour)").fill(jour.isoformat())
    page.get_by_label("Heure de début").fill("18:00")
    page.get_by_label("Heure de fin").fill("17:00")
    page.locator("#id_lieu").select_option(label=str(maison))
    soumettre(proposant, "Soumettre à la modération")
    assert page.url == proposant.url("/agenda/proposer/")
    expect(page.get_by_role("alert").first).to_contain_text("Le formulaire contient des erreurs")
    assert "L'heure de fin doit être après l'heure de début." in erreur_du_champ(page, "id_heure_fin")
    # What was typed is kept.
    expect(page.get_by_label("Titre")).to_have_value(titre)
    expect(page.get_by_label("Type d'événement")).to_have_value("marche")
    expect(page.get_by_label("Programme")).to_have_value(str(mois.pk))
    expect(page.get_by_label("Ressourcerie du Port")).to_be_checked()
    expect(page.get_by_label("Date (premier jour)")).to_have_value(jour.isoformat())
    expect(page.get_by_label("Heure de début")).to_have_value("18:00")
    expect(page.get_by_label("Heure de fin")).to_have_value("17:00")
    expect(page.locator("#id_lieu")).to_have_value(str(maison.pk))
    assert not Evenement.objects.exists()

    # Then a valid end: sent to moderation, visible to its proposer only.
    page.get_by_label("Heure de fin").fill("20:30")
    soumettre(proposant, "Soumettre à la modération")
    evenement = Evenement.objects.get()
    assert page.url == proposant.url(f"/agenda/{evenement.slug}/")
    expect(page.locator(".messages")).to_contain_text("Votre événement est transmis à l'équipe de modération.")
    expect(page.get_by_role("note").first).to_contain_text("Cet événement n'est pas publié (état : À modérer).")
    assert evenement.publication == Evenement.Publication.A_MODERER
    assert list(evenement.structures.all()) == [structure]
    assert (evenement.debut, evenement.fin) == (le(jour, jour.day, 18), le(jour, jour.day, 20, 30))

    proposant.aller("/mon-espace/")
    propose = page.locator("#mes-evenements li", has_text=titre)
    expect(propose).to_contain_text("À modérer")

    # The public does not see it yet.
    visiteur = nouvelle_navigation()
    reponse = visiteur.aller(f"/agenda/{evenement.slug}/")
    assert reponse.status == 404
    assert titre.encode() not in visiteur.page.request.get(visiteur.url("/agenda.ics")).body()

    # An agent logs in with their second factor and publishes it from the moderation queue.
    moderation = nouvelle_navigation()
    admin = moderation.page
    se_connecter_avec_mfa(moderation, agent)
    moderation.aller("/admin/agenda/moderation/")
    expect(admin.locator("h1")).to_contain_text("File de modération")
    ligne = admin.locator("tbody tr", has_text=titre)
    expect(ligne).to_have_count(1)
    ligne.get_by_role("button", name=re.compile("^Plus d.options pour")).click()
    moderation.cliquer(ligne.get_by_role("link", name="Publier"))
    expect(admin.get_by_role("heading", name=f"Publier l'événement : {titre}")).to_be_visible()
    moderation.cliquer(admin.locator("main form").get_by_role("button", name="Publier"))
    assert admin.url == moderation.url("/admin/agenda/moderation/")
    expect(admin.locator(".messages")).to_contain_text(f"« {titre} » est publié.")
    expect(admin.locator("tbody tr", has_text=titre)).to_have_count(0)
    evenement.refresh_from_db()
    assert evenement.publication == Evenement.Publication.PUBLIE

    # The proposer is told, and sees it published.
    proposant.aller("/mon-espace/")
    expect(page.locator("#mes-evenements li", has_text=titre)).to_contain_text("Publié")
    expect(page.locator("[data-notifications-liste] li").first).to_contain_text(
        f"Votre événement « {titre} » est publié")

    # It is in the agenda, in the agenda's feed and in its programme's feed.
    visiteur.aller("/agenda/")
    expect(visiteur.page.locator(".agenda__resultats")).to_contain_text(titre)
    visiteur.cliquer(visiteur.page.get_by_role("link", name=titre))
    expect(visiteur.page.locator("h1")).to_have_text(titre)
    expect(visiteur.page.locator("main")).to_contain_text(f"{jour_francais(jour)}, de 18 h à 20 h 30")
    for chemin in ("/agenda.ics", f"/agenda/programmes/{mois.slug}.ics", f"/agenda/{evenement.slug}.ics"):
        flux = visiteur.page.request.get(visiteur.url(chemin))
        assert flux.headers["content-type"] == "text/calendar; charset=utf-8", chemin
        assert resumes_du_flux(flux.body()) == [titre], chemin


def piece_jointe_ics(message):
    """Return the .ics attached to an e-mail, parsed; fail if there is none."""
    pieces = [p for p in message.iter_attachments() if (p.get_filename() or "").endswith(".ics")]
    assert len(pieces) == 1, [p.get_filename() for p in message.iter_attachments()]
    assert pieces[0].get_content_type() == "text/calendar"
    contenu = pieces[0].get_content()
    return Calendar.from_ical(contenu.encode() if isinstance(contenu, str) else contenu)


def test_agenda_inscription_liste_attente_promotion(nouvelle_navigation, boite_mail):
    titre = "Visite de la conserverie coopérative"
    evenement = EvenementFactory(
        titre=titre, slug="visite-conserverie", type="visite", debut=dans(10, 14),
        fin=dans(10, 16), inscription=Evenement.Inscription.OBLIGATOIRE,
        inscription_sur_plateforme=True, capacite=1)
    alice = creer_utilisateur("acteur", nom_affiche="Alice Martin")
    bruno = creer_utilisateur("acteur", nom_affiche="Bruno Petit")
    adresse = f"/agenda/{evenement.slug}/"
    section = "section.inscription"

    # A takes the only place.
    a = nouvelle_navigation()
    se_connecter(a, alice.email)
    a.aller(adresse)
    expect(a.page.locator(section)).to_contain_text("1 place restante sur 1.")
    soumettre(a, "M'inscrire")
    assert a.page.url == a.url(adresse)
    expect(a.page.locator(".messages")).to_contain_text(f"Votre inscription à « {titre} » est confirmée.")
    expect(a.page.locator(section)).to_contain_text("Vous êtes inscrit·e : votre place est confirmée.")

    # The confirmation e-mail carries the event for the person's calendar.
    courriel = boite_mail.dernier(alice.email)
    assert courriel["Subject"].endswith(f"Inscription confirmée : {titre}")
    assert f"Votre inscription à « {titre} » est confirmée." in boite_mail.texte(courriel)
    ics = piece_jointe_ics(courriel)
    (vevent,) = ics.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == titre
    assert str(vevent["UID"]) == evenement.uid
    assert vevent.decoded("DTSTART") == evenement.debut

    # Full: the event page says so to everyone.
    visiteur = nouvelle_navigation()
    visiteur.aller(adresse)
    expect(visiteur.page.locator(section)).to_contain_text("Complet.")
    expect(visiteur.page.locator(section)).to_contain_text("Vous pouvez rejoindre la liste d'attente")

    # B joins the waiting list.
    b = nouvelle_navigation()
    se_connecter(b, bruno.email)
    b.aller(adresse)
    expect(b.page.locator(section)).to_contain_text("Complet.")
    soumettre(b, "Rejoindre la liste d'attente")
    expect(b.page.locator(".messages")).to_contain_text(
        "L'événement est complet : vous êtes sur la liste d'attente, en position 1.")
    expect(b.page.locator(section)).to_contain_text("Vous êtes sur la liste d'attente, en position 1.")
    assert boite_mail.dernier(bruno.email)["Subject"].endswith(f"Liste d'attente : {titre}")
    notifications_b = ouvrir_mon_espace_en_direct(b)
    inscription_b = b.page.locator("#mes-inscriptions li", has_text=titre)
    expect(inscription_b).to_contain_text("Liste d'attente : position 1")

    # A cancels from their personal space...
    a.aller("/mon-espace/")
    a.cliquer(a.page.get_by_role("link", name=f"Annuler mon inscription à « {titre} »"))
    # Cancelling asks once, on its own page.
    expect(a.page.locator("h1")).to_have_text("Annuler votre inscription ?")
    soumettre(a, "Oui, annuler mon inscription")
    expect(a.page.locator(".messages")).to_contain_text(f"Votre inscription à « {titre} » est annulée.")
    expect(a.page.locator("#mes-inscriptions")).to_contain_text("Aucune inscription à venir.")

    # ... and B's open page hears at once that the place is theirs.
    expect(notifications_b.locator("li").first).to_contain_text(
        f"Une place s'est libérée : votre inscription à « {titre} » est confirmée")
    assert document_pas_recharge(b)
    b.auditer()
    b.aller("/mon-espace/")
    expect(b.page.locator("#mes-inscriptions li", has_text=titre)).to_contain_text("Place confirmée")
    b.aller(adresse)
    expect(b.page.locator(section)).to_contain_text("Vous êtes inscrit·e : votre place est confirmée.")

    statuts = dict(evenement.inscriptions.values_list("user__email", "statut"))
    assert statuts == {alice.email: Inscription.Statut.ANNULEE, bruno.email: Inscription.Statut.CONFIRMEE}
    evenement.refresh_from_db()
    assert evenement.nb_confirmes == 1


@pytest.fixture
def assises(transactional_db):
    """The demo's Assises day (and the Mois de l'ESS), on the demo's structures and people: the story of a
    year whose Assises (in February of the next year) are still to come."""
    from conseil_ess.demo import chargeur

    aujourdhui = timezone.localdate()
    annee = aujourdhui.year if aujourdhui >= datetime.date(aujourdhui.year, 2, 15) else aujourdhui.year - 1
    return chargeur.charger(annee=annee, seulement=["agenda"])["parties"]["agenda"]


def test_assises_un_atelier_par_creneau(assises, nouvelle_navigation):
    programme, creneau = assises["assises"], assises["creneau"]
    premier, second = assises["ateliers"][0], assises["ateliers"][1]
    assert premier.creneau == second.creneau == creneau
    personne = creer_utilisateur("acteur", nom_affiche="Jeanne Participante")
    navigation = nouvelle_navigation()
    page = navigation.page
    se_connecter(navigation, personne.email)

    # The programme shows the slot's parallel workshops; the person picks the first.
    navigation.aller(f"/agenda/programmes/{programme.slug}/")
    expect(page.locator("h1")).to_have_text(programme.titre)
    bloc = page.locator("li.creneau", has=page.get_by_role("heading", name=re.compile(creneau.libelle)))
    expect(bloc.locator("article.atelier")).to_have_count(len(assises["ateliers"]))
    soumettre(navigation, f"Choisir cet atelier – {premier.titre}")
    assert page.url == navigation.url(f"/agenda/{premier.slug}/")
    expect(page.locator(".messages")).to_contain_text(f"Votre inscription à « {premier.titre} » est confirmée.")

    # Back on the programme, that workshop is theirs; the others of the slot no longer offer to be chosen
    # (the service refuses a second one anyway: tests/evenements/test_vues_detail.py).
    navigation.aller(f"/agenda/programmes/{programme.slug}/")
    expect(page.locator("article.atelier", has_text=premier.titre)).to_contain_text("Votre atelier")
    autre = page.locator("article.atelier", has_text=second.titre)
    expect(autre).to_contain_text("Vous avez choisi un autre atelier sur ce créneau")
    expect(bloc.get_by_role("button", name=re.compile("^Choisir cet atelier"))).to_have_count(0)
    navigation.cliquer(autre.get_by_role("link", name=second.titre))
    assert page.url == navigation.url(f"/agenda/{second.slug}/")
    expect(page.locator("section.inscription")).to_contain_text(
        f"Vous êtes déjà inscrit·e à « {premier.titre} » sur ce créneau.")
    expect(page.locator("section.inscription").get_by_role("button")).to_have_count(0)
    actives = Inscription.objects.filter(user=personne).exclude(statut=Inscription.Statut.ANNULEE)
    assert list(actives.values_list("evenement__slug", flat=True)) == [premier.slug]

    # Their personal programme lists the workshop chosen for the slot.
    navigation.aller("/mon-espace/")
    mon_programme = page.get_by_role("region", name=f"Mon programme : {programme.titre}")
    expect(mon_programme).to_contain_text(f"10 h 45 – 12 h 30 · {creneau.libelle}")
    expect(mon_programme.get_by_role("link", name=premier.titre)).to_have_attribute("href", f"/agenda/{premier.slug}/")
    expect(mon_programme).not_to_contain_text(second.titre)


def test_grand_programme_jour_par_jour_au_clavier(nouvelle_navigation):
    """A programme past PROGRAMME_PAR_JOUR_AU_DELA events is read one day at a time: the list of its days
    is reached and followed with the keyboard, the chosen day is marked, each page passes axe."""
    from evenements.views import PROGRAMME_PAR_JOUR_AU_DELA
    from tests.evenements.fixtures_ical import creer_en_masse

    mois = ProgrammeFactory(slug="mois-ess-grand", titre="Mois de l'ESS à grande échelle",
                            date_debut=datetime.date(2026, 11, 1), date_fin=datetime.date(2026, 11, 30))
    par_jour = PROGRAMME_PAR_JOUR_AU_DELA // 3 + 1
    for j in range(3):
        for i, evenement in enumerate(creer_en_masse(par_jour)):
            Evenement.objects.filter(pk=evenement.pk).update(
                programme=mois, titre=f"Jour {2 + j} – atelier {i + 1}",
                debut=paris(2026, 11, 2 + j, 9) + datetime.timedelta(minutes=5 * i),
                fin=paris(2026, 11, 2 + j, 11) + datetime.timedelta(minutes=5 * i))
    navigation = nouvelle_navigation()
    page = navigation.page
    navigation.aller(f"/agenda/programmes/{mois.slug}/")
    jours = page.get_by_role("navigation", name="Jours du programme")
    expect(jours.get_by_role("link")).to_have_count(3)
    expect(jours.locator('[aria-current="page"]')).to_contain_text("lundi 2 novembre 2026")
    expect(page.locator("main")).to_contain_text("Jour 2 – atelier 1")
    expect(page.locator("main")).not_to_contain_text("Jour 3 – atelier 1")

    lien = jours.get_by_role("link", name=re.compile("mardi 3 novembre 2026"))
    for _ in range(200):  # Tab until the day's link has the focus
        page.keyboard.press("Tab")
        if lien.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("Le lien du 3 novembre n'est pas atteint au clavier")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?jour=2026-11-03$"))
    navigation.auditer()
    expect(jours.locator('[aria-current="page"]')).to_contain_text("mardi 3 novembre 2026")
    expect(page.locator("main")).to_contain_text("Jour 3 – atelier 1")
    expect(page.locator("main")).not_to_contain_text("Jour 2 – atelier 1")
