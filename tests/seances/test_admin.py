"""The secrétariat's back office for séances in the Wagtail admin: listing, creation, agenda, publication,
documents, paper attendance, check-in list and QR code, minutes; who gets in; flat query counts."""

import datetime
import html
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conseil_ess.comptes.models import Notification
from conseil_ess.seances import services
from conseil_ess.seances.models import DocumentSeance, Emargement, PointOrdreDuJour, ProcesVerbal, Scrutin, Seance
from tests.conftest import activer_mfa, creer_utilisateur
from tests.evenements.fabriques import LieuFactory
from tests.factories import UserFactory

from .fabriques import membre_en_exercice, nouvelle_seance, presents, proposition_soumise, un_agent

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
LISTE = reverse("seances_admin:index")
AJOUTER = reverse("seances_admin:ajouter")


def preparer(seance):
    return reverse("seances_admin:preparer", args=[seance.pk])


def emargement(seance):
    return reverse("seances_admin:emargement", args=[seance.pk])


def page_pv(seance):
    return reverse("seances_admin:proces_verbal", args=[seance.pk])


def messages_de(reponse):
    return [html.unescape(str(m)).strip() for m in reponse.context["messages"]] if reponse.context else []


def texte(reponse):
    return html.unescape(reponse.content.decode())


@pytest.fixture
def client_agent(client, agent):
    client.force_login(agent)
    return client


def point_vote(prefix="point", **champs):
    donnees = {"action": "point", f"{prefix}-titre": "Un vote", f"{prefix}-type": "vote"}
    donnees.update({f"{prefix}-{nom}": valeur for nom, valeur in champs.items()})
    return donnees


# --- Menu and listing ------------------------------------------------------------------------------


def test_le_menu_seances_est_montre_aux_agents(client_agent):
    reponse = client_agent.get(reverse("wagtailadmin_home"))
    assert reponse.status_code == 200
    assert f'href="{LISTE}"' in reponse.content.decode() or LISTE in reponse.content.decode()


def test_la_liste_montre_les_seances_a_venir_puis_passees(client_agent):
    agent = un_agent()
    proche = nouvelle_seance(agent, jours=5, titre="Séance proche")
    lointaine = nouvelle_seance(agent, jours=60, titre="Séance lointaine")
    passee = nouvelle_seance(agent, jours=-30, titre="Séance passée")
    ancienne = nouvelle_seance(agent, jours=-300, titre="Séance ancienne")
    reponse = client_agent.get(LISTE)
    assert reponse.status_code == 200
    assert list(reponse.context["seances"]) == [proche, lointaine, passee, ancienne]
    contenu = texte(reponse)
    assert "Nouvelle séance" in contenu and preparer(proche) in contenu and emargement(passee) in contenu


def test_la_liste_est_paginee(client_agent):
    agent = un_agent()
    for i in range(22):
        nouvelle_seance(agent, jours=i + 1, titre=f"Séance {i}")
    assert len(client_agent.get(LISTE).context["seances"]) == 20
    assert len(client_agent.get(LISTE, {"page": 2}).context["seances"]) == 2


# --- Creation --------------------------------------------------------------------------------------


def test_creer_une_seance(client_agent, agent):
    lieu = LieuFactory()
    reponse = client_agent.post(AJOUTER, {
        "action": "creer", "titre": "Séance plénière d'automne", "nature": "ordinaire",
        "debut": "2027-10-14T17:00", "fin": "2027-10-14T20:00", "lieu": lieu.pk, "precision_lieu": "Salle 2",
        "presidence": "La Présidente", "resume": "Vote des orientations."})
    seance = Seance.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == preparer(seance)
    ev = seance.evenement
    assert (ev.titre, ev.lieu, ev.precision_lieu, ev.resume, seance.presidence, seance.cree_par) == (
        "Séance plénière d'automne", lieu, "Salle 2", "Vote des orientations.", "La Présidente", agent)
    # Typed in Paris time (summer: UTC+2).
    assert ev.debut == datetime.datetime(2027, 10, 14, 15, 0, tzinfo=datetime.UTC)


