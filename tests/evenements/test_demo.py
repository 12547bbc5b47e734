"""The agenda demo (DEMO_DATA.md §1.2, §8, §9): exact content, idempotent loading, removal of demo objects only."""

import collections
import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from conseil_ess.comptes import demo as demo_comptes
from conseil_ess.comptes.models import User
from evenements import demo, services
from evenements.models import Creneau, Evenement, Inscription, Lieu, Programme, Public

from .fabriques import EvenementFactory, LieuFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
P = Evenement.Publication


def local(valeur):
    return valeur.astimezone(PARIS)


def comptes():
    return {modele.__name__: modele.objects.count() for modele in (Lieu, Programme, Creneau, Evenement, Inscription)}


@pytest.fixture
def charge(db):
    """The comptes and agenda parts of the demo (the command, with the Wagtail pages, in two tests)."""
    demo_comptes.charger()
    demo.charger()


@pytest.fixture
def mois(charge):
    return Evenement.objects.filter(programme__slug="mois-ess-2026", publication=P.PUBLIE)


def test_le_mois_de_l_ess_2026(charge, mois):
    programme = Programme.objects.get(slug="mois-ess-2026")
    assert (programme.date_debut, programme.date_fin) == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert programme.ouvert_aux_propositions and programme.coordination.slug == "cress-val-de-lere"
    assert mois.count() == 30
    assert all(e.is_demo and e.uid == f"evenement-{e.slug}@rivebelle.example.org" for e in mois)
    # Coverage of DEMO_DATA.md §8: communes and types.
    communes = collections.Counter(e.commune.slug if e.commune else None for e in mois)
    assert communes == {"rivebelle": 12, "port-sainte-aude": 4, "lanvallon": 3, "bois-clair": 3, "saint-ormel": 2,
                        "montval-sur-lere": 1, "villeneuve-des-coteaux": 1, "haute-fontaine": 1, "les-aubiers": 1,
                        "sablons-la-riviere": 1, None: 1}
    types = collections.Counter(mois.values_list("type", flat=True))
    assert types["visite"] == 5 and types["atelier"] == 4 and types["conference"] == 2 and types["fete"] == 2
    # 1 and 11 November are public holidays, left empty.
    assert not [e for e in mois if local(e.debut).day in (1, 11)]
    assert Lieu.objects.filter(is_demo=True).count() == 14


def test_les_cas_limites_du_mois(mois):
    e = {ev.slug: ev for ev in mois}
    exposition = e["exposition-l-ess-pres-de-chez-vous"]
    assert exposition.journee_entiere
    assert (local(exposition.debut), local(exposition.fin)) == (datetime.datetime(2026, 11, 3, tzinfo=PARIS),
                                                                datetime.datetime(2026, 11, 28, tzinfo=PARIS))
    webinaire = e["webinaire-agrement-esus"]
    assert webinaire.mode == "en_ligne" and webinaire.lien_en_ligne.startswith("https://")
    assert webinaire.commune is None and not webinaire.lieu.adresse
    visite = e["visite-chantier-insertion-espaces-verts"]
    assert (visite.statut, visite.motif_statut) == ("annule", "Reporté au printemps – conditions météo")
    assert e["marathon-competences-benevoles"].statut == "a_confirmer"
    assert local(e["concert-solidaire-soiree-festive"].fin).time() == datetime.time(23, 30)
    lancement = e["lancement-mois-ess-2026"]
    assert (local(lancement.debut), local(lancement.fin)) == (datetime.datetime(2026, 11, 3, 18, 30, tzinfo=PARIS),
                                                              datetime.datetime(2026, 11, 3, 21, tzinfo=PARIS))
    assert {s.slug for s in lancement.structures.all()} == {"cress-val-de-lere", "rivebelle-metropole"}
    ressourcerie = e["visite-ressourcerie-de-la-lere"]
    assert (ressourcerie.inscription, ressourcerie.inscription_sur_plateforme, ressourcerie.capacite) == (
        "obligatoire", True, 20)
    cine = e["cine-debat-travailler-en-cooperative"]
    assert (cine.gratuit, cine.tarif) == (False, "4 €")
    assert {p.code for p in e["table-ronde-ess-dans-les-quartiers"].publics.all()} == {"grand_public", "elus_agents"}
    assert all(ev.champs.exists() for ev in mois)


def test_deux_propositions_attendent_la_moderation(charge):
    attente = Evenement.objects.filter(publication=P.A_MODERER)
    assert attente.count() == 2
    assert {e.propose_par.email for e in attente} == {"nadia.benarfa@example.org"}
    assert {s.slug for e in attente for s in e.structures.all()} == {"ressourcerie-lere"}


