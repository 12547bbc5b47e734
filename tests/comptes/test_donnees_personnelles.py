"""Personal data: the registry covers every model that points to a person; « Mes données » (the ZIP holds all of
the person's data and nobody else's); « Supprimer mon compte » (one transaction through the services, wrong
password or code refused, the last administrator refused, a failure mid-way rolls everything back); erasure by
the secrétariat from the admin."""

import dataclasses
import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from conseil_ess.comptes import donnees_personnelles as dp
from conseil_ess.comptes import roles
from conseil_ess.comptes.models import Adhesion, MembreConseil, Notification, PreferenceNotification
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions import services as propositions
from conseil_ess.propositions.models import Abonnement, Etat, PieceJointe, Proposition
from conseil_ess.seances import services as seances
from evenements import services as evenements
from evenements.models import Inscription
from tests.ateliers.fabriques import AtelierFactory, ParticipationFactory
from tests.comptes.fabriques import MembreConseilFactory
from tests.conftest import code_totp, creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.factories import MOT_DE_PASSE, AdhesionFactory, StructureFactory, UserFactory
from tests.propositions.fabriques import PropositionFactory, amener_a
from tests.seances.fabriques import membre_en_exercice, seance_avec_scrutin

pytestmark = pytest.mark.django_db

APPLICATIONS_DU_PROJET = {"comptes", "evenements", "ateliers", "propositions", "seances", "home", "demo"}


def modeles_non_couverts():
    """The project's models with a ForeignKey or OneToOne of their own to the user model, that no part covers."""
    User = get_user_model()
    couverts = dp.modeles_couverts()
    manquants = set()
    for modele in apps.get_models():
        if modele._meta.app_label not in APPLICATIONS_DU_PROJET:
            continue
        for champ in modele._meta.get_fields():
            if (getattr(champ, "concrete", False) and (champ.many_to_one or champ.one_to_one)
                    and champ.related_model is User and champ.model is modele and modele not in couverts):
                manquants.add(modele._meta.label)
    return manquants


def test_chaque_modele_qui_pointe_vers_une_personne_est_couvert():
    assert modeles_non_couverts() == set()


def test_un_modele_oublie_serait_signale(monkeypatch):
    partie = dp.PARTIES["propositions"]
    monkeypatch.setitem(dp.PARTIES, "propositions", dataclasses.replace(
        partie, modeles=tuple(m for m in partie.modeles if m is not Abonnement)))
    assert modeles_non_couverts() == {"propositions.Abonnement"}


def _pdf(nom="piece.pdf"):
    return SimpleUploadedFile(nom, b"%PDF-1.4 contenu", content_type="application/pdf")


@pytest.fixture
def monde():
    """Camille (the person) and Dominique share a structure and co-carry proposals."""
    camille = UserFactory(email="camille@example.org", first_name="Camille", last_name="Martin",
                          nom_affiche="Camille M.", fonction="Chargée de mission")
    dominique = UserFactory(email="dominique@example.org", first_name="Dominique", last_name="Zorglub",
                            nom_affiche="Dominique Z.")
    agent = creer_utilisateur("agent")
    partagee = StructureFactory(nom="Recyclerie partagée")
    autre = StructureFactory(nom="Coopérative voisine")
    AdhesionFactory(user=camille, structure=partagee, statut=Adhesion.Statut.ACCEPTEE, role=Adhesion.Role.REFERENT)
    AdhesionFactory(user=dominique, structure=partagee, statut=Adhesion.Statut.ACCEPTEE, role=Adhesion.Role.MEMBRE)
    AdhesionFactory(user=camille, structure=autre, statut=Adhesion.Statut.ACCEPTEE, role=Adhesion.Role.REFERENT)
    AdhesionFactory(user=dominique, structure=autre, statut=Adhesion.Statut.ACCEPTEE, role=Adhesion.Role.REFERENT)
    deposee = PropositionFactory(auteur=camille, titre="Proposition de Camille", structures=[partagee, autre])
    amener_a(deposee, Etat.DEPOSEE)
    brouillon = PropositionFactory(auteur=camille, titre="Brouillon de Camille", structures=[partagee])
    piece = propositions.ajouter_piece_jointe(brouillon, "Annexe budgétaire", _pdf("annexe-camille.pdf"), camille)
    de_dominique = PropositionFactory(auteur=dominique, titre="Proposition de Dominique", structures=[partagee])
    amener_a(de_dominique, Etat.DEPOSEE)
    propositions.ajouter_piece_jointe(de_dominique, "Pièce de Dominique", _pdf("piece-dominique.pdf"), dominique)
    propositions.suivre(de_dominique, camille)
    evenement = EvenementFactory(titre="Forum emploi solidaire", inscription_sur_plateforme=True, capacite=1)
    evenements.inscrire(evenement, camille)
    evenements.inscrire(evenement, dominique)  # on the waiting list
    atelier = AtelierFactory(titre="Atelier réemploi")
    ParticipationFactory(atelier=atelier, user=camille)
    MembreConseilFactory(user=camille, structure=partagee)
    notifier(camille, "Bienvenue Camille")
    PreferenceNotification.objects.create(user=camille, categorie="propositions", frequence="jamais")
    return {"camille": camille, "dominique": dominique, "agent": agent, "partagee": partagee, "autre": autre,
            "deposee": deposee, "brouillon": brouillon, "piece": piece, "evenement": evenement, "atelier": atelier}


