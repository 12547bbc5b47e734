"""A meeting held without being scheduled beforehand is recorded afterwards (attendance and minutes), by the
animation or the secrétariat; the admin's meeting list writes future dates in Europe/Paris (issue 17)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from ateliers import services
from ateliers.models import CompteRendu, Cycle, Reunion
from conseil_ess.comptes.models import Notification
from evenements.filters import PARIS
from evenements.models import Evenement, TypeEvenement
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import LieuFactory, dans

from .fabriques import AtelierFactory, ParticipationFactory, creer_reunion

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def animateur(db):
    return creer_utilisateur("acteur", first_name="Nadia", last_name="Benarfa")


@pytest.fixture
def atelier(animateur):
    return AtelierFactory(titre="Alimentation durable", slug="alimentation", animateurs=[animateur])


@pytest.fixture
def membre(atelier):
    user = creer_utilisateur("acteur", first_name="Louis", last_name="Marchal")
    ParticipationFactory(atelier=atelier, user=user)
    return user


def donnees(jour, **kwargs):
    d = {
        "titre": "", "resume": "Réunion improvisée au marché.", "ordre_du_jour": "", "description": "",
        "date": jour.isoformat(), "heure_debut": "09:00", "heure_fin": "11:00", "mode": "presentiel",
        "lieu": LieuFactory(nom="Halle du marché").pk, "precision_lieu": "", "lien_en_ligne": "",
        "visibilite": "public", "participants_sans_compte": "6", "compte_rendu": "", "interne": "",
    }
    d.update(kwargs)
    return {k: v for k, v in d.items() if v != ""} | {k: "" for k, v in d.items() if v == "" and k != "interne"}


def entree(reunion, action):
    return ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Reunion),
                                        object_id=str(reunion.pk), action=action)


def test_l_animation_enregistre_une_reunion_passee_avec_presences_et_compte_rendu(client, animateur, atelier, membre):
    jour = timezone.localdate(timezone=PARIS) - datetime.timedelta(days=12)
    client.force_login(animateur)
    adresse = reverse("ateliers:reunion_passee", args=[atelier.slug])
    assert adresse in client.get(reverse("ateliers:gerer", args=[atelier.slug])).content.decode()

    reponse = client.post(adresse, donnees(jour, presents=[membre.pk], compte_rendu="<p>Nous avons parlé.</p>",
                                           publier="on"))

    reunion = Reunion.objects.get(atelier=atelier)
    assert reponse.status_code == 302 and reponse["Location"] == reunion.get_absolute_url()
    evenement = reunion.evenement
    assert timezone.localtime(evenement.debut, PARIS).date() == jour
    assert evenement.type == TypeEvenement.REUNION_ATELIER and evenement.publication == Evenement.Publication.PUBLIE
    assert set(reunion.presences.values_list("user_id", flat=True)) == {membre.pk}
    assert reunion.nb_participants == 7
    assert reunion.compte_rendu.statut == CompteRendu.Statut.PUBLIE
    assert "Nous avons parlé" in reunion.compte_rendu.contenu
    journal = entree(reunion, "conseil.reunion.enregistree_a_posteriori").get()
    assert journal.user_id == animateur.pk
    assert str(registry.get_action_label(journal.action)) == "Réunion non planifiée enregistrée a posteriori"
    assert not entree(reunion, "conseil.reunion.planifiee").exists()
    titres = list(Notification.objects.filter(destinataire=membre).values_list("titre", flat=True))
    assert not any(t.startswith("Nouvelle réunion") for t in titres), titres  # no announcement of the past
    assert any(t.startswith("Compte rendu publié") for t in titres), titres
    # The meeting appears among the past ones of the animation's page, its minutes on its page.
    assert reunion.get_absolute_url() in client.get(reverse("ateliers:gerer", args=[atelier.slug])).content.decode()


def test_les_deux_formulaires_de_reunion_partagent_leurs_champs_chacun_son_aide(client, animateur, atelier):
    """Planning a meeting and recording a past one show the same meeting fields (one shared template), each with
    its own help under « Quand »; only the past one asks for attendance and minutes."""
    client.force_login(animateur)
    passee = client.get(reverse("ateliers:reunion_passee", args=[atelier.slug])).content.decode()
    nouvelle = client.get(reverse("ateliers:reunion_nouvelle", args=[atelier.slug])).content.decode()
    for nom in ("titre", "resume", "ordre_du_jour", "description", "date", "heure_debut", "heure_fin", "mode", "lieu",
                "precision_lieu", "lien_en_ligne", "visibilite"):
        assert f'name="{nom}"' in passee and f'name="{nom}"' in nouvelle, nom
    assert '<p class="aide">Heures de Paris ; aujourd\'hui ou un jour passé.</p>' in passee
    assert '<p class="aide">Heures de Paris.</p>' in nouvelle
    assert 'name="participants_sans_compte"' in passee and 'name="participants_sans_compte"' not in nouvelle


def test_une_date_a_venir_est_refusee_avec_un_message_pres_du_champ(client, animateur, atelier):
    client.force_login(animateur)
    demain = timezone.localdate(timezone=PARIS) + datetime.timedelta(days=1)

    reponse = client.post(reverse("ateliers:reunion_passee", args=[atelier.slug]), donnees(demain))

    assert reponse.status_code == 200
    assert reponse.context["form"].errors["date"] == ["Cette date est à venir : planifiez plutôt la réunion."]
    assert "Réunion improvisée au marché." in reponse.content.decode()  # the data stays
    assert not Reunion.objects.exists()


def test_sans_compte_rendu_la_reunion_est_enregistree_sans_et_publier_exige_un_texte(client, animateur, atelier):
    client.force_login(animateur)
    hier = timezone.localdate(timezone=PARIS) - datetime.timedelta(days=1)
    adresse = reverse("ateliers:reunion_passee", args=[atelier.slug])

    refuse = client.post(adresse, donnees(hier, publier="on"))
    assert refuse.status_code == 200 and "compte_rendu" in refuse.context["form"].errors

    assert client.post(adresse, donnees(hier)).status_code == 302
    reunion = Reunion.objects.get()
    assert not CompteRendu.objects.filter(reunion=reunion).exists()
    assert reunion.participants_sans_compte == 6


def test_le_service_refuse_qui_n_anime_pas_et_une_date_a_venir(atelier, animateur):
    acteur = creer_utilisateur("acteur")
    passe = dans(-3)
    evenement = Evenement(debut=passe, fin=passe + datetime.timedelta(hours=2), lieu=LieuFactory())
    with pytest.raises(services.ActionImpossible):
        services.enregistrer_reunion_passee(atelier, evenement, acteur)
    futur = dans(3)
    with pytest.raises(services.ActionImpossible):
        services.enregistrer_reunion_passee(
            atelier, Evenement(debut=futur, fin=futur + datetime.timedelta(hours=1), lieu=LieuFactory()), animateur)
    assert not Reunion.objects.exists()


def test_le_secretariat_enregistre_aussi_pour_un_cycle_archive_l_animation_non(client, agent, animateur, atelier):
    atelier.cycle.statut = Cycle.Statut.ARCHIVE
    atelier.cycle.save()
    jour = timezone.localdate(timezone=PARIS) - datetime.timedelta(days=30)
    adresse = reverse("ateliers:reunion_passee", args=[atelier.slug])
    client.force_login(animateur)
    assert client.post(adresse, donnees(jour)).status_code == 403  # the animation no longer runs an archived atelier
    client.force_login(agent)

    assert client.post(adresse, donnees(jour)).status_code == 302

    reunion = Reunion.objects.get()
    assert entree(reunion, "conseil.reunion.enregistree_a_posteriori").get().user_id == agent.pk


# --- The admin's meeting list ----------------------------------------------------------------------

def test_la_liste_de_l_admin_ecrit_les_dates_a_venir_en_heure_de_paris(client, agent, atelier):
    a_venir = creer_reunion(atelier, jours=9)
    client.force_login(agent)

    reponse = client.get(reverse("ateliers_reunions:index"))

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Il y a 0" not in html and "0 minute" not in html
    local = timezone.localtime(a_venir.evenement.debut, PARIS)
    assert f"{local.day} " in html and "18 h" in html
    assert "(dans 9 jours)" in html
    # Each atelier of the admin's list offers to record a past meeting on the site.
    ateliers = client.get(reverse("ateliers_ateliers:index")).content.decode()
    assert reverse("ateliers:reunion_passee", args=[atelier.slug]) in ateliers
