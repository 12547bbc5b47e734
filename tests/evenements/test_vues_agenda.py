"""/agenda/: the list, its filters (each narrows, bad values never 500), the month view, query counts."""

import datetime

import icalendar
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from conseil_ess.comptes.models import ChampAction
from evenements.models import Accessibilite, Evenement
from tests.factories import CommuneFactory, StructureFactory

from .fabriques import EvenementFactory, LieuFactory, ProgrammeFactory, creer_en_masse, dans, paris, public

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
URL = reverse("evenements:agenda")


def titres(reponse):
    return {e.titre for e in reponse.context["evenements"]}


def test_liste_des_evenements_a_venir_publies_et_publics(client):
    EvenementFactory(titre="À venir")
    EvenementFactory(titre="Passé", debut=dans(-3), fin=dans(-3, 20))
    EvenementFactory(titre="Brouillon", publication=Evenement.Publication.BROUILLON)
    EvenementFactory(titre="À modérer", publication=Evenement.Publication.A_MODERER)
    EvenementFactory(titre="Réservé", visibilite=Evenement.Visibilite.MEMBRES)
    reponse = client.get(URL)
    assert reponse.status_code == 200
    assert titres(reponse) == {"À venir"}
    assert "À venir" in reponse.content.decode()


def test_les_personnes_connectees_voient_aussi_les_evenements_reserves(client, acteur):
    EvenementFactory(titre="Réservé", visibilite=Evenement.Visibilite.MEMBRES)
    client.force_login(acteur)
    assert titres(client.get(URL)) == {"Réservé"}


def test_pagination_par_vingt_en_gardant_les_filtres(client):
    commune = CommuneFactory(slug="lanvallon", nom="Lanvallon")
    lieu = LieuFactory(commune=commune)
    for i in range(25):
        EvenementFactory(lieu=lieu, debut=dans(i + 1), fin=dans(i + 1, 20))
    reponse = client.get(URL, {"commune": "lanvallon"})
    assert len(reponse.context["evenements"]) == 20
    assert "?commune=lanvallon&amp;page=2" in reponse.content.decode()
    assert len(client.get(URL, {"commune": "lanvallon", "page": 2}).context["evenements"]) == 5


def test_evenements_passes_par_la_bascule_et_par_les_dates(client):
    EvenementFactory(titre="À venir")
    EvenementFactory(titre="Passé", debut=dans(-3), fin=dans(-3, 20))
    reponse = client.get(URL, {"passes": "1"})
    assert titres(reponse) == {"Passé"}
    assert "1 événement passé" in reponse.content.decode()
    debut = (dans(-5)).date().isoformat()
    assert titres(client.get(URL, {"du": debut})) == {"À venir", "Passé"}


def test_sans_parametre_l_agenda_commence_maintenant_et_son_formulaire_est_vide(client):
    """Without any parameter the filter set is unbound (no validation): the same events and the same empty form
    as with an empty filter in the query string."""
    EvenementFactory(titre="À venir")
    EvenementFactory(titre="En cours", debut=dans(-1), fin=dans(1))
    EvenementFactory(titre="Passé", debut=dans(-3), fin=dans(-3, 20))
    sans = client.get(URL)
    assert titres(sans) == {"À venir", "En cours"}
    assert sans.context["filtre"].is_bound is False
    avec = client.get(URL, {"type": ""})
    assert avec.context["filtre"].is_bound is True
    assert titres(avec) == titres(sans)
    formulaire = str(sans.content.decode()).split('<form', 1)[1].split("</form>", 1)[0]
    assert formulaire == avec.content.decode().split('<form', 1)[1].split("</form>", 1)[0]


