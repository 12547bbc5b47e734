"""Who may do what in an atelier: the rules as a matrix of people × permissions.

People: anonymous, an acteur, a member of the atelier, its animateur·rice, the animateur·rice of another
atelier, an agent, an élu·e. Each permission is checked for each person, on the atelier (open or archived
cycle), its minutes (draft, published, published internal) and a meeting reserved to members — the last
one through the rule (``evenements.voir``), the agenda's list (``evenements_visibles``) and the personal
feed (``q_agenda_personnel``).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from ateliers.models import CompteRendu, Cycle, Participation
from evenements.extensions import q_agenda_personnel
from evenements.filters import evenements_visibles
from evenements.models import Evenement
from tests.conftest import creer_utilisateur

from .fabriques import AtelierFactory, ParticipationFactory, creer_reunion_directe, publier_compte_rendu

pytestmark = pytest.mark.django_db

PERSONNES = ["anonyme", "acteur", "membre", "animateur", "animateur_autre", "agent", "elu"]
OUI, NON = True, False


def matrice(*valeurs):
    """Return {person: expected} in the order of PERSONNES."""
    assert len(valeurs) == len(PERSONNES)
    return dict(zip(PERSONNES, valeurs, strict=True))


#                           anonyme   acteur    membre    animateur autre     agent     élu
GERER = matrice(            NON,      NON,      NON,      OUI,      NON,      OUI,      NON)
GERER_ARCHIVE = matrice(    NON,      NON,      NON,      NON,      NON,      OUI,      NON)
REJOINDRE = matrice(        NON,      OUI,      OUI,      OUI,      OUI,      OUI,      OUI)
VOIR_MEMBRES = matrice(     NON,      NON,      OUI,      OUI,      NON,      OUI,      OUI)
CR_BROUILLON = matrice(     NON,      NON,      NON,      OUI,      NON,      OUI,      NON)
CR_PUBLIE = matrice(        OUI,      OUI,      OUI,      OUI,      OUI,      OUI,      OUI)
CR_INTERNE = matrice(       NON,      NON,      OUI,      OUI,      NON,      OUI,      OUI)
REUNION_RESERVEE = matrice( NON,      NON,      OUI,      OUI,      NON,      OUI,      OUI)
# The personal feed holds the meetings of the ateliers one belongs to (staff follow them elsewhere).
AGENDA_PERSONNEL = matrice( NON,      NON,      OUI,      OUI,      NON,      NON,      NON)


class Monde:
    """One atelier with its member and animateur·rice, another atelier with its own, and the staff."""

    def __init__(self):
        self.atelier = AtelierFactory(titre="Foncier")
        self.autre_atelier = AtelierFactory(titre="Achats")
        self.personnes = {nom: creer_utilisateur(role) for nom, role in (
            ("anonyme", "anonyme"), ("acteur", "acteur"), ("membre", "acteur"), ("animateur", "acteur"),
            ("animateur_autre", "acteur"), ("agent", "agent"), ("elu", "elu"))}
        self.personnes["anonyme"] = AnonymousUser()
        ParticipationFactory(atelier=self.atelier, user=self.personnes["membre"])
        self.atelier.animateurs.add(self.personnes["animateur"])
        self.autre_atelier.animateurs.add(self.personnes["animateur_autre"])

    def user(self, nom):
        """Return a fresh copy of the person (the predicates cache group names on the instance)."""
        personne = self.personnes[nom]
        if not personne.is_authenticated:
            return personne
        return type(personne).objects.get(pk=personne.pk)


@pytest.fixture
def monde():
    return Monde()


def verifier(monde, permission, objet, attendu):
    obtenu = {nom: monde.user(nom).has_perm(permission, objet) for nom in PERSONNES}
    assert obtenu == attendu, permission


# --- The atelier ----------------------------------------------------------------------------------


def test_gerer_l_atelier(monde):
    verifier(monde, "ateliers.gerer", monde.atelier, GERER)
    # The same right covers its meetings and minutes (schedule, attendance, minutes, publication).
    reunion = creer_reunion_directe(monde.atelier, jours=-3)
    verifier(monde, "ateliers.gerer", reunion, GERER)
    verifier(monde, "ateliers.gerer", publier_compte_rendu(reunion), GERER)


def test_gerer_un_atelier_d_un_cycle_archive(monde):
    Cycle.objects.filter(pk=monde.atelier.cycle_id).update(statut=Cycle.Statut.ARCHIVE)
    monde.atelier.refresh_from_db()
    monde.atelier.cycle.refresh_from_db()
    verifier(monde, "ateliers.gerer", monde.atelier, GERER_ARCHIVE)


def test_rejoindre(monde):
    verifier(monde, "ateliers.rejoindre", monde.atelier, REJOINDRE)


def test_personne_ne_rejoint_un_atelier_d_un_cycle_archive(monde):
    Cycle.objects.filter(pk=monde.atelier.cycle_id).update(statut=Cycle.Statut.ARCHIVE)
    monde.atelier.cycle.refresh_from_db()
    verifier(monde, "ateliers.rejoindre", monde.atelier, dict.fromkeys(PERSONNES, NON))


def test_voir_les_membres(monde):
    verifier(monde, "ateliers.voir_membres", monde.atelier, VOIR_MEMBRES)


@pytest.mark.parametrize("statut", [Participation.Statut.DEMANDEE, Participation.Statut.REFUSEE,
                                    Participation.Statut.PARTIE])
def test_une_demande_ou_un_depart_ne_fait_pas_un_membre(monde, statut):
    Participation.objects.filter(user=monde.personnes["membre"]).update(statut=statut)
    assert not monde.user("membre").has_perm("ateliers.voir_membres", monde.atelier)


# --- Minutes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("etat, attendu", [
    ("brouillon", CR_BROUILLON), ("publie", CR_PUBLIE), ("interne", CR_INTERNE),
], ids=["brouillon", "publie", "publie-interne"])
def test_voir_le_compte_rendu(monde, etat, attendu):
    reunion = creer_reunion_directe(monde.atelier, jours=-3)
    compte_rendu = publier_compte_rendu(reunion, interne=etat == "interne")
    if etat == "brouillon":
        compte_rendu.statut = CompteRendu.Statut.BROUILLON
        compte_rendu.save()
    verifier(monde, "ateliers.voir_compte_rendu", compte_rendu, attendu)


def test_le_compte_rendu_public_d_une_reunion_reservee_est_public(monde):
    reunion = creer_reunion_directe(monde.atelier, jours=-3, visibilite=Evenement.Visibilite.MEMBRES)
    verifier(monde, "ateliers.voir_compte_rendu", publier_compte_rendu(reunion), CR_PUBLIE)


# --- A meeting reserved to members ----------------------------------------------------------------


@pytest.fixture
def reservee(monde):
    return creer_reunion_directe(monde.atelier, jours=5, visibilite=Evenement.Visibilite.MEMBRES).evenement


@pytest.fixture
def publique(monde):
    return creer_reunion_directe(monde.atelier, jours=6).evenement


def test_voir_une_reunion_reservee_regle(monde, reservee, publique):
    verifier(monde, "evenements.voir", reservee, REUNION_RESERVEE)
    verifier(monde, "evenements.voir", publique, dict.fromkeys(PERSONNES, OUI))


def test_voir_une_reunion_reservee_dans_l_agenda(monde, reservee, publique):
    obtenu = {nom: evenements_visibles(monde.user(nom)).filter(pk=reservee.pk).exists() for nom in PERSONNES}
    assert obtenu == REUNION_RESERVEE
    assert all(evenements_visibles(monde.user(nom)).filter(pk=publique.pk).exists() for nom in PERSONNES)


def test_une_reunion_reservee_d_un_autre_atelier_reste_cachee(monde):
    autre = creer_reunion_directe(monde.autre_atelier, jours=5, visibilite=Evenement.Visibilite.MEMBRES).evenement
    attendu = matrice(NON, NON, NON, NON, OUI, OUI, OUI)
    assert {nom: monde.user(nom).has_perm("evenements.voir", autre) for nom in PERSONNES} == attendu
    assert {nom: evenements_visibles(monde.user(nom)).filter(pk=autre.pk).exists() for nom in PERSONNES} == attendu


def test_l_agenda_personnel_suit_les_ateliers(monde, reservee, publique):
    for evenement in (reservee, publique):
        obtenu = {}
        for nom in PERSONNES:
            suivis, _date = q_agenda_personnel(monde.user(nom))
            obtenu[nom] = Evenement.objects.filter(suivis).filter(pk=evenement.pk).exists()
        assert obtenu == AGENDA_PERSONNEL, evenement


def test_quitter_l_atelier_retire_la_reunion_reservee(monde, reservee):
    from ateliers import services

    membre = monde.user("membre")
    services.quitter(monde.atelier, membre)
    membre = monde.user("membre")
    assert not membre.has_perm("evenements.voir", reservee)
    assert not evenements_visibles(membre).filter(pk=reservee.pk).exists()
    suivis, date = q_agenda_personnel(membre)
    assert not Evenement.objects.filter(suivis).exists()
    assert date is not None  # the feed's Last-Modified moves when one leaves


def test_une_reunion_reservee_non_publiee_n_est_vue_que_par_l_equipe(monde, reservee):
    Evenement.objects.filter(pk=reservee.pk).update(publication=Evenement.Publication.A_MODERER)
    reservee.refresh_from_db()
    attendu = matrice(NON, NON, NON, NON, NON, OUI, NON)  # agents moderate; the others see published events only
    assert {nom: monde.user(nom).has_perm("evenements.voir", reservee) for nom in PERSONNES} == attendu
    assert not any(evenements_visibles(monde.user(nom)).filter(pk=reservee.pk).exists() for nom in PERSONNES)