def test_seance_exceptionnelle_sans_motif_refusee_a_cote_du_champ(client_agent):
    reponse = client_agent.post(AJOUTER, {
        "action": "creer", "titre": "Séance urgente", "nature": "exceptionnelle", "motif_exceptionnelle": " ",
        "debut": "2027-03-01T18:00", "fin": "2027-03-01T20:00"})
    assert reponse.status_code == 200 and not Seance.objects.exists()
    form = reponse.context["form"]
    assert form.errors["motif_exceptionnelle"] == [
        "Indiquez le motif de la séance exceptionnelle : il est affiché publiquement."]
    assert form["titre"].value() == "Séance urgente"
    assert "Indiquez le motif de la séance exceptionnelle" in texte(reponse)


def test_fin_avant_debut_et_date_invalide_refusees(client_agent):
    reponse = client_agent.post(AJOUTER, {"action": "creer", "titre": "Séance", "nature": "ordinaire",
                                          "debut": "2027-03-01T18:00", "fin": "2027-03-01T17:00"})
    assert reponse.context["form"].errors["fin"] == ["La fin de la séance doit venir après son début."]
    reponse = client_agent.post(AJOUTER, {"action": "creer", "titre": "", "nature": "ordinaire",
                                          "debut": "demain", "fin": ""})
    erreurs = reponse.context["form"].errors
    assert erreurs["titre"] == ["Indiquez le titre de la séance."]
    assert erreurs["debut"] == ["Indiquez une date et une heure valides."]
    assert erreurs["fin"] == ["Indiquez la fin de la séance."]
    assert not Seance.objects.exists()


# --- Agenda ----------------------------------------------------------------------------------------


def test_ajouter_des_points_et_publier(client_agent, agent):
    seance = nouvelle_seance(agent)
    membre = membre_en_exercice()
    proposition = proposition_soumise(seance)
    reponse = client_agent.post(preparer(seance), {
        "action": "point", "point-titre": "Accueil", "point-type": "information",
        "point-description": "<p>Bienvenue</p>"})
    assert reponse.status_code == 302
    reponse = client_agent.post(preparer(seance), point_vote(
        titre="Vote de la proposition", objet="proposition", proposition=proposition.pk, secret="on", quorum="10",
        une_voix_par_structure="on", ponderation_par_college="on"))
    assert reponse.status_code == 302, reponse.context and reponse.context["point_form"].errors
    points = list(seance.points.order_by("ordre"))
    assert [(p.titre, p.type) for p in points] == [("Accueil", "information"), ("Vote de la proposition", "vote")]
    s = points[1].scrutin
    assert (s.objet, s.proposition, s.secret, s.quorum, s.une_voix_par_structure, s.ponderation_par_college,
            s.changement_de_vote_autorise, s.saisie_manuelle) == ("proposition", proposition, True, 10, True, True,
                                                                   False, False)
    assert proposition.reference in s.question

    page = client_agent.get(preparer(seance))
    assert "Vote de la proposition" in texte(page) and "Publier l'ordre du jour" in texte(page)
    reponse = client_agent.post(preparer(seance), {"action": "publier"}, follow=True)
    assert "Ordre du jour publié : les membres du Conseil sont prévenus." in messages_de(reponse)
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.ORDRE_DU_JOUR_PUBLIE
    assert Notification.objects.filter(destinataire=membre, categorie="conseil").exists()


def test_publier_un_ordre_du_jour_vide_est_refuse(client_agent, agent):
    seance = nouvelle_seance(agent)
    reponse = client_agent.post(preparer(seance), {"action": "publier"})
    assert reponse.status_code == 200
    assert "Ajoutez au moins un point à l'ordre du jour avant de le publier." in messages_de(reponse)
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.PREPARATION


