"""The site's search over everything: pages, proposals, events, ateliers, minutes, séances, structures.

French stemming and accents on both databases (these tests run in the PostgreSQL pass too), what a person
may not see never appears, grouping and the type filter, pagination, odd parameters.
"""

import html as html_
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ateliers.models import CompteRendu, Participation
from conseil_ess.comptes.models import Structure
from conseil_ess.propositions.models import Etat, NoteInterne, PointSuivi, Proposition
from conseil_ess.seances import services as services_seances
from conseil_ess.seances.models import ProcesVerbal
from evenements.models import Evenement
from home.models import StandardPage
from tests.ateliers.fabriques import AtelierFactory, ParticipationFactory, creer_reunion_directe, publier_compte_rendu
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.factories import StructureFactory
from tests.propositions.fabriques import PropositionFactory, amener_a
from tests.seances.fabriques import nouvelle_seance, un_agent

from .outils import contenu_principal, paragraphe, publier

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

URL = "/recherche/"
TYPES = ["pages", "propositions", "evenements", "ateliers", "comptes-rendus", "seances", "proces-verbaux",
         "structures"]


def titres(reponse):
    """The titles of the results shown (marks removed)."""
    html = contenu_principal(reponse)
    liens = re.findall(r'class="resultat__titre"><a href="[^"]*">(.*?)</a>', html)
    return [html_.unescape(re.sub(r"</?mark>", "", t)) for t in liens]


def tout_ce_qui_est_trouve(client, requete):
    """Every result title for ``requete``, type by type (so that no group's three-result cut hides one)."""
    trouves = []
    for code in TYPES:
        reponse = client.get(URL, {"q": requete, "type": code})
        assert reponse.status_code == 200
        trouves += titres(reponse)
    return trouves


def seance_publiee(agent, titre, jours=10):
    seance = nouvelle_seance(agent, jours=jours, titre=titre)
    services_seances.ajouter_point(seance, agent, "Accueil")
    return services_seances.publier_ordre_du_jour(seance, agent)


@pytest.fixture
def monde(accueil):
    """What is about a ressourcerie or insertion, public or not."""
    agent = un_agent()
    ressourcerie = StructureFactory(nom="Ressourcerie du Val", description="<p>Réemploi et insertion.</p>")
    StructureFactory(nom="Ressourcerie en attente", statut=Structure.Statut.EN_ATTENTE)
    EvenementFactory(titre="Visite de la ressourcerie du Val", structures=[ressourcerie])
    EvenementFactory(titre="Brouillon de visite ressourcerie", publication=Evenement.Publication.BROUILLON)
    portee = amener_a(PropositionFactory(titre="Collecte des textiles", structures=[ressourcerie]), Etat.DEPOSEE)
    amener_a(PropositionFactory(titre="Clauses sociales dans les marchés",
                                description="<p>Des heures d'insertion dans chaque marché.</p>"), Etat.DEPOSEE)
    PropositionFactory(titre="Brouillon sur l'insertion et les ressourceries")
    NoteInterne.objects.create(proposition=portee, auteur=agent, texte="Zygomorphe : ne pas répondre.")
    atelier = AtelierFactory(titre="Atelier réemploi", description="<p>Le réemploi et les ressourceries.</p>")
    reservee = creer_reunion_directe(atelier, visibilite=Evenement.Visibilite.MEMBRES)
    reservee.evenement.titre = "Réunion réservée sur la ressourcerie"
    reservee.evenement.save()
    publique = creer_reunion_directe(atelier, jours=-14)
    publier_compte_rendu(publique, "<p>Nous avons visité une ressourcerie.</p>")
    publique.evenement.titre = "Réunion publique de l'atelier"
    publique.evenement.save()
    interne = creer_reunion_directe(atelier, jours=-21)
    interne.evenement.titre = "Réunion au compte rendu interne"
    interne.evenement.save()
    publier_compte_rendu(interne, "<p>Ressourcerie : notre position interne.</p>", interne=True)
    brouillon = creer_reunion_directe(atelier, jours=-28)
    brouillon.evenement.titre = "Réunion au compte rendu en brouillon"
    brouillon.evenement.save()
    CompteRendu.objects.create(reunion=brouillon, contenu="<p>Ressourcerie en brouillon.</p>")
    nouvelle_seance(agent, titre="Plénière en préparation sur les ressourceries")
    tenue = seance_publiee(agent, "Plénière sur l'économie circulaire", jours=-30)
    ProcesVerbal.objects.create(seance=tenue, contenu="<p>Le Conseil soutient les ressourceries.</p>",
                                statut=ProcesVerbal.Statut.PUBLIE)
    preparee = seance_publiee(agent, "Plénière de juin")
    ProcesVerbal.objects.create(seance=preparee, contenu="<p>Brouillon : ressourcerie.</p>")
    publier(accueil, StandardPage(title="Le réemploi", slug="reemploi",
                                  body=paragraphe("<p>Les ressourceries de la métropole.</p>")))
    return {"atelier": atelier, "agent": agent}


