"""The tests' search backend (tests/recherche_paresseuse.py): no indexing at save, an index built when searched
that finds what the save-time index would; the real one for tests marked ``indexation``."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from conseil_ess.comptes.models import Structure
from conseil_ess.recherche import normaliser
from tests import recherche_paresseuse
from tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def chercher(mots):
    """The site search's call (home/recherche.py): the query normalised as the index is."""
    return list(get_search_backend().search(normaliser(mots), Structure.objects.all(), operator="and"))


def _entrees(structure):
    return IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Structure), object_id=str(structure.pk)
    ).count()


def test_rien_n_est_indexe_a_l_enregistrement_tout_l_est_a_la_recherche():
    structure = StructureFactory(nom="Recyclerie des Coteaux")
    assert _entrees(structure) == 0

    trouvees = chercher("coteaux")

    assert trouvees == [structure]
    assert _entrees(structure) == 1
    # A change after the first search is seen by the next one, as the save-time index would see it.
    structure.nom = "Ressourcerie des Vignes"
    structure.save()
    assert chercher("coteaux") == []
    assert chercher("vignes") == [structure]


@pytest.mark.indexation
def test_marque_indexation_l_index_suit_chaque_enregistrement():
    structure = StructureFactory(nom="Recyclerie des Coteaux")

    assert _entrees(structure) == 1


def test_l_index_n_est_refait_qu_apres_une_ecriture(monkeypatch):
    """Two searches with no write between them index once; any write (here a many-to-many change of another
    model, which a proposal's document holds) makes the next search index again and see it."""
    from conseil_ess.propositions.models import Proposition
    from tests.propositions.fabriques import PropositionFactory

    backend = get_search_backend()
    indexations = []
    origine = type(backend).add_bulk
    monkeypatch.setattr(type(backend), "add_bulk",
                        lambda self, modele, objets: (indexations.append(modele), origine(self, modele, objets))[1])
    proposition = PropositionFactory(titre="Collecte des textiles")

    def trouvees(mots):
        return list(backend.search(normaliser(mots), Proposition.objects.all(), operator="and"))

    assert trouvees("textiles") == [proposition]
    assert trouvees("textiles") == [proposition]
    assert indexations.count(Proposition) == 1
    assert trouvees("coteaux") == []
    proposition.structures.add(StructureFactory(nom="Coopérative des Coteaux"))
    assert trouvees("coteaux") == [proposition]
    assert indexations.count(Proposition) == 2
    # Another process (a journey's server) does not see this process's writes: there, every search indexes.
    monkeypatch.setattr(recherche_paresseuse, "_processus", -1)
    trouvees("coteaux")
    trouvees("coteaux")
    assert indexations.count(Proposition) == 4