@pytest.fixture
def panel():
    """Two events that differ on every filter."""
    lanvallon = CommuneFactory(slug="lanvallon", nom="Lanvallon")
    rivebelle = CommuneFactory(slug="rivebelle", nom="Rivebelle")
    mois = ProgrammeFactory(slug="mois-ess-2026")
    champ1, champ5 = ChampAction.objects.get(numero=1), ChampAction.objects.get(numero=5)
    a = EvenementFactory(
        titre="Ciné-débat", type="projection_debat", lieu=LieuFactory(commune=lanvallon), programme=mois,
        publics=[public("grand-public")], champs=[champ1], gratuit=False, tarif="4 €",
        accessibilite=Accessibilite.OUI, boucle_magnetique=True, debut=dans(3), fin=dans(3, 21),
    )
    b = EvenementFactory(
        titre="Webinaire ESUS", type="webinaire", mode=Evenement.Mode.EN_LIGNE, lieu=None, commune=rivebelle,
        lien_en_ligne="https://visio.example.org/esus", publics=[public("professionnels")], champs=[champ5],
        interpretation_lsf=True, sous_titrage=True, facile_a_lire=True, debut=dans(20), fin=dans(20, 19),
    )
    return a, b


@pytest.mark.parametrize(("parametres", "attendu"), [
    ({"type": "projection_debat"}, {"Ciné-débat"}),
    ({"commune": "rivebelle"}, {"Webinaire ESUS"}),
    ({"programme": "mois-ess-2026"}, {"Ciné-débat"}),
    ({"public": "professionnels"}, {"Webinaire ESUS"}),
    ({"champ": "1"}, {"Ciné-débat"}),
    ({"tarif": "payant"}, {"Ciné-débat"}),
    ({"tarif": "gratuit"}, {"Webinaire ESUS"}),
    ({"mode": "en_ligne"}, {"Webinaire ESUS"}),
    ({"mode": "sur_place"}, {"Ciné-débat"}),
    ({"acces": "fauteuil"}, {"Ciné-débat"}),
    ({"acces": "boucle"}, {"Ciné-débat"}),
    ({"acces": "lsf"}, {"Webinaire ESUS"}),
    ({"acces": "sous_titrage"}, {"Webinaire ESUS"}),
    ({"acces": "falc"}, {"Webinaire ESUS"}),
    ({"acces": ["fauteuil", "lsf"]}, set()),
    ({"au": "DEBUT+5"}, {"Ciné-débat"}),
    ({"du": "DEBUT+10"}, {"Webinaire ESUS"}),
])
def test_chaque_filtre_restreint_la_liste(client, panel, parametres, attendu):
    aujourdhui = dans(0).date()
    for cle, valeur in parametres.items():
        if isinstance(valeur, str) and valeur.startswith("DEBUT+"):
            parametres[cle] = (aujourdhui + datetime.timedelta(days=int(valeur[6:]))).isoformat()
    assert titres(client.get(URL, {})) == {"Ciné-débat", "Webinaire ESUS"}
    reponse = client.get(URL, parametres)
    assert reponse.status_code == 200
    assert titres(reponse) == attendu
    assert not reponse.context["filtre"].errors


def test_filtres_combines_et_url_partageable(client, panel):
    reponse = client.get(URL, {"commune": "lanvallon", "tarif": "payant", "acces": ["fauteuil", "boucle"]})
    assert titres(reponse) == {"Ciné-débat"}
    contenu = reponse.content.decode()
    # The subscribe block offers the same filters as an iCal feed, in webcal:// and https.
    assert "webcal://testserver/agenda.ics?commune=lanvallon&amp;tarif=payant&amp;acces=fauteuil&amp;acces=boucle" \
        in contenu
    assert "http://testserver/agenda.ics?commune=lanvallon&amp;tarif=payant&amp;acces=fauteuil&amp;acces=boucle" \
        in contenu
    assert "S'abonner" in contenu