@pytest.mark.parametrize("champs, champ_erreur, message", [
    ({"objet": ""}, "objet", "Choisissez l'objet du scrutin."),
    ({"objet": "proposition"}, "proposition", "Choisissez la proposition soumise au vote."),
    ({"objet": "thematique"}, "thematique", "Choisissez la thématique annuelle soumise au vote."),
    ({"objet": "question", "secret": "on", "changement_de_vote_autorise": "on"}, "changement_de_vote_autorise",
     "Un vote secret ne peut pas être changé : décochez « changement de vote autorisé » ou le vote secret."),
    ({"objet": "question", "quorum": "0"}, "quorum",
     "Le quorum doit être d'au moins un membre présent, ou laissé vide."),
])
def test_les_refus_du_service_reviennent_a_cote_du_champ(client_agent, agent, champs, champ_erreur, message):
    seance = nouvelle_seance(agent)
    reponse = client_agent.post(preparer(seance), point_vote(question="Ma question gardée", **champs))
    assert reponse.status_code == 200
    form = reponse.context["point_form"]
    assert form.errors[champ_erreur] == [message]
    assert form["question"].value() == "Ma question gardée"
    assert message in texte(reponse)
    assert not PointOrdreDuJour.objects.exists() and not Scrutin.objects.exists()


def test_une_proposition_pas_en_pleniere_n_est_pas_proposee(client_agent, agent):
    from conseil_ess.propositions.models import Etat
    from tests.propositions.fabriques import proposition_en

    ailleurs = proposition_en(Etat.EN_ATELIER)
    seance = nouvelle_seance(agent)
    page = client_agent.get(preparer(seance))
    assert ailleurs not in page.context["point_form"].fields["proposition"].queryset
    reponse = client_agent.post(preparer(seance), point_vote(objet="proposition", proposition=ailleurs.pk))
    assert "proposition" in reponse.context["point_form"].errors
    assert not Scrutin.objects.exists()


def test_le_formulaire_ne_propose_que_les_propositions_de_la_seance(client_agent, agent):
    seance, autre = nouvelle_seance(agent), nouvelle_seance(agent, titre="Plénière d'automne")
    ici, la_bas = proposition_soumise(seance), proposition_soumise(autre)
    choix = client_agent.get(preparer(seance)).context["point_form"].fields["proposition"].queryset
    assert ici in choix and la_bas not in choix
    reponse = client_agent.post(preparer(seance), point_vote(objet="proposition", proposition=la_bas.pk))
    assert "n'est pas inscrite à cette séance plénière" in reponse.context["point_form"].errors["proposition"][0]
    assert not Scrutin.objects.exists()


def test_une_seance_terminee_n_accepte_plus_de_point(client_agent, agent):
    seance = nouvelle_seance(agent)
    services.ajouter_point(seance, agent, "Accueil")
    services.publier_ordre_du_jour(seance, agent)
    services.terminer_seance(seance, agent)
    reponse = client_agent.post(preparer(seance), {"action": "point", "point-titre": "Tard",
                                                   "point-type": "information"})
    assert reponse.context["point_form"].non_field_errors() == [
        "La séance est terminée : son ordre du jour ne peut plus changer."]
    assert seance.points.count() == 1


# --- Documents and paper attendance ---------------------------------------------------------------


def test_ajouter_et_supprimer_un_document(client_agent, agent, django_capture_on_commit_callbacks):
    seance = nouvelle_seance(agent)
    fichier = SimpleUploadedFile("note.pdf", b"%PDF-1.4 note", content_type="application/pdf")
    reponse = client_agent.post(preparer(seance), {"action": "document", "document-titre": "Note de synthèse",
                                                   "document-fichier": fichier})
    assert reponse.status_code == 302
    document = DocumentSeance.objects.get()
    assert (document.seance, document.titre, document.ajoute_par) == (seance, "Note de synthèse", agent)
    page = texte(client_agent.get(preparer(seance)))
    assert "Note de synthèse" in page and reverse("seances:document", args=[seance.slug, document.pk]) in page
    chemin = document.fichier.path

    assert os.path.exists(chemin)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client_agent.post(preparer(seance), {"action": "supprimer_document", "document": document.pk})
    assert reponse.status_code == 302 and not DocumentSeance.objects.exists()
    assert not os.path.exists(chemin)  # the file goes with it, once committed
    # An unknown document: a French message, no error page.
    reponse = client_agent.post(preparer(seance), {"action": "supprimer_document", "document": "abc"})
    assert "Ce document n'existe plus." in messages_de(reponse)