def _archive(reponse):
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(reponse.content))


def test_mes_donnees_contient_tout_et_rien_des_autres(client, monde):
    camille = monde["camille"]
    client.force_login(camille)
    page = client.get(reverse("comptes:mes_donnees"))
    assert "Télécharger mes données" in page.content.decode()
    archive = _archive(client.post(reverse("comptes:mes_donnees")))
    noms = archive.namelist()
    assert {"mes-donnees.json", "mes-donnees.html"} <= set(noms)
    fichiers = [n for n in noms if n.startswith("fichiers/")]
    assert len(fichiers) == 1 and fichiers[0].startswith("fichiers/propositions/annexe-camille")
    assert archive.read(fichiers[0]) == b"%PDF-1.4 contenu"
    texte_json = archive.read("mes-donnees.json").decode()
    donnees = json.loads(texte_json)
    assert [p["code"] for p in donnees["parties"]] == ["comptes", "evenements", "ateliers", "propositions", "seances"]
    html = archive.read("mes-donnees.html").decode()
    for texte in (texte_json, html):
        for attendu in ("camille@example.org", "Chargée de mission", "Recyclerie partagée", "Proposition de Camille",
                        "Brouillon de Camille", "Forum emploi solidaire", "Atelier réemploi", "Bienvenue Camille",
                        "Proposition de Dominique"):  # followed: its title, never its author
            assert attendu in texte, attendu
        for interdit in ("dominique@example.org", "Zorglub", "Dominique Z.", "piece-dominique"):
            assert interdit not in texte, interdit
    assert '<html lang="fr">' in html
    entree = ModelLogEntry.objects.get(action="conseil.donnees.exportees")
    assert (entree.object_id, entree.user_id) == (str(camille.pk), camille.pk)


def test_mes_donnees_votes_publics_et_secrets(client):
    seance, public, agent = seance_avec_scrutin()
    seance_secrete, secret, _ = seance_avec_scrutin(agent, secret=True)
    membre = membre_en_exercice(email="votante@example.org")
    seances.emarger(seance, membre, par=agent)
    seances.voter(public, membre, "pour")
    seances.emarger(seance_secrete, membre, par=agent)
    seances.voter(secret, membre, "contre")
    client.force_login(membre)
    archive = _archive(client.post(reverse("comptes:mes_donnees")))
    donnees = json.loads(archive.read("mes-donnees.json"))
    partie = next(p for p in donnees["parties"] if p["code"] == "seances")
    rubriques = {r["titre"]: r["elements"] for r in partie["rubriques"]}
    assert [v["Vote"] for v in rubriques["Votes publics"]] == ["Pour"]
    assert len(rubriques["Présences aux séances plénières"]) == 2
    secrets = rubriques["Scrutins secrets auxquels vous avez pris part"]
    assert len(secrets) == 1 and set(secrets[0]) == {"Séance", "Scrutin", "Participation"}
    # The secret choice appears nowhere (the only « Contre » would be it).
    assert "Contre" not in archive.read("mes-donnees.json").decode()
    assert "Contre" not in archive.read("mes-donnees.html").decode()


def test_mes_donnees_demande_une_connexion(client):
    reponse = client.post(reverse("comptes:mes_donnees"))
    assert reponse.status_code == 302
    assert not ModelLogEntry.objects.filter(action="conseil.donnees.exportees").exists()


def test_un_export_qui_echoue_n_est_pas_consigne(monde, monkeypatch):
    def panne(user):
        raise RuntimeError("panne pendant l'export")

    monkeypatch.setitem(dp.PARTIES, "seances", dataclasses.replace(dp.PARTIES["seances"], exporter=panne))
    with pytest.raises(RuntimeError):
        dp.exporter_donnees(monde["camille"], par=monde["camille"])
    assert not ModelLogEntry.objects.filter(action="conseil.donnees.exportees").exists()


def test_l_export_d_une_autre_personne_est_refuse(monde):
    with pytest.raises(ActionImpossible):
        dp.exporter_donnees(monde["camille"], par=monde["dominique"])


# --- Erasure ----------------------------------------------------------------------------------------

