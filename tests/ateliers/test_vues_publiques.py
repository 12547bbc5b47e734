"""Public and members' pages of the ateliers: the list by theme and by champ, an atelier, a meeting,
joining and leaving, who sees reserved meetings, minutes and their documents, flat query counts."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ateliers import services
from ateliers.models import Cycle, DocumentCompteRendu, Participation
from conseil_ess.comptes.models import ChampAction, Notification
from evenements.models import Evenement
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import dans
from tests.factories import AdhesionFactory, StructureFactory, UserFactory

from .fabriques import (
    AtelierFactory,
    CycleFactory,
    ParticipationFactory,
    ThematiqueFactory,
    creer_reunion,
    creer_reunion_directe,
    publier_compte_rendu,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
URL = reverse("ateliers:index")
V = Evenement.Visibilite


def texte(reponse):
    assert reponse.status_code == 200, reponse.status_code
    # Times use non-breaking spaces; titles with an apostrophe are escaped by the templates.
    return reponse.content.decode().replace("\xa0", " ").replace("&#x27;", "'")


def section(contenu, identifiant):
    """Return the HTML of the section whose heading has ``identifiant`` (up to the next h2)."""
    debut = contenu.index(f'id="{identifiant}"')
    suite = contenu.find("<h2", debut)
    return contenu[debut: suite if suite != -1 else None]


def champ(numero):
    return ChampAction.objects.get(numero=numero)


@pytest.fixture
def cycle():
    return CycleFactory(titre="Cycle 2026", slug="cycle-2026")


# --- /ateliers/ ------------------------------------------------------------------------------------


def test_index_groupe_les_ateliers_par_thematique_avec_le_vote(client, cycle):
    t3 = ThematiqueFactory(cycle=cycle, titre="L'ESS au cœur des quartiers", ordre=3,
                           vote_libelle="Séance plénière de printemps 2026", vote_date=datetime.date(2026, 3, 19))
    t4 = ThematiqueFactory(cycle=cycle, titre="Numérique responsable", ordre=4, statut="non_retenue",
                           vote_commentaire="Renvoyée à 2027")
    animatrice = UserFactory(nom_affiche="Awa Diallo")
    quartiers = AtelierFactory(cycle=cycle, thematique=t3, titre="ESS et quartiers prioritaires",
                               resume="Faire de l'ESS un moteur d'activité dans les quartiers.",
                               champs=[champ(6), champ(2)], animateurs=[animatrice])
    ParticipationFactory(atelier=quartiers)
    ParticipationFactory(atelier=quartiers, statut=Participation.Statut.DEMANDEE)  # not counted
    ParticipationFactory(atelier=quartiers, statut=Participation.Statut.PARTIE)  # not counted
    creer_reunion(quartiers, jours=20)
    AtelierFactory(cycle=cycle, titre="Immobilier et tiers-lieux", champs=[champ(3)])
    AtelierFactory(cycle=CycleFactory(statut=Cycle.Statut.ARCHIVE), titre="Atelier d'un autre cycle")

    contenu = texte(client.get(URL))
    assert contenu.count("<h1") == 1 and "Cycle 2026" in contenu
    assert "Du 1er janvier 2026 au 31 décembre 2026." in contenu
    par_theme = section(contenu, "par-thematique")
    t3_html = par_theme[par_theme.index(f'id="thematique-{t3.pk}"'):par_theme.index(f'id="thematique-{t4.pk}"')]
    assert "Thématique retenue" in t3_html
    assert "Séance plénière de printemps 2026" in t3_html and "19 mars 2026" in t3_html
    assert "ESS et quartiers prioritaires" in t3_html
    assert "Faire de l'ESS un moteur d'activité" in t3_html
    assert "Awa Diallo" in t3_html
    assert "Champ 6" in t3_html and "Champ 2" in t3_html
    assert "2 membres" in t3_html  # the animatrice and the accepted member
    assert "Prochaine réunion" in t3_html and "à 18 h" in t3_html
    t4_html = par_theme[par_theme.index(f'id="thematique-{t4.pk}"'):]
    assert "Thématique non retenue" in t4_html and "Renvoyée à 2027" in t4_html
    assert "Aucun atelier ne porte cette thématique." in t4_html
    hors_theme = par_theme[par_theme.index('id="sans-thematique"'):]
    assert "Immobilier et tiers-lieux" in hors_theme and "Aucune réunion programmée" in hors_theme
    assert "Atelier d'un autre cycle" not in contenu


def test_index_par_champ_un_atelier_sous_chacun_de_ses_champs(client, cycle):
    AtelierFactory(cycle=cycle, titre="Initiatives des habitants", champs=[champ(6), champ(2)])
    AtelierFactory(cycle=cycle, titre="Zéro déchet", champs=[champ(4)])
    par_champ = section(texte(client.get(URL)), "par-champ")
    blocs = dict(re.findall(r'id="champ-(\d)">(.*?)</section>', par_champ, re.S))
    assert sorted(blocs) == ["2", "4", "6"]  # champs without atelier are left out
    assert "Initiatives des habitants" in blocs["2"] and "Initiatives des habitants" in blocs["6"]
    assert "Zéro déchet" in blocs["4"] and "Zéro déchet" not in blocs["6"]
    assert par_champ.index('id="champ-2"') < par_champ.index('id="champ-4"') < par_champ.index('id="champ-6"')


def test_filtre_par_champ(client, cycle):
    AtelierFactory(cycle=cycle, titre="Achats responsables", champs=[champ(5)])
    AtelierFactory(cycle=cycle, titre="Création d'entreprises", champs=[champ(1), champ(2)])
    contenu = texte(client.get(URL, {"champ": 5}))
    assert "Achats responsables" in contenu and "Création d'entreprises" not in contenu
    assert "1 atelier sur le champ" in contenu
    assert texte(client.get(URL, {"champ": 3})).count("Aucun atelier de ce cycle ne travaille sur ce champ") == 1


@pytest.mark.parametrize("valeur", ["abc", "99", "-1", "1'", "", "%00", "1.5", "9" * 30])
def test_filtre_champ_malforme_ignore(client, cycle, valeur):
    AtelierFactory(cycle=cycle, titre="Achats responsables", champs=[champ(5)])
    AtelierFactory(cycle=cycle, titre="Création d'entreprises", champs=[champ(1)])
    contenu = texte(client.get(URL + "?champ=" + valeur))
    assert "Achats responsables" in contenu and "Création d'entreprises" in contenu


def cartes(contenu):
    """The titles of the ateliers' cards, in the page's order."""
    return re.findall(r'<h4 class="carte-atelier__titre"><a href="[^"]*">([^<]*)</a></h4>', contenu)


def test_index_pagine_par_theme_en_gardant_le_filtre(client, cycle):
    """20 cards a page, the annual themes in their order then the ateliers without one; a theme cut by the page
    break heads both pages; the champ filter stays in the page links; « par champ » lists every atelier."""
    t1 = ThematiqueFactory(cycle=cycle, titre="Premier thème", ordre=1)
    t2 = ThematiqueFactory(cycle=cycle, titre="Deuxième thème", ordre=2)
    vide = ThematiqueFactory(cycle=cycle, titre="Thème sans atelier", ordre=3)
    for i in range(8):
        AtelierFactory(cycle=cycle, thematique=t1, titre=f"T1 atelier {i:02}", ordre=i, champs=[champ(1)])
    for i in range(15):
        AtelierFactory(cycle=cycle, thematique=t2, titre=f"T2 atelier {i:02}", ordre=i, champs=[champ(1)])
    for i in range(5):
        AtelierFactory(cycle=cycle, titre=f"Hors thème {i:02}", ordre=i, champs=[champ(1)])
    AtelierFactory(cycle=cycle, titre="Autre champ", champs=[champ(2)])

    page1 = texte(client.get(URL))
    assert "29 ateliers dans ce cycle" in page1
    assert cartes(page1) == [f"T1 atelier {i:02}" for i in range(8)] + [f"T2 atelier {i:02}" for i in range(12)]
    assert f'id="thematique-{vide.pk}"' in page1 and "Aucun atelier ne porte cette thématique." in page1
    navigation = page1[page1.index('aria-label="Pages des ateliers"'):]
    assert "Page 1 sur 2" in navigation and 'href="?page=2#par-thematique"' in navigation
    assert "Page précédente" not in navigation
    par_champ = section(page1, "par-champ")
    assert "Hors thème 04" in par_champ and "Autre champ" in par_champ  # every atelier, not only this page's

    page2 = texte(client.get(URL, {"page": 2}))
    assert cartes(page2) == ([f"T2 atelier {i:02}" for i in range(12, 15)] + ["Autre champ"]
                             + [f"Hors thème {i:02}" for i in range(5)])
    assert f'id="thematique-{t2.pk}"' in page2 and f'id="thematique-{t1.pk}"' not in page2
    assert f'id="thematique-{vide.pk}"' not in page2  # the empty theme is said once, on the first page
    assert 'href="?page=1#par-thematique"' in page2 and "Page suivante" not in page2
    assert cartes(texte(client.get(URL, {"page": 99}))) == cartes(page2)  # beyond the end: the last page
    assert cartes(texte(client.get(URL, {"page": "abc"}))) == cartes(page1)

    filtre1 = texte(client.get(URL, {"champ": 1}))
    assert "28 ateliers sur le champ" in filtre1 and len(cartes(filtre1)) == 20
    assert 'href="?champ=1&amp;page=2#par-thematique"' in filtre1
    assert f'id="thematique-{vide.pk}"' not in filtre1
    filtre2 = texte(client.get(URL, {"champ": 1, "page": 2}))
    assert cartes(filtre2) == [f"T2 atelier {i:02}" for i in range(12, 15)] + [f"Hors thème {i:02}" for i in range(5)]
    assert 'href="?champ=1&amp;page=1#par-thematique"' in filtre2


def test_index_sur_une_seule_page_sans_pagination(client, cycle):
    AtelierFactory(cycle=cycle, titre="Seul atelier")
    contenu = texte(client.get(URL))
    assert cartes(contenu) == ["Seul atelier"] and "Pages des ateliers" not in contenu


def test_sans_cycle_courant_message_et_cycles_archives(client):
    ancien = CycleFactory(titre="Cycle 2025", slug="cycle-2025", statut=Cycle.Statut.ARCHIVE)
    contenu = texte(client.get(URL))
    assert "Aucun cycle d'ateliers n'est ouvert pour le moment." in contenu
    assert "Cycles précédents" in contenu and ancien.get_absolute_url() in contenu


def test_index_sans_aucun_cycle(client):
    contenu = texte(client.get(URL))
    assert "Aucun cycle d'ateliers n'est ouvert pour le moment." in contenu
    assert "Cycles précédents" not in contenu


def test_index_lie_les_cycles_archives(client, cycle):
    ancien = CycleFactory(titre="Cycle 2025", slug="cycle-2025", statut=Cycle.Statut.ARCHIVE)
    contenu = texte(client.get(URL))
    assert f'href="{ancien.get_absolute_url()}"' in section(contenu, "autres-cycles")
    assert "/ateliers/cycles/cycle-2025/" == ancien.get_absolute_url()


def test_le_cycle_de_l_index_est_le_cycle_courant(client):
    # The latest cycle that is not archived, as ``Cycle.objects.courant()``: not the later archived one, not the
    # older current one; the same start date: the latest created.
    ancien = CycleFactory(titre="Cycle 2024", slug="cycle-2024", date_debut=datetime.date(2024, 1, 1),
                          date_fin=datetime.date(2024, 12, 31))
    CycleFactory(titre="Cycle 2025 bis", slug="cycle-2025-bis", date_debut=datetime.date(2025, 1, 1),
                 date_fin=datetime.date(2025, 12, 31))
    courant = CycleFactory(titre="Cycle 2025", slug="cycle-2025", date_debut=datetime.date(2025, 1, 1),
                           date_fin=datetime.date(2025, 12, 31))
    CycleFactory(titre="Cycle 2027", slug="cycle-2027", statut=Cycle.Statut.ARCHIVE,
                 date_debut=datetime.date(2027, 1, 1), date_fin=datetime.date(2027, 12, 31))
    assert Cycle.objects.courant() == courant
    contenu = texte(client.get(URL))
    assert '<span class="titre-cycle">Cycle 2025</span>' in contenu
    autres = section(contenu, "autres-cycles")
    assert courant.get_absolute_url() not in autres
    assert [c.slug for c in Cycle.objects.exclude(pk=courant.pk).order_by("-date_debut", "-pk")] == \
        re.findall(r'href="/ateliers/cycles/([^/]+)/"', autres)
    assert ancien.get_absolute_url() in autres


def test_page_d_un_cycle_archive(client, cycle):
    ancien = CycleFactory(titre="Cycle 2025", slug="cycle-2025", statut=Cycle.Statut.ARCHIVE)
    AtelierFactory(cycle=ancien, titre="Atelier de 2025")
    AtelierFactory(cycle=cycle, titre="Atelier de 2026")
    contenu = texte(client.get(ancien.get_absolute_url()))
    assert "Ce cycle est archivé." in contenu
    assert "Atelier de 2025" in contenu and "Atelier de 2026" not in contenu
    assert cycle.get_absolute_url() in section(contenu, "autres-cycles")
    # The current cycle also has its page.
    assert "Atelier de 2026" in texte(client.get(cycle.get_absolute_url()))
    assert "Ce cycle est archivé." not in texte(client.get(cycle.get_absolute_url()))


def test_cycle_inconnu_404(client):
    assert client.get(reverse("ateliers:cycle", args=["inconnu"])).status_code == 404


def test_carte_ne_montre_pas_une_reunion_reservee_aux_autres(client, cycle):
    atelier = AtelierFactory(cycle=cycle)
    creer_reunion(atelier, jours=3, visibilite=V.MEMBRES)
    creer_reunion(atelier, jours=30)
    attendu = texte(client.get(URL))
    assert "Prochaine réunion" in attendu
    reserve_jour = dans(3).strftime("%Y-%m-%d")
    assert f'datetime="{reserve_jour}' not in attendu
    membre = creer_utilisateur("acteur")
    ParticipationFactory(atelier=atelier, user=membre)
    client.force_login(membre)
    assert f'datetime="{reserve_jour}' in texte(client.get(URL))


# --- /ateliers/<slug>/ -----------------------------------------------------------------------------


def test_detail_presente_l_atelier_et_son_animation(client, cycle):
    elu = UserFactory(nom_affiche="Claire Lemoine")
    agent = UserFactory(nom_affiche="Hugo Martin")
    structure = StructureFactory(nom="Régie de quartier des Tanneurs")
    theme = ThematiqueFactory(cycle=cycle, titre="L'ESS au cœur des quartiers")
    atelier = AtelierFactory(
        cycle=cycle, titre="ESS et quartiers prioritaires", thematique=theme, champs=[champ(6), champ(2)],
        description="<p>Un <strong>moteur</strong> d'activité</p><script>alert(1)</script>",
        questions="<ul><li>Quels besoins ?</li></ul><img src=x onerror=alert(2)>",
        animateurs=[UserFactory(nom_affiche="Awa Diallo")], binome_elu=elu, binome_agent=agent,
        binome_texte="Samir Belkacem, chef de projet politique de la ville",
        coanimation_texte="Un laboratoire universitaire", rythme="4 séances par an",
        mode_adhesion="sur_demande",
    )
    atelier.structures_coanimatrices.set([structure])
    ParticipationFactory.create_batch(3, atelier=atelier)
    contenu = texte(client.get(atelier.get_absolute_url()))
    assert contenu.count("<h1") == 1
    assert "<strong>moteur</strong>" in contenu and "<script>alert" not in contenu
    assert "Quels besoins ?" in contenu and "onerror" not in contenu
    assert "L'ESS au cœur des quartiers" in contenu.replace("&#x27;", "'")
    assert "Awa Diallo" in contenu and "Claire Lemoine (élu·e)" in contenu and "Hugo Martin (agent·e)" in contenu
    assert "Samir Belkacem" in contenu and "Régie de quartier des Tanneurs" in contenu
    assert "Un laboratoire universitaire" in contenu and "4 séances par an" in contenu
    assert "Sur demande, validée par l'animation" in contenu
    assert "4 membres" in contenu
    assert reverse("ateliers:ics", args=[atelier.slug]) in contenu


def test_detail_atelier_inconnu_404(client):
    assert client.get(reverse("ateliers:detail", args=["inconnu"])).status_code == 404


def test_abonnement_liens_https_et_webcal(client, cycle):
    atelier = AtelierFactory(cycle=cycle, slug="zero-dechet")
    contenu = texte(client.get(atelier.get_absolute_url(), secure=True))
    assert 'value="https://testserver/ateliers/zero-dechet.ics"' in contenu
    assert 'href="webcal://testserver/ateliers/zero-dechet.ics"' in contenu


def test_boutons_selon_la_personne(client, cycle):
    ouvert = AtelierFactory(cycle=cycle, titre="Zéro déchet")
    sur_demande = AtelierFactory(cycle=cycle, titre="Commerce équitable", mode_adhesion="sur_demande")
    contenu = texte(client.get(ouvert.get_absolute_url()))
    assert "Connectez-vous pour rejoindre cet atelier" in contenu
    assert reverse("ateliers:rejoindre", args=[ouvert.slug]) not in contenu

    acteur = creer_utilisateur("acteur")
    client.force_login(acteur)
    contenu = texte(client.get(ouvert.get_absolute_url()))
    assert f'action="{reverse("ateliers:rejoindre", args=[ouvert.slug])}"' in contenu
    assert "Rejoindre l'atelier « Zéro déchet »" in contenu and "<textarea" not in contenu
    contenu = texte(client.get(sur_demande.get_absolute_url()))
    assert "Demander à rejoindre l'atelier « Commerce équitable »" in contenu
    assert '<label for="id_message">Message à l\'animation (facultatif)' in contenu
    assert '<textarea name="message"' in contenu

    services.rejoindre(sur_demande, acteur)
    contenu = texte(client.get(sur_demande.get_absolute_url()))
    assert "Demande en attente" in contenu and "Retirer ma demande pour l'atelier « Commerce équitable »" in contenu
    services.rejoindre(ouvert, acteur)
    contenu = texte(client.get(ouvert.get_absolute_url()))
    assert "Vous êtes membre de cet atelier." in contenu
    assert f'action="{reverse("ateliers:quitter", args=[ouvert.slug])}"' in contenu
    assert "Quitter l'atelier « Zéro déchet »" in contenu


def test_rien_a_rejoindre_dans_un_cycle_archive(client):
    atelier = AtelierFactory(cycle=CycleFactory(statut=Cycle.Statut.ARCHIVE))
    client.force_login(creer_utilisateur("acteur"))
    contenu = texte(client.get(atelier.get_absolute_url()))
    assert "il n'est plus possible de rejoindre cet atelier" in contenu.replace("&#x27;", "'")
    assert reverse("ateliers:rejoindre", args=[atelier.slug]) not in contenu


def test_lien_gerer_pour_l_animation_et_le_secretariat_seulement(client, cycle):
    animatrice = creer_utilisateur("acteur")
    atelier = AtelierFactory(cycle=cycle, animateurs=[animatrice])
    membre = creer_utilisateur("acteur")
    ParticipationFactory(atelier=atelier, user=membre)
    gerer = reverse("ateliers:gerer", args=[atelier.slug])
    for personne, attendu in [(animatrice, True), (creer_utilisateur("agent"), True), (membre, False),
                              (creer_utilisateur("elu"), False)]:
        client.force_login(personne)
        assert (gerer in texte(client.get(atelier.get_absolute_url()))) is attendu, personne


def test_liste_des_membres_selon_la_permission(client, cycle):
    atelier = AtelierFactory(cycle=cycle, animateurs=[UserFactory(nom_affiche="Awa Diallo")])
    membre = creer_utilisateur("acteur", nom_affiche="Léa Morel")
    AdhesionFactory(user=membre, structure=StructureFactory(nom="Ressourcerie de la Lère"))
    ParticipationFactory(atelier=atelier, user=membre)
    ParticipationFactory(atelier=atelier, user=UserFactory(nom_affiche="Demandeur Anonyme"),
                         statut=Participation.Statut.DEMANDEE)
    for personne in (None, creer_utilisateur("acteur")):
        if personne:
            client.force_login(personne)
        contenu = texte(client.get(atelier.get_absolute_url()))
        assert "Membres de l'atelier" not in contenu.replace("&#x27;", "'") and "Léa Morel" not in contenu
        assert "2 membres" in contenu
    for personne in (membre, creer_utilisateur("agent"), creer_utilisateur("elu")):
        client.force_login(personne)
        membres = section(texte(client.get(atelier.get_absolute_url())), "titre-membres")
        assert "Léa Morel" in membres and "Ressourcerie de la Lère" in membres and "Awa Diallo" in membres
        assert "Demandeur Anonyme" not in membres


def test_reunions_a_venir_et_passees(client, cycle):
    atelier = AtelierFactory(cycle=cycle)
    creer_reunion(atelier, jours=10)
    annulee = creer_reunion(atelier, jours=20)
    services.annuler_reunion(annulee, creer_utilisateur("agent"), "Salle indisponible")
    passee = creer_reunion_directe(atelier, jours=-30)
    services.enregistrer_presences(passee, [UserFactory(), UserFactory()], 12, None)
    publier_compte_rendu(passee)
    sans_cr = creer_reunion_directe(atelier, jours=-60)
    brouillon = creer_reunion_directe(atelier, jours=-90)
    services.enregistrer_compte_rendu(brouillon, "<p>Pas fini</p>", False, None)

    contenu = texte(client.get(atelier.get_absolute_url()))
    a_venir = section(contenu, "titre-a-venir")
    assert a_venir.count('<li class="reunion-ligne') == 2
    assert "Annulé" in a_venir and "Salle indisponible" in a_venir
    passees = section(contenu, "titre-passees")
    assert passees.count('<li class="reunion-ligne') == 3
    assert "14 participant·e·s" in passees
    assert f'{passee.get_absolute_url()}#compte-rendu' in passees
    assert f'{sans_cr.get_absolute_url()}#compte-rendu' not in passees
    assert f'{brouillon.get_absolute_url()}#compte-rendu' not in passees
    # Newest past meeting first.
    assert passees.index(passee.get_absolute_url()) < passees.index(sans_cr.get_absolute_url())


# --- Reserved meetings -----------------------------------------------------------------------------


@pytest.fixture
def atelier_et_reservee(cycle):
    atelier = AtelierFactory(cycle=cycle, titre="Achats responsables")
    reservee = creer_reunion(atelier, jours=5, visibilite=V.MEMBRES, precision_lieu="Salle du conseil")
    return atelier, reservee


@pytest.mark.parametrize("role", ["anonyme", "acteur", "membre"])
def test_reunion_reservee_cachee_aux_non_membres(client, atelier_et_reservee, role):
    atelier, reservee = atelier_et_reservee
    personne = creer_utilisateur(role)
    if personne:
        client.force_login(personne)
    contenu = texte(client.get(atelier.get_absolute_url()))
    assert reservee.get_absolute_url() not in contenu and "Salle du conseil" not in contenu
    assert "Aucune réunion n'est programmée" in contenu.replace("&#x27;", "'")
    assert client.get(reservee.get_absolute_url()).status_code == 404
    assert b"Salle du conseil" not in client.get(reverse("ateliers:ics", args=[atelier.slug])).content


@pytest.mark.parametrize("role", ["membre_atelier", "animateur", "elu", "agent"])
def test_reunion_reservee_visible_des_membres_elus_et_agents(client, atelier_et_reservee, role):
    atelier, reservee = atelier_et_reservee
    personne = creer_utilisateur(role if role in ("elu", "agent") else "acteur")
    if role == "membre_atelier":
        ParticipationFactory(atelier=atelier, user=personne)
    elif role == "animateur":
        atelier.animateurs.add(personne)
    client.force_login(personne)
    contenu = texte(client.get(atelier.get_absolute_url()))
    assert reservee.get_absolute_url() in contenu and "Réservée aux membres de l'atelier" in contenu.replace(
        "&#x27;", "'")
    page = texte(client.get(reservee.get_absolute_url()))
    assert "Salle du conseil" in page and "Réservée aux membres" in page
    # The feed stays public: never the reserved meeting, even for a member.
    assert b"Salle du conseil" not in client.get(reverse("ateliers:ics", args=[atelier.slug])).content


# --- /ateliers/<slug>/reunions/<pk>/ ----------------------------------------------------------------


def test_page_d_une_reunion(client, cycle):
    atelier = AtelierFactory(cycle=cycle, titre="Zéro déchet")
    reunion = creer_reunion(atelier, jours=12)
    reunion.ordre_du_jour = "<ol><li>Filière textile</li></ol><script>x()</script>"
    reunion.save()
    contenu = texte(client.get(reunion.get_absolute_url()))
    assert contenu.count("<h1") == 1
    assert "de 18 h à 20 h" in contenu and "(heure de Paris)" in contenu
    assert reunion.evenement.lieu.nom in contenu
    assert "<li>Filière textile</li>" in contenu and "<script>x()" not in contenu
    assert f'href="{reunion.evenement.get_absolute_url()}"' in contenu
    assert "Réunion publique" in contenu
    assert "Participation" not in contenu  # not held yet


def test_page_d_une_reunion_passee_avec_presences_et_compte_rendu(client, cycle):
    atelier = AtelierFactory(cycle=cycle)
    reunion = creer_reunion_directe(atelier, jours=-3)
    services.enregistrer_presences(reunion, [UserFactory()], 8, None)
    publier_compte_rendu(reunion, "<ul><li>Décision : un groupe de travail textile</li></ul>")
    contenu = texte(client.get(reunion.get_absolute_url()))
    assert "9 participant·e·s" in contenu
    assert 'id="compte-rendu"' in contenu and "Décision : un groupe de travail textile" in contenu


def test_reunion_d_un_autre_atelier_404(client, cycle):
    atelier, autre = AtelierFactory(cycle=cycle), AtelierFactory(cycle=cycle)
    reunion = creer_reunion(autre)
    assert client.get(reverse("ateliers:reunion", args=[atelier.slug, reunion.pk])).status_code == 404
    assert client.get(reverse("ateliers:reunion", args=[autre.slug, reunion.pk + 1000])).status_code == 404


def test_compte_rendu_interne_pas_montre_au_public(client, cycle):
    atelier = AtelierFactory(cycle=cycle)
    reunion = creer_reunion_directe(atelier, jours=-3)
    publier_compte_rendu(reunion, "<p>Échanges confidentiels sur un lieu</p>", interne=True)
    for personne in (None, creer_utilisateur("acteur"), creer_utilisateur("membre")):
        if personne:
            client.force_login(personne)
        contenu = texte(client.get(reunion.get_absolute_url()))
        assert "Échanges confidentiels" not in contenu
        assert "Le compte rendu de cette réunion est réservé aux membres de l'atelier." in contenu.replace(
            "&#x27;", "'")
        assert f"{reunion.get_absolute_url()}#compte-rendu" not in texte(client.get(atelier.get_absolute_url()))
    membre = creer_utilisateur("acteur")
    ParticipationFactory(atelier=atelier, user=membre)
    for personne in (membre, creer_utilisateur("elu"), creer_utilisateur("agent")):
        client.force_login(personne)
        assert "Échanges confidentiels" in texte(client.get(reunion.get_absolute_url()))
        assert f"{reunion.get_absolute_url()}#compte-rendu" in texte(client.get(atelier.get_absolute_url()))


def test_compte_rendu_brouillon_lu_par_l_animation_seulement(client, cycle):
    animatrice = creer_utilisateur("acteur")
    atelier = AtelierFactory(cycle=cycle, animateurs=[animatrice])
    reunion = creer_reunion_directe(atelier, jours=-3)
    services.enregistrer_compte_rendu(reunion, "<p>Version de travail</p>", False, animatrice)
    assert "Version de travail" not in texte(client.get(reunion.get_absolute_url()))
    client.force_login(animatrice)
    contenu = texte(client.get(reunion.get_absolute_url()))
    assert "Version de travail" in contenu and "Brouillon, non publié" in contenu
    assert reverse("ateliers:compte_rendu", args=[atelier.slug, reunion.pk]) in contenu


# --- Documents of the minutes ------------------------------------------------------------------------


@pytest.fixture
def joindre():
    """Attach a file to minutes (in the private storage); the files are removed after the test."""
    documents = []

    def joindre(compte_rendu, nom="releve.pdf", contenu=b"%PDF-1.4 releve"):
        document = DocumentCompteRendu.objects.create(compte_rendu=compte_rendu, titre="Relevé de décisions",
                                                      fichier=ContentFile(contenu, name=nom))
        documents.append(document)
        return document

    yield joindre
    for document in documents:
        document.fichier.delete(save=False)


@pytest.fixture
def document_public(cycle, joindre):
    atelier = AtelierFactory(cycle=cycle)
    reunion = creer_reunion_directe(atelier, jours=-3)
    return joindre(publier_compte_rendu(reunion))


def url_document(document):
    reunion = document.compte_rendu.reunion
    return reverse("ateliers:document", args=[reunion.atelier.slug, reunion.pk, document.pk])


def test_document_d_un_compte_rendu_public(client, document_public):
    chemin = Path(document_public.fichier.path)
    assert Path(settings.FICHIERS_PRIVES_ROOT) in chemin.parents
    assert Path(settings.MEDIA_ROOT) not in chemin.parents
    contenu = texte(client.get(document_public.compte_rendu.reunion.get_absolute_url()))
    assert url_document(document_public) in contenu and "Relevé de décisions" in contenu and "(PDF)" in contenu
    reponse = client.get(url_document(document_public))
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"].startswith("attachment;") and "releve" in reponse["Content-Disposition"]
    assert b"".join(reponse.streaming_content) == b"%PDF-1.4 releve"


def test_document_d_un_compte_rendu_interne(client, cycle, joindre):
    atelier = AtelierFactory(cycle=cycle)
    document = joindre(publier_compte_rendu(creer_reunion_directe(atelier, jours=-3), interne=True))
    assert client.get(url_document(document)).status_code == 404
    client.force_login(creer_utilisateur("acteur"))
    assert client.get(url_document(document)).status_code == 404
    membre = creer_utilisateur("acteur")
    ParticipationFactory(atelier=atelier, user=membre)
    client.force_login(membre)
    assert client.get(url_document(document)).status_code == 200


def test_document_d_un_brouillon_404(client, cycle, joindre):
    atelier = AtelierFactory(cycle=cycle)
    reunion = creer_reunion_directe(atelier, jours=-3)
    document = joindre(services.enregistrer_compte_rendu(reunion, "<p>En cours</p>", False, None))
    client.force_login(creer_utilisateur("membre"))
    assert client.get(url_document(document)).status_code == 404


def test_document_mauvais_identifiants_404(client, document_public):
    reunion = document_public.compte_rendu.reunion
    autre = AtelierFactory(cycle=reunion.atelier.cycle)
    slug, pk, doc = reunion.atelier.slug, reunion.pk, document_public.pk
    for args in [(autre.slug, pk, doc), (slug, pk + 1, doc), (slug, pk, doc + 1)]:
        assert client.get(reverse("ateliers:document", args=args)).status_code == 404, args


# --- Joining and leaving -------------------------------------------------------------------------------


def rejoindre(client, atelier, follow=False, **donnees):
    return client.post(reverse("ateliers:rejoindre", args=[atelier.slug]), donnees, follow=follow)


def messages_de(reponse):
    return [str(m) for m in get_messages(reponse.wsgi_request)]


def test_rejoindre_un_atelier_ouvert(client, cycle, acteur):
    atelier = AtelierFactory(cycle=cycle, titre="Zéro déchet")
    client.force_login(acteur)
    reponse = rejoindre(client, atelier)
    assert reponse.status_code == 302 and reponse["Location"] == atelier.get_absolute_url()
    assert Participation.objects.get(atelier=atelier, user=acteur).statut == Participation.Statut.ACCEPTEE
    assert any("Vous avez rejoint l'atelier « Zéro déchet »" in m for m in messages_de(reponse))


def test_rejoindre_un_atelier_sur_demande_previent_l_animation(client, cycle, acteur):
    animatrice = creer_utilisateur("acteur")
    atelier = AtelierFactory(cycle=cycle, titre="Commerce équitable", mode_adhesion="sur_demande",
                             animateurs=[animatrice])
    client.force_login(acteur)
    reponse = rejoindre(client, atelier, message="Je travaille dans une épicerie solidaire.")
    participation = Participation.objects.get(atelier=atelier, user=acteur)
    assert participation.statut == Participation.Statut.DEMANDEE
    assert participation.message == "Je travaille dans une épicerie solidaire."
    notification = Notification.objects.get(destinataire=animatrice)
    assert "demande à rejoindre l'atelier « Commerce équitable »" in notification.titre
    assert notification.url == reverse("ateliers:gerer", args=[atelier.slug])
    assert any("transmise à l'animation" in m for m in messages_de(reponse))


def test_message_trop_long_refuse(client, cycle, acteur):
    atelier = AtelierFactory(cycle=cycle, mode_adhesion="sur_demande")
    client.force_login(acteur)
    reponse = rejoindre(client, atelier, message="x" * 2001)
    assert reponse.status_code == 302
    assert not Participation.objects.filter(atelier=atelier).exists()
    assert any("trop long" in m for m in messages_de(reponse))


def test_rejoindre_deux_fois_dit_pourquoi(client, cycle, acteur):
    atelier = AtelierFactory(cycle=cycle)
    client.force_login(acteur)
    rejoindre(client, atelier)
    reponse = rejoindre(client, atelier, follow=True)
    assert "Vous faites déjà partie de cet atelier." in texte(reponse)
    assert Participation.objects.filter(atelier=atelier, user=acteur).count() == 1


def test_quitter_un_atelier_et_retirer_une_demande(client, cycle, acteur):
    ouvert = AtelierFactory(cycle=cycle, titre="Zéro déchet")
    sur_demande = AtelierFactory(cycle=cycle, titre="Commerce équitable", mode_adhesion="sur_demande")
    client.force_login(acteur)
    rejoindre(client, ouvert)
    rejoindre(client, sur_demande)
    reponse = client.post(reverse("ateliers:quitter", args=[ouvert.slug]))
    assert reponse.status_code == 302 and reponse["Location"] == ouvert.get_absolute_url()
    assert Participation.objects.get(atelier=ouvert, user=acteur).statut == Participation.Statut.PARTIE
    assert any("Vous avez quitté l'atelier « Zéro déchet »" in m for m in messages_de(reponse))
    reponse = client.post(reverse("ateliers:quitter", args=[sur_demande.slug]))
    assert Participation.objects.get(atelier=sur_demande, user=acteur).statut == Participation.Statut.PARTIE
    assert any("est retirée" in m for m in messages_de(reponse))
    reponse = client.post(reverse("ateliers:quitter", args=[ouvert.slug]), follow=True)
    assert "Vous ne faites pas partie de cet atelier." in texte(reponse)


def test_l_animation_ne_peut_pas_quitter_par_ce_bouton(client, cycle, acteur):
    atelier = AtelierFactory(cycle=cycle, animateurs=[acteur])
    client.force_login(acteur)
    reponse = client.post(reverse("ateliers:quitter", args=[atelier.slug]), follow=True)
    assert "demandez au secrétariat de vous remplacer" in texte(reponse)
    assert atelier.animateurs.filter(pk=acteur.pk).exists()


@pytest.mark.parametrize("action", ["rejoindre", "quitter"])
def test_anonyme_renvoye_vers_la_connexion(client, cycle, action):
    atelier = AtelierFactory(cycle=cycle)
    reponse = client.post(reverse(f"ateliers:{action}", args=[atelier.slug]))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("account_login"))
    assert not Participation.objects.exists()


@pytest.mark.parametrize("action", ["rejoindre", "quitter"])
def test_get_refuse(client, cycle, acteur, action):
    atelier = AtelierFactory(cycle=cycle)
    client.force_login(acteur)
    assert client.get(reverse(f"ateliers:{action}", args=[atelier.slug])).status_code == 405


@pytest.mark.parametrize("action", ["rejoindre", "quitter"])
def test_cycle_archive_403(client, acteur, action):
    atelier = AtelierFactory(cycle=CycleFactory(statut=Cycle.Statut.ARCHIVE))
    if action == "quitter":
        ParticipationFactory(atelier=atelier, user=acteur)
    client.force_login(acteur)
    assert client.post(reverse(f"ateliers:{action}", args=[atelier.slug])).status_code == 403
    statuts = set(Participation.objects.filter(atelier=atelier).values_list("statut", flat=True))
    assert statuts == ({"acceptee"} if action == "quitter" else set())


def test_atelier_inconnu_404_pour_rejoindre(client, acteur):
    client.force_login(acteur)
    assert client.post(reverse("ateliers:rejoindre", args=["inconnu"])).status_code == 404


# --- Query counts --------------------------------------------------------------------------------------


def remplir_atelier(atelier, membres, reunions):
    """Give ``atelier`` ``membres`` accepted members (with a structure each) and ``reunions`` meetings:
    one in two past (with attendance and minutes, one in two internal), one in three reserved."""
    for _i in range(membres):
        personne = UserFactory()
        AdhesionFactory(user=personne)
        ParticipationFactory(atelier=atelier, user=personne)
    for i in range(reunions):
        visibilite = V.MEMBRES if i % 3 == 0 else V.PUBLIC
        if i % 2 == 0:
            reunion = creer_reunion_directe(atelier, jours=-(i + 1), visibilite=visibilite)
            reunion.participants_sans_compte = 10
            reunion.save()
            publier_compte_rendu(reunion, interne=i % 4 == 0)
        else:
            creer_reunion_directe(atelier, jours=i + 1, visibilite=visibilite)


@pytest.mark.parametrize("role", ["anonyme", "membre_atelier", "agent"])
def test_index_nombre_de_requetes_constant(client, settings, django_assert_max_num_queries, cycle, role):
    """3 ateliers or 30 (with their animation, members and meetings): the same number of queries."""
    settings.CACHE_PAGES = False  # the view's own queries, not the page cache's (conseil_ess/cache_pages)
    personne = creer_utilisateur("acteur" if role == "membre_atelier" else role)
    if personne:
        client.force_login(personne)
    theme = ThematiqueFactory(cycle=cycle)

    def creer(n):
        for i in range(n):
            atelier = AtelierFactory(cycle=cycle, thematique=theme if i % 2 else None,
                                     champs=[champ(1 + i % 6), champ(1 + (i + 1) % 6)],
                                     animateurs=[UserFactory(), UserFactory()])
            atelier.structures_coanimatrices.set([StructureFactory()])
            remplir_atelier(atelier, membres=2, reunions=2)
            if role == "membre_atelier":
                ParticipationFactory(atelier=atelier, user=personne)

    client.get(URL)  # warm-up: the site's header and footer create their settings rows on first use
    comptes = []
    for n in (3, 27):
        creer(n)
        with django_assert_max_num_queries(20) as requetes:  # session, user and layout included
            contenu = texte(client.get(URL))
        comptes.append(len(requetes))
    assert contenu.count('class="carte carte-atelier"') == 20  # the first page
    assert comptes[0] == comptes[1], comptes
    with django_assert_max_num_queries(comptes[0]):
        assert texte(client.get(URL, {"page": 2})).count('class="carte carte-atelier"') == 10


@pytest.mark.parametrize("role", ["anonyme", "membre_atelier", "elu"])
def test_detail_nombre_de_requetes_constant(client, settings, django_assert_max_num_queries, cycle, role):
    """2 members and 2 meetings, or 50 and 40: the same number of queries."""
    settings.CACHE_PAGES = False  # the view's own queries, not the page cache's (conseil_ess/cache_pages)
    personne = creer_utilisateur("acteur" if role == "membre_atelier" else role)
    if personne:
        client.force_login(personne)
    comptes = []
    for membres, reunions in ((2, 2), (50, 40)):
        atelier = AtelierFactory(cycle=cycle, animateurs=[UserFactory(), UserFactory()],
                                 champs=[champ(1), champ(2)], binome_elu=UserFactory(), binome_agent=UserFactory())
        atelier.structures_coanimatrices.set([StructureFactory(), StructureFactory()])
        remplir_atelier(atelier, membres, reunions)
        if role == "membre_atelier":
            ParticipationFactory(atelier=atelier, user=personne)
        client.get(atelier.get_absolute_url())  # warm-up
        with django_assert_max_num_queries(22) as requetes:  # session, user and layout included
            contenu = texte(client.get(atelier.get_absolute_url()))
        comptes.append(len(requetes))
    # Anonymous: the public meetings, and the reserved ones held whose minutes are published publicly.
    visibles = atelier.reunions.filter(
        Q(evenement__visibilite=V.PUBLIC)
        | Q(evenement__fin__lte=timezone.now(), compte_rendu__statut="publie", compte_rendu__interne=False)
    ).count() if role == "anonyme" else 40
    assert contenu.count('<li class="reunion-ligne') == visibles
    assert comptes[0] == comptes[1], comptes


def test_compte_rendu_public_d_une_reunion_reservee_est_lisible_par_tous(client):
    """DOMAINE.md §12: a reserved meeting's minutes are published publicly unless marked internal."""
    from tests.ateliers.fabriques import AtelierFactory, creer_reunion_directe, publier_compte_rendu

    atelier = AtelierFactory()
    publique = creer_reunion_directe(atelier, jours=-3, visibilite="membres")
    publier_compte_rendu(publique, contenu="<p>Décisions ouvertes à tous.</p>")
    interne = creer_reunion_directe(atelier, jours=-10, visibilite="membres")
    publier_compte_rendu(interne, contenu="<p>Notes internes.</p>", interne=True)
    a_venir = creer_reunion_directe(atelier, jours=5, visibilite="membres")

    page = client.get(publique.get_absolute_url())
    assert page.status_code == 200
    assert "Décisions ouvertes à tous." in page.content.decode()
    assert publique.evenement.get_absolute_url() not in page.content.decode()  # the agenda page stays closed
    assert client.get(interne.get_absolute_url()).status_code == 404
    assert client.get(a_venir.get_absolute_url()).status_code == 404
    fiche = client.get(atelier.get_absolute_url()).content.decode()
    assert publique.get_absolute_url() in fiche
    assert interne.get_absolute_url() not in fiche and a_venir.get_absolute_url() not in fiche


