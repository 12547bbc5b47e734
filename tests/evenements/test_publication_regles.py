"""Moderation publishes only what may be: not a past event, not outside its programme's days, not under a
structure the secrétariat has not validated; each refusal says why, in French. The proposal form keeps an
event within its programme's days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conseil_ess.comptes.models import Structure
from evenements import services
from evenements.models import Evenement
from evenements.services import ActionImpossible
from tests.factories import StructureFactory

from .fabriques import EvenementFactory, ProgrammeFactory, dans
from .test_formulaires_proposer import URL, donnees, porteuse  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
P = Evenement.Publication


def a_moderer(**kwargs):
    return EvenementFactory(publication=P.A_MODERER, **kwargs)


def test_un_evenement_passe_ne_se_publie_pas(agent):
    passe = a_moderer(titre="Forum d'hier", debut=dans(-2), fin=dans(-2) + datetime.timedelta(hours=2))
    with pytest.raises(ActionImpossible, match="« Forum d'hier » est déjà passé"):
        services.publier(passe, par=agent)
    passe.refresh_from_db()
    assert passe.publication == P.A_MODERER


def test_hors_des_dates_du_programme(agent):
    programme = ProgrammeFactory(titre="Mois de l'ESS", date_debut=dans(1).date(), date_fin=dans(20).date())
    dedans = a_moderer(programme=programme, debut=dans(10))
    dehors = a_moderer(titre="Apéro de décembre", programme=programme, debut=dans(25))
    services.publier(dedans, par=agent)
    with pytest.raises(ActionImpossible, match="« Apéro de décembre » a lieu hors des dates du programme "
                                               "« Mois de l'ESS »"):
        services.publier(dehors, par=agent)


def test_seules_les_structures_validees_organisent(agent):
    en_attente = StructureFactory(nom="Jeune pousse", statut=Structure.Statut.EN_ATTENTE)
    evenement = a_moderer(structures=[en_attente, StructureFactory()])
    with pytest.raises(ActionImpossible, match="La structure « Jeune pousse » n'est pas encore validée"):
        services.publier(evenement, par=agent)
    Structure.objects.filter(pk=en_attente.pk).update(statut=Structure.Statut.VALIDEE)
    assert services.publier(evenement, par=agent).publication == P.PUBLIE


def test_publier_depuis_l_admin_dit_pourquoi(client, agent):
    passe = a_moderer(titre="Forum d'hier", debut=dans(-2), fin=dans(-2) + datetime.timedelta(hours=2))
    client.force_login(agent)
    reponse = client.post(reverse("evenements_admin:publier", args=[passe.pk]))
    assert reponse.status_code == 200
    assert "est déjà passé : un événement passé ne se publie pas." in reponse.content.decode()


def test_la_publication_groupee_laisse_ceux_qui_ne_peuvent_pas_l_etre(agent):
    bon = a_moderer()
    passe = a_moderer(debut=dans(-3), fin=dans(-3) + datetime.timedelta(hours=1))
    assert services.publier_en_masse([bon, passe], par=agent) == 1
    bon.refresh_from_db()
    passe.refresh_from_db()
    assert (bon.publication, passe.publication) == (P.PUBLIE, P.A_MODERER)


def test_le_formulaire_garde_l_evenement_dans_son_programme(client, porteuse):  # noqa: F811
    debut = timezone.localdate()
    programme = ProgrammeFactory(titre="Mois de l'ESS", date_debut=debut, date_fin=debut + datetime.timedelta(days=9),
                                 ouvert_aux_propositions=True)
    client.force_login(porteuse)
    reponse = client.post(URL, donnees(programme=programme.pk))  # the form's date: in 15 days
    assert reponse.status_code == 200
    erreurs = reponse.context["form"].errors["programme"]
    assert len(erreurs) == 1 and erreurs[0].startswith("« Mois de l'ESS » va du ")
    assert "choisissez une date dans cette période, ou aucun programme." in erreurs[0]
    assert not Evenement.objects.filter(titre="Visite de la Ressourcerie").exists()
