"""The embeddable agenda: /agenda/integrer/ may be framed (CSP frame-ancestors from the setting), no other route."""

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory

from .fabriques import EvenementFactory, LieuFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
INTEGRER = reverse("evenements:integrer")


def frame_ancestors(reponse):
    politique = reponse["Content-Security-Policy"]
    return next(d for d in politique.split(";") if d.strip().startswith("frame-ancestors")).split()[1:]


def test_seule_la_page_integrable_peut_etre_encadree(client, settings):
    settings.AGENDA_INTEGRATION_ORIGINES = ["https://www.rivebelle.example", "https://cress.example"]
    reponse = client.get(INTEGRER)
    assert reponse.status_code == 200 and "X-Frame-Options" not in reponse
    assert frame_ancestors(reponse) == ["https://www.rivebelle.example", "https://cress.example"]
    for autre in (reverse("evenements:agenda"), reverse("evenements:donnees_csv")):
        reponse = client.get(autre)
        assert reponse["X-Frame-Options"] == "DENY"
        if "Content-Security-Policy" in reponse:
            assert frame_ancestors(reponse) == ["'none'"]


def test_tout_site_par_defaut(client, settings):
    settings.AGENDA_INTEGRATION_ORIGINES = ["*"]
    assert frame_ancestors(client.get(INTEGRER)) == ["*"]


def test_filtres_et_liens_vers_le_site(client, django_assert_max_num_queries):
    rivebelle = CommuneFactory(nom="Rivebelle", slug="rivebelle")
    ici = EvenementFactory(titre="Ici", lieu=LieuFactory(commune=rivebelle))
    EvenementFactory(titre="Ailleurs")
    EvenementFactory.create_batch(5, lieu=LieuFactory(commune=rivebelle))
    with django_assert_max_num_queries(12):
        page = client.get(INTEGRER, {"commune": "rivebelle"}).content.decode()
    assert ici.get_absolute_url() in page and "Ailleurs" not in page
    assert '<base target="_top">' in page and "?commune=rivebelle" in page


def test_le_code_a_copier_est_propose_pres_de_l_abonnement(client):
    page = client.get(reverse("evenements:agenda"), {"type": "atelier"}).content.decode()
    assert "Intégrer à votre site" in page
    assert f"&lt;iframe src=&quot;http://testserver{INTEGRER}?type=atelier&quot;" in page or \
        f"&lt;iframe src=\"http://testserver{INTEGRER}?type=atelier\"" in page


def test_le_programme_propose_son_agenda_integrable(client):
    from .fabriques import ProgrammeFactory

    programme = ProgrammeFactory(slug="mois-ess-test")
    page = client.get(reverse("evenements:programme", args=[programme.slug])).content.decode()
    assert f"{INTEGRER}?programme=mois-ess-test" in page
    assert reverse("evenements:programme_pdf", args=[programme.slug]) in page
