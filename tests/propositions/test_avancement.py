"""The élu·e in charge of an adopted proposal (and the secrétariat) records its follow-up from the engagement page:
dated points with the progress, indicators and their values (``views_suivi.avancement``, issue 18). Each entry
is public on the proposal's page and reaches its followers; anyone else gets a French 403 page."""

import datetime
import html as html_module

import pytest
import rules
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from conseil_ess.comptes.models import Notification
from conseil_ess.propositions import services
from conseil_ess.propositions.models import Etat, Indicateur, PointSuivi, ValeurIndicateur
from tests.conftest import creer_utilisateur

from .fabriques import PropositionFactory, amener_a

pytestmark = pytest.mark.django_db


def texte(reponse):
    return html_module.unescape(reponse.content.decode())


@pytest.fixture
def monde():
    elue = creer_utilisateur("elu", first_name="Nadia", last_name="Benali")
    proposition = amener_a(PropositionFactory(titre="Clauses sociales"), Etat.EN_OEUVRE, responsable_elu=elue)
    suiveuse = creer_utilisateur("acteur")
    services.suivre(proposition, suiveuse)
    return proposition, elue, suiveuse


def url_avancement(p):
    return reverse("propositions:avancement", args=[p.reference])


def url_engagement(p):
    return reverse("propositions:engagement", args=[p.reference])


def notifications(user):
    return list(Notification.objects.filter(destinataire=user).values_list("message", flat=True))


# --- The rule ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("etat", "attendus"), [
    (Etat.EN_OEUVRE, {"agent", "responsable"}),
    (Etat.REALISEE, {"agent", "responsable"}),
    (Etat.ADOPTEE, {"agent"}),
    (Etat.EN_ATELIER, set()),
])
def test_regle_enregistrer_avancement(etat, attendus):
    responsable = creer_utilisateur("elu")
    personnes = {"acteur": creer_utilisateur("acteur"), "animateur": creer_utilisateur("animateur"),
                 "agent": creer_utilisateur("agent"), "elu": creer_utilisateur("elu"), "responsable": responsable}
    proposition = PropositionFactory(auteur=personnes["acteur"])
    amener_a(proposition, etat, responsable_elu=responsable)
    if etat in (Etat.ADOPTEE, Etat.EN_ATELIER):
        proposition.responsable_elu = None
    accordes = {nom for nom, user in personnes.items()
                if rules.has_perm("propositions.enregistrer_avancement", user, proposition)}
    assert accordes == attendus
    # The author is never in charge of the follow-up, and an élu·e in charge who is no longer an élu·e neither.
    assert "acteur" not in accordes
    proposition.responsable_elu = personnes["acteur"]
    assert not rules.has_perm("propositions.enregistrer_avancement", personnes["acteur"], proposition)


# --- The services: each entry reaches the followers, and is in the audit trail -------------------------------


def test_indicateur_et_valeur_previennent_les_abonnes(monde, django_capture_on_commit_callbacks):
    proposition, elue, suiveuse = monde
    with django_capture_on_commit_callbacks(execute=True):
        indicateur = services.ajouter_indicateur(proposition, "Marchés avec clause sociale", elue, unite="%")
        services.ajouter_valeur(indicateur, datetime.date(2026, 3, 31), 12.5, elue)
    messages = notifications(suiveuse)
    assert "Nouvel indicateur suivi : Marchés avec clause sociale" in messages
    assert "Marchés avec clause sociale : 12,5 % au 31 mars 2026" in messages
    # The author hears of it too; the élue who wrote it does not.
    assert len(notifications(proposition.auteur)) >= 2
    assert not Notification.objects.filter(destinataire=elue, message__contains="clause sociale").exists()
    actions = set(ModelLogEntry.objects.filter(user=elue).values_list("action", flat=True))
    assert {"conseil.proposition.indicateur_ajoute", "conseil.proposition.valeur_indicateur"} <= actions


# --- The views -----------------------------------------------------------------------------------------------


def test_la_page_d_engagement_offre_les_formulaires_a_l_elue_responsable(client, monde):
    proposition, elue, _ = monde
    client.force_login(elue)
    html = texte(client.get(url_engagement(proposition)))
    assert 'id="avancement"' in html
    assert f'action="{url_avancement(proposition)}"' in html
    assert 'name="point-texte"' in html and 'name="indicateur-libelle"' in html
    assert 'name="valeur-valeur"' not in html  # no indicator yet: no value to record
    # A GET of the action leads to the forms.
    reponse = client.get(url_avancement(proposition))
    assert reponse.status_code == 302 and reponse["Location"] == url_engagement(proposition) + "#avancement"


def test_une_autre_elue_voit_l_engagement_sans_formulaires(client, monde):
    proposition, _, _ = monde
    client.force_login(creer_utilisateur("elu"))
    html = texte(client.get(url_engagement(proposition)))
    assert 'id="avancement"' not in html and "point-texte" not in html


def test_l_elue_responsable_ajoute_un_point_de_suivi(client, monde, django_capture_on_commit_callbacks):
    proposition, elue, suiveuse = monde
    client.force_login(elue)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url_avancement(proposition), {
            "action": "point", "point-date": "2026-01-15", "point-avancement": "40",
            "point-texte": "Premier marché attribué.\n\nDeux autres en préparation."})
    assert reponse.status_code == 302
    assert reponse["Location"] == url_engagement(proposition) + "#avancement"
    point = PointSuivi.objects.get(proposition=proposition)
    assert point.date == datetime.date(2026, 1, 15) and point.auteur == elue
    proposition.refresh_from_db()
    assert proposition.avancement == 40
    assert any(m.startswith("Nouveau point de suivi : Premier marché attribué.") for m in notifications(suiveuse))
    assert ModelLogEntry.objects.filter(action="conseil.proposition.point_suivi", user=elue).exists()
    suite = texte(client.get(reponse["Location"]))
    assert "Point de suivi ajouté ; les personnes qui suivent la proposition sont prévenues." in suite
    # On the public page, in the follow-up timeline, its paragraphs kept.
    client.logout()
    public = texte(client.get(proposition.get_absolute_url()))
    assert "<p>Premier marché attribué.</p>" in public and "<p>Deux autres en préparation.</p>" in public
    assert 'value="40"' in public


