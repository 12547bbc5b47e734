"""/suivi/ flags the adopted proposals whose engagement is incomplete (no élu·e, service or planned date),
like the answers that are late."""

import datetime
from html import unescape

import pytest

from conseil_ess.propositions.models import Etat, Proposition
from tests.conftest import creer_utilisateur

from .fabriques import PropositionFactory, amener_a

pytestmark = pytest.mark.django_db


def _item(html, reference):
    debut = html.index(f'data-reference="{reference}"')
    return html[debut:html.index("</li>", debut)]


def test_engagements_incomplets_signales(client):
    sans_rien = amener_a(PropositionFactory(titre="Sans engagement"), Etat.ADOPTEE)
    sans_date = amener_a(PropositionFactory(titre="Sans date"), Etat.EN_OEUVRE)
    complete = amener_a(PropositionFactory(titre="Engagée"), Etat.EN_OEUVRE)
    Proposition.objects.filter(pk=complete.pk).update(date_prevue=datetime.date(2040, 6, 30))
    realisee = amener_a(PropositionFactory(titre="Réalisée"), Etat.REALISEE)

    client.force_login(creer_utilisateur("elu"))
    html = unescape(client.get("/suivi/").content.decode())
    assert "2 propositions adoptées n'ont pas encore d'engagement complet (élu·e, service et date prévue)." in html
    item = _item(html, sans_rien.reference)
    assert "Engagement incomplet" in item and 'class="en-retard"' in item
    assert ("pas d'élu·e responsable, pas de service responsable, pas de date de réalisation prévue") in item
    item = _item(html, sans_date.reference)
    assert "Engagement incomplet" in item and "(pas de date de réalisation prévue)" in item
    assert "Engagement incomplet" not in _item(html, complete.reference)
    assert "Engagement incomplet" not in _item(html, realisee.reference)


def test_aucun_engagement_incomplet(client):
    complete = amener_a(PropositionFactory(), Etat.EN_OEUVRE)
    Proposition.objects.filter(pk=complete.pk).update(date_prevue=datetime.date(2040, 6, 30))
    client.force_login(creer_utilisateur("agent"))
    html = unescape(client.get("/suivi/").content.decode())
    assert "Toutes les propositions adoptées ont un engagement complet" in html
