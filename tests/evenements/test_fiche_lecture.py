"""The page of an event reads the event with its place (and the place's commune), its commune, programme and slot
by one plain query (``fiche.evenement_de_la_fiche``): the same objects, field for field, as the ORM's
``select_related`` it replaces, and whether the event has parts."""

import pytest
from django.db.models import Exists, OuterRef
from django.http import Http404

from evenements import fiche
from evenements.models import Evenement
from tests.factories import CommuneFactory
from tests.lecture_sql import valeurs_chargees

from .fabriques import CreneauFactory, EvenementFactory, LieuFactory

pytestmark = pytest.mark.django_db


def _par_l_orm(slug):
    return (Evenement.objects.select_related("lieu__commune", "commune", "programme", "creneau")
            .annotate(a_des_sequences=Exists(Evenement.objects.filter(parent=OuterRef("pk")))).get(slug=slug))


def _comparer(evenement, django_assert_num_queries):
    with django_assert_num_queries(2):  # the event and its relations; then its structures, publics, fields
        lu = fiche.evenement_de_la_fiche(evenement.slug)
    attendu = _par_l_orm(evenement.slug)
    with django_assert_num_queries(0):
        assert valeurs_chargees(lu) == valeurs_chargees(attendu)
        assert lu.a_des_sequences is attendu.a_des_sequences
        for relation in ("lieu", "commune", "programme", "creneau"):
            assert valeurs_chargees(getattr(lu, relation)) == valeurs_chargees(getattr(attendu, relation)), relation
        if attendu.lieu is not None:
            assert valeurs_chargees(lu.lieu.commune) == valeurs_chargees(attendu.lieu.commune)
    return lu


def test_un_evenement_et_toutes_ses_relations(django_assert_num_queries):
    creneau = CreneauFactory()
    journee = EvenementFactory(lieu=LieuFactory(commune=CommuneFactory()), commune=CommuneFactory(),
                               programme=creneau.programme, creneau=creneau)
    EvenementFactory(parent=journee)
    lu = _comparer(journee, django_assert_num_queries)
    assert lu.a_des_sequences is True and lu.lieu.commune is not None and lu.creneau.pk == creneau.pk


def test_un_evenement_sans_relations(django_assert_num_queries):
    lu = _comparer(EvenementFactory(lieu=None, commune=None), django_assert_num_queries)
    assert lu.a_des_sequences is False and lu.lieu is None and lu.programme is None


def test_un_lieu_sans_commune(django_assert_num_queries):
    lu = _comparer(EvenementFactory(lieu=LieuFactory(commune=None)), django_assert_num_queries)
    assert lu.lieu is not None and lu.lieu.commune is None


def test_un_slug_inconnu_donne_une_404(client):
    with pytest.raises(Http404):
        fiche.evenement_de_la_fiche("aucun-evenement")
    assert client.get("/agenda/aucun-evenement/").status_code == 404
