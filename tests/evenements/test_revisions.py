"""Issue 18: a published event stays online while an organiser's edit is reviewed (evenements/revisions.py).

The agenda, the event's page and its feed keep the published version (same UID, same SEQUENCE) until a
moderator accepts; SEQUENCE then rises only if time, place or status changed; minor fields may go live at
once; a revision in conflict with a later change is shown to the moderator and nothing is lost."""

import datetime
import re

import pytest
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import ModelLogEntry

from conseil_ess.comptes.models import Notification
from evenements import differences, revisions, services
from evenements.models import Evenement, RevisionEvenement
from evenements.services import ActionImpossible
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, StructureFactory

from .fabriques import EvenementFactory, LieuFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
R = RevisionEvenement.Statut
CHAMPS = ["titre", "description", "resume", "debut", "fin", "lieu", "tarif", "capacite", "structures"]


@pytest.fixture
def structure(db):
    return StructureFactory(nom="Ressourcerie de la Lère")


@pytest.fixture
def organisatrice(structure):
    user = creer_utilisateur("acteur")
    AdhesionFactory(user=user, structure=structure)
    return user


@pytest.fixture
def evenement(organisatrice, structure):
    return EvenementFactory(
        titre="Visite de la ressourcerie",
        slug="visite-ressourcerie",
        propose_par=organisatrice,
        structures=[structure],
        description="<p>Une visite guidée du batiment.</p>",
        resume="Découvrir le réemploi.",
        capacite=20,
    )


@pytest.fixture
def moderatrice(db):
    return creer_utilisateur("agent")


def proposer(evenement, par, **changements):
    valeurs = revisions.valeurs_actuelles(Evenement.objects.get(pk=evenement.pk), CHAMPS)
    for nom, valeur in changements.items():
        valeurs[nom] = valeur.isoformat() if isinstance(valeur, datetime.datetime) else valeur
    return revisions.proposer_revision(evenement, valeurs, par=par)


def flux(client, evenement):
    reponse = client.get(reverse("evenements:detail_ics", args=[evenement.slug]))
    assert reponse.status_code == 200
    return reponse.content, Calendar.from_ical(reponse.content).walk("VEVENT")[0]


# --- Services --------------------------------------------------------------------------------------


def test_la_version_publiee_reste_dans_le_flux_jusqu_a_l_acceptation(client, evenement, organisatrice, moderatrice):
    avant, vevent = flux(client, evenement)
    debut = evenement.debut + datetime.timedelta(hours=1)
    revision, directes = proposer(
        evenement,
        organisatrice,
        debut=debut,
        fin=debut + datetime.timedelta(hours=2),
        titre="Visite guidée de la ressourcerie",
    )
    assert revision.statut == R.EN_ATTENTE and directes == []
    # Same bytes: same UID, same SEQUENCE, same DTSTART, same title, in the feed and on the agenda.
    assert flux(client, evenement)[0] == avant
    assert "Visite de la ressourcerie" in client.get(reverse("evenements:agenda")).content.decode()
    assert "Visite guidée" not in client.get(evenement.get_absolute_url()).content.decode()
    revisions.accepter_revision(revision, par=moderatrice)
    _contenu, apres = flux(client, evenement)
    assert str(apres["UID"]) == str(vevent["UID"])
    assert apres["SEQUENCE"] == vevent["SEQUENCE"] + 1  # the time changed
    assert apres.decoded("DTSTART") == debut and str(apres["SUMMARY"]) == "Visite guidée de la ressourcerie"
    revision.refresh_from_db()
    assert (revision.statut, revision.decidee_par) == (R.ACCEPTEE, moderatrice)
    assert Notification.objects.filter(destinataire=organisatrice, titre__contains="est publiée").exists()
    actions = set(ModelLogEntry.objects.filter(object_id=str(evenement.pk)).values_list("action", flat=True))
    assert {"conseil.evenement.revision_proposee", "conseil.evenement.revision_acceptee"} <= actions


@pytest.mark.parametrize(
    ("changement", "hausse"),
    [
        ({"titre": "Nouveau titre", "tarif": "5 €"}, 0),
        ({"lieu": "autre"}, 1),
        ({"description": "<p>Une visite guidée du bâtiment.</p>"}, 0),
    ],
)
def test_la_sequence_monte_seulement_avec_l_heure_le_lieu_ou_le_statut(
    evenement, organisatrice, moderatrice, changement, hausse
):
    if changement.get("lieu") == "autre":
        changement["lieu"] = LieuFactory().pk
    sequence = evenement.sequence
    revision, _directes = proposer(evenement, organisatrice, **changement)
    revisions.accepter_revision(revision, par=moderatrice)
    evenement.refresh_from_db()
    assert evenement.sequence == sequence + hausse
    for nom, valeur in changement.items():
        assert revisions.valeurs_actuelles(evenement, [nom])[nom] == valeur


