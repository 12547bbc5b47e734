"""The structures' list reads a page and its length by one query (``page_comptee``) and the cards' agréments by
plain SQL (``precharger``): the same cards, agréments in their order, and the pages Django's paginator gave."""

import pytest
from django.urls import reverse

from conseil_ess.comptes.models import Agrement
from tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def test_agrements_des_cartes_et_pages(client, settings):
    settings.CACHE_PAGES = False
    structures = StructureFactory.create_batch(23)
    structure = min(structures, key=lambda s: (s.nom, s.pk))
    structure.agrements.set([Agrement.objects.create(code=code, libelle=libelle)
                             for code, libelle in (("z", "Zèbre & <Cie>"), ("a", "Agrément ESUS"))])
    contenu = client.get(reverse("comptes:structure_liste")).content.decode()
    assert "23 structures" in contenu and "Page 1 sur 2" in contenu
    assert ('<span class="etiquette">Agrément ESUS</span> <span class="etiquette">Zèbre &amp; &lt;Cie&gt;</span>'
            in contenu)
    for page, attendue in (("2", "Page 2 sur 2"), ("99", "Page 2 sur 2"), ("abc", "Page 1 sur 2")):
        reponse = client.get(reverse("comptes:structure_liste"), {"page": page})
        assert attendue in reponse.content.decode()
    assert len(client.get(reverse("comptes:structure_liste"), {"page": "2"}).context["structures"]) == 3
