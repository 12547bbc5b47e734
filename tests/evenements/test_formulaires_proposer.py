"""/agenda/proposer/ and /agenda/<slug>/modifier/: French errors beside fields, typed data kept, moderation."""

import datetime

import pytest
from django.urls import reverse

from conseil_ess.comptes.models import Adhesion, ChampAction, Notification
from evenements.models import Evenement
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, CommuneFactory, StructureFactory

from .fabriques import EvenementFactory, LieuFactory, ProgrammeFactory, dans, public

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
URL = reverse("evenements:proposer")
P = Evenement.Publication


@pytest.fixture
def porteuse(db):
    """An acteur who belongs to two structures (and asked to join a third, not yet accepted)."""
    user = creer_utilisateur("acteur")
    AdhesionFactory(user=user, structure=StructureFactory(nom="Ressourcerie de la Lère", slug="ressourcerie-lere"))
    AdhesionFactory(user=user, structure=StructureFactory(nom="Vélo-Cité Atelier", slug="velo-cite"))
    AdhesionFactory(user=user, structure=StructureFactory(nom="Pas encore", slug="pas-encore"),
                    statut=Adhesion.Statut.DEMANDEE)
    return user


def donnees(**kwargs):
    jour = dans(15).date()
    commune = CommuneFactory(slug="bois-clair", nom="Bois-Clair")
    lieu = LieuFactory(nom="Ressourcerie de la Lère", commune=commune)
    from conseil_ess.comptes.models import Structure

    d = {
        "titre": "Visite de la Ressourcerie", "type": "visite", "programme": "",
        "structures": [Structure.objects.get(slug="ressourcerie-lere").pk, Structure.objects.get(slug="velo-cite").pk],
        "organisateurs_texte": "Collectif des réparateurs", "resume": "Découvrez le réemploi.",
        "description": "<p>Une visite <em>guidée</em>.</p>", "intervenants": "Nadia Benarfa",
        "date": jour.isoformat(), "heure_debut": "14:00", "heure_fin": "16:00", "date_fin": "",
        "mode": "presentiel", "lieu": lieu.pk, "precision_lieu": "Entrée par la cour", "commune": "",
        "lien_en_ligne": "", "publics": [public("grand-public").pk], "champs": [ChampAction.objects.get(numero=4).pk],
        "gratuit": "on", "tarif": "", "accessibilite": "partiel", "interpretation_lsf": "on",
        "infos_accessibilite": "Une marche à l'entrée.", "inscription": "obligatoire",
        "inscription_sur_plateforme": "on", "capacite": "20", "action": "soumettre",
    }
    d.update(kwargs)
    return {k: v for k, v in d.items() if v is not None}


def test_page_proposer_reservee_aux_personnes_connectees(client):
    reponse = client.get(URL)
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("account_login"))


def test_sans_structure_la_page_explique_comment_faire(client, acteur):
    client.force_login(acteur)
    contenu = client.get(URL).content.decode()
    assert "vous devez faire partie d'une structure" in contenu
    assert reverse("comptes:structure_creer") in contenu
    assert "<form method=\"post\" novalidate class=\"formulaire-evenement\"" not in contenu


def test_seules_mes_structures_acceptees_sont_proposees(client, porteuse):
    StructureFactory(nom="Structure d'une autre personne")
    client.force_login(porteuse)
    contenu = client.get(URL).content.decode()
    assert "Ressourcerie de la Lère" in contenu and "Vélo-Cité Atelier" in contenu
    assert "Pas encore" not in contenu and "Structure d&#x27;une autre personne" not in contenu


