"""The one workflow service of proposals: every allowed and every forbidden transition, per role.

``workflow.REGLES`` is the table; ``test_la_table_suit_le_cycle_de_vie`` pins it to the lifecycle of
DESIGN.md §3 / DOMAINE.md §6 so that it cannot drift silently. The matrix then tries every
(from-state, to-state) pair for six people: the author (a plain acteur), another acteur, a member of
the Conseil, an animateur, an agent of the secrétariat and an élu·e.
"""

import datetime
import itertools

import pytest
from django.core import mail
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from conseil_ess.comptes.models import Notification
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions import services, workflow
from conseil_ess.propositions.models import CompteurReference, Etat, Proposition, Transition
from evenements.models import TypeEvenement
from tests.ateliers.fabriques import AtelierFactory
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory

from .fabriques import PropositionFactory, proposition_en

E = Etat
I = Transition.Instance  # noqa: E741
ROLES = ["auteur", "autre_acteur", "membre", "animateur", "agent", "elu"]
_numeros = itertools.count(1)

# The lifecycle of DESIGN.md §3, written out edge by edge, with who may take each edge.
A, S, L = frozenset({"auteur"}), frozenset({"agent"}), frozenset({"agent", "elu"})
ATTENDUES = {
    (E.BROUILLON, E.DEPOSEE): A,
    (E.DEPOSEE, E.EN_INSTRUCTION): S,
    (E.EN_INSTRUCTION, E.REORIENTEE): S,
    (E.EN_INSTRUCTION, E.EN_ATELIER): S,
    (E.EN_ATELIER, E.SOUMISE_PLENIERE): S,
    (E.SOUMISE_PLENIERE, E.ADOPTEE): S,
    (E.SOUMISE_PLENIERE, E.NON_RETENUE): S,
    (E.SOUMISE_PLENIERE, E.EN_ATELIER): S,  # renvoi en atelier
    # Its plenary went by without a decision (scrutin withdrawn): inscribed at another one (issue 17).
    (E.SOUMISE_PLENIERE, E.SOUMISE_PLENIERE): S,
    (E.ADOPTEE, E.EN_OEUVRE): L,
    (E.EN_OEUVRE, E.REALISEE): S,
    (E.REALISEE, E.EVALUEE): S,
    # Duplicates are merged during instruction (issue 5).
    (E.DEPOSEE, E.FUSIONNEE): S,
    (E.EN_INSTRUCTION, E.FUSIONNEE): S,
    # Any non-final state but the private draft → abandonnée.
    **{(de, E.ABANDONNEE): S for de in (E.DEPOSEE, E.EN_INSTRUCTION, E.EN_ATELIER, E.SOUMISE_PLENIERE,
                                         E.ADOPTEE, E.EN_OEUVRE, E.REALISEE)},
    # The author withdraws before adoption.
    **{(de, E.RETIREE): A for de in (E.DEPOSEE, E.EN_INSTRUCTION, E.EN_ATELIER, E.SOUMISE_PLENIERE)},
}
EXIGES_ATTENDUS = {
    (E.EN_INSTRUCTION, E.REORIENTEE): {"motif", "dispositif"},
    (E.EN_INSTRUCTION, E.EN_ATELIER): {"atelier"},
    (E.DEPOSEE, E.FUSIONNEE): {"cible"},
    (E.EN_INSTRUCTION, E.FUSIONNEE): {"cible"},
    (E.EN_ATELIER, E.SOUMISE_PLENIERE): {"pleniere"},
    (E.SOUMISE_PLENIERE, E.SOUMISE_PLENIERE): {"pleniere"},
    (E.SOUMISE_PLENIERE, E.NON_RETENUE): {"motif"},
    (E.ADOPTEE, E.EN_OEUVRE): {"responsable"},
    (E.REALISEE, E.EVALUEE): {"constats"},
    **{(de, vers): {"motif"} for (de, vers) in ATTENDUES if vers in (E.ABANDONNEE, E.RETIREE)},
}
# The rule each transition names (``propositions/rules.py``), and who holds it on a proposal by "auteur".
QUI = {"propositions.deposer_brouillon": A, "propositions.retirer": A, "propositions.instruire": S,
       "propositions.engager_mise_en_oeuvre": L, "propositions.reinscrire_pleniere": S}


