"""The séances demo (DEMO_DATA.md §6): the spring 2026 plenary held with its shows of hands and its minutes,
the exceptional session, the December 2026 plenary with its published agenda and 71 registrations, the
archived plenaries; the proposals' timelines linked to their scrutin; nobody told; idempotent, put back in
its demo state, removable on its own. Loading the whole demo is slow, so each test checks much at once."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ateliers.demo import personnes_demo
from ateliers.models import ThematiqueAnnuelle
from conseil_ess.comptes.models import Notification
from conseil_ess.propositions import demo as demo_propositions
from conseil_ess.propositions.models import Etat, Proposition, Transition
from conseil_ess.seances import demo, services
from conseil_ess.seances.models import (
    Bulletin,
    Emargement,
    PointOrdreDuJour,
    ProcesVerbal,
    Scrutin,
    Seance,
)
from evenements.models import Evenement, Inscription
from tests.factories import UserFactory

from .fabriques import un_agent

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
TITRES = {spec["code"]: spec["titre"] for spec in demo_propositions.PROPOSITIONS}
# DEMO_DATA.md §6.1: (objet, pour, contre, abstention, résultat) in the order of the votes.
VOTES_PRINTEMPS = [
    ("orientation", 88, 2, 9, "adopte"),
    ("thematique", 91, 0, 8, "adopte"), ("thematique", 84, 3, 12, "adopte"), ("thematique", 90, 1, 8, "adopte"),
    ("thematique", 32, 45, 22, "rejete"),
    ("proposition", 79, 6, 14, "adopte"), ("proposition", 93, 0, 6, "adopte"), ("proposition", 21, 58, 20, "rejete"),
]
# DEMO_DATA.md §6.4: members present at the archived plenaries.
ARCHIVES = {"pleniere-2021-12": 97, "pleniere-2022-12": 112, "pleniere-2023-12": 103, "pleniere-2024-03": 99,
            "pleniere-2024-12": 121, "pleniere-2025-03": 108, "pleniere-2025-12": 115}


def charger(*args):
    sortie = StringIO()
    call_command("charger_demo", *args, stdout=sortie)
    return sortie.getvalue()


def seance(slug):
    return Seance.objects.select_related("evenement").get(evenement__slug=slug)


def prop(code):
    return Proposition.objects.get(is_demo=True, titre=TITRES[code])


def local(valeur):
    return timezone.localtime(valeur, PARIS)


def etat_des_lieux():
    """Counts of every séances table and of the registrations, and each séance's version."""
    comptes = {m.__name__: m.objects.count() for m in (Seance, PointOrdreDuJour, Scrutin, ProcesVerbal, Emargement,
                                                       Bulletin, Inscription, Evenement)}
    comptes["versions"] = dict(Seance.objects.values_list("evenement__slug", "version"))
    comptes["liens"] = sorted(Transition.objects.exclude(lien_url="").values_list("lien_libelle", "lien_url"))
    return comptes


