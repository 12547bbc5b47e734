"""The author's edit (``services.enregistrer``) writes only the author's own columns, on the locked row: a
transition committed while the author was typing survives it. The real race is tested on PostgreSQL in
``test_concurrence.py``; here the interleaving is simulated by committing the transition at the moment the
author's row is written."""

import pytest

from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions import services, workflow
from conseil_ess.propositions.models import Etat, Proposition
from tests.conftest import creer_utilisateur
from tests.factories import CommuneFactory

from .fabriques import PropositionFactory, proposition_en

pytestmark = pytest.mark.django_db
E = Etat


def test_une_transition_validee_pendant_l_ecriture_survit(monkeypatch):
    p = proposition_en(E.DEPOSEE, titre="Titre d'origine")
    agent = creer_utilisateur("agent")
    edition = Proposition.objects.get(pk=p.pk)  # the author's form, opened while the proposal is submitted
    edition.titre = "Titre corrigé"
    ecrire = Proposition.save
    deja = []

    def transition_puis_ecriture(self, *args, **kwargs):
        if self is edition and not deja:  # the agent's transition commits just before the author's write
            deja.append(True)
            workflow.changer_etat(Proposition.objects.get(pk=p.pk), E.EN_INSTRUCTION, agent)
        return ecrire(self, *args, **kwargs)

    monkeypatch.setattr(Proposition, "save", transition_puis_ecriture)
    services.enregistrer(edition, p.auteur)

    assert deja
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION  # the transition was not undone by the author's save
    assert p.transitions.last().vers == E.EN_INSTRUCTION
    assert p.titre == "Titre corrigé"


def test_seules_les_colonnes_de_l_auteur_sont_ecrites():
    p = proposition_en(E.DEPOSEE, titre="Avant")
    edition = Proposition.objects.get(pk=p.pk)
    Proposition.objects.filter(pk=p.pk).update(motif="Écrit ailleurs", service_responsable="Direction")
    edition.titre, edition.motif = "Après", "Glissé dans le formulaire"
    services.enregistrer(edition, p.auteur, communes=[CommuneFactory()])
    p.refresh_from_db()
    assert (p.titre, p.motif, p.service_responsable) == ("Après", "Écrit ailleurs", "Direction")
    assert p.communes.count() == 1


def test_refus_en_francais_quand_elle_n_est_plus_modifiable():
    p = proposition_en(E.DEPOSEE)
    edition = Proposition.objects.get(pk=p.pk)
    workflow.changer_etat(p, E.EN_INSTRUCTION, creer_utilisateur("agent"))
    edition.titre = "Trop tard"
    with pytest.raises(ActionImpossible, match="elle ne peut plus être modifiée"):
        services.enregistrer(edition, p.auteur)
    assert Proposition.objects.get(pk=p.pk).titre != "Trop tard"


def test_refus_a_qui_n_est_pas_l_auteur():
    p = PropositionFactory()
    with pytest.raises(ActionImpossible, match="Seul·e l'auteur·rice"):
        services.enregistrer(p, creer_utilisateur("acteur"))