def test_la_table_suit_le_cycle_de_vie():
    table = {cle: QUI[regle.regle] for cle, regle in workflow.REGLES.items()}
    assert table == ATTENDUES
    assert {cle: set(regle.exige) for cle, regle in workflow.REGLES.items() if regle.exige} == EXIGES_ATTENDUS
    # Nothing leaves a final state; nothing goes back to the draft.
    finaux = {E.REORIENTEE, E.NON_RETENUE, E.EVALUEE, E.ABANDONNEE, E.RETIREE, E.FUSIONNEE}
    assert not [cle for cle in workflow.REGLES if cle[0] in finaux or cle[1] == E.BROUILLON]


def test_chaque_message_d_exigence_est_ecrit():
    assert {e for regle in workflow.REGLES.values() for e in regle.exige} <= set(workflow.MESSAGES_EXIGES)


# --- Data -----------------------------------------------------------------------------------------


def _personnes():
    auteur = creer_utilisateur("acteur", mfa=False)
    return {
        "auteur": auteur,
        "autre_acteur": creer_utilisateur("acteur", mfa=False),
        "membre": creer_utilisateur("membre", mfa=False),
        "animateur": creer_utilisateur("animateur", mfa=False),
        "agent": creer_utilisateur("agent", mfa=False),
        "elu": creer_utilisateur("elu", mfa=False),
    }


def _en_etat(etat, auteur, **champs):
    """A proposal written directly in ``etat`` (fast: the matrix makes over a thousand of them)."""
    if etat != E.BROUILLON:
        champs.setdefault("reference", f"P-1999-{next(_numeros):04d}")
        champs.setdefault("deposee_le", timezone.now() - datetime.timedelta(days=30))
    return Proposition.objects.create(titre=f"Proposition en {etat}", resume="Résumé.", auteur=auteur, etat=etat,
                                      etat_depuis=timezone.now() - datetime.timedelta(days=10), **champs)


def _donnees(de, vers, personnes):
    """Everything a transition may need, so that only the state and the role decide."""
    return {
        "motif": "Motif public.",
        "dispositif": "Dispositif local d'accompagnement",
        "atelier": AtelierFactory() if vers == E.EN_ATELIER else None,
        "pleniere": EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE) if vers == E.SOUMISE_PLENIERE else None,
        "cible": _en_etat(E.DEPOSEE, personnes["autre_acteur"]) if vers == E.FUSIONNEE else None,
        "responsable_elu": personnes["elu"],
        "service_responsable": "Direction de l'ESS",
        "constats": "<p>Des constats.</p>",
    }


def _autorisee(de, vers, role):
    return role in ATTENDUES.get((de, vers), ())


@pytest.fixture(scope="module")
def personnes_de_la_matrice(django_db_setup, django_db_blocker):
    """The six people of the matrix, made once for its 1,176 cells (making them was two thirds of its time).

    They are written in a transaction of the module, rolled back at its end; each cell runs in a savepoint
    inside it (pytest-django's ``django_db``), so what a cell writes is gone before the next one."""
    with django_db_blocker.unblock():
        bloc = transaction.atomic()
        bloc.__enter__()
        try:
            yield _personnes()
        finally:
            transaction.set_rollback(True)
            bloc.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("de", "vers"), list(itertools.product(list(E), list(E))),
                         ids=[f"{de}->{vers}" for de, vers in itertools.product(list(E), list(E))])
