"""The ateliers' services: membership, meetings, attendance, minutes, cycles and the animateur·rice group."""

import datetime

import pytest

from ateliers import services
from ateliers.models import Atelier, CompteRendu, Cycle, Participation, Presence, Reunion
from conseil_ess.comptes import roles
from conseil_ess.comptes.models import Notification
from evenements.models import Evenement, TypeEvenement
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import LieuFactory, dans
from tests.factories import StructureFactory, UserFactory

from .fabriques import AtelierFactory, CycleFactory, ParticipationFactory, creer_reunion, creer_reunion_directe

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
PS = Participation.Statut


@pytest.fixture
def animatrice():
    return UserFactory(first_name="Nadia", last_name="Benarfa")


@pytest.fixture
def atelier(animatrice):
    return AtelierFactory(titre="Foncier", slug="foncier", animateurs=[animatrice])


@pytest.fixture
def sur_demande(animatrice):
    return AtelierFactory(titre="Achats", mode_adhesion=Atelier.Adhesion.SUR_DEMANDE, animateurs=[animatrice])


@pytest.fixture
def membre(atelier):
    return ParticipationFactory(atelier=atelier).user


def notifies(**filtre):
    return sorted(n.destinataire.pk for n in Notification.objects.filter(**filtre))


def est_animateur(user):
    return user.groups.filter(name=roles.ANIMATEUR).exists()


def archiver(cycle):
    Cycle.objects.filter(pk=cycle.pk).update(statut=Cycle.Statut.ARCHIVE)
    cycle.refresh_from_db()


# --- Membership -----------------------------------------------------------------------------------


def test_rejoindre_un_atelier_ouvert(atelier, animatrice):
    personne = UserFactory()
    participation = services.rejoindre(atelier, personne)
    assert participation.statut == PS.ACCEPTEE
    assert personne in services.membres(atelier) and atelier in services.ateliers_de(personne)
    assert not Notification.objects.exists()


def test_rejoindre_sur_demande_previent_l_animation(sur_demande, animatrice):
    personne = UserFactory(first_name="Louis", last_name="Marchal")
    participation = services.rejoindre(sur_demande, personne, message="Je travaille sur les achats.")
    assert participation.statut == PS.DEMANDEE
    assert personne not in services.membres(sur_demande)
    notification = Notification.objects.get()
    assert notification.destinataire == animatrice
    assert notification.titre == "Louis Marchal demande à rejoindre l'atelier « Achats »"
    assert notification.message == "Je travaille sur les achats."


@pytest.mark.parametrize("statut, message", [(PS.ACCEPTEE, "déjà partie"), (PS.DEMANDEE, "déjà en attente")])
def test_rejoindre_deux_fois(sur_demande, statut, message):
    participation = ParticipationFactory(atelier=sur_demande, statut=statut)
    with pytest.raises(services.ActionImpossible, match=message):
        services.rejoindre(sur_demande, participation.user)
    assert Participation.objects.count() == 1


def test_l_animatrice_ne_rejoint_pas_son_atelier(atelier, animatrice):
    with pytest.raises(services.ActionImpossible, match="Vous animez cet atelier"):
        services.rejoindre(atelier, animatrice)


def test_quitter_puis_revenir(atelier, membre):
    services.quitter(atelier, membre)
    participation = Participation.objects.get(user=membre)
    assert participation.statut == PS.PARTIE
    assert membre not in services.membres(atelier)
    with pytest.raises(services.ActionImpossible, match="ne faites pas partie"):
        services.quitter(atelier, membre)

    revenu = services.rejoindre(atelier, membre)
    assert revenu.pk == participation.pk and revenu.statut == PS.ACCEPTEE


def test_retirer_sa_demande(sur_demande):
    personne = UserFactory()
    services.rejoindre(sur_demande, personne)
    services.quitter(sur_demande, personne)
    assert Participation.objects.get().statut == PS.PARTIE


def test_l_animatrice_ne_quitte_pas_son_atelier(atelier, animatrice):
    with pytest.raises(services.ActionImpossible, match="demandez au secrétariat"):
        services.quitter(atelier, animatrice)
    assert animatrice in services.membres(atelier)


