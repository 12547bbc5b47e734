"""The public summary of the proposals (``{% synthese_propositions %}``) on the home page and on
/propositions/, the wording of its delays, and the counters the home pages may show."""

import html as html_module
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conseil_ess.comptes import compteurs
from conseil_ess.propositions import statistiques
from conseil_ess.propositions.models import Etat, NoteInterne
from conseil_ess.propositions.templatetags.synthese import duree_jours
from home.setup import assurer_site

from .fabriques import PropositionFactory
from .parcours_dates import il_y_a, proposition_datee

E = Etat


@pytest.fixture
def accueil(db):
    return assurer_site()


@pytest.fixture
def jeu(db):
    """Submission → decision: 60 and 120 days (median 90, « environ 3 mois »); adoption → completion: 30 days."""
    realisee = proposition_datee(E.REALISEE, {E.DEPOSEE: il_y_a(100), E.ADOPTEE: il_y_a(40), E.REALISEE: il_y_a(10)},
                                 titre="Légumerie réalisée")
    proposition_datee(E.NON_RETENUE, {E.DEPOSEE: il_y_a(200), E.NON_RETENUE: il_y_a(80)}, titre="Non retenue")
    proposition_datee(E.EN_INSTRUCTION, {E.DEPOSEE: il_y_a(30)}, titre="En instruction")
    PropositionFactory(titre="Brouillon secret")
    NoteInterne.objects.create(proposition=realisee, texte="Note interne confidentielle")
    return realisee


def synthese_de(reponse):
    """Return the decoded HTML of the summary section of a page."""
    contenu = html_module.unescape(reponse.content.decode())
    debut = contenu.index('class="accueil-section synthese-propositions"')
    return contenu[debut:contenu.index("</section>", debut)]


def chiffres(section):
    return {cle: int(n) for cle, n in re.findall(r'data-chiffre="(\w+)">(\d+)<', section)}


@pytest.mark.parametrize(("jours", "attendu"), [
    (None, ""), (1, "1 jour"), (1.4, "1 jour"), (12, "12 jours"), (59.4, "59 jours"), (60, "environ 2 mois"),
    (90, "environ 3 mois"), (122, "environ 4 mois"), (150, "environ 5 mois"), (700, "environ 23 mois"),
    (800, "environ 2 ans"), (1100, "environ 3 ans"),
])
def test_les_delais_sont_ecrits_en_francais(jours, attendu):
    assert duree_jours(jours) == attendu


def test_la_synthese_compte_sans_brouillon_en_une_requete_sur_postgresql(jeu):
    """PostgreSQL computes the counts and both medians in one query; other databases take three."""
    with CaptureQueriesContext(connection) as requetes:
        synthese = statistiques.synthese()
    assert len(requetes) == (1 if connection.vendor == "postgresql" else 3)
    assert synthese == {"total": 3, "adoptees": 1, "realisees": 1, "depot_decision": pytest.approx(90),
                        "adoption_realisation": pytest.approx(30)}


def test_la_synthese_publique_relit_les_chiffres_a_chaque_fois(jeu):
    """On PostgreSQL the public figures run the SQL the ORM wrote once (``_SQL_DE_LA_SYNTHESE_PUBLIQUE``): the
    same figures as the ORM's query, read again after a change, one query each time."""
    from conseil_ess.propositions.models import Proposition

    def par_l_orm():
        if connection.vendor == "postgresql":
            return statistiques._synthese_postgresql(Proposition.objects.publiques())
        return {**Proposition.objects.publiques().aggregate(**statistiques._comptes()),
                **statistiques.medianes(Proposition.objects.publiques())}

    assert statistiques.synthese() == par_l_orm()
    proposition_datee(E.ADOPTEE, {E.DEPOSEE: il_y_a(50), E.ADOPTEE: il_y_a(20)}, titre="Adoptée ensuite")
    with CaptureQueriesContext(connection) as requetes:
        apres = statistiques.synthese()
    assert len(requetes) == (1 if connection.vendor == "postgresql" else 3)
    assert apres == par_l_orm() and (apres["total"], apres["adoptees"]) == (4, 2)


def test_la_synthese_sur_l_accueil(client, accueil, jeu):
    section = synthese_de(client.get("/"))
    assert "La suite donnée aux propositions" in section
    assert chiffres(section) == {"total": 3, "adoptees": 1, "realisees": 1}
    assert "Entre le dépôt et la décision du Conseil : environ 3 mois en médiane." in section
    assert "Entre l'adoption et la réalisation : 30 jours en médiane." in section
    assert 'href="/propositions/"' in section and 'href="/donnees/"' in section
    contenu = client.get("/").content.decode()
    for prive in ("Brouillon secret", "Note interne confidentielle", jeu.auteur.email):
        assert prive not in contenu


def test_la_synthese_sur_la_liste_des_propositions(client, jeu):
    reponse = client.get("/propositions/")
    assert reponse.status_code == 200
    section = synthese_de(reponse)
    assert chiffres(section) == {"total": 3, "adoptees": 1, "realisees": 1}
    assert "environ 3 mois en médiane" in section
    assert "Note interne confidentielle" not in reponse.content.decode()


def test_la_synthese_sans_aucune_proposition(client, accueil):
    PropositionFactory(titre="Brouillon seul")
    reponse = client.get("/")
    assert reponse.status_code == 200
    section = synthese_de(reponse)
    assert "Aucune proposition n'a encore été déposée" in section
    assert "data-chiffre=\"total\"" not in section
    assert client.get("/propositions/").status_code == 200


def test_la_synthese_sans_decision_ni_realisation(client, accueil):
    proposition_datee(E.DEPOSEE, {E.DEPOSEE: il_y_a(3)})
    section = synthese_de(client.get("/"))
    assert chiffres(section) == {"total": 1, "adoptees": 0, "realisees": 0}
    assert "aucune décision n'a encore été prise" in section
    assert "aucune proposition adoptée n'est encore réalisée" in section


def test_les_compteurs_de_l_accueil(jeu):
    valeurs = {code: compteurs.COMPTEURS[code].fonction()
               for code in ("propositions_deposees", "propositions_adoptees", "propositions_realisees")}
    assert valeurs == {"propositions_deposees": 3, "propositions_adoptees": 1, "propositions_realisees": 1}
    assert ("propositions_adoptees", "propositions adoptées par le Conseil") in [
        (code, str(libelle)) for code, libelle in compteurs.choix()]
