"""/mon-espace/ agenda part: my events and their moderation, my registrations, my Assises programme, my feed."""

import pytest
from django.urls import reverse

from conseil_ess.comptes.models import User
from evenements import services
from evenements.models import Evenement, Inscription, Programme
from tests.conftest import creer_utilisateur

from .fabriques import CreneauFactory, EvenementFactory, ProgrammeFactory, dans

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
URL = reverse("comptes:mon_espace")


def test_mes_evenements_proposes_avec_leur_etat_et_le_message_de_moderation(client, acteur):
    EvenementFactory(titre="Atelier vélo", propose_par=acteur, publication=Evenement.Publication.MODIFICATIONS,
                     message_moderation="Précisez le point de rendez-vous.")
    EvenementFactory(titre="Ciné-débat", propose_par=acteur)
    EvenementFactory(titre="Proposé par une autre personne")
    client.force_login(acteur)
    contenu = client.get(URL).content.decode()
    assert "Mes événements proposés" in contenu
    assert "Atelier vélo" in contenu and "Modifications demandées" in contenu
    assert "Précisez le point de rendez-vous." in contenu
    assert "Ciné-débat" in contenu and "Publié" in contenu
    assert "Proposé par une autre personne" not in contenu
    assert reverse("evenements:proposer") in contenu


def test_mes_inscriptions_confirmee_et_en_attente_avec_position(client, acteur):
    plein = EvenementFactory(titre="Visite complète", inscription_sur_plateforme=True, capacite=1)
    libre = EvenementFactory(titre="Forum", inscription_sur_plateforme=True)
    passe = EvenementFactory(titre="Passé", debut=dans(-5), fin=dans(-5, 20), inscription_sur_plateforme=True)
    for _ in range(2):
        services.inscrire(plein, creer_utilisateur("acteur"))
    services.inscrire(plein, acteur)
    services.inscrire(libre, acteur)
    Inscription.objects.create(evenement=passe, user=acteur, statut=Inscription.Statut.CONFIRMEE)
    client.force_login(acteur)
    contenu = client.get(URL).content.decode()
    assert "Visite complète" in contenu and "Liste d'attente : position 2" in contenu
    assert "Forum" in contenu and "Place confirmée" in contenu
    assert "Passé" not in contenu
    inscription = Inscription.objects.get(user=acteur, evenement=libre)
    assert reverse("evenements:annuler_inscription", args=[inscription.pk]) in contenu


def test_annuler_depuis_mon_espace(client, acteur):
    evenement = EvenementFactory(titre="Forum", inscription_sur_plateforme=True)
    inscription = services.inscrire(evenement, acteur)
    client.force_login(acteur)
    reponse = client.post(reverse("evenements:annuler_inscription", args=[inscription.pk]), {"confirmer": "1"},
                          follow=True)
    assert reponse.redirect_chain[-1][0] == URL + "#mes-inscriptions"
    contenu = reponse.content.decode()
    assert "Votre inscription à « Forum » est annulée." in contenu
    assert "Aucune inscription à venir." in contenu
    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.ANNULEE
    reponse = client.post(reverse("evenements:annuler_inscription", args=[inscription.pk]), {"confirmer": "1"},
                          follow=True)
    assert "Cette inscription est déjà annulée." in reponse.content.decode()


def test_mon_programme_des_assises(client, acteur):
    assises = ProgrammeFactory(titre="Assises 2027", type=Programme.Type.ASSISES)
    matin = CreneauFactory(programme=assises, libelle="Ateliers du matin", debut=dans(30, 10), fin=dans(30, 12))
    CreneauFactory(programme=assises, libelle="Ateliers de l'après-midi", debut=dans(30, 14), fin=dans(30, 16))
    atelier = EvenementFactory(titre="Atelier 2 – Mobilité", programme=assises, creneau=matin, precision_lieu="Salle B",
                               inscription_sur_plateforme=True, capacite=60, debut=matin.debut, fin=matin.fin)
    services.inscrire(atelier, acteur)
    client.force_login(acteur)
    contenu = client.get(URL).content.decode()
    assert "Mon programme\u00a0: Assises 2027" in contenu  # French typography of titles
    assert "Ateliers du matin" in contenu and "Atelier 2 – Mobilité" in contenu and "Salle B" in contenu
    assert "Ateliers de l&#x27;après-midi" in contenu
    assert "Aucun atelier choisi." in contenu


def test_flux_personnel_et_regeneration_du_jeton(client, acteur):
    ancien = acteur.jeton_agenda
    client.force_login(acteur)
    contenu = client.get(URL).content.decode()
    assert f"webcal://testserver/agenda/perso/{ancien}.ics" in contenu
    assert f"http://testserver/agenda/perso/{ancien}.ics" in contenu
    assert client.get(reverse("evenements:regenerer_jeton")).status_code == 405
    reponse = client.post(reverse("evenements:regenerer_jeton"), follow=True)
    assert reponse.redirect_chain[-1][0] == URL + "#mon-flux"
    acteur.refresh_from_db()
    assert acteur.jeton_agenda != ancien and len(acteur.jeton_agenda) >= 40
    contenu = reponse.content.decode()
    assert acteur.jeton_agenda in contenu and ancien not in contenu
    assert "L&#x27;ancien lien ne fonctionne plus" in contenu
    assert not User.objects.filter(jeton_agenda=ancien).exists()
    client.logout()
    assert client.get(reverse("evenements:flux_personnel", args=[ancien])).status_code == 404
    reponse = client.get(reverse("evenements:flux_personnel", args=[acteur.jeton_agenda]))
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/calendar")


def test_regeneration_reservee_aux_personnes_connectees(client):
    reponse = client.post(reverse("evenements:regenerer_jeton"))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("account_login"))
