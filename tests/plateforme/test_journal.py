"""One audit trail (issue 15): every state change and staff action is written by its service to Wagtail's log
(``conseil_ess.comptes.journal.consigner``), with a French label, in the same transaction as the change."""

import ast
import pathlib

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from ateliers import services as services_ateliers
from ateliers.models import Atelier, Participation
from conseil_ess.comptes import roles
from conseil_ess.comptes import services as services_comptes
from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.models import Adhesion, MembreConseil, Structure
from conseil_ess.propositions import workflow
from conseil_ess.propositions.models import Etat, Transition
from conseil_ess.seances import services as services_seances
from evenements import services as services_agenda
from evenements.models import Evenement
from tests.ateliers.fabriques import AtelierFactory, creer_reunion
from tests.comptes.fabriques import acteur_de, college
from tests.conftest import activer_mfa
from tests.evenements.fabriques import EvenementFactory
from tests.factories import AdhesionFactory, StructureFactory, UserFactory
from tests.propositions.fabriques import proposition_en
from tests.seances.fabriques import membre_en_exercice, nouvelle_seance, seance_avec_scrutin

pytestmark = pytest.mark.django_db

RACINE = pathlib.Path(settings.BASE_DIR)


def entrees(objet, action=None):
    qs = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(objet, for_concrete_model=False), object_id=str(objet.pk))
    return qs.filter(action=action) if action else qs


def une_entree(objet, action, par):
    entree = entrees(objet, action).get()
    assert entree.user_id == (par.pk if par else None)
    return entree


@pytest.fixture
def secretariat(db):
    return UserFactory(roles=[roles.AGENT])


# --- Each state machine writes its entries ---------------------------------------------------------

def test_structure_validee_puis_remise_en_attente(secretariat):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    services_comptes.valider_structure(structure, secretariat)
    services_comptes.remettre_structure_en_attente(structure, par=secretariat)

    assert une_entree(structure, "conseil.structure.validee", secretariat).data == {"statut": "validee"}
    une_entree(structure, "conseil.structure.remise_en_attente", secretariat)


def test_refus_d_une_structure_garde_le_motif(secretariat):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    services_comptes.refuser_structure(structure, secretariat, "Hors du champ de l'ESS.")
    entree = une_entree(structure, "conseil.structure.refusee", secretariat)
    assert entree.data["motif"] == "Hors du champ de l'ESS."
    assert entree.message == "Structure refusée : Hors du champ de l'ESS."


def test_adhesion_demandee_acceptee_puis_quittee(secretariat):
    structure = StructureFactory()
    personne = UserFactory()
    adhesion = services_comptes.demander_adhesion(personne, structure, "Bonjour")
    services_comptes.decider_adhesion(adhesion, secretariat, accepter=True)
    une_entree(adhesion, "conseil.adhesion.demandee", personne)
    entree = une_entree(adhesion, "conseil.adhesion.acceptee", secretariat)
    assert entree.data == {"structure_id": structure.pk, "user_id": personne.pk}
    assert "Bonjour" not in str(entree.data)  # the message is free text: it stays out of the log

    services_comptes.quitter_structure(personne, structure)
    assert entrees(adhesion, "conseil.adhesion.quittee").get().user_id == personne.pk


def test_changement_de_referent(secretariat):
    adhesion = AdhesionFactory(statut=Adhesion.Statut.ACCEPTEE, role=Adhesion.Role.MEMBRE)
    adhesion.role = Adhesion.Role.REFERENT
    services_comptes.modifier_adhesion(adhesion, ["role"], par=secretariat)
    entree = une_entree(adhesion, "conseil.adhesion.role", secretariat)
    assert entree.data == {"role": "referent", "ancien_role": "membre"}

    services_comptes.modifier_adhesion(adhesion, ["role"], par=secretariat)  # nothing changed: no entry
    assert entrees(adhesion, "conseil.adhesion.role").count() == 1


def test_mandat_demande_valide_suspendu(secretariat):
    structure = StructureFactory()
    personne = acteur_de(structure)
    mandat = services_comptes.demander_mandat_conseil(personne, structure, college())
    services_comptes.valider_mandat_conseil(mandat, secretariat)
    services_comptes.suspendre_mandat_conseil(mandat, secretariat, "Absences répétées.")

    une_entree(mandat, "conseil.mandat.demande", personne)
    une_entree(mandat, "conseil.mandat.valide", secretariat)
    suspendu = une_entree(mandat, "conseil.mandat.suspendu", secretariat)
    assert suspendu.data == {"statut": MembreConseil.Statut.SUSPENDU, "motif": "Absences répétées."}


