"""A proposal whose plenary went by without a decision (its prepared scrutin withdrawn when the séance ended)
is inscribed by the secrétariat at another, future plenary: the transition « soumise_pleniere →
soumise_pleniere » of ``workflow`` (rule ``propositions.reinscrire_pleniere``), issue 17."""

import datetime
import html

import pytest
import rules
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from conseil_ess.comptes.models import Notification
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions import services, workflow
from conseil_ess.propositions.models import Etat, Proposition
from conseil_ess.seances import services as seances
from conseil_ess.seances.models import Scrutin
from evenements.models import Evenement, TypeEvenement
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.seances.fabriques import nouvelle_seance, proposition_soumise

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
E = Etat


@pytest.fixture
def apres_la_seance():
    """A séance ended with a prepared scrutin on a proposal (withdrawn), its day now past; a later plenary."""
    agent = creer_utilisateur("agent")
    seance = nouvelle_seance(agent, titre="Séance plénière de printemps")
    p = proposition_soumise(seance, titre="Un fonds de réemploi")
    seances.ajouter_point(seance, agent, "La proposition", scrutin={"objet": Scrutin.Objet.PROPOSITION,
                                                                     "proposition": p})
    seances.publier_ordre_du_jour(seance, agent)
    _clos, retires = seances.terminer_seance(seance, agent)
    assert [s.statut for s in retires] == [Scrutin.Statut.RETIRE]
    passe = timezone.now() - datetime.timedelta(days=2)
    Evenement.objects.filter(pk=seance.evenement_id).update(debut=passe, fin=passe + datetime.timedelta(hours=3))
    suivante = EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE, titre="Séance plénière d'automne")
    p.refresh_from_db()
    assert (p.etat, p.pleniere_id) == (E.SOUMISE_PLENIERE, seance.evenement_id)
    return p, agent, suivante, seance


def test_le_secretariat_inscrit_a_une_autre_seance(apres_la_seance, django_capture_on_commit_callbacks):
    p, agent, suivante, seance = apres_la_seance
    suiveuse = creer_utilisateur("acteur")
    services.suivre(p, suiveuse)
    assert E.SOUMISE_PLENIERE in workflow.transitions_possibles(p, agent)
    with django_capture_on_commit_callbacks(execute=True):
        journal = workflow.changer_etat(p, E.SOUMISE_PLENIERE, agent, pleniere=suivante,
                                        commentaire="Non examinée faute de temps : reportée.")
    p.refresh_from_db()
    assert (p.etat, p.pleniere) == (E.SOUMISE_PLENIERE, suivante)
    assert (journal.de, journal.vers, journal.pleniere, journal.instance) == (
        E.SOUMISE_PLENIERE, E.SOUMISE_PLENIERE, suivante, "secretariat")
    assert ModelLogEntry.objects.filter(action="conseil.proposition.transition", user=agent,
                                        object_id=str(p.pk)).exists()
    assert Notification.objects.filter(destinataire=suiveuse, message__contains="reportée").exists()
    # Once inscribed at a future plenary, no second move until that one is past.
    assert E.SOUMISE_PLENIERE not in workflow.transitions_possibles(p, agent)


@pytest.mark.parametrize("role", ["acteur", "elu", "animateur", "auteur"])
def test_seul_le_secretariat_reinscrit(apres_la_seance, role):
    p, _agent, suivante, _ = apres_la_seance
    user = p.auteur if role == "auteur" else creer_utilisateur(role)
    assert not rules.has_perm("propositions.reinscrire_pleniere", user, p)
    with pytest.raises(ActionImpossible, match="Vous n'avez pas le droit"):
        workflow.changer_etat(p, E.SOUMISE_PLENIERE, user, pleniere=suivante)
    assert Proposition.objects.get(pk=p.pk).pleniere_id != suivante.pk


def test_refus_en_francais(apres_la_seance):
    p, agent, _suivante, seance = apres_la_seance
    with pytest.raises(ActionImpossible, match="déjà inscrite à cette séance plénière"):
        workflow.changer_etat(p, E.SOUMISE_PLENIERE, agent, pleniere=seance.evenement)
    passee = EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE,
                              debut=timezone.now() - datetime.timedelta(days=30))
    with pytest.raises(ActionImpossible, match="a déjà eu lieu : choisissez une séance à venir"):
        workflow.changer_etat(p, E.SOUMISE_PLENIERE, agent, pleniere=passee)
    with pytest.raises(ActionImpossible, match="Choisissez la séance plénière"):
        workflow.changer_etat(p, E.SOUMISE_PLENIERE, agent)
    assert p.transitions.filter(de=E.SOUMISE_PLENIERE).count() == 0


def test_pas_avant_que_la_seance_ait_eu_lieu():
    agent = creer_utilisateur("agent")
    p = proposition_soumise()  # its plenary is in ten days
    assert not rules.has_perm("propositions.reinscrire_pleniere", agent, p)
    with pytest.raises(ActionImpossible, match="ne peut pas passer|Vous n'avez pas le droit"):
        workflow.changer_etat(p, E.SOUMISE_PLENIERE, agent,
                              pleniere=EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE))
    # A cancelled plenary frees it at once.
    Evenement.objects.filter(pk=p.pleniere_id).update(statut=Evenement.Statut.ANNULE)
    p = Proposition.objects.select_related("pleniere").get(pk=p.pk)
    assert rules.has_perm("propositions.reinscrire_pleniere", agent, p)


def test_depuis_la_page_d_instruction(client, apres_la_seance):
    p, agent, suivante, _ = apres_la_seance
    client.force_login(agent)
    url = reverse("propositions_admin:instruire", args=[p.pk])
    page = html.unescape(client.get(url).content.decode())
    assert "Inscrire à une autre séance plénière" in page and "Renvoyer en atelier" in page
    reponse = client.post(url, {"action": "transition", "vers": E.SOUMISE_PLENIERE,
                                f"t-{E.SOUMISE_PLENIERE}-pleniere": suivante.pk,
                                f"t-{E.SOUMISE_PLENIERE}-commentaire": "Reportée à l'automne."}, follow=True)
    messages = [html.unescape(str(m)) for m in reponse.context["messages"]]
    assert any(f"{p.reference} est inscrite à la séance plénière « Séance plénière d'automne »" in m
               for m in messages)
    p.refresh_from_db()
    assert p.pleniere == suivante
    # The public timeline shows the new plenary with the comment.
    client.logout()
    public = html.unescape(client.get(p.get_absolute_url()).content.decode())
    parcours = public[public.index('id="parcours"'):]
    assert "Séance plénière d'automne" in parcours and "Reportée à l'automne." in parcours
