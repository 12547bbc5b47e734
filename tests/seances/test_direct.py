"""The live page of a séance over HTTP: the page for each role, the vote form (the no-JavaScript path), the
secrétariat's controls, the JSON state of the fallback, the QR check-in, flat query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conseil_ess.propositions.models import Etat
from conseil_ess.seances import services
from conseil_ess.seances.etat import etat_public
from conseil_ess.seances.models import Bulletin, Emargement, Participation, Scrutin, Seance
from tests.conftest import creer_utilisateur

from .fabriques import membre_en_exercice, nouvelle_seance, presents, proposition_soumise, seance_avec_scrutin

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def url(nom, seance, *args):
    return reverse(f"seances:{nom}", args=[seance.slug, *args])


def html(reponse):
    return reponse.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def bloc(page, attribut):
    """The opening tag of the element carrying ``attribut`` (to check its ``hidden``)."""
    debut = page.index(attribut)
    return page[page.rindex("<", 0, debut):page.index(">", debut) + 1]


def visible(page, attribut):
    return attribut in page and " hidden" not in bloc(page, attribut)


def messages_de(reponse):
    return [str(m) for m in reponse.context["messages"]] if reponse.context else []


@pytest.fixture
def agent_mfa(db):
    return creer_utilisateur("agent")


@pytest.fixture
def scrutin_ouvert(agent_mfa):
    seance, scrutin, agent = seance_avec_scrutin(agent_mfa)
    return seance, scrutin


# --- The page for each role ---------------------------------------------------------------------------

def test_le_public_voit_l_etat_sans_formulaire_de_vote_ni_commandes(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    Seance.objects.filter(pk=seance.pk).update(presidence="La Présidente du Conseil")
    membres = presents(seance, 3, agent_mfa)
    services.voter(scrutin, membres[0], "pour")

    page = html(client.get(url("direct", seance)))

    assert "Séance plénière de printemps" in page
    assert "La Présidente du Conseil" in page
    assert "En cours" in page
    assert re.search(r'data-champ="presents">3<', page)
    assert "Question soumise au vote" in page
    assert re.search(r'data-champ="votants">1<', page)
    assert visible(page, 'data-bloc="ouvert"')
    assert not visible(page, 'data-bloc="clos"')
    # No count while the vote is open, even for a public vote.
    assert 'data-champ="pour">1' not in page
    assert "data-formulaire-vote" not in page
    assert 'id="pilotage"' not in page
    assert "Se connecter pour voter" in page
    assert "js/seance_direct.js" in page and "css/seances.css" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_le_membre_non_emarge_voit_comment_emarger(client, scrutin_ouvert):
    seance, _ = scrutin_ouvert
    membre = membre_en_exercice()
    client.force_login(membre)

    page = html(client.get(url("direct", seance)))

    assert visible(page, 'data-moi-bloc="emarger"')
    assert "scannez le QR code" in page
    assert not visible(page, "data-formulaire-vote")
    assert 'id="pilotage"' not in page


def test_le_membre_emarge_voit_les_boutons_de_vote_puis_son_vote_enregistre(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    [membre] = presents(seance, 1, agent_mfa)
    client.force_login(membre)

    page = html(client.get(url("direct", seance)))
    assert visible(page, "data-formulaire-vote")
    assert f'name="scrutin" value="{scrutin.pk}"' in page
    for choix in ("pour", "contre", "abstention"):
        assert f'name="choix" value="{choix}"' in page
    assert not visible(page, 'data-moi-bloc="a-vote"')

    reponse = client.post(url("voter", seance), {"scrutin": scrutin.pk, "choix": "contre"}, follow=True)

    assert Bulletin.objects.get(scrutin=scrutin, votant=membre).choix == "contre"
    page = html(reponse)
    assert "Votre vote est enregistré : Contre." in page
    assert visible(page, 'data-moi-bloc="a-vote"')
    assert re.search(r'data-champ="choix_libelle">Contre<', page)
    # One vote, no change allowed: the form is gone.
    assert not visible(page, "data-formulaire-vote")


def test_changement_de_vote_autorise_garde_le_formulaire(client, agent_mfa):
    seance, scrutin, _ = seance_avec_scrutin(agent_mfa, changement_de_vote_autorise=True)
    [membre] = presents(seance, 1, agent_mfa)
    client.force_login(membre)
    client.post(url("voter", seance), {"scrutin": scrutin.pk, "choix": "pour"})

    page = html(client.get(url("direct", seance)))
    assert visible(page, "data-formulaire-vote")
    assert visible(page, 'data-moi-bloc="changement"')

    client.post(url("voter", seance), {"scrutin": scrutin.pk, "choix": "abstention"})
    assert Bulletin.objects.get(scrutin=scrutin, votant=membre).choix == "abstention"


def test_vote_secret_n_affiche_pas_le_choix(client, agent_mfa):
    seance, scrutin, _ = seance_avec_scrutin(agent_mfa, secret=True)
    [membre] = presents(seance, 1, agent_mfa)
    client.force_login(membre)

    reponse = client.post(url("voter", seance), {"scrutin": scrutin.pk, "choix": "pour"}, follow=True)

    assert Participation.objects.filter(scrutin=scrutin, votant=membre).exists()
    page = html(reponse)
    assert "Votre vote est enregistré (vote secret)." in page
    assert visible(page, 'data-moi-bloc="a-vote"')
    assert not visible(page, 'data-moi-bloc="choix"')


def test_l_agent_voit_les_commandes(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    client.force_login(agent_mfa)

    page = html(client.get(url("direct", seance)))

    assert 'id="pilotage"' in page
    assert "Passer au point suivant" in page
    assert "Clore le vote" in page
    assert "Vote à main levée : saisir le décompte" in page
    assert "Terminer la séance" in page
    assert f'for="pour-{scrutin.pk}"' in page


def test_l_agent_sans_double_authentification_n_a_pas_les_commandes(client, scrutin_ouvert):
    seance, scrutin = scrutin_ouvert
    agent = creer_utilisateur("agent", mfa=False)
    client.force_login(agent)

    page = html(client.get(url("direct", seance)))
    assert 'id="pilotage"' not in page
    assert "configurez d'abord la double authentification" in page

    reponse = client.post(url("piloter", seance), {"action": "clore", "scrutin": scrutin.pk})
    assert reponse.status_code == 403
    assert "double authentification" in html(reponse)
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.OUVERT


def test_seance_en_preparation_invisible_au_public_et_slug_inconnu(client, agent_mfa):
    seance = nouvelle_seance(agent_mfa)
    assert client.get(url("direct", seance)).status_code == 404
    assert client.get(url("direct_etat", seance)).status_code == 404
    assert client.get("/seances/nexiste-pas/direct/").status_code == 404
    client.force_login(agent_mfa)
    assert client.get(url("direct", seance)).status_code == 200


def test_actualisation_automatique_sans_javascript(client, scrutin_ouvert):
    seance, _ = scrutin_ouvert
    page = html(client.get(url("direct", seance)))
    assert "<noscript>" in page and "?actualiser=15" in page
    assert "Actualiser automatiquement toutes les 15 secondes" in page
    assert ">Actualiser</a>" in page
    assert "Refresh" not in client.get(url("direct", seance))

    reponse = client.get(url("direct", seance) + "?actualiser=15")
    assert reponse["Refresh"] == "15"
    page = html(reponse)
    assert "Arrêter l'actualisation automatique" in page
    assert "La page se recharge toutes les 15 secondes." in page
    assert "<noscript>" not in page  # already on

    assert "Refresh" not in client.get(url("direct", seance) + "?actualiser=1")


# --- The vote form --------------------------------------------------------------------------------------

def test_vote_refuse_au_membre_non_emarge_avec_message(client, scrutin_ouvert):
    seance, scrutin = scrutin_ouvert
    client.force_login(membre_en_exercice())

    reponse = client.post(url("voter", seance), {"scrutin": scrutin.pk, "choix": "pour"}, follow=True)

    assert reponse.status_code == 200
    assert "émargez d&#x27;abord" in html(reponse)
    assert not Bulletin.objects.filter(scrutin=scrutin).exists()


def test_vote_anonyme_refuse(client, scrutin_ouvert):
    seance, scrutin = scrutin_ouvert
    reponse = client.post(url("voter", seance), {"scrutin": scrutin.pk, "choix": "pour"}, follow=True)
    assert any("Connectez-vous pour voter" in m for m in messages_de(reponse))
    assert not Bulletin.objects.exists()


def test_vote_sur_un_scrutin_clos_refuse_clairement(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    [membre] = presents(seance, 1, agent_mfa)
    services.clore_scrutin(scrutin, agent_mfa)
    client.force_login(membre)

    reponse = client.post(url("voter", seance), {"scrutin": scrutin.pk, "choix": "pour"}, follow=True)

    assert "Ce scrutin est clos : il n&#x27;est plus possible de voter." in html(reponse)


def test_vote_choix_invalide_refuse(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    [membre] = presents(seance, 1, agent_mfa)
    client.force_login(membre)
    reponse = client.post(url("voter", seance), {"scrutin": scrutin.pk, "choix": "peut-etre"}, follow=True)
    assert "Choisissez « pour », « contre » ou « abstention »." in html(reponse)
    assert not Bulletin.objects.exists()


def test_vote_mauvais_identifiants_400_ou_404(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    [membre] = presents(seance, 1, agent_mfa)
    autre, autre_scrutin, _ = seance_avec_scrutin(agent_mfa, ouvrir=False)
    client.force_login(membre)

    assert client.post(url("voter", seance), {"scrutin": "abc", "choix": "pour"}).status_code == 400
    assert client.post(url("voter", seance), {"choix": "pour"}).status_code == 400
    assert client.post(url("voter", seance), {"scrutin": "999999", "choix": "pour"}).status_code == 404
    # A scrutin of another séance.
    assert client.post(url("voter", seance), {"scrutin": autre_scrutin.pk, "choix": "pour"}).status_code == 404
    inconnue = "/seances/nexiste-pas/direct/voter/"
    assert client.post(inconnue, {"scrutin": scrutin.pk, "choix": "pour"}).status_code == 404
    assert client.get(url("voter", seance)).status_code == 405
    assert not Bulletin.objects.exists()


# --- The secrétariat's controls ------------------------------------------------------------------------

def test_piloter_la_seance_de_bout_en_bout(client, agent_mfa):
    seance, scrutin, _ = seance_avec_scrutin(agent_mfa, ouvrir=False)
    points = list(seance.points.order_by("ordre"))
    membres = presents(seance, 3, agent_mfa)
    client.force_login(agent_mfa)
    piloter = url("piloter", seance)

    reponse = client.post(piloter, {"action": "point_suivant", "confirmer": "1"}, follow=True)
    assert "Point en cours : Accueil et informations." in html(reponse)
    seance.refresh_from_db()
    assert seance.point_courant_id == points[0].pk and seance.statut == Seance.Statut.EN_COURS

    client.post(piloter, {"action": "aller_au_point", "point": points[1].pk})
    seance.refresh_from_db()
    assert seance.point_courant_id == points[1].pk

    reponse = client.post(piloter, {"action": "ouvrir", "scrutin": scrutin.pk, "confirmer": "1"}, follow=True)
    assert "Le vote du scrutin n° 1 est ouvert." in html(reponse)
    for membre, choix in zip(membres, ["pour", "pour", "contre"]):
        services.voter(scrutin, membre, choix)

    reponse = client.post(piloter, {"action": "clore", "scrutin": scrutin.pk}, follow=True)
    assert "Le scrutin n° 1 est clos." in html(reponse)
    scrutin.refresh_from_db()
    assert (scrutin.statut, scrutin.resultat, scrutin.pour, scrutin.contre) == ("clos", "adopte", 2, 1)
    page = html(reponse)
    assert visible(page, 'data-bloc="clos"')
    assert re.search(r'data-champ="pour">2<', page) and "Adopté" in page

    reponse = client.post(piloter, {"action": "point_suivant"}, follow=True)
    assert "Il n&#x27;y a plus de point après celui-ci" in html(reponse)

    client.post(piloter, {"action": "terminer", "confirmer": "1"})
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.TERMINEE


@pytest.mark.dates
def test_ouvrir_avant_le_jour_et_terminer_demandent_confirmation(client, agent_mfa):
    seance, scrutin, _ = seance_avec_scrutin(agent_mfa, ouvrir=False)  # ten days from now
    client.force_login(agent_mfa)
    piloter = url("piloter", seance)

    demande = client.post(piloter, {"action": "point_suivant"})
    assert demande.status_code == 200
    page = html(demande)
    assert "Ouvrir la séance avant son jour ?" in page and "pas encore arrivé" in page
    assert 'name="confirmer" value="1"' in page
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.ORDRE_DU_JOUR_PUBLIE  # nothing done yet

    client.post(piloter, {"action": "point_suivant", "confirmer": "1"})
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.EN_COURS

    fin = client.post(piloter, {"action": "terminer"})
    assert fin.status_code == 200
    page = html(fin)
    assert "Terminer la séance ?" in page and "1 scrutin préparé n'a pas été voté" in page
    assert "Question soumise au vote" in page
    seance.refresh_from_db()
    assert seance.statut == Seance.Statut.EN_COURS

    reponse = client.post(piloter, {"action": "terminer", "confirmer": "1"}, follow=True)
    assert "Scrutins retirés sans vote : n° 1." in html(reponse)
    seance.refresh_from_db()
    scrutin.refresh_from_db()
    assert seance.statut == Seance.Statut.TERMINEE and scrutin.statut == Scrutin.Statut.RETIRE


@pytest.mark.dates
def test_ouvrir_un_vote_avant_le_jour_demande_confirmation(client, agent_mfa):
    seance, scrutin, _ = seance_avec_scrutin(agent_mfa, ouvrir=False)  # ten days from now
    client.force_login(agent_mfa)
    piloter = url("piloter", seance)
    demande = client.post(piloter, {"action": "ouvrir", "scrutin": scrutin.pk})
    assert demande.status_code == 200
    page = html(demande)
    assert "Ouvrir le vote avant le jour de la séance ?" in page and "pas encore arrivé" in page
    assert f'name="scrutin" value="{scrutin.pk}"' in page
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.PREPARE  # nothing done yet
    client.post(piloter, {"action": "ouvrir", "scrutin": scrutin.pk, "confirmer": "1"})
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.OUVERT

    fin = html(client.post(piloter, {"action": "terminer"}))
    assert "1 scrutin est ouvert : il sera clos et dépouillé" in fin and "Question soumise au vote" in fin
    reponse = client.post(piloter, {"action": "terminer", "confirmer": "1"}, follow=True)
    assert "Scrutin clos et dépouillé : n° 1." in html(reponse)
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.CLOS


def test_clore_avec_renvoi_en_atelier(client, agent_mfa):
    proposition = proposition_soumise()
    seance, scrutin, _ = seance_avec_scrutin(agent_mfa, objet=Scrutin.Objet.PROPOSITION, proposition=proposition)
    client.force_login(agent_mfa)

    client.post(url("piloter", seance), {"action": "clore", "scrutin": scrutin.pk, "renvoi": "1",
                                         "motif": "À retravailler avec les communes"})

    scrutin.refresh_from_db()
    proposition.refresh_from_db()
    assert scrutin.resultat == Scrutin.Resultat.RENVOYE
    assert proposition.etat == Etat.EN_ATELIER


def test_saisie_a_main_levee_et_refus_garde_les_donnees(client, agent_mfa):
    seance, scrutin, _ = seance_avec_scrutin(agent_mfa, ouvrir=False)
    presents(seance, 5, agent_mfa)
    client.force_login(agent_mfa)
    piloter = url("piloter", seance)

    # More votes than members present: refused, message next to the form, the counts kept.
    reponse = client.post(piloter, {"action": "saisir", "scrutin": scrutin.pk, "pour": "4", "contre": "3",
                                    "abstention": "0", "motif": "Motif gardé"})
    assert reponse.status_code == 400
    page = html(reponse)
    assert f'id="erreur-pilotage-{scrutin.pk}"' in page
    assert "dépasse le nombre de membres présents" in page
    assert f'id="pour-{scrutin.pk}" name="pour" required value="4"' in page
    assert "Motif gardé</textarea>" in page
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.PREPARE

    reponse = client.post(piloter, {"action": "saisir", "scrutin": scrutin.pk, "pour": "1", "contre": "3",
                                    "abstention": "1"}, follow=True)
    scrutin.refresh_from_db()
    assert (scrutin.statut, scrutin.saisie_manuelle, scrutin.resultat) == ("clos", True, "rejete")
    assert "à main levée est enregistré" in html(reponse)


def test_piloter_refus_et_mauvais_identifiants(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    piloter = url("piloter", seance)
    # Anonymous, acteur, member: refused; nothing changes.
    for user in (None, creer_utilisateur("acteur"), membre_en_exercice()):
        client.logout()
        if user:
            client.force_login(user)
        reponse = client.post(piloter, {"action": "clore", "scrutin": scrutin.pk})
        assert reponse.status_code == 403
        assert "Seul le secrétariat du Conseil peut conduire la séance." in html(reponse)
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.OUVERT

    client.force_login(agent_mfa)
    assert client.post(piloter, {"action": "detruire"}).status_code == 400
    assert client.post(piloter, {"action": "clore", "scrutin": "abc"}).status_code == 404
    assert client.post(piloter, {"action": "clore", "scrutin": 999999}).status_code == 404
    assert client.post(piloter, {"action": "aller_au_point", "point": 999999}).status_code == 404
    assert client.post("/seances/nexiste-pas/direct/piloter/", {"action": "terminer"}).status_code == 404
    # A refusal of the service: 400 with its French message on the page.
    reponse = client.post(piloter, {"action": "ouvrir", "scrutin": scrutin.pk})
    assert reponse.status_code == 400
    assert "Ce scrutin est déjà ouvert." in html(reponse)
    reponse = client.post(piloter, {"action": "terminer"})  # asks first: the open scrutin will be closed
    assert reponse.status_code == 200
    assert "1 scrutin est ouvert : il sera clos et dépouillé" in html(reponse)


# --- The JSON state ---------------------------------------------------------------------------------------

def test_etat_json_sans_compte_pendant_le_vote_puis_resultat(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    membres = presents(seance, 3, agent_mfa)
    services.voter(scrutin, membres[0], "pour")
    client.force_login(membres[0])

    donnees = client.get(url("direct_etat", seance)).json()

    assert donnees["statut"] == "en_cours" and donnees["statut_libelle"] == "En cours"
    assert donnees["presents"] == 3
    assert donnees["point_courant"]["titre"] == "Question soumise au vote"
    assert donnees["version"] == Seance.objects.get(pk=seance.pk).version
    s = donnees["scrutin"]
    assert (s["id"], s["numero"], s["statut"], s["votants"], s["secret"]) == (scrutin.pk, 1, "ouvert", 1, False)
    assert not {"pour", "contre", "abstention", "resultat", "decompte"} & set(s)
    assert donnees["moi"] == {"connecte": True, "emarge": True, "peut_voter": False, "a_vote": True,
                              "choix": "pour", "peut_piloter": False}

    services.clore_scrutin(scrutin, agent_mfa)
    client.logout()
    donnees = client.get(url("direct_etat", seance)).json()
    s = donnees["scrutin"]
    assert (s["statut"], s["resultat"], s["resultat_libelle"], s["pour"], s["contre"], s["abstention"]) == (
        "clos", "adopte", "Adopté", 1, 0, 0)
    assert s["quorum_atteint"] is None
    assert s["decompte"] == "1 pour, 0 contre, 0 abstention"
    assert donnees["moi"]["connecte"] is False


def test_etat_json_de_l_agent_et_du_membre_emarge_avant_son_vote(client, scrutin_ouvert, agent_mfa):
    seance, scrutin = scrutin_ouvert
    [membre] = presents(seance, 1, agent_mfa)
    client.force_login(agent_mfa)
    assert client.get(url("direct_etat", seance)).json()["moi"]["peut_piloter"] is True
    client.force_login(membre)
    moi = client.get(url("direct_etat", seance)).json()["moi"]
    assert moi["peut_voter"] is True and moi["a_vote"] is False and moi["choix"] is None


def test_etat_public_scrutin_du_point_courant_ou_aucun(agent_mfa):
    seance, scrutin, _ = seance_avec_scrutin(agent_mfa, ouvrir=False)
    assert etat_public(seance)["scrutin"] is None  # no current item, nothing open
    services.passer_au_point(seance, scrutin.point, agent_mfa)
    assert etat_public(seance)["scrutin"]["statut"] == "prepare"
    services.passer_au_point(seance, seance.points.order_by("ordre").first(), agent_mfa)
    assert etat_public(seance)["scrutin"] is None
    services.ouvrir_scrutin(scrutin, agent_mfa)  # opening moves to its item
    assert etat_public(seance)["scrutin"]["statut"] == "ouvert"


# --- QR check-in ---------------------------------------------------------------------------------------------

def test_emargement_qr_demande_la_connexion(client, scrutin_ouvert):
    seance, _ = scrutin_ouvert
    adresse = url("emarger", seance, seance.jeton_emargement)
    reponse = client.get(adresse)
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("account_login")) and "next=" in reponse.url
    assert client.post(adresse).status_code == 302
    assert not Emargement.objects.exists()


def test_emargement_qr_confirme_puis_page_en_direct(client, scrutin_ouvert):
    seance, _ = scrutin_ouvert
    membre = membre_en_exercice()
    client.force_login(membre)
    adresse = url("emarger", seance, seance.jeton_emargement)

    page = html(client.get(adresse))
    assert "Confirmer ma présence" in page
    assert not Emargement.objects.exists()  # a GET changes nothing

    reponse = client.post(adresse)
    assert reponse.status_code == 302 and reponse.url == url("direct", seance)
    emargement = Emargement.objects.get(seance=seance, user=membre)
    assert emargement.mode == Emargement.Mode.QR
    page = html(client.get(reponse.url))
    assert "Votre présence est enregistrée" in page
    assert visible(page, "data-formulaire-vote")

    assert "déjà enregistrée" in html(client.get(adresse))


def test_emargement_qr_mauvais_jeton_ou_non_membre(client, scrutin_ouvert):
    seance, _ = scrutin_ouvert
    client.force_login(membre_en_exercice())
    reponse = client.get(url("emarger", seance, "faux-jeton"))
    assert reponse.status_code == 404
    assert "n'est pas valable pour cette séance" in html(reponse)
    assert client.post(url("emarger", seance, "faux-jeton")).status_code == 404
    assert not Emargement.objects.exists()

    client.force_login(creer_utilisateur("acteur"))
    reponse = client.post(url("emarger", seance, seance.jeton_emargement))
    assert reponse.status_code == 400
    assert "Seuls les membres du Conseil en exercice peuvent émarger." in html(reponse)
    assert not Emargement.objects.exists()


# --- Query counts ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["anonyme", "membre", "agent"])
def test_nombre_de_requetes_constant(client, agent_mfa, django_assert_max_num_queries, role):
    def preparer(nombre):
        seance, scrutin, _ = seance_avec_scrutin(agent_mfa)
        membres = presents(seance, nombre, agent_mfa)
        for membre in membres:
            services.voter(scrutin, membre, "pour")
        user = {"anonyme": None, "membre": membres[0], "agent": agent_mfa}[role]
        client.logout()
        if user:
            client.force_login(user)
        return seance

    seance = preparer(2)
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url("direct", seance)).status_code == 200
        assert client.get(url("direct_etat", seance)).status_code == 200
    seance = preparer(30)
    with django_assert_max_num_queries(len(requetes)):
        assert client.get(url("direct", seance)).status_code == 200
        assert client.get(url("direct_etat", seance)).status_code == 200


# --- In a browser: 320 px, the secrétariat's controls, JavaScript off -----------------------------------

def largeur_du_document(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_page_en_direct_a_320_px_avec_les_commandes_et_sans_javascript(nouvelle_navigation, navigateur):
    from playwright.sync_api import expect

    from tests.e2e.actions import se_connecter, se_connecter_avec_mfa, soumettre
    from tests.navigateur import Navigation

    agent = creer_utilisateur("agent")
    seance, scrutin, _ = seance_avec_scrutin(agent, ouvrir=False)
    [membre] = presents(seance, 1, agent)
    direct = url("direct", seance)

    # The secrétariat on a 320 px screen: the controls reflow, the show-of-hands form keeps its counts on error.
    secretariat = nouvelle_navigation(largeur=320)
    se_connecter_avec_mfa(secretariat, agent)
    secretariat.aller(direct)
    assert largeur_du_document(secretariat.page) <= 320
    soumettre(secretariat, "Ouvrir le vote")  # before the séance's day: asks once
    assert largeur_du_document(secretariat.page) <= 320
    soumettre(secretariat, "Oui, ouvrir le vote maintenant")
    expect(secretariat.page.locator("[data-champ=votants]")).to_have_text("0")
    assert largeur_du_document(secretariat.page) <= 320

    # A member whose browser does not run the page's script (blocked): the vote is a plain form, the page
    # offers a refresh link. (A context with JavaScript disabled cannot run the axe audit.)
    contexte = navigateur.new_context(locale="fr-FR", viewport={"width": 320, "height": 800})
    contexte.route("**/js/seance_direct.js", lambda route: route.abort())
    sans_js = Navigation(contexte.new_page(), secretariat.base_url)
    sans_js.page.set_default_timeout(15000)
    try:
        se_connecter(sans_js, membre.email)
        assert sans_js.aller(direct + "?actualiser=15").headers["refresh"] == "15"
        sans_js.cliquer(sans_js.page.get_by_role("link", name="Arrêter l'actualisation automatique"))
        assert largeur_du_document(sans_js.page) <= 320
        expect(sans_js.page.locator("[data-connexion]")).to_be_hidden()  # the script did not run
        bouton = sans_js.page.get_by_role("button", name="Abstention")
        box = bouton.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 200  # big touch target, full width on a phone
        sans_js.cliquer(bouton)
        expect(sans_js.page.locator(".messages")).to_contain_text("Votre vote est enregistré : Abstention.")
        assert Bulletin.objects.get(scrutin=scrutin, votant=membre).choix == "abstention"
        assert not sans_js.pages_non_auditees()
    finally:
        contexte.close()

    # The secrétariat closes it; the result shows on its page (reloaded after the form) and live elsewhere.
    soumettre(secretariat, "Clore le vote")
    expect(secretariat.page.locator("[data-champ=resultat_libelle]")).to_have_text("Rejeté")
    assert largeur_du_document(secretariat.page) <= 320
