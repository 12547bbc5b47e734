"""The agenda's back office in the Wagtail admin: moderation queue, actions, bulk publish, status, exports."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from conseil_ess.comptes.models import Notification
from evenements import services
from evenements.models import Evenement, Inscription
from tests.conftest import activer_mfa, creer_utilisateur
from tests.factories import CommuneFactory, UserFactory
from tests.formulaires_admin import donnees_du_formulaire
from tests.tableurs import lire_export

from .fabriques import EvenementFactory, LieuFactory, ProgrammeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
P = Evenement.Publication
FILE = reverse("evenements_moderation:index")
LISTE = reverse("evenements_admin:index")
INSCRIPTIONS = reverse("evenements_inscriptions:index")


def url(action, evenement):
    return reverse(f"evenements_admin:{action}", args=[evenement.pk])


def url_masse(*evenements, suite=FILE):
    ids = "&".join(f"id={e.pk}" for e in evenements)
    return f"{reverse('wagtail_bulk_action', args=['evenements', 'evenement', 'publier'])}?{ids}&next={suite}"


def lignes_csv(reponse):
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/csv")
    return lire_export(reponse)


@pytest.fixture
def client_agent(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def proposant(db):
    return creer_utilisateur("acteur")


@pytest.fixture
def en_attente(proposant):
    """Three events awaiting moderation, submitted on the 1st, 3rd and 2nd of the month."""
    evenements = []
    for titre, jour in (("Première soumise", 1), ("Troisième soumise", 3), ("Deuxième soumise", 2)):
        e = EvenementFactory(titre=titre, propose_par=proposant, publication=P.A_MODERER)
        Evenement.objects.filter(pk=e.pk).update(modifie_le=timezone.now().replace(day=jour) - datetime.timedelta(
            days=40))
        evenements.append(e)
    return evenements


def titres(reponse):
    return [str(e) for e in reponse.context["object_list"]]


# --- The queue --------------------------------------------------------------------------------------


def test_la_file_montre_ce_qui_attend_la_plus_ancienne_soumission_d_abord(client_agent, en_attente):
    EvenementFactory(titre="Déjà publié")
    EvenementFactory(titre="Refusé", publication=P.REFUSE)

    reponse = client_agent.get(FILE)

    assert reponse.status_code == 200
    assert titres(reponse) == ["Première soumise", "Deuxième soumise", "Troisième soumise"]
    html = reponse.content.decode()
    assert "File de modération" in html
    assert url("publier", en_attente[0]) in html and url("refuser", en_attente[0]) in html
    assert 'data-bulk-action-checkbox' in html and "bulk-actions.js" in html


def test_la_file_se_filtre_par_programme_type_commune_et_statut(client_agent, en_attente):
    programme = ProgrammeFactory()
    commune = CommuneFactory(slug="bois-clair", nom="Bois-Clair")
    cible = EvenementFactory(titre="Ciblé", publication=P.A_MODERER, programme=programme, type="visite",
                             lieu=LieuFactory(commune=commune), statut=Evenement.Statut.A_CONFIRMER)
    for filtre in ({"programme": programme.pk}, {"type": "visite"}, {"commune": commune.pk},
                   {"statut": "a_confirmer"}):
        assert titres(client_agent.get(FILE, filtre)) == [cible.titre], filtre


def test_la_liste_des_evenements_se_filtre_par_publication(client_agent, en_attente):
    EvenementFactory(titre="Publié")
    EvenementFactory(titre="Annulé", statut=Evenement.Statut.ANNULE, motif_statut="Météo")
    assert set(titres(client_agent.get(LISTE, {"publication": "publie"}))) == {"Publié", "Annulé"}
    assert titres(client_agent.get(LISTE, {"statut": "annule"})) == ["Annulé"]
    assert len(titres(client_agent.get(LISTE, {"publication": "a_moderer"}))) == 3


# --- One event at a time ----------------------------------------------------------------------------


def test_publier_depuis_la_file(client_agent, en_attente, proposant):
    evenement = en_attente[0]
    page = client_agent.get(url("publier", evenement), {"next": FILE})
    assert page.status_code == 200
    assert evenement.titre in page.content.decode()

    reponse = client_agent.post(f"{url('publier', evenement)}?next={FILE}")

    assert reponse.status_code == 302 and reponse["Location"] == FILE
    evenement.refresh_from_db()
    assert evenement.publication == P.PUBLIE
    assert Notification.objects.get(destinataire=proposant).titre == "Votre événement « Première soumise » est publié"
    # Publishing again says why, without a server error.
    encore = client_agent.post(url("publier", evenement))
    assert encore.status_code == 200 and "Cet événement est déjà publié." in encore.content.decode()


def test_refuser_exige_un_message_que_la_personne_recoit(client_agent, en_attente, proposant):
    evenement = en_attente[1]

    vide = client_agent.post(url("refuser", evenement), {"message": "  "})
    assert vide.status_code == 200
    assert "Écrivez un message : il est transmis à la personne qui a proposé l&#x27;événement." in \
        vide.content.decode()
    evenement.refresh_from_db()
    assert evenement.publication == P.A_MODERER

    reponse = client_agent.post(url("refuser", evenement), {"message": "Ce n'est pas un événement de l'ESS."})

    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert (evenement.publication, evenement.message_moderation) == (P.REFUSE, "Ce n'est pas un événement de l'ESS.")
    notification = Notification.objects.get(destinataire=proposant)
    assert notification.message == "Ce n'est pas un événement de l'ESS."


def test_demander_des_modifications_avec_un_message(client_agent, en_attente, proposant):
    evenement = en_attente[2]
    reponse = client_agent.post(url("demander_modifications", evenement), {"message": "Ajoutez l'adresse."})
    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert (evenement.publication, evenement.message_moderation) == (P.MODIFICATIONS, "Ajoutez l'adresse.")
    assert Notification.objects.get(destinataire=proposant).titre == "Modifications demandées pour « Deuxième soumise »"
    # It has left the queue until the proposer submits it again.
    assert evenement.titre not in titres(client_agent.get(FILE))


def test_la_page_de_modification_propose_les_actions_de_moderation(client_agent, en_attente):
    attente = client_agent.get(url("edit", en_attente[0])).content.decode()
    assert url("publier", en_attente[0]) in attente and url("refuser", en_attente[0]) in attente
    assert "Proposé par" in attente

    publie = EvenementFactory()
    assert url("publier", publie) not in client_agent.get(url("edit", publie)).content.decode()


# --- Bulk publish -----------------------------------------------------------------------------------


def test_publier_en_masse(client_agent, en_attente, proposant):
    deja = EvenementFactory(titre="Déjà publié")
    confirmation = client_agent.get(url_masse(en_attente[0], en_attente[1], deja))
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert "Première soumise" in html and "Troisième soumise" in html
    assert "Déjà publiés, ou vous ne pouvez pas les modérer" in html

    reponse = client_agent.post(url_masse(en_attente[0], en_attente[1], deja))

    assert reponse.status_code == 302 and reponse["Location"] == FILE
    publies = set(Evenement.objects.filter(publication=P.PUBLIE).values_list("titre", flat=True))
    assert publies == {"Première soumise", "Troisième soumise", "Déjà publié"}
    assert Notification.objects.filter(destinataire=proposant).count() == 2
    assert titres(client_agent.get(FILE)) == ["Deuxième soumise"]


def test_tout_selectionner_ne_publie_que_la_file(client_agent, en_attente):
    brouillon = EvenementFactory(publication=P.BROUILLON)
    refuse = EvenementFactory(publication=P.REFUSE)
    adresse = f"{reverse('wagtail_bulk_action', args=['evenements', 'evenement', 'publier'])}?id=all&next={FILE}"

    assert client_agent.post(adresse).status_code == 302

    assert not Evenement.objects.filter(publication=P.A_MODERER).exists()
    for e in (brouillon, refuse):
        publication = e.publication
        e.refresh_from_db()
        assert e.publication == publication


# --- Status -----------------------------------------------------------------------------------------


def test_annuler_depuis_l_administration_passe_par_le_service(client_agent):
    evenement = EvenementFactory(titre="Visite du chantier", inscription_sur_plateforme=True, capacite=5)
    inscrite = UserFactory()
    services.inscrire(evenement, inscrite)
    Notification.objects.all().delete()
    page = client_agent.get(url("edit", evenement))

    sans_motif = client_agent.post(url("edit", evenement), donnees_du_formulaire(page, statut="annule"))
    assert sans_motif.status_code == 200
    assert "Indiquez le motif" in sans_motif.content.decode()
    evenement.refresh_from_db()
    assert evenement.statut == Evenement.Statut.CONFIRME

    reponse = client_agent.post(url("edit", evenement), donnees_du_formulaire(
        page, statut="annule", motif_statut="Reporté au printemps – météo", titre="Visite du chantier d'insertion"))

    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert (evenement.statut, evenement.motif_statut) == ("annule", "Reporté au printemps – météo")
    assert evenement.titre == "Visite du chantier d'insertion"
    assert evenement.sequence == 1
    notification = Notification.objects.get(destinataire=inscrite)
    assert notification.titre == "« Visite du chantier d'insertion » est annulé"
    assert notification.message == "Reporté au printemps – météo"


def test_creer_un_evenement_dans_l_administration_passe_par_les_services(client_agent, agent):
    """A draft (published from its moderation buttons), its status through changer_statut."""
    modele = EvenementFactory(titre="Modèle")
    page = client_agent.get(url("edit", modele))
    reponse = client_agent.post(reverse("evenements_admin:add"), donnees_du_formulaire(
        page, titre="Forum de l'emploi ESS", slug="forum-emploi-ess", statut="reporte", motif_statut="Salle fermée",
        description="<p>Forum<script>x()</script></p>"))
    assert reponse.status_code == 302, reponse.context and reponse.context["form"].errors
    evenement = Evenement.objects.get(slug="forum-emploi-ess")
    assert (evenement.publication, evenement.statut, evenement.motif_statut) == (P.BROUILLON, "reporte",
                                                                                   "Salle fermée")
    assert evenement.description == "<p>Forum</p>" and evenement.uid  # script dropped with its content


def test_le_formulaire_ne_remet_pas_la_publication_qui_a_change_pendant_l_edition(client_agent, en_attente):
    evenement = en_attente[0]
    page = client_agent.get(url("edit", evenement))
    services.publier(evenement, par=creer_utilisateur("agent"))  # published while the agent edits the text
    reponse = client_agent.post(url("edit", evenement), donnees_du_formulaire(page, titre="Titre relu"))
    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert (evenement.titre, evenement.publication) == ("Titre relu", P.PUBLIE)


def test_la_capacite_ne_descend_pas_sous_les_places_confirmees(client_agent):
    evenement = EvenementFactory(inscription_sur_plateforme=True, capacite=3)
    for _ in range(2):
        services.inscrire(evenement, UserFactory())
    page = client_agent.get(url("edit", evenement))
    reponse = client_agent.post(url("edit", evenement), donnees_du_formulaire(page, capacite="1"))
    assert reponse.status_code == 200
    assert "2 places sont déjà confirmées" in reponse.content.decode()
    evenement.refresh_from_db()
    assert evenement.capacite == 3


def test_relever_la_capacite_promeut_et_garde_le_compteur(client_agent):
    """The edit form was opened before a registration: saving it neither resets the counter nor overbooks."""
    evenement = EvenementFactory(inscription_sur_plateforme=True, capacite=1)
    premiere, deuxieme, troisieme = UserFactory.create_batch(3)
    services.inscrire(evenement, premiere)
    services.inscrire(evenement, deuxieme)  # waiting list
    page = client_agent.get(url("edit", evenement))
    services.inscrire(evenement, troisieme)  # someone registers while the agent edits: waiting list too
    reponse = client_agent.post(url("edit", evenement), donnees_du_formulaire(page, capacite="2"))
    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert (evenement.capacite, evenement.nb_confirmes) == (2, 2)
    statuts = dict(Inscription.objects.filter(evenement=evenement).values_list("user_id", "statut"))
    assert statuts == {premiere.pk: "confirmee", deuxieme.pk: "confirmee", troisieme.pk: "attente"}


# --- Exports ----------------------------------------------------------------------------------------


def test_export_csv_des_evenements_filtres(client_agent, en_attente, proposant):
    EvenementFactory(titre="Exposition à Lanvallon", tarif="4 €", gratuit=False)
    EvenementFactory(titre="=HYPERLINK(\"http://exemple.invalid\")")

    lignes = lignes_csv(client_agent.get(LISTE, {"publication": "publie", "export": "csv"}))

    entete, *donnees = lignes
    assert entete[:3] == ["Titre", "Début", "Fin"] and "Proposé par" in entete
    assert sorted(ligne[0] for ligne in donnees) == ["'=HYPERLINK(\"http://exemple.invalid\")",
                                                      "Exposition à Lanvallon"]
    ligne = next(ligne for ligne in donnees if ligne[0] == "Exposition à Lanvallon")
    assert dict(zip(entete, ligne, strict=True))["Gratuit"] == "non"
    assert dict(zip(entete, ligne, strict=True))["Publication"] == "Publié"

    file = lignes_csv(client_agent.get(FILE, {"export": "csv"}))
    assert {ligne[0] for ligne in file[1:]} == {e.titre for e in en_attente}
    assert {dict(zip(file[0], ligne, strict=True))["Proposé par"] for ligne in file[1:]} == {proposant.email}


def test_export_des_heures_en_heure_de_paris(client_agent):
    debut = datetime.datetime(2026, 11, 3, 18, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    EvenementFactory(titre="Lancement", debut=debut, fin=debut + datetime.timedelta(hours=2, minutes=30))
    entete, ligne = lignes_csv(client_agent.get(LISTE, {"export": "csv"}))
    valeurs = dict(zip(entete, ligne, strict=True))
    assert (valeurs["Début"], valeurs["Fin"]) == ("2026-11-03 18:30:00", "2026-11-03 21:00:00")


# --- Registrations ----------------------------------------------------------------------------------


def test_inscriptions_liste_export_et_annulation_par_le_service(client_agent):
    evenement = EvenementFactory(titre="Visite", inscription_sur_plateforme=True, capacite=1)
    premiere, seconde = UserFactory(email="premiere@example.org"), UserFactory(email="seconde@example.org")
    confirmee = services.inscrire(evenement, premiere)
    services.inscrire(evenement, seconde)

    liste = client_agent.get(INSCRIPTIONS, {"statut": "attente"})
    assert [i.user.email for i in liste.context["object_list"]] == ["seconde@example.org"]
    entete, *lignes = lignes_csv(client_agent.get(INSCRIPTIONS, {"export": "csv"}))
    assert entete[:4] == ["E-mail", "Prénom", "Nom", "Événement"]
    assert [(ligne[0], ligne[5]) for ligne in lignes] == [("premiere@example.org", "Confirmée"),
                                                          ("seconde@example.org", "En liste d'attente")]

    annuler = reverse("evenements_inscriptions:annuler", args=[confirmee.pk])
    assert client_agent.get(annuler).status_code == 200
    reponse = client_agent.post(annuler)

    assert reponse.status_code == 302
    assert dict(Inscription.objects.values_list("user__email", "statut")) == {
        "premiere@example.org": "annulee", "seconde@example.org": "confirmee"}
    assert Notification.objects.filter(destinataire=seconde, titre__startswith="Une place s'est libérée").count() == 1
    assert client_agent.post(annuler).status_code == 200  # already cancelled: said, not a 500


# --- Who gets in ------------------------------------------------------------------------------------


def adresses(evenement, inscription):
    return [
        FILE, LISTE, f"{LISTE}?export=csv", url("edit", evenement), url("publier", evenement),
        url("refuser", evenement), url_masse(evenement), INSCRIPTIONS,
        reverse("evenements_inscriptions:annuler", args=[inscription.pk]),
        reverse("evenements_lieux:index"), reverse("evenements_programmes:index"),
    ]


@pytest.mark.parametrize("role", ["anonyme", "acteur", "membre"])
def test_ni_le_public_ni_les_acteurs_n_entrent(client, role, en_attente):
    user = creer_utilisateur(role)
    if user:
        client.force_login(user)
    inscription = services.inscrire(EvenementFactory(inscription_sur_plateforme=True), UserFactory())
    for adresse in adresses(en_attente[0], inscription):
        assert client.get(adresse).status_code in (302, 403), adresse
        assert client.post(adresse, {"message": "x"}).status_code in (302, 403), adresse
    assert Evenement.objects.filter(publication=P.A_MODERER).count() == 3
    assert inscription.__class__.objects.get(pk=inscription.pk).statut == "confirmee"


def coordinatrice(codenames):
    """A CRESS coordinator: an actor given admin access and some permissions, not an agent.

    Back-office access requires two-factor authentication, whatever the role.
    """
    user = creer_utilisateur("acteur")
    user.user_permissions.add(*Permission.objects.filter(
        Q(codename="access_admin") | Q(content_type__app_label="evenements", codename__in=codenames)))
    activer_mfa(user)
    return user


def test_une_coordinatrice_avec_le_droit_de_moderation_travaille_la_file(client, en_attente):
    client.force_login(coordinatrice(["moderer_evenement", "view_evenement", "change_evenement"]))
    assert client.get(FILE).status_code == 200
    assert client.post(url("publier", en_attente[0])).status_code == 302
    assert client.post(url_masse(en_attente[1])).status_code == 302
    assert Evenement.objects.filter(publication=P.PUBLIE).count() == 2
    # Registrations and venues are the agents' business.
    assert client.get(INSCRIPTIONS).status_code in (302, 403)
    assert client.get(reverse("evenements_lieux:index")).status_code in (302, 403)


def test_sans_le_droit_de_moderation_pas_d_action(client, en_attente):
    client.force_login(coordinatrice(["view_evenement", "change_evenement"]))
    assert client.get(FILE).status_code == 200
    assert url("publier", en_attente[0]) not in client.get(FILE).content.decode()
    # Wagtail answers a PermissionDenied with a redirect to the dashboard and an error message.
    refus = client.post(url("publier", en_attente[0]))
    assert refus.status_code == 302 and refus["Location"] == reverse("wagtailadmin_home")
    client.post(url_masse(en_attente[1]))
    assert not Evenement.objects.filter(publication=P.PUBLIE).exists()
