"""The animation's pages of an atelier: who gets in, requests, members, scheduling, moving, cancelling, attendance."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from ateliers.models import Cycle, Participation, Presence, Reunion
from conseil_ess.comptes.models import Notification
from conseil_ess.typographie import typographier
from evenements.models import Evenement, TypeEvenement
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import LieuFactory, dans
from tests.factories import AdhesionFactory, StructureFactory

from .fabriques import AtelierFactory, ParticipationFactory, creer_reunion, creer_reunion_directe

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
PS = Participation.Statut


@pytest.fixture
def animateur(db):
    return creer_utilisateur("acteur", first_name="Nadia", last_name="Benarfa")


@pytest.fixture
def atelier(animateur):
    return AtelierFactory(titre="Commande publique responsable", slug="commande-publique", animateurs=[animateur])


@pytest.fixture
def membre(atelier):
    """An accepted member of the atelier, who belongs to a structure."""
    user = creer_utilisateur("acteur", first_name="Louis", last_name="Marchal")
    AdhesionFactory(user=user, structure=StructureFactory(nom="Ressourcerie de la Lère"))
    ParticipationFactory(atelier=atelier, user=user)
    return user


def url(nom, atelier, *args):
    return reverse(f"ateliers:{nom}", args=[atelier.slug, *args])


def connecte(client, user):
    if user is not None:
        client.force_login(user)
    return client


def donnees_reunion(**kwargs):
    jour = dans(10).date()
    d = {
        "titre": "", "resume": "Point d'étape sur le guide des achats.", "ordre_du_jour": "<ul><li>Le guide</li></ul>",
        "description": "", "date": jour.isoformat(), "heure_debut": "18:00", "heure_fin": "20:00",
        "mode": "presentiel", "lieu": LieuFactory(nom="Maison de l'ESS").pk, "precision_lieu": "Salle 2",
        "lien_en_ligne": "", "visibilite": "public",
    }
    d.update(kwargs)
    return d


# --- Who gets in ----------------------------------------------------------------------------------

PAGES = ["gerer", "reunion_nouvelle", "reunion_modifier", "reunion_annuler", "presences", "compte_rendu"]


def url_page(nom, atelier, reunion):
    return url(nom, atelier) if nom in ("gerer", "reunion_nouvelle") else url(nom, atelier, reunion.pk)


@pytest.mark.parametrize("nom", PAGES)
@pytest.mark.parametrize("qui, attendu", [
    ("animateur", 200), ("agent", 200), ("animateur_ailleurs", 403), ("acteur", 403), ("membre", 403),
    ("elu", 403),
])
def test_qui_accede_aux_pages_de_l_animation(client, atelier, animateur, membre, nom, qui, attendu):
    reunion = creer_reunion_directe(atelier)
    users = {
        "animateur": animateur,
        "animateur_ailleurs": AtelierFactory(animateurs=[creer_utilisateur("acteur")]).animateurs.get(),
        "membre": membre,
    }
    user = users.get(qui) or creer_utilisateur(qui)
    assert connecte(client, user).get(url_page(nom, atelier, reunion)).status_code == attendu


@pytest.mark.parametrize("nom", PAGES)
def test_anonyme_renvoye_vers_la_connexion(client, atelier, nom):
    reunion = creer_reunion_directe(atelier)
    reponse = client.get(url_page(nom, atelier, reunion))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("nom", PAGES)
def test_cycle_archive_ferme_l_animation_mais_pas_le_secretariat(client, atelier, animateur, nom):
    reunion = creer_reunion_directe(atelier)
    Cycle.objects.filter(pk=atelier.cycle_id).update(statut=Cycle.Statut.ARCHIVE)
    assert connecte(client, animateur).get(url_page(nom, atelier, reunion)).status_code == 403
    client.logout()
    assert connecte(client, creer_utilisateur("agent")).get(url_page(nom, atelier, reunion)).status_code == 200


def test_cycle_archive_le_secretariat_ne_peut_plus_planifier(client, atelier):
    Cycle.objects.filter(pk=atelier.cycle_id).update(statut=Cycle.Statut.ARCHIVE)
    connecte(client, creer_utilisateur("agent"))
    assert "Planifier une réunion" not in client.get(url("gerer", atelier)).content.decode()
    reponse = client.post(url("reunion_nouvelle", atelier), donnees_reunion())
    assert reponse.status_code == 200 and "est archivé" in reponse.content.decode()
    assert not Reunion.objects.exists()


def test_adresses_inconnues_ou_d_un_autre_atelier_donnent_404(client, atelier, animateur):
    autre = AtelierFactory()
    reunion_ailleurs = creer_reunion_directe(autre)
    demande_ailleurs = ParticipationFactory(atelier=autre, statut=PS.DEMANDEE)
    connecte(client, animateur)
    assert client.get(reverse("ateliers:gerer", args=["inconnu"])).status_code == 404
    for nom in ("reunion_modifier", "reunion_annuler", "presences", "compte_rendu"):
        assert client.get(url(nom, atelier, reunion_ailleurs.pk)).status_code == 404, nom
        assert client.get(url(nom, atelier, 999999)).status_code == 404, nom
    assert client.post(url("decider", atelier, demande_ailleurs.pk, "accepter")).status_code == 404
    Participation.objects.get(pk=demande_ailleurs.pk, statut=PS.DEMANDEE)


def test_les_actions_demandent_un_jeton_csrf(atelier, animateur):
    demande = ParticipationFactory(atelier=atelier, statut=PS.DEMANDEE)
    client = connecte(Client(enforce_csrf_checks=True), animateur)
    assert client.post(url("decider", atelier, demande.pk, "accepter")).status_code == 403
    assert client.post(url("reunion_nouvelle", atelier), donnees_reunion()).status_code == 403
    assert Participation.objects.get(pk=demande.pk).statut == PS.DEMANDEE
    assert not Reunion.objects.exists()
    # The pages themselves carry the token in every form.
    contenu = client.get(url("gerer", atelier)).content.decode()
    assert contenu.count("csrfmiddlewaretoken") >= 3  # logout, accept, refuse


def test_decider_n_accepte_que_post(client, atelier, animateur):
    demande = ParticipationFactory(atelier=atelier, statut=PS.DEMANDEE)
    connecte(client, animateur)
    assert client.get(url("decider", atelier, demande.pk, "accepter")).status_code == 405


# --- The dashboard --------------------------------------------------------------------------------

def test_tableau_de_bord_demandes_membres_et_reunions(client, atelier, animateur, membre):
    demandeuse = creer_utilisateur("acteur", first_name="Inès", last_name="Caron")
    ParticipationFactory(atelier=atelier, user=demandeuse, statut=PS.DEMANDEE, message="Je travaille sur le sujet.")
    passee = creer_reunion_directe(atelier, jours=-10)
    a_venir = creer_reunion(atelier, jours=5, titre="Réunion de lancement")
    contenu = connecte(client, animateur).get(url("gerer", atelier)).content.decode()
    assert "Inès Caron" in contenu and "Je travaille sur le sujet." in contenu
    assert url("decider", atelier, demandeuse.participations_ateliers.get().pk, "accepter") in contenu
    assert "Louis Marchal" in contenu and "Ressourcerie de la Lère" in contenu
    assert "Réunion de lancement" in contenu and passee.evenement.titre in contenu
    assert url("reunion_nouvelle", atelier) in contenu
    assert url("reunion_modifier", atelier, a_venir.pk) in contenu
    # Attendance is offered for a meeting that took place, not for one to come.
    assert url("presences", atelier, passee.pk) in contenu
    assert url("presences", atelier, a_venir.pk) not in contenu
    assert url("compte_rendu", atelier, passee.pk) in contenu
    # A meeting that is over is not cancelled any more.
    assert url("reunion_annuler", atelier, a_venir.pk) in contenu
    assert url("reunion_annuler", atelier, passee.pk) not in contenu


def test_accepter_une_demande_previent_la_personne(client, atelier, animateur, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    demande = ParticipationFactory(atelier=atelier, statut=PS.DEMANDEE)
    connecte(client, animateur)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url("decider", atelier, demande.pk, "accepter"), follow=True)
    demande.refresh_from_db()
    assert demande.statut == PS.ACCEPTEE and demande.decide_par == animateur
    assert "fait maintenant partie de l&#x27;atelier" in reponse.content.decode()
    assert Notification.objects.filter(destinataire=demande.user, titre__startswith="Bienvenue").exists()
    assert [m.to for m in mailoutbox] == [[demande.user.email]]


def test_refuser_une_demande_et_repondre_deux_fois(client, atelier, animateur):
    demande = ParticipationFactory(atelier=atelier, statut=PS.DEMANDEE)
    connecte(client, animateur)
    client.post(url("decider", atelier, demande.pk, "refuser"))
    assert Participation.objects.get(pk=demande.pk).statut == PS.REFUSEE
    reponse = client.post(url("decider", atelier, demande.pk, "accepter"), follow=True)
    assert "Cette demande a déjà reçu une réponse." in reponse.content.decode()
    assert Participation.objects.get(pk=demande.pk).statut == PS.REFUSEE


def _remplir(atelier, nombre):
    for i in range(nombre):
        participation = ParticipationFactory(atelier=atelier)
        AdhesionFactory(user=participation.user)
        ParticipationFactory(atelier=atelier, statut=PS.DEMANDEE)
        creer_reunion_directe(atelier, jours=(-1 - i) if i % 2 else (1 + i))


def test_tableau_de_bord_nombre_de_requetes_constant(client, django_assert_max_num_queries):
    comptes = []
    client.get("/")  # the first page of a test creates the site's footer settings
    for nombre in (2, 40):
        animateur = creer_utilisateur("acteur")
        atelier = AtelierFactory(animateurs=[animateur])
        _remplir(atelier, nombre)
        connecte(client, animateur)
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(url("gerer", atelier))
        assert reponse.status_code == 200
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1]
    with django_assert_max_num_queries(21):
        client.get(url("gerer", atelier))


def test_listes_longues_paginees(client):
    animateur = creer_utilisateur("acteur")
    atelier = AtelierFactory(animateurs=[animateur])
    _remplir(atelier, 45)
    connecte(client, animateur)
    reponse = client.get(url("gerer", atelier))
    assert reponse.context["membres"].paginator.num_pages == 3
    assert len(reponse.context["membres"]) == 20
    assert "?membres=2#membres" in reponse.content.decode()
    page3 = client.get(url("gerer", atelier) + "?membres=3&passees=2")
    assert len(page3.context["membres"]) == 5 and page3.context["passees"].number == 2


# --- Scheduling -----------------------------------------------------------------------------------

def test_planifier_publie_dans_l_agenda_et_previent_les_membres(client, atelier, animateur, membre, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    connecte(client, animateur)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url("reunion_nouvelle", atelier), donnees_reunion())
    reunion = Reunion.objects.get()
    evenement = reunion.evenement
    assert reponse.status_code == 302 and reponse["Location"] == url("reunion", atelier, reunion.pk)
    assert evenement.type == TypeEvenement.REUNION_ATELIER and evenement.est_publie
    assert evenement.titre == "Réunion de l'atelier « Commande publique responsable »"
    assert evenement.precision_lieu == "Salle 2" and evenement.lieu.nom == "Maison de l'ESS"
    assert reunion.ordre_du_jour == "<ul><li>Le guide</li></ul>" and reunion.cree_par == animateur
    debut = datetime.datetime.combine(dans(10).date(), datetime.time(18), tzinfo=dans(0).tzinfo)
    assert evenement.debut == debut and evenement.fin == debut + datetime.timedelta(hours=2)
    # Members are told in-app and by e-mail; the animateur·rice who scheduled it is not.
    assert Notification.objects.filter(destinataire=membre, titre__startswith="Nouvelle réunion").count() == 1
    assert not Notification.objects.filter(destinataire=animateur).exists()
    assert [m.to for m in mailoutbox] == [[membre.email]]
    # The public agenda shows it; the member's personal feed carries it.
    client.logout()
    assert typographier(escape(evenement.titre)) in client.get(reverse("evenements:agenda")).content.decode()
    flux = client.get(reverse("evenements:flux_personnel", args=[membre.jeton_agenda]))
    uids = [str(e["UID"]) for e in Calendar.from_ical(flux.content).walk("VEVENT")]
    assert evenement.uid in uids


def test_reunion_reservee_absente_de_l_agenda_public(client, atelier, animateur, membre):
    connecte(client, animateur)
    client.post(url("reunion_nouvelle", atelier), donnees_reunion(titre="Réunion à huis clos", visibilite="membres"))
    evenement = Evenement.objects.get(titre="Réunion à huis clos")
    assert evenement.visibilite == Evenement.Visibilite.MEMBRES
    client.logout()
    assert "Réunion à huis clos" not in client.get(reverse("evenements:agenda")).content.decode()
    # The atelier's member sees it (control: the title is really rendered by the agenda).
    assert "Réunion à huis clos" in connecte(client, membre).get(reverse("evenements:agenda")).content.decode()


def test_le_formulaire_explique_la_visibilite_reservee(client, atelier, animateur):
    contenu = connecte(client, animateur).get(url("reunion_nouvelle", atelier)).content.decode()
    assert "Réservée aux membres de l&#x27;atelier" in contenu
    assert "les élu·e·s et le secrétariat" in contenu


def test_dates_invalides_gardent_la_saisie_et_l_erreur_a_cote_du_champ(client, atelier, animateur):
    connecte(client, animateur)
    reponse = client.post(url("reunion_nouvelle", atelier), donnees_reunion(
        titre="Atelier du soir", heure_debut="19:00", heure_fin="18:30", precision_lieu="Salle des fêtes"))
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and not Reunion.objects.exists()
    assert "L&#x27;heure de fin doit être après l&#x27;heure de début." in contenu
    assert 'id="id_heure_fin_error"' in contenu
    champ = contenu[contenu.index('id="id_heure_fin"') - 200:contenu.index('id="id_heure_fin"') + 200]
    assert 'aria-invalid="true"' in champ and "id_heure_fin_error" in champ and 'value="18:30"' in champ
    assert 'value="Atelier du soir"' in contenu and 'value="19:00"' in contenu and "Salle des fêtes" in contenu


def test_date_passee_et_lien_manquant_refuses(client, atelier, animateur):
    connecte(client, animateur)
    reponse = client.post(url("reunion_nouvelle", atelier), donnees_reunion(
        date=dans(-3).date().isoformat(), mode="en_ligne", lieu=""))
    assert reponse.context["form"].errors == {
        "date": ["Cette date est passée."],
        "lien_en_ligne": ["Indiquez le lien de connexion d'une réunion en ligne."],
    }
    assert not Reunion.objects.exists()


def test_reunion_en_ligne_sans_lieu(client, atelier, animateur):
    connecte(client, animateur)
    client.post(url("reunion_nouvelle", atelier), donnees_reunion(
        mode="en_ligne", lieu="", precision_lieu="", lien_en_ligne="visio.example.org/atelier"))
    evenement = Reunion.objects.get().evenement
    assert evenement.mode == "en_ligne" and evenement.lien_en_ligne == "https://visio.example.org/atelier"


# --- Moving and cancelling ------------------------------------------------------------------------

def test_deplacer_une_reunion_leve_la_sequence_et_previent(client, atelier, animateur, membre, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    reunion = creer_reunion(atelier, jours=7, titre="Réunion de rentrée")
    sequence = reunion.evenement.sequence
    connecte(client, animateur)
    formulaire = client.get(url("reunion_modifier", atelier, reunion.pk)).content.decode()
    assert 'value="Réunion de rentrée"' in formulaire and 'value="18:00"' in formulaire
    nouveau_jour = dans(9).date()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url("reunion_modifier", atelier, reunion.pk), donnees_reunion(
            titre="Réunion de rentrée", date=nouveau_jour.isoformat(), ordre_du_jour="<p>Nouvel ordre</p>"))
    assert reponse.status_code == 302
    reunion.refresh_from_db()
    assert reunion.evenement.sequence > sequence
    assert timezone.localtime(reunion.evenement.debut).date() == nouveau_jour
    assert reunion.ordre_du_jour == "<p>Nouvel ordre</p>"
    assert Notification.objects.filter(destinataire=membre, titre__startswith="Réunion déplacée").exists()
    assert any("Réunion déplacée" in m.subject for m in mailoutbox)


def test_modifier_sans_changer_l_horaire_ne_previent_pas(client, atelier, animateur, membre):
    reunion = creer_reunion(atelier, jours=7, titre="Réunion")
    Notification.objects.all().delete()
    jour = timezone.localtime(reunion.evenement.debut).date()
    connecte(client, animateur).post(url("reunion_modifier", atelier, reunion.pk), donnees_reunion(
        titre="Réunion renommée", date=jour.isoformat(), lieu=reunion.evenement.lieu_id, precision_lieu=""))
    reunion.evenement.refresh_from_db()
    assert reunion.evenement.titre == "Réunion renommée"
    assert not Notification.objects.filter(destinataire=membre).exists()


def test_annuler_garde_la_reunion_marquee_annulee(client, atelier, animateur, membre, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    reunion = creer_reunion(atelier, jours=7)
    connecte(client, animateur)
    assert "Motif de l&#x27;annulation" in client.get(url("reunion_annuler", atelier, reunion.pk)).content.decode()
    sans_motif = client.post(url("reunion_annuler", atelier, reunion.pk), {"motif": ""})
    assert 'id="id_motif_error"' in sans_motif.content.decode()
    reunion.evenement.refresh_from_db()
    assert not reunion.evenement.est_annule
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("reunion_annuler", atelier, reunion.pk), {"motif": "Salle indisponible"})
    evenement = Evenement.objects.get(pk=reunion.evenement_id)
    assert evenement.est_annule and evenement.motif_statut == "Salle indisponible" and evenement.est_publie
    assert Notification.objects.filter(destinataire=membre, titre__startswith="Réunion annulée",
                                       message="Salle indisponible").exists()
    assert any("Réunion annulée" in m.subject for m in mailoutbox)
    client.logout()
    flux = client.get(reverse("evenements:detail_ics", args=[evenement.slug]))
    (vevent,) = Calendar.from_ical(flux.content).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    # Cancelled meetings cannot be edited or cancelled again.
    connecte(client, animateur)
    reponse = client.get(url("reunion_modifier", atelier, reunion.pk), follow=True)
    assert "Cette réunion est annulée : elle ne peut plus être modifiée." in reponse.content.decode()
    reponse = client.post(url("reunion_annuler", atelier, reunion.pk), {"motif": "encore"}, follow=True)
    assert "Cette réunion est déjà annulée." in reponse.content.decode()


# --- Attendance -----------------------------------------------------------------------------------

def test_saisir_les_presences(client, atelier, animateur, membre):
    autre = ParticipationFactory(atelier=atelier).user
    reunion = creer_reunion_directe(atelier, jours=-2)
    connecte(client, animateur)
    formulaire = client.get(url("presences", atelier, reunion.pk)).content.decode()
    assert "Louis Marchal" in formulaire and animateur.nom_public in formulaire
    reponse = client.post(url("presences", atelier, reunion.pk), {
        "presents": [membre.pk, animateur.pk], "participants_sans_compte": "3"}, follow=True)
    reunion.refresh_from_db()
    assert reunion.nb_presents == 2 and reunion.participants_sans_compte == 3 and reunion.nb_participants == 5
    assert set(Presence.objects.values_list("user_id", flat=True)) == {membre.pk, animateur.pk}
    assert "5 participant·e·s au total" in reponse.content.decode()
    # Pre-ticked from the records; unticking someone removes their attendance.
    contenu = reponse.content.decode()
    assert "checked" in case_a_cocher(contenu, membre) and "checked" not in case_a_cocher(contenu, autre)
    client.post(url("presences", atelier, reunion.pk), {"presents": [membre.pk], "participants_sans_compte": "0"})
    reunion.refresh_from_db()
    assert reunion.nb_participants == 1 and list(Presence.objects.values_list("user_id", flat=True)) == [membre.pk]


def case_a_cocher(contenu, user):
    (balise,) = re.findall(rf'<input type="checkbox" name="presents" value="{user.pk}"[^>]*>', contenu)
    return balise


def test_presences_d_une_personne_hors_atelier_refusees(client, atelier, animateur):
    intrus = creer_utilisateur("acteur")
    reunion = creer_reunion_directe(atelier, jours=-2)
    connecte(client, animateur)
    reponse = client.post(url("presences", atelier, reunion.pk), {"presents": [intrus.pk],
                                                                  "participants_sans_compte": "0"})
    assert "presents" in reponse.context["form"].errors and not Presence.objects.exists()


def test_presences_avant_la_reunion_refusees_avec_le_message(client, atelier, animateur, membre):
    reunion = creer_reunion(atelier, jours=3)
    connecte(client, animateur)
    reponse = client.post(url("presences", atelier, reunion.pk), {"presents": [membre.pk],
                                                                  "participants_sans_compte": "2"})
    assert reponse.status_code == 200
    assert "La réunion n&#x27;a pas encore commencé" in reponse.content.decode()
    reunion.refresh_from_db()
    assert not Presence.objects.exists() and reunion.nb_participants == 0