def test_matrice_des_transitions(de, vers, role, personnes_de_la_matrice):
    personnes = personnes_de_la_matrice
    champs = {}
    if de in (E.EN_ATELIER, E.SOUMISE_PLENIERE):
        champs["atelier"] = AtelierFactory()
    p = _en_etat(de, personnes["auteur"], **champs)
    avant = Proposition.objects.get(pk=p.pk)
    par = personnes[role]
    donnees = _donnees(de, vers, personnes)

    if _autorisee(de, vers, role):
        journal = workflow.changer_etat(p, vers, par, commentaire="Commentaire public.", **donnees)

        assert Transition.objects.filter(proposition=p).count() == 1
        journal.refresh_from_db()
        assert (journal.de, journal.vers, journal.par, journal.commentaire) == (de, vers, par, "Commentaire public.")
        instance = workflow.REGLES[(de, vers)].instance
        if vers == E.EN_OEUVRE:
            instance = I.ELU if role == "elu" else I.SECRETARIAT
        assert journal.instance == instance
        p.refresh_from_db()
        assert p.etat == vers
        assert p.etat_depuis == journal.le > avant.etat_depuis
        assert p.reference  # given at submission, kept afterwards
        if de != E.BROUILLON:
            assert p.reference == avant.reference
    else:
        with pytest.raises(ActionImpossible) as exc:
            workflow.changer_etat(p, vers, par, commentaire="Commentaire public.", **donnees)

        message = str(exc.value)
        assert "ne peut pas passer à" in message or "Vous n'avez pas le droit" in message
        assert f"« {Etat(vers).label} »" in message
        assert not Transition.objects.filter(proposition=p).exists()
        apres = Proposition.objects.get(pk=p.pk)
        assert (apres.etat, apres.etat_depuis, apres.reference, apres.modifie_le) == (
            avant.etat, avant.etat_depuis, avant.reference, avant.modifie_le)


@pytest.mark.django_db
def test_transitions_possibles_suit_la_table():
    personnes = _personnes()
    p = _en_etat(E.SOUMISE_PLENIERE, personnes["auteur"], atelier=AtelierFactory(),
                 pleniere=EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE))
    assert workflow.transitions_possibles(p, personnes["agent"]) == [
        E.ADOPTEE, E.NON_RETENUE, E.EN_ATELIER, E.ABANDONNEE]
    # Once its plenary has started (or is over), it may also be inscribed at another one.
    p.pleniere.debut = timezone.now() - datetime.timedelta(days=1)
    assert workflow.transitions_possibles(p, personnes["agent"]) == [
        E.ADOPTEE, E.NON_RETENUE, E.EN_ATELIER, E.SOUMISE_PLENIERE, E.ABANDONNEE]
    assert workflow.transitions_possibles(p, personnes["auteur"]) == [E.RETIREE]
    assert workflow.transitions_possibles(p, personnes["membre"]) == []
    assert workflow.transitions_possibles(p, None) == []


# --- Required information -------------------------------------------------------------------------


EXIGENCES = [
    (E.EN_INSTRUCTION, E.REORIENTEE, "motif", "Indiquez le motif"),
    (E.EN_INSTRUCTION, E.REORIENTEE, "dispositif", "dispositif vers lequel"),
    (E.EN_INSTRUCTION, E.EN_ATELIER, "atelier", "Choisissez l'atelier"),
    (E.DEPOSEE, E.FUSIONNEE, "cible", "dans laquelle celle-ci est fusionnée"),
    (E.EN_INSTRUCTION, E.FUSIONNEE, "cible", "dans laquelle celle-ci est fusionnée"),
    (E.EN_ATELIER, E.SOUMISE_PLENIERE, "pleniere", "séance plénière"),
    (E.SOUMISE_PLENIERE, E.NON_RETENUE, "motif", "Indiquez le motif"),
    (E.ADOPTEE, E.EN_OEUVRE, "responsable_elu", "élu·e responsable"),
    (E.ADOPTEE, E.EN_OEUVRE, "service_responsable", "élu·e responsable"),
    (E.REALISEE, E.EVALUEE, "constats", "constats de l'évaluation"),
    (E.EN_OEUVRE, E.ABANDONNEE, "motif", "Indiquez le motif"),
    (E.EN_ATELIER, E.RETIREE, "motif", "Indiquez le motif"),
]
OBJETS = ("atelier", "cible", "pleniere", "responsable_elu")
# Missing (None) for every requirement; blank text ("   ") for the text ones.
CAS_EXIGENCES = [(*cas, None) for cas in EXIGENCES] + [
    (*cas, "   ")
    for cas in EXIGENCES if cas[2] not in OBJETS]


