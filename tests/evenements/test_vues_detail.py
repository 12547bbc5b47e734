"""Event page (dates, place, status, 404 rules), registration, status change, programme page."""

import pytest
from django.urls import reverse

from conseil_ess.comptes.models import Adhesion, Notification
from evenements.models import Evenement, Inscription, Programme
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, CommuneFactory, StructureFactory

from .fabriques import CreneauFactory, EvenementFactory, LieuFactory, ProgrammeFactory, dans, paris, public

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def page(client, evenement):
    reponse = client.get(evenement.get_absolute_url())
    assert reponse.status_code == 200
    return reponse.content.decode().replace("\xa0", " ")  # times use non-breaking spaces


def test_evenement_horaire_en_heure_de_paris_avec_lieu_et_organisateurs(client):
    commune = CommuneFactory(slug="rivebelle", nom="Rivebelle")
    lieu = LieuFactory(nom="Halle aux Grains", adresse="1 place du Marché", commune=commune,
                       infos_accessibilite="Entrée de plain-pied côté parking.")
    structure = StructureFactory(nom="CRESS Val-de-Lère")
    evenement = EvenementFactory(
        titre="Soirée de lancement", lieu=lieu, debut=paris(2026, 11, 3, 18, 30), fin=paris(2026, 11, 3, 21),
        structures=[structure], organisateurs_texte="Rivebelle Métropole",
        publics=[public("grand-public", "Grand public")],
        inscription=Evenement.Inscription.CONSEILLEE, accessibilite="oui", boucle_magnetique=True,
        description="<p>Un <strong>lancement</strong></p><script>alert(1)</script>",
    )
    contenu = page(client, evenement)
    assert "mardi 3 novembre 2026, de 18 h 30 à 21 h" in contenu
    assert 'datetime="2026-11-03T18:30:00+01:00"' in contenu
    assert "Halle aux Grains" in contenu and "1 place du Marché" in contenu and "Rivebelle" in contenu
    assert "CRESS Val-de-Lère" in contenu and "Rivebelle Métropole" in contenu
    assert "Grand public" in contenu and "Inscription conseillée" in contenu
    assert "Accessible en fauteuil roulant" in contenu and "Boucle magnétique" in contenu
    assert "Entrée de plain-pied" in contenu
    assert "<strong>lancement</strong>" in contenu and "<script>alert" not in contenu
    assert reverse("evenements:detail_ics", args=[evenement.slug]) in contenu
    assert "Ajouter à mon agenda" in contenu


def test_heure_d_ete_et_heure_d_hiver(client):
    ete = EvenementFactory(debut=paris(2026, 10, 24, 10), fin=paris(2026, 10, 24, 12))
    hiver = EvenementFactory(debut=paris(2026, 10, 25, 10), fin=paris(2026, 10, 25, 12))
    assert 'datetime="2026-10-24T10:00:00+02:00"' in page(client, ete)
    assert "samedi 24 octobre 2026, de 10 h à 12 h" in page(client, ete)
    assert 'datetime="2026-10-25T10:00:00+01:00"' in page(client, hiver)
    assert "dimanche 25 octobre 2026, de 10 h à 12 h" in page(client, hiver)


def test_journee_entiere_et_plusieurs_jours(client):
    un_jour = EvenementFactory(journee_entiere=True, debut=paris(2026, 11, 7), fin=paris(2026, 11, 8))
    exposition = EvenementFactory(journee_entiere=True, debut=paris(2026, 11, 3), fin=paris(2026, 11, 28))
    forum = EvenementFactory(debut=paris(2026, 11, 12, 9), fin=paris(2026, 11, 13, 17))
    premier = EvenementFactory(journee_entiere=True, debut=paris(2026, 12, 1), fin=paris(2026, 12, 2))
    assert "samedi 7 novembre 2026, toute la journée" in page(client, un_jour)
    # ``fin`` is exclusive: the last day shown is the 27th.
    assert "du mardi 3 novembre au vendredi 27 novembre 2026" in page(client, exposition)
    assert "du jeudi 12 novembre 2026 à 9 h au vendredi 13 novembre 2026 à 17 h" in page(client, forum)
    assert "mardi 1er décembre 2026" in page(client, premier)


def test_evenement_en_ligne(client):
    evenement = EvenementFactory(mode=Evenement.Mode.EN_LIGNE, lieu=None, lien_en_ligne="https://visio.example.org/esus")
    contenu = page(client, evenement)
    assert "En ligne" in contenu
    assert 'href="https://visio.example.org/esus"' in contenu


