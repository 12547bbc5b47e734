"""``charger_demo`` at several dates of 2026-11 → 2031-12: the story's year, its seasons, and every dated object
in the state its date gives it on the day of loading."""

import datetime
import re

import holidays
import pytest
import time_machine
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import Client

from ateliers.models import CompteRendu, Cycle, Reunion
from conseil_ess.demo.donnees import brut
from conseil_ess.demo.recit import PARIS, Recit
from conseil_ess.propositions.models import Etat, Proposition, Transition
from conseil_ess.seances.models import ProcesVerbal, Scrutin, Seance
from evenements.models import Evenement, Inscription, Programme, TypeEvenement
from home.models import ChampActionPage, NewsPage

from .conftest import a_paris
from .finitions import verifier_recherche, verifier_typographie

pytestmark = [pytest.mark.django_db]

D = datetime.date
SEMAINE = datetime.timedelta(weeks=1)
# Spread over 2026-11 → 2031-12: the two examples, a leap day near the Assises, the eve of a Mois de
# l'ESS (the longest wait for the next one) and the last day of a year.
DATES = [a_paris(D(2027, 3, 1)), a_paris(D(2027, 11, 10)), a_paris(D(2028, 2, 29), "18:00"),
         a_paris(D(2029, 10, 31)), a_paris(D(2031, 12, 31), "16:00")]
FERIES = holidays.France(years=range(2015, 2040))


def jour_local(instant):
    return instant.astimezone(PARIS).date()


def evenements_demo():
    return Evenement.objects.filter(is_demo=True).select_related("programme")


# --- The story's year and its seasons ---------------------------------------------------------------------

def verifier_annee(demo):
    y = demo.annee
    assert y == (demo.maintenant.year if demo.maintenant.month >= 11 else demo.maintenant.year - 1)
    assert f"Démo chargée ({y}," in demo.sortie
    mois = {p.slug: p for p in Programme.objects.filter(is_demo=True, type=Programme.Type.MOIS_ESS)}
    assert set(mois) == {f"mois-ess-{y}", f"mois-ess-{y + 1}"}
    for annee in (y, y + 1):
        programme = mois[f"mois-ess-{annee}"]
        assert (programme.date_debut, programme.date_fin) == (D(annee, 11, 1), D(annee, 11, 30))
        # Open to event proposals only until it has ended; the coming one is open.
        assert programme.ouvert_aux_propositions == (programme.date_fin >= jour_local(demo.maintenant)), annee
    passe = mois[f"mois-ess-{y}"]
    assert passe.date_debut <= jour_local(demo.maintenant)  # the story's Mois de l'ESS has begun
    assert Cycle.objects.filter(slug=str(y)).exists()


def verifier_saisons(demo):
    y = demo.annee
    for evenement in evenements_demo().filter(programme__type=Programme.Type.MOIS_ESS):
        debut = evenement.debut.astimezone(PARIS)
        assert (debut.year, debut.month) == (evenement.programme.date_debut.year, 11), evenement.slug
    assises = Programme.objects.get(is_demo=True, type=Programme.Type.ASSISES)
    assert assises.slug == f"assises-{y + 1}"
    assert (assises.date_debut.year, assises.date_debut.month) == (y + 1, 2)
    ecrite = brut("agenda")["assises"]["date"]
    assert assises.date_debut.weekday() == ecrite.weekday()
    for evenement in evenements_demo().filter(programme=assises):
        assert jour_local(evenement.debut) == assises.date_debut, evenement.slug
    plenieres = evenements_demo().filter(type=TypeEvenement.SEANCE_PLENIERE)
    slugs = set(plenieres.values_list("slug", flat=True))
    assert {f"pleniere-{y}-03", f"exceptionnelle-{y}-06", f"pleniere-{y}-12", f"pleniere-{y + 1}-12"} <= slugs
    for evenement in plenieres:
        debut = evenement.debut.astimezone(PARIS)
        annee, mois = map(int, re.fullmatch(r"(?:pleniere|exceptionnelle)-(\d{4})-(\d\d)", evenement.slug).groups())
        assert (debut.year, debut.month) == (annee, mois), evenement.slug
        assert mois in (3, 4, 5, 6, 12), evenement.slug  # spring, June, December
    # Weekdays as written: the plenaries, the events of both Mois de l'ESS.
    recit = Recit(annee=y)
    for spec in brut("propositions")["plenieres"]:
        evenement = plenieres.get(slug=recit.texte(spec["slug"]))
        assert jour_local(evenement.debut).weekday() == spec["date"].weekday(), evenement.slug
    agenda = brut("agenda")
    for spec in agenda["mois"]["evenements"] + agenda["mois_suivant"]["evenements"]:
        evenement = Evenement.objects.get(slug=recit.texte(spec["slug"]))
        ecrit = spec["debut"] if isinstance(spec["debut"], datetime.date) else spec["debut"].date()
        assert jour_local(evenement.debut).weekday() == ecrit.weekday(), evenement.slug
        assert jour_local(evenement.debut).month == ecrit.month, evenement.slug


