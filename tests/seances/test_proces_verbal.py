"""The minutes (procès-verbal) of a séance: generated from the recorded data, edited, published, withdrawn
(``conseil_ess.seances.proces_verbal``), and their printable page and PDF."""

import datetime
import html
import re
import zlib
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conseil_ess.comptes.models import Notification
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.seances import proces_verbal, services
from conseil_ess.seances.models import Choix, ProcesVerbal, Scrutin, Seance
from conseil_ess.seances.views_documents import en_latin1
from evenements.models import Evenement
from tests.comptes.fabriques import CollegeFactory
from tests.conftest import activer_mfa, creer_utilisateur

from .fabriques import membre_en_exercice, nouvelle_seance, presents, proposition_soumise, un_agent

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def seance_terminee(agent=None):
    """A finished séance: an information item, a weighted public vote on a proposal (adopted 2–1 with a quorum
    of 3), a secret free question (show of hands would not do: a real ballot), an exceptional nature.

    Return (séance, agent, proposition)."""
    agent = agent or un_agent()
    seance = nouvelle_seance(agent, nature=Seance.Nature.EXCEPTIONNELLE,
                             motif_exceptionnelle="Fermeture annoncée d'une ressourcerie.",
                             presidence="La Vice-présidente à l'ESS", precision_lieu="Salle des Conseils")
    proposition = proposition_soumise(seance)
    services.ajouter_point(seance, agent, "Accueil", "<p>Mot d'accueil de la présidence.</p>")
    point_vote = services.ajouter_point(seance, agent, "Vote de la proposition", scrutin={
        "objet": Scrutin.Objet.PROPOSITION, "proposition": proposition, "quorum": 3,
        "ponderation_par_college": True})
    point_secret = services.ajouter_point(seance, agent, "Question libre", scrutin={
        "objet": Scrutin.Objet.QUESTION, "question": "Faut-il un groupe de travail ?", "secret": True})
    seance = services.publier_ordre_du_jour(seance, agent)
    college_a = CollegeFactory(nom="Collège des entreprises", poids=Decimal("2"))
    college_b = CollegeFactory(nom="Collège des associatifs", poids=Decimal("1"))
    m1, m2 = presents(seance, 2, agent, college_=college_a)
    (m3,) = presents(seance, 1, agent, college_=college_b)
    services.ouvrir_scrutin(point_vote.scrutin, agent)
    services.voter(point_vote.scrutin, m1, Choix.POUR)
    services.voter(point_vote.scrutin, m2, Choix.POUR)
    services.voter(point_vote.scrutin, m3, Choix.CONTRE)
    services.clore_scrutin(point_vote.scrutin, agent)
    services.ouvrir_scrutin(point_secret.scrutin, agent)
    services.voter(point_secret.scrutin, m1, Choix.CONTRE)
    services.voter(point_secret.scrutin, m3, Choix.ABSTENTION)
    services.clore_scrutin(point_secret.scrutin, agent)
    services.terminer_seance(seance, agent)
    seance.refresh_from_db()
    return seance, agent, proposition


def test_le_brouillon_reprend_les_donnees_enregistrees():
    seance, agent, proposition = seance_terminee()

    pv = proces_verbal.generer(seance, agent)

    assert pv.statut == ProcesVerbal.Statut.BROUILLON and pv.modifie_par == agent and pv.publie_le is None
    texte = html.unescape(pv.contenu)
    for attendu in [
        seance.evenement.titre, "Séance exceptionnelle", "Fermeture annoncée d'une ressourcerie.",
        "La Vice-présidente à l'ESS", "Salle des Conseils", "3 membres du Conseil présents",
        "Mot d'accueil de la présidence.", "Scrutin n° 1", "Scrutin n° 2", "Faut-il un groupe de travail ?",
        f"{proposition.reference} – {proposition.titre}", proposition.get_absolute_url(),
        "vote public", "vote à bulletin secret", "voix pondérées par collège",
        "Collège des entreprises : 2", "Collège des associatifs : 1",
        "quorum de 3 membres présents exigé : atteint (3 présents)", "pas de quorum exigé",
        "majorité simple des suffrages exprimés", "(pondéré : 4)", "Adopté", "Rejeté",
        "Pour : 2", "Contre : 1", "Abstentions : 1",
    ]:
        assert attendu in texte, attendu
    assert "(heure de Paris)" in texte
    # The items come in the agenda's order.
    assert texte.index("Accueil") < texte.index("Vote de la proposition") < texte.index("Question libre")
    # Paris time (winter: UTC+1, summer: UTC+2): the start hour is written in local time.
    heure = timezone.localtime(seance.evenement.debut).strftime("%Hh%M")
    assert heure in texte