def test_champs_mineurs_en_ligne_tout_de_suite_si_le_reglage_le_permet(settings, client, evenement, organisatrice):
    settings.EVENEMENTS_MODIFICATIONS_MINEURES_DIRECTES = True
    settings.EVENEMENTS_CHAMPS_MINEURS = ["description", "resume"]
    sequence, autre_lieu = evenement.sequence, LieuFactory()
    revision, directes = proposer(
        evenement, organisatrice, description="<p>Une visite guidée du bâtiment.</p>", lieu=autre_lieu.pk
    )
    evenement.refresh_from_db()
    assert directes == ["description"]
    assert "bâtiment" in evenement.description and evenement.sequence == sequence  # live, SEQUENCE unchanged
    assert evenement.lieu_id != autre_lieu.pk  # the place waits for the moderator
    assert [ligne["nom"] for ligne in differences.contexte(revision)["lignes"]] == ["lieu"]
    # Only a minor field changed: nothing waits.
    revision2, directes = proposer(evenement, organisatrice, resume="Découvrir le réemploi !")
    assert revision2 is None and directes == ["resume"]
    assert RevisionEvenement.objects.get().statut == R.RETIREE  # the place is back to the published one


def test_sans_le_reglage_les_champs_mineurs_attendent_aussi(settings, evenement, organisatrice):
    settings.EVENEMENTS_MODIFICATIONS_MINEURES_DIRECTES = False
    revision, directes = proposer(evenement, organisatrice, description="<p>Corrigé.</p>")
    evenement.refresh_from_db()
    assert directes == [] and revision is not None and "Corrigé" not in evenement.description


def test_proposer_de_nouveau_met_a_jour_sa_modification(evenement, organisatrice):
    premiere, _d = proposer(evenement, organisatrice, titre="Titre 1")
    seconde, _d = proposer(evenement, organisatrice, titre="Titre 2")
    assert premiere.pk == seconde.pk and RevisionEvenement.objects.get().valeurs["titre"] == "Titre 2"
    # Back to the published values: nothing left to change, the revision is withdrawn.
    aucune, _d = proposer(evenement, organisatrice)
    assert aucune is None and RevisionEvenement.objects.get().statut == R.RETIREE


def test_conflit_avec_une_modification_plus_recente_rien_n_est_perdu(evenement, organisatrice, structure, moderatrice):
    collegue = creer_utilisateur("acteur")
    AdhesionFactory(user=collegue, structure=structure)
    ancienne, _d = proposer(evenement, organisatrice, titre="Titre de l'organisatrice", tarif="3 €")
    recente, _d = proposer(evenement, collegue, titre="Titre du collègue")
    assert RevisionEvenement.objects.filter(statut=R.EN_ATTENTE).count() == 2  # both kept
    contexte = differences.contexte(ancienne)
    assert [a.pk for a in contexte["autres_revisions"]] == [recente.pk] and contexte["conflits"] == ""
    revisions.accepter_revision(recente, par=moderatrice)
    ancienne.refresh_from_db()
    assert ancienne.statut == R.EN_ATTENTE
    contexte = differences.contexte(ancienne)
    assert contexte["conflits"] == "« Titre »"
    assert [ligne["conflit"] for ligne in contexte["lignes"] if ligne["nom"] == "titre"] == [True]
    with pytest.raises(ActionImpossible, match="Conflit : l'événement a été modifié depuis cette proposition"):
        revisions.accepter_revision(ancienne, par=moderatrice)
    evenement.refresh_from_db()
    assert evenement.titre == "Titre du collègue"
    revisions.accepter_revision(ancienne, par=moderatrice, remplacer=True)
    evenement.refresh_from_db()
    assert (evenement.titre, evenement.tarif) == ("Titre de l'organisatrice", "3 €")


def test_un_changement_de_l_evenement_que_la_modification_ne_touche_pas_est_garde(
    evenement, organisatrice, moderatrice
):
    revision, _d = proposer(evenement, organisatrice, titre="Nouveau titre")
    evenement.refresh_from_db()
    evenement.tarif = "Prix libre"
    services.modifier_evenement(evenement, ["tarif"], par=moderatrice)
    revision = RevisionEvenement.objects.select_related("evenement").get(pk=revision.pk)
    contexte = differences.contexte(revision)
    assert contexte["conflits"] == "" and contexte["modifie_depuis"] == "« Tarif »"
    revisions.accepter_revision(revision, par=moderatrice)
    evenement.refresh_from_db()
    assert (evenement.titre, evenement.tarif) == ("Nouveau titre", "Prix libre")