def test_document_refuse_garde_le_titre(client_agent, agent):
    seance = nouvelle_seance(agent)
    fichier = SimpleUploadedFile("script.exe", b"MZ", content_type="application/octet-stream")
    reponse = client_agent.post(preparer(seance), {"action": "document", "document-titre": "Mon titre",
                                                   "document-fichier": fichier})
    assert reponse.status_code == 200
    form = reponse.context["document_form"]
    assert "fichier" in form.errors and form["titre"].value() == "Mon titre"
    reponse = client_agent.post(preparer(seance), {"action": "document", "document-titre": "Sans fichier"})
    assert reponse.context["document_form"].errors["fichier"] == ["Choisissez le fichier à joindre."]
    assert not DocumentSeance.objects.exists()


def test_presents_declares(client_agent, agent):
    seance = nouvelle_seance(agent)
    avant = Seance.objects.values_list("version", flat=True).get(pk=seance.pk)
    reponse = client_agent.post(preparer(seance), {"action": "presents", "presents-presents_declares": "42"})
    assert reponse.status_code == 302
    seance.refresh_from_db()
    assert seance.presents_declares == 42 and seance.nombre_presents() == 42 and seance.version == avant + 1
    reponse = client_agent.post(preparer(seance), {"action": "presents", "presents-presents_declares": "-3"})
    assert reponse.context["presents_form"].errors["presents_declares"] == [
        "Le nombre de membres présents ne peut pas être négatif."]
    assert reponse.context["presents_form"]["presents_declares"].value() == "-3"
    client_agent.post(preparer(seance), {"action": "presents", "presents-presents_declares": ""})
    seance.refresh_from_db()
    assert seance.presents_declares is None


# --- Check-in ---------------------------------------------------------------------------------------


def _seance_publiee(agent):
    seance = nouvelle_seance(agent)
    services.ajouter_point(seance, agent, "Accueil")
    return services.publier_ordre_du_jour(seance, agent)


def test_emarger_depuis_la_liste(client_agent, agent):
    seance = _seance_publiee(agent)
    alice = membre_en_exercice(first_name="Alice", last_name="Martin")
    bob = membre_en_exercice(first_name="Bob", last_name="Durand")
    services.emarger(seance, bob, jeton=seance.jeton_emargement)
    page = client_agent.get(emargement(seance))
    assert page.status_code == 200
    contenu = texte(page)
    assert "1 membre émargé." in contenu and "Par le QR code de la salle" in contenu
    assert {m.user for m in page.context["mandats"]} == {alice, bob}

    reponse = client_agent.post(emargement(seance), {"action": "emarger", "user": alice.pk}, follow=True)
    assert "Alice Martin est émargé·e." in messages_de(reponse)
    e = Emargement.objects.get(seance=seance, user=alice)
    assert (e.mode, e.par) == (Emargement.Mode.LISTE, agent)
    assert "2 membres émargés." in texte(reponse)

    # Someone without a mandate: refused in French, nothing written.
    intrus = UserFactory()
    reponse = client_agent.post(emargement(seance), {"action": "emarger", "user": intrus.pk})
    assert "Seuls les membres du Conseil en exercice peuvent émarger." in messages_de(reponse)
    assert not Emargement.objects.filter(user=intrus).exists()


def test_emargement_refuse_avant_publication(client_agent, agent):
    seance = nouvelle_seance(agent)
    membre = membre_en_exercice()
    reponse = client_agent.post(emargement(seance), {"action": "emarger", "user": membre.pk})
    assert "L'émargement n'est pas ouvert : l'ordre du jour de la séance n'est pas publié." in messages_de(reponse)
    assert not Emargement.objects.exists()