def test_nombre_de_personnes_d_une_carte(cycle, django_assert_num_queries):
    """A card counts active accepted members and animateur·rice·s, each person once; neither pending, left nor
    deactivated accounts. One query for every atelier of the page."""
    from ateliers.filters import nombres_membres

    animatrice, membre, inactif = UserFactory(), UserFactory(), UserFactory(is_active=False)
    atelier = AtelierFactory(cycle=cycle, animateurs=[animatrice, inactif])
    ParticipationFactory(atelier=atelier, user=animatrice)  # also a member: one person
    ParticipationFactory(atelier=atelier, user=membre)
    ParticipationFactory(atelier=atelier, user=inactif)
    ParticipationFactory(atelier=atelier, statut=Participation.Statut.DEMANDEE)
    ParticipationFactory(atelier=atelier, statut=Participation.Statut.PARTIE)
    seule_animation = AtelierFactory(cycle=cycle, animateurs=[membre])
    vide = AtelierFactory(cycle=cycle)
    with django_assert_num_queries(1):
        nombres = nombres_membres([atelier.pk, seule_animation.pk, vide.pk])
    assert nombres == {atelier.pk: 2, seule_animation.pk: 1}
    assert services.membres(atelier).count() == 2  # the atelier's page counts the same people


def test_prochaines_reunions_comme_la_requete_de_l_orm(cycle):
    """``prochaines_reunions`` (plain SQL, ``sql_visible``) gives what the ORM's query of the same rules gives, for
    a visitor, a member, an animateur and another person: reserved, cancelled, past and public meetings."""
    from django.contrib.auth.models import AnonymousUser

    from ateliers.filters import prochaines_reunions, reunions_a_venir_visibles

    ateliers = [AtelierFactory(cycle=cycle) for _ in range(3)]
    creer_reunion(ateliers[0], jours=3, visibilite=V.MEMBRES)
    creer_reunion(ateliers[0], jours=10)
    creer_reunion_directe(ateliers[1], jours=-2)
    annulee = creer_reunion(ateliers[1], jours=4)
    annulee.evenement.statut = "annule"
    annulee.evenement.save()
    creer_reunion(ateliers[1], jours=20, visibilite=V.MEMBRES)
    membre, animateur, autre = (creer_utilisateur("acteur") for _ in range(3))
    ParticipationFactory(atelier=ateliers[0], user=membre)
    ateliers[1].animateurs.add(animateur)

    def par_l_orm(user):
        prochaines = {}
        lignes = (reunions_a_venir_visibles(user).filter(reunion_atelier__atelier__in=[a.pk for a in ateliers])
                  .order_by("debut", "pk").values_list("reunion_atelier__atelier", "debut", "reunion_atelier__pk"))
        for atelier_id, debut, reunion_pk in lignes:
            prochaines.setdefault(atelier_id, (debut, reunion_pk))
        return prochaines

    vus = {}
    for nom, user in (("visiteur", AnonymousUser()), ("membre", membre), ("animateur", animateur), ("autre", autre)):
        vus[nom] = prochaines_reunions([a.pk for a in ateliers], user)
        assert vus[nom] == par_l_orm(user), nom
    # The rules made a difference: the member sees the reserved meeting in 3 days, the visitor the one in 10.
    assert vus["membre"][ateliers[0].pk] != vus["visiteur"][ateliers[0].pk]
    assert ateliers[1].pk in vus["animateur"] and ateliers[1].pk not in vus["visiteur"]
    assert prochaines_reunions([], AnonymousUser()) == {}