def verifier_jours_feries(demo):
    feries = [(e.slug, jour_local(e.debut)) for e in evenements_demo() if jour_local(e.debut) in FERIES]
    assert feries == []


def verifier_references(demo):
    y = demo.annee
    recit = Recit(annee=y)
    attendues = {spec["titre"]: recit.texte(spec["reference"])
                 for spec in brut("propositions")["propositions"] if spec.get("reference")}
    propositions = Proposition.objects.filter(is_demo=True)
    assert propositions.count() == len(brut("propositions")["propositions"])
    for p in propositions.exclude(reference=None).exclude(reference=""):
        if p.titre in attendues:  # the others draw the next number of their year
            assert p.reference == attendues[p.titre]
        assert re.fullmatch(r"P-\d{4}-\d{3}", p.reference)
        assert y - 5 <= int(p.reference[2:6]) <= y + 1
    assert any(r.startswith(f"P-{y}-") for r in attendues.values())


# --- Every dated object in the state of its date ----------------------------------------------------------

def verifier_seances(demo):
    maintenant = demo.maintenant
    seances = Seance.objects.filter(is_demo=True).select_related("evenement")
    assert seances.count() >= 10
    tenues = a_venir = 0
    for seance in seances:
        evenement = seance.evenement
        scrutins = list(seance.scrutins.all())
        pv = ProcesVerbal.objects.filter(seance=seance).first()
        if evenement.fin <= maintenant:
            tenues += 1
            assert seance.statut == Seance.Statut.TERMINEE, evenement.slug
            assert seance.presents_declares and seance.presents_declares > 0, evenement.slug
            assert seance.ordre_du_jour_publie_le < evenement.debut
            for scrutin in scrutins:
                assert scrutin.statut == Scrutin.Statut.CLOS, evenement.slug
                assert scrutin.resultat and scrutin.pour is not None, evenement.slug
                assert evenement.debut <= scrutin.ouvert_le < scrutin.clos_le <= evenement.fin, evenement.slug
                if scrutin.proposition_id:
                    # The result moved the proposal: its decision step at this plenary links to the scrutin.
                    decision = Transition.objects.get(proposition_id=scrutin.proposition_id,
                                                      vers__in=[Etat.ADOPTEE, Etat.NON_RETENUE],
                                                      pleniere=evenement)
                    assert decision.lien_id == scrutin.pk
                    assert jour_local(decision.le) == jour_local(evenement.debut)
            assert pv is not None, evenement.slug
            assert pv.genere_le >= evenement.fin
            publie_le = a_paris(jour_local(evenement.debut) + SEMAINE)
            if publie_le <= maintenant:
                assert pv.statut == ProcesVerbal.Statut.PUBLIE, evenement.slug
                assert pv.publie_le == publie_le
            else:
                assert pv.statut == ProcesVerbal.Statut.BROUILLON and pv.publie_le is None, evenement.slug
                assert pv.genere_le <= maintenant
        else:
            a_venir += 1
            assert seance.presents_declares is None and pv is None, evenement.slug
            assert seance.emargements.count() == 0
            publication = a_paris(jour_local(evenement.debut)) - datetime.timedelta(weeks=6)
            if publication <= maintenant:
                assert seance.statut == Seance.Statut.ORDRE_DU_JOUR_PUBLIE, evenement.slug
                assert seance.ordre_du_jour_publie_le == publication
            else:
                assert seance.statut == Seance.Statut.PREPARATION, evenement.slug
                assert seance.ordre_du_jour_publie_le is None
            for scrutin in scrutins:
                assert scrutin.statut == Scrutin.Statut.PREPARE and scrutin.pour is None, evenement.slug
                if scrutin.proposition_id:
                    assert scrutin.proposition.etat == Etat.SOUMISE_PLENIERE
                    assert scrutin.proposition.pleniere_id == evenement.pk
        assert seance.cree_le <= maintenant
    assert tenues >= 8 and a_venir >= 1