def test_recherche_et_pagination_des_membres(client_agent, agent):
    seance = _seance_publiee(agent)
    cible = membre_en_exercice(first_name="Zoé", last_name="Zéphyr")
    for _ in range(3):
        membre_en_exercice()
    reponse = client_agent.get(emargement(seance), {"q": "zéphyr"})
    assert [m.user for m in reponse.context["mandats"]] == [cible]
    reponse = client_agent.get(emargement(seance), {"q": "personne-de-ce-nom"})
    assert "Aucun membre ne correspond à cette recherche." in texte(reponse)


def test_pagination_des_membres_en_gardant_la_recherche(client_agent, agent, monkeypatch):
    from conseil_ess.seances import admin_views

    monkeypatch.setattr(admin_views, "MEMBRES_PAR_PAGE", 2)
    seance = _seance_publiee(agent)
    for _ in range(3):
        membre_en_exercice(last_name="Dupont")
    membre_en_exercice(last_name="Martin")
    reponse = client_agent.get(emargement(seance), {"q": "dupont"})
    assert len(reponse.context["mandats"]) == 2
    assert 'href="?q=dupont&amp;page=2"' in reponse.content.decode()
    reponse = client_agent.get(emargement(seance), {"q": "dupont", "page": "2"})
    assert [m.user.last_name for m in reponse.context["mandats"]] == ["Dupont"]
    assert 'href="?q=dupont&amp;page=1"' in reponse.content.decode()


def test_qr_code_de_la_salle(client_agent, agent):
    seance = _seance_publiee(agent)
    reponse = client_agent.get(reverse("seances_admin:qr_code", args=[seance.pk]))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    lien = f"http://testserver/seances/{seance.slug}/emarger/{seance.jeton_emargement}/"
    assert reponse.context["lien"] == lien and lien in contenu
    assert "<svg" in contenu and "<path" in contenu


# --- Minutes ----------------------------------------------------------------------------------------


def test_proces_verbal_generer_modifier_publier(client_agent, agent):
    seance = _seance_publiee(agent)
    membre = presents(seance, 1, agent)[0]
    services.terminer_seance(seance, agent)
    page = client_agent.get(page_pv(seance))
    assert "Pas encore de procès-verbal." in texte(page) and "Générer le brouillon" in texte(page)

    reponse = client_agent.post(page_pv(seance), {"action": "generer"}, follow=True)
    pv = ProcesVerbal.objects.get()
    assert pv.statut == ProcesVerbal.Statut.BROUILLON and "Accueil" in pv.contenu
    assert "Brouillon" in texte(reponse)

    # An empty text is refused next to the field, with what was typed kept.
    reponse = client_agent.post(page_pv(seance), {"action": "enregistrer", "pv-contenu": "<p> </p>"})
    assert reponse.context["form"].errors["contenu"] == ["Le procès-verbal ne peut pas être vide."]
    assert reponse.context["form"]["contenu"].value() == "<p> </p>"
    client_agent.post(page_pv(seance), {"action": "enregistrer", "pv-contenu": "<p>Texte relu</p><script>x</script>"})
    pv.refresh_from_db()
    assert pv.contenu == "<p>Texte relu</p>" and pv.modifie_par == agent

    reponse = client_agent.post(page_pv(seance), {"action": "publier"}, follow=True)
    pv.refresh_from_db()
    assert pv.est_publie and "Publié" in texte(reponse)
    assert Notification.objects.filter(destinataire=membre, titre__startswith="Procès-verbal publié").exists()
    # Publishing again: the service's French refusal.
    reponse = client_agent.post(page_pv(seance), {"action": "publier"})
    assert "Le procès-verbal est déjà publié." in messages_de(reponse)
    # Regenerating a published one: refused.
    reponse = client_agent.post(page_pv(seance), {"action": "generer"})
    assert any("il ne peut pas être régénéré" in m for m in messages_de(reponse))
    client_agent.post(page_pv(seance), {"action": "depublier"})
    pv.refresh_from_db()
    assert pv.statut == ProcesVerbal.Statut.BROUILLON