def test_decider_une_demande(sur_demande, animatrice, mailoutbox, django_capture_on_commit_callbacks):
    acceptee, refusee = (ParticipationFactory(atelier=sur_demande, statut=PS.DEMANDEE) for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        services.decider_participation(acceptee, par=animatrice, accepter=True)
        services.decider_participation(refusee, par=animatrice, accepter=False)

    acceptee.refresh_from_db()
    refusee.refresh_from_db()
    assert (acceptee.statut, acceptee.decide_par) == (PS.ACCEPTEE, animatrice)
    assert refusee.statut == PS.REFUSEE
    assert Notification.objects.get(destinataire=acceptee.user).titre == "Bienvenue dans l'atelier « Achats »"
    assert "n'a pas été acceptée" in Notification.objects.get(destinataire=refusee.user).titre
    assert sorted(m.to[0] for m in mailoutbox) == sorted([acceptee.user.email, refusee.user.email])

    for participation in (acceptee, refusee):
        with pytest.raises(services.ActionImpossible, match="déjà reçu une réponse"):
            services.decider_participation(participation, par=animatrice, accepter=True)
    assert Notification.objects.count() == 2


def test_un_cycle_archive_refuse_adhesions_decisions_et_reunions(sur_demande, animatrice):
    demande = ParticipationFactory(atelier=sur_demande, statut=PS.DEMANDEE)
    archiver(sur_demande.cycle)
    sur_demande.refresh_from_db()
    with pytest.raises(services.ActionImpossible, match="archivé"):
        services.rejoindre(sur_demande, UserFactory())
    with pytest.raises(services.ActionImpossible, match="archivé"):
        services.decider_participation(demande, par=animatrice, accepter=True)
    with pytest.raises(services.ActionImpossible, match="archivé"):
        creer_reunion(sur_demande, par=animatrice)
    assert not Reunion.objects.exists() and not Evenement.objects.exists()


# --- Meetings -------------------------------------------------------------------------------------


def test_planifier_une_reunion(atelier, animatrice, membre, mailoutbox, django_capture_on_commit_callbacks):
    parti = ParticipationFactory(atelier=atelier, statut=PS.PARTIE).user
    en_attente = ParticipationFactory(atelier=atelier, statut=PS.DEMANDEE).user
    structure = StructureFactory()
    atelier.structures_coanimatrices.add(structure)

    with django_capture_on_commit_callbacks(execute=True):
        reunion = creer_reunion(atelier, par=animatrice, resume="Point d'étape.")

    evenement = reunion.evenement
    assert evenement.type == TypeEvenement.REUNION_ATELIER
    assert evenement.publication == Evenement.Publication.PUBLIE
    assert evenement.titre == "Réunion de l'atelier « Foncier »"
    assert evenement.slug.startswith("foncier-") and evenement.propose_par == animatrice
    assert list(evenement.champs.all()) == list(atelier.champs.all())
    assert list(evenement.structures.all()) == [structure]
    assert reunion.cree_par == animatrice
    # Members are told (in-app and by e-mail), not the author, nor people who left or are waiting.
    assert notifies() == [membre.pk]
    notification = Notification.objects.get()
    assert notification.titre.startswith("Nouvelle réunion de l'atelier « Foncier »")
    assert notification.url == reunion.get_absolute_url() and notification.message == "Point d'étape."
    assert [m.to for m in mailoutbox] == [[membre.email]]
    assert parti.pk not in notifies() and en_attente.pk not in notifies()


def test_deux_reunions_le_meme_jour_ont_deux_adresses(atelier):
    premiere, seconde = creer_reunion(atelier), creer_reunion(atelier)
    assert premiere.evenement.slug != seconde.evenement.slug


def test_modifier_une_reunion_previent_seulement_si_l_heure_ou_le_lieu_change(atelier, animatrice, membre):
    reunion = creer_reunion(atelier, par=animatrice)
    Notification.objects.all().delete()
    evenement = Evenement.objects.get(pk=reunion.evenement_id)

    evenement.resume = "Nouveau résumé"
    services.modifier_reunion(reunion, evenement, par=animatrice, ordre_du_jour="<p>Ordre du jour</p>")
    assert not Notification.objects.exists()
    reunion.refresh_from_db()
    assert reunion.ordre_du_jour == "<p>Ordre du jour</p>"

    evenement.debut += datetime.timedelta(days=1)
    evenement.fin += datetime.timedelta(days=1)
    services.modifier_reunion(reunion, evenement, par=animatrice)
    assert notifies() == [membre.pk]
    assert Notification.objects.get().titre.startswith("Réunion déplacée : atelier « Foncier »")

    Notification.objects.all().delete()
    evenement.lieu = LieuFactory()
    services.modifier_reunion(reunion, evenement, par=animatrice)
    assert notifies() == [membre.pk]


def test_annuler_une_reunion(atelier, animatrice, membre):
    reunion = creer_reunion(atelier, par=animatrice)
    Notification.objects.all().delete()

    with pytest.raises(services.ActionImpossible, match="motif"):
        services.annuler_reunion(reunion, par=animatrice, motif="")
    services.annuler_reunion(reunion, par=animatrice, motif="Salle indisponible.")

    reunion.evenement.refresh_from_db()
    assert reunion.evenement.statut == Evenement.Statut.ANNULE
    assert reunion.evenement.motif_statut == "Salle indisponible."
    assert reunion.evenement.publication == Evenement.Publication.PUBLIE  # stays in the agenda, cancelled
    assert notifies() == [membre.pk] and Notification.objects.get().message == "Salle indisponible."
    with pytest.raises(services.ActionImpossible, match="déjà annulée"):
        services.annuler_reunion(reunion, par=animatrice, motif="Encore")


# --- Attendance -----------------------------------------------------------------------------------


def test_pas_de_presences_avant_le_debut(atelier, animatrice, membre):
    reunion = creer_reunion(atelier, par=animatrice)
    with pytest.raises(services.ActionImpossible, match="pas encore commencé"):
        services.enregistrer_presences(reunion, [membre], 2, par=animatrice)
    assert not Presence.objects.exists()


def test_enregistrer_puis_corriger_les_presences(atelier, animatrice, membre):
    autre = ParticipationFactory(atelier=atelier).user
    reunion = creer_reunion_directe(atelier, jours=-1)

    services.enregistrer_presences(reunion, [membre, autre, animatrice], 3, par=animatrice)
    reunion.refresh_from_db()
    assert (reunion.nb_presents, reunion.participants_sans_compte, reunion.nb_participants) == (3, 3, 6)
    assert reunion.presences_saisies_le is not None
    assert set(Presence.objects.values_list("user", flat=True)) == {membre.pk, autre.pk, animatrice.pk}

    services.enregistrer_presences(reunion, [membre], 0, par=animatrice)
    reunion.refresh_from_db()
    assert reunion.nb_presents == 1 and reunion.nb_participants == 1
    assert list(Presence.objects.values_list("user", flat=True)) == [membre.pk]


def test_pas_de_presences_pour_une_reunion_annulee(atelier, animatrice):
    reunion = creer_reunion_directe(atelier, jours=-1)
    Evenement.objects.filter(pk=reunion.evenement_id).update(statut=Evenement.Statut.ANNULE)
    with pytest.raises(services.ActionImpossible, match="annulée"):
        services.enregistrer_presences(reunion, [], 0, par=animatrice)


# --- Minutes --------------------------------------------------------------------------------------


def test_compte_rendu_nettoye_publie_puis_retire(atelier, animatrice, membre, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    reunion = creer_reunion_directe(atelier, jours=-2)
    with pytest.raises(services.ActionImpossible, match="vide"):
        services.enregistrer_compte_rendu(reunion, "   ", False, par=animatrice)

    compte_rendu = services.enregistrer_compte_rendu(
        reunion, '<p onclick="x()">Décisions<script>alert(1)</script></p><a href="javascript:x">lien</a>', False,
        par=animatrice)
    assert compte_rendu.statut == CompteRendu.Statut.BROUILLON and compte_rendu.redige_par == animatrice
    assert "<p>Décisions" in compte_rendu.contenu
    for hostile in ("<script", "onclick", "javascript:"):
        assert hostile not in compte_rendu.contenu

    with django_capture_on_commit_callbacks(execute=True):
        services.publier_compte_rendu(compte_rendu, par=animatrice)
    compte_rendu.refresh_from_db()
    assert compte_rendu.est_publie and compte_rendu.publie_le is not None
    assert notifies() == [membre.pk]
    assert Notification.objects.get().titre.startswith("Compte rendu publié : atelier « Foncier »")
    assert [m.to for m in mailoutbox] == [[membre.email]]
    with pytest.raises(services.ActionImpossible, match="déjà publié"):
        services.publier_compte_rendu(compte_rendu, par=animatrice)

    # Edited while published: it stays published, cleaned again.
    compte_rendu = services.enregistrer_compte_rendu(reunion, "<p>Corrigé</p><iframe></iframe>", True,
                                                     par=animatrice)
    assert compte_rendu.est_publie and compte_rendu.interne and "<iframe" not in compte_rendu.contenu

    services.retirer_compte_rendu(compte_rendu, par=animatrice)
    compte_rendu.refresh_from_db()
    assert compte_rendu.statut == CompteRendu.Statut.BROUILLON and compte_rendu.publie_le is None
    with pytest.raises(services.ActionImpossible, match="n'est pas publié"):
        services.retirer_compte_rendu(compte_rendu, par=animatrice)


def test_pas_de_compte_rendu_publie_avant_la_reunion(atelier, animatrice):
    reunion = creer_reunion(atelier, par=animatrice)
    compte_rendu = services.enregistrer_compte_rendu(reunion, "<p>Préparé à l'avance</p>", False, par=animatrice)
    with pytest.raises(services.ActionImpossible, match="pas encore eu lieu"):
        services.publier_compte_rendu(compte_rendu, par=animatrice)
    compte_rendu.refresh_from_db()
    assert compte_rendu.statut == CompteRendu.Statut.BROUILLON


# --- The animateur·rice group ---------------------------------------------------------------------


def test_nommer_et_retirer_un_animateur_suit_le_groupe():
    atelier, autre = AtelierFactory(), AtelierFactory()
    personne = UserFactory()

    atelier.animateurs.add(personne)
    assert est_animateur(personne)
    autre.animateurs.add(personne)
    atelier.animateurs.remove(personne)
    assert est_animateur(personne)  # still runs the other one
    autre.animateurs.clear()
    assert not est_animateur(personne)

    personne.ateliers_animes.add(atelier)  # from the person's side
    assert est_animateur(personne)
    atelier.animateurs.set([])
    assert not est_animateur(personne)


def test_archiver_un_cycle_retire_le_groupe_sauf_atelier_en_cours():
    ancien, nouveau = CycleFactory(), CycleFactory()
    seule, double = UserFactory(), UserFactory()
    AtelierFactory(cycle=ancien, animateurs=[seule, double])
    AtelierFactory(cycle=nouveau, animateurs=[double])

    cycle = services.archiver_cycle(ancien, par=None)

    assert cycle.est_archive and cycle.archive_le is not None
    assert not est_animateur(seule) and est_animateur(double)
    with pytest.raises(services.ActionImpossible, match="déjà archivé"):
        services.archiver_cycle(ancien, par=None)


def test_un_animateur_nomme_dans_un_cycle_archive_n_a_pas_le_role():
    atelier = AtelierFactory(cycle=CycleFactory(statut=Cycle.Statut.ARCHIVE))
    personne = UserFactory()
    atelier.animateurs.add(personne)
    assert not est_animateur(personne)


def test_la_reunion_planifiee_entre_dans_l_agenda_a_la_bonne_date(atelier, animatrice):
    debut = dans(12, 14)
    evenement = Evenement(debut=debut, fin=debut + datetime.timedelta(hours=3), lieu=LieuFactory())
    reunion = services.planifier_reunion(atelier, evenement, animatrice,
                                         ordre_du_jour="<p>Point</p><script>alert(1)</script>")
    assert Evenement.objects.publies().filter(pk=reunion.evenement_id, debut=debut).exists()
    assert reunion.ordre_du_jour.startswith("<p>Point</p>") and "<script" not in reunion.ordre_du_jour


def test_une_modification_ne_defait_pas_une_annulation_faite_entre_temps():
    """The edit form's event was read before a cancellation: saving it must not un-cancel the meeting."""
    from ateliers import services
    from ateliers.services import ActionImpossible
    from evenements.models import Evenement
    from tests.ateliers.fabriques import AtelierFactory, creer_reunion_directe

    reunion = creer_reunion_directe(AtelierFactory(), jours=5)
    copie_du_formulaire = Evenement.objects.get(pk=reunion.evenement_id)
    copie_du_formulaire.titre = "Nouveau titre"
    services.annuler_reunion(reunion, creer_utilisateur("agent"), "Salle indisponible")
    with pytest.raises(ActionImpossible):
        services.modifier_reunion(reunion, copie_du_formulaire, None)
    evenement = Evenement.objects.get(pk=reunion.evenement_id)
    assert evenement.statut == Evenement.Statut.ANNULE and evenement.titre != "Nouveau titre"


def test_un_document_refuse_par_le_service_meme_sans_formulaire():
    from django.core.files.base import ContentFile

    from ateliers import services
    from ateliers.models import DocumentCompteRendu
    from ateliers.services import ActionImpossible
    from tests.ateliers.fabriques import AtelierFactory, creer_reunion_directe, publier_compte_rendu

    compte_rendu = publier_compte_rendu(creer_reunion_directe(AtelierFactory(), jours=-2))
    with pytest.raises(ActionImpossible, match="extension"):
        services.ajouter_document(compte_rendu, "Programme", ContentFile(b"MZ", name="virus.exe"), None)
    assert not DocumentCompteRendu.objects.exists()
