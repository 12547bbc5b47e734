"""Votes and counting: who may vote, when, how often, and how a scrutin is counted."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError

from conseil_ess.comptes.models import College, MembreConseil
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.seances import decompte, services
from conseil_ess.seances.models import Bulletin, Scrutin
from tests.comptes.fabriques import college
from tests.factories import StructureFactory

from .fabriques import membre_en_exercice, presents, seance_avec_scrutin

pytestmark = pytest.mark.django_db


def voter_tous(scrutin, membres, choix):
    for membre, c in zip(membres, choix, strict=True):
        services.voter(scrutin, membre, c)


def clos(scrutin, agent, **kwargs):
    services.clore_scrutin(scrutin, agent, **kwargs)
    scrutin.refresh_from_db()
    return scrutin


# --- Who may vote, and when -----------------------------------------------------------------------

def test_vote_hors_d_un_scrutin_ouvert_refuse_avec_un_message_clair():
    seance, scrutin, agent = seance_avec_scrutin(ouvrir=False)
    (membre,) = presents(seance, 1, agent)
    with pytest.raises(ActionImpossible, match="Le vote n'est pas encore ouvert pour ce scrutin."):
        services.voter(scrutin, membre, "pour")
    services.ouvrir_scrutin(scrutin, agent)
    services.clore_scrutin(scrutin, agent)
    with pytest.raises(ActionImpossible, match="Ce scrutin est clos : il n'est plus possible de voter."):
        services.voter(scrutin, membre, "pour")
    assert not Bulletin.objects.exists()


def test_vote_anonyme_refuse():
    _seance, scrutin, _agent = seance_avec_scrutin()
    for anonyme in (None, AnonymousUser()):
        with pytest.raises(ActionImpossible, match="Connectez-vous pour voter"):
            services.voter(scrutin, anonyme, "pour")


def test_seuls_les_membres_emarges_votent():
    seance, scrutin, agent = seance_avec_scrutin()
    non_emarge = membre_en_exercice()
    with pytest.raises(ActionImpossible, match="Seuls les membres du Conseil émargés à cette séance peuvent voter"):
        services.voter(scrutin, non_emarge, "pour")
    (suspendu,) = presents(seance, 1, agent)
    MembreConseil.objects.filter(user=suspendu).update(statut=MembreConseil.Statut.SUSPENDU)
    with pytest.raises(ActionImpossible, match="mandat au Conseil n'est pas en cours"):
        services.voter(scrutin, suspendu, "pour")
    with pytest.raises(ActionImpossible, match="Choisissez « pour », « contre » ou « abstention »"):
        services.voter(scrutin, non_emarge, "peut-etre")
    assert not Bulletin.objects.exists()


def test_un_vote_a_main_levee_ne_se_vote_pas_en_ligne():
    seance, scrutin, agent = seance_avec_scrutin(saisie_manuelle=True)
    (membre,) = presents(seance, 1, agent)
    with pytest.raises(ActionImpossible, match="main levée"):
        services.voter(scrutin, membre, "pour")


# --- One vote, changed only if allowed ------------------------------------------------------------

def test_changement_de_vote_refuse_par_defaut():
    seance, scrutin, agent = seance_avec_scrutin()
    (membre,) = presents(seance, 1, agent)
    services.voter(scrutin, membre, "pour")
    with pytest.raises(ActionImpossible, match="il ne permet pas de changer de vote"):
        services.voter(scrutin, membre, "contre")
    assert list(Bulletin.objects.values_list("choix", flat=True)) == ["pour"]


def test_changement_de_vote_autorise_remplace_le_bulletin():
    seance, scrutin, agent = seance_avec_scrutin(changement_de_vote_autorise=True)
    (membre,) = presents(seance, 1, agent)
    services.voter(scrutin, membre, "pour")
    services.voter(scrutin, membre, "contre")
    assert list(Bulletin.objects.values_list("votant", "choix")) == [(membre.pk, "contre")]
    assert decompte.nombre_votants(scrutin) == 1
    scrutin = clos(scrutin, agent)
    assert (scrutin.pour, scrutin.contre, scrutin.resultat) == (0, 1, Scrutin.Resultat.REJETE)


def test_la_base_refuse_un_second_bulletin_du_meme_votant():
    seance, scrutin, agent = seance_avec_scrutin()
    (membre,) = presents(seance, 1, agent)
    bulletin = services.voter(scrutin, membre, "pour")
    with pytest.raises(IntegrityError):
        Bulletin.objects.create(scrutin=scrutin, votant=membre, choix="contre", structure=bulletin.structure,
                                college=bulletin.college)


def test_une_voix_par_structure():
    seance, scrutin, agent = seance_avec_scrutin(une_voix_par_structure=True)
    structure = StructureFactory(nom="La Ressourcerie")
    a, b = presents(seance, 2, agent, structure=structure)
    (c,) = presents(seance, 1, agent)
    services.voter(scrutin, a, "pour")
    with pytest.raises(ActionImpossible, match="La structure « La Ressourcerie » a déjà voté à ce scrutin"):
        services.voter(scrutin, b, "contre")
    services.voter(scrutin, c, "contre")
    bulletin = Bulletin.objects.get(votant=a)
    with pytest.raises(IntegrityError):  # the database backs the rule too
        Bulletin.objects.create(scrutin=scrutin, votant=b, choix="contre", structure=structure,
                                structure_unique=structure, college=bulletin.college)


def test_sans_la_regle_deux_membres_d_une_structure_votent():
    seance, scrutin, agent = seance_avec_scrutin()
    structure = StructureFactory()
    a, b = presents(seance, 2, agent, structure=structure)
    services.voter(scrutin, a, "pour")
    services.voter(scrutin, b, "pour")
    assert clos(scrutin, agent).pour == 2


# --- Counting -------------------------------------------------------------------------------------

def test_majorite_simple_des_suffrages_exprimes_abstentions_non_comptees():
    seance, scrutin, agent = seance_avec_scrutin()
    membres = presents(seance, 7, agent)
    # 2 pour, 1 contre, 4 abstentions: adopted (abstentions are not counted against).
    voter_tous(scrutin, membres, ["pour", "pour", "contre", "abstention", "abstention", "abstention", "abstention"])
    scrutin = clos(scrutin, agent)
    assert (scrutin.pour, scrutin.contre, scrutin.abstention, scrutin.exprimes) == (2, 1, 4, 3)
    assert scrutin.resultat == Scrutin.Resultat.ADOPTE
    assert (scrutin.presents, scrutin.quorum_atteint) == (7, None)
    assert decompte.decompte_texte(scrutin) == "2 pour, 1 contre, 4 abstentions"


@pytest.mark.parametrize(("choix", "resultat"), [
    (["pour", "contre"], Scrutin.Resultat.REJETE),  # a tie is not a majority
    (["contre", "contre", "pour"], Scrutin.Resultat.REJETE),
    (["abstention"], Scrutin.Resultat.REJETE),  # no vote cast
    (["pour", "abstention", "abstention"], Scrutin.Resultat.ADOPTE),
])
def test_resultat_selon_les_voix(choix, resultat):
    seance, scrutin, agent = seance_avec_scrutin()
    voter_tous(scrutin, presents(seance, len(choix), agent), choix)
    assert clos(scrutin, agent).resultat == resultat


def test_quorum_atteint():
    seance, scrutin, agent = seance_avec_scrutin(quorum=3)
    membres = presents(seance, 3, agent)
    voter_tous(scrutin, membres[:2], ["pour", "pour"])  # quorum counts members present, not voters
    scrutin = clos(scrutin, agent)
    assert (scrutin.presents, scrutin.quorum_atteint, scrutin.resultat) == (3, True, Scrutin.Resultat.ADOPTE)


def test_quorum_non_atteint_pas_de_decision():
    seance, scrutin, agent = seance_avec_scrutin(quorum=4)
    voter_tous(scrutin, presents(seance, 3, agent), ["pour", "pour", "pour"])
    scrutin = clos(scrutin, agent)
    assert (scrutin.presents, scrutin.quorum_atteint) == (3, False)
    assert scrutin.resultat == Scrutin.Resultat.QUORUM_NON_ATTEINT
    assert scrutin.pour == 3  # the counts stay on record


def test_ponderation_par_college():
    seance, scrutin, agent = seance_avec_scrutin(ponderation_par_college=True)
    lourd, leger = college("associations"), college("cooperatives-mutuelles")
    College.objects.filter(pk=lourd.pk).update(poids=Decimal("3"))
    College.objects.filter(pk=leger.pk).update(poids=Decimal("0.5"))
    pour = presents(seance, 1, agent, college_=lourd)
    contre = presents(seance, 4, agent, college_=leger)
    voter_tous(scrutin, pour + contre, ["pour", "contre", "contre", "contre", "abstention"])
    scrutin = clos(scrutin, agent)
    # Raw counts: 1 pour, 3 contre — weighted: 3 pour, 1.5 contre, adopted.
    assert (scrutin.pour, scrutin.contre, scrutin.abstention) == (1, 3, 1)
    assert (scrutin.pour_pondere, scrutin.contre_pondere, scrutin.abstention_pondere) == (
        Decimal("3"), Decimal("1.5"), Decimal("0.5"))
    assert scrutin.resultat == Scrutin.Resultat.ADOPTE
    assert scrutin.poids_appliques == {"associations": "3.00", "cooperatives-mutuelles": "0.50"}


def test_sans_ponderation_les_memes_voix_rejettent():
    seance, scrutin, agent = seance_avec_scrutin()
    lourd, leger = college("associations"), college("cooperatives-mutuelles")
    College.objects.filter(pk=lourd.pk).update(poids=Decimal("3"))
    membres = presents(seance, 1, agent, college_=lourd) + presents(seance, 3, agent, college_=leger)
    voter_tous(scrutin, membres, ["pour", "contre", "contre", "contre"])
    scrutin = clos(scrutin, agent)
    assert scrutin.pour_pondere is None and scrutin.resultat == Scrutin.Resultat.REJETE


def test_saisie_manuelle_a_main_levee():
    seance, scrutin, agent = seance_avec_scrutin(ouvrir=False, quorum=5)
    presents(seance, 6, agent)
    with pytest.raises(ActionImpossible, match="dépasse le nombre de membres présents"):
        services.saisir_resultat_manuel(scrutin, agent, pour=5, contre=1, abstention=1)
    with pytest.raises(ActionImpossible, match="négatifs"):
        services.saisir_resultat_manuel(scrutin, agent, pour=-1, contre=1, abstention=1)
    with pytest.raises(ActionImpossible, match="secrétariat"):
        services.saisir_resultat_manuel(scrutin, membre_en_exercice(), pour=1, contre=0, abstention=0)
    services.saisir_resultat_manuel(scrutin, agent, pour="4", contre=1, abstention=1)
    scrutin.refresh_from_db()
    assert scrutin.saisie_manuelle and scrutin.statut == Scrutin.Statut.CLOS
    assert (scrutin.pour, scrutin.contre, scrutin.abstention, scrutin.presents) == (4, 1, 1, 6)
    assert (scrutin.quorum_atteint, scrutin.resultat) == (True, Scrutin.Resultat.ADOPTE)
    with pytest.raises(ActionImpossible, match="déjà clos"):
        services.saisir_resultat_manuel(scrutin, agent, pour=0, contre=1, abstention=1)


def test_saisie_manuelle_refusee_apres_des_votes_en_ligne():
    seance, scrutin, agent = seance_avec_scrutin()
    (membre,) = presents(seance, 1, agent)
    services.voter(scrutin, membre, "pour")
    with pytest.raises(ActionImpossible, match="Des votes ont déjà été enregistrés en ligne"):
        services.saisir_resultat_manuel(scrutin, agent, pour=1, contre=0, abstention=0)
