"""The ateliers demo (DEMO_DATA.md §3–§5): cycles, themes, the 8 ateliers and their 23 meetings as agenda
events, minutes and attendance, members, the Conseil's membership; idempotent, removable, and loadable
without accounts. Loading the whole demo is slow, so each test checks much at once."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from ateliers import demo
from ateliers.models import Atelier, CompteRendu, Cycle, Participation, Presence, Reunion, ThematiqueAnnuelle
from conseil_ess.comptes import roles
from conseil_ess.comptes.models import Adhesion, College, MembreConseil, User
from conseil_ess.comptes.setup import COLLEGES
from conseil_ess.propositions import demo as demo_propositions
from conseil_ess.seances import demo as demo_seances
from evenements.models import Evenement

from .fabriques import AtelierFactory, CycleFactory, creer_reunion_directe

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
E16 = "atelier-zero-dechet-gaspillage-cantines"
SLUGS_2026 = ["ess-quartiers", "immobilier-tiers-lieux", "achats-responsables-spaser", "creation-accompagnement",
              "initiatives-habitants", "zero-dechet", "commerce-equitable", "innovation-sociale-evaluation"]


def charger(*args):
    sortie = StringIO()
    call_command("charger_demo", *args, stdout=sortie)
    return sortie.getvalue()


def local(valeur):
    return valeur.astimezone(PARIS)


def personne(email):
    return User.objects.get(email=email)


def groupes(email):
    return set(personne(email).groups.values_list("name", flat=True))


def comptes():
    modeles = (Cycle, ThematiqueAnnuelle, Atelier, Participation, Reunion, Presence, CompteRendu, MembreConseil,
               Evenement, Adhesion, College)
    return {m.__name__: m.objects.count() for m in modeles}


def reunion(atelier, jour):
    return Reunion.objects.select_related("evenement").get(atelier__slug=atelier, evenement__debut__date=jour)


def test_la_demo_des_ateliers_et_du_conseil():
    sortie = charger()
    assert "Ateliers : 2 cycles, 4 thématiques annuelles, 10 ateliers, 26 réunions (19 comptes rendus)" in sortie

    # Cycles and annual themes.
    cycle = Cycle.objects.get(slug="2026")
    assert (cycle.titre, cycle.statut, cycle.date_debut, cycle.date_fin) == (
        "Cycle 2026", "en_cours", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert Cycle.objects.courant() == cycle and cycle.description.startswith("<p>")
    archive = Cycle.objects.get(slug="2025")
    assert archive.est_archive and archive.ateliers.count() == 2
    assert all(a.slug.endswith("-2025") for a in archive.ateliers.all())
    assert CompteRendu.objects.filter(reunion__atelier__cycle=archive, statut="publie").count() == 3
    themes = {t.titre: t for t in cycle.thematiques.all()}
    assert len(themes) == 4
    assert {t.statut for n, t in themes.items() if n != "Numérique responsable"} == {"retenue"}
    t4 = themes["Numérique responsable"]
    assert (t4.statut, t4.vote_commentaire) == ("non_retenue", "Renvoyée à 2027")
    assert {(t.vote_libelle, t.vote_date) for t in themes.values()} == {
        ("Séance plénière de printemps 2026", datetime.date(2026, 3, 26))}

    # The 8 ateliers of the 2026 cycle.
    ateliers = {a.slug: a for a in cycle.ateliers.all()}
    assert sorted(ateliers) == sorted(SLUGS_2026)
    assert [a.slug for a in cycle.ateliers.order_by("ordre")] == SLUGS_2026
    assert all(a.is_demo and a.description.startswith("<p>") and a.questions.startswith("<p>")
               for a in ateliers.values())
    a1, a4, a6, a8 = (ateliers[s] for s in ("ess-quartiers", "creation-accompagnement", "zero-dechet",
                                             "innovation-sociale-evaluation"))
    assert {c.numero for c in a1.champs.all()} == {2, 6} and a1.thematique.titre == "L'ESS au cœur des quartiers"
    assert a1.binome_elu.email == "helene.marceau@example.org" and a1.binome_agent is None
    assert a1.binome_texte == "Samir Belkacem, chef de projet politique de la ville"
    assert [u.email for u in a1.animateurs.all()] == ["hugo.lemaire@example.org"]
    assert {s.slug for s in a4.structures_coanimatrices.all()} == {"cooperative-ouvrage", "lere-active"}
    assert [u.email for u in a4.animateurs.all()] == ["romain.tessier@example.org"]
    assert (a6.binome_elu.email, a6.binome_agent.email) == ("patrick.aubertin@example.org",
                                                            "thomas.lefebvreadam@example.org")
    assert [u.email for u in a6.animateurs.all()] == ["nadia.benarfa@example.org"]
    assert a6.thematique.titre == "Vers un territoire zéro déchet"
    assert (a8.mode_adhesion, a8.coanimation_texte) == ("sur_demande", "un laboratoire universitaire")
    assert ateliers["achats-responsables-spaser"].binome_agent.email == "ines.moreira@example.org"
    assert {a.slug for a in ateliers.values() if not a.est_ouvert} == {"innovation-sociale-evaluation"}

    # Members: accepted by persona, one pending request on the atelier "sur demande".
    acceptees = Participation.objects.filter(statut="acceptee")
    assert set(acceptees.filter(user__email="nadia.benarfa@example.org").values_list("atelier__slug", flat=True)) \
        == {"commerce-equitable"}  # and she animates zero-dechet
    assert set(acceptees.filter(user__email="awa.sissoko@example.org").values_list("atelier__slug", flat=True)) \
        == {"ess-quartiers", "initiatives-habitants"}
    assert not Participation.objects.filter(user__email="thomas.lefebvreadam@example.org").exists()
    [demande] = Participation.objects.filter(statut="demandee")
    assert (demande.user.email, demande.atelier, demande.message != "") == ("julien.marchetti@example.org", a8, True)
    assert demande.cree_le < datetime.datetime(2026, 11, 23, tzinfo=PARIS)

    # The 23 meetings of 2026, as published agenda events (Europe/Paris), E16 linked and not duplicated.
    reunions = Reunion.objects.filter(atelier__cycle=cycle).select_related("evenement")
    assert reunions.count() == 23
    assert {(r.evenement.type, r.evenement.publication) for r in reunions} == {("reunion_atelier", "publie")}
    r = reunion("ess-quartiers", datetime.date(2026, 4, 21))
    assert (local(r.evenement.debut), local(r.evenement.fin)) == (
        datetime.datetime(2026, 4, 21, 18, tzinfo=PARIS), datetime.datetime(2026, 4, 21, 20, tzinfo=PARIS))
    assert r.evenement.lieu.slug == "maison-quartier-tanneurs"
    r = reunion("achats-responsables-spaser", datetime.date(2026, 12, 8))
    assert (local(r.evenement.debut).time(), local(r.evenement.fin).time()) == (datetime.time(9, 30),
                                                                                datetime.time(12))
    assert r.evenement.lieu.slug == "hotel-metropole" and not hasattr(r, "compte_rendu")
    assert r.ordre_du_jour.startswith("<ol><li>")
    r = reunion("immobilier-tiers-lieux", datetime.date(2026, 5, 13))
    assert local(r.evenement.debut) == datetime.datetime(2026, 5, 13, 17, 30, tzinfo=PARIS)
    r = reunion("innovation-sociale-evaluation", datetime.date(2027, 1, 21))
    assert local(r.evenement.debut) == datetime.datetime(2027, 1, 21, 14, tzinfo=PARIS)
    assert r.evenement.visibilite == "membres"
    assert 2 <= reunions.filter(evenement__visibilite="membres").count() <= 3
    assert Evenement.objects.filter(type="reunion_atelier").count() == 23 + 3
    seance_ouverte = reunion("zero-dechet", datetime.date(2026, 11, 16))
    assert seance_ouverte.evenement.slug == E16 and seance_ouverte.evenement.visibilite == "public"
    assert seance_ouverte.evenement.programme.slug == "mois-ess-2026"
    le_16 = Evenement.objects.filter(debut__date=datetime.date(2026, 11, 16), titre__icontains="zéro déchet")
    assert le_16.count() == 1
    assert all(r.evenement.uid == f"evenement-{r.evenement.slug}@rivebelle.example.org" for r in reunions)

    # Held meetings: published minutes (3–5 points, in the past) and 9–28 people present.
    tenues = reunions.filter(compte_rendu__isnull=False)
    assert tenues.count() == 16 and reunions.filter(compte_rendu__isnull=True).count() == 7
    for r in tenues:
        cr = r.compte_rendu
        assert cr.est_publie and 3 <= cr.contenu.count("<li>") <= 5 and cr.contenu.startswith("<ul>")
        assert r.evenement.fin < cr.publie_le <= r.evenement.fin + datetime.timedelta(days=5)
        assert 9 <= r.nb_participants <= 28
        assert r.nb_presents == r.presences.count()
    for r in reunions.filter(compte_rendu__isnull=True):
        assert r.ordre_du_jour.count("<li>") >= 3 and r.nb_participants == 0
    assert seance_ouverte.nb_participants == 28
    assert {p.user.email for p in seance_ouverte.presences.all()} == {"nadia.benarfa@example.org",
                                                                      "elodie.faure@example.org"}
    assert CompteRendu.objects.filter(reunion__atelier__cycle=cycle, interne=True).count() == 1

    # Role groups follow the data: animateur·rice·s of the current cycle.
    for email in ("hugo.lemaire@example.org", "nadia.benarfa@example.org", "romain.tessier@example.org"):
        assert roles.ANIMATEUR in groupes(email), email
    assert roles.ANIMATEUR not in groupes("claire.vasseur@example.org")

    # Membership of the Conseil, in the default collèges.
    assert set(College.objects.values_list("slug", flat=True)) >= {slug for slug, _nom in COLLEGES}
    mandats = {m.user.email: m for m in MembreConseil.objects.select_related("user", "college", "structure")}
    attendu = {
        "nadia.benarfa@example.org": ("associations", "ressourcerie-lere"),
        "awa.sissoko@example.org": ("associations", "panier-commun"),
        "julien.marchetti@example.org": ("cooperatives-mutuelles", "bati-coop"),
        "romain.tessier@example.org": ("cooperatives-mutuelles", "cooperative-ouvrage"),
        "elodie.faure@example.org": ("entreprises-ess", "repas-solidaires"),
        "claire.vasseur@example.org": ("reseaux-cress", "cress-val-de-lere"),
        "hugo.lemaire@example.org": ("reseaux-cress", "pole-ess-rivebelle"),
        "helene.marceau@example.org": ("collectivites-elus", "rivebelle-metropole"),
        "bernard.oudinot@example.org": ("collectivites-elus", "rivebelle-metropole"),
        "sylvie.lambertin@example.org": ("collectivites-elus", "ville-de-rivebelle"),
    }
    assert {e: (m.college.slug, m.structure.slug) for e, m in mandats.items()} == attendu
    assert all(m.is_demo for m in mandats.values())
    [en_attente] = MembreConseil.objects.filter(statut="demande")
    assert en_attente.user.email == "romain.tessier@example.org" and en_attente.decide_le is None
    valides = MembreConseil.objects.valides()
    assert valides.count() == 9
    assert all(m.decide_le.year == 2026 and m.decide_le.month <= 3 for m in valides)
    assert {m.decide_par.email for m in valides} == {"thomas.lefebvreadam@example.org"}
    assert not mandats["awa.sissoko@example.org"].affichage_public
    assert "awa.sissoko@example.org" not in MembreConseil.objects.publics().values_list("user__email", flat=True)
    assert MembreConseil.objects.publics().count() == 8
    for m in mandats.values():  # one represents a structure one belongs to
        assert Adhesion.objects.filter(user=m.user, structure=m.structure, statut="acceptee").exists()
    for email in attendu:
        assert (roles.MEMBRE in groupes(email)) == (email != "romain.tessier@example.org"), email

    # A second load changes nothing, and keeps the groups (comptes resets them first).
    avant = comptes()
    sequences = dict(Evenement.objects.values_list("slug", "sequence"))
    charger()
    assert comptes() == avant
    assert dict(Evenement.objects.values_list("slug", "sequence")) == sequences
    assert roles.ANIMATEUR in groupes("nadia.benarfa@example.org")
    assert roles.MEMBRE in groupes("julien.marchetti@example.org")
    assert roles.MEMBRE not in groupes("romain.tessier@example.org")


def test_recharger_remet_l_etat_de_demo():
    charger()
    romain = personne("romain.tessier@example.org")
    mandat = MembreConseil.objects.get(user=romain)
    MembreConseil.objects.filter(pk=mandat.pk).update(statut="refuse")
    MembreConseil.objects.create(user=romain, structure=mandat.structure, college=mandat.college)  # asks again
    Participation.objects.filter(statut="demandee").update(statut="acceptee")

    charger()

    assert list(MembreConseil.objects.filter(user=romain).values_list("statut", "is_demo")) == [("demande", True)]
    assert Participation.objects.filter(statut="demandee").count() == 1


def test_reset_seulement_ne_supprime_que_la_demo():
    charger()
    cycle_reel = CycleFactory(titre="Cycle réel", slug="cycle-reel")
    atelier_reel = AtelierFactory(cycle=cycle_reel, slug="atelier-reel")
    reunion_reelle = creer_reunion_directe(atelier_reel)
    julien = personne("julien.marchetti@example.org")
    reelle = User.objects.create_user("vraie.personne@example.org", "Motdepasse-solide-2026")
    Participation.objects.create(atelier=Atelier.objects.get(slug="zero-dechet"), user=reelle, statut="acceptee")
    assert julien.mandats_conseil.exists()

    charger("--reset-seulement")

    assert not Atelier.objects.filter(is_demo=True).exists() and not Cycle.objects.filter(is_demo=True).exists()
    assert not ThematiqueAnnuelle.objects.exists() and not MembreConseil.objects.exists()
    assert list(Reunion.objects.all()) == [reunion_reelle]
    assert list(Atelier.objects.all()) == [atelier_reel] and list(Cycle.objects.all()) == [cycle_reel]
    assert list(Evenement.objects.all()) == [reunion_reelle.evenement]
    assert User.objects.filter(pk=reelle.pk).exists() and not Participation.objects.exists()
    assert College.objects.count() == len(COLLEGES)  # the vocabulary is not demo data

    charger("--reset")
    assert Atelier.objects.filter(is_demo=True).count() == 8 + 2
    assert Reunion.objects.filter(is_demo=True).count() == 23 + 3


def test_sans_utilisateurs_les_ateliers_et_reunions_sont_la():
    charger("--sans-utilisateurs")

    cycle = Cycle.objects.get(slug="2026")
    assert cycle.ateliers.count() == 8
    reunions = Reunion.objects.filter(atelier__cycle=cycle)
    assert reunions.count() == 23
    assert not Atelier.animateurs.through.objects.exists() and not Participation.objects.exists()
    assert not Presence.objects.exists() and not MembreConseil.objects.exists()
    for r in reunions.filter(compte_rendu__isnull=False):
        assert r.nb_presents == 0 and 9 <= r.participants_sans_compte <= 28
    assert Atelier.objects.get(slug="ess-quartiers").binome_elu is None


def test_un_atelier_de_demo_ou_une_vraie_reunion_a_ete_planifiee_reste():
    charger()
    zero_dechet = Atelier.objects.get(slug="zero-dechet")
    vraie = creer_reunion_directe(zero_dechet)
    # The command removes the later parts first (séances vote on proposals and themes; proposals use the ateliers).
    demo_seances.supprimer()
    demo_propositions.supprimer()

    demo.supprimer()

    assert list(Atelier.objects.values_list("slug", flat=True)) == ["zero-dechet"]
    assert list(Cycle.objects.values_list("slug", flat=True)) == ["2026"]  # with its themes
    assert ThematiqueAnnuelle.objects.filter(cycle__slug="2026").count() == 4
    assert list(Reunion.objects.all()) == [vraie]
    # The agenda's own event (the Mois' open session) is left to the agenda's removal.
    assert Evenement.objects.filter(slug=E16).exists()
    assert not Evenement.objects.filter(type="reunion_atelier").exclude(pk__in=[vraie.evenement_id]).exclude(
        slug=E16).exists()
    assert not MembreConseil.objects.exists()
    assert roles.MEMBRE not in groupes("julien.marchetti@example.org")
    assert roles.ANIMATEUR in groupes("nadia.benarfa@example.org")  # still animates zero-dechet
    assert roles.ANIMATEUR not in groupes("romain.tessier@example.org")


def test_un_atelier_de_demo_qui_travaille_une_vraie_proposition_reste():
    from conseil_ess.propositions.models import Etat
    from tests.propositions.fabriques import PropositionFactory, amener_a

    charger()
    zero_dechet = Atelier.objects.get(slug="zero-dechet")
    vraie = amener_a(PropositionFactory(), Etat.EN_ATELIER, atelier=zero_dechet)
    demo_seances.supprimer()
    demo_propositions.supprimer()

    demo.supprimer()

    assert list(Atelier.objects.values_list("slug", flat=True)) == ["zero-dechet"]
    vraie.refresh_from_db()
    assert vraie.atelier == zero_dechet