def test_proces_verbal_trop_tot(client_agent, agent):
    seance = _seance_publiee(agent)
    page = client_agent.get(page_pv(seance))
    assert "pourra être généré après la séance" in texte(page)
    reponse = client_agent.post(page_pv(seance), {"action": "generer"})
    assert any("qu'après la séance" in m for m in messages_de(reponse))
    reponse = client_agent.post(page_pv(seance), {"action": "publier"})
    assert "Générez d'abord le procès-verbal." in messages_de(reponse)
    assert not ProcesVerbal.objects.exists()


def test_action_inconnue(client_agent, agent):
    seance = nouvelle_seance(agent)
    reponse = client_agent.post(preparer(seance), {"action": "effacer_tout"}, follow=True)
    assert "Action inconnue." in messages_de(reponse)


def test_une_seance_inconnue_donne_404(client_agent):
    for nom in ("preparer", "emargement", "qr_code", "proces_verbal"):
        assert client_agent.get(reverse(f"seances_admin:{nom}", args=[999999])).status_code == 404


# --- Who gets in ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["acteur", "membre", "elu"])
def test_les_autres_roles_n_entrent_pas(client, role):
    agent = un_agent()
    seance = _seance_publiee(agent)
    personne = creer_utilisateur(role)
    membre = membre_en_exercice()
    client.force_login(personne)
    adresses = [LISTE, AJOUTER, preparer(seance), emargement(seance), page_pv(seance),
                reverse("seances_admin:qr_code", args=[seance.pk])]
    for adresse in adresses:
        reponse = client.get(adresse)
        assert reponse.status_code in (302, 403), adresse
        if reponse.status_code == 302:
            assert not reponse["Location"].startswith("/admin/seances/"), adresse
        assert seance.jeton_emargement not in reponse.content.decode()
    client.post(AJOUTER, {"action": "creer", "titre": "Intrusion", "nature": "ordinaire",
                          "debut": "2027-03-01T18:00", "fin": "2027-03-01T20:00"})
    client.post(preparer(seance), {"action": "point", "point-titre": "Intrus", "point-type": "information"})
    client.post(emargement(seance), {"action": "emarger", "user": membre.pk})
    assert Seance.objects.count() == 1 and seance.points.count() == 1 and not Emargement.objects.exists()


def test_un_acces_a_l_administration_ne_suffit_pas(client):
    from django.contrib.auth.models import Permission

    coordinatrice = UserFactory()
    coordinatrice.user_permissions.add(Permission.objects.get(codename="access_admin"))
    activer_mfa(coordinatrice)
    client.force_login(coordinatrice)
    reponse = client.get(LISTE)
    assert reponse.status_code in (302, 403) and not reponse.get("Location", "").startswith(LISTE)
    assert f'href="{LISTE}"' not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonyme_renvoye_a_la_connexion(client):
    seance = nouvelle_seance()
    reponse = client.get(preparer(seance))
    assert reponse.status_code == 302 and "login" in reponse["Location"]


# --- Query counts -----------------------------------------------------------------------------------

NOMBRE_MAX_REQUETES = 20


@pytest.mark.parametrize("n", [2, 12])
def test_liste_emargement_et_preparation_en_nombre_constant_de_requetes(client_agent, agent,
                                                                         django_assert_max_num_queries, n):
    seance = _seance_publiee(agent)
    for i in range(n):
        nouvelle_seance(agent, jours=i + 2, titre=f"Séance {i}")
        services.ajouter_point(seance, agent, f"Vote {i}", scrutin={"objet": Scrutin.Objet.QUESTION})
        DocumentSeance.objects.create(seance=seance, titre=f"Doc {i}", fichier=f"seances/documents/d{i}.pdf")
    presents(seance, n, agent)
    for adresse in (LISTE, emargement(seance), preparer(seance), page_pv(seance)):
        client_agent.get(adresse)  # warm the per-session caches
        with django_assert_max_num_queries(NOMBRE_MAX_REQUETES):
            reponse = client_agent.get(adresse)
        assert reponse.status_code == 200
    assert len(client_agent.get(emargement(seance)).context["mandats"]) == n


