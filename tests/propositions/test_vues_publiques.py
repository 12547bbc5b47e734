"""Public pages of the proposals: the list (filters, search, counts per state, pagination), a proposal
with its timeline, implementation and evaluation, the draft preview, following, /mon-espace/, the
atelier page, and flat query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conseil_ess.comptes.models import ChampAction
from conseil_ess.propositions import services, workflow
from conseil_ess.propositions.models import (
    CHAMPS_CARTE,
    Abonnement,
    Etat,
    NoteInterne,
    PointSuivi,
    Proposition,
    Transition,
)
from tests.ateliers.fabriques import AtelierFactory
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import paris
from tests.factories import CommuneFactory, StructureFactory, UserFactory

from .fabriques import PropositionFactory, amener_a, proposition_en

pytestmark = pytest.mark.django_db
E = Etat
URL_LISTE = reverse("propositions:liste")


def texte(reponse):
    assert reponse.status_code == 200, reponse.status_code
    return reponse.content.decode().replace("\xa0", " ").replace("&#x27;", "'")


def url(proposition):
    return reverse("propositions:detail", args=[proposition.reference])


def champ(numero):
    return ChampAction.objects.get(numero=numero)


def compte_affiche(contenu, etat):
    """Return the count shown beside ``etat`` in the counts per state (None if the state is not listed)."""
    trouve = re.search(rf'data-etat="{etat}">[^<]*<span class="comptes-etats__n">(\d+)</span>', contenu)
    return int(trouve.group(1)) if trouve else None


# --- /propositions/ --------------------------------------------------------------------------------


def test_la_liste_montre_les_propositions_deposees_jamais_les_brouillons(client):
    PropositionFactory(titre="Brouillon secret de Camille")
    deposee = proposition_en(E.DEPOSEE, titre="Une cantine solidaire", structures=[StructureFactory(nom="Les Pousses")])

    contenu = texte(client.get(URL_LISTE))

    assert "Une cantine solidaire" in contenu
    assert deposee.reference in contenu
    assert "Les Pousses" in contenu
    assert "Brouillon secret de Camille" not in contenu
    assert "1 proposition" in contenu
    assert "La suite donnée aux propositions" in contenu  # the public summary near the top


def test_le_lien_de_depot_est_pour_les_personnes_connectees(client, acteur):
    nouvelle = reverse("propositions:nouvelle")
    assert f'class="bouton" href="{nouvelle}"' not in texte(client.get(URL_LISTE))
    client.force_login(acteur)
    contenu = texte(client.get(URL_LISTE))
    assert f'class="bouton" href="{nouvelle}">Déposer une proposition</a>' in contenu


@pytest.fixture
def jeu():
    """Two public proposals differing on every filter, and a draft that matches them all."""
    atelier = AtelierFactory(titre="Alimentation durable", slug="alimentation")
    lyon, vaulx = CommuneFactory(nom="Lyon", slug="lyon"), CommuneFactory(nom="Vaulx-en-Velin", slug="vaulx")
    a = amener_a(PropositionFactory(titre="Épicerie coopérative", resume="Des produits locaux pour tous.",
                                    champs=[champ(1)], communes=[lyon]),
                 E.EN_ATELIER, le=paris(2025, 5, 10, 12), atelier=atelier)
    b = amener_a(PropositionFactory(titre="Garage solidaire", resume="Réparer les voitures à petit prix.",
                                    champs=[champ(2)], communes=[vaulx]),
                 E.DEPOSEE, le=paris(2026, 2, 3, 12))
    PropositionFactory(titre="Brouillon coopératif", champs=[champ(1)], communes=[lyon], atelier=atelier)
    return a, b


@pytest.mark.parametrize(("parametres", "gardee"), [
    ({"etat": "en_atelier"}, 0),
    ({"etat": "deposee"}, 1),
    ({"champ": "1"}, 0),
    ({"champ": "2"}, 1),
    ({"atelier": "alimentation"}, 0),
    ({"commune": "lyon"}, 0),
    ({"commune": "vaulx"}, 1),
    ({"annee": "2025"}, 0),
    ({"annee": "2026"}, 1),
    ({"q": "coopérative"}, 0),
    ({"q": "petit prix"}, 1),
])
def test_chaque_filtre_restreint_la_liste(client, jeu, parametres, gardee):
    contenu = texte(client.get(URL_LISTE, parametres))
    attendue, ecartee = jeu[gardee], jeu[1 - gardee]
    assert attendue.titre in contenu
    assert ecartee.titre not in contenu
    assert "Brouillon coopératif" not in contenu
    assert "1 proposition" in contenu


def test_la_recherche_trouve_une_reference(client, jeu):
    a, b = jeu
    contenu = texte(client.get(URL_LISTE, {"q": b.reference}))
    assert b.titre in contenu and a.titre not in contenu


def test_l_annee_suit_l_heure_de_paris(client):
    # Deposited on 1 January 2026 at 00:30 in Paris (still 2025 in UTC): a 2026 proposal.
    p = amener_a(PropositionFactory(titre="Dépôt du Nouvel An"), E.DEPOSEE, le=paris(2026, 1, 1, 0, 30))
    assert p.titre in texte(client.get(URL_LISTE, {"annee": "2026"}))
    assert p.titre not in texte(client.get(URL_LISTE, {"annee": "2025"}))


def test_les_comptes_par_etat_suivent_les_autres_filtres(client):
    for _i in range(2):
        proposition_en(E.DEPOSEE, champs=[champ(3)])
    proposition_en(E.EN_INSTRUCTION, champs=[champ(3)])
    proposition_en(E.DEPOSEE, champs=[champ(4)])
    PropositionFactory(champs=[champ(3)])  # a draft: never counted

    contenu = texte(client.get(URL_LISTE))
    assert compte_affiche(contenu, "deposee") == 3
    assert compte_affiche(contenu, "en_instruction") == 1
    assert compte_affiche(contenu, "adoptee") is None  # no proposal in that state: not listed

    contenu = texte(client.get(URL_LISTE, {"champ": "3", "etat": "en_instruction"}))
    assert compte_affiche(contenu, "deposee") == 2  # counted with the champ filter, not the state filter
    assert compte_affiche(contenu, "en_instruction") == 1
    assert "1 proposition" in contenu


def test_des_filtres_malformes_sont_signales_et_ignores(client, jeu):
    reponse = client.get(URL_LISTE, {"etat": "brouillon", "annee": "deux-mille", "atelier": "inconnu",
                                     "champ": "99", "page": "x"})
    contenu = texte(reponse)
    assert "Certains filtres ne sont pas valides" in contenu
    assert jeu[0].titre in contenu and jeu[1].titre in contenu


def test_pagination(client):
    for i in range(25):
        proposition_en(E.DEPOSEE, titre=f"Proposition numéro {i:02d}")
    page1 = texte(client.get(URL_LISTE))
    assert "25 propositions" in page1
    assert page1.count('class="carte proposition-carte"') == 20
    assert "Page 1 sur 2" in page1
    page2 = texte(client.get(URL_LISTE, {"page": "2"}))
    assert page2.count('class="carte proposition-carte"') == 5
    # A malformed or too large page number never fails.
    assert texte(client.get(URL_LISTE, {"page": "abc"})).count('class="carte proposition-carte"') == 20
    assert texte(client.get(URL_LISTE, {"page": "999"})).count('class="carte proposition-carte"') == 5
    assert texte(client.get(URL_LISTE, {"page": "-1"})).count('class="carte proposition-carte"') == 5


def test_le_nombre_et_les_pages_suivent_les_filtres_sans_requete_de_comptage(client, settings):
    """The list's length comes from the counts per state (already computed for the state links), under every
    filter: the status, the pages and the cards agree, and no separate COUNT query runs."""
    settings.CACHE_PAGES = False
    for i in range(23):
        proposition_en(E.DEPOSEE, titre=f"Vélo-école numéro {i:02d}")
    for i in range(4):
        proposition_en(E.EN_INSTRUCTION, titre=f"Vélo partagé {i}")
    for i in range(5):
        proposition_en(E.DEPOSEE, titre=f"Compostage {i}")
    PropositionFactory(titre="Vélo en brouillon")  # never public, never counted
    for filtres, nombre, sur_la_page_2 in (({"q": "vélo"}, 27, 7), ({"q": "vélo", "etat": "deposee"}, 23, 3),
                                           ({"etat": "deposee"}, 28, 8), ({}, 32, 12)):
        with CaptureQueriesContext(connection) as requetes:
            page1 = texte(client.get(URL_LISTE, filtres))
        assert f"{nombre} propositions" in page1 and "Page 1 sur 2" in page1
        assert page1.count('class="carte proposition-carte"') == 20
        assert not [q for q in requetes if "COUNT(*)" in q["sql"]]
        page2 = texte(client.get(URL_LISTE, {**filtres, "page": 2}))
        assert page2.count('class="carte proposition-carte"') == sur_la_page_2, filtres
    assert "0 proposition<" in texte(client.get(URL_LISTE, {"q": "introuvable"}))


# --- drafts and wrong addresses ----------------------------------------------------------------------


def test_un_brouillon_n_est_visible_que_de_son_auteur_et_des_agents(client, acteur, agent, elu):
    brouillon = PropositionFactory(titre="Mon idée en chantier")
    adresse = reverse("propositions:brouillon", args=[brouillon.pk])

    assert client.get(adresse).status_code == 404
    for personne in (acteur, elu):
        client.force_login(personne)
        assert client.get(adresse).status_code == 404
    client.force_login(agent)
    assert "Aperçu – brouillon non public" in texte(client.get(adresse))

    client.force_login(brouillon.auteur)
    contenu = texte(client.get(adresse))
    assert "Aperçu – brouillon non public" in contenu
    assert "Mon idée en chantier" in contenu
    assert reverse("propositions:modifier", args=[brouillon.pk]) in contenu
    assert f'action="{reverse("propositions:deposer", args=[brouillon.pk])}"' in contenu
    assert "Déposer la proposition" in contenu


def test_l_apercu_d_une_proposition_deposee_mene_a_sa_page(client):
    p = proposition_en(E.DEPOSEE)
    client.force_login(p.auteur)
    reponse = client.get(reverse("propositions:brouillon", args=[p.pk]))
    assert reponse.status_code == 302 and reponse.url == url(p)


@pytest.mark.parametrize("adresse", [
    "/propositions/P-2026-999/",
    "/propositions/P-2026-999/retirer/",
    "/propositions/brouillons/999999/",
    "/propositions/pieces/999999/",
    "/propositions/modifier/999999/",
    "/propositions/P-20-1/",
])
def test_une_adresse_inconnue_donne_404(client, acteur, adresse):
    client.force_login(acteur)
    assert client.get(adresse).status_code == 404


def test_suivre_une_proposition_inconnue_ou_un_brouillon_donne_404(client, acteur):
    client.force_login(acteur)
    assert client.post("/propositions/P-2026-999/suivre/").status_code == 404
    assert client.post(reverse("propositions:deposer", args=[999999])).status_code == 404


# --- a proposal ------------------------------------------------------------------------------------


def test_le_parcours_montre_chaque_etape_avec_sa_date_son_instance_et_son_commentaire(client):
    agent = creer_utilisateur("agent", nom_affiche="Agent Secret")
    atelier = AtelierFactory(titre="Finances solidaires")
    p = PropositionFactory(titre="Un fonds de garantie")
    workflow.changer_etat(p, E.DEPOSEE, p.auteur, le=paris(2026, 1, 12, 9), commentaire="Déposée pour le printemps.")
    # 23:30 UTC on 2 February is already 3 February in Paris.
    workflow.changer_etat(p, E.EN_INSTRUCTION, agent, le=datetime.datetime(2026, 2, 2, 23, 30, tzinfo=datetime.UTC),
                          commentaire="Le secrétariat étudie la faisabilité.")
    workflow.changer_etat(p, E.EN_ATELIER, agent, le=paris(2026, 3, 20, 18), atelier=atelier,
                          commentaire="Confiée à l'atelier pour trois réunions.")

    contenu = texte(client.get(url(p)))
    parcours = contenu[contenu.index('id="parcours"'):]
    etapes = [("12 janvier 2026", "Déposée", "Déposée pour le printemps."),
              ("3 février 2026", "En instruction", "Le secrétariat étudie la faisabilité."),
              ("20 mars 2026", "En travail en atelier", "Confiée à l'atelier pour trois réunions.")]
    for date, etat, commentaire in etapes:
        assert re.search(rf"{date}</time> –\s*<strong>{etat}</strong>", parcours), (date, etat)
        assert commentaire in parcours
    assert parcours.index("12 janvier 2026") < parcours.index("3 février 2026") < parcours.index("20 mars 2026")
    assert "Secrétariat du Conseil" in parcours
    assert f'<a href="{atelier.get_absolute_url()}">Finances solidaires</a>' in parcours
    assert "Agent Secret" not in contenu  # the staff acts as the secrétariat, not by name


def test_la_page_montre_la_proposition_et_ses_porteurs(client):
    structure = StructureFactory(nom="Coopérative Graines")
    auteur = UserFactory(nom_affiche="Inès Martin")
    p = proposition_en(E.DEPOSEE, auteur=auteur, titre="Des jardins partagés", resume="Un jardin par quartier.",
                       description="<p>Le constat <strong>détaillé</strong>.</p>", champs=[champ(5)],
                       communes=[CommuneFactory(nom="Villeurbanne", slug="villeurbanne")], structures=[structure],
                       levier="Foncier agricole", porteurs_texte="Collectif des jardinier·e·s")
    services.ajouter_piece_jointe(p, "Note de cadrage", _fichier("cadrage.pdf"), auteur)

    contenu = texte(client.get(url(p)))
    for attendu in (p.reference, "Des jardins partagés", "Un jardin par quartier.",
                    "<p>Le constat <strong>détaillé</strong>.</p>", champ(5).nom, "Foncier agricole", "Villeurbanne",
                    "Coopérative Graines", "Collectif des jardinier·e·s", "Inès Martin", "Note de cadrage",
                    reverse("propositions:piece_jointe", args=[p.pieces_jointes.get().pk]),
                    'class="etiquette etat etiquette--attente">Déposée</span>'):
        assert attendu in contenu, attendu


def _fichier(nom, contenu=b"%PDF-1.4 test"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nom, contenu, content_type="application/pdf")


def test_les_notes_internes_ne_sont_jamais_sur_la_page(client, agent, elu):
    p = proposition_en(E.EN_INSTRUCTION)
    services.ajouter_note_interne(p, "Note confidentielle : budget incertain", agent)
    assert NoteInterne.objects.filter(proposition=p).exists()
    for personne in (None, p.auteur, agent, elu):
        client.logout()
        if personne:
            client.force_login(personne)
        assert "budget incertain" not in texte(client.get(url(p)))


def test_apres_l_adoption_la_page_montre_le_suivi_et_l_evaluation(client):
    elu = creer_utilisateur("elu", nom_affiche="Marie Dupont")
    p = amener_a(PropositionFactory(titre="Achats responsables"), E.EN_OEUVRE, responsable_elu=elu,
                 service_responsable="Direction de la commande publique")
    p.date_prevue = datetime.date(2027, 6, 30)
    p.save()
    services.ajouter_point_suivi(p, "<p>Clauses sociales rédigées.</p>", elu, date=datetime.date(2026, 9, 15),
                                 avancement=40)
    indicateur = services.ajouter_indicateur(p, "Marchés avec clause sociale", elu, unite="%", cible=30,
                                             valeur_reference=5)
    services.ajouter_valeur(indicateur, datetime.date(2026, 12, 31), 12, elu, commentaire="Premier bilan")
    suite = proposition_en(E.DEPOSEE, titre="Étendre aux marchés de travaux")
    workflow.changer_etat(p, E.REALISEE, elu, forcer_role=True)
    workflow.changer_etat(p, E.EVALUEE, elu, forcer_role=True, constats="<p>Objectif dépassé.</p>",
                          recommandations="<p>Généraliser.</p>", proposition_suite=suite)

    contenu = texte(client.get(url(p)))
    suivi = contenu[contenu.index('id="mise-en-oeuvre"'):]
    for attendu in ("Marie Dupont", "Direction de la commande publique", "30 juin 2027", "15 septembre 2026",
                    "<p>Clauses sociales rédigées.</p>", 'value="100"', "Marchés avec clause sociale (%)",
                    "Valeur de référence", "<dd>5</dd>", "<dd>30</dd>", "31 décembre 2026", "<td>12</td>",
                    "Premier bilan", "<p>Objectif dépassé.</p>", "<p>Généraliser.</p>",
                    f'<a href="{url(suite)}">{suite}</a>'):
        assert attendu in suivi, attendu


def test_un_brouillon_de_suite_n_est_pas_lie(client):
    brouillon = PropositionFactory(titre="Suite encore secrète")
    p = amener_a(PropositionFactory(), E.EVALUEE, proposition_suite=brouillon)
    assert p.proposition_suite == brouillon
    assert "Suite encore secrète" not in texte(client.get(url(p)))


@pytest.mark.parametrize("etat", [E.REORIENTEE, E.ABANDONNEE, E.RETIREE, E.NON_RETENUE])
def test_le_motif_public_est_affiche(client, etat):
    p = amener_a(PropositionFactory(), etat, motif="Un dispositif métropolitain existe déjà.")
    contenu = texte(client.get(url(p)))
    assert "Un dispositif métropolitain existe déjà." in contenu[contenu.index('id="parcours"'):]
    if etat == E.REORIENTEE:
        assert "Dispositif de test" in contenu


def test_une_proposition_fusionnee_mene_a_l_autre(client):
    cible = proposition_en(E.DEPOSEE, titre="La proposition qui reste")
    doublon = amener_a(PropositionFactory(titre="Le doublon"), E.FUSIONNEE, cible=cible)
    contenu = texte(client.get(url(doublon)))
    assert contenu.count(f'<a href="{url(cible)}">{cible}</a>') == 2  # the banner and the timeline step
    assert f'<a href="{url(doublon)}">{doublon}</a>' in texte(client.get(url(cible)))


def test_le_lien_de_decision_n_accepte_que_des_adresses_sures(client):
    p = proposition_en(E.SOUMISE_PLENIERE)
    agent = creer_utilisateur("agent")
    workflow.changer_etat(p, E.ADOPTEE, agent, lien_libelle="Scrutin n° 4", lien_url="/seances/4/scrutins/1/")
    contenu = texte(client.get(url(p)))
    assert '<a href="/seances/4/scrutins/1/">Scrutin n° 4</a>' in contenu
    Transition.objects.filter(proposition=p, vers=E.ADOPTEE).update(lien_url="javascript:alert(1)")
    contenu = texte(client.get(url(p)))
    assert "Scrutin n° 4" in contenu and "javascript:" not in contenu


# --- following --------------------------------------------------------------------------------------


def test_suivre_puis_ne_plus_suivre(client, acteur):
    p = proposition_en(E.DEPOSEE)
    adresse = reverse("propositions:suivre", args=[p.reference])
    client.force_login(acteur)
    assert "Suivre cette proposition</button>" in texte(client.get(url(p)))

    reponse = client.post(adresse)
    assert reponse.status_code == 302 and reponse.url == url(p)
    assert Abonnement.objects.filter(proposition=p, user=acteur).exists()
    assert "Ne plus suivre cette proposition</button>" in texte(client.get(url(p)))

    client.post(adresse)
    assert not Abonnement.objects.filter(proposition=p, user=acteur).exists()
    assert client.get(adresse).status_code == 405


def test_suivre_demande_de_se_connecter(client):
    p = proposition_en(E.DEPOSEE)
    contenu = texte(client.get(url(p)))
    assert "Connectez-vous pour suivre cette proposition" in contenu
    reponse = client.post(reverse("propositions:suivre", args=[p.reference]))
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("account_login"))
    assert not Abonnement.objects.exists()


def test_le_suivi_utilise_un_formulaire_protege(client, acteur):
    p = proposition_en(E.DEPOSEE)
    client.force_login(acteur)
    contenu = texte(client.get(url(p)))
    formulaire = re.search(rf'<form method="post" action="{reverse("propositions:suivre", args=[p.reference])}">'
                           r'(.*?)</form>', contenu, re.S)
    assert formulaire and 'name="csrfmiddlewaretoken"' in formulaire.group(1)


def test_modifier_et_retirer_ne_sont_proposes_qu_a_l_auteur(client, acteur):
    p = proposition_en(E.DEPOSEE)
    modifier, retirer = (reverse("propositions:modifier", args=[p.pk]),
                         reverse("propositions:retirer", args=[p.reference]))
    client.force_login(acteur)
    contenu = texte(client.get(url(p)))
    assert modifier not in contenu and retirer not in contenu
    client.force_login(p.auteur)
    contenu = texte(client.get(url(p)))
    assert modifier in contenu and retirer in contenu
    workflow.changer_etat(p, E.EN_INSTRUCTION, creer_utilisateur("agent"))
    contenu = texte(client.get(url(p)))
    assert modifier not in contenu and retirer in contenu


# --- /mon-espace/ and the atelier page ---------------------------------------------------------------


def test_mon_espace_liste_mes_propositions_et_celles_que_je_suis(client, acteur):
    mon_brouillon = PropositionFactory(auteur=acteur, titre="Mon brouillon à finir")
    ma_deposee = proposition_en(E.DEPOSEE, auteur=acteur, titre="Ma proposition déposée")
    suivie = proposition_en(E.EN_INSTRUCTION, titre="Une proposition que je suis")
    services.suivre(suivie, acteur)
    PropositionFactory(titre="Le brouillon d'un autre")

    client.force_login(acteur)
    contenu = texte(client.get(reverse("comptes:mon_espace")))
    section = contenu[contenu.index('id="titre-mes-propositions"'):contenu.index('id="titre-notifications"')]
    assert f'<a href="{mon_brouillon.get_absolute_url()}">Mon brouillon à finir</a>' in section
    assert "Brouillon</span>" in section
    assert f'<a href="{url(ma_deposee)}">{ma_deposee.reference} – Ma proposition déposée</a>' in section
    assert f'<a href="{url(suivie)}">{suivie.reference} – Une proposition que je suis</a>' in section
    assert "En instruction</span>" in section
    assert "Le brouillon d'un autre" not in contenu


def test_la_page_d_un_atelier_liste_ses_propositions(client):
    atelier = AtelierFactory(titre="Mobilités")
    travaillee = amener_a(PropositionFactory(titre="Vélos-cargos partagés"), E.EN_ATELIER, atelier=atelier)
    amener_a(PropositionFactory(titre="Ailleurs"), E.EN_ATELIER)
    PropositionFactory(titre="Brouillon de l'atelier", atelier=atelier)

    contenu = texte(client.get(atelier.get_absolute_url()))
    section = contenu[contenu.index('id="titre-propositions-atelier"'):]
    assert "Propositions travaillées" in section
    assert f'<a href="{url(travaillee)}">{travaillee.reference} – Vélos-cargos partagés</a>' in section
    assert "Ailleurs" not in section and "Brouillon de l'atelier" not in contenu

    vide = AtelierFactory()
    assert "Propositions travaillées" not in texte(client.get(vide.get_absolute_url()))


# --- query counts ------------------------------------------------------------------------------------


def _requetes(client, adresse, parametres=None):
    client.get(adresse)  # warm up: settings rows created on first use
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(adresse, parametres).status_code == 200
    return len(requetes)


def _remplir_liste(n):
    atelier = AtelierFactory()
    structure = StructureFactory()
    commune = CommuneFactory()
    for _i in range(n):
        amener_a(PropositionFactory(structures=[structure], communes=[commune], champs=[champ(1), champ(2)]),
                 E.EN_ATELIER, atelier=atelier)


def test_la_liste_fait_un_nombre_fixe_de_requetes(client, acteur, django_assert_max_num_queries):
    client.force_login(acteur)
    _remplir_liste(5)
    petite = _requetes(client, URL_LISTE, {"champ": "1"})
    _remplir_liste(35)
    assert Proposition.objects.publiques().count() == 40
    with django_assert_max_num_queries(petite):
        contenu = texte(client.get(URL_LISTE, {"champ": "1"}))
    assert contenu.count('class="carte proposition-carte"') == 20
    assert petite <= 22


def test_la_liste_anonyme_en_trois_allers_retours_sur_postgresql(client, settings):
    """The public list sends its independent queries together (``lire_ensemble``): the counts per state, the
    public figures and the form's menus; then the cards; then their champs and structures. Three round trips on
    PostgreSQL (on SQLite, one query each, and the figures' several). The figures are those of ``synthese()``."""
    from conseil_ess.propositions import statistiques

    settings.CACHE_PAGES = False
    settings.CACHE_NAVIGATION = True  # the menu and the footer kept (their own queries are not the list's)
    _remplir_liste(3)
    client.get(URL_LISTE)  # the figures' query is written at its first use
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(URL_LISTE)
    if connection.vendor == "postgresql":
        assert len(requetes) == 3, [r["sql"][:80] for r in requetes]
    assert reponse.context["synthese"] == statistiques.synthese()
    assert reponse.context["synthese"]["total"] == 3
    assert texte(reponse).count('class="carte proposition-carte"') == 3


def _enrichir(p, debut, fin, agent):
    """Add journal rows, follow-up points, indicator values, carriers and attachments numbered ``debut``…``fin - 1``."""
    for i in range(debut, fin):
        Transition.objects.create(proposition=p, de=E.EN_OEUVRE, vers=E.EN_OEUVRE, instance="elu", par=agent,
                                  commentaire=f"Étape {i}", atelier=AtelierFactory())
        PointSuivi.objects.create(proposition=p, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
                                  texte=f"Point {i}")
        p.structures.add(StructureFactory())
        p.communes.add(CommuneFactory())
        services.ajouter_piece_jointe(p, f"Pièce {i}", _fichier(f"piece-{i}.pdf"), agent)
    for indicateur in p.indicateurs.all():
        for i in range(debut, fin):
            services.ajouter_valeur(indicateur, datetime.date(2025, 1, 1) + datetime.timedelta(days=i), i, agent)


def test_la_page_d_une_proposition_fait_un_nombre_fixe_de_requetes(client, acteur, django_assert_max_num_queries,
                                                                   settings):
    settings.PIECES_JOINTES_MAX_PAR_OBJET = settings.PIECES_JOINTES_MAX_PAR_JOUR = 100  # many attachments
    agent = creer_utilisateur("agent")
    p = amener_a(PropositionFactory(), E.EN_OEUVRE)
    for i in range(3):
        services.ajouter_indicateur(p, f"Indicateur {i}", agent, cible=10)
    _enrichir(p, 0, 5, agent)
    client.force_login(acteur)
    services.suivre(p, acteur)
    petite = _requetes(client, url(p))
    _enrichir(p, 5, 40, agent)
    assert p.transitions.count() >= 40
    with django_assert_max_num_queries(petite):
        contenu = texte(client.get(url(p)))
    assert "Étape 39" in contenu and "Point 39" in contenu and "Pièce 39" in contenu
    assert contenu.count("<td>39</td>") == 3  # each indicator's last value
    assert petite <= 25


@pytest.mark.parametrize("donnees", [
    None, {"q": "vélo"}, {"etat": "deposee", "q": "Proposition"}, {"atelier": "atelier-c"}, {"champ": "2"},
    {"commune": "commune-c", "q": "Proposition"}, {"annee": "abc"},
])
def test_comptes_par_etat_et_cartes_comme_l_orm(donnees):
    """The counts per state and the page's cards, read by queries written around the ORM's WHERE (no join) or
    by the ORM (a champ, a commune): the same as the ORM's own queries, for each kind of filter."""
    from django.db.models import Count

    from conseil_ess.propositions.filters import ETATS_PUBLICS, PropositionFilter

    atelier = AtelierFactory(slug="atelier-c")
    commune = CommuneFactory(slug="commune-c")
    for i, etat in enumerate([Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.DEPOSEE, Etat.BROUILLON, Etat.EN_ATELIER]):
        p = proposition_en(etat, titre=f"Proposition {'vélo' if i % 2 else 'bus'} {i}",
                           champs=[ChampAction.objects.get(numero=1 + i % 3)], communes=[commune] if i % 2 else [])
        if i > 1:
            Proposition.objects.filter(pk=p.pk).update(atelier=atelier)
    base = Proposition.objects.publiques()
    filtre = PropositionFilter(donnees, queryset=base)
    comptes = filtre.comptes_par_etat(base)
    orm = dict(filtre.filtrer_sauf(base, "etat").order_by().values_list("etat").annotate(n=Count("pk", distinct=True)))
    assert comptes == [(code, libelle, orm.get(code, 0)) for code, libelle in ETATS_PUBLICS]
    assert sum(n for _c, _l, n in comptes) > 0  # each case counts some proposals
    cartes = filtre.qs.cartes(0, 2) + filtre.qs.cartes(2, 20)
    attendues = list(filtre.qs.select_related("atelier").only(*CHAMPS_CARTE, "atelier__titre"))
    assert [(p.pk, p.titre, p.atelier.titre if p.atelier else None) for p in cartes] == [
        (p.pk, p.titre, p.atelier.titre if p.atelier else None) for p in attendues]


def test_formulaire_des_filtres_garde_par_options(client, settings, monkeypatch):
    """The unbound filters' form is kept for the same menu options (``formulaire_de_filtres``): no field
    rendered again; a new atelier shows in its menu at once; a bound form is rendered each time."""
    from conseil_ess import widgets

    settings.CACHE_PAGES = False
    rendus = []
    originale = widgets.SelectRapide.render
    monkeypatch.setattr(widgets.SelectRapide, "render", lambda *a, **k: rendus.append(1) or originale(*a, **k))

    def formulaire(parametres=None):
        html = texte(client.get(URL_LISTE, parametres or {}))
        debut = html.index('class="filtres-propositions"')
        return html[debut:html.index("</form>", debut)]

    premier = formulaire()
    rendus.clear()
    assert formulaire() == premier and rendus == []
    AtelierFactory(titre="Atelier tout neuf")
    assert "Atelier tout neuf</option>" in formulaire() and rendus
    rendus.clear()
    assert 'value="adoptee" selected' in formulaire({"etat": "adoptee"}) and rendus
