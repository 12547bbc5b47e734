"""Pages read from the database without modelcluster's search for child objects (``home.instances``)."""

import pytest
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_pages_lues_sans_chercher_d_objets_enfants(monkeypatch):
    """A page read from the database skips modelcluster's search for child objects (``home.instances``); given
    child objects by keyword, a page still gets them (modelcluster's constructor)."""
    import modelcluster.models

    from home import instances
    from home.models import ChampActionPage, Levier

    appels = []
    originale = modelcluster.models.get_all_child_relations
    monkeypatch.setattr(modelcluster.models, "get_all_child_relations",
                        lambda modele: appels.append(modele) or originale(modele))
    lues = list(Page.objects.all()) + list(ChampActionPage.objects.all())
    assert lues and appels == []
    assert instances._originale is not None
    page = ChampActionPage(title="Champ", slug="champ", leviers=[Levier(libelle="Un levier")])
    assert [levier.libelle for levier in page.leviers.all()] == ["Un levier"] and appels
    assert Page(title="Simple").title == "Simple"