def test_les_heures_sont_celles_de_paris(client_agent, agent):
    seance = nouvelle_seance(agent)
    contenu = texte(client_agent.get(LISTE))
    heure = timezone.localtime(seance.evenement.debut).strftime("%H:%M")
    assert re.search(rf"\b{heure}\b", contenu)


# --- Ordering the agenda (issue 17) -------------------------------------------------------------------

def test_un_nouveau_point_arrive_avant_la_cloture_et_les_points_montent_et_descendent(client_agent, agent):
    seance = nouvelle_seance(agent)
    for titre in ("Ouverture", "Clôture de la séance"):
        services.ajouter_point(seance, agent, titre)
    services.ajouter_point(seance, agent, "Rapport d'activité")  # lands before the closing item
    titres = lambda: list(seance.points.order_by("ordre", "pk").values_list("titre", flat=True))  # noqa: E731
    assert titres() == ["Ouverture", "Rapport d'activité", "Clôture de la séance"]

    page = texte(client_agent.get(preparer(seance)))
    assert "Monter" in page and "Descendre" in page
    rapport = seance.points.get(titre="Rapport d'activité")
    reponse = client_agent.post(preparer(seance), {"action": "deplacer", "point": rapport.pk, "sens": "monter"},
                                follow=True)
    assert messages_de(reponse) == ["Point « Rapport d’activité » déplacé en position 1.".replace("’", "'")]
    assert titres() == ["Rapport d'activité", "Ouverture", "Clôture de la séance"]
    client_agent.post(preparer(seance), {"action": "deplacer", "point": rapport.pk, "sens": "descendre"})
    client_agent.post(preparer(seance), {"action": "deplacer", "point": rapport.pk, "sens": "descendre"})
    assert titres() == ["Ouverture", "Clôture de la séance", "Rapport d'activité"]
    # The last one cannot go further down: a French message, no error page.
    reponse = client_agent.post(preparer(seance), {"action": "deplacer", "point": rapport.pk, "sens": "descendre"})
    assert reponse.status_code == 200 and "déjà le dernier" in texte(reponse)


def test_l_ordre_ne_change_plus_une_fois_la_seance_commencee(agent):
    seance = nouvelle_seance(agent)
    premier = services.ajouter_point(seance, agent, "Ouverture")
    second = services.ajouter_point(seance, agent, "Vœux")
    services.publier_ordre_du_jour(seance, agent)
    services.passer_au_point(seance, premier, agent)
    with pytest.raises(services.ActionImpossible):
        services.deplacer_point(second, agent, -1)
    with pytest.raises(services.ActionImpossible):
        services.deplacer_point(second, membre_en_exercice(), -1)


# --- Editing and deleting agenda items (issue 17) ----------------------------------------------------

def journal(seance, action):
    from wagtail.models import ModelLogEntry
    return [e.data for e in ModelLogEntry.objects.filter(action=action, object_id=str(seance.pk))]


def modifier(point):
    return reverse("seances_admin:modifier_point", args=[point.seance_id, point.pk])


def supprimer(point):
    return reverse("seances_admin:supprimer_point", args=[point.seance_id, point.pk])


def test_modifier_un_point_avant_la_seance(client_agent, agent):
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Rapport", "Brouillon")
    page = texte(client_agent.get(preparer(seance)))
    assert modifier(point) in page and supprimer(point) in page

    reponse = client_agent.post(modifier(point), {"action": "modifier", "point-titre": "", "point-description": "x"})
    assert reponse.status_code == 200 and "Indiquez le titre du point." in texte(reponse)
    assert 'aria-invalid="true"' in texte(reponse) and "\nx</textarea>" in texte(reponse)

    reponse = client_agent.post(modifier(point), {"action": "modifier", "point-titre": "Rapport moral",
                                                  "point-description": "Par la présidence"}, follow=True)
    assert messages_de(reponse) == ["Point « Rapport moral » modifié."]
    point.refresh_from_db()
    assert (point.titre, point.description) == ("Rapport moral", "Par la présidence")
    assert journal(seance, "conseil.seance.point_modifie") == [{"point_id": point.pk}]