@pytest.mark.parametrize("parametres", [
    {"du": "31/02/2026"}, {"du": "pas-une-date"}, {"au": "2026-13-45"}, {"du": "99999-01-01"},
    {"commune": "inconnue"}, {"programme": "<script>"}, {"public": "x" * 500}, {"champ": "99"},
    {"champ": "99999999999999999999999"}, {"champ": "-1"}, {"type": "inconnu"}, {"tarif": "peut-etre"},
    {"mode": "télépathie"}, {"acces": "jetpack"}, {"passes": "\x00"}, {"page": "abc"}, {"page": "999"},
    {"vue": "mois", "mois": "2026-13"}, {"vue": "mois", "mois": "n'importe quoi"}, {"vue": "mois", "mois": "0-1"},
    {"vue": "mois", "mois": "99999-01"}, {"vue": "mois", "du": "hier"},
])
def test_valeurs_invalides_sans_erreur_serveur(client, panel, parametres):
    reponse = client.get(URL, parametres)
    assert reponse.status_code == 200


def test_filtre_invalide_ignore_avec_message(client, panel):
    reponse = client.get(URL, {"commune": "atlantide", "type": "webinaire", "du": "31/02/2026"})
    contenu = reponse.content.decode()
    assert titres(reponse) == {"Webinaire ESUS"}  # the valid filter applies, the two bad ones are ignored
    assert "Certains filtres ne sont pas valides" in contenu
    assert 'aria-invalid="true"' in contenu
    assert "Sélectionnez un choix valide" in contenu
    assert "Saisissez une date valide" in contenu


def test_vue_mois_regroupe_par_jour_et_navigue(client):
    EvenementFactory(titre="Lancement", debut=paris(2026, 11, 3, 18, 30), fin=paris(2026, 11, 3, 21))
    EvenementFactory(titre="Exposition", journee_entiere=True, debut=paris(2026, 11, 3), fin=paris(2026, 11, 28))
    EvenementFactory(titre="Marché", debut=paris(2026, 11, 7, 8), fin=paris(2026, 11, 7, 13))
    EvenementFactory(titre="Octobre", debut=paris(2026, 10, 30, 8), fin=paris(2026, 10, 30, 13))
    EvenementFactory(titre="Décembre", debut=paris(2026, 12, 1, 0), fin=paris(2026, 12, 1, 2))
    reponse = client.get(URL, {"vue": "mois", "mois": "2026-11"})
    assert reponse.status_code == 200
    contexte = reponse.context
    assert [e.titre for e in contexte["longs"]] == ["Exposition"]
    assert [(jour, [e.titre for e in evs]) for jour, evs in contexte["jours"]] == [
        (datetime.date(2026, 11, 3), ["Lancement"]), (datetime.date(2026, 11, 7), ["Marché"]),
    ]
    contenu = reponse.content.decode().replace("\xa0", " ")
    assert "<h1>Agenda de l'ESS – novembre 2026</h1>" in contenu
    assert "mardi 3 novembre 2026" in contenu
    assert "18 h 30 – 21 h" in contenu
    assert 'href="?vue=mois&amp;mois=2026-10"' in contenu
    assert 'href="?vue=mois&amp;mois=2026-12"' in contenu
    assert 'href="#jour-2026-11-07"' in contenu
    assert "<caption>" in contenu


def test_vue_mois_garde_les_filtres_et_un_mois_invalide_montre_le_mois_courant(client, panel):
    reponse = client.get(URL, {"vue": "mois", "mois": "2026-02", "tarif": "payant"})
    assert "mois=2026-01&amp;tarif=payant" in reponse.content.decode()
    assert "webcal://testserver/agenda.ics?tarif=payant" in reponse.content.decode()
    reponse = client.get(URL, {"vue": "mois", "mois": "2026-13"})
    assert reponse.context["mois_invalide"]
    assert "Le mois demandé n'est pas valide" in reponse.content.decode()


def test_evenement_annule_visible_et_marque_dans_la_liste(client):
    EvenementFactory(titre="Visite du chantier", statut=Evenement.Statut.ANNULE, motif_statut="Reporté au printemps")
    contenu = client.get(URL).content.decode()
    assert "Visite du chantier" in contenu
    assert "etiquette--annule" in contenu and "Reporté au printemps" in contenu


