"""Site search: finds published pages by their content, never fails on odd input."""

import pytest

from home.models import StandardPage

from .outils import contenu_principal, paragraphe

pytestmark = pytest.mark.django_db


def test_trouve_une_page_par_un_mot_de_son_corps(client, page_standard):
    html = contenu_principal(client.get("/recherche/", {"q": "hippocampe-violet"}))

    assert 'href="/page-de-test/">Page de test</a>' in html
    assert "1 résultat pour «\u00a0hippocampe-violet\u00a0»" in html
    assert "Un chapô de test." in html  # snippet


def test_trouve_un_champ_par_un_de_ses_leviers(client, creer_champ):
    creer_champ(5, leviers=["Réserver des marchés de services de santé"], nom_canonique="Achats responsables")

    html = contenu_principal(client.get("/recherche/", {"q": "santé"}))

    assert 'href="/nos-champs/champ-5/"' in html


def test_ne_trouve_pas_les_pages_non_publiees(client, accueil):
    page = StandardPage(title="Page cachée", slug="cachee", live=False, body=paragraphe("<p>ornithorynque</p>"))
    accueil.add_child(instance=page)

    html = contenu_principal(client.get("/recherche/", {"q": "ornithorynque"}))

    assert "cachee" not in html
    assert "Aucun résultat ne correspond à votre recherche" in html


def test_requete_vide_invite_a_saisir_des_mots(client, page_standard):
    for parametres in ({}, {"q": ""}, {"q": "   "}):
        reponse = client.get("/recherche/", parametres)
        assert reponse.status_code == 200
        html = contenu_principal(reponse)
        assert "Saisissez un ou plusieurs mots" in html
        assert "résultat" not in html


def test_formulaire_de_recherche_a_un_libelle(client, accueil):
    html = contenu_principal(client.get("/recherche/"))

    assert '<label for="recherche-q">' in html and 'id="recherche-q"' in html


@pytest.mark.parametrize("requete", [
    '"', "'", "\"'*()", "hippocampe\"", "a\x00b", "x" * 5000, "AND OR NOT", "NEAR(a b)", "coop*", "%_%",
    "-", "^", "😀", "«»", "l'ESS", "<script>alert(1)</script>", "\\", "a:b", "((((", "\u200b",
])
def test_requetes_etranges_sans_erreur(client, page_standard, requete):
    reponse = client.get("/recherche/", {"q": requete})

    assert reponse.status_code == 200
    assert "<script>alert(1)</script>" not in reponse.content.decode()


def test_requete_tronquee_et_pagination_invalide(client, page_standard):
    reponse = client.get("/recherche/", {"q": "hippocampe-violet " + "y" * 1000, "page": "abc"})

    assert reponse.status_code == 200
    assert len(reponse.context["requete"]) == 200


def test_resultats_pagines(client, accueil):
    for i in range(12):
        page = StandardPage(title=f"Page pangolin {i}", slug=f"pangolin-{i}", body=paragraphe("<p>pangolin</p>"))
        accueil.add_child(instance=page)

    page1 = contenu_principal(client.get("/recherche/", {"q": "pangolin", "type": "pages"}))
    page2 = contenu_principal(client.get("/recherche/", {"q": "pangolin", "type": "pages", "page": 2}))

    assert "12 résultats pour «\u00a0pangolin\u00a0»" in page1
    assert page1.count('<h4 class="resultat__titre">') == 10 and page2.count('<h4 class="resultat__titre">') == 2
    assert "Page 2 sur 2" in page2
    assert 'start="11"' in page2
