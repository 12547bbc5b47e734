"""Line breaks and control characters (issue 19): single-line fields cleaned at the model level, and every
export (iCal, e-mails) robust to any text."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from conseil_ess.champs import sans_controles, une_ligne
from evenements.ical import construire_calendrier, ics_evenement
from evenements.models import Evenement
from tests.evenements.fabriques import EvenementFactory
from tests.evenements.test_formulaires_proposer import donnees

pytestmark = pytest.mark.django_db

HOSTILES = ["Titre\navec saut", "Titre\r seul", "Nul\x00 ici", "Tab\tulation", "DEL\x7f", "C1\x85suite",
            "Non-caractère \uffff \ufffe \ufdd0", "Ligne\u2028séparée", "Plan 1 \U0001fffe", "Échappement \x1b[31m"]


@pytest.mark.parametrize("hostile", HOSTILES)
def test_une_ligne(hostile):
    propre = une_ligne(hostile)
    assert propre.isprintable() or all(c == " " or c.isprintable() for c in propre)
    assert not any(c in propre for c in "\n\r\t\x00\x7f\x85\uffff\ufffe\ufdd0\u2028\x1b\U0001fffe")


def test_une_ligne_garde_le_texte_ordinaire():
    texte = "Café-débat « l'ESS » – 20 € · 漢字 🙂"
    assert une_ligne(texte) is texte
    assert une_ligne("a\r\nb") == "a b" and une_ligne(None) is None and une_ligne(3) == 3


def test_sans_controles_garde_les_lignes():
    assert sans_controles("un\r\ndeux\rtrois\x00\uffff\nquatre") == "un\ndeux\ntrois\nquatre"


def test_le_modele_nettoie_chaque_affectation_et_la_mise_a_jour():
    evenement = EvenementFactory(titre="Forum\nde l'ESS\r", precision_lieu="Salle\x00 2")
    evenement.refresh_from_db()
    assert evenement.titre == "Forum de l'ESS" and evenement.precision_lieu == "Salle 2"
    Evenement.objects.filter(pk=evenement.pk).update(titre="Mis\r\nà jour\x0b")
    evenement.refresh_from_db()
    assert evenement.titre == "Mis à jour"


@pytest.mark.dates
def test_un_post_forge_ne_met_pas_de_saut_de_ligne_dans_un_titre(client):
    """The event proposal form with a newline in the title (a forged POST: the input is one line)."""
    from tests.conftest import creer_utilisateur
    from tests.factories import AdhesionFactory, StructureFactory

    user = creer_utilisateur("acteur")
    AdhesionFactory(user=user, structure=StructureFactory(nom="Ressourcerie de la Lère", slug="ressourcerie-lere"))
    AdhesionFactory(user=user, structure=StructureFactory(nom="Vélo-Cité Atelier", slug="velo-cite"))
    client.force_login(user)
    reponse = client.post(reverse("evenements:proposer"),
                          donnees(titre="Visite\r\nBEGIN:VEVENT\rde la Ressourcerie", precision_lieu="Cour\nB"))
    assert reponse.status_code == 302
    evenement = Evenement.objects.get()
    assert evenement.titre == "Visite BEGIN:VEVENT de la Ressourcerie"
    assert evenement.precision_lieu == "Cour B"


@pytest.mark.dates
def test_le_titre_d_une_seance_est_sur_une_ligne():
    from tests.seances.fabriques import nouvelle_seance

    seance = nouvelle_seance(titre="Séance\nplénière\x00")
    seance.evenement.refresh_from_db()
    assert seance.evenement.titre == "Séance plénière"


def test_l_ics_resiste_a_tout_texte():
    """Whatever reached an event (a value written before this guard, a raw SQL import), its .ics is built and
    parses again, on valid lines only."""
    evenement = EvenementFactory()
    for hostile in HOSTILES:
        evenement.__dict__["titre"] = f"{hostile}\r\n{hostile}"  # past the model's guard
        evenement.__dict__["precision_lieu"] = hostile
        octets = ics_evenement(evenement, "https://ess.example.org")
        assert b"\r\n" in octets and b"\r" not in octets.replace(b"\r\n", b"")
        assert b"\n" not in octets.replace(b"\r\n", b"")
        relu = Calendar.from_ical(octets)
        assert "\n" not in str(relu.walk("VEVENT")[0]["SUMMARY"])
    calendrier = construire_calendrier([], nom="Agenda\rpirate\x00", base_url="https://ess.example.org",
                                       description="Une\rdescription")
    octets = calendrier.to_ical()
    assert b"\r" not in octets.replace(b"\r\n", b"")
    assert Calendar.from_ical(octets)["NAME"] == "Agenda pirate"


def test_le_courriel_part_malgre_un_saut_de_ligne_dans_le_sujet(django_capture_on_commit_callbacks):
    from conseil_ess.comptes.notifications import notifier
    from tests.factories import UserFactory

    personne = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifier(personne, "Inscription confirmée :\nForum\r de l'ESS", courriel=True, urgent=True)
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject and "Forum" in mail.outbox[0].subject
