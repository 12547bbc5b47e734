"""Journey of a proposal, from the draft to its implementation, seen by four people at once.

An acteur drafts (a first attempt with an error keeps what was typed), previews and submits; a
follower keeps the proposal's page… and their personal space open; the secrétariat instructs it in the
Wagtail admin (TOTP login), assigns it to an atelier, schedules it for a plenary, records the
decision, opens the implementation and adds a follow-up point; each step reaches the follower live;
the public timeline, read by an anonymous visitor, shows it all.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conseil_ess.comptes.models import Notification
from conseil_ess.propositions.models import Etat, Proposition
from evenements.models import TypeEvenement
from tests.ateliers.fabriques import AtelierFactory, CycleFactory
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory, dans
from tests.factories import CommuneFactory

from .actions import (
    document_pas_recharge,
    ouvrir_mon_espace_en_direct,
    se_connecter,
    se_connecter_avec_mfa,
    soumettre,
)
from .clavier import focus, tab

pytestmark = [pytest.mark.navigateur, pytest.mark.dates, pytest.mark.django_db(transaction=True)]

TITRE = "Une légumerie solidaire pour les cantines"
RESUME = ("Transformer les légumes des maraîchers locaux pour la restauration collective, avec des salarié·e·s "
          "en insertion.")


def transition(page, libelle):
    """The form of one transition on the instruction page (the one whose heading is ``libelle``)."""
    return page.locator("form", has=page.get_by_role("heading", name=libelle, exact=True))


def test_une_proposition_du_depot_a_la_mise_en_oeuvre(nouvelle_navigation):
    acteur = creer_utilisateur("acteur", nom_affiche="Sacha de la Ressourcerie")
    suiveuse = creer_utilisateur("acteur", nom_affiche="Léa Suiveuse")
    agent = creer_utilisateur("agent", nom_affiche="Thomas du Secrétariat")
    elue = creer_utilisateur("elu", nom_affiche="Hélène Marceau")
    atelier = AtelierFactory(cycle=CycleFactory(titre="Cycle 2026", slug="cycle-2026"),
                             titre="Alimentation durable", slug="alimentation")
    pleniere = EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE, titre="Séance plénière de décembre",
                                slug="pleniere-2026-12", debut=dans(14))
    CommuneFactory(nom="Lanvallon", slug="lanvallon")

    # 1. The acteur writes a draft; a first attempt without a champ d'action keeps what was typed.
    auteur = nouvelle_navigation()
    page = auteur.page
    se_connecter(auteur, acteur.email)
    auteur.aller("/propositions/")
    auteur.cliquer(page.get_by_role("link", name="Déposer une proposition"))
    assert page.url == auteur.url("/propositions/nouvelle/")
    page.locator("#id_titre").fill(TITRE)
    page.locator("#id_resume").fill(RESUME)
    page.locator("#id_description").fill("<p>Un <strong>atelier de transformation</strong></p>"
                                          "<script>alert('x')</script>")
    page.get_by_label("Lanvallon").check()
    soumettre(auteur, "Enregistrer le brouillon et voir l'aperçu")
    expect(page.get_by_role("alert").first).to_contain_text("Le formulaire contient des erreurs")
    # A group of checkboxes: its fieldset points to the message (what a screen reader announces).
    groupe = page.get_by_role("group", name="Champs d'action :")
    expect(groupe).to_have_attribute("aria-describedby", re.compile(r"\bid_champs_error\b"))
    expect(page.locator("#id_champs_error")).to_have_text("Choisissez au moins un champ d'action.")
    expect(page.locator("#id_champs_0")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_titre")).to_have_value(TITRE)
    expect(page.locator("#id_resume")).to_have_value(RESUME)
    expect(page.get_by_label("Lanvallon")).to_be_checked()
    assert not Proposition.objects.exists()

    # The editor with the keyboard: its toolbar is one tab stop before the box, arrows move along its buttons,
    # each button acts on the box and gives it the focus back; Ctrl+B puts bold around what is typed next; the
    # « Aperçu » toggle shows the server's rendering (audited), then goes back to the box.
    zone = page.locator("#id_description")
    zone.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n")
    assert tab(page, "Shift+Tab")["texte"].endswith("Gras")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert focus(page)["texte"] == "Liste à puces"
    page.keyboard.press("Enter")
    page.keyboard.type("des légumes locaux ")
    page.keyboard.press("Control+b")
    page.keyboard.type("bio")
    expect(zone).to_have_value(re.compile(r"\n\n- des légumes locaux \*\*bio\*\*$"))
    tab(page, "Shift+Tab")
    page.keyboard.press("End")
    apercu = page.get_by_role("button", name="Aperçu", exact=True)
    expect(apercu).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Aperçu du texte").locator("li strong")).to_have_text("bio")
    expect(zone).to_be_hidden()
    auteur.auditer()
    page.keyboard.press("Enter")
    expect(zone).to_be_focused()
    # Content pasted from Word or a web page keeps its structure as Markdown; its styles and scripts are dropped.
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n")
    page.evaluate("""(html) => {
      const donnees = new DataTransfer();
      donnees.setData("text/html", html);
      document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: donnees, bubbles: true,
                                                                         cancelable: true}));
    }""", '<style>p.MsoNormal {mso-style-parent:""}</style><p class="MsoNormal">Collé de <b>Word</b><o:p></o:p></p>'
          '<script>alert(1)</script>')
    expect(zone).to_have_value(re.compile(r"\*\*bio\*\*\n\nCollé de \*\*Word\*\*$"))

    page.locator("#id_champs_0").check()  # champ 1
    soumettre(auteur, "Enregistrer le brouillon et voir l'aperçu")
    brouillon = Proposition.objects.get()
    assert brouillon.etat == Etat.BROUILLON
    assert page.url == auteur.url(f"/propositions/brouillons/{brouillon.pk}/")
    # The preview shows the page as it will be published (the script is gone), and is not public.
    expect(page.locator("#apercu")).to_contain_text("Aperçu – brouillon non public")
    expect(page.locator("h1")).to_have_text(TITRE)
    expect(page.locator(".corps strong").first).to_have_text("atelier de transformation")
    expect(page.locator(".corps li strong")).to_have_text("bio")
    expect(page.locator("main script")).to_have_count(0)
    assert "<script" not in brouillon.description

    auteur.cliquer(page.get_by_role("button", name="Déposer la proposition"))
    brouillon.refresh_from_db()
    reference = brouillon.reference
    assert re.fullmatch(r"P-\d{4}-001", reference)
    assert page.url == auteur.url(f"/propositions/{reference}/")
    expect(page.locator(".messages")).to_contain_text(f"Votre proposition est déposée sous la référence {reference}.")
    expect(page.locator("#parcours")).to_contain_text("Déposée")

    # 2. Someone else follows it, then keeps their personal space open.
    lecteur = nouvelle_navigation()
    se_connecter(lecteur, suiveuse.email)
    lecteur.aller(f"/propositions/{reference}/")
    lecteur.cliquer(lecteur.page.get_by_role("button", name="Suivre cette proposition"))
    expect(lecteur.page.locator(".messages")).to_contain_text("Vous suivez cette proposition")
    expect(lecteur.page.get_by_role("button", name="Ne plus suivre cette proposition")).to_be_visible()
    notifications = ouvrir_mon_espace_en_direct(lecteur)
    expect(lecteur.page.get_by_role("region", name="Mes propositions")).to_contain_text(TITRE)

    # 3. The secrétariat instructs it in the admin.
    secretariat = nouvelle_navigation()
    admin = secretariat.page
    se_connecter_avec_mfa(secretariat, agent)
    secretariat.aller("/admin/propositions/")
    expect(admin.get_by_role("link", name=re.compile(reference)).first).to_be_visible()
    secretariat.aller(f"/admin/propositions/instruire/{brouillon.pk}/")

    def franchir(libelle, etat, commentaire, **choix):
        formulaire = transition(admin, libelle)
        for etiquette, valeur in choix.items():
            champ = formulaire.get_by_label(etiquette, exact=True)
            if champ.evaluate("e => e.tagName") == "SELECT":
                champ.select_option(label=valeur)
            else:
                champ.fill(valeur)
        formulaire.get_by_label("Commentaire public").fill(commentaire)
        secretariat.cliquer(formulaire.get_by_role("button", name=libelle))
        expect(admin.locator(".messages")).to_contain_text(reference)
        assert Proposition.objects.get(pk=brouillon.pk).etat == etat
        # The follower's open page receives the step, without a reload.
        expect(notifications).to_contain_text(commentaire)
        assert document_pas_recharge(lecteur)

    franchir("Prendre en instruction", Etat.EN_INSTRUCTION, "Proposition recevable : le secrétariat l'instruit.")
    franchir("Affecter à un atelier", Etat.EN_ATELIER, "Confiée à l'atelier Alimentation durable.",
             Atelier=f"{atelier.titre} ({atelier.cycle})")
    franchir("Inscrire en séance plénière", Etat.SOUMISE_PLENIERE, "Inscrite à l'ordre du jour de décembre.",
             **{"Séance plénière": f"{timezone.localtime(pleniere.debut):%d/%m/%Y %H:%M} – {pleniere.titre}"})
    franchir("Enregistrer l'adoption par le Conseil", Etat.ADOPTEE, "Adoptée par la séance plénière.")
    franchir("Ouvrir la mise en œuvre", Etat.EN_OEUVRE, "La direction de l'ESS pilote la légumerie.",
             **{"Élu·e responsable": f"{elue.nom_public} ({elue.email})",
                "Service responsable": "Direction de l'économie sociale et solidaire"})

    # A private note, then a public follow-up point.
    admin.get_by_label("Note interne").fill("Budget à confirmer avec les finances (ne pas publier).")
    secretariat.cliquer(admin.get_by_role("button", name="Ajouter la note interne"))
    expect(admin.locator(".messages")).to_contain_text("Note interne ajoutée.")
    admin.get_by_label("Point de suivi (public)").fill("Local trouvé à Lanvallon, travaux en janvier.")
    admin.get_by_label("Avancement (%)").fill("20")
    secretariat.cliquer(admin.get_by_role("button", name="Ajouter le point de suivi"))
    expect(admin.locator(".messages")).to_contain_text("Point de suivi ajouté")
    expect(notifications).to_contain_text("Local trouvé à Lanvallon")
    assert document_pas_recharge(lecteur)
    assert Notification.objects.filter(destinataire=suiveuse, categorie="propositions").count() == 6
    # The author was told too (not the secrétariat, who acted).
    assert Notification.objects.filter(destinataire=acteur, categorie="propositions").count() == 6
    assert not Notification.objects.filter(destinataire=agent, categorie="propositions").exists()

    # 4. The public timeline tells it all, without the private note.
    public = nouvelle_navigation()
    public.aller("/propositions/")
    carte = public.page.locator("article", has_text=TITRE)
    expect(carte).to_contain_text("En cours de mise en œuvre")
    public.cliquer(carte.get_by_role("link", name=re.compile(TITRE)))
    assert public.page.url == public.url(f"/propositions/{reference}/")
    parcours = public.page.locator("#parcours li")
    expect(parcours).to_have_count(6)
    for i, (etat, commentaire) in enumerate([
        ("Déposée", None),
        ("En instruction", "Proposition recevable"),
        ("En travail en atelier", "Confiée à l'atelier Alimentation durable."),
        ("Inscrite en séance plénière", "Inscrite à l'ordre du jour de décembre."),
        ("Adoptée par le Conseil", "Adoptée par la séance plénière."),
        ("En cours de mise en œuvre", "La direction de l'ESS pilote la légumerie."),
    ]):
        expect(parcours.nth(i)).to_contain_text(etat)
        if commentaire:
            expect(parcours.nth(i)).to_contain_text(commentaire)
    expect(parcours.nth(2).get_by_role("link", name=atelier.titre)).to_be_visible()
    expect(parcours.nth(3)).to_contain_text(pleniere.titre)
    mise_en_oeuvre = public.page.locator("#mise-en-oeuvre")
    expect(mise_en_oeuvre).to_contain_text("Hélène Marceau")
    expect(mise_en_oeuvre).to_contain_text("Direction de l'économie sociale et solidaire")
    expect(mise_en_oeuvre).to_contain_text("Local trouvé à Lanvallon, travaux en janvier.")
    expect(mise_en_oeuvre.locator("progress")).to_have_attribute("value", "20")
    expect(public.page.locator("main")).not_to_contain_text("Budget à confirmer")


def test_suivi_engagement_retrait_preferences_et_lecture_a_320_px(nouvelle_navigation):
    """The élu·e's dashboard flags the proposal waiting too long and takes an engagement; an author
    withdraws theirs (the reason is required); they choose no e-mail for proposals; the list, a
    proposal and the open data read at 320 px."""
    from conseil_ess.comptes.models import PreferenceNotification
    from tests.propositions.parcours_dates import il_y_a, proposition_datee

    acteur = creer_utilisateur("acteur", nom_affiche="Sacha de la Ressourcerie")
    elue = creer_utilisateur("elu", nom_affiche="Hélène Marceau")
    oubliee = proposition_datee(Etat.EN_INSTRUCTION, {Etat.DEPOSEE: il_y_a(150), Etat.EN_INSTRUCTION: il_y_a(120)},
                                titre="Une recyclerie oubliée")
    recente = proposition_datee(Etat.DEPOSEE, {Etat.DEPOSEE: il_y_a(3)}, titre="Une proposition récente")
    adoptee = proposition_datee(Etat.ADOPTEE, {Etat.DEPOSEE: il_y_a(200), Etat.ADOPTEE: il_y_a(10)},
                                titre="Des clauses sociales dans les marchés")
    mienne = proposition_datee(Etat.DEPOSEE, {Etat.DEPOSEE: il_y_a(2)}, titre="Ma proposition à retirer",
                               auteur=acteur)

    # The élu·e's dashboard: the proposal waiting for 120 days comes first, flagged.
    elu = nouvelle_navigation()
    page = elu.page
    se_connecter_avec_mfa(elu, elue)
    elu.cliquer(page.get_by_role("link", name="Suivi des propositions"))
    assert page.url == elu.url("/suivi/")
    attente = page.locator("section", has=page.get_by_role("heading", name="En attente d'une réponse"))
    expect(attente.get_by_role("status")).to_have_text(
        "1 proposition attend une réponse depuis plus de 90 jours.")
    lignes = attente.locator("tbody tr")
    expect(lignes.first).to_contain_text(oubliee.titre)
    expect(lignes.first).to_contain_text("Réponse en retard")
    expect(attente.locator("tr", has_text=recente.titre)).not_to_contain_text("Réponse en retard")

    # Her engagement on the adopted proposal opens its implementation.
    elu.aller(f"/propositions/{adoptee.reference}/engagement/")
    page.get_by_label("Élu·e responsable").select_option(label="Hélène Marceau")
    page.get_by_label("Service responsable").fill("Direction de la commande publique")
    page.get_by_label("Commentaire public").fill("La commande publique intègre les clauses dès 2027.")
    soumettre(elu, "Enregistrer l'engagement")
    adoptee.refresh_from_db()
    assert (adoptee.etat, adoptee.responsable_elu, adoptee.service_responsable) == (
        Etat.EN_OEUVRE, elue, "Direction de la commande publique")
    elu.aller(adoptee.get_absolute_url())
    expect(page.locator("#parcours li").last).to_contain_text("La commande publique intègre les clauses dès 2027.")
    expect(page.locator("#mise-en-oeuvre")).to_contain_text("Direction de la commande publique")

    # The author withdraws their proposal: the reason is required, then public.
    auteur = nouvelle_navigation()
    page = auteur.page
    se_connecter(auteur, acteur.email)
    auteur.aller(mienne.get_absolute_url())
    auteur.cliquer(page.get_by_role("link", name="Retirer ma proposition"))
    soumettre(auteur, "Retirer définitivement ma proposition")
    expect(page.get_by_role("alert").first).to_be_visible()
    assert Proposition.objects.get(pk=mienne.pk).etat == Etat.DEPOSEE
    page.get_by_label("Pourquoi retirez-vous votre proposition ?").fill("Elle rejoint celle du réseau des recycleries.")
    soumettre(auteur, "Retirer définitivement ma proposition")
    assert page.url == auteur.url(mienne.get_absolute_url())
    expect(page.locator("#parcours li").last).to_contain_text("Retirée par son auteur·rice")
    expect(page.locator("#parcours li").last).to_contain_text("Elle rejoint celle du réseau des recycleries.")

    # No e-mail about proposals any more (still live in « Mon espace »).
    auteur.aller("/mon-espace/")
    auteur.cliquer(page.get_by_role("link", name="Choisir les notifications reçues par courriel"))
    page.get_by_role("group", name=re.compile("^Propositions que je suis")).get_by_label(
        "Jamais par courriel (seulement dans « Mon espace »)").check()
    soumettre(auteur, "Enregistrer mes préférences")
    assert PreferenceNotification.objects.get(user=acteur, categorie="propositions").frequence == "jamais"

    # A phone: the list, a proposal and the open data reflow at 320 px.
    telephone = nouvelle_navigation(largeur=320)
    for chemin in ("/propositions/", adoptee.get_absolute_url(), "/donnees/"):
        telephone.aller(chemin)
        assert telephone.page.evaluate("document.documentElement.scrollWidth") <= 320, chemin
    expect(telephone.page.get_by_role("link", name=re.compile("propositions.csv"))).to_be_visible()