def _supprimer(client, user, **donnees):
    client.force_login(user)
    return client.post(reverse("comptes:supprimer_mon_compte"), {"mot_de_passe": MOT_DE_PASSE, **donnees})


def test_mauvais_mot_de_passe_rien_n_est_supprime(client, monde):
    camille = monde["camille"]
    reponse = _supprimer(client, camille, mot_de_passe="pas le bon")
    assert reponse.status_code == 400
    assert "Ce mot de passe n&#x27;est pas le bon. Rien n&#x27;a été supprimé." in reponse.content.decode()
    camille.refresh_from_db()
    assert camille.is_active and camille.supprime_le is None
    assert Proposition.objects.filter(pk=monde["brouillon"].pk).exists()


def test_supprimer_mon_compte(client, monde, django_capture_on_commit_callbacks):
    camille, dominique, agent = monde["camille"], monde["dominique"], monde["agent"]
    chemin = monde["piece"].fichier.path
    client.force_login(camille)
    page = client.get(reverse("comptes:supprimer_mon_compte"))
    assert "procès-verbaux publiés" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("comptes:supprimer_mon_compte"), {"mot_de_passe": MOT_DE_PASSE})
    assert reponse.status_code == 302 and reponse.url == reverse("comptes:compte_supprime")
    assert "_auth_user_id" not in client.session  # logged out
    assert "Votre compte est supprimé" in client.get(reponse.url).content.decode()

    camille.refresh_from_db()
    assert not camille.is_active and camille.supprime_le is not None
    assert camille.email != "camille@example.org" and not camille.has_usable_password()
    assert camille.nom_public == "Contributeur·rice (compte supprimé)"
    assert not EmailAddress.objects.filter(user=camille).exists()
    assert not camille.groups.exists()
    # Drafts gone with their files; the deposited proposal stays public, with its structures.
    assert not Proposition.objects.filter(pk=monde["brouillon"].pk).exists()
    assert not PieceJointe.objects.filter(pk=monde["piece"].pk).exists()
    import os
    assert not os.path.exists(chemin)
    deposee = Proposition.objects.get(pk=monde["deposee"].pk)
    assert deposee.auteur.nom_public == "Contributeur·rice (compte supprimé)"
    assert {s.nom for s in deposee.structures.all()} == {"Recyclerie partagée", "Coopérative voisine"}
    assert "Contributeur·rice (compte supprimé)" in client.get(
        reverse("propositions:detail", args=[deposee.reference])).content.decode()
    # Registration cancelled, the waiting list promoted; then anonymised.
    assert Inscription.objects.get(user=dominique).statut == Inscription.Statut.CONFIRMEE
    assert not Inscription.objects.filter(user=camille).exists()
    assert Inscription.objects.filter(evenement=monde["evenement"], user__isnull=True,
                                      statut=Inscription.Statut.ANNULEE).count() == 1
    assert not Abonnement.objects.filter(user=camille).exists()
    assert not monde["atelier"].participations.filter(user=camille).exists()
    assert not Notification.objects.filter(destinataire=camille).exists()
    assert not PreferenceNotification.objects.filter(user=camille).exists()
    assert MembreConseil.objects.get(user=camille).statut == MembreConseil.Statut.TERMINE
    assert not Adhesion.objects.filter(user=camille).exists()
    # « Recyclerie partagée » has no référent left: flagged to the secrétariat; « Coopérative voisine » has one.
    alertes = list(Notification.objects.filter(destinataire=agent, titre__contains="n'a plus de référent"))
    assert [a.titre for a in alertes] == ["La structure « Recyclerie partagée » n'a plus de référent·e"]
    entree = ModelLogEntry.objects.get(action="conseil.compte.efface")
    assert entree.data == {"demande": "personne"}
    # The same e-mail signs up again as a new person.
    reponse = client.post(reverse("account_signup"), {
        "email": "camille@example.org", "password1": "Un-nouveau-mot-de-passe-2027",
        "password2": "Un-nouveau-mot-de-passe-2027"})
    assert reponse.status_code == 302
    nouvelle = get_user_model().objects.get(email="camille@example.org")
    assert nouvelle.pk != camille.pk and not nouvelle.propositions.exists()