@pytest.mark.django_db
@pytest.mark.parametrize(("de", "vers", "manquant", "extrait", "vide"), CAS_EXIGENCES)
def test_information_exigee_manquante(de, vers, manquant, extrait, vide):
    personnes = _personnes()
    p = _en_etat(de, personnes["auteur"], atelier=AtelierFactory() if de == E.EN_ATELIER else None)
    donnees = _donnees(de, vers, personnes)
    donnees[manquant] = vide
    par = personnes["auteur"] if vers == E.RETIREE else personnes["agent"]

    with pytest.raises(ActionImpossible, match=extrait):
        workflow.changer_etat(p, vers, par, **donnees)

    p.refresh_from_db()
    assert p.etat == de
    assert not p.transitions.exists()


# --- Reference ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.dates
def test_reference_donnee_au_depot_par_annee_et_jamais_changee(settings):
    settings.PROPOSITIONS_MAX_DEPOTS_PAR_JOUR = 100
    auteur = creer_utilisateur("acteur", mfa=False)
    annee = timezone.localdate().year
    brouillons = [PropositionFactory(auteur=auteur) for _ in range(3)]
    assert all(b.reference is None for b in brouillons)

    for b in brouillons:
        workflow.changer_etat(b, E.DEPOSEE, auteur)
    assert [b.reference for b in brouillons] == [f"P-{annee}-001", f"P-{annee}-002", f"P-{annee}-003"]

    # Another year starts again at 001 (the year of the step's date); the current year goes on.
    ancienne = PropositionFactory(auteur=auteur)
    workflow.changer_etat(ancienne, E.DEPOSEE, auteur, forcer_role=True,
                          le=timezone.make_aware(datetime.datetime(2024, 12, 31, 23, 30)))
    assert ancienne.reference == "P-2024-001"
    suivante = PropositionFactory(auteur=auteur)
    workflow.changer_etat(suivante, E.DEPOSEE, auteur)
    assert suivante.reference == f"P-{annee}-004"
    assert CompteurReference.objects.get(annee=annee).dernier == 4

    # The reference stays through the whole life of the proposal.
    premiere = brouillons[0]
    amener_a_partir_de_deposee(premiere)
    premiere.refresh_from_db()
    assert premiere.etat == E.EVALUEE
    assert premiere.reference == f"P-{annee}-001"
    assert CompteurReference.objects.get(annee=annee).dernier == 4


def amener_a_partir_de_deposee(p):
    agent = creer_utilisateur("agent", mfa=False)
    workflow.changer_etat(p, E.EN_INSTRUCTION, agent)
    workflow.changer_etat(p, E.EN_ATELIER, agent, atelier=AtelierFactory())
    workflow.changer_etat(p, E.SOUMISE_PLENIERE, agent, pleniere=EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE))
    workflow.changer_etat(p, E.ADOPTEE, agent)
    workflow.changer_etat(p, E.EN_OEUVRE, agent, responsable_elu=creer_utilisateur("elu", mfa=False),
                          service_responsable="Direction de l'ESS")
    workflow.changer_etat(p, E.REALISEE, agent)
    workflow.changer_etat(p, E.EVALUEE, agent, constats="<p>Constats.</p>")