def test_le_brouillon_est_nettoye():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    services.ajouter_point(seance, agent, "Point <script>alert(1)</script>")
    seance = services.publier_ordre_du_jour(seance, agent)
    services.terminer_seance(seance, agent)

    pv = proces_verbal.generer(seance, agent)
    assert "<script" not in pv.contenu
    pv = proces_verbal.enregistrer(pv, agent, '<p onclick="x()">Texte</p><script>alert(2)</script>')
    assert pv.contenu == "<p>Texte</p>"  # the script and its content are removed


def test_generer_refuse_avant_la_fin_et_aux_non_agents():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    with pytest.raises(ActionImpossible, match="qu'après la séance"):
        proces_verbal.generer(seance, agent)
    with pytest.raises(ActionImpossible, match="secrétariat"):
        proces_verbal.generer(seance, membre_en_exercice())
    assert not ProcesVerbal.objects.exists()


def test_seance_archivee_passee_aux_scrutins_clos_peut_etre_generee():
    """A séance recorded after the fact (never « terminée » on the live page): past and no open scrutin."""
    agent = un_agent()
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Vote", scrutin={"objet": Scrutin.Objet.QUESTION})
    seance = services.publier_ordre_du_jour(seance, agent)
    seance.presents_declares = 12
    seance.save(update_fields=["presents_declares"])
    services.saisir_resultat_manuel(point.scrutin, agent, pour=8, contre=2, abstention=2)
    passe = timezone.now() - datetime.timedelta(days=400)
    Evenement.objects.filter(pk=seance.evenement_id).update(debut=passe, fin=passe + datetime.timedelta(hours=2))

    pv = proces_verbal.generer(seance, agent)
    assert "vote à main levée" in pv.contenu
    assert "12 membres du Conseil présents" in pv.contenu
    assert "feuille d'émargement papier" in pv.contenu

    # Not while a scrutin is still to be held.
    autre = nouvelle_seance(agent)
    services.ajouter_point(autre, agent, "Vote", scrutin={"objet": Scrutin.Objet.QUESTION})
    Evenement.objects.filter(pk=autre.evenement_id).update(debut=passe, fin=passe + datetime.timedelta(hours=2))
    with pytest.raises(ActionImpossible, match="tous ses scrutins clos"):
        proces_verbal.generer(autre, agent)


def test_regenerer_un_brouillon_mais_jamais_un_pv_publie():
    seance, agent, _ = seance_terminee()
    pv = proces_verbal.generer(seance, agent)
    proces_verbal.enregistrer(pv, agent, "<p>Version modifiée</p>")

    pv = proces_verbal.generer(seance, agent)  # regenerates the draft from the data
    assert "Version modifiée" not in pv.contenu and ProcesVerbal.objects.count() == 1

    proces_verbal.enregistrer(pv, agent, "<p>Version définitive</p>")
    proces_verbal.publier(pv, agent)
    with pytest.raises(ActionImpossible, match="est publié"):
        proces_verbal.generer(seance, agent)
    pv.refresh_from_db()
    assert pv.contenu == "<p>Version définitive</p>" and pv.est_publie

    proces_verbal.depublier(pv, agent)
    pv.refresh_from_db()
    assert pv.statut == ProcesVerbal.Statut.BROUILLON and pv.publie_le is None
    with pytest.raises(ActionImpossible, match="n'est pas publié"):
        proces_verbal.depublier(pv, agent)


def test_enregistrer_refuse_un_texte_vide_et_les_non_agents():
    seance, agent, _ = seance_terminee()
    pv = proces_verbal.generer(seance, agent)
    avant = pv.contenu
    with pytest.raises(ActionImpossible, match="vide"):
        proces_verbal.enregistrer(pv, agent, "<p>  </p>")
    with pytest.raises(ActionImpossible, match="secrétariat"):
        proces_verbal.enregistrer(pv, membre_en_exercice(), "<p>Autre</p>")
    pv.refresh_from_db()
    assert pv.contenu == avant


def test_publier_notifie_les_membres_en_exercice_une_fois():
    seance, agent, _ = seance_terminee()
    pv = proces_verbal.generer(seance, agent)
    Notification.objects.all().delete()
    autre_agent = un_agent()

    with pytest.raises(ActionImpossible, match="secrétariat"):
        proces_verbal.publier(pv, membre_en_exercice())
    pv = proces_verbal.publier(pv, autre_agent)

    assert pv.est_publie and pv.publie_le is not None and pv.modifie_par == autre_agent
    notifications = Notification.objects.filter(categorie="conseil")
    # The 3 members checked in plus the one created above, all in office; agents are not members.
    assert notifications.count() == 4
    assert all(n.titre.startswith("Procès-verbal publié") for n in notifications)
    assert {n.url for n in notifications} == {seance.get_absolute_url() + "#proces-verbal"}
    with pytest.raises(ActionImpossible, match="déjà publié"):
        proces_verbal.publier(pv, autre_agent)
    assert Notification.objects.filter(categorie="conseil").count() == 4