def verifier_propositions(demo):
    maintenant = demo.maintenant
    for p in Proposition.objects.filter(is_demo=True).prefetch_related("transitions"):
        etapes = sorted(p.transitions.all(), key=lambda t: (t.le, t.pk))
        assert all(t.le <= maintenant for t in etapes), p.titre
        assert p.cree_le <= maintenant and p.modifie_le <= maintenant, p.titre
        if etapes:
            assert p.etat == etapes[-1].vers, p.titre
            assert p.deposee_le is not None and p.reference
        else:
            assert p.etat == Etat.BROUILLON and not p.reference, p.titre
        if p.pleniere_id and p.etat == Etat.SOUMISE_PLENIERE:
            assert p.pleniere.fin > maintenant, p.titre  # a proposal waits only for a plenary to come


def verifier_reunions(demo):
    maintenant = demo.maintenant
    reunions = Reunion.objects.filter(is_demo=True).select_related("evenement")
    passees = [r for r in reunions if r.evenement.fin <= maintenant]
    a_venir = [r for r in reunions if r.evenement.fin > maintenant]
    assert len(passees) >= 5
    avec_compte_rendu = 0
    for reunion in passees:
        fin = reunion.evenement.fin
        # Attendance: the members with an account checked in, the others counted (an archived atelier's
        # members may have no account).
        assert reunion.nb_presents == reunion.presences.count(), reunion.evenement.slug
        assert reunion.nb_presents + reunion.participants_sans_compte > 0, reunion.evenement.slug
        assert fin <= reunion.presences_saisies_le <= maintenant
        compte_rendu = CompteRendu.objects.filter(reunion=reunion).first()
        if compte_rendu is None:
            continue
        assert compte_rendu.modifie_le >= fin and compte_rendu.modifie_le <= maintenant, reunion.evenement.slug
        if compte_rendu.statut == CompteRendu.Statut.PUBLIE:
            avec_compte_rendu += 1
            assert fin < compte_rendu.publie_le <= maintenant, reunion.evenement.slug
        else:  # a draft until its publication, four days after the meeting
            assert compte_rendu.publie_le is None
            assert a_paris(jour_local(fin) + datetime.timedelta(days=4)) > maintenant, reunion.evenement.slug
    mures = [r for r in passees if r.evenement.fin + datetime.timedelta(days=5) <= maintenant]
    assert avec_compte_rendu >= len(mures) / 2  # most past meetings have their minutes
    for reunion in a_venir:
        assert not reunion.presences.exists() and reunion.nb_presents == 0, reunion.evenement.slug
        assert reunion.presences_saisies_le is None
        assert not CompteRendu.objects.filter(reunion=reunion).exists()
        assert reunion.ordre_du_jour


def verifier_inscriptions(demo):
    maintenant = demo.maintenant
    for inscription in Inscription.objects.filter(evenement__is_demo=True).select_related("evenement"):
        assert inscription.cree_le <= min(maintenant, inscription.evenement.debut), inscription.evenement.slug
    for evenement in evenements_demo().filter(type=TypeEvenement.SEANCE_PLENIERE):
        if evenement.slug.startswith("pleniere-") and evenement.fin <= maintenant:
            assert not evenement.inscription_sur_plateforme, evenement.slug
    for evenement in evenements_demo():
        assert evenement.nb_confirmes == evenement.inscriptions.filter(statut=Inscription.Statut.CONFIRMEE).count()
    # Registrations open on the platform for the plenaries to come (the next December plenary at least).
    ouvertes = evenements_demo().filter(type=TypeEvenement.SEANCE_PLENIERE, slug__startswith="pleniere-",
                                        fin__gt=maintenant, inscription_sur_plateforme=True,
                                        publication=Evenement.Publication.PUBLIE)
    assert ouvertes.exists()
    for programme in Programme.objects.filter(is_demo=True, type=Programme.Type.MOIS_ESS):
        if programme.date_fin < jour_local(maintenant):
            assert not programme.ouvert_aux_propositions, programme.slug
    assert all(page.date <= jour_local(maintenant) for page in NewsPage.objects.all())


def verifier_avenir(demo):
    """Whatever the date: at least ten published events and one plenary to come within twelve months."""
    maintenant = demo.maintenant
    dans_un_an = maintenant + datetime.timedelta(days=365)
    a_venir = evenements_demo().filter(publication=Evenement.Publication.PUBLIE, debut__gt=maintenant,
                                       debut__lte=dans_un_an)
    assert a_venir.count() >= 10
    assert a_venir.filter(type=TypeEvenement.SEANCE_PLENIERE).exists()
    prochaine = (Seance.objects.filter(is_demo=True, evenement__debut__gt=maintenant)
                 .order_by("evenement__debut").first())
    assert prochaine is not None and prochaine.evenement.debut <= dans_un_an


# --- Content -------------------------------------------------------------------------------------------

