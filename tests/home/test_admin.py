"""The Wagtail admin edits every page type (French panels) and the footer setting."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from conseil_ess.demo import chargeur
from home.models import (
    ChampActionPage,
    ChampsIndexPage,
    HomePage,
    LegalPage,
    NewsIndexPage,
    NewsPage,
    PiedDePage,
    StandardPage,
)

pytestmark = pytest.mark.django_db


def test_chaque_page_de_demo_s_ouvre_dans_l_editeur(client_admin, accueil):
    """Every page type, and every demo text (its rich text must convert to the editor's format)."""
    chargeur.charger(avec_utilisateurs=False, seulement=["pages"])
    pages = Page.objects.filter(depth__gte=2).specific()
    assert {type(p) for p in pages} >= {HomePage, StandardPage, ChampsIndexPage, ChampActionPage, NewsIndexPage,
                                        NewsPage, LegalPage}
    for page in pages:
        reponse = client_admin.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert reponse.status_code == 200, page.slug


def test_formulaire_d_un_champ_d_action_avec_ses_leviers(client_admin, index_champs):
    reponse = client_admin.get(reverse("wagtailadmin_pages:add", args=["home", "champactionpage", index_champs.pk]))

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Leviers d&#x27;action" in html or "Leviers d'action" in html
    assert "Identification du champ" in html
    assert "De 1 à 6, dans l&#x27;ordre du cadre d&#x27;action." in html


def test_reglage_du_pied_de_page(client_admin, accueil, page_standard):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["home", "pieddepage", site.pk])
    assert client_admin.get(url).status_code == 200

    reponse = client_admin.post(url, {
        "intro": "Présentation modifiée.",
        "liens-TOTAL_FORMS": "2", "liens-INITIAL_FORMS": "0", "liens-MIN_NUM_FORMS": "0",
        "liens-MAX_NUM_FORMS": "1000",
        "liens-0-page": str(page_standard.pk), "liens-0-url": "", "liens-0-libelle": "", "liens-0-ORDER": "1",
        "liens-1-page": "", "liens-1-url": "/structures/", "liens-1-libelle": "Structures", "liens-1-ORDER": "2",
    })

    assert reponse.status_code == 302
    reglage = PiedDePage.for_site(site)
    assert reglage.intro == "Présentation modifiée."
    liens = [(lien.page_id, lien.url) for lien in reglage.liens.all()]
    assert liens == [(page_standard.pk, ""), (None, "/structures/")]
