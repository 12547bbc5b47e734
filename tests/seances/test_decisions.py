"""Closing a scrutin applies its result: the proposal moves through the workflow, the theme is retained."""

import pytest

from ateliers.models import ThematiqueAnnuelle
from conseil_ess.comptes.models import Notification
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.propositions import workflow
from conseil_ess.propositions.models import Abonnement, Etat, Transition
from conseil_ess.seances import services
from conseil_ess.seances.models import Scrutin
from tests.ateliers.fabriques import ThematiqueFactory
from tests.factories import UserFactory

from .fabriques import presents, proposition_soumise, seance_avec_scrutin

pytestmark = pytest.mark.django_db


def vote_sur(proposition, choix, **regles):
    seance, scrutin, agent = seance_avec_scrutin(objet=Scrutin.Objet.PROPOSITION, proposition=proposition, **regles)
    for membre, c in zip(presents(seance, len(choix), agent), choix, strict=True):
        services.voter(scrutin, membre, c)
    return seance, scrutin, agent


def test_adoption_en_pleniere_passe_par_le_workflow_avec_le_lien_du_scrutin_et_previent_les_abonnes():
    proposition = proposition_soumise()
    abonne = UserFactory()
    Abonnement.objects.create(proposition=proposition, user=abonne)
    seance, scrutin, agent = vote_sur(proposition, ["pour", "pour", "contre"])
    Notification.objects.all().delete()

    services.clore_scrutin(scrutin, agent)

    proposition.refresh_from_db()
    assert proposition.etat == Etat.ADOPTEE and proposition.adoptee_le
    transition = proposition.transitions.get(vers=Etat.ADOPTEE)
    date = services.date_seance(seance)
    assert transition.lien_libelle == f"Scrutin n° 1 de la séance du {date}"
    assert transition.lien == scrutin and transition.lien_url == ""
    assert transition.adresse_lien == f"/seances/{seance.slug}/#scrutin-{scrutin.pk}"
    assert transition.par == agent and transition.instance == Transition.Instance.SEANCE
    assert transition.commentaire == "Adoptée par le Conseil : 2 pour, 1 contre, 0 abstention."
    assert transition.pleniere == proposition.pleniere
    notifies = set(Notification.objects.filter(categorie="propositions").values_list("destinataire_id", flat=True))
    assert notifies == {abonne.pk, proposition.auteur_id}


def test_rejet_en_pleniere_non_retenue_avec_motif_public():
    proposition = proposition_soumise()
    _seance, scrutin, agent = vote_sur(proposition, ["contre", "contre", "pour"])
    services.clore_scrutin(scrutin, agent)
    proposition.refresh_from_db()
    assert proposition.etat == Etat.NON_RETENUE
    assert proposition.motif == "Non retenue par le Conseil : 1 pour, 2 contre, 0 abstention."
    assert proposition.transitions.get(vers=Etat.NON_RETENUE).adresse_lien.endswith(f"#scrutin-{scrutin.pk}")


def test_rejet_avec_le_motif_du_secretariat():
    proposition = proposition_soumise()
    _seance, scrutin, agent = vote_sur(proposition, ["contre"])
    services.clore_scrutin(scrutin, agent, motif="Hors des compétences de la métropole.")
    proposition.refresh_from_db()
    assert (proposition.etat, proposition.motif) == (Etat.NON_RETENUE, "Hors des compétences de la métropole.")


def test_renvoi_en_atelier():
    proposition = proposition_soumise()
    atelier = proposition.atelier
    _seance, scrutin, agent = vote_sur(proposition, ["pour", "contre"])
    services.clore_scrutin(scrutin, agent, renvoi=True)
    scrutin.refresh_from_db()
    proposition.refresh_from_db()
    assert scrutin.resultat == Scrutin.Resultat.RENVOYE
    assert (proposition.etat, proposition.atelier) == (Etat.EN_ATELIER, atelier)
    transition = proposition.transitions.filter(vers=Etat.EN_ATELIER).latest("le")
    assert transition.de == Etat.SOUMISE_PLENIERE and transition.lien_libelle.startswith("Scrutin n° 1")


def test_quorum_non_atteint_la_proposition_reste_inscrite():
    proposition = proposition_soumise()
    _seance, scrutin, agent = vote_sur(proposition, ["pour"], quorum=5)
    services.clore_scrutin(scrutin, agent)
    proposition.refresh_from_db()
    assert proposition.etat == Etat.SOUMISE_PLENIERE
    assert not proposition.transitions.filter(vers__in=[Etat.ADOPTEE, Etat.NON_RETENUE]).exists()


def test_une_proposition_retiree_pendant_le_vote_garde_son_etat():
    proposition = proposition_soumise()
    _seance, scrutin, agent = vote_sur(proposition, ["pour"])
    workflow.changer_etat(proposition, Etat.RETIREE, proposition.auteur, motif="Retirée par l'autrice.")
    services.clore_scrutin(scrutin, agent)
    scrutin.refresh_from_db()
    proposition.refresh_from_db()
    assert scrutin.resultat == Scrutin.Resultat.ADOPTE and proposition.etat == Etat.RETIREE


