"""The organisers' pages of an event: the registered people and their counts, the office export, the message to
them, the check-in at the door (list to tick, typed code, QR code address) and what the public never sees."""

import html

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from conseil_ess.comptes.models import Adhesion, Notification
from conseil_ess.typographie import typographier
from evenements import inscrits, services
from evenements.inscrits import code_emargement
from evenements.models import Inscription
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, StructureFactory, UserFactory
from tests.tableurs import lire_export

from .fabriques import EvenementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
I = Inscription.Statut  # noqa: E741


@pytest.fixture
def organisatrice(db):
    return creer_utilisateur("acteur", email="orga@example.org", first_name="Olga", last_name="Organise")


@pytest.fixture
def evenement(organisatrice):
    structure = StructureFactory()
    AdhesionFactory(structure=structure, user=organisatrice, statut=Adhesion.Statut.ACCEPTEE)
    return EvenementFactory(
        titre="Forum des Coopératives",
        slug="forum",
        inscription_sur_plateforme=True,
        capacite=2,
        structures=[structure],
    )


def inscrire(evenement, n, prefixe="p"):
    return [
        services.inscrire(
            evenement, UserFactory(email=f"{prefixe}{i}@exemple.fr", first_name=f"Élise{i}", last_name="Dupré")
        )
        for i in range(n)
    ]


def url(nom, evenement, *args):
    return reverse(f"evenements:{nom}", args=[evenement.slug, *args])


# --- The list, the counts, who sees it ----------------------------------------------------------------------


def test_la_liste_des_inscrits_avec_les_places_et_la_liste_d_attente(client, evenement, organisatrice):
    confirmee, _deuxieme, attente = inscrire(evenement, 3)
    client.force_login(organisatrice)
    contenu = client.get(url("organisateurs", evenement)).content.decode()
    assert "2 sur 2" in contenu  # confirmed places / capacity
    assert "p0@exemple.fr" in contenu and "p2@exemple.fr" in contenu
    assert "Liste d'attente, position 1" in contenu
    assert contenu.index("p0@exemple.fr") < contenu.index("p2@exemple.fr")
    assert confirmee.statut == I.CONFIRMEE and attente.statut == I.ATTENTE
    filtre = client.get(url("organisateurs", evenement) + "?statut=attente").content.decode()
    assert "p2@exemple.fr" in filtre and "p0@exemple.fr" not in filtre


def test_le_lien_depuis_la_page_de_l_evenement_pour_ses_seuls_organisateurs(client, evenement, organisatrice):
    client.force_login(organisatrice)
    assert url("organisateurs", evenement) in client.get(evenement.get_absolute_url()).content.decode()
    client.force_login(creer_utilisateur("acteur"))
    assert url("organisateurs", evenement) not in client.get(evenement.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "nom", ["organisateurs", "organisateurs_export", "organisateurs_message", "organisateurs_emargement"]
)
def test_les_autres_sont_refuses(client, evenement, nom):
    inscrire(evenement, 1)
    assert client.get(url(nom, evenement)).status_code == 302  # anonymous: to the login
    client.force_login(creer_utilisateur("acteur"))
    assert client.get(url(nom, evenement)).status_code == 403
    client.force_login(creer_utilisateur("membre"))  # a member of another structure
    assert client.get(url(nom, evenement)).status_code == 403
    client.force_login(creer_utilisateur("agent"))  # the secrétariat
    assert client.get(url(nom, evenement)).status_code == 200


def test_une_adhesion_demandee_ne_suffit_pas(client, evenement):
    personne = creer_utilisateur("acteur")
    AdhesionFactory(structure=evenement.structures.get(), user=personne, statut=Adhesion.Statut.DEMANDEE)
    client.force_login(personne)
    assert client.get(url("organisateurs", evenement)).status_code == 403


@pytest.mark.parametrize("page", ["organisateurs", "organisateurs_emargement"])
def test_nombre_de_requetes_constant(client, evenement, organisatrice, django_assert_max_num_queries, settings, page):
    settings.CACHE_PAGES = False
    evenement.capacite = None
    evenement.save()
    inscrire(evenement, 3)
    client.force_login(organisatrice)
    client.get(url(page, evenement))
    with CaptureQueriesContext(connection) as peu:
        client.get(url(page, evenement))
    assert len(peu.captured_queries) <= 20
    inscrire(evenement, 40, prefixe="q")
    for inscription in Inscription.objects.filter(evenement=evenement)[:20]:
        inscrits.marquer_present(evenement, inscription, organisatrice)
    with django_assert_max_num_queries(len(peu.captured_queries)):
        reponse = client.get(url(page, evenement))
    assert reponse.status_code == 200