def test_la_coordinatrice_de_la_cress_modere(charge):
    claire = User.objects.get(email="claire.vasseur@example.org")
    assert claire.has_perm("evenements.moderer_evenement") and claire.has_perm("wagtailadmin.access_admin")
    assert claire.has_perm("evenements.change_evenement") and claire.has_perm("evenements.moderer")
    assert not claire.has_perm("evenements.change_inscription")
    assert claire in services.moderateurs()


def test_les_assises_2027(charge):
    programme = Programme.objects.get(slug="assises-2027", type="assises")
    journee = Evenement.objects.get(slug="assises-2027-journee")
    assert journee.programme == programme and journee.parent is None
    assert (local(journee.debut), local(journee.fin)) == (datetime.datetime(2027, 2, 4, 8, 45, tzinfo=PARIS),
                                                          datetime.datetime(2027, 2, 4, 17, tzinfo=PARIS))
    assert (journee.capacite, journee.nb_confirmes) == (250, 96)
    assert journee.inscriptions.filter(statut="confirmee").count() == 96
    assert journee.sequences.count() == 10
    [creneau] = Creneau.objects.filter(programme=programme)
    assert (local(creneau.debut).time(), local(creneau.fin).time()) == (datetime.time(10, 45), datetime.time(12, 30))
    ateliers = list(creneau.evenements.order_by("precision_lieu"))
    assert [a.precision_lieu[:7] for a in ateliers] == ["Salle A", "Salle B", "Salle C", "Salle D"]
    for atelier in ateliers:
        assert (atelier.type, atelier.capacite, atelier.inscription_sur_plateforme) == ("atelier_assises", 60, True)
        assert atelier.parent == journee and atelier.intervenants.startswith("Présidence : ")
        assert atelier.nb_confirmes == atelier.inscriptions.filter(statut="confirmee").count() > 0
    assert "Patrick Aubertin" in ateliers[0].intervenants
    # One workshop per person in the slot, as the services require.
    par_personne = collections.Counter(Inscription.objects.filter(creneau=creneau).values_list("user", flat=True))
    assert set(par_personne.values()) == {1}


def test_charger_deux_fois_donne_la_meme_chose(charge, mois):
    call_command("charger_demo", stdout=StringIO())
    avant = comptes()
    sequences = dict(Evenement.objects.values_list("slug", "sequence"))
    uids = dict(Evenement.objects.values_list("slug", "uid"))

    call_command("charger_demo", stdout=StringIO())

    assert comptes() == avant
    assert dict(Evenement.objects.values_list("slug", "sequence")) == sequences
    assert dict(Evenement.objects.values_list("slug", "uid")) == uids
    assert mois.count() == 30 and Evenement.objects.filter(slug="assises-2027-journee").exists()


def test_recharger_remet_la_file_de_moderation(charge):
    proposition = Evenement.objects.filter(publication=P.A_MODERER).first()
    services.publier(proposition, par=None)
    demo.charger()
    proposition.refresh_from_db()
    assert proposition.publication == P.A_MODERER


def test_reset_seulement_ne_supprime_que_la_demo(charge):
    reel = EvenementFactory(titre="Un vrai événement", lieu=LieuFactory(slug="salle-reelle"))
    personne = User.objects.create_user("vraie.personne@example.org", "Motdepasse-solide-2026")
    services.inscrire(Evenement.objects.get(slug="assises-2027-journee"), personne)

    call_command("charger_demo", "--reset-seulement", stdout=StringIO())

    assert list(Evenement.objects.values_list("titre", flat=True)) == [reel.titre]
    assert list(Lieu.objects.values_list("slug", flat=True)) == ["salle-reelle"]
    assert not Programme.objects.exists() and not Creneau.objects.exists() and not Inscription.objects.exists()
    assert User.objects.filter(email="vraie.personne@example.org").exists()
    assert not User.objects.filter(email__startswith="participant-assises-").exists()
    assert Public.objects.count() == 6  # the vocabulary is not demo data


def test_supprimer_garde_le_lieu_et_le_programme_d_un_vrai_evenement(charge):
    reel = EvenementFactory(titre="Proposé pendant la démo", lieu=Lieu.objects.get(slug="halle-aux-grains"),
                            programme=Programme.objects.get(slug="mois-ess-2026"))

    demo.supprimer()

    assert list(Evenement.objects.all()) == [reel]
    assert list(Lieu.objects.values_list("slug", flat=True)) == ["halle-aux-grains"]
    assert list(Programme.objects.values_list("slug", flat=True)) == ["mois-ess-2026"]
    claire = User.objects.get(email="claire.vasseur@example.org")
    assert not claire.has_perm("evenements.moderer_evenement")
