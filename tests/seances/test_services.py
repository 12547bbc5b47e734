"""Séance, agenda, publication and attendance through ``conseil_ess.seances.services``."""

import pytest
from django.db import IntegrityError

from conseil_ess.comptes.models import MembreConseil, Notification
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions.models import Etat
from conseil_ess.seances import services
from conseil_ess.seances.models import Emargement, PointOrdreDuJour, Scrutin, Seance
from evenements.models import Evenement, TypeEvenement
from tests.comptes.fabriques import college

from .fabriques import (
    membre_en_exercice,
    nouvelle_seance,
    proposition_soumise,
    seance_avec_scrutin,
    un_agent,
    version,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_creer_une_seance_cree_son_evenement_dans_l_agenda():
    seance = nouvelle_seance(presidence="Le Président de l'Eurométropole")

    evenement = Evenement.objects.get(seance=seance)
    assert evenement.type == TypeEvenement.SEANCE_PLENIERE
    assert evenement.publication == Evenement.Publication.PUBLIE
    assert evenement.intervenants == "Le Président de l'Eurométropole"
    assert seance.statut == Seance.Statut.PREPARATION
    assert seance.get_absolute_url() == f"/seances/{evenement.slug}/"
    assert len(seance.jeton_emargement) >= 30
    assert nouvelle_seance().jeton_emargement != seance.jeton_emargement


def test_une_seance_exceptionnelle_exige_son_motif():
    with pytest.raises(ActionImpossible, match="motif de la séance exceptionnelle"):
        nouvelle_seance(nature=Seance.Nature.EXCEPTIONNELLE, motif_exceptionnelle="  ")
    seance = nouvelle_seance(nature=Seance.Nature.EXCEPTIONNELLE, motif_exceptionnelle="Fermeture d'un site.")
    assert seance.motif_exceptionnelle == "Fermeture d'un site."
    with pytest.raises(IntegrityError):  # the database backs it
        Seance.objects.filter(pk=seance.pk).update(motif_exceptionnelle="")


def test_seul_le_secretariat_cree_et_prepare_une_seance():
    membre = membre_en_exercice()
    with pytest.raises(ActionImpossible, match="secrétariat"):
        nouvelle_seance(agent=membre)
    seance = nouvelle_seance()
    with pytest.raises(ActionImpossible, match="secrétariat"):
        services.ajouter_point(seance, membre, "Un point")
    with pytest.raises(ActionImpossible, match="secrétariat"):
        services.publier_ordre_du_jour(seance, membre)


def test_ordre_du_jour_ordonne_description_nettoyee_et_scrutins_numerotes():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    v0 = version(seance)
    p1 = services.ajouter_point(seance, agent, "Accueil", '<p>Bienvenue<script>alert(1)</script></p>')
    p2 = services.ajouter_point(seance, agent, "Orientation 2027", scrutin={
        "objet": Scrutin.Objet.ORIENTATION, "texte": "<p onclick='x()'>Texte</p>"})
    proposition = proposition_soumise(seance)
    p3 = services.ajouter_point(seance, agent, "Proposition", scrutin={
        "objet": Scrutin.Objet.PROPOSITION, "proposition": proposition, "secret": True, "quorum": 10})

    assert list(seance.points.values_list("titre", "ordre", "type")) == [
        ("Accueil", 1, PointOrdreDuJour.Type.INFORMATION), ("Orientation 2027", 2, PointOrdreDuJour.Type.VOTE),
        ("Proposition", 3, PointOrdreDuJour.Type.VOTE)]
    assert "script" not in p1.description and "Bienvenue" in p1.description
    assert p2.scrutin.numero == 1 and p3.scrutin.numero == 2
    assert "onclick" not in p2.scrutin.texte
    assert p2.scrutin.question == "Orientation 2027"
    assert p3.scrutin.question == f"Adoption de la proposition {proposition.reference} : {proposition.titre}"
    assert (p3.scrutin.secret, p3.scrutin.quorum) == (True, 10)
    assert version(seance) == v0 + 3


def test_un_scrutin_sur_une_proposition_exige_qu_elle_soit_inscrite_en_pleniere():
    from conseil_ess.propositions.models import Etat
    from tests.propositions.fabriques import proposition_en

    agent = un_agent()
    seance = nouvelle_seance(agent)
    proposition = proposition_en(Etat.EN_INSTRUCTION)
    with pytest.raises(ActionImpossible, match="n'est pas inscrite en séance plénière"):
        services.ajouter_point(seance, agent, "P", scrutin={"objet": "proposition", "proposition": proposition})
    with pytest.raises(ActionImpossible, match="Choisissez la proposition"):
        services.ajouter_point(seance, agent, "P", scrutin={"objet": "proposition"})
    with pytest.raises(ActionImpossible, match="ne peut pas être changé"):
        services.ajouter_point(seance, agent, "Q", scrutin={"objet": "question", "secret": True,
                                                            "changement_de_vote_autorise": True})
    assert not PointOrdreDuJour.objects.filter(seance=seance).exists()  # refused items leave nothing behind


def test_une_proposition_ne_se_vote_que_dans_la_seance_de_sa_pleniere():
    agent = un_agent()
    prevue, autre = nouvelle_seance(agent, titre="Plénière de mars"), nouvelle_seance(agent, titre="Plénière de juin")
    proposition = proposition_soumise(prevue)
    with pytest.raises(ActionImpossible, match=r"inscrite à une autre séance plénière \(Plénière de mars"):
        services.ajouter_point(autre, agent, "P", scrutin={"objet": "proposition", "proposition": proposition})
    assert not Scrutin.objects.filter(seance=autre).exists()
    point = services.ajouter_point(prevue, agent, "P", scrutin={"objet": "proposition", "proposition": proposition})
    assert point.scrutin.proposition == proposition


def test_un_scrutin_prepare_ne_s_ouvre_plus_si_la_proposition_a_change_de_pleniere():
    from conseil_ess.propositions.models import Proposition

    proposition = proposition_soumise()
    seance, scrutin, agent = seance_avec_scrutin(objet="proposition", proposition=proposition, ouvrir=False)
    ailleurs = nouvelle_seance(agent, titre="Plénière d'automne")
    Proposition.objects.filter(pk=proposition.pk).update(pleniere=ailleurs.evenement)  # inscribed elsewhere since
    with pytest.raises(ActionImpossible, match="inscrite à une autre séance plénière"):
        services.ouvrir_scrutin(scrutin, agent)
    with pytest.raises(ActionImpossible, match="inscrite à une autre séance plénière"):
        services.saisir_resultat_manuel(scrutin, agent, pour=0, contre=0, abstention=0)
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.PREPARE


def test_publier_l_ordre_du_jour_previent_les_membres_en_exercice():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    with pytest.raises(ActionImpossible, match="au moins un point"):
        services.publier_ordre_du_jour(seance, agent)
    services.ajouter_point(seance, agent, "Accueil")
    membres = [membre_en_exercice(), membre_en_exercice()]
    suspendu = membre_en_exercice()
    MembreConseil.objects.filter(user=suspendu).update(statut=MembreConseil.Statut.SUSPENDU)
    v0 = version(seance)

    seance = services.publier_ordre_du_jour(seance, agent)

    assert seance.statut == Seance.Statut.ORDRE_DU_JOUR_PUBLIE and seance.ordre_du_jour_publie_le
    assert version(seance) == v0 + 1
    notifications = Notification.objects.filter(categorie="conseil")
    assert sorted(n.destinataire_id for n in notifications) == sorted(m.pk for m in membres)
    assert all(n.url == seance.get_absolute_url() and "Ordre du jour publié" in n.titre for n in notifications)
    with pytest.raises(ActionImpossible, match="déjà publié"):
        services.publier_ordre_du_jour(seance, agent)


def test_emargement_par_le_secretariat_ou_par_qr_code_idempotent():
    agent = un_agent()
    seance, _scrutin, _ = seance_avec_scrutin(agent, ouvrir=False)
    membre, autre = membre_en_exercice(), membre_en_exercice()
    v0 = version(seance)

    e1 = services.emarger(seance, membre, par=agent)
    assert services.emarger(seance, membre, par=agent).pk == e1.pk
    assert services.emarger(seance, membre, jeton=seance.jeton_emargement).pk == e1.pk
    e2 = services.emarger(seance, autre, jeton=seance.jeton_emargement)

    assert (e1.mode, e1.par, e2.mode, e2.par) == (Emargement.Mode.LISTE, agent, Emargement.Mode.QR, None)
    mandat = MembreConseil.objects.get(user=membre)
    assert (e1.structure, e1.college) == (mandat.structure, mandat.college)
    assert Emargement.objects.filter(seance=seance).count() == 2
    assert version(seance) == v0 + 2  # repeated check-ins change nothing


def test_emargement_refuse():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    membre = membre_en_exercice()
    with pytest.raises(ActionImpossible, match="ordre du jour de la séance n'est pas publié"):
        services.emarger(seance, membre, par=agent)
    services.ajouter_point(seance, agent, "Accueil")
    services.publier_ordre_du_jour(seance, agent)
    seance.refresh_from_db()
    with pytest.raises(ActionImpossible, match="QR code d'émargement n'est pas valable"):
        services.emarger(seance, membre, jeton="faux")
    with pytest.raises(ActionImpossible, match="QR code d'émargement n'est pas valable"):
        services.emarger(seance, membre, jeton=nouvelle_seance().jeton_emargement)
    with pytest.raises(ActionImpossible, match="membres du Conseil en exercice"):
        services.emarger(seance, un_agent(), jeton=seance.jeton_emargement)
    with pytest.raises(ActionImpossible, match="secrétariat"):
        services.emarger(seance, membre, par=membre_en_exercice())
    suspendu = membre_en_exercice()
    MembreConseil.objects.filter(user=suspendu).update(statut=MembreConseil.Statut.SUSPENDU)
    with pytest.raises(ActionImpossible, match="membres du Conseil en exercice"):
        services.emarger(seance, suspendu, par=agent)
    services.terminer_seance(seance, agent)
    seance.refresh_from_db()
    with pytest.raises(ActionImpossible, match="terminée"):
        services.emarger(seance, membre, par=agent)
    assert not Emargement.objects.exists()


def test_emargement_garde_le_college_du_jour():
    agent = un_agent()
    seance, _s, _a = seance_avec_scrutin(agent, ouvrir=False)
    membre = membre_en_exercice(college_=college("associations"))
    emargement = services.emarger(seance, membre, par=agent)
    MembreConseil.objects.filter(user=membre).update(college=college("cooperatives-mutuelles"))
    emargement.refresh_from_db()
    assert emargement.college.slug == "associations"


def test_ouvrir_un_scrutin_un_seul_a_la_fois():
    agent = un_agent()
    seance, scrutin, _ = seance_avec_scrutin(agent)
    second = services.ajouter_point(seance, agent, "Second vote", scrutin={"objet": "question"}).scrutin
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.EN_COURS and seance.point_courant_id == scrutin.point_id

    with pytest.raises(ActionImpossible, match="Le scrutin n° 1 est encore ouvert"):
        services.ouvrir_scrutin(second, agent)
    with pytest.raises(ActionImpossible, match="déjà ouvert"):
        services.ouvrir_scrutin(scrutin, agent)
    with pytest.raises(IntegrityError):  # the database backs it
        Scrutin.objects.filter(pk=second.pk).update(statut=Scrutin.Statut.OUVERT)


def test_ouvrir_et_clore_exigent_le_secretariat_et_le_bon_etat():
    agent = un_agent()
    seance, scrutin, _ = seance_avec_scrutin(agent, ouvrir=False)
    membre = membre_en_exercice()
    with pytest.raises(ActionImpossible, match="secrétariat"):
        services.ouvrir_scrutin(scrutin, membre)
    with pytest.raises(ActionImpossible, match="n'est pas ouvert"):
        services.clore_scrutin(scrutin, agent)
    services.ouvrir_scrutin(scrutin, agent)
    with pytest.raises(ActionImpossible, match="secrétariat"):
        services.clore_scrutin(scrutin, membre)
    services.clore_scrutin(scrutin, agent)
    with pytest.raises(ActionImpossible, match="clos : il ne peut pas être rouvert"):
        services.ouvrir_scrutin(scrutin, agent)
    services.terminer_seance(seance, agent)
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.TERMINEE and seance.point_courant is None


def test_ouvrir_un_scrutin_avant_publication_est_refuse():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    scrutin = services.ajouter_point(seance, agent, "Vote", scrutin={"objet": "question"}).scrutin
    with pytest.raises(ActionImpossible, match="une fois l'ordre du jour publié"):
        services.ouvrir_scrutin(scrutin, agent)


def test_chaque_changement_montre_en_direct_augmente_la_version():
    agent = un_agent()
    seance, scrutin, _ = seance_avec_scrutin(agent, ouvrir=False)
    membre = membre_en_exercice()
    etapes = [
        lambda: services.emarger(seance, membre, par=agent),
        lambda: services.passer_au_point(seance, seance.points.first(), agent),
        lambda: services.ouvrir_scrutin(scrutin, agent),
        lambda: services.voter(scrutin, membre, "pour"),
        lambda: services.clore_scrutin(scrutin, agent),
        lambda: services.terminer_seance(seance, agent),
    ]
    for etape in etapes:
        avant = version(seance)
        etape()
        assert version(seance) == avant + 1


@pytest.mark.dates
def test_terminer_clot_le_scrutin_ouvert_et_retire_les_scrutins_prepares():
    agent = un_agent()
    seance, ouvert, _ = seance_avec_scrutin(agent)  # scrutin n° 1, open
    proposition = proposition_soumise(seance)
    prepare = services.ajouter_point(seance, agent, "Proposition", scrutin={
        "objet": Scrutin.Objet.PROPOSITION, "proposition": proposition}).scrutin
    membre = membre_en_exercice()
    services.emarger(seance, membre, par=agent)
    services.voter(ouvert, membre, "pour")

    clos, retires = services.terminer_seance(seance, agent)

    assert [s.numero for s in clos] == [1] and [s.numero for s in retires] == [prepare.numero]
    ouvert.refresh_from_db()
    prepare.refresh_from_db()
    seance.refresh_from_db()
    assert (ouvert.statut, ouvert.resultat, ouvert.pour) == (Scrutin.Statut.CLOS, Scrutin.Resultat.ADOPTE, 1)
    assert (prepare.statut, prepare.resultat) == (Scrutin.Statut.RETIRE, "")
    assert seance.statut == Seance.Statut.TERMINEE
    proposition.refresh_from_db()
    assert proposition.etat == Etat.SOUMISE_PLENIERE  # still awaiting a plenary vote
    with pytest.raises(ActionImpossible, match="retiré"):
        services.ouvrir_scrutin(prepare, agent)
    with pytest.raises(ActionImpossible, match="retiré"):
        services.saisir_resultat_manuel(prepare, agent, pour=1, contre=0, abstention=0)
    from wagtail.models import ModelLogEntry
    assert ModelLogEntry.objects.filter(action="conseil.scrutin.retire", object_id=str(prepare.pk)).count() == 1
    assert ModelLogEntry.objects.get(action="conseil.seance.terminee", object_id=str(seance.pk)).data == {
        "statut": "terminee", "scrutins_clos": [1], "scrutins_retires": [prepare.numero]}


def test_terminer_refuse_un_scrutin_ouvert_a_main_levee():
    agent = un_agent()
    seance, scrutin, _ = seance_avec_scrutin(agent, saisie_manuelle=True)
    with pytest.raises(ActionImpossible, match="main levée : saisissez son résultat"):
        services.terminer_seance(seance, agent)
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.OUVERT
