"""The levers written on the champs d'action pages are the suggestions of the proposal form."""

import pytest

from conseil_ess.propositions.extensions import libelles_leviers

pytestmark = pytest.mark.django_db


def test_les_leviers_des_champs_sont_proposes_au_formulaire_des_propositions(creer_champ):
    assert libelles_leviers() == []
    creer_champ(5, leviers=["Réserver des marchés", "Commande publique responsable"])
    creer_champ(2, leviers=["Commande publique responsable", "Aides directes"])

    assert libelles_leviers() == ["Aides directes", "Commande publique responsable", "Réserver des marchés"]
