"""StreamField blocks render with their templates; computed figures come from the data at render time."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from conseil_ess.comptes import compteurs
from conseil_ess.comptes.models import Structure
from home.blocks import AppelActionBlock, ContenuBlock
from home.models import StandardPage

from .outils import contenu_principal, publier, valeurs_compteurs

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_avec(accueil):
    def creer(*blocs, slug="blocs"):
        return publier(accueil, StandardPage(title="Blocs", slug=slug, body=list(blocs)))

    return creer


def test_chaque_type_de_bloc_a_son_gabarit():
    for nom, bloc in ContenuBlock().child_blocks.items():
        assert bloc.meta.template == f"home/blocks/{nom}.html", nom


def test_bloc_texte_et_citation(client, page_avec):
    page_avec(
        {"type": "paragraphe", "value": "<h2>Un intertitre</h2><p>Un <b>texte</b> riche.</p>"},
        {"type": "citation", "value": {"texte": "Une citation inspirante.", "auteur": "Hélène Marceau",
                                       "fonction": "vice-présidente"}},
    )

    html = contenu_principal(client.get("/blocs/"))

    assert "<h2>Un intertitre</h2>" in html
    assert "<blockquote><p>Une citation inspirante.</p></blockquote>" in html
    assert "— Hélène Marceau" in html and "vice-présidente" in html


def test_bloc_image_avec_alternative_et_legende(client, page_avec, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Halle", file=get_test_image_file())
    page_avec({"type": "image", "value": {
        "image": {"image": image.pk, "decorative": False, "alt_text": "La Halle aux Grains pleine de monde"},
        "legende": "Soirée de lancement", "credit": "Métropole",
    }})

    html = contenu_principal(client.get("/blocs/"))

    assert 'alt="La Halle aux Grains pleine de monde"' in html
    assert "<figcaption>Soirée de lancement" in html and "© Métropole" in html


def test_bloc_image_decorative_a_une_alternative_vide(client, page_avec, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Motif", file=get_test_image_file())
    page_avec({"type": "image", "value": {"image": {"image": image.pk, "decorative": True, "alt_text": ""},
                                          "legende": "", "credit": ""}})

    html = contenu_principal(client.get("/blocs/"))

    assert 'alt=""' in html


def test_bloc_chiffres_cles(client, page_avec):
    page_avec({"type": "chiffres_cles", "value": {"titre": "L'ESS en chiffres", "chiffres": [
        {"valeur": "31 000", "libelle": "salariés"}, {"valeur": "11 %", "libelle": "des emplois"},
    ]}})

    html = contenu_principal(client.get("/blocs/"))

    assert '<span class="chiffres__valeur">31 000</span> <span class="chiffres__libelle">salariés</span>' in html
    assert "11 %" in html


def test_chiffres_calcules_refletent_les_donnees_a_chaque_affichage(client, page_avec):
    page_avec({"type": "chiffres_calcules", "value": {
        "titre": "Le Conseil en chiffres", "compteurs": ["structures_validees", "personnes_inscrites"],
    }})
    utilisateurs = get_user_model().objects
    for i in range(3):
        utilisateurs.create_user(email=f"actif{i}@example.org")
    utilisateurs.create_user(email="inactif@example.org", is_active=False)
    for i, statut in enumerate(["validee", "validee", "en_attente", "refusee"]):
        Structure.objects.create(nom=f"Structure {i}", slug=f"structure-{i}", forme_juridique="association",
                                 statut=statut)

    assert valeurs_compteurs(contenu_principal(client.get("/blocs/"))) == [2, 3]

    Structure.objects.filter(slug="structure-2").update(statut="validee")
    utilisateurs.create_user(email="nouvelle@example.org")
    assert valeurs_compteurs(contenu_principal(client.get("/blocs/"))) == [3, 4]


def test_compteur_enregistre_par_une_autre_application(client, page_avec, monkeypatch):
    monkeypatch.setattr(compteurs, "COMPTEURS", dict(compteurs.COMPTEURS))
    compteurs.enregistrer("propositions_test", "propositions de test", lambda: 42)
    assert ("propositions_test", "propositions de test") in compteurs.choix()
    page_avec({"type": "chiffres_calcules", "value": {
        "titre": "", "compteurs": ["propositions_test", "compteur_disparu"],
    }})

    html = contenu_principal(client.get("/blocs/"))

    assert valeurs_compteurs(html) == [42]
    assert "propositions de test" in html


def test_appel_a_l_action_vers_une_page(client, page_avec, page_standard):
    page_avec({"type": "appel_action", "value": {
        "titre": "Rejoindre le Conseil", "texte": "Toute structure peut participer.", "page": page_standard.pk,
        "url": "", "libelle_bouton": "Découvrir le Conseil",
    }})

    html = contenu_principal(client.get("/blocs/"))

    assert '<a class="bouton" href="/page-de-test/">Découvrir le Conseil</a>' in html
    assert "<h2>Rejoindre le Conseil</h2>" in html


def test_appel_a_l_action_vers_une_adresse(client, page_avec):
    page_avec({"type": "appel_action", "value": {
        "titre": "Le site de la CRESS", "texte": "", "page": None, "url": "https://cress.example.org/",
        "libelle_bouton": "Aller sur le site de la CRESS",
    }})

    html = contenu_principal(client.get("/blocs/"))

    assert 'href="https://cress.example.org/"' in html


@pytest.mark.parametrize("avec_page, url", [(True, "https://exemple.org/"), (False, "")])
def test_appel_a_l_action_exige_une_page_ou_une_adresse(page_standard, avec_page, url):
    bloc = AppelActionBlock()
    valeur = bloc.to_python({"titre": "T", "texte": "", "page": page_standard.pk if avec_page else None, "url": url,
                             "libelle_bouton": "Aller"})
    with pytest.raises(StructBlockValidationError):
        bloc.clean(valeur)


def test_bloc_documents_indique_format_et_poids(client, page_avec, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = Document.objects.create(title="SPASER 2026", file=ContentFile(b"x" * 2048, name="spaser.pdf"))
    page_avec({"type": "documents", "value": {"titre": "À télécharger", "documents": [document.pk]}})

    html = contenu_principal(client.get("/blocs/"))

    assert f'href="{document.url}"' in html and "SPASER 2026" in html
    assert "(PDF, 2,0" in html


def test_bloc_etapes(client, page_avec):
    page_avec({"type": "etapes", "value": {"titre": "Le parcours", "etapes": [
        {"titre": "Déposée", "texte": "Transmise au secrétariat."}, {"titre": "En instruction", "texte": ""},
    ]}})

    html = contenu_principal(client.get("/blocs/"))

    assert html.index("Déposée") < html.index("En instruction")
    assert '<ol class="etapes">' in html


def test_pages_des_appels_a_l_action_lues_comme_wagtail_les_lit(accueil, page_standard, django_assert_num_queries):
    """``PageDuSiteBlock``: the pages Wagtail's chooser gives (order, None kept, a repeated page as another object),
    by one query compiled once per set of pages, read again at every display; recorded as Wagtail's block."""
    from django.db.models.sql import compiler
    from wagtail.blocks import PageChooserBlock

    from conseil_ess import compilation
    from home.blocks import PageDuSiteBlock

    compilation.oublier()
    bloc, wagtail = PageDuSiteBlock(), PageChooserBlock()
    valeurs = [page_standard.pk, None, accueil.pk, page_standard.pk, 999999]
    attendu = wagtail.bulk_to_python(valeurs)
    for _fois in range(2):
        with django_assert_num_queries(1):
            obtenu = bloc.bulk_to_python(valeurs)
        assert obtenu == attendu and [type(p) for p in obtenu] == [type(p) for p in attendu]
        assert obtenu[0] is not obtenu[3] and obtenu[1] is None and obtenu[4] is None
    compile_ = compiler.SQLCompiler.as_sql
    appels = []
    compiler.SQLCompiler.as_sql = lambda self, *a, **k: appels.append(1) or compile_(self, *a, **k)
    try:
        bloc.bulk_to_python(valeurs)
    finally:
        compiler.SQLCompiler.as_sql = compile_
    assert appels == []  # compiled at the first display only
    StandardPage.objects.filter(pk=page_standard.pk).update(title="Titre changé")
    assert bloc.bulk_to_python(valeurs)[0].title == "Titre changé"
    assert bloc.deconstruct()[0] == "wagtail.blocks.PageChooserBlock"
    compilation.oublier()
