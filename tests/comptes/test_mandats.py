"""Membership of the Conseil: requests, decisions, the "Membre du Conseil" group, the public list."""

import pytest
from django.db import IntegrityError, transaction

from conseil_ess.comptes import roles, services
from conseil_ess.comptes.models import Adhesion, MembreConseil, Notification, Structure
from conseil_ess.comptes.predicates import est_membre
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, StructureFactory

from .fabriques import CollegeFactory, MembreConseilFactory, acteur_de, college

pytestmark = pytest.mark.django_db
S = MembreConseil.Statut


@pytest.fixture
def demandeur():
    return acteur_de(StructureFactory(nom="Les Jardins de la Lère"))


def structure_de(user):
    return user.adhesions.get().structure


def demander(user, **kwargs):
    return services.demander_mandat_conseil(user, structure_de(user), college(), **kwargs)


def dans_le_groupe(user):
    return user.groups.filter(name=roles.MEMBRE).exists()


# --- The request ----------------------------------------------------------------------------------


def test_une_demande_pour_sa_structure_validee_previent_les_agents(demandeur, agent):
    mandat = demander(demandeur, motivation="Je représente une AMAP.", affichage_public=False)

    assert mandat.statut == S.DEMANDE and mandat.college.slug == "associations"
    assert mandat.motivation == "Je représente une AMAP." and mandat.affichage_public is False
    assert not dans_le_groupe(demandeur)
    notification = Notification.objects.get(destinataire=agent)
    assert "Les Jardins de la Lère" in notification.titre
    assert notification.url == "/admin/conseil/membres/?statut=demande"
    assert not Notification.objects.filter(destinataire=demandeur).exists()


def test_seulement_pour_une_structure_dont_on_est_membre(demandeur):
    autre = StructureFactory()
    with pytest.raises(services.ActionImpossible, match="structure dont vous êtes membre"):
        services.demander_mandat_conseil(demandeur, autre, college())
    demande_en_cours = AdhesionFactory(user=demandeur, structure=autre, statut=Adhesion.Statut.DEMANDEE)
    with pytest.raises(services.ActionImpossible, match="structure dont vous êtes membre"):
        services.demander_mandat_conseil(demandeur, demande_en_cours.structure, college())
    assert not MembreConseil.objects.exists()


def test_seulement_pour_une_structure_validee(demandeur):
    Structure.objects.filter(pk=structure_de(demandeur).pk).update(statut=Structure.Statut.EN_ATTENTE)
    with pytest.raises(services.ActionImpossible, match="pas encore validée"):
        demander(demandeur)
    assert not MembreConseil.objects.exists()


def test_pas_dans_un_college_ferme(demandeur):
    ferme = CollegeFactory(actif=False)
    with pytest.raises(services.ActionImpossible, match="n'accueille plus"):
        services.demander_mandat_conseil(demandeur, structure_de(demandeur), ferme)


@pytest.mark.parametrize("statut, message", [
    (S.DEMANDE, "déjà en attente"), (S.VALIDE, "déjà membre"), (S.SUSPENDU, "suspendu"),
])
def test_une_seule_demande_active(demandeur, statut, message):
    MembreConseilFactory(user=demandeur, structure=structure_de(demandeur), statut=statut)
    with pytest.raises(services.ActionImpossible, match=message):
        demander(demandeur)
    assert MembreConseil.objects.count() == 1


def test_la_base_refuse_un_second_mandat_actif(demandeur):
    structure = structure_de(demandeur)
    MembreConseilFactory(user=demandeur, structure=structure, statut=S.REFUSE)
    MembreConseilFactory(user=demandeur, structure=structure, statut=S.REFUSE)  # history: several refusals
    MembreConseilFactory(user=demandeur, structure=structure, statut=S.DEMANDE)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembreConseilFactory(user=demandeur, structure=structure, statut=S.SUSPENDU)


def test_une_course_entre_deux_demandes_devient_un_message(demandeur, monkeypatch):
    """Two clicks at once both pass the check; the constraint stops the second one with a clear message."""
    mandat = demander(demandeur)
    premier_filtre = MembreConseil.objects.filter

    def sans_le_premier(*args, **kwargs):
        return premier_filtre(*args, **kwargs).exclude(pk=mandat.pk)

    monkeypatch.setattr(MembreConseil.objects, "filter", sans_le_premier)
    with pytest.raises(services.ActionImpossible, match="déjà en attente"):
        demander(demandeur)
    monkeypatch.undo()
    assert MembreConseil.objects.count() == 1


# --- Decisions ------------------------------------------------------------------------------------


def test_valider_donne_le_groupe_et_previent_par_notification_et_courriel(
        demandeur, agent, mailoutbox, django_capture_on_commit_callbacks):
    mandat = demander(demandeur)
    with django_capture_on_commit_callbacks(execute=True):
        services.valider_mandat_conseil(mandat, par=agent)

    mandat.refresh_from_db()
    assert mandat.statut == S.VALIDE and mandat.decide_par == agent and mandat.decide_le is not None
    assert dans_le_groupe(demandeur) and est_membre(demandeur)
    notification = Notification.objects.get(destinataire=demandeur)
    assert notification.titre == "Vous êtes membre du Conseil de l'ESS, pour « Les Jardins de la Lère »"
    assert notification.url == "/conseil/mon-mandat/"
    assert [m.to for m in mailoutbox] == [[demandeur.email]]
    assert mailoutbox[0].subject == notification.titre
    assert "/conseil/mon-mandat/" in mailoutbox[0].body