@pytest.mark.parametrize("numero", [None, 2, 5])
def test_la_liste_en_sql_suit_le_filtre_et_l_ordre_de_l_orm(cycle, numero):
    """The page's ateliers and the « par champ » links, read by plain SQL (``views._lire_page``, ``_par_champ``),
    are those of ``AtelierFilter``'s queryset in the page's order (themes' order and title, ateliers without a
    theme last, then their own order and title), page by page, with the list's length."""
    from django.db.models import F

    from ateliers.filters import AtelierFilter
    from ateliers.models import Atelier
    from ateliers.templatetags.ateliers import url_atelier
    from ateliers.views import _lire_page, _par_champ
    from conseil_ess.prechargement import lire_ensemble

    themes = [ThematiqueFactory(cycle=cycle, titre=t, ordre=o) for t, o in (("Zeta", 1), ("Alpha", 1), ("Beta", 0))]
    for i in range(9):
        theme = themes[i % 4] if i % 4 < 3 else None
        AtelierFactory(cycle=cycle, titre=f"Atelier {i % 4}", ordre=i % 3, thematique=theme,
                       champs=[champ(1 + i % 6), champ(1 + (i + 2) % 6)])
    AtelierFactory(cycle=CycleFactory(statut=Cycle.Statut.ARCHIVE), champs=[champ(2)])  # another cycle
    filtre = AtelierFilter({"champ": str(numero)} if numero else None, queryset=cycle.ateliers.all())
    choisi = filtre.champ_choisi
    assert (choisi is None) == (numero is None)
    ordonnes = filtre.qs.order_by(
        F("thematique__ordre").asc(nulls_last=True), F("thematique__titre").asc(nulls_last=True),
        F("thematique").asc(nulls_last=True), "ordre", "titre", "pk",
    )
    attendus = list(ordonnes)
    assert attendus  # each case lists some ateliers
    lus = []
    for debut in range(0, len(attendus), 4):
        page = _lire_page(cycle, choisi, ordonnes.all()[debut:debut + 4], avec_total=True)
        assert all(atelier.total == len(attendus) for atelier in page)
        lus += page
    assert [a.pk for a in lus] == [a.pk for a in attendus]
    assert [(a.titre, a.slug, a.thematique_id) for a in lus] == [(a.titre, a.slug, a.thematique_id) for a in attendus]
    # Every champ of the listed ateliers, each with its ateliers in their order.
    (groupes,) = lire_ensemble(_par_champ(cycle, choisi))
    attendu = {}
    for lien in (Atelier.champs.through.objects.filter(atelier__in=filtre.qs.values("pk"))
                 .order_by("champaction__numero", "atelier__ordre", "atelier__titre", "atelier__pk")
                 .select_related("champaction", "atelier")):
        attendu.setdefault(lien.champaction.numero, []).append((lien.atelier.titre, url_atelier(lien.atelier.slug)))
    assert {g["numero"]: liens for g, liens in groupes} == attendu
    assert [g["numero"] for g, _liens in groupes] == sorted(attendu)


