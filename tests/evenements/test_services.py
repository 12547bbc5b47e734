"""The agenda's services: moderation, status, registration with waiting list, Assises slots, iCal identity."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from conseil_ess.comptes.models import Notification
from evenements import services
from evenements.models import Evenement, Inscription
from tests.conftest import creer_utilisateur
from tests.factories import UserFactory

from .fabriques import CreneauFactory, EvenementFactory, LieuFactory, dans

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
P = Evenement.Publication
I = Inscription.Statut  # noqa: E741


def moderation():
    """A member of the moderation team (an agent): the services check who moderates."""
    return creer_utilisateur("agent")


def notifications(user):
    return list(Notification.objects.filter(destinataire=user).order_by("cree_le", "pk"))


@pytest.fixture
def proposant(db):
    return creer_utilisateur("acteur")


@pytest.fixture
def propose(proposant):
    return EvenementFactory(titre="Atelier couture", propose_par=proposant, publication=P.A_MODERER)


@pytest.fixture
def a_places():
    """Return a factory of published events open for registration here, with ``capacite`` places."""

    def creer(capacite=2, **champs):
        champs.setdefault("inscription_sur_plateforme", True)
        return EvenementFactory(capacite=capacite, **champs)

    return creer


# --- Moderation -------------------------------------------------------------------------------------


def test_soumettre_previent_les_moderateurs_et_pas_les_autres(proposant):
    agent = creer_utilisateur("agent")
    coordinatrice = creer_utilisateur("acteur")
    coordinatrice.user_permissions.add(Permission.objects.get(codename="moderer_evenement"))
    autre = creer_utilisateur("acteur")
    evenement = EvenementFactory(titre="Collecte de jouets", propose_par=proposant, publication=P.BROUILLON)

    services.soumettre(evenement, par=proposant)

    evenement.refresh_from_db()
    assert evenement.publication == P.A_MODERER
    for moderateur in (agent, coordinatrice):
        [notification] = notifications(moderateur)
        assert notification.titre == "Événement à modérer : Collecte de jouets"
    assert notifications(autre) == [] and notifications(proposant) == []


def test_publier_previent_la_personne_qui_a_propose(propose, proposant):
    services.publier(propose, par=creer_utilisateur("agent"))

    propose.refresh_from_db()
    assert propose.publication == P.PUBLIE
    [notification] = notifications(proposant)
    assert notification.titre == "Votre événement « Atelier couture » est publié"
    assert notification.url == propose.get_absolute_url()
    with pytest.raises(services.ActionImpossible, match="déjà publié"):
        services.publier(propose, par=moderation())


@pytest.mark.parametrize("action", [services.refuser, services.demander_modifications])
@pytest.mark.parametrize("message", ["", "   \n "])
def test_refuser_ou_demander_des_modifications_exige_un_message(propose, proposant, action, message):
    with pytest.raises(services.ActionImpossible, match="Écrivez un message"):
        action(propose, par=moderation(), message=message)
    propose.refresh_from_db()
    assert propose.publication == P.A_MODERER
    assert notifications(proposant) == []


def test_refuser_transmet_le_message_et_ferme_la_proposition(propose, proposant):
    services.refuser(propose, par=moderation(), message="Hors du périmètre du Mois de l'ESS.")

    propose.refresh_from_db()
    assert (propose.publication, propose.message_moderation) == (P.REFUSE, "Hors du périmètre du Mois de l'ESS.")
    [notification] = notifications(proposant)
    assert notification.titre == "Votre événement « Atelier couture » n'a pas été retenu"
    assert notification.message == "Hors du périmètre du Mois de l'ESS."
    with pytest.raises(services.ActionImpossible, match="refusé"):
        services.soumettre(propose, par=proposant)


def test_demander_des_modifications_puis_soumettre_a_nouveau_puis_publier(propose, proposant):
    demande = "Précisez l'adresse, s'il vous plaît."
    services.demander_modifications(propose, par=moderation(), message=demande)
    propose.refresh_from_db()
    assert (propose.publication, propose.message_moderation) == (P.MODIFICATIONS, demande)
    assert notifications(proposant)[0].message == demande

    services.soumettre(propose, par=proposant)
    propose.refresh_from_db()
    assert propose.publication == P.A_MODERER
    services.publier(propose, par=moderation())
    propose.refresh_from_db()
    assert (propose.publication, propose.message_moderation) == (P.PUBLIE, "")
    assert [n.titre for n in notifications(proposant)] == [
        "Modifications demandées pour « Atelier couture »", "Votre événement « Atelier couture » est publié",
    ]


def test_publier_en_masse_ne_publie_que_ce_qui_attend(proposant):
    attendent = [EvenementFactory(propose_par=proposant, publication=p) for p in (P.A_MODERER, P.MODIFICATIONS)]
    deja = EvenementFactory(publication=P.PUBLIE)
    refuse = EvenementFactory(publication=P.REFUSE)

    assert services.publier_en_masse([*attendent, deja, refuse], par=moderation()) == 2

    assert {e.publication for e in Evenement.objects.filter(pk__in=[e.pk for e in attendent])} == {P.PUBLIE}
    refuse.refresh_from_db()
    assert refuse.publication == P.REFUSE
    assert len(notifications(proposant)) == 2


# --- Status -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("statut", [Evenement.Statut.ANNULE, Evenement.Statut.REPORTE])
def test_annuler_ou_reporter_exige_un_motif_public(statut):
    evenement = EvenementFactory()
    with pytest.raises(services.ActionImpossible, match="motif"):
        services.changer_statut(evenement, statut, par=moderation(), motif=" ")
    evenement.refresh_from_db()
    assert evenement.statut == Evenement.Statut.CONFIRME


def test_l_annulation_previent_les_inscrits_confirmes_et_en_attente(a_places):
    evenement = a_places(capacite=1, titre="Visite du chantier")
    confirme, attente, desiste = UserFactory(), UserFactory(), UserFactory()
    services.inscrire(evenement, confirme)
    services.inscrire(evenement, attente)
    inscription = services.inscrire(evenement, desiste)
    services.annuler_inscription(inscription, par=desiste)
    Notification.objects.all().delete()

    services.changer_statut(evenement, Evenement.Statut.ANNULE, par=moderation(), motif="Reporté au printemps – météo")

    evenement.refresh_from_db()
    assert (evenement.statut, evenement.motif_statut) == (Evenement.Statut.ANNULE, "Reporté au printemps – météo")
    for personne in (confirme, attente):
        [notification] = notifications(personne)
        assert notification.titre == "« Visite du chantier » est annulé"
        assert notification.message == "Reporté au printemps – météo"
    assert notifications(desiste) == []
    # Saying it twice tells nobody again.
    services.changer_statut(evenement, Evenement.Statut.ANNULE, par=moderation(), motif="Reporté au printemps – météo")
    assert Notification.objects.count() == 2


def test_complet_ne_previent_personne(a_places):
    evenement = a_places(capacite=1)
    services.inscrire(evenement, UserFactory())
    Notification.objects.all().delete()
    services.changer_statut(evenement, Evenement.Statut.COMPLET, par=moderation())
    assert Notification.objects.count() == 0


# --- Registration -----------------------------------------------------------------------------------


def test_liste_d_attente_dans_l_ordre_puis_promotion_de_la_premiere_personne(a_places):
    evenement = a_places(capacite=2, titre="Visite de la Ressourcerie")
    personnes = [UserFactory() for _ in range(5)]
    inscriptions = [services.inscrire(evenement, p) for p in personnes]

    assert [i.statut for i in inscriptions] == [I.CONFIRMEE, I.CONFIRMEE, I.ATTENTE, I.ATTENTE, I.ATTENTE]
    evenement.refresh_from_db()
    assert (evenement.nb_confirmes, evenement.places_restantes) == (2, 0)

    promue = services.annuler_inscription(inscriptions[0], par=personnes[0])

    assert promue.pk == inscriptions[2].pk
    promue.refresh_from_db()
    assert promue.statut == I.CONFIRMEE and promue.promue_le is not None
    attente, promotion = notifications(personnes[2])
    assert attente.titre == "Liste d'attente : Visite de la Ressourcerie"
    assert promotion.titre == ("Une place s'est libérée : votre inscription à « Visite de la Ressourcerie » "
                               "est confirmée")
    assert [n.titre for n in notifications(personnes[3])] == ["Liste d'attente : Visite de la Ressourcerie"]
    evenement.refresh_from_db()
    assert evenement.nb_confirmes == 2

    # A waiting person who leaves frees no place; the next confirmed departure promotes the fourth.
    assert services.annuler_inscription(inscriptions[4], par=personnes[4]) is None
    assert services.annuler_inscription(inscriptions[1], par=personnes[1]).pk == inscriptions[3].pk
    # Nobody left waiting: the place stays free.
    assert services.annuler_inscription(inscriptions[2], par=personnes[2]) is None
    evenement.refresh_from_db()
    assert evenement.nb_confirmes == 1
    assert list(evenement.inscriptions.filter(statut=I.CONFIRMEE).values_list("user", flat=True)) == [personnes[3].pk]


def test_une_inscription_annulee_ne_s_annule_pas_deux_fois(a_places):
    evenement = a_places()
    user = UserFactory()
    inscription = services.inscrire(evenement, user)
    services.annuler_inscription(inscription, par=user)
    with pytest.raises(services.ActionImpossible, match="déjà annulée"):
        services.annuler_inscription(inscription, par=user)
    evenement.refresh_from_db()
    assert evenement.nb_confirmes == 0


def test_on_se_reinscrit_apres_avoir_annule_mais_pas_deux_fois(a_places):
    evenement = a_places()
    user = UserFactory()
    services.inscrire(evenement, user)
    with pytest.raises(services.ActionImpossible, match="déjà inscrit·e à cet événement"):
        services.inscrire(evenement, user)
    services.annuler_inscription(Inscription.objects.get(user=user), par=user)
    assert services.inscrire(evenement, user).statut == I.CONFIRMEE


def test_sans_capacite_toutes_les_inscriptions_sont_confirmees(a_places):
    evenement = a_places(capacite=None)
    assert {services.inscrire(evenement, UserFactory()).statut for _ in range(5)} == {I.CONFIRMEE}


@pytest.mark.parametrize(("champs", "message"), [
    ({"statut": Evenement.Statut.ANNULE, "motif_statut": "Météo"}, "annulé : les inscriptions sont fermées"),
    ({"statut": Evenement.Statut.REPORTE, "motif_statut": "Salle"}, "reporté : les inscriptions sont fermées"),
    ({"publication": P.A_MODERER}, "ne sont pas ouvertes"),
    ({"publication": P.BROUILLON}, "ne sont pas ouvertes"),
    ({"inscription_sur_plateforme": False}, "ne sont pas ouvertes"),
    ({"debut": dans(-2), "fin": dans(-2, 20)}, "passé"),
])
def test_on_ne_s_inscrit_pas_a_un_evenement_ferme(a_places, champs, message):
    evenement = a_places(**champs)
    with pytest.raises(services.ActionImpossible, match=message):
        services.inscrire(evenement, UserFactory())
    assert Inscription.objects.count() == 0


def test_assises_un_seul_atelier_par_creneau():
    creneau = CreneauFactory()
    autre_creneau = CreneauFactory(programme=creneau.programme, debut=creneau.fin,
                                   fin=creneau.fin + datetime.timedelta(hours=2))
    ateliers = [EvenementFactory(titre=f"Atelier {n}", type="atelier_assises", creneau=creneau, capacite=60,
                                 inscription_sur_plateforme=True, debut=creneau.debut, fin=creneau.fin)
                for n in ("déchets", "mobilité")]
    apres = EvenementFactory(titre="Atelier de l'après-midi", creneau=autre_creneau, inscription_sur_plateforme=True,
                             debut=autre_creneau.debut, fin=autre_creneau.fin)
    user = UserFactory()
    premiere = services.inscrire(ateliers[0], user)
    assert premiere.creneau == creneau

    with pytest.raises(services.ActionImpossible) as erreur:
        services.inscrire(ateliers[1], user)
    assert str(erreur.value) == (
        "Vous êtes déjà inscrit·e à « Atelier déchets » sur ce créneau : un seul atelier par créneau. "
        "Annulez d'abord cette inscription pour en choisir un autre."
    )
    assert services.inscrire(apres, user).statut == I.CONFIRMEE
    services.annuler_inscription(premiere, par=user)
    assert services.inscrire(ateliers[1], user).statut == I.CONFIRMEE
    assert Inscription.objects.filter(user=user, creneau=creneau).exclude(statut=I.ANNULEE).count() == 1


# --- iCalendar identity -----------------------------------------------------------------------------


def test_sequence_monte_pour_l_heure_le_lieu_et_le_statut_pas_pour_le_titre():
    evenement = EvenementFactory()
    assert evenement.sequence == 0
    uid = evenement.uid
    assert uid.startswith("evenement-") and "@" in uid

    evenement.titre = "Nouveau titre"
    evenement.resume = "Nouveau résumé"
    evenement.save()
    assert evenement.sequence == 0

    evenement.debut += datetime.timedelta(hours=1)
    evenement.fin += datetime.timedelta(hours=1)
    evenement.save()
    assert evenement.sequence == 1

    evenement.lieu = LieuFactory()
    evenement.save()
    assert evenement.sequence == 2

    evenement.precision_lieu = "Salle B"
    evenement.save(update_fields=["precision_lieu"])
    assert evenement.sequence == 3

    services.changer_statut(evenement, Evenement.Statut.ANNULE, par=moderation(), motif="Météo")
    evenement.refresh_from_db()
    assert evenement.sequence == 4
    assert evenement.uid == uid


def test_uid_stable_et_unique():
    a, b = EvenementFactory(), EvenementFactory()
    assert a.uid != b.uid
    uid = a.uid
    for _ in range(3):
        a.save()
    a.refresh_from_db()
    assert a.uid == uid


def test_courriel_de_confirmation_avec_le_fichier_ics(a_places, django_capture_on_commit_callbacks):
    evenement = a_places(capacite=1, titre="Visite de la Ressourcerie")
    user, suivant = UserFactory(email="camille@example.org"), UserFactory(email="dominique@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.inscrire(evenement, user)
        services.inscrire(evenement, suivant)

    confirmation, attente = mail.outbox
    assert confirmation.to == ["camille@example.org"]
    assert confirmation.subject == "Inscription confirmée : Visite de la Ressourcerie"
    assert attente.to == ["dominique@example.org"]
    assert attente.subject == "Liste d'attente : Visite de la Ressourcerie"
    (nom, contenu, type_mime), (nom_qr, png, type_qr) = confirmation.attachments  # the .ics, the QR code
    assert nom == f"{evenement.slug}.ics"
    assert type_qr == "image/png" and png.startswith(b"\x89PNG") and nom_qr.startswith("code-entree-")
    assert type_mime.startswith("text/calendar")
    texte = contenu if isinstance(contenu, str) else contenu.decode()
    assert "BEGIN:VCALENDAR" in texte and f"UID:{evenement.uid}" in texte.replace("\r\n ", "")
    assert "SUMMARY:Visite de la Ressourcerie" in texte
    # One charset in the attachment's header (Django adds it to a text/* part): « text/calendar;
    # charset="utf-8" », never « charset=utf-8; charset="utf-8" ».
    entete = next(p for p in confirmation.message().walk() if p.get_content_type() == "text/calendar")["Content-Type"]
    assert entete.lower().count("charset") == 1, entete



def test_la_confirmation_passe_par_les_notifications_et_leurs_preferences(a_places, django_capture_on_commit_callbacks):
    """One path (``notifier``, « Agenda et inscriptions »): shown in « Mon espace », e-mailed at once with the
    .ics even to someone who groups this category's e-mails, never e-mailed to someone who chose « jamais »."""
    from conseil_ess.comptes.models import PreferenceNotification
    from conseil_ess.comptes.notifications import notifier

    F, S = PreferenceNotification.Frequence, Notification.CourrielStatut
    evenement = a_places(capacite=5, titre="Visite de la Ressourcerie")
    groupe, jamais = UserFactory(email="groupe@example.org"), UserFactory(email="jamais@example.org")
    PreferenceNotification.objects.create(user=jamais, categorie="evenements", frequence=F.JAMAIS)
    with django_capture_on_commit_callbacks(execute=True):
        notifier(groupe, "Une autre nouvelle de l'agenda", categorie="evenements", courriel=True)  # opens the hour
        services.inscrire(evenement, groupe)
        services.inscrire(evenement, jamais)

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["groupe@example.org"], "Une autre nouvelle de l'agenda"),
        (["groupe@example.org"], "Inscription confirmée : Visite de la Ressourcerie")]
    corps = mail.outbox[1].body
    assert "Votre inscription à « Visite de la Ressourcerie » est confirmée." in corps
    assert "Le fichier joint ajoute l'événement à votre agenda." in corps
    assert f"/agenda/{evenement.slug}/" in corps and "Choisir les courriels que vous recevez" in corps
    assert len(mail.outbox[1].attachments) == 2  # the .ics and the QR code of the entry code
    for personne, statut in ((groupe, S.ENVOYE), (jamais, S.AUCUN)):
        notification = Notification.objects.get(destinataire=personne, titre__startswith="Inscription confirmée")
        assert (notification.categorie, notification.courriel_statut) == ("evenements", statut)
        assert notification.url == evenement.get_absolute_url()