def test_moderation_et_statut_d_un_evenement(secretariat):
    proposant = UserFactory()
    evenement = EvenementFactory(publication=Evenement.Publication.BROUILLON, propose_par=proposant)
    services_agenda.soumettre(evenement, proposant)
    services_agenda.publier(evenement, secretariat)
    services_agenda.changer_statut(evenement, Evenement.Statut.REPORTE, secretariat, "Salle indisponible.")

    une_entree(evenement, "conseil.evenement.soumis", proposant)
    une_entree(evenement, "conseil.evenement.publie", secretariat)
    statut = une_entree(evenement, "conseil.evenement.statut", secretariat)
    assert statut.data["statut"] == "reporte" and statut.data["motif"] == "Salle indisponible."
    assert statut.message == "Statut de l'événement : Reporté"


def test_inscription_et_annulation(secretariat):
    evenement = EvenementFactory(publication=Evenement.Publication.PUBLIE, inscription_sur_plateforme=True)
    personne = UserFactory()
    inscription = services_agenda.inscrire(evenement, personne)
    services_agenda.annuler_inscription(inscription, secretariat)
    une_entree(inscription, "conseil.inscription.enregistree", personne)
    une_entree(inscription, "conseil.inscription.annulee", secretariat)


def test_atelier_participation_et_reunion(secretariat):
    animatrice = UserFactory()
    atelier = AtelierFactory(mode_adhesion=Atelier.Adhesion.SUR_DEMANDE, animateurs=[animatrice])
    personne = UserFactory()
    participation = services_ateliers.rejoindre(atelier, personne, "Je voudrais participer.")
    services_ateliers.decider_participation(participation, animatrice, accepter=False)
    une_entree(participation, "conseil.participation.demandee", personne)
    refus = une_entree(participation, "conseil.participation.refusee", animatrice)
    assert refus.data == {"atelier_id": atelier.pk, "user_id": personne.pk}
    assert Participation.objects.get(pk=participation.pk).statut == Participation.Statut.REFUSEE

    reunion = creer_reunion(atelier, par=animatrice)
    services_ateliers.annuler_reunion(reunion, secretariat, "Grève des transports.")
    une_entree(reunion, "conseil.reunion.planifiee", animatrice)
    une_entree(reunion, "conseil.reunion.annulee", secretariat)
    une_entree(reunion.evenement, "conseil.evenement.statut", secretariat)


def test_chaque_transition_d_une_proposition_va_aussi_au_journal_d_audit(secretariat):
    proposition = proposition_en(Etat.DEPOSEE)
    workflow.changer_etat(proposition, Etat.EN_INSTRUCTION, secretariat)

    entree = entrees(proposition, "conseil.proposition.transition").filter(user=secretariat).get()
    journal = Transition.objects.get(proposition=proposition, vers=Etat.EN_INSTRUCTION)  # the timeline stays
    assert entree.data == {"de": "deposee", "vers": "en_instruction", "transition_id": journal.pk}
    assert entree.message == "Proposition passée de « Déposée » à « En instruction »"
    assert entrees(proposition, "conseil.proposition.transition").count() == Transition.objects.filter(
        proposition=proposition).count()


def test_seance_scrutin_et_emargement():
    seance, scrutin, agent = seance_avec_scrutin()
    membre = membre_en_exercice()
    services_seances.emarger(seance, membre, par=agent)
    services_seances.clore_scrutin(scrutin, agent)
    services_seances.terminer_seance(seance, agent)

    for action in ("conseil.seance.creee", "conseil.seance.ordre_du_jour_publie", "conseil.seance.terminee"):
        une_entree(seance, action, agent)
    assert entrees(seance, "conseil.seance.point_ajoute").count() == 2
    assert une_entree(seance, "conseil.seance.emargement", agent).data == {"user_id": membre.pk, "mode": "liste"}
    une_entree(scrutin, "conseil.scrutin.ouvert", agent)
    clos = une_entree(scrutin, "conseil.scrutin.clos", agent)
    assert clos.data["resultat"] == scrutin.__class__.objects.get(pk=scrutin.pk).resultat
    assert not ModelLogEntry.objects.filter(action__contains="vote").exists()  # a vote is never logged