def test_evenement_annule_visible_et_clairement_marque(client):
    evenement = EvenementFactory(statut=Evenement.Statut.ANNULE,
                                 motif_statut="Reporté au printemps – conditions météo")
    contenu = page(client, evenement)
    assert "Cet événement est annulé." in contenu
    assert "Reporté au printemps – conditions météo" in contenu
    assert "etiquette--annule" in contenu
    assert "<title>Annulé :" in contenu


def test_evenement_a_confirmer_et_reporte(client):
    assert "reste à confirmer" in page(client, EvenementFactory(statut=Evenement.Statut.A_CONFIRMER))
    contenu = page(client, EvenementFactory(statut=Evenement.Statut.REPORTE, motif_statut="Nouvelle date en mars"))
    assert "Cet événement est reporté." in contenu and "Nouvelle date en mars" in contenu


@pytest.mark.parametrize("publication", ["brouillon", "a_moderer", "modifications", "refuse"])
def test_evenement_non_publie_404_sauf_proposant_organisateurs_et_moderateurs(client, publication):
    proposant = creer_utilisateur("acteur")
    structure = StructureFactory()
    coorganisateur = AdhesionFactory(structure=structure, statut=Adhesion.Statut.ACCEPTEE).user
    evenement = EvenementFactory(publication=publication, propose_par=proposant, structures=[structure],
                                 message_moderation="Précisez la salle." if publication == "modifications" else "")
    url = evenement.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(creer_utilisateur("acteur"))
    assert client.get(url).status_code == 404
    client.force_login(creer_utilisateur("elu"))
    assert client.get(url).status_code == 404
    for personne in (proposant, coorganisateur, creer_utilisateur("agent")):
        client.force_login(personne)
        reponse = client.get(url)
        assert reponse.status_code == 200
        assert "pas publié" in reponse.content.decode()
    if publication == "modifications":
        client.force_login(proposant)
        assert "Précisez la salle." in client.get(url).content.decode()


def test_evenement_reserve_demande_une_connexion(client, acteur):
    evenement = EvenementFactory(visibilite=Evenement.Visibilite.MEMBRES)
    reponse = client.get(evenement.get_absolute_url())
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("account_login"))
    client.force_login(acteur)
    assert client.get(evenement.get_absolute_url()).status_code == 200


def test_slug_inconnu_404(client):
    assert client.get("/agenda/nexiste-pas/").status_code == 404


def test_routes_fixes_avant_le_slug(client, acteur):
    # An event cannot take the place of /agenda/proposer/ (slugs are reserved by the form).
    client.force_login(acteur)
    reponse = client.get("/agenda/proposer/")
    assert reponse.status_code == 200 and reponse.context.get("creation")


# --- Registration --------------------------------------------------------------------------------

def test_inscription_puis_liste_d_attente_puis_annulation_promeut(client):
    evenement = EvenementFactory(inscription_sur_plateforme=True, capacite=1,
                                 inscription=Evenement.Inscription.OBLIGATOIRE)
    url_inscrire = reverse("evenements:inscrire", args=[evenement.slug])
    premiere, seconde = creer_utilisateur("acteur"), creer_utilisateur("acteur")

    client.force_login(premiere)
    assert "1 place restante sur 1" in page(client, evenement)
    reponse = client.post(url_inscrire, follow=True)
    contenu = reponse.content.decode()
    assert "Votre inscription à" in contenu and "est confirmée" in contenu
    assert "Vous êtes inscrit·e : votre place est confirmée." in contenu
    reponse = client.post(url_inscrire, follow=True)
    assert "Vous êtes déjà inscrit·e à cet événement." in reponse.content.decode()

    client.force_login(seconde)
    contenu = page(client, evenement)
    assert "Complet." in contenu and "Rejoindre la liste d'attente" in contenu
    contenu = client.post(url_inscrire, follow=True).content.decode()
    assert "vous êtes sur la liste d&#x27;attente, en position 1" in contenu  # the message (escaped)
    assert "Vous êtes sur la liste d'attente, en position 1." in contenu  # the registration box
    attente = Inscription.objects.get(user=seconde)
    assert attente.statut == Inscription.Statut.ATTENTE

    client.force_login(premiere)
    inscription = Inscription.objects.get(user=premiere)
    reponse = client.post(reverse("evenements:annuler_inscription", args=[inscription.pk]),
                          {"confirmer": "1", "next": evenement.get_absolute_url()})
    assert reponse.status_code == 302 and reponse["Location"] == evenement.get_absolute_url()
    attente.refresh_from_db()
    assert attente.statut == Inscription.Statut.CONFIRMEE
    assert Notification.objects.filter(destinataire=seconde, titre__contains="Une place s'est libérée").exists()