def test_proposer_et_soumettre_a_la_moderation(client, porteuse):
    moderatrice = creer_utilisateur("agent")
    client.force_login(porteuse)
    reponse = client.post(URL, donnees())
    evenement = Evenement.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == evenement.get_absolute_url()
    assert evenement.publication == P.A_MODERER
    assert evenement.propose_par == porteuse
    assert evenement.slug == "visite-de-la-ressourcerie"
    assert set(evenement.structures.values_list("slug", flat=True)) == {"ressourcerie-lere", "velo-cite"}
    assert evenement.commune.slug == "bois-clair"  # from the place
    assert evenement.capacite == 20 and evenement.inscription_sur_plateforme and evenement.interpretation_lsf
    assert evenement.description == "<p>Une visite <em>guidée</em>.</p>"
    # 14 h in Paris on the chosen day, whether Paris is on winter (UTC+1) or summer (UTC+2) time.
    assert evenement.debut == dans(15, heure=14)
    assert (evenement.fin - evenement.debut) == datetime.timedelta(hours=2)
    assert Notification.objects.filter(destinataire=moderatrice, titre__contains="Visite de la Ressourcerie").exists()
    # Not in the public agenda until a moderator publishes it; the proposer sees its state.
    assert client.get(evenement.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(evenement.get_absolute_url()).status_code == 404
    assert evenement not in client.get(reverse("evenements:agenda")).context["evenements"]


def test_enregistrer_un_brouillon(client, porteuse):
    client.force_login(porteuse)
    client.post(URL, donnees(action="brouillon"))
    assert Evenement.objects.get().publication == P.BROUILLON


def test_journees_entieres_du_premier_au_dernier_jour(client, porteuse):
    client.force_login(porteuse)
    premier = dans(20).date()
    client.post(URL, donnees(journee_entiere="on", heure_debut="", heure_fin="", date=premier.isoformat(),
                             date_fin=(premier + datetime.timedelta(days=24)).isoformat()))
    evenement = Evenement.objects.get()
    assert evenement.journee_entiere
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    assert evenement.debut.astimezone(paris).replace(tzinfo=None) == datetime.datetime.combine(premier, datetime.time())
    assert evenement.fin.astimezone(paris).replace(tzinfo=None) == datetime.datetime.combine(
        premier + datetime.timedelta(days=25), datetime.time())  # exclusive end: midnight after the last day


@pytest.mark.parametrize(("modifications", "champ", "message"), [
    ({"heure_fin": "13:00"}, "heure_fin", "L'heure de fin doit être après l'heure de début."),
    ({"heure_debut": ""}, "heure_debut", "Indiquez l'heure de début"),
    ({"date_fin": "DEBUT-1"}, "date_fin", "Le dernier jour ne peut pas précéder le premier jour."),
    ({"date": "2020-01-01"}, "date", "Cette date est passée."),
    ({"date": "31/02/2027"}, "date", "Saisissez une date valide."),
    ({"mode": "en_ligne", "lieu": ""}, "lien_en_ligne", "Indiquez le lien de connexion d'un événement en ligne."),
    ({"lien_en_ligne": "pas une adresse", "mode": "hybride"}, "lien_en_ligne", "Saisissez une URL valide."),
    ({"lieu": "", "precision_lieu": ""}, "lieu", "Choisissez un lieu dans la liste"),
    ({"lieu": "", "commune": ""}, "commune", "Indiquez la commune"),
    ({"gratuit": None, "tarif": ""}, "tarif", "Indiquez le tarif d'un événement payant"),
    ({"structures": []}, "structures", "Choisissez au moins une structure organisatrice."),
    ({"titre": ""}, "titre", "Champ requis."),
    ({"capacite": "0"}, "capacite", "supérieure ou égale à 1"),
    ({"lieu": "99999"}, "lieu", "Sélectionnez un choix valide."),
])
def test_erreurs_a_cote_des_champs_et_saisie_conservee(client, porteuse, modifications, champ, message):
    client.force_login(porteuse)
    if modifications.get("date_fin") == "DEBUT-1":
        modifications["date_fin"] = (dans(14).date()).isoformat()
    reponse = client.post(URL, donnees(**modifications))
    assert reponse.status_code == 200
    assert not Evenement.objects.exists()
    form = reponse.context["form"]
    assert champ in form.errors, form.errors
    assert any(message in e for e in form.errors[champ]), form.errors[champ]
    contenu = reponse.content.decode()
    assert f'id="id_{champ}_error"' in contenu  # the error sits beside its field, referenced by aria-describedby
    assert 'aria-invalid="true"' in contenu
    assert "Le formulaire contient des erreurs" in contenu
    # Everything typed is still there.
    if champ != "titre":
        assert 'value="Visite de la Ressourcerie"' in contenu
    assert "Collectif des réparateurs" in contenu
    assert "Entrée par la cour" in contenu or champ == "lieu"
    assert "&lt;p&gt;Une visite &lt;em&gt;guidée&lt;/em&gt;.&lt;/p&gt;" in contenu
    assert "Une marche à l&#x27;entrée." in contenu
    assert 'value="20"' in contenu or champ == "capacite"
    assert 'name="interpretation_lsf" id="id_interpretation_lsf" checked' in contenu
    assert 'name="boucle_magnetique" id="id_boucle_magnetique" checked' not in contenu


def test_programme_ferme_aux_propositions_refuse(client, porteuse):
    ferme = ProgrammeFactory(slug="assises-2027", ouvert_aux_propositions=False)
    ouvert = ProgrammeFactory(slug="mois-ess-2026", ouvert_aux_propositions=True, titre="Mois de l'ESS 2026")
    client.force_login(porteuse)
    contenu = client.get(URL).content.decode()
    assert "Mois de l&#x27;ESS 2026" in contenu
    assert list(client.get(URL).context["form"].fields["programme"].queryset) == [ouvert]
    reponse = client.post(URL, donnees(programme=ferme.pk))
    assert "programme" in reponse.context["form"].errors
    client.post(URL, donnees(programme=ouvert.pk))
    assert Evenement.objects.get().programme == ouvert


def test_slug_reserve_et_unique(client, porteuse):
    client.force_login(porteuse)
    client.post(URL, donnees(titre="Proposer"))
    client.post(URL, donnees(titre="Proposer"))
    assert sorted(Evenement.objects.values_list("slug", flat=True)) == ["proposer-evenement", "proposer-evenement-2"]


# --- Edit ----------------------------------------------------------------------------------------

def test_modifier_un_brouillon_puis_le_soumettre(client, porteuse):
    client.force_login(porteuse)
    client.post(URL, donnees(action="brouillon"))
    evenement = Evenement.objects.get()
    url = reverse("evenements:modifier", args=[evenement.slug])
    contenu = client.get(url).content.decode()
    assert 'value="Visite de la Ressourcerie"' in contenu and 'value="14:00"' in contenu
    client.post(url, donnees(titre="Visite guidée de la Ressourcerie", action="brouillon"))
    evenement.refresh_from_db()
    assert evenement.titre == "Visite guidée de la Ressourcerie" and evenement.publication == P.BROUILLON
    assert evenement.slug == "visite-de-la-ressourcerie"  # the address never changes
    client.post(url, donnees(action="soumettre"))
    evenement.refresh_from_db()
    assert evenement.publication == P.A_MODERER


def test_modifier_apres_publication_devient_une_modification_en_attente(client, porteuse):
    """Issue 18: the published version stays online (same UID and SEQUENCE) until a moderator accepts."""
    moderatrice = creer_utilisateur("agent")
    client.force_login(porteuse)
    client.post(URL, donnees())
    evenement = Evenement.objects.get()
    Evenement.objects.filter(pk=evenement.pk).update(publication=P.PUBLIE, nb_confirmes=3)
    evenement.refresh_from_db()
    uid, sequence = evenement.uid, evenement.sequence
    url = reverse("evenements:modifier", args=[evenement.slug])
    contenu = client.get(url).content.decode()
    assert "votre modification sera vérifiée avant d'être publiée" in contenu
    assert "votre modification sera vérifiée" in client.get(evenement.get_absolute_url()).content.decode()
    Notification.objects.all().delete()
    reponse = client.post(url, donnees(heure_debut="15:00", heure_fin="17:30", action="soumettre"))
    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert evenement.publication == P.PUBLIE
    assert (evenement.uid, evenement.sequence) == (uid, sequence)
    assert evenement.nb_confirmes == 3
    assert evenement.revisions.get().statut == "en_attente"
    assert Notification.objects.filter(destinataire=moderatrice).exists()
    assert "Modification en attente de validation" in client.get(evenement.get_absolute_url()).content.decode()


def test_la_capacite_ne_descend_pas_sous_les_inscrits(client, porteuse):
    client.force_login(porteuse)
    client.post(URL, donnees())
    evenement = Evenement.objects.get()
    Evenement.objects.filter(pk=evenement.pk).update(nb_confirmes=12)
    reponse = client.post(reverse("evenements:modifier", args=[evenement.slug]), donnees(capacite="10"))
    assert reponse.status_code == 200
    assert "12 personnes sont déjà inscrites" in reponse.context["form"].errors["capacite"][0]


def test_modifier_reserve_au_proposant_et_aux_moderateurs(client, porteuse):
    evenement = EvenementFactory(propose_par=porteuse)
    url = reverse("evenements:modifier", args=[evenement.slug])
    assert client.get(url).status_code == 302
    client.force_login(creer_utilisateur("acteur"))
    assert client.get(url).status_code == 403
    brouillon = EvenementFactory(propose_par=porteuse, publication=P.BROUILLON)
    assert client.get(reverse("evenements:modifier", args=[brouillon.slug])).status_code == 404
    agent = creer_utilisateur("agent")
    client.force_login(agent)
    assert client.get(url).status_code == 200
    # A moderator's edit does not send the event back to moderation.
    structure = StructureFactory()
    AdhesionFactory(user=agent, structure=structure)
    reponse = client.post(url, donnees(structures=[structure.pk], titre="Titre corrigé", action="enregistrer"))
    assert reponse.status_code == 302
    evenement.refresh_from_db()
    assert evenement.titre == "Titre corrigé" and evenement.publication == P.PUBLIE


def test_evenement_refuse_plus_modifiable_par_le_proposant(client, porteuse):
    evenement = EvenementFactory(propose_par=porteuse, publication=P.REFUSE)
    client.force_login(porteuse)
    assert client.get(reverse("evenements:modifier", args=[evenement.slug])).status_code == 403


def test_une_seule_structure_est_cochee_d_office(client, acteur):
    structure = StructureFactory(nom="Le Panier Commun")
    AdhesionFactory(user=acteur, structure=structure)
    client.force_login(acteur)
    contenu = client.get(URL).content.decode()
    assert f'value="{structure.pk}" id="id_structures_0" checked' in contenu


def test_les_types_reunion_d_atelier_et_seance_ne_se_proposent_pas(client):
    """Atelier meetings and séances are scheduled by their own apps, not proposed in the agenda."""
    from evenements.forms import TYPES_PLANIFIES_AILLEURS
    from evenements.models import TypeEvenement

    client.force_login(creer_utilisateur("acteur"))
    reponse = client.get("/agenda/proposer/")
    valeurs = {valeur for valeur, _libelle in reponse.context["form"].fields["type"].choices}
    assert TypeEvenement.CONFERENCE in valeurs
    assert not valeurs & TYPES_PLANIFIES_AILLEURS