def test_bloc_de_mon_espace_avec_les_nombres(client, evenement, organisatrice):
    inscrire(evenement, 3)
    EvenementFactory(titre="Événement d'une autre structure", inscription_sur_plateforme=True)
    client.force_login(organisatrice)
    contenu = client.get(reverse("comptes:mon_espace")).content.decode()
    assert "Les inscrit·e·s de mes événements" in contenu
    assert "2 places confirmées sur 2" in contenu and "liste d'attente : 1" in contenu
    assert url("organisateurs", evenement) in contenu
    assert "Événement d'une autre structure" not in contenu


# --- The export ---------------------------------------------------------------------------------------------


def test_export_pour_excel_en_francais(client, evenement, organisatrice):
    inscrire(evenement, 3)
    piegee = Inscription.objects.filter(evenement=evenement).first().user
    piegee.nom_affiche = '=HYPERLINK("x")'
    piegee.save()
    client.force_login(organisatrice)
    reponse = client.get(url("organisateurs_export", evenement))
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert "inscrits-forum.csv" in reponse["Content-Disposition"]
    entete, *lignes = lire_export(reponse)
    assert entete == [
        "Nom",
        "Adresse e-mail",
        "Statut",
        "Position en liste d'attente",
        "Inscrit·e le",
        "Présent·e le",
        "Code d'entrée",
    ]
    assert [ligne[2] for ligne in lignes] == ["Confirmée", "Confirmée", "En liste d'attente"]
    assert lignes[0][0].startswith("'=")  # a formula typed by someone is neutralised
    assert lignes[1][0] == "Élise1 Dupré"
    assert lignes[2][3] == "1" and lignes[2][6] == ""


# --- The message --------------------------------------------------------------------------------------------


def test_message_relu_puis_envoye_aux_confirmes(client, evenement, organisatrice, django_capture_on_commit_callbacks):
    confirmees = inscrire(evenement, 3)[:2]
    mail.outbox.clear()
    client.force_login(organisatrice)
    donnees = {"objet": "Salle changée", "texte": "Bonjour,\n\nRendez-vous salle B.\nÀ samedi !"}
    apercu = client.post(url("organisateurs_message", evenement), donnees)
    contenu = apercu.content.decode()
    assert "Il sera envoyé à 2 personnes" in contenu and "<p>Bonjour,</p>" in contenu
    assert not Notification.objects.filter(titre__contains="Salle changée").exists()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url("organisateurs_message", evenement), {**donnees, "confirmer": "1"}, follow=True)
    assert "Votre message est envoyé à 2 personnes inscrites." in reponse.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.user.email for i in confirmees)
    courriel = mail.outbox[0]
    assert courriel.subject == "Message des organisateurs de « Forum des Coopératives » : Salle changée"
    assert "Bonjour,\n\nRendez-vous salle B.\nÀ samedi !" in courriel.body
    assert "orga@example.org" not in courriel.body
    entree = ModelLogEntry.objects.get(action="conseil.evenement.message_inscrits")
    assert entree.user_id == organisatrice.pk and entree.data["destinataires"] == 2


def test_message_ecrit_avec_l_editeur(client, evenement, organisatrice, django_capture_on_commit_callbacks):
    """The message is written in the Markdown editor (issue 18): the preview shows the formatting through the
    sanitizer, the notification and its e-mail carry the readable text (Markdown), hostile HTML is gone."""
    inscrire(evenement, 1)
    mail.outbox.clear()
    client.force_login(organisatrice)
    texte = (
        "**Important** : voir [le plan](https://example.org/plan)\n\n- salle B\n- 2e étage\n\n"
        "<script>alert(1)</script>"
    )
    formulaire = client.get(url("organisateurs_message", evenement)).content.decode()
    assert "Aide à la mise en forme" in formulaire
    apercu = client.post(url("organisateurs_message", evenement), {"texte": texte}).content.decode()
    assert "<strong>Important</strong>" in apercu and "<li>salle B</li>" in apercu
    assert "<script>alert" not in apercu
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("organisateurs_message", evenement), {"texte": texte, "confirmer": "1"})
    notification = Notification.objects.get(titre__startswith="Message des organisateurs")
    assert "**Important**" in notification.message and "- salle B" in notification.message
    assert "script" not in notification.message and "alert" not in notification.message
    assert "[le plan](https://example.org/plan)" in mail.outbox[0].body


def test_message_aussi_a_la_liste_d_attente(evenement, organisatrice):
    inscrire(evenement, 3)
    assert inscrits.envoyer_message(evenement, "", "Bonjour", organisatrice, avec_attente=True) == 3


def test_message_vide_refuse_en_francais(client, evenement, organisatrice):
    inscrire(evenement, 1)
    client.force_login(organisatrice)
    reponse = client.post(url("organisateurs_message", evenement), {"texte": "   \n ", "confirmer": "1"})
    assert "Le message est vide" in reponse.content.decode()
    assert not Notification.objects.filter(titre__startswith="Message des organisateurs").exists()