def test_annuler_reste_immediat_et_la_modification_n_y_touche_pas(evenement, organisatrice, moderatrice):
    revision, _d = proposer(evenement, organisatrice, titre="Nouveau titre")
    sequence = evenement.sequence
    services.changer_statut(evenement, Evenement.Statut.ANNULE, par=organisatrice, motif="Salle indisponible.")
    evenement.refresh_from_db()
    assert evenement.statut == Evenement.Statut.ANNULE and evenement.sequence == sequence + 1
    revisions.accepter_revision(revision, par=moderatrice)
    evenement.refresh_from_db()
    assert evenement.statut == Evenement.Statut.ANNULE and evenement.titre == "Nouveau titre"


def test_refuser_demande_un_motif_et_previent(evenement, organisatrice, moderatrice):
    revision, _d = proposer(evenement, organisatrice, titre="Nouveau titre")
    with pytest.raises(ActionImpossible, match="Écrivez le motif du refus"):
        revisions.refuser_revision(revision, par=moderatrice, motif="  ")
    revisions.refuser_revision(revision, par=moderatrice, motif="Le titre doit rester court.")
    evenement.refresh_from_db()
    assert evenement.titre == "Visite de la ressourcerie"
    notification = Notification.objects.get(destinataire=organisatrice, titre__contains="pas été retenue")
    assert "Le titre doit rester court." in notification.message
    with pytest.raises(ActionImpossible, match="n'est plus en attente"):
        revisions.accepter_revision(revision, par=moderatrice)


def test_qui_peut_faire_quoi(evenement, organisatrice, moderatrice):
    intrus = creer_utilisateur("acteur")
    with pytest.raises(ActionImpossible, match="Seules les personnes qui organisent"):
        proposer(evenement, intrus, titre="Piraté")
    revision, _d = proposer(evenement, organisatrice, titre="Nouveau titre")
    for action in (revisions.accepter_revision, revisions.retirer_revision):
        with pytest.raises(ActionImpossible):
            action(revision, par=intrus)
    with pytest.raises(ActionImpossible, match="Seule l'équipe de modération"):
        revisions.refuser_revision(revision, par=organisatrice, motif="Non.")
    revisions.retirer_revision(revision, par=organisatrice)
    assert RevisionEvenement.objects.get().statut == R.RETIREE


def test_une_capacite_devenue_trop_petite_est_refusee_clairement(evenement, organisatrice, moderatrice):
    revision, _d = proposer(evenement, organisatrice, capacite=5)
    Evenement.objects.filter(pk=evenement.pk).update(nb_confirmes=8)
    with pytest.raises(ActionImpossible, match="8 sont déjà confirmées"):
        revisions.accepter_revision(revision, par=moderatrice)


def test_difference_mot_a_mot_echappee_et_accessible():
    avant, apres = differences.diff_mots("Une visite <b>guidée</b> du batiment", "Une visite <b>guidée</b> du bâtiment")
    assert "<b>" not in avant + apres and "&lt;b&gt;guidée&lt;/b&gt;" in avant
    assert '<del><span class="sr-only w-sr-only">[début du texte retiré]</span>batiment' in avant
    assert '<ins><span class="sr-only w-sr-only">[début du texte ajouté]</span>bâtiment' in apres
    assert "<ins>" not in avant and "<del>" not in apres


# --- Views -----------------------------------------------------------------------------------------


def test_l_organisatrice_voit_modifie_et_retire_sa_modification(client, evenement, organisatrice):
    revision, _d = proposer(evenement, organisatrice, titre="Visite guidée de la ressourcerie")
    url = reverse("evenements:revision", args=[evenement.slug, revision.pk])
    client.force_login(organisatrice)
    contenu = client.get(evenement.get_absolute_url()).content.decode()
    assert "Modification en attente de validation" in contenu and url in contenu
    contenu = client.get(url).content.decode()
    assert "Version publiée" in contenu and "<ins>" in contenu
    # The edit form starts from the pending revision.
    assert (
        'value="Visite guidée de la ressourcerie"'
        in client.get(reverse("evenements:modifier", args=[evenement.slug])).content.decode()
    )
    assert client.get(reverse("evenements:revision", args=["autre-slug", revision.pk])).status_code == 404
    assert client.get(reverse("evenements:revision", args=[evenement.slug, 999999])).status_code == 404
    reponse = client.post(reverse("evenements:revision_retirer", args=[evenement.slug, revision.pk]))
    assert reponse.status_code == 302
    assert RevisionEvenement.objects.get().statut == R.RETIREE
    reponse = client.post(reverse("evenements:revision_retirer", args=[evenement.slug, revision.pk]), follow=True)
    assert "plus en attente" in reponse.content.decode()


def test_une_autre_personne_ne_voit_pas_la_modification(client, evenement, organisatrice):
    revision, _d = proposer(evenement, organisatrice, titre="Nouveau titre")
    client.force_login(creer_utilisateur("acteur"))
    assert client.get(reverse("evenements:revision", args=[evenement.slug, revision.pk])).status_code == 404
    assert client.post(reverse("evenements:revision_retirer", args=[evenement.slug, revision.pk])).status_code == 404
    assert RevisionEvenement.objects.get().statut == R.EN_ATTENTE