def test_la_place_liberee_arrive_aussi_par_courriel_avec_le_fichier_ics(a_places, django_capture_on_commit_callbacks):
    evenement = a_places(capacite=1, titre="Visite de la Ressourcerie")
    premiere, suivante = UserFactory(), UserFactory(email="suivante@example.org")
    inscription = services.inscrire(evenement, premiere)
    services.inscrire(evenement, suivante)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.annuler_inscription(inscription, par=premiere)
    [courriel] = mail.outbox
    assert courriel.to == ["suivante@example.org"]
    assert courriel.subject == ("Une place s'est libérée : votre inscription à « Visite de la Ressourcerie » est "
                                "confirmée")
    assert courriel.attachments[0][0] == f"{evenement.slug}.ics"


def test_capacite_relevee_promeut_la_liste_d_attente_dans_l_ordre():
    from conseil_ess.comptes.models import Notification
    from evenements.models import Inscription
    from evenements.services import inscrire, promouvoir_liste_attente
    from tests.evenements.fabriques import EvenementFactory
    from tests.factories import UserFactory

    evenement = EvenementFactory(inscription_sur_plateforme=True, capacite=1)
    personnes = UserFactory.create_batch(4)
    for personne in personnes:
        inscrire(evenement, personne)
    evenement.refresh_from_db()
    evenement.capacite = 3
    evenement.save(update_fields=["capacite"])
    promues = promouvoir_liste_attente(evenement)
    assert [p.user for p in promues] == personnes[1:3]
    evenement.refresh_from_db()
    assert evenement.nb_confirmes == 3
    statuts = dict(Inscription.objects.filter(evenement=evenement).values_list("user_id", "statut"))
    assert statuts[personnes[3].pk] == Inscription.Statut.ATTENTE
    assert Notification.objects.filter(destinataire=personnes[1], titre__contains="place s'est libérée").exists()
    assert promouvoir_liste_attente(evenement) == []  # nothing more to do