def test_inscription_refusee_si_fermee_ou_anonyme(client, acteur):
    evenement = EvenementFactory(inscription_sur_plateforme=True, capacite=5, statut=Evenement.Statut.ANNULE,
                                 motif_statut="Intempéries")
    url = reverse("evenements:inscrire", args=[evenement.slug])
    assert client.post(url).status_code == 302 and not Inscription.objects.exists()
    client.force_login(acteur)
    assert "Les inscriptions sont fermées." in page(client, evenement)
    contenu = client.post(url, follow=True).content.decode()
    assert "les inscriptions sont fermées" in contenu
    assert not Inscription.objects.exists()
    assert client.get(url).status_code == 405
    brouillon = EvenementFactory(publication="brouillon", inscription_sur_plateforme=True)
    assert client.post(reverse("evenements:inscrire", args=[brouillon.slug])).status_code == 404


def test_un_seul_atelier_par_creneau(client, acteur):
    creneau = CreneauFactory(libelle="Ateliers du matin")
    a1 = EvenementFactory(titre="Atelier déchets", creneau=creneau, programme=creneau.programme,
                          inscription_sur_plateforme=True, capacite=60)
    a2 = EvenementFactory(titre="Atelier mobilité", creneau=creneau, programme=creneau.programme,
                          inscription_sur_plateforme=True, capacite=60)
    client.force_login(acteur)
    assert "Un seul atelier par personne sur le créneau « Ateliers du matin »" in page(client, a1)
    client.post(reverse("evenements:inscrire", args=[a1.slug]))
    contenu = page(client, a2)
    assert "Vous êtes déjà inscrit·e à « Atelier déchets » sur ce créneau." in contenu
    contenu = client.post(reverse("evenements:inscrire", args=[a2.slug]), follow=True).content.decode()
    assert "un seul atelier par créneau" in contenu
    assert Inscription.objects.filter(user=acteur).count() == 1


def test_annuler_l_inscription_d_une_autre_personne_404(client, acteur):
    evenement = EvenementFactory(inscription_sur_plateforme=True)
    autre = creer_utilisateur("acteur")
    inscription = Inscription.objects.create(evenement=evenement, user=autre, statut=Inscription.Statut.CONFIRMEE)
    client.force_login(acteur)
    assert client.post(reverse("evenements:annuler_inscription", args=[inscription.pk])).status_code == 404
    client.force_login(creer_utilisateur("agent"))
    assert client.post(reverse("evenements:annuler_inscription", args=[inscription.pk])).status_code == 404
    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.CONFIRMEE


def test_annulation_redirige_vers_mon_espace_sans_next_externe(client, acteur):
    evenement = EvenementFactory(inscription_sur_plateforme=True)
    inscription = Inscription.objects.create(evenement=evenement, user=acteur, statut=Inscription.Statut.ATTENTE)
    client.force_login(acteur)
    reponse = client.post(reverse("evenements:annuler_inscription", args=[inscription.pk]),
                          {"confirmer": "1", "next": "https://ailleurs.example.com/"})
    assert reponse["Location"] == reverse("comptes:mon_espace") + "#mes-inscriptions"


# --- Status --------------------------------------------------------------------------------------

def test_changement_de_statut_par_un_organisateur(client):
    structure = StructureFactory()
    organisateur = AdhesionFactory(structure=structure).user
    evenement = EvenementFactory(structures=[structure], inscription_sur_plateforme=True)
    inscrite = creer_utilisateur("acteur")
    Inscription.objects.create(evenement=evenement, user=inscrite, statut=Inscription.Statut.CONFIRMEE)
    sequence = evenement.sequence
    client.force_login(organisateur)
    contenu = page(client, evenement)
    assert "Changer le statut" in contenu
    url = reverse("evenements:statut", args=[evenement.slug])
    reponse = client.post(url, {"statut": "annule", "motif": ""})
    assert reponse.status_code == 200
    assert "Indiquez le motif" in reponse.content.decode()
    assert 'aria-invalid="true"' in reponse.content.decode()
    reponse = client.post(url, {"statut": "annule", "motif": "Salle indisponible"})
    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert evenement.statut == "annule" and evenement.motif_statut == "Salle indisponible"
    assert evenement.sequence == sequence + 1
    assert Notification.objects.filter(destinataire=inscrite).exists()
    assert "Cet événement est annulé." in page(client, evenement)
    client.post(url, {"statut": "complet", "motif": ""})
    evenement.refresh_from_db()
    assert evenement.statut == "complet"


def test_changement_de_statut_par_un_moderateur(client, agent):
    evenement = EvenementFactory()
    client.force_login(agent)
    reponse = client.post(reverse("evenements:statut", args=[evenement.slug]),
                          {"statut": "reporte", "motif": "Nouvelle date à venir"})
    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert evenement.statut == "reporte"