def test_un_echec_en_cours_de_route_ne_laisse_rien_a_moitie(client, monde, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    camille = monde["camille"]
    chemin = monde["piece"].fichier.path

    def panne(user, par):
        raise RuntimeError("panne au milieu de l'effacement")

    # The comptes part runs last: every other part has already done its work when it fails.
    monkeypatch.setitem(dp.PARTIES, "comptes", dataclasses.replace(dp.PARTIES["comptes"], effacer=panne))
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        dp.effacer_compte(camille, par=camille)
    camille.refresh_from_db()
    assert camille.is_active and camille.email == "camille@example.org" and camille.supprime_le is None
    assert Proposition.objects.filter(pk=monde["brouillon"].pk).exists()
    import os
    assert os.path.exists(chemin)
    assert Inscription.objects.get(user=camille).statut == Inscription.Statut.CONFIRMEE
    assert Inscription.objects.get(user=monde["dominique"]).statut == Inscription.Statut.ATTENTE
    assert Abonnement.objects.filter(user=camille).exists()
    assert monde["atelier"].participations.filter(user=camille).exists()
    assert not ModelLogEntry.objects.filter(action="conseil.compte.efface").exists()


def test_le_personnel_donne_son_code_de_double_authentification(client):
    agent = creer_utilisateur("agent")
    creer_utilisateur("agent")  # another person administers the site
    reponse = _supprimer(client, agent)
    assert reponse.status_code == 400
    assert "Code de double authentification" in reponse.content.decode()
    reponse = _supprimer(client, agent, code="000000")
    assert "Ce code de double authentification n&#x27;est pas valide" in reponse.content.decode()
    agent.refresh_from_db()
    assert agent.is_active
    reponse = _supprimer(client, agent, code=code_totp(agent.totp_secret))
    assert reponse.status_code == 302
    agent.refresh_from_db()
    assert not agent.is_active and agent.supprime_le is not None


def test_le_seul_administrateur_ne_peut_pas_etre_supprime(client):
    seul = creer_utilisateur("agent")
    assert get_user_model().objects.filter(groups__name__in=[roles.AGENT, roles.ADMINISTRATEUR]).count() == 1
    client.force_login(seul)
    page = client.get(reverse("comptes:supprimer_mon_compte")).content.decode()
    assert "seul compte actif qui peut administrer le site" in page
    reponse = _supprimer(client, seul, code=code_totp(seul.totp_secret))
    assert reponse.status_code == 400
    seul.refresh_from_db()
    assert seul.is_active
    with pytest.raises(ActionImpossible, match="seul compte actif"):
        dp.effacer_compte(seul, par=seul)


def test_le_secretariat_supprime_un_compte_sur_demande(client, monde):
    agent, camille = monde["agent"], monde["camille"]
    client.force_login(agent)
    url = reverse("donnees_admin:effacer")
    assert client.get(url).status_code == 200
    sans_motif = client.post(url, {"email": "camille@example.org", "motif": "", "confirmation": "on"})
    assert sans_motif.status_code == 400
    # The agent is the only one who administers the site: their own account cannot go.
    seul = client.post(url, {"email": agent.email, "motif": "Essai", "confirmation": "on"})
    assert seul.status_code == 400 and "seul compte actif qui peut administrer le site" in seul.content.decode()
    inconnu = client.post(url, {"email": "personne@nulle-part.example", "motif": "Courrier", "confirmation": "on"})
    assert "Aucun compte n&#x27;a cette adresse e-mail." in inconnu.content.decode()
    camille.refresh_from_db()
    assert camille.is_active
    reponse = client.post(url, {"email": "Camille@example.org", "motif": "Courrier signé du 3 mars",
                                "confirmation": "on"})
    assert reponse.status_code == 302
    camille.refresh_from_db()
    assert camille.supprime_le is not None
    entree = ModelLogEntry.objects.get(action="conseil.compte.efface")
    assert entree.user_id == agent.pk
    assert entree.data == {"demande": "secretariat", "motif": "Courrier signé du 3 mars"}


def test_une_personne_ne_supprime_pas_le_compte_d_une_autre(monde):
    with pytest.raises(ActionImpossible):
        dp.effacer_compte(monde["camille"], par=monde["dominique"], motif="essai")
    monde["camille"].refresh_from_db()
    assert monde["camille"].is_active


def test_liens_de_mon_espace(client, acteur):
    client.force_login(acteur)
    page = client.get(reverse("comptes:mon_espace")).content.decode()
    assert reverse("comptes:mes_donnees") in page and reverse("comptes:supprimer_mon_compte") in page


def test_l_export_ne_fait_pas_plus_de_requetes_avec_plus_de_donnees(monde, django_assert_max_num_queries):
    camille = monde["camille"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as avant:
        dp.contenu_export(camille)
    for i in range(5):
        proposition = PropositionFactory(auteur=camille, titre=f"Encore {i}", structures=[monde["partagee"]])
        propositions.ajouter_piece_jointe(proposition, f"Annexe {i}", _pdf(f"encore-{i}.pdf"), camille)
        evenements.inscrire(EvenementFactory(inscription_sur_plateforme=True), camille)
        notifier(camille, f"Nouvelle {i}")
    with django_assert_max_num_queries(len(avant)):
        dp.contenu_export(camille)