def test_message_limite_par_jour(client, evenement, organisatrice, settings):
    settings.EVENEMENTS_MESSAGES_INSCRITS_PAR_JOUR = 2
    inscrire(evenement, 1)
    for _ in range(2):
        inscrits.envoyer_message(evenement, "", "Rappel", organisatrice)
    client.force_login(organisatrice)
    reponse = client.post(url("organisateurs_message", evenement), {"texte": "Encore", "confirmer": "1"})
    assert "ces dernières 24 heures : c'est le maximum" in html.unescape(reponse.content.decode())
    assert Notification.objects.filter(titre__startswith="Message des organisateurs").count() == 2


def test_message_sans_inscrit_ou_sans_droit(evenement, organisatrice):
    with pytest.raises(services.ActionImpossible, match="Personne n'est inscrit"):
        inscrits.envoyer_message(evenement, "", "Bonjour", organisatrice)
    with pytest.raises(services.ActionImpossible, match="Seuls les organisateurs"):
        inscrits.envoyer_message(evenement, "", "Bonjour", creer_utilisateur("acteur"))


# --- Check-in -----------------------------------------------------------------------------------------------


def test_cocher_sans_javascript_puis_rien_compte_deux_fois(client, evenement, organisatrice):
    inscription, *_ = inscrire(evenement, 2)
    client.force_login(organisatrice)
    page = client.get(url("organisateurs_emargement", evenement)).content.decode()
    assert f'id="personne-{inscription.pk}"' in page
    reponse = client.post(
        url("organisateurs_emargement", evenement), {"inscription": inscription.pk, "action": "present"}, follow=True
    )
    assert "Élise0 Dupré : présent·e." in reponse.content.decode()
    inscription.refresh_from_db()
    premiere = inscription.present_le
    assert premiere is not None
    reponse = client.post(
        url("organisateurs_emargement", evenement), {"inscription": inscription.pk, "action": "present"}, follow=True
    )
    assert "déjà enregistré·e comme présent·e" in reponse.content.decode()
    inscription.refresh_from_db()
    assert inscription.present_le == premiere
    assert inscrits.compteurs(evenement)["presents"] == 1
    assert ModelLogEntry.objects.filter(action="conseil.inscription.presente").count() == 1