def test_changement_de_statut_refuse_aux_autres(client, acteur):
    evenement = EvenementFactory()
    url = reverse("evenements:statut", args=[evenement.slug])
    assert client.post(url, {"statut": "annule", "motif": "x"}).status_code == 302  # login
    client.force_login(acteur)
    assert "Changer le statut" not in page(client, evenement)
    assert client.post(url, {"statut": "annule", "motif": "x"}).status_code == 403
    brouillon = EvenementFactory(publication="brouillon")
    assert client.post(reverse("evenements:statut", args=[brouillon.slug]),
                       {"statut": "annule", "motif": "x"}).status_code == 404
    evenement.refresh_from_db()
    assert evenement.statut == "confirme"


# --- Programme -----------------------------------------------------------------------------------

def test_programme_des_assises_par_creneau(client, acteur):
    assises = ProgrammeFactory(slug="assises-2027", titre="Assises de l'ESS 2027", type=Programme.Type.ASSISES,
                               date_debut=dans(30).date(), date_fin=dans(30).date(),
                               description="<p>L'ESS, partenaire des politiques métropolitaines</p>")
    jour = dans(30, 0)
    journee = EvenementFactory(titre="Assises métropolitaines", programme=assises, inscription_sur_plateforme=True,
                               capacite=250, debut=jour.replace(hour=8, minute=45), fin=jour.replace(hour=17))
    EvenementFactory(titre="Plénière d'ouverture", programme=assises, parent=journee,
                     debut=jour.replace(hour=9, minute=30), fin=jour.replace(hour=10, minute=30))
    creneau = CreneauFactory(programme=assises, libelle="Ateliers en parallèle",
                             debut=jour.replace(hour=10, minute=45), fin=jour.replace(hour=12, minute=30))
    for numero, theme, vp in ((1, "Déchets", "Patrick Aubertin"), (2, "Mobilité", "Leïla Mansour")):
        EvenementFactory(titre=f"Atelier {numero} – {theme}", programme=assises, parent=journee, creneau=creneau,
                         precision_lieu=f"Salle {'AB'[numero - 1]}", intervenants=f"Présidence : {vp}",
                         capacite=60, inscription_sur_plateforme=True,
                         debut=creneau.debut, fin=creneau.fin)
    EvenementFactory(titre="Brouillon caché", programme=assises, publication="brouillon")
    reponse = client.get(reverse("evenements:programme", args=["assises-2027"]))
    assert reponse.status_code == 200
    contenu = reponse.content.decode().replace("\xa0", " ")
    assert "Assises de l&#x27;ESS 2027" in contenu
    assert "L'ESS, partenaire des politiques métropolitaines" in contenu
    assert "Brouillon caché" not in contenu
    jours = reponse.context["jours"]
    assert len(jours) == 1
    blocs = jours[0][1]
    assert blocs[0]["evenement"].titre == "Plénière d'ouverture"
    assert [a.titre for a in blocs[1]["ateliers"]] == ["Atelier 1 – Déchets", "Atelier 2 – Mobilité"]
    assert "10 h 45 – 12 h 30" in contenu
    assert "Salle A" in contenu and "Présidence : Patrick Aubertin" in contenu and "60 restantes sur 60" in contenu
    assert [e.titre for e in reponse.context["journees"]] == ["Assises métropolitaines"]
    assert reverse("evenements:programme_ics", args=["assises-2027"]) in contenu
    assert "webcal://testserver/agenda/programmes/assises-2027.ics" in contenu

    client.force_login(acteur)
    atelier = Evenement.objects.get(titre="Atelier 2 – Mobilité")
    client.post(reverse("evenements:inscrire", args=[atelier.slug]))
    contenu = client.get(reverse("evenements:programme", args=["assises-2027"])).content.decode()
    assert "Votre atelier" in contenu


def test_programme_du_mois_par_jour(client):
    mois = ProgrammeFactory(slug="mois-ess-2026", titre="Mois de l'ESS 2026", type=Programme.Type.MOIS_ESS)
    EvenementFactory(titre="Exposition", programme=mois, journee_entiere=True,
                     debut=paris(2026, 11, 3), fin=paris(2026, 11, 28))
    EvenementFactory(titre="Lancement", programme=mois, debut=paris(2026, 11, 3, 18, 30), fin=paris(2026, 11, 3, 21))
    EvenementFactory(titre="Marché", programme=mois, debut=paris(2026, 11, 7, 8), fin=paris(2026, 11, 7, 13))
    reponse = client.get(reverse("evenements:programme", args=["mois-ess-2026"]))
    assert [e.titre for e in reponse.context["longs"]] == ["Exposition"]
    assert [jour.day for jour, _blocs in reponse.context["jours"]] == [3, 7]
    assert client.get(reverse("evenements:programme", args=["inconnu"])).status_code == 404
