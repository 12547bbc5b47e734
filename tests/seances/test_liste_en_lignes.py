"""The séances' list reads its cards as rows (``views._cartes``) and the past ones' page with their total
(``conseil_ess.pagination.page_comptee``, a window count): the same pages as ``Paginator.get_page``, one query
for the page."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conseil_ess.pagination import page_comptee
from conseil_ess.seances import views
from conseil_ess.seances.models import Seance

from .fabriques import un_agent
from .test_vues import seance_publiee

pytestmark = pytest.mark.django_db


def _passees():
    return Seance.objects.filter(evenement__fin__lt=timezone.now()).order_by("-evenement__debut", "-pk")


@pytest.mark.parametrize("nombre", [0, 3, 20, 23])
def test_les_pages_sont_celles_de_paginator(nombre):
    agent = un_agent()
    for i in range(nombre):
        seance_publiee(agent, titre=f"Plénière {i}", jours=-5 - i)
    for numero in (None, "1", "2", "3", "999", "abc", "0", "-1", "1.5", 2.0):
        attendue = Paginator(_passees(), views.PAR_PAGE).get_page(numero)
        page, cartes = page_comptee(_passees(), numero, views.PAR_PAGE, lire=views._cartes)
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (
            attendue.number, attendue.paginator.count, attendue.paginator.num_pages), numero
        assert [c.pk for c in cartes] == [s.pk for s in attendue.object_list], numero
        assert [c.evenement.titre for c in cartes] == [s.evenement.titre for s in attendue.object_list]


def test_une_page_existante_est_lue_en_une_requete():
    agent = un_agent()
    for i in range(23):
        seance_publiee(agent, titre=f"Plénière {i}", jours=-5 - i)
    for numero in ("1", "2"):
        with CaptureQueriesContext(connection) as requetes:
            page, cartes = page_comptee(_passees(), numero, views.PAR_PAGE, lire=views._cartes)
            assert page.paginator.count == 23 and page.paginator.num_pages == 2 and cartes
        assert len(requetes) == 1