@pytest.mark.django_db
@pytest.mark.dates
def test_la_reference_d_un_depot_refuse_n_est_pas_consommee(settings):
    settings.PROPOSITIONS_MAX_DEPOTS_PAR_JOUR = 1
    auteur = creer_utilisateur("acteur", mfa=False)
    premiere, seconde = PropositionFactory(auteur=auteur), PropositionFactory(auteur=auteur)
    workflow.changer_etat(premiere, E.DEPOSEE, auteur)
    with pytest.raises(ActionImpossible):
        workflow.changer_etat(seconde, E.DEPOSEE, auteur)
    assert CompteurReference.objects.get(annee=timezone.localdate().year).dernier == 1
    seconde.refresh_from_db()
    assert seconde.reference is None


# --- Anti-flood -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.dates
def test_limite_de_depots_par_jour(settings):
    settings.PROPOSITIONS_MAX_DEPOTS_PAR_JOUR = 3
    auteur = creer_utilisateur("acteur", mfa=False)
    autre = creer_utilisateur("acteur", mfa=False)
    brouillons = [PropositionFactory(auteur=auteur) for _ in range(4)]
    for b in brouillons[:3]:
        workflow.changer_etat(b, E.DEPOSEE, auteur)

    with pytest.raises(ActionImpossible) as exc:
        workflow.changer_etat(brouillons[3], E.DEPOSEE, auteur)

    assert str(exc.value) == ("Vous avez déjà déposé 3 propositions en 24 heures : c'est le maximum. Votre brouillon "
                              "est gardé ; déposez-le demain.")
    brouillons[3].refresh_from_db()
    assert brouillons[3].etat == E.BROUILLON
    assert not brouillons[3].transitions.exists()
    # Another person is not limited by the first one's submissions.
    workflow.changer_etat(PropositionFactory(auteur=autre), E.DEPOSEE, autre)


@pytest.mark.django_db
@pytest.mark.dates
def test_la_limite_porte_sur_24_heures_glissantes(settings):
    settings.PROPOSITIONS_MAX_DEPOTS_PAR_JOUR = 2
    auteur = creer_utilisateur("acteur", mfa=False)
    il_y_a_deux_jours = timezone.now() - datetime.timedelta(days=2)
    for _ in range(2):
        b = PropositionFactory(auteur=auteur)
        workflow.changer_etat(b, E.DEPOSEE, auteur, le=il_y_a_deux_jours)
    workflow.changer_etat(PropositionFactory(auteur=auteur), E.DEPOSEE, auteur)
    workflow.changer_etat(PropositionFactory(auteur=auteur), E.DEPOSEE, auteur)
    with pytest.raises(ActionImpossible, match="déjà déposé 2 propositions"):
        workflow.changer_etat(PropositionFactory(auteur=auteur), E.DEPOSEE, auteur)


# --- Merging --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fusion_relie_a_la_cible():
    agent = creer_utilisateur("agent", mfa=False)
    doublon, cible = proposition_en(E.EN_INSTRUCTION), proposition_en(E.DEPOSEE)

    workflow.changer_etat(doublon, E.FUSIONNEE, agent, cible=cible, commentaire="Même idée que la cible.")

    doublon.refresh_from_db()
    assert doublon.etat == E.FUSIONNEE
    assert doublon.fusionnee_dans == cible
    assert list(cible.fusionnees.all()) == [doublon]


@pytest.mark.django_db
@pytest.mark.parametrize("cible", ["elle_meme", "brouillon", "fusionnee"])
def test_fusion_refusee_vers_elle_meme_un_brouillon_ou_une_fusionnee(cible):
    agent = creer_utilisateur("agent", mfa=False)
    doublon = proposition_en(E.DEPOSEE)
    cibles = {
        "elle_meme": lambda: doublon,
        "brouillon": lambda: PropositionFactory(),
        "fusionnee": lambda: proposition_en(E.FUSIONNEE),
    }

    with pytest.raises(ActionImpossible, match="Choisissez une autre proposition, déposée et non fusionnée"):
        workflow.changer_etat(doublon, E.FUSIONNEE, agent, cible=cibles[cible]())

    doublon.refresh_from_db()
    assert (doublon.etat, doublon.fusionnee_dans) == (E.DEPOSEE, None)
    assert doublon.transitions.count() == 1  # its submission only


