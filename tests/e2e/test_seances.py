"""Journey of a plenary vote with four people at once, each in their own browser: the secrétariat opens
the vote, two members vote from their own page (one checked in with the room's QR code), a public watcher
sees the count rise and the result appear without reloading; the proposal's timeline shows the decision."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import expect

from conseil_ess.propositions.models import Etat, Proposition
from conseil_ess.seances import services
from conseil_ess.seances.models import Bulletin, Scrutin
from tests.conftest import creer_utilisateur
from tests.factories import MOT_DE_PASSE
from tests.seances.fabriques import inscrire_a, membre_en_exercice, nouvelle_seance, proposition_soumise

from .actions import se_connecter, se_connecter_avec_mfa, soumettre

pytestmark = [pytest.mark.navigateur, pytest.mark.dates, pytest.mark.django_db(transaction=True)]


def hors_de_la_boucle(fonction, *args, **kwargs):
    """Run ``fonction`` in another thread: the test's own thread runs Playwright's event loop, where the
    services' after-commit broadcasts (``async_to_sync``) cannot run. The thread closes its connections to the
    database before it ends (left to the garbage collector, one outlived the leak guard's wait in a CI run)."""

    def dans_le_fil():
        try:
            return fonction(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as executeur:
        return executeur.submit(dans_le_fil).result()


def preparer_la_seance(agent, romain, proposition):
    seance = nouvelle_seance(agent, titre="Séance plénière d'automne", presidence="Le Président de la Métropole")
    services.ajouter_point(seance, agent, "Ouverture de la séance")
    inscrire_a(proposition, seance)
    point = services.ajouter_point(seance, agent, "Proposition : pépinière ESS",
                                   scrutin={"objet": Scrutin.Objet.PROPOSITION, "proposition": proposition})
    seance = services.publier_ordre_du_jour(seance, agent)
    services.emarger(seance, romain, par=agent)  # ticked on the list at the entrance
    return seance, point


def suivre_en_direct(navigation, chemin):
    """Open the live page, wait for its socket, and mark the document (a reload would drop the mark)."""
    navigation.aller(chemin)
    expect(navigation.page.locator("[data-connexion]")).to_have_text("Mise à jour en direct active.")
    navigation.page.evaluate("window.__marqueur = 1")


def hors_de_sa_boite(navigation, selecteur, boite):
    """The elements ``selecteur`` whose box overflows (left or right) their closest ``boite`` ancestor."""
    return navigation.page.evaluate("""([selecteur, boite]) => [...document.querySelectorAll(selecteur)]
        .filter(e => e.offsetParent !== null)
        .filter(e => {
            const r = e.getBoundingClientRect(), c = e.closest(boite).getBoundingClientRect();
            return r.left < c.left - 0.5 || r.right > c.right + 0.5;
        }).map(e => e.textContent.trim())""", [selecteur, boite])


def legendes_hors_de_leur_boite(navigation, selecteur):
    """The visible legends ``selecteur`` not drawn inside their fieldset's border: a legend straddles the
    top border by default, and a legend of several lines then rises above the box."""
    return navigation.page.evaluate("""(selecteur) => [...document.querySelectorAll(selecteur)]
        .filter(l => l.offsetParent !== null)
        .filter(l => {
            const r = l.getBoundingClientRect(), f = l.closest("fieldset"), c = f.getBoundingClientRect();
            const bordure = parseFloat(getComputedStyle(f).borderTopWidth);
            return r.top < c.top + bordure - 0.5 || r.bottom > c.bottom + 0.5
                || r.left < c.left - 0.5 || r.right > c.right + 0.5;
        }).map(l => l.textContent.trim())""", selecteur)


def pas_recharge(navigation):
    return navigation.page.evaluate("window.__marqueur") == 1


def test_vote_en_seance_suivi_en_direct_par_le_public(nouvelle_navigation):
    agent = creer_utilisateur("agent", nom_affiche="Thomas du secrétariat")
    nadia = membre_en_exercice(nom_affiche="Nadia Benarfa")
    romain = membre_en_exercice(nom_affiche="Romain Tessier")
    proposition = proposition_soumise(titre="Une pépinière ESS à la Filature")
    seance, point = hors_de_la_boucle(preparer_la_seance, agent, romain, proposition)
    direct = f"/seances/{seance.slug}/direct/"

    public, secretariat, membre_1, membre_2 = (nouvelle_navigation(), nouvelle_navigation(),
                                               nouvelle_navigation(largeur=360), nouvelle_navigation(largeur=375))

    # The public watches the live page: one member present, no vote yet.
    suivre_en_direct(public, direct)
    etat = public.page.locator("[data-etat]")
    expect(etat.locator("[data-champ=presidence]")).to_have_text("Le Président de la Métropole")
    expect(etat.locator("[data-champ=presents]")).to_have_text("1")
    expect(etat).to_contain_text("Aucun vote en cours pour le moment.")

    # Nadia scans the room's QR code on her phone: she logs in, confirms, lands on the live page.
    membre_1.aller(f"/seances/{seance.slug}/emarger/{seance.jeton_emargement}/")
    expect(membre_1.page).to_have_url(re.compile(r"/compte/login/"))
    membre_1.page.locator("#id_login").fill(nadia.email)
    membre_1.page.locator("#id_password").fill(MOT_DE_PASSE)
    soumettre(membre_1)
    soumettre(membre_1, "Confirmer ma présence")
    expect(membre_1.page.locator(".messages")).to_contain_text("Votre présence est enregistrée")
    expect(membre_1.page.locator("[data-connexion]")).to_have_text("Mise à jour en direct active.")
    expect(etat.locator("[data-champ=presents]")).to_have_text("2")  # the public's page, live

    se_connecter(membre_2, romain.email)
    suivre_en_direct(membre_2, direct)
    expect(membre_2.page.get_by_text("Votre présence est enregistrée.")).to_be_visible()
    expect(membre_2.page.get_by_role("button", name="Pour")).to_be_hidden()

    # The secrétariat moves to the item and opens the vote.
    se_connecter_avec_mfa(secretariat, agent)
    secretariat.aller(direct)
    secretariat.page.get_by_label("Aller au point").select_option(str(point.pk))
    soumettre(secretariat, "Afficher ce point")
    # The séance's day has not come (ten days ahead): the page asks once, without JavaScript.
    expect(secretariat.page.get_by_role("heading", level=1)).to_have_text("Ouvrir la séance avant son jour ?")
    secretariat.auditer()
    soumettre(secretariat, "Oui, ouvrir la séance maintenant")
    soumettre(secretariat, "Ouvrir le vote")
    expect(secretariat.page.get_by_role("heading", level=1)).to_have_text("Ouvrir le vote avant le jour de la séance ?")
    secretariat.auditer()
    soumettre(secretariat, "Oui, ouvrir le vote maintenant")

    # Everyone's page follows without reload; the members get their ballot.
    expect(etat.locator("[data-champ=point_courant]")).to_have_text("2. Proposition : pépinière ESS")
    expect(etat.locator("[data-champ=votants]")).to_have_text("0")
    expect(etat).to_contain_text(f"Adoption de la proposition {proposition.reference}")
    for membre in (membre_1, membre_2):
        expect(membre.page.get_by_role("button", name="Pour")).to_be_visible()
    # On a 375 px phone, the ballot's legend (« Votre choix : » and the question) stays inside its box.
    assert legendes_hors_de_leur_boite(membre_2, ".formulaire-vote legend") == []
    assert hors_de_sa_boite(membre_2, ".formulaire-vote fieldset", ".direct-moi") == []
    public.auditer()
    membre_2.auditer()

    # Two votes from two phones; the public count rises.
    membre_1.page.get_by_role("button", name="Pour").click()
    expect(membre_1.page.locator("[data-moi-bloc=a-vote]")).to_contain_text("Votre vote est enregistré : Pour")
    expect(etat.locator("[data-champ=votants]")).to_have_text("1")
    membre_2.page.get_by_role("button", name="Contre").click()
    expect(membre_2.page.locator("[data-moi-bloc=a-vote]")).to_contain_text("Votre vote est enregistré : Contre")
    expect(etat.locator("[data-champ=votants]")).to_have_text("2")
    membre_1.auditer()
    assert pas_recharge(public) and pas_recharge(membre_2)
    assert Bulletin.objects.filter(scrutin=point.scrutin).count() == 2

    # A second click does not count twice (this scrutin does not allow a change of vote).
    expect(membre_1.page.get_by_role("button", name="Pour")).to_be_hidden()

    # The secrétariat closes the vote: a tie (1 pour, 1 contre) is not a majority.
    soumettre(secretariat, "Clore le vote")
    resultat = etat.locator("[data-champ=resultat_libelle]")
    expect(resultat).to_have_text("Rejeté")
    expect(etat.locator("[data-champ=pour]")).to_have_text("1")
    expect(etat.locator("[data-champ=contre]")).to_have_text("1")
    expect(etat.locator("[data-champ=abstention]")).to_have_text("0")
    expect(membre_2.page.locator("[data-champ=resultat_libelle]")).to_have_text("Rejeté")
    # The count's table and its caption stay inside the result's box at 375 px.
    assert hors_de_sa_boite(membre_2, ".direct-etat .decompte caption, .direct-etat .decompte", ".direct-etat") == []
    assert pas_recharge(public) and pas_recharge(membre_2)
    public.auditer()

    # The decision went through the proposal workflow; its public timeline links the scrutin.
    proposition.refresh_from_db()
    assert proposition.etat == Etat.NON_RETENUE
    public.aller(Proposition.objects.get(pk=proposition.pk).get_absolute_url())
    journal = public.page.locator("main")
    expect(journal).to_contain_text("Non retenue par le Conseil : 1 pour, 1 contre, 0 abstention.")
    lien = journal.get_by_role("link", name=re.compile(r"Scrutin n° 1 de la séance du"))
    expect(lien).to_be_visible()
    public.cliquer(lien)
    expect(public.page).to_have_url(re.compile(rf"/seances/{seance.slug}/#scrutin-{point.scrutin.pk}$"))
    expect(public.page.locator(f"#scrutin-{point.scrutin.pk}")).to_contain_text("Rejeté")