def test_cocher_avec_javascript_repond_en_json(client, evenement, organisatrice):
    inscription, *_ = inscrire(evenement, 1)
    client.force_login(organisatrice)
    reponse = client.post(
        url("organisateurs_emargement", evenement),
        {"inscription": inscription.pk, "action": "present"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    donnees = reponse.json()
    assert donnees["presents"] == 1 and not donnees["erreur"]
    assert f'id="personne-{inscription.pk}"' in donnees["ligne"] and "Retirer" in donnees["ligne"]
    reponse = client.post(
        url("organisateurs_emargement", evenement),
        {"inscription": inscription.pk, "action": "retirer"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert reponse.json()["presents"] == 0
    assert ModelLogEntry.objects.filter(action="conseil.inscription.presence_retiree").count() == 1


def test_code_saisi_a_l_accueil(client, evenement, organisatrice):
    inscription, *_ = inscrire(evenement, 1)
    client.force_login(organisatrice)
    code = code_emargement(inscription)
    saisi = code.lower().replace("-", " ")  # lower case, a space instead of the dash
    reponse = client.post(url("organisateurs_emargement", evenement), {"code": saisi}, follow=True)
    assert "Élise0 Dupré : présent·e." in reponse.content.decode()
    inscription.refresh_from_db()
    assert inscription.present_le is not None


@pytest.mark.parametrize(
    ("cas", "message"),
    [
        ("falsifie", "Code inconnu"),
        ("mal_forme", "n'a pas la forme d'un code d'entrée"),
        ("autre_evenement", "Ce code est celui d'une inscription à un autre événement : « Autre fête »"),
        ("annulee", "est annulée"),
        ("attente", "est sur la liste d'attente"),
    ],
)
def test_mauvais_codes_refuses_en_francais(client, evenement, organisatrice, cas, message):
    premiere, _deuxieme, attente = inscrire(evenement, 3)
    autre = EvenementFactory(titre="Autre fête", inscription_sur_plateforme=True)
    codes = {
        "falsifie": code_emargement(premiere)[:-3] + "AAA",
        "mal_forme": "bonjour",
        "autre_evenement": code_emargement(services.inscrire(autre, UserFactory())),
        "annulee": code_emargement(premiere),
        "attente": code_emargement(attente),
    }
    if cas == "annulee":
        services.annuler_inscription(premiere, par=premiere.user)
    client.force_login(organisatrice)
    reponse = client.post(url("organisateurs_emargement", evenement), {"code": codes[cas]})
    assert reponse.status_code == 200
    assert message in html.unescape(reponse.content.decode())
    assert inscrits.compteurs(evenement)["presents"] == 0


def test_qr_code_ouvert_par_le_telephone(client, evenement, organisatrice):
    inscription, *_ = inscrire(evenement, 1)
    client.force_login(organisatrice)
    adresse = inscrits.url_scan(inscription)
    page = client.get(adresse).content.decode()
    assert "Élise0 Dupré" in page and "Confirmer la présence" in page
    inscription.refresh_from_db()
    assert inscription.present_le is None  # opening the address counts nothing
    assert "Élise0 Dupré : présent·e." in client.post(adresse).content.decode()
    reponse = client.post(adresse)
    assert reponse.status_code == 400 and "déjà enregistré·e comme présent·e" in reponse.content.decode()
    assert inscrits.compteurs(evenement)["presents"] == 1


def test_qr_code_falsifie_ou_d_un_autre_evenement_en_cours(client, evenement, organisatrice):
    inscription, *_ = inscrire(evenement, 1)
    client.force_login(organisatrice)
    faux = url("organisateurs_scan", evenement, f"{inscription.pk}-AAAAAAAA")
    assert "Code inconnu" in client.get(faux).content.decode()
    assert client.post(faux).status_code == 400
    # The organiser is checking in another event of hers: a code of this one is refused there.
    structure = evenement.structures.get()
    autre = EvenementFactory(titre="Atelier du soir", inscription_sur_plateforme=True, structures=[structure])
    client.get(url("organisateurs_emargement", autre))
    reponse = client.post(inscrits.url_scan(inscription))
    assert "pas à « Atelier du soir » que vous émargez" in reponse.content.decode()
    assert inscrits.compteurs(evenement)["presents"] == 0


def test_le_courriel_de_confirmation_porte_le_code_et_son_qr_code(evenement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inscription = services.inscrire(evenement, UserFactory())
    courriel = mail.outbox[-1]
    code = code_emargement(inscription)
    assert f"Votre code d'entrée : {code}" in courriel.body
    noms = [nom for nom, _contenu, _type in courriel.attachments]
    assert noms == ["forum.ics", f"code-entree-{code}.png"]
    assert "Le QR code joint est votre code d'entrée" in courriel.body


def test_le_qr_code_est_celui_de_l_adresse_de_scan(evenement, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inscription = services.inscrire(evenement, UserFactory())
    png = mail.outbox[-1].attachments[1][1]
    adresse = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + inscrits.url_scan(inscription)
    assert adresse.endswith(f"/agenda/forum/organisateurs/emargement/{code_emargement(inscription)}/")
    assert png == inscrits.qr_png(adresse)  # the same address gives the same image: the QR code holds it


# --- What the public never sees -----------------------------------------------------------------------------


def test_aucune_adresse_e_mail_dans_les_pages_publiques_et_les_flux(client, evenement, organisatrice):
    inscrire(evenement, 3)
    inscrits.marquer_present(evenement, Inscription.objects.filter(evenement=evenement).first(), organisatrice)
    adresses = [
        reverse("evenements:agenda"),
        evenement.get_absolute_url(),
        reverse("evenements:agenda_ics"),
        reverse("evenements:detail_ics", args=[evenement.slug]),
        reverse("evenements:donnees_csv"),
        reverse("evenements:donnees_json"),
        reverse("evenements:integrer"),
    ]
    for adresse in adresses:
        contenu = client.get(adresse).content.decode()
        assert evenement.titre in contenu or typographier(evenement.titre) in contenu, adresse
        assert "@exemple.fr" not in contenu and "orga@example.org" not in contenu, adresse
    client.force_login(creer_utilisateur("acteur"))
    assert "@exemple.fr" not in client.get(evenement.get_absolute_url()).content.decode()


# --- Statistics and personal data ---------------------------------------------------------------------------


def test_les_presents_restent_comptes_apres_anonymisation_et_dans_le_bilan(evenement, organisatrice):
    from evenements.bilan import bilan
    from tests.evenements.fabriques import ProgrammeFactory

    programme = ProgrammeFactory()
    evenement.programme = programme
    evenement.save()
    premiere, *_ = inscrire(evenement, 2)
    inscrits.marquer_present(evenement, premiere, organisatrice)
    Inscription.objects.filter(pk=premiere.pk).update(user=None)
    assert inscrits.compteurs(evenement)["presents"] == 1
    assert bilan(programme)["presents"] == 1


def test_la_presence_est_dans_mes_donnees(evenement, organisatrice):
    from evenements.donnees_personnelles import exporter

    premiere, *_ = inscrire(evenement, 1)
    inscrits.marquer_present(evenement, premiere, organisatrice)
    rubrique, *_autres = exporter(premiere.user)
    premiere.refresh_from_db()
    assert rubrique.elements[0]["Présent·e le"] == premiere.present_le
