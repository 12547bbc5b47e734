"""The proposals demo (DEMO_DATA.md §6–§7): the plenaries, the 25 proposals in all their states walked through
the workflow with dated steps, their references, follow-up, indicators, notes and followers; no notification;
idempotent, restored, removable. Loading the whole demo is slow, so each test checks much at once."""

import datetime
from collections import Counter
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ateliers.demo import personnes_demo
from conseil_ess.comptes.models import Notification
from conseil_ess.propositions import demo, workflow
from conseil_ess.propositions.models import (
    Abonnement,
    CompteurReference,
    Etat,
    Indicateur,
    NoteInterne,
    PointSuivi,
    Proposition,
    Transition,
    ValeurIndicateur,
)
from evenements.models import Evenement

from .fabriques import amener_a, proposition_en

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
E = Etat

# DEMO_DATA.md §7: the distribution of the 25 proposals.
REPARTITION = {
    E.EVALUEE: 2, E.REALISEE: 2, E.EN_OEUVRE: 4, E.ADOPTEE: 2, E.NON_RETENUE: 1, E.SOUMISE_PLENIERE: 2,
    E.EN_ATELIER: 4, E.EN_INSTRUCTION: 2, E.REORIENTEE: 1, E.DEPOSEE: 3, E.ABANDONNEE: 1, E.BROUILLON: 1,
}
# DEMO_DATA.md §7: PROP-AAAA-NN, written here as the workflow writes them.
REFERENCES = {
    "P01": "P-2021-003", "P02": "P-2022-002", "P03": "P-2023-004", "P04": "P-2024-001", "P05": "P-2024-007",
    "P06": "P-2025-001", "P07": "P-2024-009", "P08": "P-2025-002", "P09": "P-2025-005", "P10": "P-2025-009",
    "P11": "P-2025-011", "P12": "P-2026-002", "P13": "P-2026-003", "P14": "P-2026-004", "P15": "P-2026-005",
    "P16": "P-2026-006", "P17": "P-2026-007", "P18": "P-2026-010", "P19": "P-2026-012", "P20": "P-2026-009",
    "P21": "P-2026-014", "P22": "P-2026-015", "P23": "P-2026-016", "P24": "P-2024-004", "P25": None,
}
TITRES = {spec["code"]: spec["titre"] for spec in demo.PROPOSITIONS}


def charger(*args):
    sortie = StringIO()
    call_command("charger_demo", *args, stdout=sortie)
    return sortie.getvalue()


def prop(code):
    return Proposition.objects.get(is_demo=True, titre=TITRES[code])


def local(valeur):
    return timezone.localtime(valeur, PARIS)


def etat_des_lieux():
    return {m.__name__: m.objects.count() for m in (Proposition, Transition, PointSuivi, Indicateur,
                                                    ValeurIndicateur, NoteInterne, Abonnement)}


def verifier_parcours(p, maintenant):
    """Each proposal's journal: from the draft, chained, strictly in date order, in the past, ending in its state."""
    journal = list(p.transitions.order_by("pk"))
    if p.etat == E.BROUILLON:
        assert journal == [] and p.reference is None and not p.est_publique
        return
    assert journal[0].de == E.BROUILLON and journal[0].vers == E.DEPOSEE
    assert journal[0].par == p.auteur and journal[0].instance == Transition.Instance.AUTEUR
    precedent_vers, precedent_le = E.BROUILLON, p.cree_le
    for t in journal:
        assert t.de == precedent_vers, (p.titre, t)
        assert precedent_le < t.le < maintenant, (p.titre, t, t.le)
        assert (t.vers, t.de) in {(v, d) for (d, v) in workflow.REGLES}
        assert t.commentaire.strip() and t.is_demo and t.par is not None
        precedent_vers, precedent_le = t.vers, t.le
    assert precedent_vers == p.etat and p.etat_depuis == journal[-1].le
    assert p.deposee_le == journal[0].le and local(p.deposee_le).year == int(p.reference.split("-")[1])


