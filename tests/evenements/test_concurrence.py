"""Never more confirmed places than capacity, under real simultaneous requests (PostgreSQL only).

Each request is a thread with its own database connection, released together by a barrier, as
requests of several web workers would be. ``services.inscrire`` locks the event row
(``select_for_update``) and the ``evenement_places_confirmees_max_capacite`` check constraint backs
the lock. The negative control runs the same race with the lock removed and shows it exists.
SQLite serialises every writer, so it could prove nothing: these tests run in CI's second pass.
"""

import time

import pytest
from django.core import mail
from django.db import IntegrityError, connection

from evenements import services
from evenements.models import Evenement, Inscription
from tests.concurrence import en_meme_temps
from tests.factories import UserFactory

from .fabriques import CreneauFactory, EvenementFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="Concurrence : PostgreSQL requis (DATABASE_URL=postgres://…) ; 2e passe de CI"),
    pytest.mark.django_db(transaction=True),
]
PLACES = 10
DEMANDES = 50
CONTRAINTE = "evenement_places_confirmees_max_capacite"
I = Inscription.Statut  # noqa: E741


def evenement_a_places(capacite=PLACES, **champs):
    return EvenementFactory(inscription_sur_plateforme=True, capacite=capacite, **champs)


def test_cinquante_demandes_simultanees_pour_dix_places():
    for tour in range(3):  # every run, not once by luck
        mail.outbox.clear()
        evenement = evenement_a_places()
        personnes = [UserFactory() for _ in range(DEMANDES)]

        resultats, erreurs = en_meme_temps([(services.inscrire, evenement, p) for p in personnes])

        assert erreurs == [None] * DEMANDES, f"tour {tour}"
        statuts = [r.statut for r in resultats]
        assert (statuts.count(I.CONFIRMEE), statuts.count(I.ATTENTE)) == (PLACES, DEMANDES - PLACES), f"tour {tour}"
        evenement.refresh_from_db()
        assert evenement.nb_confirmes == PLACES, f"tour {tour}"
        assert evenement.inscriptions.filter(statut=I.CONFIRMEE).count() == PLACES
        assert evenement.inscriptions.filter(statut=I.ATTENTE).count() == DEMANDES - PLACES
        # Each request also sent its e-mail after its own commit.
        sujets = [m.subject.split(" : ")[0] for m in mail.outbox]
        assert (sujets.count("Inscription confirmée"), sujets.count("Liste d'attente")) == (PLACES, DEMANDES - PLACES)


def test_les_desistements_simultanes_promeuvent_sans_depasser():
    evenement = evenement_a_places()
    personnes = [UserFactory() for _ in range(DEMANDES)]
    inscriptions = [services.inscrire(evenement, p) for p in personnes]
    confirmees = [i for i in inscriptions if i.statut == I.CONFIRMEE]
    attente = [i for i in inscriptions if i.statut == I.ATTENTE]

    # The ten confirmed leave at the same moment as twenty newcomers ask for a place.
    nouveaux = [UserFactory() for _ in range(20)]
    appels = [(services.annuler_inscription, i, i.user) for i in confirmees]
    appels += [(services.inscrire, evenement, p) for p in nouveaux]
    _resultats, erreurs = en_meme_temps(appels)

    assert erreurs == [None] * len(appels)
    evenement.refresh_from_db()
    confirmes = list(evenement.inscriptions.filter(statut=I.CONFIRMEE).values_list("pk", flat=True))
    assert evenement.nb_confirmes == len(confirmes) == PLACES
    # The first ten of the waiting list got the places, in their order; newcomers wait behind them.
    assert sorted(confirmes) == sorted(i.pk for i in attente[:PLACES])


def test_sans_le_verrou_la_course_existe(monkeypatch):
    """Negative control: without ``select_for_update`` the check-then-act race overbooks.

    The unlocked variant reads the event like a plain page would and pauses a moment (a slower
    server), so that the fifty requests all read the counter before any of them writes it. More than
    ten then decide "confirmed"; only the check constraint stops the extra ones, with integrity
    errors instead of a place on the waiting list.
    """

    def sans_verrou(evenement):
        lu = Evenement.objects.get(pk=evenement.pk)
        time.sleep(0.2)
        return lu

    monkeypatch.setattr(services, "_verrouiller", sans_verrou)
    evenement = evenement_a_places()
    personnes = [UserFactory() for _ in range(DEMANDES)]

    resultats, erreurs = en_meme_temps([(services.inscrire, evenement, p) for p in personnes])

    refus = [e for e in erreurs if e is not None]
    causes = [e.__cause__ for e in refus]
    assert refus, "la course aurait dû se produire sans le verrou"
    assert all(isinstance(c, IntegrityError) and CONTRAINTE in str(c) for c in causes)
    confirmees_decidees = sum(1 for r in resultats if r and r.statut == I.CONFIRMEE) + len(refus)
    assert confirmees_decidees > PLACES
    # People who should have been on the waiting list were turned away instead.
    assert sum(1 for r in resultats if r and r.statut == I.ATTENTE) < DEMANDES - PLACES
    evenement.refresh_from_db()
    assert evenement.nb_confirmes <= PLACES


def test_la_meme_personne_vingt_fois_en_meme_temps():
    evenement = evenement_a_places()
    personne = UserFactory()

    resultats, erreurs = en_meme_temps([(services.inscrire, evenement, personne) for _ in range(20)])

    assert sum(1 for r in resultats if r is not None) == 1
    assert all(isinstance(e, services.ActionImpossible) for e in erreurs if e is not None)
    assert Inscription.objects.filter(user=personne).exclude(statut=I.ANNULEE).count() == 1
    evenement.refresh_from_db()
    assert evenement.nb_confirmes == 1


def test_une_personne_vers_deux_ateliers_du_meme_creneau():
    creneau = CreneauFactory()
    ateliers = [evenement_a_places(capacite=60, type="atelier_assises", creneau=creneau, debut=creneau.debut,
                                   fin=creneau.fin) for _ in range(2)]
    personne = UserFactory()

    # Ten tries, alternating between the two workshops: only the slot's unique constraint can decide.
    resultats, erreurs = en_meme_temps([(services.inscrire, ateliers[i % 2], personne) for i in range(10)])

    assert sum(1 for r in resultats if r is not None) == 1
    messages = {str(e) for e in erreurs if e is not None}
    assert messages <= {
        "Vous êtes déjà inscrit·e à cet événement.",
        "Vous êtes déjà inscrit·e à cet événement ou à un atelier du même créneau.",
    } | {f"Vous êtes déjà inscrit·e à « {a.titre} » sur ce créneau : un seul atelier par créneau. "
         "Annulez d'abord cette inscription pour en choisir un autre." for a in ateliers}
    assert Inscription.objects.filter(user=personne, creneau=creneau).exclude(statut=I.ANNULEE).count() == 1
    assert sum(Evenement.objects.filter(pk__in=[a.pk for a in ateliers]).values_list("nb_confirmes", flat=True)) == 1