def test_ouvrir_le_vote_d_une_proposition_retiree_est_refuse():
    proposition = proposition_soumise()
    seance, scrutin, agent = seance_avec_scrutin(objet="proposition", proposition=proposition, ouvrir=False)
    workflow.changer_etat(proposition, Etat.RETIREE, proposition.auteur, motif="Retirée.")
    with pytest.raises(ActionImpossible, match="n'est plus inscrite en séance plénière"):
        services.ouvrir_scrutin(scrutin, agent)


def test_seule_une_proposition_peut_etre_renvoyee():
    seance, scrutin, agent = seance_avec_scrutin()
    with pytest.raises(ActionImpossible, match="Seule une proposition peut être renvoyée"):
        services.clore_scrutin(scrutin, agent, renvoi=True)
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.OUVERT  # nothing was stored


def test_une_thematique_annuelle_adoptee_devient_retenue():
    thematique = ThematiqueFactory(statut=ThematiqueAnnuelle.Statut.PROPOSEE, titre="Alimentation durable")
    seance, scrutin, agent = seance_avec_scrutin(objet=Scrutin.Objet.THEMATIQUE, thematique=thematique)
    assert scrutin.question == "Retenir la thématique annuelle « Alimentation durable »"
    for membre in presents(seance, 3, agent):
        services.voter(scrutin, membre, "pour")
    services.clore_scrutin(scrutin, agent)
    thematique.refresh_from_db()
    assert thematique.statut == ThematiqueAnnuelle.Statut.RETENUE
    assert thematique.vote_libelle == seance.evenement.titre
    assert thematique.vote_date == seance.date
    assert thematique.vote_commentaire == "Retenue (3 pour, 0 contre, 0 abstention)"


def test_une_thematique_rejetee_n_est_pas_retenue_et_une_thematique_retenue_ne_se_revote_pas():
    thematique = ThematiqueFactory(statut=ThematiqueAnnuelle.Statut.PROPOSEE)
    seance, scrutin, agent = seance_avec_scrutin(objet="thematique", thematique=thematique)
    services.voter(scrutin, presents(seance, 1, agent)[0], "contre")
    services.clore_scrutin(scrutin, agent)
    thematique.refresh_from_db()
    assert thematique.statut == ThematiqueAnnuelle.Statut.NON_RETENUE
    with pytest.raises(ActionImpossible, match="déjà retenue"):
        services.ajouter_point(seance, agent, "Encore", scrutin={"objet": "thematique",
                                                                 "thematique": ThematiqueFactory()})


def test_le_lien_du_parcours_suit_la_seance_renommee(client):
    """The timeline keeps the scrutin itself: its page is built when the timeline is shown."""
    from evenements.models import Evenement

    proposition = proposition_soumise()
    seance, scrutin, agent = vote_sur(proposition, ["pour"])
    services.clore_scrutin(scrutin, agent)
    ancien = seance.slug
    Evenement.objects.filter(pk=seance.evenement_id).update(slug="pleniere-renommee")

    page = client.get(proposition.get_absolute_url()).content.decode()
    assert f'href="/seances/pleniere-renommee/#scrutin-{scrutin.pk}"' in page
    assert f"/seances/{ancien}/" not in page
    [ligne] = [ligne for ligne in client.get("/donnees/propositions.json").json() if ligne["reference"] ==
               proposition.reference]
    [lien] = [t["lien"] for t in ligne["parcours"] if t["vers"] == Etat.ADOPTEE]
    assert lien["url"].endswith(f"/seances/pleniere-renommee/#scrutin-{scrutin.pk}")


def test_les_anciennes_lignes_du_journal_sont_reliees_a_leur_scrutin():
    """The data migration links the rows that stored the scrutin's page as text; unknown ones keep their text."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("conseil_ess.seances.migrations.0004_liens_des_parcours")
    proposition = proposition_soumise()
    seance, scrutin, agent = vote_sur(proposition, ["pour"])
    services.clore_scrutin(scrutin, agent)
    ancienne = proposition.transitions.get(vers=Etat.ADOPTEE)
    Transition.objects.filter(pk=ancienne.pk).update(lien_type=None, lien_id=None,
                                                     lien_url=f"/seances/ancien-slug/#scrutin-{scrutin.pk}")
    perdue = Transition.objects.create(proposition=proposition, vers=Etat.ADOPTEE, instance="seance",
                                       lien_libelle="Scrutin disparu", lien_url="/seances/x/#scrutin-999999")

    migration.lier_les_scrutins(apps, None)

    ancienne.refresh_from_db()
    assert ancienne.lien == scrutin and ancienne.adresse_lien == f"/seances/{seance.slug}/#scrutin-{scrutin.pk}"
    perdue.refresh_from_db()
    assert perdue.lien is None and perdue.adresse_lien == "/seances/x/#scrutin-999999"