def test_la_demo_des_seances(client):
    sortie = charger()
    assert ("Séances : 10 séances, 11 scrutins, 2 procès-verbaux publiés, 3 décisions de propositions liées à "
            "leur scrutin, 71 inscrit·e·s à la séance du 10 décembre 2026.") in sortie
    secretariat = personnes_demo()["U17"]
    assert Seance.objects.count() == Seance.objects.filter(is_demo=True).count() == 10

    # §6.1, held: 13 items (one per annual theme: an item has one scrutin), eight shows of hands, 104 present.
    printemps = seance("pleniere-2026-03")
    assert (printemps.statut, printemps.nature, printemps.presents_declares, printemps.nombre_presents()) == (
        "terminee", "ordinaire", 104, 104)
    assert "Bernard Oudinot" in printemps.presidence and "Sylvie Lambertin" in printemps.presidence
    points = list(printemps.points.order_by("ordre"))
    assert [p.ordre for p in points] == list(range(1, 14)) and all(p.is_demo for p in points)
    assert points[0].titre == "Ouverture de la séance" and points[-1].titre == "Questions diverses"
    for p in points:  # an item is a vote exactly when it has a scrutin
        assert (p.type == "vote") == Scrutin.objects.filter(point=p).exists(), p.titre
    scrutins = list(printemps.scrutins.order_by("numero"))
    assert [(s.objet, s.pour, s.contre, s.abstention, s.resultat) for s in scrutins] == VOTES_PRINTEMPS
    assert [s.numero for s in scrutins] == list(range(1, 9))
    assert [s.point.ordre for s in scrutins] == list(range(4, 12))
    for s in scrutins:
        assert s.statut == "clos" and s.saisie_manuelle and s.presents == 104 and s.is_demo
        assert s.quorum is None and s.quorum_atteint is None and not s.secret and not s.ponderation_par_college
        assert s.pour + s.contre + s.abstention <= s.presents
        assert "Vote à main levée des participant·e·s présent·e·s." in s.point.description
        assert local(s.ouvert_le).date() == local(s.clos_le).date() == datetime.date(2026, 3, 26)
        assert datetime.time(17, 30) < local(s.ouvert_le).time() < local(s.clos_le).time() < datetime.time(20, 30)
        assert s.clos_par == secretariat
    for avant, apres in zip(scrutins, scrutins[1:]):  # one open at a time, in order
        assert avant.clos_le <= apres.ouvert_le
    assert [s.thematique.slug for s in scrutins[1:5]] == [
        "reviser-le-spaser", "territoire-zero-dechet", "ess-au-coeur-des-quartiers", "numerique-responsable"]
    # The themes' statuses set by the ateliers demo agree with the votes (T1–T3 retained, T4 not).
    assert [s.thematique.statut for s in scrutins[1:5]] == ["retenue"] * 3 + ["non_retenue"]
    assert [s.proposition for s in scrutins[5:]] == [prop("P09"), prop("P10"), prop("P11")]
    assert "Réviser le SPASER" in scrutins[1].question and "<li>" in scrutins[0].texte

    # The proposals' decisions link to their scrutin; the workflow was not run again (states and journals
    # as the proposals demo wrote them).
    for code, scrutin, etat in [("P09", scrutins[5], Etat.ADOPTEE), ("P10", scrutins[6], Etat.ADOPTEE),
                                ("P11", scrutins[7], Etat.NON_RETENUE)]:
        p = prop(code)
        decision = p.transitions.get(vers=etat)
        assert p.etat == etat and p.transitions.filter(vers__in=[Etat.ADOPTEE, Etat.NON_RETENUE]).count() == 1
        assert decision.lien_libelle == f"Scrutin n° {scrutin.numero} de la séance du 26 mars 2026"
        assert decision.lien_url == f"/seances/pleniere-2026-03/#scrutin-{scrutin.pk}"
        page = client.get(p.get_absolute_url()).content.decode()
        assert f'href="{decision.lien_url}"' in page and decision.lien_libelle in page
    assert Transition.objects.exclude(lien_url="").count() == 3

    # §6.2, held: exceptional, with its motive, five items, one show of hands, 76 present.
    exceptionnelle = seance("exceptionnelle-2026-06")
    evenement = exceptionnelle.evenement
    assert (exceptionnelle.statut, exceptionnelle.nature, exceptionnelle.presents_declares) == (
        "terminee", "exceptionnelle", 76)
    assert "Forum européen des territoires solidaires" in exceptionnelle.motif_exceptionnelle
    assert (evenement.type, evenement.lieu.slug, local(evenement.debut), local(evenement.fin), evenement.is_demo) == (
        "seance_pleniere", "fabrique-des-communs", datetime.datetime(2026, 6, 23, 18, 0, tzinfo=PARIS),
        datetime.datetime(2026, 6, 23, 20, 30, tzinfo=PARIS), True)
    assert exceptionnelle.points.count() == 5
    vote = exceptionnelle.scrutins.get()
    assert (vote.numero, vote.point.ordre, vote.objet, vote.pour, vote.contre, vote.abstention, vote.resultat,
            vote.presents, vote.saisie_manuelle) == (1, 5, "question", 64, 0, 5, "adopte", 76, True)

    # §6.1 and §6.2: minutes generated from the recorded data, published a week after the séance.
    for s, jour in [(printemps, datetime.date(2026, 4, 2)), (exceptionnelle, datetime.date(2026, 6, 30))]:
        pv = s.proces_verbal
        assert pv.est_publie and pv.is_demo and local(pv.publie_le).date() == jour and pv.modifie_par == secretariat
        assert pv.genere_le < pv.publie_le
    assert "88" in printemps.proces_verbal.contenu and "Numérique responsable" in printemps.proces_verbal.contenu

    # §6.3, upcoming: agenda published after P12 and P13 were inscribed, nine items, two votes prepared.
    automne = seance("pleniere-2026-12")
    assert automne.statut == "ordre_du_jour_publie" and automne.presents_declares is None
    assert automne.ordre_du_jour_publie_le == datetime.datetime(2026, 11, 20, 16, 0, tzinfo=PARIS)
    assert automne.ordre_du_jour_publie_le > prop("P12").transitions.get(vers=Etat.SOUMISE_PLENIERE).le
    assert automne.points.count() == 9 and "Claire Vasseur" in automne.points.get(ordre=2).description
    prepares = list(automne.scrutins.order_by("numero"))
    assert [(s.numero, s.point.ordre, s.proposition, s.statut, s.pour, s.resultat) for s in prepares] == [
        (1, 5, prop("P12"), "prepare", None, ""), (2, 6, prop("P13"), "prepare", None, "")]
    assert {prop("P12").etat, prop("P13").etat} == {Etat.SOUMISE_PLENIERE}
    decembre = automne.evenement
    assert (decembre.capacite, decembre.nb_confirmes) == (180, 71)
    assert decembre.inscriptions.filter(statut="confirmee").count() == 71
    assert all(i.cree_le < timezone.now() and i.user.is_demo for i in decembre.inscriptions.all())
    assert decembre.inscriptions.filter(user=personnes_demo()["U7"]).exists()

    # §6.4: archived, with the members present of the table and the decisions of §7 (no invented counts).
    for slug, presents in ARCHIVES.items():
        s = seance(slug)
        assert (s.statut, s.presents_declares, s.scrutins.count()) == ("terminee", presents, 0), slug
        assert s.points.exists() and not s.points.exclude(type="information").exists()
        assert not ProcesVerbal.objects.filter(seance=s).exists()
    assert prop("P01").reference in seance("pleniere-2021-12").points.get().titre
    assert [p.titre.split(" – ")[0] for p in seance("pleniere-2025-03").points.order_by("ordre")] == [
        f"Évaluation de la proposition {prop('P01').reference}", f"Proposition {prop('P06').reference}",
        f"Proposition {prop('P07').reference}"]

    # Every séance keeps the invariants of the services.
    for s in Seance.objects.all():
        assert s.version > 0 and s.is_demo and s.cree_le < s.ordre_du_jour_publie_le < s.evenement.debut
        assert sorted(s.scrutins.values_list("numero", flat=True)) == list(range(1, s.scrutins.count() + 1))

    # Public pages, for anyone: the list, the held séances with their results, the December agenda.
    assert client.get("/seances/").status_code == 200
    page = client.get(printemps.get_absolute_url()).content.decode()
    assert page.count('class="carte scrutin-resultat"') == 8 and f'id="scrutin-{scrutins[5].pk}"' in page
    assert "104 membres présents (feuille d&#x27;émargement papier)" in page.replace("'", "&#x27;")
    page = client.get(automne.get_absolute_url()).content.decode()
    assert "Ordre du jour publié" in page and "Démarche de label" in page and "Terre &amp; Échanges" in page
    assert "Aucun scrutin n&#x27;est encore clos" in page or "Aucun scrutin n'est encore clos" in page
    assert "109 places restantes sur 180." in client.get(decembre.get_absolute_url()).content.decode()
    assert "Séance exceptionnelle." in client.get(exceptionnelle.get_absolute_url()).content.decode()

    # Nobody was told: no notification and no e-mail about a séance, an agenda or minutes.
    assert not Notification.objects.filter(categorie=services.CATEGORIE_NOTIFICATIONS).exists()
    assert not [m for m in mail.outbox if "séance" in m.subject.lower() or "procès-verbal" in m.subject.lower()]

    # Loading twice changes nothing (counts, versions, links).
    avant = etat_des_lieux()
    assert "Séances : 10 séances, 11 scrutins" in charger()
    assert etat_des_lieux() == avant