@pytest.mark.parametrize("parametres", [{}, {"vue": "mois", "mois": "MOIS"}, {"commune": "lanvallon"}])
def test_nombre_de_requetes_constant(client, django_assert_max_num_queries, parametres):
    """10 events or 500: the same number of queries (select_related / prefetch_related)."""
    lanvallon = CommuneFactory(slug="lanvallon", nom="Lanvallon")
    structures = [StructureFactory(), StructureFactory()]
    publics = [public("grand-public"), public("jeunes")]
    champs = list(ChampAction.objects.all()[:2])
    premier = dans(1).date()
    if parametres.get("mois") == "MOIS":
        parametres = {"vue": "mois", "mois": premier.strftime("%Y-%m")}
        premier = premier.replace(day=1)
    client.get(URL)  # warm-up: the site's header and footer create their settings rows on first use
    comptes = []
    for n in (10, 500):
        Evenement.objects.all().delete()
        creer_en_masse(n, premier, structures=structures, publics=publics, champs=champs)
        Evenement.objects.filter(pk__in=Evenement.objects.values("pk")[:3]).update(commune=lanvallon)
        with django_assert_max_num_queries(20) as requetes:
            reponse = client.get(URL, parametres)
        assert reponse.status_code == 200
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1], comptes


def test_gabarit_prochains_evenements(rf=None):
    EvenementFactory(titre="Bientôt", debut=dans(2), fin=dans(2, 20))
    EvenementFactory(titre="Plus tard", debut=dans(30), fin=dans(30, 20))
    EvenementFactory(titre="Encore plus tard", debut=dans(60), fin=dans(60, 20))
    EvenementFactory(titre="Réservé", debut=dans(1), fin=dans(1, 20), visibilite=Evenement.Visibilite.MEMBRES)
    EvenementFactory(titre="Brouillon", debut=dans(1), fin=dans(1, 20), publication="brouillon")
    requete = RequestFactory().get("/")
    html = Template("{% load agenda %}{% prochains_evenements 2 %}").render(Context({"request": requete}))
    assert "Bientôt" in html and "Plus tard" in html
    assert "Encore plus tard" not in html and "Réservé" not in html and "Brouillon" not in html
    assert 'href="/agenda/"' in html


def test_flux_ical_de_l_agenda_avec_les_memes_filtres(client, panel):
    reponse = client.get(reverse("evenements:agenda_ics"), {"commune": "lanvallon", "acces": "boucle"})
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    calendrier = icalendar.Calendar.from_ical(reponse.content)
    assert [str(e["SUMMARY"]) for e in calendrier.walk("VEVENT")] == ["Ciné-débat"]
    assert str(calendrier["X-WR-CALNAME"]) == "Agenda de l'ESS – Rivebelle Métropole – Lanvallon"
    # A bad value is ignored, as on the page: never a server error.
    reponse = client.get(reverse("evenements:agenda_ics"), {"commune": "atlantide", "du": "31/02/2026"})
    assert reponse.status_code == 200
    assert "Ciné-débat" in reponse.content.decode() and "Webinaire ESUS" in reponse.content.decode()


def test_flux_ical_de_l_agenda_sans_les_evenements_reserves_ni_brouillons(client, acteur):
    EvenementFactory(titre="Public")
    EvenementFactory(titre="Réservé", visibilite=Evenement.Visibilite.MEMBRES)
    EvenementFactory(titre="Brouillon", publication="brouillon")
    client.force_login(acteur)
    calendrier = icalendar.Calendar.from_ical(client.get(reverse("evenements:agenda_ics")).content)
    assert [str(e["SUMMARY"]) for e in calendrier.walk("VEVENT")] == ["Public"]


def test_lieu_hors_liste_affiche_avec_sa_commune(client):
    saint_ormel = CommuneFactory(slug="saint-ormel", nom="Saint-Ormel")
    evenement = EvenementFactory(titre="Atelier réparation vélo", lieu=None, precision_lieu="Place de la gare",
                                 commune=saint_ormel)
    assert "Place de la gare, Saint-Ormel" in client.get(URL).content.decode()
    mois = evenement.debut.strftime("%Y-%m")
    assert "Place de la gare, Saint-Ormel" in client.get(URL, {"vue": "mois", "mois": mois}).content.decode()
    contenu = client.get(evenement.get_absolute_url()).content.decode()
    assert "Place de la gare" in contenu and "Saint-Ormel" in contenu


