"""The séances' permissions (django-rules)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conseil_ess.comptes import roles
from conseil_ess.comptes.models import MembreConseil
from conseil_ess.seances import services
from tests.factories import UserFactory

from .fabriques import membre_en_exercice, nouvelle_seance, presents, seance_avec_scrutin, un_agent

pytestmark = pytest.mark.django_db


def test_voir_une_seance():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    acteur, elu = UserFactory(), UserFactory(roles=[roles.ELU])
    assert not acteur.has_perm("seances.voir", seance)
    assert agent.has_perm("seances.voir", seance) and elu.has_perm("seances.voir", seance)
    services.ajouter_point(seance, agent, "Accueil")
    services.publier_ordre_du_jour(seance, agent)
    seance.refresh_from_db()
    assert acteur.has_perm("seances.voir", seance)
    assert AnonymousUser().has_perm("seances.voir", seance)


def test_gerer_et_voir_les_emargements():
    seance = nouvelle_seance()
    agent, membre, elu = un_agent(), membre_en_exercice(), UserFactory(roles=[roles.ELU])
    assert agent.has_perm("seances.gerer_seance", seance)
    assert not membre.has_perm("seances.gerer_seance", seance) and not elu.has_perm("seances.gerer_seance", seance)
    assert elu.has_perm("seances.voir_emargements", seance) and not membre.has_perm("seances.voir_emargements", seance)


def test_emarger():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    membre, acteur = membre_en_exercice(), UserFactory()
    assert not membre.has_perm("seances.emarger", seance)  # agenda not published yet
    services.ajouter_point(seance, agent, "Accueil")
    services.publier_ordre_du_jour(seance, agent)
    seance.refresh_from_db()
    assert membre.has_perm("seances.emarger", seance)
    assert not acteur.has_perm("seances.emarger", seance)
    suspendu = membre_en_exercice()
    MembreConseil.objects.filter(user=suspendu).update(statut=MembreConseil.Statut.SUSPENDU)
    assert not suspendu.has_perm("seances.emarger", seance)


def test_voter():
    seance, scrutin, agent = seance_avec_scrutin(ouvrir=False)
    (emarge,) = presents(seance, 1, agent)
    non_emarge = membre_en_exercice()
    assert not emarge.has_perm("seances.voter", scrutin)  # not open yet
    services.ouvrir_scrutin(scrutin, agent)
    scrutin.refresh_from_db()
    assert emarge.has_perm("seances.voter", scrutin)
    assert not non_emarge.has_perm("seances.voter", scrutin)
    assert not agent.has_perm("seances.voter", scrutin)
    services.clore_scrutin(scrutin, agent)
    scrutin.refresh_from_db()
    assert not emarge.has_perm("seances.voter", scrutin)
