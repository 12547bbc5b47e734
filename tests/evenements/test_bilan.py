"""The coordinator's report of a programme (admin): figures, SVG charts without script, CSV export, flat queries."""

import pytest
from django.urls import reverse

from conseil_ess.comptes.models import ChampAction
from evenements import services
from evenements.models import Evenement
from tests.conftest import creer_utilisateur
from tests.factories import CommuneFactory, StructureFactory, UserFactory
from tests.tableurs import lire_export

from .fabriques import EvenementFactory, LieuFactory, ProgrammeFactory, public

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def peupler(programme, n, commune):
    champ = ChampAction.objects.get_or_create(numero=3, defaults={"nom": "Emploi", "libelle_court": "Emploi"})[0]
    lieu = LieuFactory(commune=commune)
    for i in range(n):
        EvenementFactory(programme=programme, lieu=lieu, type="atelier", accessibilite="oui" if i % 2 else "non",
                         interpretation_lsf=i == 0, champs=[champ], publics=[public("grand-public", "Grand public")],
                         structures=[StructureFactory(nom=f"Coop {i}")])
    return champ


def test_bilan_chiffres_svg_et_csv(client, django_assert_max_num_queries):
    programme = ProgrammeFactory(titre="Mois de l'ESS")
    rivebelle = CommuneFactory(nom="Rivebelle", slug="rivebelle")
    champ = peupler(programme, 4, rivebelle)
    EvenementFactory(programme=programme, mode=Evenement.Mode.EN_LIGNE, lieu=None, lien_en_ligne="https://v.example/",
                     type="webinaire")
    EvenementFactory(programme=programme, publication=Evenement.Publication.BROUILLON)
    limite = EvenementFactory(programme=programme, inscription_sur_plateforme=True, capacite=4,
                              lieu=LieuFactory(commune=rivebelle))
    services.inscrire(limite, UserFactory())
    client.force_login(creer_utilisateur("agent"))
    url = reverse("evenements_programmes:bilan", args=[programme.pk])
    with django_assert_max_num_queries(40):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "6 événements publiés" in html
    assert "<svg" in html and "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    assert "Rivebelle" in html and "Atelier" in html and "Grand public" in html
    assert f"{champ.numero}. {champ.libelle_court}" in html
    assert "Taux de remplissage" in html and "25 %" in html
    peupler(programme, 10, rivebelle)
    with django_assert_max_num_queries(40):
        client.get(url)
    lignes = lire_export(client.get(url, {"export": "csv"}))
    assert ["Total", "Événements publiés", "16"] in [list(map(str, x)) for x in lignes]
    assert any(x[1] == "Rivebelle" and str(x[2]) == "15" for x in lignes)


@pytest.mark.parametrize("role", ["acteur", "elu"])
def test_bilan_refuse(client, role):
    client.force_login(creer_utilisateur(role))
    programme = ProgrammeFactory()
    assert client.get(reverse("evenements_programmes:bilan", args=[programme.pk])).status_code in (302, 403)
