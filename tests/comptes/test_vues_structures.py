import pytest
from django.urls import reverse

from conseil_ess.comptes.models import Adhesion, Structure
from tests.factories import AdhesionFactory, CommuneFactory, StructureFactory

pytestmark = pytest.mark.django_db


def donnees_structure(**kwargs):
    commune = CommuneFactory(nom="Lanvallon", slug="lanvallon")
    donnees = {
        "nom": "Les Jardins de la Lère", "forme_juridique": "association", "precision_forme": "",
        "siret": "73282932000075", "secteur": "Maraîchage", "commune": commune.pk,
        "site_web": "https://jardins.example.org", "description": "Maraîchage <b>bio</b> et insertion.",
    }
    donnees.update(kwargs)
    return donnees


def test_siret_invalide_message_a_cote_du_champ_et_saisie_conservee(client, acteur):
    client.force_login(acteur)
    reponse = client.post(reverse("comptes:structure_creer"), donnees_structure())
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "clé de contrôle" in contenu
    assert 'value="Les Jardins de la Lère"' in contenu
    assert 'value="73282932000075"' in contenu
    assert "Maraîchage &lt;b&gt;bio&lt;/b&gt; et insertion." in contenu
    assert 'aria-invalid="true"' in contenu
    assert not Structure.objects.exists()


def test_creation_valide_cree_une_structure_en_attente(client, acteur):
    client.force_login(acteur)
    reponse = client.post(reverse("comptes:structure_creer"), donnees_structure(siret="732 829 320 00074"))
    structure = Structure.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == structure.get_absolute_url()
    assert structure.slug == "les-jardins-de-la-lere"
    assert structure.siret == "73282932000074"
    assert structure.statut == Structure.Statut.EN_ATTENTE
    assert Adhesion.objects.get(structure=structure).role == Adhesion.Role.REFERENT


def test_description_nettoyee(client, acteur):
    client.force_login(acteur)
    client.post(reverse("comptes:structure_creer"), donnees_structure(
        siret="", description='<p onclick="x()">Bonjour<script>alert(1)</script></p><a href="javascript:x">y</a>'))
    description = Structure.objects.get().description
    assert "<script" not in description and "onclick" not in description and "javascript:" not in description
    assert "<p>Bonjour" in description


def test_structure_en_attente_invisible_sauf_membres_et_agents(client, acteur, agent):
    structure = StructureFactory(statut=Structure.Statut.EN_ATTENTE)
    url = structure.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(acteur)
    assert client.get(url).status_code == 404
    AdhesionFactory(user=acteur, structure=structure, role=Adhesion.Role.REFERENT)
    assert client.get(url).status_code == 200
    client.force_login(agent)
    assert client.get(url).status_code == 200


def test_liste_publique_filtre_et_pagine(client, django_assert_max_num_queries):
    commune = CommuneFactory(slug="bois-clair", nom="Bois-Clair")
    StructureFactory.create_batch(25, commune=commune)
    StructureFactory(statut=Structure.Statut.EN_ATTENTE, nom="Cachée")
    with django_assert_max_num_queries(15):  # layout (menu, footer) included
        reponse = client.get(reverse("comptes:structure_liste"), {"commune": "bois-clair"})
    assert "25 structures" in reponse.content.decode()
    assert "Cachée" not in reponse.content.decode()
    assert len(reponse.context["structures"]) == 20
    assert client.get(reverse("comptes:structure_liste"), {"page": "abc"}).status_code == 200


def test_requetes_liste_ne_croissent_pas(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHE_PAGES = False  # the page's own queries, not a hit of the public pages' cache

    StructureFactory.create_batch(3)
    client.get(reverse("comptes:structure_liste"))  # warm-up: site settings are created on first use
    with CaptureQueriesContext(connection) as peu:
        client.get(reverse("comptes:structure_liste"))
    StructureFactory.create_batch(30)
    with CaptureQueriesContext(connection) as beaucoup:
        client.get(reverse("comptes:structure_liste"))
    assert len(beaucoup) == len(peu)


def test_demande_puis_acceptation_par_le_referent(client, acteur):
    from tests.conftest import creer_utilisateur

    referent = creer_utilisateur("acteur")
    structure = StructureFactory()
    AdhesionFactory(user=referent, structure=structure, role=Adhesion.Role.REFERENT)
    client.force_login(acteur)
    client.post(reverse("comptes:structure_rejoindre", args=[structure.slug]), {"message": "Bonjour"})
    adhesion = Adhesion.objects.get(user=acteur)
    url = reverse("comptes:adhesion_decider", args=[adhesion.pk, "accepter"])
    assert client.post(url).status_code == 403  # the requester cannot accept themselves
    client.force_login(referent)
    assert "souhaite rejoindre" in client.get(reverse("comptes:mon_espace")).content.decode()
    assert client.post(url).status_code == 302
    adhesion.refresh_from_db()
    assert adhesion.statut == Adhesion.Statut.ACCEPTEE
    assert client.post(reverse("comptes:adhesion_decider", args=[999999, "accepter"])).status_code == 404


def test_modifier_reserve_au_referent(client, acteur):
    structure = StructureFactory()
    url = reverse("comptes:structure_modifier", args=[structure.slug])
    client.force_login(acteur)
    assert client.get(url).status_code == 404
    AdhesionFactory(user=acteur, structure=structure, role=Adhesion.Role.REFERENT)
    assert client.get(url).status_code == 200


def test_profil_modifie_le_nom_affiche(client, acteur):
    client.force_login(acteur)
    reponse = client.post(reverse("comptes:profil"), {"nom_affiche": "Camille de la Ressourcerie",
                                                      "first_name": "Camille", "last_name": "T", "fonction": ""})
    assert reponse.status_code == 302
    acteur.refresh_from_db()
    assert acteur.nom_public == "Camille de la Ressourcerie"


@pytest.mark.parametrize("avec_commune", [True, False])
def test_carte_structure_ecrite_en_python_donne_le_html_de_l_ancien_gabarit(db, avec_commune):
    """``{% carte_structure %}`` (conseil_ess/comptes/templatetags/structures.py) replaced the loop's body kept in
    tests/comptes/anciens_gabarits: same bytes, values escaped."""
    from pathlib import Path

    from django.template import Context, Template

    from conseil_ess.comptes.models import Agrement

    structure = StructureFactory(nom='Coop <b> & "co"', commune=CommuneFactory(nom="Val <d>") if avec_commune else None)
    structure.agrements.set([Agrement.objects.create(code="esus-t", libelle="ESUS <x>"),
                             Agrement.objects.create(code="ea-t", libelle="EA")])
    structure = Structure.objects.select_related("commune").prefetch_related("agrements").get(pk=structure.pk)
    ancien = (Path(__file__).parent / "anciens_gabarits" / "carte_structure.html").read_text()

    attendu = Template(ancien).render(Context({"s": structure}))
    obtenu = Template("{% load structures %}{% carte_structure s %}").render(Context({"s": structure}))

    assert obtenu == attendu
    assert "Coop &lt;b&gt; &amp; &quot;co&quot;" in obtenu and "ESUS &lt;x&gt;" in obtenu
