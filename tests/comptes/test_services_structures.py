import pytest
from django.core.exceptions import ValidationError

from conseil_ess.comptes import services
from conseil_ess.comptes.models import Adhesion, Notification, Structure
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_creer_structure_rend_le_createur_referent_et_previent_le_secretariat(
    acteur, agent, django_capture_on_commit_callbacks
):
    structure = Structure(nom="Les Jardins Partagés", slug="jardins", forme_juridique="association")
    with django_capture_on_commit_callbacks(execute=True):
        services.creer_structure(structure, par=acteur)
    structure.refresh_from_db()
    assert structure.statut == Structure.Statut.EN_ATTENTE
    adhesion = Adhesion.objects.get(user=acteur, structure=structure)
    assert (adhesion.role, adhesion.statut) == (Adhesion.Role.REFERENT, Adhesion.Statut.ACCEPTEE)
    assert Notification.objects.filter(destinataire=agent, titre__contains="Les Jardins Partagés").exists()
    assert not Structure.objects.publiques().filter(pk=structure.pk).exists()


def test_valider_structure_la_rend_publique_et_previent_le_referent(acteur, agent):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    AdhesionFactory(user=acteur, structure=structure, role=Adhesion.Role.REFERENT)
    services.valider_structure(structure, par=agent)
    structure.refresh_from_db()
    assert structure.est_publique and structure.valide_le is not None
    notification = Notification.objects.get(destinataire=acteur)
    assert "a été validée" in notification.titre
    with pytest.raises(services.ActionImpossible):
        services.valider_structure(structure, par=agent)


def test_refuser_structure_exige_un_motif(acteur, agent):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    AdhesionFactory(user=acteur, structure=structure, role=Adhesion.Role.REFERENT)
    with pytest.raises(services.ActionImpossible, match="motif"):
        services.refuser_structure(structure, par=agent, motif="  ")
    services.refuser_structure(structure, par=agent, motif="Pas de lien avec l'ESS.")
    structure.refresh_from_db()
    assert structure.statut == Structure.Statut.REFUSEE
    assert Notification.objects.get(destinataire=acteur).message == "Pas de lien avec l'ESS."


def test_demande_adhesion_puis_acceptation(acteur):
    referent = creer_utilisateur("acteur")
    structure = StructureFactory()
    AdhesionFactory(user=referent, structure=structure, role=Adhesion.Role.REFERENT)
    adhesion = services.demander_adhesion(acteur, structure, "Je suis bénévole.")
    assert adhesion.statut == Adhesion.Statut.DEMANDEE
    assert Notification.objects.filter(destinataire=referent).count() == 1
    with pytest.raises(services.ActionImpossible, match="déjà en attente"):
        services.demander_adhesion(acteur, structure)
    services.decider_adhesion(adhesion, par=referent, accepter=True)
    adhesion.refresh_from_db()
    assert adhesion.statut == Adhesion.Statut.ACCEPTEE and adhesion.decide_par == referent
    assert "acceptée" in Notification.objects.get(destinataire=acteur).titre
    with pytest.raises(services.ActionImpossible, match="déjà reçu une réponse"):
        services.decider_adhesion(adhesion, par=referent, accepter=False)
    with pytest.raises(services.ActionImpossible, match="déjà membre"):
        services.demander_adhesion(acteur, structure)


def test_une_demande_refusee_peut_etre_renouvelee(acteur):
    structure = StructureFactory()
    adhesion = AdhesionFactory(user=acteur, structure=structure, statut=Adhesion.Statut.REFUSEE)
    services.demander_adhesion(acteur, structure)
    adhesion.refresh_from_db()
    assert adhesion.statut == Adhesion.Statut.DEMANDEE


def test_on_ne_rejoint_pas_une_structure_non_validee(acteur):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    with pytest.raises(services.ActionImpossible, match="pas encore validée"):
        services.demander_adhesion(acteur, structure)


def test_le_seul_referent_ne_peut_pas_quitter(acteur):
    structure = StructureFactory()
    AdhesionFactory(user=acteur, structure=structure, role=Adhesion.Role.REFERENT)
    with pytest.raises(services.ActionImpossible, match="seule référent"):
        services.quitter_structure(acteur, structure)
    autre = creer_utilisateur("acteur")
    AdhesionFactory(user=autre, structure=structure, role=Adhesion.Role.REFERENT)
    services.quitter_structure(acteur, structure)
    assert not Adhesion.objects.filter(user=acteur, structure=structure).exists()


def test_siret_invalide_refuse_par_le_modele():
    structure = StructureFactory.build(siret="73282932000075")
    with pytest.raises(ValidationError) as exc:
        structure.full_clean(exclude=["commune"])
    assert "siret" in exc.value.message_dict


@pytest.mark.parametrize(("champ", "valeur"), [("nom", "Nouveau nom"), ("siret", "73282932000074"),
                                               ("forme_juridique", "cooperative")])
def test_un_referent_qui_change_l_identite_d_une_structure_validee_la_renvoie_au_secretariat(acteur, agent, champ,
                                                                                            valeur):
    """Issue 19: a validated structure's name, SIRET or legal form went live without re-validation."""
    from wagtail.models import ModelLogEntry

    structure = StructureFactory(statut=Structure.Statut.VALIDEE)
    AdhesionFactory(user=acteur, structure=structure, role=Adhesion.Role.REFERENT)
    setattr(structure, champ, valeur)
    services.modifier_structure(structure, [champ], par=acteur)
    structure.refresh_from_db()
    assert getattr(structure, champ) == valeur
    assert structure.statut == Structure.Statut.EN_ATTENTE
    assert not Structure.objects.publiques().filter(pk=structure.pk).exists()
    assert Notification.objects.filter(destinataire=agent, titre__contains="à valider de nouveau").exists()
    entree = ModelLogEntry.objects.get(action="conseil.structure.a_revalider", object_id=str(structure.pk))
    assert entree.data["champs"] == [champ]


def test_les_autres_changements_et_ceux_du_secretariat_ne_demandent_pas_de_revalidation(acteur, agent):
    structure = StructureFactory(statut=Structure.Statut.VALIDEE)
    AdhesionFactory(user=acteur, structure=structure, role=Adhesion.Role.REFERENT)
    structure.secteur = "Réemploi"
    services.modifier_structure(structure, ["secteur"], par=acteur)
    structure.nom = "Renommée par le secrétariat"
    services.modifier_structure(structure, ["nom"], par=agent)
    structure.refresh_from_db()
    assert structure.statut == Structure.Statut.VALIDEE
