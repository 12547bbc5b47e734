"""Structures and memberships are written by ``comptes.services`` only: from the referent's page and from the
Wagtail admin (content through ``modifier_…``/``ajouter_…``, a status chosen in the form through its service)."""

import pytest
from django.urls import reverse

from conseil_ess.comptes import services
from conseil_ess.comptes.models import Adhesion, Notification, Structure
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, StructureFactory, UserFactory
from tests.formulaires_admin import donnees_du_formulaire

pytestmark = pytest.mark.django_db
S, A = Structure.Statut, Adhesion.Statut


@pytest.fixture
def client_agent(client, agent):
    client.force_login(agent)
    return client


def referent_de(structure):
    return AdhesionFactory(structure=structure, role=Adhesion.Role.REFERENT).user


def test_le_referent_modifie_sa_structure_sans_toucher_a_sa_validation(client):
    structure = StructureFactory(nom="La Ressourcerie", statut=S.VALIDEE, motif_refus="")
    client.force_login(referent_de(structure))
    adresse = reverse("comptes:structure_modifier", args=[structure.slug])
    # (A new name, SIRET or legal form would send it back to the secrétariat: test_services_structures.py.)
    reponse = client.post(adresse, {"nom": "La Ressourcerie", "forme_juridique": "association",
                                     "description": "<p>Réemploi<script>x()</script></p>", "statut": "refusee"})
    assert reponse.status_code == 302
    structure.refresh_from_db()
    assert (structure.nom, structure.statut) == ("La Ressourcerie", S.VALIDEE)
    assert structure.description == "<p>Réemploi</p>"  # the script dropped with its content


def test_modifier_structure_refuse_qui_n_en_est_pas_referent():
    structure = StructureFactory()
    with pytest.raises(services.ActionImpossible, match="référent·e de la structure ou le secrétariat"):
        services.modifier_structure(structure, ["nom"], par=UserFactory())


def test_valider_depuis_le_formulaire_passe_par_le_service(client_agent):
    structure = StructureFactory(statut=S.EN_ATTENTE)
    referent = referent_de(structure)
    page = client_agent.get(reverse("structure:edit", args=[structure.pk]))
    reponse = client_agent.post(reverse("structure:edit", args=[structure.pk]),
                                donnees_du_formulaire(page, statut=S.VALIDEE, secteur="Réemploi"))
    assert reponse.status_code == 302
    structure.refresh_from_db()
    assert (structure.statut, structure.secteur) == (S.VALIDEE, "Réemploi") and structure.valide_le
    assert Notification.objects.filter(destinataire=referent, titre__contains="a été validée").exists()


def test_remettre_en_attente_passe_par_le_service(client_agent):
    structure = StructureFactory(statut=S.VALIDEE)
    page = client_agent.get(reverse("structure:edit", args=[structure.pk]))
    client_agent.post(reverse("structure:edit", args=[structure.pk]), donnees_du_formulaire(page, statut=S.EN_ATTENTE))
    structure.refresh_from_db()
    assert structure.statut == S.EN_ATTENTE
    with pytest.raises(services.ActionImpossible, match="déjà en attente"):
        services.remettre_structure_en_attente(structure, par=creer_utilisateur("agent"))


def test_refuser_sans_motif_n_enregistre_rien(client_agent):
    structure = StructureFactory(statut=S.EN_ATTENTE, secteur="Avant")
    page = client_agent.get(reverse("structure:edit", args=[structure.pk]))
    reponse = client_agent.post(reverse("structure:edit", args=[structure.pk]),
                                donnees_du_formulaire(page, statut=S.REFUSEE, motif_refus="", secteur="Après"))
    assert reponse.status_code == 200
    assert "Indiquez le motif du refus" in reponse.content.decode()
    structure.refresh_from_db()
    assert (structure.statut, structure.secteur) == (S.EN_ATTENTE, "Avant")


def test_creer_une_structure_validee_dans_l_administration(client_agent):
    page = client_agent.get(reverse("structure:add"))
    reponse = client_agent.post(reverse("structure:add"), donnees_du_formulaire(
        page, nom="Scop du Pont", slug="scop-du-pont", forme_juridique="scop", statut=S.VALIDEE))
    assert reponse.status_code == 302, reponse.context and reponse.context["form"].errors
    structure = Structure.objects.get(slug="scop-du-pont")
    assert structure.statut == S.VALIDEE and structure.valide_le is not None


def test_une_reponse_a_une_demande_d_adhesion_ne_se_change_plus_a_la_main(client_agent):
    adhesion = AdhesionFactory(statut=A.ACCEPTEE, message="Avant")
    page = client_agent.get(reverse("adhesion:edit", args=[adhesion.pk]))
    reponse = client_agent.post(reverse("adhesion:edit", args=[adhesion.pk]),
                                donnees_du_formulaire(page, statut=A.REFUSEE, message="Après"))
    assert reponse.status_code == 200
    assert "Cette demande a déjà reçu une réponse." in reponse.content.decode()
    adhesion.refresh_from_db()
    assert (adhesion.statut, adhesion.message) == (A.ACCEPTEE, "Avant")


def test_repondre_a_une_demande_depuis_le_formulaire(client_agent, agent):
    adhesion = AdhesionFactory(statut=A.DEMANDEE)
    page = client_agent.get(reverse("adhesion:edit", args=[adhesion.pk]))
    client_agent.post(reverse("adhesion:edit", args=[adhesion.pk]),
                      donnees_du_formulaire(page, statut=A.ACCEPTEE, role=Adhesion.Role.REFERENT))
    adhesion.refresh_from_db()
    assert (adhesion.statut, adhesion.role, adhesion.decide_par) == (A.ACCEPTEE, Adhesion.Role.REFERENT, agent)
    assert Notification.objects.filter(destinataire=adhesion.user, titre__contains="a été acceptée").exists()


def test_ajouter_une_adhesion_acceptee_dans_l_administration(client_agent, agent):
    personne, structure = UserFactory(), StructureFactory()
    page = client_agent.get(reverse("adhesion:add"))
    reponse = client_agent.post(reverse("adhesion:add"), donnees_du_formulaire(
        page, user=personne.pk, structure=structure.pk, role=Adhesion.Role.MEMBRE, statut=A.ACCEPTEE))
    assert reponse.status_code == 302, reponse.context and reponse.context["form"].errors
    adhesion = Adhesion.objects.get(user=personne, structure=structure)
    assert (adhesion.statut, adhesion.decide_par) == (A.ACCEPTEE, agent)
    reponse = client_agent.post(reverse("adhesion:add"), donnees_du_formulaire(
        page, user=personne.pk, structure=structure.pk, role=Adhesion.Role.MEMBRE, statut=A.DEMANDEE))
    assert reponse.status_code == 200
    assert Adhesion.objects.filter(user=personne, structure=structure).count() == 1