def test_la_demo_des_propositions_sans_notification_et_idempotente():
    maintenant = timezone.now()
    with mock.patch.object(workflow, "notifier", side_effect=AssertionError("notification envoyée")) as notifier:
        sortie = charger()
    notifier.assert_not_called()
    assert ("Propositions : 25 propositions (25 créées) dans 12 états, 103 étapes de parcours, 14 points de suivi, "
            "9 séances plénières.") in sortie

    # The plenaries: spring 2026 held, December 2026 upcoming, the archived ones of §6.4.
    printemps, automne = Evenement.objects.get(slug="pleniere-2026-03"), Evenement.objects.get(slug="pleniere-2026-12")
    assert (printemps.type, printemps.lieu.slug, local(printemps.debut), local(printemps.fin)) == (
        "seance_pleniere", "hotel-metropole", datetime.datetime(2026, 3, 26, 17, 30, tzinfo=PARIS),
        datetime.datetime(2026, 3, 26, 20, 30, tzinfo=PARIS))
    assert (automne.type, automne.lieu.slug, local(automne.debut).date(), automne.capacite) == (
        "seance_pleniere", "halle-aux-grains", datetime.date(2026, 12, 10), 180)
    assert printemps.est_publie and automne.est_publie and automne.debut > maintenant > printemps.fin
    assert Evenement.objects.filter(type="seance_pleniere", slug__startswith="pleniere-20").count() == 9

    # 25 proposals, the distribution of §7, the references of §7 (unique, numbered per year of submission).
    propositions = list(Proposition.objects.filter(is_demo=True))
    assert len(propositions) == 25 and Proposition.objects.count() == 25
    assert Counter(p.etat for p in propositions) == REPARTITION
    assert {code: prop(code).reference for code in REFERENCES} == REFERENCES
    assert CompteurReference.objects.get(annee=2026).dernier == 16
    for p in propositions:
        verifier_parcours(p, maintenant)
        assert p.champs.exists() and p.resume and p.auteur.is_demo

    # Steps made by the right people: the secrétariat instructs and records decisions, the élu·e commits.
    secretariat, achats = personnes_demo()["U17"], personnes_demo()["U18"]
    assert set(Transition.objects.exclude(vers=E.DEPOSEE).exclude(vers=E.EN_OEUVRE)
               .values_list("par", flat=True)) == {secretariat.pk, achats.pk}
    assert set(Transition.objects.filter(vers=E.EN_OEUVRE).values_list("instance", flat=True)) == {"elu"}

    # Decisions at the plenaries, with the votes of §6.1; the December one has two proposals on its agenda.
    for code, vote in [("P09", "79 pour, 6 contre, 14 abstentions"), ("P11", "21 pour, 58 contre, 20 abstentions")]:
        decision = prop(code).transitions.get(vers__in=[E.ADOPTEE, E.NON_RETENUE])
        assert decision.pleniere == printemps and vote in decision.commentaire
        assert local(decision.le).date() == datetime.date(2026, 3, 26)
        assert decision.instance == Transition.Instance.SEANCE
    assert {prop("P12").pleniere, prop("P13").pleniere} == {automne}
    assert list(automne.propositions_inscrites.order_by("reference").values_list("reference", flat=True)) == [
        "P-2026-002", "P-2026-003"]
    assert local(prop("P01").transitions.get(vers=E.ADOPTEE).le).date() == datetime.date(2021, 12, 9)
    assert prop("P01").transitions.get(vers=E.ADOPTEE).pleniere.slug == "pleniere-2021-12"
    assert local(prop("P05").transitions.get(vers=E.EN_ATELIER).le).date() == datetime.date(2024, 10, 1)
    assert local(prop("P18").transitions.get(vers=E.EN_INSTRUCTION).le).date() == datetime.date(2026, 10, 13)

    # Reasons, redirection, evaluation with its follow-on proposal, themes of §7.
    p11, p17 = prop("P11"), prop("P17")
    assert p11.motif.startswith("Coût jugé non soutenable") and p17.reference in p11.motif
    p20 = prop("P20")
    assert "Entreprendre solidaire" in p20.dispositif_reorientation and p20.motif and p20.decidee_le
    assert "ligne de bus" in prop("P24").motif
    p02 = prop("P02")
    assert p02.proposition_suite == prop("P10") and prop("P10").reference in p02.recommandations
    assert p02.constats.startswith("<p>") and prop("P01").constats
    assert prop("P06").thematique.slug == "reviser-le-spaser" and prop("P02").thematique is None
    assert prop("P15").thematique.slug == "territoire-zero-dechet" and prop("P14").communes.get().slug == "lanvallon"
    assert prop("P04").deliberation.startswith("Délibération n° 2024-10-117")
    assert prop("P25").atelier_suggere.slug == "achats-responsables-spaser"

    # Implemented ones: responsible élu·e and service, follow-up points, indicators with targets and values.
    for p in Proposition.objects.filter(is_demo=True, etat__in=[E.EN_OEUVRE, E.REALISEE, E.EVALUEE]):
        assert p.responsable_elu is not None and p.service_responsable, p.titre
        assert p.points_suivi.exists() and p.indicateurs.exists(), p.titre
        assert all(point.date >= local(p.adoptee_le).date() for point in p.points_suivi.all()), p.titre
        assert p.indicateurs.exclude(cible=None, cible_texte="").exists(), p.titre
        assert p.avancement is not None
    assert {p.avancement for p in Proposition.objects.filter(etat__in=[E.REALISEE, E.EVALUEE])} == {100}
    agents_formes = prop("P02").indicateurs.get(libelle="Agents formés")
    assert (agents_formes.cible, agents_formes.valeur_reference) == (80, 0)
    assert [(v.date.year, v.valeur) for v in agents_formes.valeurs.all()] == [(2023, 41), (2024, 92)]
    assert prop("P02").indicateurs.get(libelle__startswith="Heures").cible_texte == "+20 %"
    assert prop("P09").points_suivi.get().date == datetime.date(2026, 9, 30)
    assert PointSuivi.objects.filter(date__gt=timezone.localdate()).count() == 0
    assert ValeurIndicateur.objects.filter(date__gt=timezone.localdate()).count() == 0

    # Private notes on a few, followers among the demo actors.
    assert NoteInterne.objects.filter(proposition__is_demo=True).count() == 4
    u7 = personnes_demo()["U7"]
    assert set(Abonnement.objects.filter(user=u7).values_list("proposition__titre", flat=True)) == {
        TITRES["P13"], TITRES["P15"]}
    assert not Abonnement.objects.filter(proposition=prop("P25")).exists()

    # Nobody was told: no notification about proposals, no e-mail naming one.
    assert not Notification.objects.filter(categorie="propositions").exists()
    assert not [m for m in mail.outbox if "P-20" in m.subject + m.body or "proposition" in m.subject.lower()]

    # Loading twice changes nothing.
    avant = etat_des_lieux()
    assert "Propositions : 25 propositions (0 créées)" in charger()
    assert etat_des_lieux() == avant
    assert {code: prop(code).reference for code in REFERENCES} == REFERENCES


