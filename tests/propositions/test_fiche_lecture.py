"""The page of a proposal reads the proposal (atelier, suggested atelier, annual theme, author, responsible élu·e)
and its timeline (each step's atelier, plenary and author) by two plain queries (``views._proposition_lue``): the
same objects, field for field, as the ORM's ``select_related`` / ``prefetch_related`` they replace."""

import pytest
from django.http import Http404
from django.urls import reverse

from conseil_ess.propositions import views
from conseil_ess.propositions.models import Etat, Transition
from tests.ateliers.fabriques import AtelierFactory, ThematiqueFactory
from tests.conftest import creer_utilisateur
from tests.lecture_sql import valeurs_chargees

from .fabriques import PropositionFactory, amener_a
from .test_fiche_relations import proposition_par_l_orm

pytestmark = pytest.mark.django_db


def _lus_pareil(lu, reference):
    """``lu`` holds what ``reference`` (every field loaded) holds, for each field it loaded."""
    if reference is None:
        return lu is None
    return lu is not None and all(valeur == getattr(reference, nom) for nom, valeur in valeurs_chargees(lu).items())


def _comparer(proposition, django_assert_num_queries):
    with django_assert_num_queries(2):
        lue = views._proposition_lue("reference", proposition.reference)
    attendue = proposition_par_l_orm(reference=proposition.reference)
    assert valeurs_chargees(lue) == valeurs_chargees(attendue)
    with django_assert_num_queries(0):  # what the page reads of them
        for relation in ("atelier", "atelier_suggere", "thematique", "auteur", "responsable_elu"):
            assert _lus_pareil(getattr(lue, relation), getattr(attendue, relation)), relation
        transitions = list(lue.transitions.all())
        assert [t.pk for t in transitions] == [t.pk for t in attendue.transitions.all()]
        for transition, reference in zip(transitions, attendue.transitions.all(), strict=True):
            assert valeurs_chargees(transition) == valeurs_chargees(reference)
            for relation in ("atelier", "pleniere", "par"):
                assert _lus_pareil(getattr(transition, relation), getattr(reference, relation)), relation
            assert transition.proposition is lue
    return lue


def test_une_proposition_et_son_parcours_lus_comme_par_l_orm(django_assert_num_queries):
    atelier, suggere = AtelierFactory(), AtelierFactory()
    elu = creer_utilisateur("elu")
    proposition = amener_a(PropositionFactory(atelier_suggere=suggere, thematique=ThematiqueFactory()),
                           Etat.ADOPTEE, atelier=atelier)  # the step « en atelier » names the atelier
    type(proposition).objects.filter(pk=proposition.pk).update(responsable_elu=elu)
    # A step whose author's account is gone.
    Transition.objects.filter(pk=proposition.transitions.order_by("le", "pk").first().pk).update(par=None)
    lue = _comparer(proposition, django_assert_num_queries)
    assert lue.atelier.slug == atelier.slug and lue.responsable_elu.pk == elu.pk
    etapes = list(lue.transitions.all())
    assert len(etapes) >= 3 and any(t.pleniere for t in etapes) and any(t.atelier for t in etapes)
    assert any(t.par is None for t in etapes) and any(t.par for t in etapes)


def test_une_proposition_sans_relations(django_assert_num_queries):
    lue = _comparer(amener_a(PropositionFactory(), Etat.DEPOSEE), django_assert_num_queries)
    assert lue.atelier is None and lue.thematique is None and lue.responsable_elu is None


def test_une_reference_ou_un_identifiant_inconnus_donnent_une_404(client):
    with pytest.raises(Http404):
        views._proposition_lue("reference", "P-1999-999")
    for pk in (0, 10**30):  # beyond a 64-bit integer: a 404, not an error of the database
        with pytest.raises(Http404):
            views._proposition_lue("id", pk)
    assert client.get(reverse("propositions:brouillon", args=[10**30])).status_code == 404
    assert client.get(reverse("propositions:detail", args=["P-1999-999"])).status_code == 404