CACHES = [
    "Ressourcerie en attente", "Brouillon de visite ressourcerie", "Brouillon sur l'insertion et les ressourceries",
    "Réunion réservée sur la ressourcerie", "Plénière en préparation sur les ressourceries",
]


def test_ressourcerie_trouve_la_structure_les_evenements_et_les_propositions(client, monde):
    trouves = tout_ce_qui_est_trouve(client, "ressourcerie")

    for attendu in ["Ressourcerie du Val", "Visite de la ressourcerie du Val", "Le réemploi", "Atelier réemploi",
                    "Atelier réemploi – Réunion publique de l'atelier",
                    "Procès-verbal – Plénière sur l'économie circulaire"]:
        assert attendu in trouves
    assert any(t.endswith("Collecte des textiles") for t in trouves)  # through its carrier's name


@pytest.mark.parametrize("requete", ["ressourceries", "RESSOURCERIE", "Ressourcéries"])
def test_pluriel_casse_et_accents(client, monde, requete):
    trouves = tout_ce_qui_est_trouve(client, requete)
    assert "Ressourcerie du Val" in trouves and "Visite de la ressourcerie du Val" in trouves


def test_accents_ignores(client, monde):
    for requete in ("economie circulaire", "économie circulaire", "ECONOMIES"):
        assert "Plénière sur l'économie circulaire" in tout_ce_qui_est_trouve(client, requete)


def test_insertion_trouve_les_propositions(client, monde):
    trouves = titres(client.get(URL, {"q": "insertion", "type": "propositions"}))
    assert any(t.endswith("Clauses sociales dans les marchés") for t in trouves)
    assert not any("Brouillon" in t for t in trouves)


@pytest.mark.parametrize("role", ["anonyme", "acteur"])
def test_ce_qui_n_est_pas_visible_n_apparait_jamais(client, monde, role):
    user = creer_utilisateur(role)
    if user:
        client.force_login(user)
    trouves = tout_ce_qui_est_trouve(client, "ressourcerie") + tout_ce_qui_est_trouve(client, "insertion")

    for cache in CACHES:
        assert not any(cache in t for t in trouves), cache
    assert not any("compte rendu interne" in t or "en brouillon" in t for t in trouves)
    assert "Procès-verbal – Plénière de juin" not in trouves  # draft minutes
    assert tout_ce_qui_est_trouve(client, "zygomorphe") == []  # internal notes are never indexed
    html = contenu_principal(client.get(URL, {"q": "ressourcerie"}))
    assert "réservée" not in html and "préparation sur" not in html


def test_les_membres_de_l_atelier_voient_sa_reunion_reservee_et_son_compte_rendu_interne(client, monde):
    membre = creer_utilisateur("acteur")
    ParticipationFactory(atelier=monde["atelier"], user=membre, statut=Participation.Statut.ACCEPTEE)
    client.force_login(membre)

    trouves = tout_ce_qui_est_trouve(client, "ressourcerie")

    assert "Réunion réservée sur la ressourcerie" in trouves
    assert "Atelier réemploi – Réunion au compte rendu interne" in trouves
    assert "Plénière en préparation sur les ressourceries" not in trouves


def test_le_secretariat_voit_la_seance_en_preparation(client, monde):
    client.force_login(creer_utilisateur("agent"))
    trouves = titres(client.get(URL, {"q": "ressourcerie", "type": "seances"}))
    assert trouves == ["Plénière en préparation sur les ressourceries"]


def test_regroupement_et_filtre_par_type_avec_leurs_nombres(client, monde):
    reponse = client.get(URL, {"q": "ressourcerie"})
    html = contenu_principal(reponse)
    nombres = {t["type"].code: t["nombre"] for t in reponse.context["types"]}

    assert nombres["structures"] == 1 and nombres["evenements"] == 1 and nombres["seances"] == 0
    assert reponse.context["total"] == sum(nombres.values())
    assert ('href="/recherche/?q=ressourcerie&amp;type=structures">Structures '
            '<span class="recherche__nombre">(1)') in html
    assert 'id="groupe-structures"' in html and 'id="groupe-seances"' not in html
    # Filtered: only structures, the filter marked as the current one.
    filtre = client.get(URL, {"q": "ressourcerie", "type": "structures"})
    assert titres(filtre) == ["Ressourcerie du Val"]
    assert 'type=structures" aria-current="page"' in contenu_principal(filtre)


