"""/mon-espace/ « Mes ateliers », and the personal feed following joins and departures."""

import pytest
from django.urls import reverse

from ateliers.models import Cycle, Participation
from evenements.models import Evenement
from tests.conftest import creer_utilisateur
from tests.evenements.fixtures_ical import analyser, vevents

from .fabriques import AtelierFactory, CycleFactory, ParticipationFactory, creer_reunion

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
URL = reverse("comptes:mon_espace")
V = Evenement.Visibilite


def mes_ateliers(client):
    reponse = client.get(URL)
    assert reponse.status_code == 200
    contenu = reponse.content.decode().replace("\xa0", " ").replace("&#x27;", "'")
    debut = contenu.index('id="mes-ateliers"')
    return contenu[debut:contenu.index("</section>", debut)]


def test_mes_ateliers_membre_animation_et_demandes(client, acteur):
    cycle = CycleFactory()
    membre_de = AtelierFactory(cycle=cycle, titre="Zéro déchet")
    ParticipationFactory(atelier=membre_de, user=acteur)
    prochaine = creer_reunion(membre_de, jours=9, visibilite=V.MEMBRES)
    creer_reunion(membre_de, jours=40)
    anime = AtelierFactory(cycle=cycle, titre="Achats responsables", animateurs=[acteur])
    demande = AtelierFactory(cycle=cycle, titre="Commerce équitable", mode_adhesion="sur_demande")
    ParticipationFactory(atelier=demande, user=acteur, statut=Participation.Statut.DEMANDEE)
    quitte = AtelierFactory(cycle=cycle, titre="Atelier quitté")
    ParticipationFactory(atelier=quitte, user=acteur, statut=Participation.Statut.PARTIE)
    AtelierFactory(cycle=cycle, titre="Atelier d'autres personnes")
    client.force_login(acteur)

    bloc = mes_ateliers(client)
    assert "Mes ateliers" in bloc
    ligne_membre = bloc[bloc.index("Zéro déchet"):bloc.index("</li>", bloc.index("Zéro déchet"))]
    assert "Membre" in ligne_membre and "Prochaine réunion" in ligne_membre
    assert prochaine.get_absolute_url() in ligne_membre  # a reserved meeting: its members see it
    assert reverse("ateliers:gerer", args=[membre_de.slug]) not in bloc
    ligne_anime = bloc[bloc.index("Achats responsables"):bloc.index("</li>", bloc.index("Achats responsables"))]
    assert "Vous l'animez" in ligne_anime and "Aucune réunion programmée." in ligne_anime
    assert reverse("ateliers:gerer", args=[anime.slug]) in ligne_anime
    demandes = bloc[bloc.index("Mes demandes en attente"):]
    assert "Commerce équitable" in demandes and "Demande en attente" in demandes
    assert "Atelier quitté" not in bloc and "Atelier d'autres personnes" not in bloc
    assert "votre agenda personnel" in bloc and "#mon-flux" in bloc


def test_atelier_d_un_cycle_archive_marque(client, acteur):
    ancien = CycleFactory(titre="Cycle 2025", statut=Cycle.Statut.ARCHIVE)
    atelier = AtelierFactory(cycle=ancien, titre="Atelier de 2025", animateurs=[acteur])
    client.force_login(acteur)
    bloc = mes_ateliers(client)
    assert "Atelier de 2025" in bloc and "Cycle 2025 (archivé)" in bloc
    assert reverse("ateliers:gerer", args=[atelier.slug]) not in bloc  # read-only once archived


def test_sans_atelier(client, acteur):
    client.force_login(acteur)
    bloc = mes_ateliers(client)
    assert "Vous ne participez à aucun atelier thématique pour l'instant." in bloc
    assert reverse("ateliers:index") in bloc


def test_nombre_de_requetes_constant(client, acteur, django_assert_max_num_queries):
    client.force_login(acteur)
    cycle = CycleFactory()
    client.get(URL)  # warm-up
    comptes = []
    for ajoutes in (2, 13):
        for i in range(ajoutes):
            atelier = AtelierFactory(cycle=cycle, animateurs=[acteur] if i % 3 == 0 else [])
            if i % 3:
                ParticipationFactory(atelier=atelier, user=acteur)
            creer_reunion(atelier, jours=5 + i)
            demande = AtelierFactory(cycle=cycle, mode_adhesion="sur_demande")
            ParticipationFactory(atelier=demande, user=acteur, statut=Participation.Statut.DEMANDEE)
        with django_assert_max_num_queries(22) as requetes:  # the whole page: agenda, notifications, layout
            bloc = mes_ateliers(client)
        comptes.append(len(requetes))
    assert bloc.count("Prochaine réunion") == 15
    assert comptes[0] == comptes[1], comptes


# --- The personal feed follows membership --------------------------------------------------------


def flux_personnel(client, user):
    reponse = client.get(reverse("evenements:flux_personnel", args=[user.jeton_agenda]))
    assert reponse.status_code == 200
    return vevents(analyser(reponse.content))


def test_rejoindre_ajoute_les_reunions_au_flux_personnel_et_quitter_les_retire(client, acteur):
    atelier = AtelierFactory(titre="Zéro déchet")
    publique = creer_reunion(atelier, jours=8)
    reservee = creer_reunion(atelier, jours=20, visibilite=V.MEMBRES)
    uids = {publique.evenement.uid, reservee.evenement.uid}
    client.force_login(acteur)
    assert not uids & flux_personnel(client, acteur).keys()

    client.post(reverse("ateliers:rejoindre", args=[atelier.slug]))
    assert uids <= flux_personnel(client, acteur).keys()

    client.post(reverse("ateliers:quitter", args=[atelier.slug]))
    assert not uids & flux_personnel(client, acteur).keys()


def test_une_demande_en_attente_n_ajoute_rien_au_flux(client, acteur):
    atelier = AtelierFactory(mode_adhesion="sur_demande")
    reunion = creer_reunion(atelier, jours=8)
    client.force_login(acteur)
    client.post(reverse("ateliers:rejoindre", args=[atelier.slug]), {"message": "Bonjour"})
    assert Participation.objects.get(user=acteur).statut == Participation.Statut.DEMANDEE
    assert reunion.evenement.uid not in flux_personnel(client, acteur)


def test_flux_personnel_change_d_etag_quand_on_quitte(client, acteur):
    """A subscribed calendar polling with If-None-Match gets the new feed once the person left."""
    atelier = AtelierFactory()
    creer_reunion(atelier, jours=8)
    ParticipationFactory(atelier=atelier, user=acteur)
    adresse = reverse("evenements:flux_personnel", args=[acteur.jeton_agenda])
    avant = client.get(adresse)
    client.force_login(acteur)
    client.post(reverse("ateliers:quitter", args=[atelier.slug]))
    apres = client.get(adresse, HTTP_IF_NONE_MATCH=avant["ETag"])
    assert apres.status_code == 200
    assert not analyser(apres.content).walk("VEVENT")


def test_elu_voit_la_reunion_reservee_sans_etre_membre(client):
    """The élu·e sees reserved meetings on the pages, but only their ateliers' ones in their own feed."""
    elu = creer_utilisateur("elu")
    atelier = AtelierFactory()
    reservee = creer_reunion(atelier, jours=8, visibilite=V.MEMBRES)
    client.force_login(elu)
    assert reservee.get_absolute_url() in client.get(atelier.get_absolute_url()).content.decode()
    assert reservee.evenement.uid not in flux_personnel(client, elu)