def test_recharger_remet_la_seance_de_decembre_dans_son_etat_de_demo():
    charger()
    automne = seance("pleniere-2026-12")
    agent, membre = personnes_demo()["U17"], personnes_demo()["U3"]
    # Trying the demo: a member checks in, an item is added, the vote on P12 is opened, voted on and closed.
    services.emarger(automne, membre, par=agent)
    services.ajouter_point(automne, agent, "Point ajouté pendant l'essai")
    scrutin = automne.scrutins.get(numero=1)
    services.ouvrir_scrutin(scrutin, agent)
    services.voter(scrutin, membre, "pour")
    assert seance("pleniere-2026-12").statut == "en_cours"
    services.clore_scrutin(scrutin, agent)
    assert prop("P12").etat == Etat.ADOPTEE
    version = seance("pleniere-2026-12").version

    sortie = charger()

    # The proposals part says why it left P12 for the séances part, which rebuilds it just after.
    assert ("Propositions : P-2026-002 – Engager la Métropole dans une démarche de label « territoire de commerce "
            "équitable » est référencée (scrutin) ; laissée en l'état ici.") in sortie
    assert "proposition réelle" not in sortie

    automne = seance("pleniere-2026-12")
    assert automne.statut == "ordre_du_jour_publie" and automne.point_courant is None
    assert automne.points.count() == 9 and not automne.emargements.exists()
    # P12 is rebuilt in its demo state (its scrutin was in the way), with its reference; its vote prepared again.
    p12 = prop("P12")
    assert (p12.etat, p12.reference) == (Etat.SOUMISE_PLENIERE, "P-2026-002")
    assert not p12.transitions.filter(vers=Etat.ADOPTEE).exists()
    scrutin = automne.scrutins.get(numero=1)
    assert (scrutin.statut, scrutin.ouvert_le, scrutin.proposition) == ("prepare", None, p12)
    assert not Bulletin.objects.exists() and automne.scrutins.count() == 2
    assert automne.version > version  # the live page, which saw the trial, sees that the séance changed
    version = automne.version
    charger()
    assert seance("pleniere-2026-12").version == version