# --- Dates, journal -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.dates
def test_les_dates_passees_servent_au_journal_et_aux_jalons():
    agent = creer_utilisateur("agent", mfa=False)
    p = PropositionFactory()
    jours = [timezone.make_aware(datetime.datetime(2025, 3, j, 10)) for j in (3, 10, 17, 24, 31)]
    workflow.changer_etat(p, E.DEPOSEE, p.auteur, le=jours[0], forcer_role=True)
    workflow.changer_etat(p, E.EN_INSTRUCTION, agent, le=jours[1])
    workflow.changer_etat(p, E.EN_ATELIER, agent, le=jours[2], atelier=AtelierFactory())
    workflow.changer_etat(p, E.SOUMISE_PLENIERE, agent, le=jours[3],
                          pleniere=EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE))
    workflow.changer_etat(p, E.ADOPTEE, agent, le=jours[4])

    p.refresh_from_db()
    assert list(p.transitions.values_list("le", flat=True)) == jours
    assert p.reference == "P-2025-001"
    assert (p.deposee_le, p.etat_depuis, p.decidee_le, p.adoptee_le) == (jours[0], jours[4], jours[4], jours[4])


@pytest.mark.django_db
def test_le_journal_n_est_jamais_supprime():
    p = proposition_en(E.EN_INSTRUCTION)
    with pytest.raises(ProtectedError):
        p.delete()
    with pytest.raises(ProtectedError):
        Proposition.objects.filter(pk=p.pk).delete()
    assert p.transitions.count() == 2
    # A draft without journal can be deleted by its author.
    brouillon = PropositionFactory()
    brouillon.delete()


# --- Notifications --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_auteur_et_abonnes_prevenus_apres_commit_sauf_celui_qui_agit(django_capture_on_commit_callbacks):
    agent = creer_utilisateur("agent", mfa=False)
    p = proposition_en(E.DEPOSEE)
    abonnes = [creer_utilisateur("acteur", mfa=False) for _ in range(2)]
    for abonne in abonnes:
        services.suivre(p, abonne)
    services.suivre(p, agent)  # the agent follows it too, but acts: not told
    Notification.objects.all().delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks() as rappels:
        workflow.changer_etat(p, E.EN_INSTRUCTION, agent, commentaire="Elle est recevable.")
        assert mail.outbox == []  # nothing leaves before the commit
    assert rappels
    for rappel in rappels:
        rappel()

    notifiees = Notification.objects.filter(categorie="propositions")
    assert sorted(n.destinataire_id for n in notifiees) == sorted([p.auteur_id, *(a.pk for a in abonnes)])
    assert {n.titre for n in notifiees} == {f"{p.reference} : En instruction"}
    assert {n.message for n in notifiees} == {"Elle est recevable."}
    assert {n.url for n in notifiees} == {p.get_absolute_url()}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([p.auteur.email, *(a.email for a in abonnes)])


@pytest.mark.django_db
def test_l_auteur_qui_agit_n_est_pas_prevenu(django_capture_on_commit_callbacks):
    p = PropositionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.changer_etat(p, E.DEPOSEE, p.auteur)
    assert not Notification.objects.filter(destinataire=p.auteur).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_une_transition_refusee_ne_previent_personne(django_capture_on_commit_callbacks):
    p = proposition_en(E.DEPOSEE)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionImpossible):
        workflow.changer_etat(p, E.ADOPTEE, creer_utilisateur("agent", mfa=False))
    assert not Notification.objects.exists()
    assert mail.outbox == []