def test_recharger_remet_une_proposition_modifiee_dans_son_etat_de_demo(client):
    charger()
    # The demo shows on the public pages: every public proposal has its page with its timeline; the draft none.
    for p in Proposition.objects.publiques():
        reponse = client.get(p.get_absolute_url())
        assert reponse.status_code == 200 and p.reference in reponse.content.decode(), p.reference
    assert "Coût jugé non soutenable" in client.get(prop("P11").get_absolute_url()).content.decode()
    assert client.get(prop("P25").get_absolute_url()).status_code in (302, 404)
    assert TITRES["P25"] not in client.get("/propositions/?etat=brouillon").content.decode()
    p21, secretariat = prop("P21"), personnes_demo()["U17"]
    workflow.changer_etat(p21, E.EN_INSTRUCTION, secretariat)
    assert prop("P21").etat == E.EN_INSTRUCTION
    vraie = proposition_en(E.DEPOSEE)  # a real proposal of this year: untouched
    sortie = charger()
    assert "Propositions : 25 propositions (1 créées)" in sortie
    p21 = prop("P21")
    assert (p21.etat, p21.reference, p21.transitions.count()) == (E.DEPOSEE, "P-2026-014", 1)
    vraie.refresh_from_db()
    assert vraie.etat == E.DEPOSEE and vraie.transitions.count() == 1

    # Removing the demo keeps the real proposal; the counters go back to the real references.
    annee = int(vraie.reference.split("-")[1])
    charger("--reset-seulement")
    assert list(Proposition.objects.all()) == [vraie]
    assert not Evenement.objects.filter(slug__startswith="pleniere-20").exists()
    assert CompteurReference.objects.get(annee=2021).dernier == 0
    assert CompteurReference.objects.get(annee=annee).dernier == int(vraie.reference.split("-")[2])


def test_sans_comptes_seules_les_plenieres_sont_chargees():
    sortie = charger("--sans-utilisateurs")
    assert "Propositions : 9 séances plénières ; sans comptes de démonstration, pas de propositions" in sortie
    assert not Proposition.objects.exists()
    assert Evenement.objects.get(slug="pleniere-2026-12").type == "seance_pleniere"


def test_une_pleniere_existante_n_est_pas_modifiee():
    """The plenaries are created only when missing: the Séances issue may own them."""
    p = amener_a(proposition_en(E.BROUILLON), E.SOUMISE_PLENIERE)
    seance = p.pleniere
    seance.slug, seance.titre = "pleniere-2026-12", "Séance déjà programmée"
    seance.save()
    charger("--sans-utilisateurs")
    seance.refresh_from_db()
    assert seance.titre == "Séance déjà programmée" and not seance.is_demo