def test_moderation_difference_acceptation_et_refus(client, evenement, organisatrice, moderatrice):
    revision, _d = proposer(
        evenement,
        organisatrice,
        description="<p>Une visite guidée du bâtiment.</p>",
        titre="Visite <script>alert(1)</script>",
    )
    client.force_login(moderatrice)
    url = reverse("evenements_revisions:detail", args=[revision.pk])
    contenu = client.get(url).content.decode()
    assert "Version publiée" in contenu and "Version proposée" in contenu
    assert "<script>alert" not in contenu and "&lt;script&gt;" in contenu
    assert "[début du texte ajouté]</span>bâtiment" in contenu
    reponse = client.post(url, {"action": "refuser", "motif": ""})
    assert reponse.status_code == 200 and "Écrivez le motif du refus" in reponse.content.decode()
    assert client.post(url, {"action": "accepter"}).status_code == 302
    evenement.refresh_from_db()
    assert "bâtiment" in evenement.description
    assert client.get(reverse("evenements_revisions:detail", args=[999999])).status_code == 404


def test_moderation_conflit_signale_en_francais(client, evenement, organisatrice, moderatrice):
    revision, _d = proposer(evenement, organisatrice, titre="Titre A")
    evenement.refresh_from_db()
    evenement.titre = "Titre corrigé par la modération"
    services.modifier_evenement(evenement, ["titre"], par=moderatrice)
    client.force_login(moderatrice)
    url = reverse("evenements_revisions:detail", args=[revision.pk])
    assert "Rien n'est perdu" in client.get(url).content.decode()
    reponse = client.post(url, {"action": "accepter"})
    assert reponse.status_code == 200 and "Conflit" in reponse.content.decode()
    assert client.post(url, {"action": "accepter", "remplacer": "on"}).status_code == 302
    evenement.refresh_from_db()
    assert evenement.titre == "Titre A"


def test_file_des_modifications_requetes_constantes(
    client, settings, moderatrice, structure, django_assert_max_num_queries
):
    settings.CACHE_PAGES = False
    client.force_login(moderatrice)
    url = reverse("evenements_revisions:index")

    def ajouter(n):
        for _i in range(n):
            personne = creer_utilisateur("acteur")
            evenement = EvenementFactory(propose_par=personne, structures=[structure])
            proposer(evenement, personne, titre=f"Modifié {evenement.pk}")

    ajouter(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    ajouter(8)
    with django_assert_max_num_queries(len(requetes)):
        contenu = client.get(url).content.decode()
    assert len(set(re.findall(r"/agenda/revisions/(\d+)/", contenu))) == 10


def test_un_membre_d_une_structure_organisatrice_propose_par_le_formulaire(client, settings):
    from .test_formulaires_proposer import URL, donnees

    settings.EVENEMENTS_MODIFICATIONS_MINEURES_DIRECTES = True
    settings.EVENEMENTS_CHAMPS_MINEURS = ["description"]
    ressourcerie = StructureFactory(nom="Ressourcerie de la Lère", slug="ressourcerie-lere")
    velo = StructureFactory(nom="Vélo-Cité Atelier", slug="velo-cite")
    proposant, collegue = creer_utilisateur("acteur"), creer_utilisateur("acteur")
    for structure in (ressourcerie, velo):
        AdhesionFactory(user=proposant, structure=structure)
    AdhesionFactory(user=collegue, structure=velo)
    client.force_login(proposant)
    client.post(URL, donnees())
    evenement = Evenement.objects.get()
    Evenement.objects.filter(pk=evenement.pk).update(publication=Evenement.Publication.PUBLIE)
    sequence = Evenement.objects.get().sequence
    client.force_login(collegue)
    url = reverse("evenements:modifier", args=[evenement.slug])
    assert "Proposer une modification" in client.get(evenement.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    valeurs = donnees(
        titre="Visite de la Ressourcerie et de l'atelier", description="<p>Une visite <em>guidée</em> !</p>"
    )
    reponse = client.post(url, valeurs, follow=True)
    contenu = reponse.content.decode()
    assert "sont en ligne" in contenu and "modification en attente de validation" in contenu
    evenement.refresh_from_db()
    assert "guidée</em> !" in evenement.description and evenement.titre == "Visite de la Ressourcerie"
    assert evenement.sequence == sequence
    revision = RevisionEvenement.objects.get(auteur=collegue)
    assert revision.valeurs["titre"] == "Visite de la Ressourcerie et de l'atelier"
    # A person outside the organising structures is refused.
    client.force_login(creer_utilisateur("acteur"))
    assert client.get(url).status_code == 403