# --- Same transaction -------------------------------------------------------------------------------

def test_un_changement_annule_ne_laisse_aucune_entree(secretariat):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    with pytest.raises(RuntimeError), transaction.atomic():
        services_comptes.valider_structure(structure, secretariat)
        assert entrees(structure).exists()
        raise RuntimeError("rollback")
    assert Structure.objects.get(pk=structure.pk).statut == Structure.Statut.EN_ATTENTE
    assert not entrees(structure).exists()


def test_une_action_refusee_n_ecrit_rien():
    seance = nouvelle_seance()
    with pytest.raises(services_comptes.ActionImpossible):
        services_seances.terminer_seance(seance, membre_en_exercice())
    assert not entrees(seance, "conseil.seance.terminee").exists()


def test_une_action_non_declaree_est_refusee():
    structure = StructureFactory()
    with pytest.raises(ValueError, match="non déclarée"):
        consigner(structure, "conseil.structure.inconnue")


# --- Labels, admin -----------------------------------------------------------------------------------

def actions_du_conseil():
    return {action: formateur for action, formateur in registry.formatters.items() if action.startswith("conseil.")}


def test_chaque_action_a_un_libelle_francais():
    registry.scan_for_actions()
    actions = actions_du_conseil()
    assert len(actions) > 40
    for action, formateur in actions.items():
        libelle = str(formateur.label)
        assert libelle and "conseil." not in libelle and libelle[0].isupper() and " " in libelle, action
        message = formateur.format_message(ModelLogEntry(action=action, data={}))
        assert message and "%(" not in message, action


def test_l_historique_du_site_montre_l_entree_avec_son_libelle(client, secretariat):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    services_comptes.valider_structure(structure, secretariat)
    admin = UserFactory(roles=[roles.ADMINISTRATEUR])
    activer_mfa(admin)
    client.force_login(admin)

    reponse = client.get("/admin/reports/site-history/")

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Structure validée" in contenu
    assert structure.nom in contenu
    filtre = client.get("/admin/reports/site-history/", {"action": "conseil.structure.validee"})
    assert "Structure validée" in filtre.content.decode()


def test_l_historique_de_la_structure_montre_l_entree(client, secretariat):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    services_comptes.valider_structure(structure, secretariat)
    activer_mfa(secretariat)
    client.force_login(secretariat)

    reponse = client.get(reverse("structure:history", args=[structure.pk]))
    assert reponse.status_code == 200
    assert "Structure validée" in reponse.content.decode()


# --- Every action the code writes is declared, every declared one is written ---------------------------

def actions_ecrites_dans_le_code():
    """Return {action: [file:line]} of every ``consigner(objet, action, …)`` call of the project's code; the
    action argument must be made of string literals (a conditional or a dict of them), never computed."""
    trouvees, calculees = {}, []
    for racine in ("conseil_ess", "evenements", "ateliers", "home"):
        for fichier in (RACINE / racine).rglob("*.py"):
            if "migrations" in fichier.parts:
                continue
            arbre = ast.parse(fichier.read_text(), str(fichier))
            for noeud in ast.walk(arbre):
                if not (isinstance(noeud, ast.Call) and getattr(noeud.func, "id", None) == "consigner"):
                    continue
                ou = f"{fichier.relative_to(RACINE)}:{noeud.lineno}"
                argument = noeud.args[1] if len(noeud.args) > 1 else None
                litteraux = [n.value for n in ast.walk(argument) if isinstance(n, ast.Constant)
                             and isinstance(n.value, str) and n.value.startswith("conseil.")] if argument else []
                if not litteraux or any(isinstance(n, (ast.JoinedStr, ast.BinOp)) for n in ast.walk(argument)):
                    calculees.append(ou)
                for action in litteraux:
                    trouvees.setdefault(action, []).append(ou)
    return trouvees, calculees


def test_chaque_action_ecrite_est_declaree_et_chaque_action_declaree_est_ecrite():
    registry.scan_for_actions()
    ecrites, calculees = actions_ecrites_dans_le_code()
    assert not calculees, f"action du journal calculée (écrivez-la en toutes lettres) : {calculees}"
    assert len(ecrites) > 40
    non_declarees = {a: ou for a, ou in ecrites.items() if not registry.action_exists(a)}
    assert not non_declarees, non_declarees
    jamais_ecrites = set(actions_du_conseil()) - set(ecrites)
    assert not jamais_ecrites, jamais_ecrites