def test_supprimer_ne_retire_que_la_demo_des_seances():
    charger()
    debut = timezone.now() + datetime.timedelta(days=30)
    reelle = services.creer_seance(un_agent(), titre="Séance réelle", debut=debut,
                                   fin=debut + datetime.timedelta(hours=2))
    services.ajouter_point(reelle, un_agent(), "Un point réel")
    personne = UserFactory()
    decembre = Evenement.objects.get(slug="pleniere-2026-12")
    Inscription.objects.create(evenement=decembre, user=personne, statut="confirmee")

    demo.supprimer()

    assert list(Seance.objects.all()) == [reelle] and reelle.points.count() == 1
    assert not Scrutin.objects.exists() and not ProcesVerbal.objects.exists()
    assert not Transition.objects.exclude(lien_url="").exists()  # no link to a scrutin that is gone
    assert prop("P09").etat == Etat.ADOPTEE  # the proposals are the proposals demo's
    assert not Evenement.objects.filter(slug="exceptionnelle-2026-06").exists()
    decembre.refresh_from_db()  # the plenary events are the proposals demo's; a real registration stays
    assert list(decembre.inscriptions.values_list("user", flat=True)) == [personne.pk] and decembre.nb_confirmes == 1
    assert ThematiqueAnnuelle.objects.filter(cycle__slug="2026").count() == 4

    # Loaded again, then the whole demo removed by the command: only the real séance is left.
    charger()
    assert Seance.objects.count() == 11
    charger("--reset-seulement")
    assert list(Seance.objects.all()) == [reelle] and not Proposition.objects.exists()
    assert not Evenement.objects.filter(slug__startswith="pleniere-20").exists()


def test_sans_comptes_les_seances_sont_la_sans_propositions():
    sortie = charger("--sans-utilisateurs")
    assert "Séances : 10 séances, 11 scrutins, 2 procès-verbaux publiés, 0 décisions" in sortie
    printemps = seance("pleniere-2026-03")
    # No proposal without an author: their votes are recorded as questions naming them.
    propositions = printemps.scrutins.filter(numero__in=[6, 7, 8])
    assert set(propositions.values_list("objet", flat=True)) == {"question"}
    assert "Pépinière ESS" in propositions.get(numero=6).question
    assert printemps.proces_verbal.est_publie and printemps.proces_verbal.modifie_par is None
    assert seance("pleniere-2026-12").scrutins.filter(objet="question").count() == 2
    assert Evenement.objects.get(slug="pleniere-2026-12").nb_confirmes == 71
