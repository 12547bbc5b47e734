"""Query counts of the proposals' pages do not grow from 10 to 1,000 proposals (the issue's scale).

The proposals are written in bulk (not walked through the workflow, which would take minutes): every
public state, champs, communes, carriers, two journal rows each, and for adopted ones a follow-up
point and an indicator with a value. Each page is loaded once to warm per-session caches, then its
queries are counted at 10 proposals; at 1,000 it must not need more.
"""

import csv
import datetime
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conseil_ess.comptes.models import ChampAction
from conseil_ess.propositions.models import (
    ETATS_ADOPTES,
    Etat,
    Indicateur,
    PointSuivi,
    Proposition,
    Transition,
    ValeurIndicateur,
)
from tests.ateliers.fabriques import AtelierFactory
from tests.conftest import creer_utilisateur
from tests.factories import CommuneFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

ETATS = [e for e in Etat if e not in (Etat.BROUILLON, Etat.FUSIONNEE)]
PAGES = [
    ("anonyme", "/propositions/"),
    ("anonyme", "/propositions/?etat=adoptee&q=Proposition"),
    ("anonyme", "/"),
    ("anonyme", "/donnees/propositions.csv"),
    ("anonyme", "/donnees/propositions.json"),
    ("elu", "/suivi/"),
    ("elu", "/suivi/export.csv"),
    ("agent", "/admin/propositions/"),
]


class Lot:
    """Writes proposals in bulk, numbering them from where the previous batch stopped."""

    def __init__(self):
        self.n = 0
        self.auteurs = UserFactory.create_batch(3)
        self.elu = creer_utilisateur("elu")
        self.ateliers = AtelierFactory.create_batch(2)
        self.champs = list(ChampAction.objects.all())
        self.communes = CommuneFactory.create_batch(3)
        self.structures = StructureFactory.create_batch(3)

    def ajouter(self, combien):
        debut = timezone.now() - datetime.timedelta(days=400)
        nouvelles = []
        for i in range(self.n, self.n + combien):
            etat = ETATS[i % len(ETATS)]
            depot = debut + datetime.timedelta(hours=i)
            adoptee = etat in ETATS_ADOPTES
            nouvelles.append(Proposition(
                reference=f"P-2025-{i + 1:04d}", titre=f"Proposition {i}", resume=f"Résumé {i}",
                description=f"<p>Description {i}</p>", auteur=self.auteurs[i % 3], etat=etat,
                etat_depuis=depot + datetime.timedelta(days=30), deposee_le=depot,
                atelier=self.ateliers[i % 2] if etat != Etat.DEPOSEE else None,
                decidee_le=depot + datetime.timedelta(days=20) if adoptee or etat == Etat.NON_RETENUE else None,
                adoptee_le=depot + datetime.timedelta(days=20) if adoptee else None,
                responsable_elu=self.elu if adoptee else None,
                service_responsable="Direction de l'ESS" if adoptee else "",
                avancement=(i * 7) % 101 if adoptee else None,
                motif="Motif public." if etat in (Etat.NON_RETENUE, Etat.ABANDONNEE, Etat.RETIREE) else "",
            ))
        self.n += combien
        creees = Proposition.objects.bulk_create(nouvelles)
        if connection.vendor != "postgresql":  # SQLite returns no ids from bulk_create before 3.35
            creees = list(Proposition.objects.filter(reference__in=[p.reference for p in nouvelles]))
        liens = [
            (Proposition.champs.through, "champaction", self.champs),
            (Proposition.communes.through, "commune", self.communes),
            (Proposition.structures.through, "structure", self.structures),
        ]
        for through, nom, cibles in liens:
            through.objects.bulk_create([
                through(proposition=p, **{nom: cible})
                for p, cible in zip(creees, itertools.cycle(cibles), strict=False)])
        Transition.objects.bulk_create(itertools.chain.from_iterable(
            (Transition(proposition=p, de="", vers=Etat.DEPOSEE, le=p.deposee_le, par=p.auteur,
                        instance=Transition.Instance.AUTEUR),
             Transition(proposition=p, de=Etat.DEPOSEE, vers=p.etat, le=p.etat_depuis,
                        instance=Transition.Instance.SECRETARIAT, commentaire="Étape publique."))
            for p in creees))
        adoptees = [p for p in creees if p.etat in ETATS_ADOPTES]
        PointSuivi.objects.bulk_create(
            PointSuivi(proposition=p, texte="Point d'étape.", date=datetime.date(2026, 1, 15)) for p in adoptees)
        indicateurs = Indicateur.objects.bulk_create(
            Indicateur(proposition=p, libelle="Repas servis", cible=100, valeur_reference=0) for p in adoptees)
        if connection.vendor != "postgresql":
            indicateurs = list(Indicateur.objects.filter(proposition__in=adoptees))
        ValeurIndicateur.objects.bulk_create(
            ValeurIndicateur(indicateur=ind, date=datetime.date(2026, 2, 1), valeur=40) for ind in indicateurs)


def _client(client, role):
    if role != "anonyme":
        client.force_login(creer_utilisateur(role))
    return client


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_de_10_a_1000_propositions_les_pages_ne_font_pas_plus_de_requetes(client, settings, role, url):
    settings.CACHE_PAGES = False  # the view's own queries, not the page cache's (conseil_ess/cache_pages)
    lot = Lot()
    lot.ajouter(10)
    client = _client(client, role)
    assert client.get(url).status_code == 200  # warms the per-session caches
    with CaptureQueriesContext(connection) as a_10:
        assert client.get(url).status_code == 200

    lot.ajouter(990)
    assert Proposition.objects.count() == 1000
    with CaptureQueriesContext(connection) as a_1000:
        reponse = client.get(url)
    assert reponse.status_code == 200
    assert len(a_1000) <= len(a_10), (
        f"{url} : {len(a_10)} requêtes pour 10 propositions, {len(a_1000)} pour 1 000")
    if url.endswith(".csv"):  # every proposal is there, not only a page of them
        contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
        lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig"))))
        assert len(lignes) == 1 + 1000


def test_la_page_d_une_proposition_parmi_1000_ne_fait_pas_plus_de_requetes(client, settings):
    settings.CACHE_PAGES = False  # the view's own queries, not the page cache's (conseil_ess/cache_pages)
    lot = Lot()
    lot.ajouter(10)
    adoptee = Proposition.objects.filter(etat=Etat.EN_OEUVRE).first()
    client.get(adoptee.get_absolute_url())
    with CaptureQueriesContext(connection) as a_10:
        assert client.get(adoptee.get_absolute_url()).status_code == 200
    lot.ajouter(990)
    with CaptureQueriesContext(connection) as a_1000:
        assert client.get(adoptee.get_absolute_url()).status_code == 200
    assert len(a_1000) <= len(a_10)