def test_valider_deux_fois_est_refuse(demandeur, agent):
    mandat = demander(demandeur)
    services.valider_mandat_conseil(mandat, par=agent)
    with pytest.raises(services.ActionImpossible, match="« Membre »"):
        services.valider_mandat_conseil(mandat, par=agent)
    assert Notification.objects.filter(destinataire=demandeur).count() == 1


@pytest.mark.parametrize("decision", [services.refuser_mandat_conseil, services.suspendre_mandat_conseil])
def test_refuser_et_suspendre_demandent_un_motif(demandeur, agent, decision):
    mandat = demander(demandeur)
    if decision is services.suspendre_mandat_conseil:
        services.valider_mandat_conseil(mandat, par=agent)
    avant = MembreConseil.objects.get().statut
    for motif in ("", "   ", None):
        with pytest.raises(services.ActionImpossible, match="motif"):
            decision(mandat, par=agent, motif=motif)
    assert MembreConseil.objects.get().statut == avant


def test_refuser_previent_avec_le_motif_et_permet_une_nouvelle_demande(
        demandeur, agent, mailoutbox, django_capture_on_commit_callbacks):
    mandat = demander(demandeur)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuser_mandat_conseil(mandat, par=agent, motif="Structure hors du territoire.")

    mandat.refresh_from_db()
    assert mandat.statut == S.REFUSE and mandat.motif == "Structure hors du territoire."
    assert not dans_le_groupe(demandeur)
    notification = Notification.objects.get(destinataire=demandeur)
    assert "n'a pas été retenue" in notification.titre and notification.message == "Structure hors du territoire."
    assert "Structure hors du territoire." in mailoutbox[0].body

    nouvelle = demander(demandeur)
    assert nouvelle.pk != mandat.pk and nouvelle.statut == S.DEMANDE
    with pytest.raises(services.ActionImpossible):  # a refused request is history: it is not refused again
        services.refuser_mandat_conseil(mandat, par=agent, motif="Encore")


def test_suspendre_retire_le_groupe_et_retablir_le_rend(demandeur, agent, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    mandat = demander(demandeur)
    services.valider_mandat_conseil(mandat, par=agent)
    assert dans_le_groupe(demandeur)

    with django_capture_on_commit_callbacks(execute=True):
        services.suspendre_mandat_conseil(mandat, par=agent, motif="Absences répétées.")
    mandat.refresh_from_db()
    assert mandat.statut == S.SUSPENDU and mandat.motif == "Absences répétées."
    assert not dans_le_groupe(demandeur) and not est_membre(demandeur)
    assert not MembreConseil.objects.publics().exists()
    assert "est suspendu" in mailoutbox[-1].subject

    with pytest.raises(services.ActionImpossible):
        services.refuser_mandat_conseil(mandat, par=agent, motif="Non")
    services.valider_mandat_conseil(mandat, par=agent)  # rétablir
    mandat.refresh_from_db()
    assert mandat.statut == S.VALIDE and mandat.motif == ""
    assert dans_le_groupe(demandeur)


def test_le_groupe_suit_le_mandat_de_chacun(agent):
    premier, second = acteur_de(), acteur_de()
    mandats = [demander(premier), demander(second)]
    for mandat in mandats:
        services.valider_mandat_conseil(mandat, par=agent)
    services.suspendre_mandat_conseil(mandats[0], par=agent, motif="Départ de la structure.")
    assert not dans_le_groupe(premier) and dans_le_groupe(second)


def test_un_membre_deja_dans_le_groupe_par_le_role_le_perd_sans_mandat_valide(agent):
    """The group means "has a valid membership": a stale group is corrected by the next decision."""
    personne = creer_utilisateur("membre")
    acteur_de(user=personne)
    mandat = demander(personne)
    services.refuser_mandat_conseil(mandat, par=agent, motif="Doublon.")
    assert not dans_le_groupe(personne)


# --- Public listing -------------------------------------------------------------------------------


def test_ne_pas_apparaitre_dans_la_liste_publique(demandeur, agent):
    mandat = demander(demandeur)
    services.valider_mandat_conseil(mandat, par=agent)
    assert list(MembreConseil.objects.publics()) == [mandat]

    services.changer_affichage_mandat(demandeur, False)
    assert not MembreConseil.objects.publics().exists()
    assert list(MembreConseil.objects.valides()) == [mandat]  # still a member, still counted
    services.changer_affichage_mandat(demandeur, True)
    assert list(MembreConseil.objects.publics()) == [mandat]


def test_changer_l_affichage_sans_mandat_est_refuse(demandeur, agent):
    with pytest.raises(services.ActionImpossible, match="pas de mandat"):
        services.changer_affichage_mandat(demandeur, False)
    mandat = demander(demandeur)
    services.refuser_mandat_conseil(mandat, par=agent, motif="Non.")
    with pytest.raises(services.ActionImpossible, match="pas de mandat"):
        services.changer_affichage_mandat(demandeur, False)
    mandat.refresh_from_db()
    assert mandat.affichage_public is True  # refused history is left as it was


@pytest.mark.parametrize("statut", [S.DEMANDE, S.REFUSE, S.SUSPENDU])
def test_seuls_les_membres_valides_sont_publics(statut):
    MembreConseilFactory(statut=statut)
    assert not MembreConseil.objects.publics().exists()