def test_le_secretariat_ajoute_un_indicateur_puis_une_valeur(client, monde):
    proposition, _, suiveuse = monde
    client.force_login(creer_utilisateur("agent"))
    reponse = client.post(url_avancement(proposition), {
        "action": "indicateur", "indicateur-libelle": "Heures d'insertion", "indicateur-unite": "heures",
        "indicateur-cible": "5000"})
    assert reponse.status_code == 302
    indicateur = Indicateur.objects.get(proposition=proposition)
    html = texte(client.get(url_engagement(proposition)))
    assert 'name="valeur-valeur"' in html
    reponse = client.post(url_avancement(proposition), {
        "action": "valeur", "valeur-indicateur": indicateur.pk, "valeur-date": "2026-02-01",
        "valeur-valeur": "1200", "valeur-commentaire": "Premier trimestre"})
    assert reponse.status_code == 302
    valeur = ValeurIndicateur.objects.get(indicateur=indicateur)
    assert valeur.valeur == 1200 and valeur.commentaire == "Premier trimestre"
    public = texte(client.get(proposition.get_absolute_url()))
    assert "Heures d'insertion" in public and "1 200" in public.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.dates
def test_erreurs_en_francais_et_saisie_conservee(client, monde):
    proposition, elue, _ = monde
    client.force_login(elue)
    demain = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    reponse = client.post(url_avancement(proposition), {
        "action": "point", "point-date": demain, "point-avancement": "150", "point-texte": "Texte gardé"})
    assert reponse.status_code == 400
    html = texte(reponse)
    assert "Cette date n'est pas encore arrivée : datez ce qui est déjà constaté." in html
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100." in html
    assert "Texte gardé</textarea>" in html
    assert "Le formulaire contient des erreurs." in html
    reponse = client.post(url_avancement(proposition), {"action": "point", "point-texte": "  "})
    assert reponse.status_code == 400 and "Écrivez le point de suivi." in texte(reponse)
    reponse = client.post(url_avancement(proposition), {
        "action": "valeur", "valeur-indicateur": "999999", "valeur-date": "2026-01-01", "valeur-valeur": "abc"})
    assert reponse.status_code == 400
    assert "Saisissez un nombre." in texte(reponse)
    assert not PointSuivi.objects.filter(proposition=proposition).exists()
    assert not ValeurIndicateur.objects.exists()


def test_quatrieme_indicateur_refuse_en_francais(client, monde):
    proposition, elue, _ = monde
    for i in range(3):
        services.ajouter_indicateur(proposition, f"Indicateur {i}", elue)
    client.force_login(elue)
    html = texte(client.get(url_engagement(proposition)))
    assert 'name="indicateur-libelle"' not in html
    assert "Trois indicateurs au plus par proposition" in html
    reponse = client.post(url_avancement(proposition), {"action": "indicateur", "indicateur-libelle": "Un de trop"})
    assert reponse.status_code == 400
    assert "Trois indicateurs au plus par proposition : peu, mais suivis." in texte(reponse)
    assert proposition.indicateurs.count() == 3


@pytest.mark.parametrize("role", ["elu", "acteur", "animateur", "auteur"])
def test_les_autres_recoivent_un_refus_en_francais(client, monde, role):
    proposition, _, _ = monde
    user = proposition.auteur if role == "auteur" else creer_utilisateur(role)
    client.force_login(user)
    reponse = client.post(url_avancement(proposition), {"action": "point", "point-texte": "Intrus"})
    assert reponse.status_code == 403
    html = texte(reponse)
    assert "Seul·e l'élu·e responsable de la mise en œuvre de cette proposition, ou le secrétariat" in html
    assert proposition.get_absolute_url() in html
    assert not PointSuivi.objects.exists()


def test_refus_avant_l_adoption(client):
    proposition = amener_a(PropositionFactory(), Etat.EN_ATELIER)
    client.force_login(creer_utilisateur("agent"))
    reponse = client.post(url_avancement(proposition), {"action": "point", "point-texte": "Trop tôt"})
    assert reponse.status_code == 403
    assert "Le suivi commence quand la proposition est adoptée : elle est « En travail en atelier »." in texte(reponse)
    assert not PointSuivi.objects.exists()


def test_requetes_constantes(client, monde, settings, django_assert_max_num_queries):
    """The engagement page with its forms runs as many queries with one entry as with many."""
    settings.CACHE_PAGES = False
    proposition, elue, _ = monde
    client.force_login(elue)

    def ajouter(n, debut):
        for i in range(n):
            indicateur = services.ajouter_indicateur(proposition, f"Indicateur {debut + i}", elue)
            for j in range(4):
                services.ajouter_valeur(indicateur, datetime.date(2025, 1, 1 + j), j, elue)
            services.ajouter_point_suivi(proposition, f"Point {debut + i}", elue, date=datetime.date(2025, 2, 1 + i))

    ajouter(1, 0)
    client.get(url_engagement(proposition))  # warm the session and the content types
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url_engagement(proposition)).status_code == 200
    ajouter(2, 1)
    with django_assert_max_num_queries(len(requetes)):
        html = texte(client.get(url_engagement(proposition)))
    assert "Indicateur 2" in html and "Point 2" in html