@pytest.mark.parametrize("slug", ["proposer", "programmes", "perso", "inscriptions"])
def test_slug_reserve_refuse_par_le_modele(slug):
    """The Wagtail admin form validates through the model: a reserved route word is refused there too."""
    from django.core.exceptions import ValidationError

    evenement = EvenementFactory.build(slug=slug)
    with pytest.raises(ValidationError) as exc:
        evenement.clean()
    assert "réservé" in exc.value.message_dict["slug"][0]


def test_modifier_un_evenement_refuse_meme_pendant_la_saisie_est_refuse():
    """The proposer's edit is checked on the locked row: an event refused meanwhile is no longer theirs to edit."""
    proposant = UserFactory()
    evenement = EvenementFactory(propose_par=proposant, publication=Evenement.Publication.A_MODERER, titre="Avant")
    edition = Evenement.objects.get(pk=evenement.pk)
    services.refuser(evenement, par=moderation(), message="Hors du Mois de l'ESS.")
    edition.titre = "Après"
    with pytest.raises(services.ActionImpossible, match="Vous ne pouvez pas modifier cet événement"):
        services.modifier_evenement(edition, ["titre"], par=proposant)
    evenement.refresh_from_db()
    assert (evenement.titre, evenement.publication) == ("Avant", Evenement.Publication.REFUSE)