def test_modifier_la_question_d_un_scrutin_prepare(client_agent, agent):
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Vote", scrutin={"objet": Scrutin.Objet.QUESTION,
                                                                    "question": "Ancienne ?"})
    assert "Question soumise au vote" in texte(client_agent.get(modifier(point)))
    client_agent.post(modifier(point), {"action": "modifier", "point-titre": "Vote",
                                        "point-question": "Nouvelle question ?"})
    assert Scrutin.objects.get(point=point).question == "Nouvelle question ?"


def test_supprimer_un_point_demande_confirmation(client_agent, agent):
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Point d'information")
    page = texte(client_agent.get(supprimer(point)))
    assert "Supprimer le point « Point d'information » ?" in page and "Oui, supprimer le point" in page
    assert PointOrdreDuJour.objects.filter(pk=point.pk).exists()  # nothing done on the page
    reponse = client_agent.post(supprimer(point), {"action": "supprimer"}, follow=True)
    assert messages_de(reponse) == ["Point « Point d'information » supprimé de l'ordre du jour."]
    assert not PointOrdreDuJour.objects.filter(pk=point.pk).exists()
    assert journal(seance, "conseil.seance.point_supprime") == [
        {"point_id": point.pk, "titre": "Point d'information", "scrutin": None}]


def test_supprimer_un_point_supprime_son_scrutin_prepare(client_agent, agent):
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Vote", scrutin={"objet": Scrutin.Objet.QUESTION,
                                                                    "question": "D'accord ?"})
    page = texte(client_agent.get(supprimer(point)))
    assert "Le scrutin préparé n° 1 (« D'accord ? ») sera supprimé avec le point" in page
    client_agent.post(supprimer(point), {"action": "supprimer"})
    assert not Scrutin.objects.filter(seance=seance).exists()


def test_un_point_dont_le_scrutin_est_clos_reste(client_agent, agent):
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Vote", scrutin={"objet": Scrutin.Objet.QUESTION,
                                                                    "question": "D'accord ?"})
    Scrutin.objects.filter(point=point).update(statut=Scrutin.Statut.CLOS)  # set-up only
    page = texte(client_agent.get(supprimer(point)))
    assert "Le scrutin n° 1 de ce point est « Clos » : le point ne peut pas être supprimé." in page
    assert "Oui, supprimer le point" not in page
    reponse = client_agent.post(supprimer(point), {"action": "supprimer"})
    assert reponse.status_code == 200 and "ne peut pas être supprimé" in texte(reponse)
    assert PointOrdreDuJour.objects.filter(pk=point.pk).exists()


def test_plus_de_modification_ni_suppression_une_fois_la_seance_commencee(client_agent, agent):
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Ouverture")
    services.publier_ordre_du_jour(seance, agent)
    services.passer_au_point(seance, point, agent)
    assert modifier(point) not in texte(client_agent.get(preparer(seance)))
    assert "ne peuvent plus être supprimés" in texte(client_agent.get(supprimer(point)))
    reponse = client_agent.post(supprimer(point), {"action": "supprimer"})
    assert reponse.status_code == 200 and "La séance a commencé" in texte(reponse)
    reponse = client_agent.post(modifier(point), {"action": "modifier", "point-titre": "Autre"})
    assert reponse.status_code == 200
    point.refresh_from_db()
    assert point.titre == "Ouverture"
    with pytest.raises(services.ActionImpossible):
        services.modifier_point(point, agent, "Autre")
    with pytest.raises(services.ActionImpossible):
        services.supprimer_point(point, agent)


def test_seul_le_secretariat_modifie_ou_supprime_un_point(agent):
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Ouverture")
    membre = membre_en_exercice()
    with pytest.raises(services.ActionImpossible):
        services.modifier_point(point, membre, "Autre")
    with pytest.raises(services.ActionImpossible):
        services.supprimer_point(point, membre)
    assert PointOrdreDuJour.objects.get(pk=point.pk).titre == "Ouverture"