def test_chaque_resultat_a_sa_date_son_etat_et_un_extrait_surligne(client, monde):
    html = contenu_principal(client.get(URL, {"q": "insertion", "type": "propositions"}))
    assert "Déposée" in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    assert "Des heures d&#x27;<mark>insertion</mark> dans chaque marché." in html


def test_pagination_par_type(client, accueil):
    for i in range(12):
        EvenementFactory(titre=f"Troc de graines {i}", resume="Un troc de graines.")

    page1 = client.get(URL, {"q": "graines", "type": "evenements"})
    page2 = client.get(URL, {"q": "graines", "type": "evenements", "page": 2})

    assert len(titres(page1)) == 10 and len(titres(page2)) == 2
    assert "Page 2 sur 2" in contenu_principal(page2)
    # Grouped: three results and a link to the twelve.
    groupe = contenu_principal(client.get(URL, {"q": "graines"}))
    assert groupe.count('class="resultat__titre"') == 3
    assert "Voir les 12 résultats : Événements" in groupe


@pytest.mark.parametrize("parametres", [
    {"q": "ressourcerie", "page": "abc"}, {"q": "ressourcerie", "type": "zzz"}, {"q": "ressourcerie", "type": ""},
    {"q": "", "type": "structures"}, {"q": "ressourcerie " * 300}, {"q": "ressourcerie", "type": "structures",
                                                                   "page": "9999"},
    {"q": "ressourcerie", "type": ["structures", "pages"]}, {"q": "***"}, {"q": "le la de"},
])
def test_parametres_malformes_sans_erreur(client, monde, parametres):
    reponse = client.get(URL, parametres)
    assert reponse.status_code == 200


def test_type_inconnu_montre_tout(client, monde):
    reponse = client.get(URL, {"q": "ressourcerie", "type": "zzz"})
    assert reponse.context["type_choisi"] is None and 'id="groupe-structures"' in contenu_principal(reponse)


def _nombre_de_requetes(client, parametres):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(URL, parametres).status_code == 200
    return len(requetes)


# The production path's queries: the index kept at save time, not built when searched.
@pytest.mark.indexation
@pytest.mark.parametrize("parametres", [{"q": "ressourcerie"}, {"q": "ressourcerie", "type": "evenements"},
                                        {"q": "ressourcerie", "type": "comptes-rendus"}])
def test_nombre_de_requetes_constant(client, monde, django_assert_max_num_queries, parametres):
    client.force_login(creer_utilisateur("acteur"))
    avant = _nombre_de_requetes(client, parametres)
    atelier = monde["atelier"]
    for i in range(8):
        StructureFactory(nom=f"Ressourcerie {i}")
        EvenementFactory(titre=f"Ressourcerie ouverte {i}")
        amener_a(PropositionFactory(titre=f"Ressourcerie et textile {i}"), Etat.DEPOSEE)
        publier_compte_rendu(creer_reunion_directe(atelier, jours=-40 - i), "<p>La ressourcerie.</p>")
        seance_publiee(monde["agent"], f"Plénière ressourcerie {i}", jours=20 + i)
    with django_assert_max_num_queries(avant):
        client.get(URL, parametres)


@pytest.mark.indexation
def test_l_index_suit_les_changements(client, monde):
    structure = Structure.objects.get(nom="Ressourcerie du Val")
    structure.nom = "Recyclerie du Val"
    structure.save()
    assert "Recyclerie du Val" in titres(client.get(URL, {"q": "recycleries", "type": "structures"}))
    # A follow-up point names a word the proposal did not: the proposal is reindexed.
    proposition = Proposition.objects.get(titre="Collecte des textiles")
    PointSuivi.objects.create(proposition=proposition, date=proposition.deposee_le.date(), texte="Avec Emmaüs.")
    trouves = titres(client.get(URL, {"q": "emmaus", "type": "propositions"}))
    assert any(t.endswith("Collecte des textiles") for t in trouves)
    # A carrier named later: the proposal is found by its name.
    autre = Proposition.objects.get(titre="Clauses sociales dans les marchés")
    autre.structures.add(StructureFactory(nom="Coopérative des Coteaux"))
    trouves = titres(client.get(URL, {"q": "coteaux", "type": "propositions"}))
    assert any(t.endswith("Clauses sociales dans les marchés") for t in trouves)