def test_les_sequences_d_une_journee_restent_sur_sa_page(client):
    journee = EvenementFactory(titre="Assises", debut=dans(30, 8), fin=dans(30, 17))
    EvenementFactory(titre="Accueil café", parent=journee, debut=dans(30, 8), fin=dans(30, 9))
    assert titres(client.get(URL)) == {"Assises"}
    assert "Accueil café" in client.get(journee.get_absolute_url()).content.decode()
    calendrier = icalendar.Calendar.from_ical(client.get(reverse("evenements:agenda_ics")).content)
    assert [str(e["SUMMARY"]) for e in calendrier.walk("VEVENT")] == ["Assises"]


def test_la_vue_mois_ignore_la_bascule_des_evenements_passes(client):
    a_venir = EvenementFactory(titre="À venir", debut=dans(1), fin=dans(1, 20))
    mois = a_venir.debut.strftime("%Y-%m")
    reponse = client.get(URL, {"vue": "mois", "mois": mois, "passes": "on", "tarif": "gratuit"})
    assert [e.titre for _jour, evs in reponse.context["jours"] for e in evs] == ["À venir"]
    assert reponse.context["requete"] == "tarif=gratuit"


def test_agenda_en_deux_allers_retours_sur_postgresql(client, settings):
    """The list reads its cards (with their total), then the cards' structures and the form's four menus
    together (``lire_ensemble``): two round trips on PostgreSQL; the menus are not read again when the form is
    rendered."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = True  # the menu and the footer kept: the list's own queries only
    commune = CommuneFactory(nom="Rivebelle-Centre")
    EvenementFactory(titre="Ciné-débat", structures=[StructureFactory(nom="Coop Ciné")], commune=commune)
    client.get(reverse("evenements:agenda"))
    with CaptureQueriesContext(connection) as requetes:
        html = client.get(reverse("evenements:agenda")).content.decode()
    assert "Ciné-débat" in html and "Coop Ciné" in html and "Rivebelle-Centre</option>" in html
    menus = [r for r in requetes if "UNION ALL" in r["sql"]]
    assert len(menus) == 1
    if connection.vendor == "postgresql":
        assert len(requetes) == 2, [r["sql"][:60] for r in requetes]
        assert "evenements_evenement_structures" in menus[0]["sql"]  # sent with the structures' names


def test_formulaire_des_filtres_garde_par_options(client, settings, monkeypatch):
    """Unbound (no parameter), the filters' form is rendered once per process for the same menu options
    (``formulaire_de_filtres``): the same HTML again without rendering a field; a new option (a commune added)
    shows at the next request; the month view and a bound form (its values, its errors) are their own."""
    from conseil_ess import widgets

    settings.CACHE_PAGES = False
    rendus = []
    originale = widgets.SelectRapide.render
    monkeypatch.setattr(widgets.SelectRapide, "render", lambda *a, **k: rendus.append(1) or originale(*a, **k))
    agenda = reverse("evenements:agenda")

    def formulaire(url):
        html = client.get(url).content.decode()
        return html[html.index("<details class=\"filtres-agenda__repli\""):html.index("</details>")]

    premier = formulaire(agenda)
    rendus.clear()
    assert formulaire(agenda) == premier and rendus == []
    CommuneFactory(nom="Saint-Nouveau")
    nouveau = formulaire(agenda)
    assert "Saint-Nouveau</option>" in nouveau and "Saint-Nouveau" not in premier and rendus
    mois = formulaire(agenda + "?vue=mois&mois=2026-11")
    assert 'name="vue" value="mois"' in mois and 'name="vue"' not in nouveau
    rendus.clear()
    lie = formulaire(agenda + "?type=nimporte")
    assert rendus and 'role="alert"' in lie and 'role="alert"' not in nouveau