def verifier_comptes(demo):
    mots_de_passe = demo.mots_de_passe()
    personnes = brut("comptes")["personnes"]
    assert len(mots_de_passe) == len(personnes)
    User = get_user_model()
    for email, mot_de_passe in mots_de_passe.items():
        user = User.objects.get(email=email)
        assert user.is_demo and user.is_active
        assert authenticate(username=email, password=mot_de_passe) == user, email
    assert User.objects.filter(email="thomas.lefebvreadam@example.org").exists()
    assert User.objects.filter(email="nadia.benarfa@example.org").exists()


def verifier_pages(demo):
    champs = ChampActionPage.objects.live().public().order_by("numero")
    assert list(champs.values_list("numero", flat=True)) == [1, 2, 3, 4, 5, 6]
    client = Client()
    for page in champs:
        assert client.get(page.url).status_code == 200, page.url


def verifier_etats_des_propositions(demo):
    etats = set(Proposition.objects.filter(is_demo=True).values_list("etat", flat=True))
    # Every state of the workflow but the author's withdrawal and the merge of duplicates, and « inscribed in a
    # plenary », which P12 and P13 are only from their inscription in November to the December plenary.
    attendus = set(Etat) - {Etat.RETIREE, Etat.FUSIONNEE, Etat.SOUMISE_PLENIERE}
    assert attendus <= etats, attendus - etats
    decembre = Evenement.objects.get(slug=f"pleniere-{demo.annee}-12")
    inscrites = Proposition.objects.filter(is_demo=True, etat=Etat.SOUMISE_PLENIERE)
    if demo.maintenant >= decembre.fin:
        assert not inscrites.filter(pleniere=decembre).exists()


def verifier_adresses(demo):
    with time_machine.travel(demo.maintenant, tick=False):
        from io import StringIO
        sortie = StringIO()
        call_command("adresses_demo", stdout=sortie)
    lignes = [ligne.rsplit(None, 1) for ligne in sortie.getvalue().splitlines() if ligne.strip()]
    adresses = {libelle.strip(): chemin for libelle, chemin in lignes}
    y = demo.annee
    attendus = {"Prochaine séance plénière", "sa page en direct", "Programme du prochain Mois de l'ESS",
                "Programme des Assises", "File de modération (administration)", "Propositions"}
    assert set(adresses) == attendus
    assert adresses["Programme des Assises"].rstrip("/").endswith(f"assises-{y + 1}")
    mois_attendu = y if D(y, 11, 30) >= jour_local(demo.maintenant) else y + 1
    assert adresses["Programme du prochain Mois de l'ESS"].rstrip("/").endswith(f"mois-ess-{mois_attendu}")
    User = get_user_model()
    # The README's walkthrough: the agent prepares the next plenary; once its agenda is published, a member
    # (Nadia Benarfa) follows its live page; the CRESS coordinator works the moderation queue.
    prochaine = Seance.objects.get(evenement__slug=adresses["Prochaine séance plénière"].strip("/").split("/")[-1])
    membre = "nadia.benarfa@example.org" if prochaine.statut != Seance.Statut.PREPARATION else None
    qui = {"Prochaine séance plénière": "thomas.lefebvreadam@example.org",
           "sa page en direct": membre or "thomas.lefebvreadam@example.org",
           "File de modération (administration)": "claire.vasseur@example.org"}
    with time_machine.travel(demo.maintenant, tick=True):
        for libelle, chemin in adresses.items():
            client = Client()
            if libelle in qui:
                client.force_login(User.objects.get(email=qui[libelle]))
            reponse = client.get(chemin)
            assert reponse.status_code == 200, (libelle, chemin, reponse.status_code)
        # The walkthrough's agent opens the séances' admin.
        client = Client()
        client.force_login(User.objects.get(email="thomas.lefebvreadam@example.org"))
        assert client.get("/admin/seances/").status_code in (200, 302)


VERIFICATIONS = [verifier_annee, verifier_saisons, verifier_jours_feries, verifier_references, verifier_seances,
                 verifier_propositions, verifier_reunions, verifier_inscriptions, verifier_avenir, verifier_comptes,
                 verifier_pages, verifier_etats_des_propositions, verifier_adresses, verifier_recherche,
                 verifier_typographie]


# One xdist group per date: the load of a date and the checks that share it stay in one process (--dist loadgroup),
# while the five loads spread over the processes instead of running one after the other in a single one.
@pytest.mark.parametrize("demo_chargee", [
    pytest.param(d, id=d.date().isoformat(), marks=pytest.mark.xdist_group(f"demo-{d.date().isoformat()}"))
    for d in DATES], indirect=True, scope="module")
@pytest.mark.parametrize("verification", VERIFICATIONS, ids=[v.__name__ for v in VERIFICATIONS])
def test_la_demo_chargee_a_cette_date(demo_chargee, verification):
    verification(demo_chargee)

