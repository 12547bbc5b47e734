"""The name others see: never a part of the e-mail address (issue 19)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sans_nom_la_personne_apparait_comme_membre():
    personne = UserFactory(email="jeanne.dupont@example.org", nom_affiche="", first_name="", last_name="")
    assert personne.nom_public == "Membre" and str(personne) == "Membre"
    assert "jeanne" not in personne.nom_public


def test_le_nom_affiche_puis_le_nom_complet():
    assert UserFactory(nom_affiche="Camille", first_name="C", last_name="D").nom_public == "Camille"
    assert UserFactory(nom_affiche="", first_name="Camille", last_name="Durand").nom_public == "Camille Durand"
