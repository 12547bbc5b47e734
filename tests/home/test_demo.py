"""Demo pages: idempotent loading, exact leviers, no broken link, removal of demo pages only."""

import re
from io import StringIO

import pytest
from wagtail.models import Page

from home import compteurs, demo
from home.models import ChampActionPage, HomePage, LegalPage, Levier, PiedDePage, StandardPage

from .outils import contenu_principal, publier, valeurs_compteurs

pytestmark = pytest.mark.django_db

SLUGS = {
    "quest-ce-que-less", "le-conseil", "co-construction", "champs-d-action", "documents-cadres",
    "suivi-et-evaluation", "mois-de-l-ess", "assises", "actualites", "mentions-legales", "donnees-personnelles",
    "accessibilite",
}

# DOMAINE.md §7, synthesis table: number of leviers per champ, and champ 5 word for word.
NOMBRE_DE_LEVIERS = {1: 4, 2: 5, 3: 5, 4: 6, 5: 7, 6: 5}
LEVIERS_CHAMP_5 = [
    "Développer les clauses sociales et environnementales dans les marchés de la Métropole",
    "Réserver des marchés ou des lots à des entreprises de l'insertion par l'activité économique ou des "
    "entreprises adaptées",
    "Réserver des marchés de services de santé",
    "Favoriser l'accès des acteurs de l'ESS aux marchés publics (allotissements, marchés négociés, utilisation "
    "de labels, etc.)",
    "Référencer les entreprises sociales et solidaires",
    "Encourager l'échange de bonnes pratiques entre collectivités sur le développement des achats responsables",
    "Mettre en place des outils facilitateurs (plateformes en ligne, démarche qualité des marchés d'insertion, "
    "etc.) pour améliorer la pertinence des marchés publics (adéquation entre offre et demande)",
]


@pytest.fixture
def charge(accueil):
    demo.charger_pages()
    return HomePage.objects.get(pk=accueil.pk)


def test_charger_pages_cree_les_pages_attendues(charge):
    enfants = {p.slug for p in charge.get_children()}
    assert enfants == SLUGS
    assert Page.objects.filter(depth__gt=2).count() == 12 + 6 + 3
    demo_pages = [p.specific for p in Page.objects.filter(depth__gt=2)]
    assert all(p.is_demo and p.live for p in demo_pages)
    menu = {p.slug for p in charge.get_children().in_menu()}
    assert menu == {"quest-ce-que-less", "le-conseil", "co-construction", "champs-d-action", "actualites"}


def test_charger_pages_deux_fois_sans_doublon(charge):
    compte = Page.objects.count()
    leviers = list(Levier.objects.order_by("pk").values_list("pk", "libelle"))
    sortie = StringIO()

    demo.charger_pages(stdout=sortie)

    assert Page.objects.count() == compte
    assert list(Levier.objects.order_by("pk").values_list("pk", "libelle")) == leviers
    assert "0 créées, 21 mises à jour" in sortie.getvalue()


def test_charger_pages_remet_le_contenu_modifie(charge):
    page = StandardPage.objects.get(slug="le-conseil")
    page.intro = "Modifié"
    page.save_revision().publish()

    demo.charger_pages()

    assert StandardPage.objects.get(slug="le-conseil").intro.startswith("Depuis 2013")


def test_six_champs_et_leurs_leviers(charge):
    champs = ChampActionPage.objects.order_by("numero")
    assert [c.numero for c in champs] == [1, 2, 3, 4, 5, 6]
    assert {c.numero: c.leviers.count() for c in champs} == NOMBRE_DE_LEVIERS
    assert [levier.libelle for levier in champs.get(numero=5).leviers.all()] == LEVIERS_CHAMP_5
    assert champs.get(numero=3).nom_canonique == "Accès au foncier et tiers-lieux"
    assert champs.get(numero=3).libelle_secondaire == "Aide à l'installation de projets et accès au foncier"


def test_pages_de_demo_sans_lien_casse(client, charge):
    # The pages link to the agenda's programmes: load the whole demo (structures, then the agenda).
    from conseil_ess.comptes import demo as demo_comptes
    from evenements import demo as demo_evenements

    demo_comptes.charger(avec_utilisateurs=True)
    demo_evenements.charger()
    a_visiter = [p.url for p in Page.objects.live().filter(depth__gte=2)]
    vus = set()
    for url in a_visiter:
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        for lien in re.findall(r'href="(/[^"#?]*)', contenu_principal(reponse)):
            if lien not in vus:
                vus.add(lien)
                # 302 only towards the login page (e.g. proposing an event needs an account).
                suite = client.get(lien)
                assert suite.status_code == 200 or suite["Location"].startswith("/compte/login/"), f"{url} → {lien}"
    assert {"/agenda/programmes/mois-ess-2026/", "/agenda/programmes/assises-2027/", "/agenda/proposer/"} <= vus


def test_page_co_construction_presente_tous_les_etats(client, charge):
    html = contenu_principal(client.get("/co-construction/"))
    for etat in ["Brouillon", "Déposée", "En instruction", "Réorientée", "En atelier", "Soumise en plénière",
                 "Adoptée", "Non retenue", "En œuvre", "Réalisée", "Évaluée", "Abandonnée", "Retirée"]:
        assert etat in html, etat


def test_page_le_conseil_affiche_des_compteurs_calcules(client, charge):
    html = contenu_principal(client.get("/le-conseil/"))
    # Every registered counter (structures, people, ateliers, meetings, participations, members), nothing loaded yet.
    assert valeurs_compteurs(html) == [0] * len(compteurs.COMPTEURS)
    assert "18 000 €" in html


def test_declaration_d_accessibilite_au_format_rgaa(client, charge):
    page = LegalPage.objects.get(slug="accessibilite")
    html = contenu_principal(client.get(page.url)).replace("&#x27;", "'")
    assert page.etat_conformite == "partielle"
    for titre in ["État de conformité", "Contenus non accessibles", "Établissement de cette déclaration",
                  "Retour d'information et contact", "Voies de recours"]:
        assert f"<h2>{titre}" in html, titre
    assert "partiellement conforme" in html and "Défenseur des droits" in html


def test_pied_de_page_de_demo(client, charge):
    reglage = PiedDePage.objects.get()
    assert reglage.liens.count() == 6
    html = client.get("/").content.decode()
    assert "Accessibilité : partiellement conforme" in html


def test_supprimer_pages_ne_supprime_que_les_pages_de_demo(client, charge):
    a_moi = publier(charge, StandardPage(title="Ma page", slug="ma-page"))
    conseil = StandardPage.objects.get(slug="le-conseil")
    sous_page = publier(conseil, StandardPage(title="Compte rendu", slug="compte-rendu"))

    supprimees = demo.supprimer_pages()

    restantes = set(Page.objects.values_list("slug", flat=True))
    assert restantes == {"root", "accueil", "ma-page", "le-conseil", "compte-rendu"}
    assert supprimees == 12 + 6 + 3 - 1
    assert HomePage.objects.get().accroche == ""
    # Footer links to deleted pages go with them; the kept page keeps its link.
    assert [lien.page.slug for lien in PiedDePage.objects.get().liens.all()] == ["le-conseil"]
    assert client.get(a_moi.url).status_code == 200 and client.get(sous_page.url).status_code == 200
    assert client.get("/").status_code == 200


def test_supprimer_puis_recharger(charge):
    demo.supprimer_pages()
    demo.charger_pages()

    assert {p.slug for p in HomePage.objects.get().get_children()} == SLUGS
