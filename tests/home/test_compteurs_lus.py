"""The « chiffres calculés » counters: each registered counter's query written once (``lecture_comptee``), the
block's counters read together in one round trip, the values the ORM's count gives, at each display."""

import datetime

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from ateliers.models import Reunion
from conseil_ess.comptes import compteurs
from conseil_ess.comptes.models import Structure
from conseil_ess.prechargement import _comptees, lecture_comptee, lire_ensemble
from evenements.models import Evenement
from tests.ateliers.fabriques import AtelierFactory, creer_reunion, creer_reunion_directe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sans_memo():
    _comptees.clear()
    yield
    _comptees.clear()


@pytest.fixture
def reunions():
    atelier = AtelierFactory()
    passees = [creer_reunion_directe(atelier, jours=-jours) for jours in (3, 10, 20)]
    a_venir = creer_reunion(atelier, jours=5)
    annulee = creer_reunion_directe(atelier, jours=-4)
    Evenement.objects.filter(pk=annulee.evenement_id).update(statut=Evenement.Statut.ANNULE)
    for i, reunion in enumerate([*passees, a_venir, annulee]):
        Reunion.objects.filter(pk=reunion.pk).update(nb_presents=i + 1, participants_sans_compte=10 * i)
    return passees, a_venir


def _tenues(instant):
    return Reunion.objects.filter(evenement__fin__lte=instant).exclude(evenement__statut=Evenement.Statut.ANNULE)


def test_comptes_et_sommes_comme_l_orm_a_chaque_instant(reunions):
    _passees, a_venir = reunions
    for instant in (timezone.now(), timezone.now() + datetime.timedelta(days=30),
                    timezone.now() - datetime.timedelta(days=15), timezone.now() - datetime.timedelta(days=60)):
        totaux = _tenues(instant).aggregate(a=Sum("nb_presents"), b=Sum("participants_sans_compte"))
        attendu = (_tenues(instant).count(), (totaux["a"] or 0) + (totaux["b"] or 0))
        assert tuple(lire_ensemble(
            lecture_comptee("tenues", _tenues, instant),
            lecture_comptee("tenues", _tenues, instant, sommes=("nb_presents", "participants_sans_compte")),
        )) == attendu, instant
    assert len(_comptees) == 2  # written once each, whatever the instant
    # The figures change with the data, read at each call.
    Evenement.objects.filter(pk=a_venir.evenement_id).update(debut=timezone.now() - datetime.timedelta(hours=3),
                                                             fin=timezone.now() - datetime.timedelta(hours=1))
    assert lire_ensemble(lecture_comptee("tenues", _tenues, timezone.now()))[0] == 4


def test_une_requete_vide_ou_sans_instant_a_remplacer_passe_par_l_orm(reunions):
    assert lire_ensemble(lecture_comptee("vide", lambda: Reunion.objects.none()))[0] == 0
    assert lire_ensemble(lecture_comptee("sans-instant", lambda t: Reunion.objects.all(), timezone.now()))[0] == 5
    assert _comptees[("vide", (), True, "default", connection.vendor)] is None
    assert _comptees[("sans-instant", (), False, "default", connection.vendor)] is None


def test_les_compteurs_d_un_bloc_lus_en_un_aller_retour(reunions, django_assert_num_queries):
    Structure.objects.create(nom="Structure", slug="structure", forme_juridique="association", statut="validee")
    codes = list(compteurs.COMPTEURS)
    attendu = [(compteurs.COMPTEURS[code].libelle, compteurs.COMPTEURS[code].fonction()) for code in codes]
    valeurs = dict(zip(codes, (valeur for _libelle, valeur in attendu), strict=True))
    assert (valeurs["structures_validees"], valeurs["reunions_ateliers_tenues"],
            valeurs["participations_ateliers"]) == (1, 3, 1 + 2 + 3 + 10 + 20)
    compteurs.calculer(codes)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else len(codes)):
        assert compteurs.calculer(codes) == attendu


def test_un_compteur_sans_requete_calcule_a_part(monkeypatch):
    monkeypatch.setattr(compteurs, "COMPTEURS", dict(compteurs.COMPTEURS))
    compteurs.enregistrer("quarante_deux", "quarante-deux", lambda: 42)
    valeurs = compteurs.calculer(["structures_validees", "quarante_deux", "inconnu", "personnes_inscrites"])
    assert [valeur for _libelle, valeur in valeurs] == [0, 42, 0]


def test_le_code_d_un_compteur_lu_comme_wagtail_le_lit():
    from wagtail import blocks

    from home.blocks import ChoixDeCompteurBlock

    wagtail, propre = blocks.ChoiceBlock(choices=compteurs.choix), ChoixDeCompteurBlock(choices=compteurs.choix)
    for valeur in [*compteurs.COMPTEURS, "compteur_disparu", "", None, 3]:
        assert propre.to_python(valeur) == wagtail.to_python(valeur)
        assert type(propre.to_python(valeur)) is type(wagtail.to_python(valeur))