def test_les_reunions_de_la_page_d_un_atelier_selon_la_personne(cycle):
    """An atelier's page lists the meetings the person may see, and the held meetings whose minutes are public
    (even reserved ones); not a reserved meeting without minutes or with internal ones, nor an unpublished one."""
    from django.contrib.auth.models import AnonymousUser

    from ateliers.views import _reunions_de_la_page

    atelier = AtelierFactory(cycle=cycle)
    R = Evenement.Visibilite.MEMBRES  # noqa: N806
    publique = creer_reunion(atelier, jours=6)
    future_reservee = creer_reunion(atelier, jours=5, visibilite=R)
    passee_cr_public = creer_reunion_directe(atelier, jours=-3, visibilite=R)
    publier_compte_rendu(passee_cr_public)
    passee_cr_interne = creer_reunion_directe(atelier, jours=-4, visibilite=R)
    publier_compte_rendu(passee_cr_interne, interne=True)
    passee_sans_cr = creer_reunion_directe(atelier, jours=-5, visibilite=R)
    brouillon = creer_reunion_directe(atelier, jours=-6)
    publier_compte_rendu(brouillon)
    brouillon.evenement.publication = Evenement.Publication.BROUILLON
    brouillon.evenement.save()
    membre, autre = creer_utilisateur("acteur"), creer_utilisateur("acteur")
    ParticipationFactory(atelier=atelier, user=membre)

    def vues(user):
        return [r.pk for r in _reunions_de_la_page(atelier, user, timezone.now())]

    par_date = [passee_sans_cr, passee_cr_interne, passee_cr_public, future_reservee, publique]
    for user in (AnonymousUser(), autre):
        assert vues(user) == [passee_cr_public.pk, publique.pk]
    assert vues(membre) == [r.pk for r in par_date]
    lue = _reunions_de_la_page(atelier, AnonymousUser(), timezone.now())[0]
    assert lue.compte_rendu.est_publie and lue.evenement.lieu is not None and lue.atelier is atelier


def test_index_en_trois_allers_retours_sur_postgresql(client, settings, cycle):
    """The list reads the cycles, then the page's cards, then everything else together (``lire_ensemble``: the
    cards' champs, animation, members and next meetings, the themes, the ateliers by champ and the filter's
    menu): three round trips on PostgreSQL; the menu is not read again when the form is rendered."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = True  # the menu and the footer kept: the list's own queries only
    AtelierFactory(cycle=cycle, titre="Achats responsables", champs=[champ(3)])
    client.get(reverse("ateliers:index"))
    with CaptureQueriesContext(connection) as requetes:
        html = client.get(reverse("ateliers:index")).content.decode()
    assert "Achats responsables" in html and '<option value="3">' in html
    menus = [r["sql"] for r in requetes if "1 AS menu" in r["sql"]]
    assert len(menus) == 1
    if connection.vendor == "postgresql":
        assert len(requetes) == 3, [r["sql"][:60] for r in requetes]
        assert "ateliers_atelier_animateurs" in menus[0]  # sent with the cards' relations
