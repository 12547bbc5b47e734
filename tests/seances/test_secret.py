"""Secret scrutins: who took part is stored apart from what was chosen, with nothing to pair them."""

import uuid

import pytest
from django.db import connection, models

from conseil_ess.comptes.models import College
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.seances import decompte, services
from conseil_ess.seances.models import Bulletin, BulletinSecret, Participation, Scrutin
from tests.comptes.fabriques import college
from tests.factories import StructureFactory

from .fabriques import presents, seance_avec_scrutin

pytestmark = pytest.mark.django_db

CHOIX = ["pour", "contre", "pour", "abstention", "contre", "pour", "pour", "contre", "abstention", "pour",
         "contre", "pour"]


def colonnes(modele):
    with connection.cursor() as curseur:
        return {c.name for c in connection.introspection.get_table_description(curseur, modele._meta.db_table)}


def test_rien_ne_relie_un_votant_a_son_choix():
    seance, scrutin, agent = seance_avec_scrutin(secret=True)
    votants = presents(seance, len(CHOIX), agent)
    ordre_bulletins, ordre_participations = [], []
    for votant, choix in zip(votants, CHOIX, strict=True):
        avant_b = set(BulletinSecret.objects.values_list("pk", flat=True))
        avant_p = set(Participation.objects.values_list("pk", flat=True))
        assert services.voter(scrutin, votant, choix) is None
        (nouveau_b,) = set(BulletinSecret.objects.values_list("pk", flat=True)) - avant_b
        (nouvelle_p,) = set(Participation.objects.values_list("pk", flat=True)) - avant_p
        ordre_bulletins.append(nouveau_b)
        ordre_participations.append(nouvelle_p)

    # Who took part is known; what they chose is in another table with no column pointing at a person.
    assert set(Participation.objects.values_list("votant_id", flat=True)) == {v.pk for v in votants}
    assert not Bulletin.objects.exists()
    assert colonnes(BulletinSecret) == {"id", "scrutin_id", "choix", "college_id"}
    assert colonnes(Participation) == {"id", "scrutin_id", "votant_id", "structure_unique_id"}
    for modele in (BulletinSecret, Participation):
        champs = modele._meta.get_fields()
        # No timestamp on either side: nothing to match a ballot with the moment someone voted.
        assert not [c for c in champs if isinstance(c, models.DateField | models.TimeField)]
    cibles = {c.related_model for c in BulletinSecret._meta.get_fields() if c.is_relation}
    assert cibles <= {Scrutin, College}  # no link to a person, a structure, a check-in
    assert set(BulletinSecret.objects.values_list("college_id", flat=True)) == {None}  # not weighted: not even that

    # Random keys: ordering either table by key does not give the voting order.
    for cles in (ordre_bulletins, ordre_participations):
        assert all(isinstance(c, uuid.UUID) and c.version == 4 for c in cles)
        assert sorted(cles) != cles
    assert list(BulletinSecret.objects.order_by("pk").values_list("pk", flat=True)) != ordre_bulletins
    assert list(Participation.objects.order_by("pk").values_list("pk", flat=True)) != ordre_participations
    # The two tables share no value but the scrutin.
    valeurs_b = {str(v) for ligne in BulletinSecret.objects.values_list("id", "choix") for v in ligne}
    valeurs_p = {str(v) for ligne in Participation.objects.values_list("id", "votant_id") for v in ligne}
    assert not valeurs_b & valeurs_p

    services.clore_scrutin(scrutin, agent)
    scrutin.refresh_from_db()
    assert (scrutin.pour, scrutin.contre, scrutin.abstention) == (6, 4, 2)
    assert scrutin.resultat == Scrutin.Resultat.ADOPTE


def test_un_vote_secret_ne_se_change_pas_et_ne_se_double_pas():
    seance, scrutin, agent = seance_avec_scrutin(secret=True)
    (votant,) = presents(seance, 1, agent)
    services.voter(scrutin, votant, "pour")
    with pytest.raises(ActionImpossible, match="déjà voté à ce scrutin secret"):
        services.voter(scrutin, votant, "contre")
    assert (Participation.objects.count(), BulletinSecret.objects.count()) == (1, 1)
    assert decompte.nombre_votants(scrutin) == 1


def test_vote_secret_une_voix_par_structure():
    seance, scrutin, agent = seance_avec_scrutin(secret=True, une_voix_par_structure=True)
    structure = StructureFactory(nom="Coop du coin")
    a, b = presents(seance, 2, agent, structure=structure)
    services.voter(scrutin, a, "pour")
    with pytest.raises(ActionImpossible, match="La structure « Coop du coin » a déjà voté"):
        services.voter(scrutin, b, "pour")
    assert (Participation.objects.count(), BulletinSecret.objects.count()) == (1, 1)


def test_vote_secret_pondere_ne_garde_que_le_college():
    seance, scrutin, agent = seance_avec_scrutin(secret=True, ponderation_par_college=True)
    votants = presents(seance, 2, agent, college_=college("associations"))
    for votant in votants:
        services.voter(scrutin, votant, "pour")
    assert list(BulletinSecret.objects.values_list("college__slug", flat=True)) == ["associations"] * 2
    services.clore_scrutin(scrutin, agent)
    scrutin.refresh_from_db()
    assert (scrutin.pour, scrutin.pour_pondere) == (2, 2)
