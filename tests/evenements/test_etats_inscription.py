"""Each page shows only the registration actions that make sense for this person now, and cancelling
asks once (a page, without JavaScript)."""

from html import unescape

import pytest
from django.urls import reverse

from evenements import services
from evenements.models import Evenement, Inscription
from tests.conftest import creer_utilisateur

from .fabriques import CreneauFactory, EvenementFactory

pytestmark = pytest.mark.django_db

REJOINDRE = "Vous pouvez rejoindre la liste d'attente"


def page(client, chemin):
    return unescape(client.get(chemin).content.decode())


def evenement_complet():
    return EvenementFactory(inscription_sur_plateforme=True, capacite=1, inscription=Evenement.Inscription.OBLIGATOIRE)


def test_complet_la_liste_d_attente_n_est_proposee_qu_a_qui_n_est_pas_inscrit(client):
    evenement = evenement_complet()
    inscrite, promue, autre = (creer_utilisateur("acteur") for _ in range(3))
    premiere = services.inscrire(evenement, inscrite)
    assert services.inscrire(evenement, promue).statut == Inscription.Statut.ATTENTE
    # The first one leaves: the one waiting is promoted, the event is full again.
    client.force_login(inscrite)
    client.post(reverse("evenements:annuler_inscription", args=[premiere.pk]), {"confirmer": "1"})
    assert Inscription.objects.get(user=promue).statut == Inscription.Statut.CONFIRMEE

    client.force_login(promue)
    contenu = page(client, evenement.get_absolute_url())
    assert "Vous êtes inscrit·e : votre place est confirmée." in contenu
    assert "Complet." in contenu and REJOINDRE not in contenu and "Rejoindre la liste d'attente" not in contenu

    client.force_login(autre)
    contenu = page(client, evenement.get_absolute_url())
    assert "Complet." in contenu and REJOINDRE in contenu and "Rejoindre la liste d'attente" in contenu


def test_un_creneau_choisi_ne_propose_plus_les_autres_ateliers(client, acteur):
    creneau = CreneauFactory(libelle="Ateliers du matin")
    a1, a2 = (EvenementFactory(titre=titre, creneau=creneau, programme=creneau.programme,
                               inscription_sur_plateforme=True, capacite=60)
              for titre in ("Atelier déchets", "Atelier mobilité"))
    client.force_login(acteur)
    programme = reverse("evenements:programme", args=[creneau.programme.slug])
    assert page(client, programme).count("Choisir cet atelier") == 2
    client.post(reverse("evenements:inscrire", args=[a1.slug]))
    contenu = page(client, programme)
    assert "Choisir cet atelier" not in contenu
    assert "Votre atelier" in contenu
    assert "Vous avez choisi un autre atelier sur ce créneau" in contenu
    assert reverse("evenements:inscrire", args=[a2.slug]) not in contenu


def test_annuler_demande_une_confirmation_une_fois(client, acteur):
    evenement = EvenementFactory(titre="Forum de l'emploi solidaire", inscription_sur_plateforme=True, capacite=10)
    inscription = services.inscrire(evenement, acteur)
    url = reverse("evenements:annuler_inscription", args=[inscription.pk])
    client.force_login(acteur)

    # The event's page and « Mon espace » link to the question, they do not cancel.
    assert f'href="{url}?next=' in page(client, evenement.get_absolute_url())
    assert f'href="{url}"' in page(client, reverse("comptes:mon_espace"))

    question = page(client, f"{url}?next={evenement.get_absolute_url()}")
    # French typography of titles: a narrow no-break space before « ? ».
    assert "Annuler votre inscription\u202f?" in question and "Forum de l'emploi solidaire" in question
    assert "Oui, annuler mon inscription" in question and "Non, garder mon inscription" in question
    assert f'name="next" value="{evenement.get_absolute_url()}"' in question

    # A POST without the confirmation (an old form) asks as well, and cancels nothing.
    reponse = client.post(url)
    assert reponse.status_code == 200 and "Annuler votre inscription\u202f?" in unescape(reponse.content.decode())
    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.CONFIRMEE

    reponse = client.post(url, {"confirmer": "1", "next": evenement.get_absolute_url()})
    assert reponse.status_code == 302 and reponse["Location"] == evenement.get_absolute_url()
    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.ANNULEE
    assert "Cette inscription est déjà annulée." in page(client, url)


def test_le_lien_de_retour_reste_sur_le_site(client, acteur):
    evenement = EvenementFactory(inscription_sur_plateforme=True, capacite=10)
    inscription = services.inscrire(evenement, acteur)
    client.force_login(acteur)
    url = reverse("evenements:annuler_inscription", args=[inscription.pk])
    assert "https://mal.example" not in page(client, f"{url}?next=https://mal.example/")
    reponse = client.post(url, {"confirmer": "1", "next": "https://mal.example/"})
    assert reponse["Location"] == reverse("comptes:mon_espace") + "#mes-inscriptions"