# --- Printable page and PDF -------------------------------------------------------------------------


def _urls(seance):
    return (reverse("seances:proces_verbal", args=[seance.slug]),
            reverse("seances:proces_verbal_pdf", args=[seance.slug]))


def test_page_imprimable_et_pdf_du_pv_publie(client):
    seance, agent, proposition = seance_terminee()
    pv = proces_verbal.generer(seance, agent)
    proces_verbal.enregistrer(pv, agent, pv.contenu + "<p>L’œuvre « commune » … – fin — merci</p>")
    page, pdf = _urls(seance)
    # Not published: 404 for the public and the members.
    assert client.get(page).status_code == 404 and client.get(pdf).status_code == 404
    client.force_login(membre_en_exercice())
    assert client.get(page).status_code == 404
    client.logout()

    proces_verbal.publier(pv, agent)
    reponse = client.get(page)
    assert reponse.status_code == 200
    contenu = html.unescape(reponse.content.decode())
    assert "Procès-verbal" in contenu and seance.evenement.titre in contenu and "Brouillon" not in contenu
    assert f"{proposition.reference} – {proposition.titre}" in contenu
    assert "css/proces-verbal.css" in contenu and _urls(seance)[1] in contenu

    reponse = client.get(pdf)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")
    assert f"proces-verbal-{seance.slug}.pdf" in reponse["Content-Disposition"]

    # The séance's page links both.
    detail = html.unescape(client.get(seance.get_absolute_url()).content.decode())
    assert page in detail and pdf in detail and "Lire le procès-verbal" in detail


def texte_du_pdf(contenu):
    """The text drawn by the PDF's (zlib-compressed) content streams, decoded as the core fonts' cp1252."""
    # Up to « endstream », end of line included: a compressed stream may itself end with the byte \r, so
    # the end of line is not cut off by a pattern; what follows the zlib data is left over (unused_data).
    flux = re.findall(rb"stream\r?\n(.*?)endstream", contenu, re.S)
    dessine = b"".join(zlib.decompressobj().decompress(f) for f in flux if f[:1] == b"x")
    return "".join(re.findall(r"\((.*?)\) Tj", dessine.decode("cp1252"))).replace("\\(", "(").replace("\\)", ")")


def test_le_texte_du_pdf_reprend_le_pv(client):
    seance, agent, proposition = seance_terminee()
    pv = proces_verbal.generer(seance, agent)
    proces_verbal.enregistrer(pv, agent, pv.contenu + "<p>L’œuvre commune… – fin</p>")
    proces_verbal.publier(pv, agent)

    texte = texte_du_pdf(client.get(_urls(seance)[1]).content)
    for attendu in ["Procès-verbal", "Séance exceptionnelle", "Fermeture annoncée d'une ressourcerie.",
                    "(heure de Paris)", "Présence : 3 membres du Conseil présents.", "Scrutin n° 1",
                    "Faut-il un groupe de travail ?", proposition.reference, "Résultat : Adopté.",
                    "L'oeuvre commune... - fin"]:
        assert attendu in texte, attendu


@pytest.mark.parametrize("role", ["agent", "elu"])
def test_apercu_du_brouillon_pour_secretariat_et_elus(client, role):
    seance, agent, _ = seance_terminee()
    proces_verbal.generer(seance, agent)
    client.force_login(creer_utilisateur(role))
    page, pdf = _urls(seance)
    reponse = client.get(page)
    assert reponse.status_code == 200 and "Brouillon" in reponse.content.decode()
    reponse = client.get(pdf)
    assert reponse.content.startswith(b"%PDF") and reponse["Cache-Control"] == "private, no-store"
    detail = html.unescape(client.get(seance.get_absolute_url()).content.decode())
    assert "Aperçu du brouillon" in detail


def test_pas_de_pv_ou_mauvaise_seance_donnent_404(client):
    agent = un_agent()
    activer_mfa(agent)
    seance = nouvelle_seance(agent)
    client.force_login(agent)
    for adresse in _urls(seance):
        assert client.get(adresse).status_code == 404
    for adresse in (reverse("seances:proces_verbal", args=["inconnue"]),
                    reverse("seances:proces_verbal_pdf", args=["inconnue"])):
        assert client.get(adresse).status_code == 404
    detail = html.unescape(client.get(seance.get_absolute_url()).content.decode())
    assert "Le procès-verbal sera publié ici après la séance." in detail


def test_caracteres_hors_latin1_pour_le_pdf():
    assert en_latin1("L’œuvre « commune » … – — Œ €") == "L'oeuvre « commune » ... - - OE EUR"
    assert en_latin1("ŝ") == "s" and en_latin1("漢") == "?"
    # Inclusive writing keeps its middle dot: it is latin-1 (the core fonts have it).
    assert en_latin1("les élu·e·s présent·e·s") == "les élu·e·s présent·e·s"
