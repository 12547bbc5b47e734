"""The follow-up dashboard of élu·e·s and agents (/suivi/), its CSV export and the engagement page.

The figures are computed on controlled data: each proposal is walked through the workflow with a
date per step (``parcours_dates.proposition_datee``), so the medians and the delays are exact.
"""

import datetime
import html as html_module
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conseil_ess.comptes.models import ChampAction
from conseil_ess.propositions import statistiques
from conseil_ess.propositions.models import Etat, Indicateur, PointSuivi, Proposition, Transition, ValeurIndicateur
from tests.ateliers.fabriques import AtelierFactory
from tests.conftest import creer_utilisateur
from tests.tableurs import lire_export

from .fabriques import PropositionFactory, proposition_en
from .parcours_dates import il_y_a, proposition_datee

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
E = Etat
URL = "/suivi/"
URL_CSV = "/suivi/export.csv"


@pytest.fixture
def jeu(db):
    """Controlled proposals: the delays (in days) are chosen so that every median is exact.

    Submission → decision of the Conseil: A 20, B 60, C 10 (non retenue), E 40 → median 30 (D, reoriented
    after 5 days, is no decision of the Conseil: with it the median would be 20).
    Adoption → completion: A 100, B 200 → median 150.
    Waiting for an answer: F 100 days and I 95 days (beyond 90), G 10 days.
    """
    alimentation = AtelierFactory(titre="Atelier alimentation durable")
    emploi = AtelierFactory(titre="Atelier emploi")
    champ2 = ChampAction.objects.get(numero=2)
    elu_nadia = creer_utilisateur("elu", first_name="Nadia", last_name="Benali")
    jeu = {"elu_nadia": elu_nadia, "alimentation": alimentation, "emploi": emploi}
    jeu["A"] = proposition_datee(E.REALISEE, {E.DEPOSEE: il_y_a(200), E.ADOPTEE: il_y_a(180), E.REALISEE: il_y_a(80)},
                                 donnees={"atelier": alimentation, "responsable_elu": elu_nadia,
                                          "service_responsable": "Direction de l'ESS"},
                                 titre="Légumerie solidaire", champs=[champ2])
    jeu["B"] = proposition_datee(E.EVALUEE, {E.DEPOSEE: il_y_a(300), E.ADOPTEE: il_y_a(240), E.REALISEE: il_y_a(40),
                                             E.EVALUEE: il_y_a(10)},
                                 donnees={"atelier": alimentation, "responsable_elu": elu_nadia,
                                          "service_responsable": "Direction de l'ESS"},
                                 titre="Monnaie locale")
    jeu["C"] = proposition_datee(E.NON_RETENUE, {E.DEPOSEE: il_y_a(100), E.NON_RETENUE: il_y_a(90)},
                                 donnees={"atelier": emploi}, titre="Tiers-lieu non retenu")
    jeu["D"] = proposition_datee(E.REORIENTEE, {E.DEPOSEE: il_y_a(50), E.REORIENTEE: il_y_a(45)},
                                 titre="Réorientée vers un dispositif")
    jeu["E"] = proposition_datee(E.EN_OEUVRE, {E.DEPOSEE: il_y_a(70), E.ADOPTEE: il_y_a(30), E.EN_OEUVRE: il_y_a(20)},
                                 donnees={"atelier": alimentation, "service_responsable": "Service emploi"},
                                 titre="Garage solidaire")
    jeu["F"] = proposition_datee(E.EN_INSTRUCTION, {E.DEPOSEE: il_y_a(120), E.EN_INSTRUCTION: il_y_a(100)},
                                 titre="Vieille en instruction")
    jeu["G"] = proposition_datee(E.DEPOSEE, {E.DEPOSEE: il_y_a(10)}, titre="Récente déposée")
    jeu["I"] = proposition_datee(E.DEPOSEE, {E.DEPOSEE: il_y_a(95)}, titre="Déposée oubliée")
    jeu["H"] = PropositionFactory(titre="Brouillon secret")
    PointSuivi.objects.create(proposition=jeu["E"], date=datetime.date(2026, 3, 2), texte="<p>Premier point.</p>")
    PointSuivi.objects.create(proposition=jeu["E"], date=datetime.date(2026, 5, 4), texte="<p>Second point.</p>")
    indicateur = Indicateur.objects.create(proposition=jeu["E"], libelle="Véhicules réparés", unite="véhicules",
                                           cible=200)
    ValeurIndicateur.objects.create(indicateur=indicateur, date=datetime.date(2026, 4, 1), valeur=35)
    ValeurIndicateur.objects.create(indicateur=indicateur, date=datetime.date(2026, 6, 1), valeur=72)
    Proposition.objects.filter(pk=jeu["E"].pk).update(avancement=40)
    return jeu


def texte(reponse):
    """Return the page's HTML with its entities decoded (apostrophes are escaped in variables only)."""
    return html_module.unescape(reponse.content.decode())


def connecter(client, role):
    user = creer_utilisateur(role)
    if user is not None:
        client.force_login(user)
    return user


def section(html, ident):
    """Return the HTML of the part of the page under the <h2> of id ``ident`` (up to the next <h2>)."""
    debut = html.index(f'<h2 id="{ident}"')
    fin = html.find("<h2 ", debut + 1)
    return html[debut:fin if fin != -1 else html.index("</main>")]


# --- Access ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [URL, URL_CSV])
@pytest.mark.parametrize(("role", "attendu"), [
    ("anonyme", 302), ("acteur", 403), ("membre", 403), ("animateur", 403), ("elu", 200), ("agent", 200),
])
def test_acces_au_tableau_de_bord(client, url, role, attendu):
    connecter(client, role)
    reponse = client.get(url)
    assert reponse.status_code == attendu
    if role == "anonyme":
        assert reponse["Location"].startswith(reverse("account_login"))


def test_un_elu_sans_double_authentification_doit_la_configurer(client):
    client.force_login(creer_utilisateur("elu", mfa=False))
    reponse = client.get(URL)
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("mfa_activate_totp"))


def test_le_tableau_de_bord_refuse_post(client):
    connecter(client, "agent")
    assert client.post(URL).status_code == 405


# --- Figures --------------------------------------------------------------------------------------

def test_medianes_exactes(jeu):
    medianes = statistiques.medianes(Proposition.objects.publiques())
    assert medianes["depot_decision"] == pytest.approx(30)
    assert medianes["adoption_realisation"] == pytest.approx(150)


def test_synthese_exacte_et_sans_brouillon(jeu):
    synthese = statistiques.synthese()
    assert (synthese["total"], synthese["adoptees"], synthese["realisees"]) == (8, 3, 2)


def test_medianes_absentes_sans_decision(db):
    proposition_datee(E.DEPOSEE, {E.DEPOSEE: il_y_a(3)})
    assert statistiques.medianes(Proposition.objects.publiques()) == {
        "depot_decision": None, "adoption_realisation": None}


def test_le_tableau_de_bord_affiche_chiffres_et_medianes(client, jeu):
    connecter(client, "elu")
    html = texte(client.get(URL))
    chiffres = section(html, "chiffres")
    assert re.search(r'data-mediane="depot_decision">30 jours<', chiffres)
    assert re.search(r'data-mediane="adoption_realisation">150 jours \(environ 5 mois\)<', chiffres)
    valeurs = re.findall(r'class="chiffres__valeur">(\d+)<', chiffres)
    assert valeurs == ["8", "3", "2"]
    assert "Brouillon secret" not in html


def test_comptes_par_etat_et_champ(jeu):
    tableau = statistiques.comptes_par_etat_et_champ(Proposition.objects.publiques())
    numeros = [c.numero if c else None for c in tableau["colonnes"]]
    lignes = {str(ligne["libelle"]): ligne for ligne in tableau["lignes"]}
    assert set(lignes) == {str(E(e).label) for e in ("realisee", "evaluee", "non_retenue", "reorientee",
                                                      "en_oeuvre", "en_instruction", "deposee")}
    assert lignes[str(E.REALISEE.label)]["valeurs"][numeros.index(2)] == 1
    assert lignes[str(E.REALISEE.label)]["valeurs"][numeros.index(1)] == 0
    assert lignes[str(E.DEPOSEE.label)]["valeurs"][numeros.index(1)] == 2
    assert lignes[str(E.DEPOSEE.label)]["total"] == 2
    assert sum(ligne["total"] for ligne in tableau["lignes"]) == 8


def test_comptes_par_atelier_et_etat(jeu):
    tableau = statistiques.comptes_par_etat_et_atelier(Proposition.objects.publiques())
    colonnes = [str(c) for c in tableau["colonnes"]]
    lignes = {ligne["libelle"]: ligne for ligne in tableau["lignes"]}
    alimentation = lignes["Atelier alimentation durable"]
    assert alimentation["total"] == 3
    assert alimentation["valeurs"][colonnes.index(str(E.EN_OEUVRE.label))] == 1
    assert lignes["Atelier emploi"]["valeurs"][colonnes.index(str(E.NON_RETENUE.label))] == 1
    assert lignes[None]["total"] == 4  # D, F, G, I never went to an atelier


def test_le_tableau_par_atelier_est_affiche(client, jeu):
    connecter(client, "agent")
    html = section(texte(client.get(URL)), "par-atelier")
    ligne = re.search(r"<tr><th scope=\"row\">Atelier alimentation durable</th>(.*?)</tr>", html).group(1)
    assert re.findall(r"<td>(\d+)</td>", ligne)[-1] == "3"
    assert "Sans atelier" in html


# --- Waiting proposals --------------------------------------------------------------------------

def test_les_propositions_en_retard_sont_signalees_et_listees_d_abord(client, jeu):
    connecter(client, "elu")
    html = section(texte(client.get(URL)), "en-attente")
    assert "2 propositions attendent une réponse depuis plus de 90 jours" in html
    positions = [html.index(jeu[cle].reference) for cle in ("F", "I", "G")]
    assert positions == sorted(positions)
    lignes = {cle: re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a[^>]*>{jeu[cle].reference}</a>.*?</tr>", html,
                             re.S).group(0) for cle in ("F", "I", "G")}
    assert "Réponse en retard" in lignes["F"] and "Réponse en retard" in lignes["I"]
    assert "Réponse en retard" not in lignes["G"]
    assert "(100 jours)" in lignes["F"] and "(10 jours)" in lignes["G"]
    for cle in ("A", "C", "E"):  # answered ones are not waiting
        assert jeu[cle].reference not in html


def test_le_delai_d_alerte_se_regle(client, jeu, settings):
    settings.PROPOSITIONS_DELAI_ALERTE_JOURS = 5
    connecter(client, "agent")
    html = section(texte(client.get(URL)), "en-attente")
    assert "3 propositions attendent une réponse depuis plus de 5 jours" in html
    ligne_g = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a[^>]*>{jeu['G'].reference}</a>.*?</tr>", html, re.S)
    assert "Réponse en retard" in ligne_g.group(0)
    settings.PROPOSITIONS_DELAI_ALERTE_JOURS = 200
    html = section(texte(client.get(URL)), "en-attente")
    assert "Aucune proposition n'attend de réponse depuis plus de 200 jours." in html
    assert "Réponse en retard" not in html


def test_en_attente_ordonne_par_anciennete(jeu):
    references = [p.reference for p in statistiques.en_attente(Proposition.objects.publiques())]
    assert references == [jeu["F"].reference, jeu["I"].reference, jeu["G"].reference]


# --- Adopted proposals by responsible -----------------------------------------------------------

def test_adoptees_par_responsable_avec_leur_avancement(client, jeu):
    connecter(client, "elu")
    html = section(texte(client.get(URL)), "mise-en-oeuvre")
    assert "Nadia Benali – Direction de l'ESS" in html
    groupes = statistiques.adoptees_par_responsable(Proposition.objects.publiques())
    nadia = next(g for g in groupes if g["responsable"] == jeu["elu_nadia"])
    assert sorted(p.reference for p in nadia["propositions"]) == sorted([jeu["A"].reference, jeu["B"].reference])
    garage = re.search(rf'<li data-reference="{jeu["E"].reference}"[^>]*>.*?</li>\s*</ul>', html, re.S).group(0)
    assert 'value="40"' in garage
    assert "2 points de suivi" in garage and "4 mai 2026" in garage
    assert "Véhicules réparés : 72 véhicules (1 juin 2026) – cible 200 véhicules" in garage


def test_une_proposition_adoptee_sans_engagement_vient_en_premier(client, jeu):
    adoptee = proposition_datee(E.ADOPTEE, {E.DEPOSEE: il_y_a(40), E.ADOPTEE: il_y_a(2)}, titre="Attend un élu")
    connecter(client, "elu")
    html = section(texte(client.get(URL)), "mise-en-oeuvre")
    assert html.index("En attente d'un engagement") < html.index("Nadia Benali")
    assert reverse("propositions:engagement", args=[adoptee.reference]) in html


# --- Filters --------------------------------------------------------------------------------------

def test_filtre_par_atelier_et_etat(client, jeu):
    connecter(client, "agent")
    html = texte(client.get(URL, {"atelier": jeu["alimentation"].slug}))
    assert re.findall(r'class="chiffres__valeur">(\d+)<', section(html, "chiffres")) == ["3", "3", "2"]
    html = texte(client.get(URL, {"etat": "deposee"}))
    attente = section(html, "en-attente")
    assert jeu["G"].reference in attente and jeu["I"].reference in attente
    assert jeu["F"].reference not in attente


def test_filtre_par_champ_garde_une_ligne_par_proposition(client, jeu):
    champ3 = ChampAction.objects.get(numero=3)
    jeu["A"].champs.add(champ3)
    connecter(client, "agent")
    html = texte(client.get(URL, {"champ": 2}))
    assert re.findall(r'class="chiffres__valeur">(\d+)<', section(html, "chiffres")) == ["1", "1", "1"]
    # The table still counts the filtered proposal in its other champ too (1 proposal, 2 champs).
    ligne = re.search(r'<tr><th scope="row">Réalisée</th>(.*?)</tr>', section(html, "par-champ")).group(1)
    assert re.findall(r"<td>(\d+)</td>", ligne) == ["0", "1", "1", "0", "0", "0", "2"]


def test_filtre_par_annee(client, jeu):
    annee = timezone.localtime(jeu["G"].deposee_le).year
    Proposition.objects.filter(pk=jeu["B"].pk).update(deposee_le=jeu["B"].deposee_le.replace(year=annee - 3))
    connecter(client, "agent")
    html = texte(client.get(URL, {"annee": annee - 3}))
    assert re.findall(r'class="chiffres__valeur">(\d+)<', section(html, "chiffres")) == ["1", "1", "1"]


def test_un_filtre_invalide_est_ignore_avec_un_message(client, jeu):
    connecter(client, "agent")
    reponse = client.get(URL, {"etat": "nimporte", "champ": "99"})
    assert reponse.status_code == 200
    html = texte(reponse)
    assert "Un filtre n'est pas valide" in html
    assert re.findall(r'class="chiffres__valeur">(\d+)<', section(html, "chiffres")) == ["8", "3", "2"]


def test_pagination_des_propositions_en_attente(client, db, settings):
    atelier = AtelierFactory()
    for i in range(53):
        proposition_datee(E.DEPOSEE, {E.DEPOSEE: il_y_a(100 + i)}, donnees={"atelier": atelier})
    connecter(client, "agent")
    page1 = texte(client.get(URL))
    assert "Page 1 sur 2" in page1
    page2 = texte(client.get(URL, {"page": 2}))
    assert "Page 2 sur 2" in page2
    assert len(re.findall(r'<tr class="en-retard">', section(page2, "en-attente"))) == 3
    assert client.get(URL, {"page": "zzz"}).status_code == 200


# --- CSV export -----------------------------------------------------------------------------------

def lire_csv(reponse):
    """The export is for French offices: a UTF-8 BOM, then ``;``-separated rows."""
    return lire_export(reponse)


def test_export_csv(client, jeu):
    Proposition.objects.filter(pk=jeu["G"].pk).update(titre="=HYPERLINK(\"http://mal.example\")")
    connecter(client, "elu")
    reponse = client.get(URL_CSV)
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="suivi-propositions-')
    assert "no-store" in reponse["Cache-Control"]
    lignes = lire_csv(reponse)
    entete, donnees = lignes[0], lignes[1:]
    assert entete[:4] == ["Référence", "Titre", "État", "Champs d'action"]
    assert "En attente au-delà du délai" in entete and "Élu·e responsable" in entete
    assert len(donnees) == 8
    assert "Brouillon secret" not in reponse.content.decode()
    par_ref = {ligne[0]: dict(zip(entete, ligne, strict=True)) for ligne in donnees}
    # The late ones first, oldest submission first.
    assert [ligne[0] for ligne in donnees[:2]] == [jeu["F"].reference, jeu["I"].reference]
    assert par_ref[jeu["F"].reference]["En attente au-delà du délai"] == "oui"
    assert par_ref[jeu["G"].reference]["En attente au-delà du délai"] == "non"
    assert par_ref[jeu["G"].reference]["Titre"] == "'=HYPERLINK(\"http://mal.example\")"
    assert par_ref[jeu["F"].reference]["Jours dans l'état"] == "100"
    a = par_ref[jeu["A"].reference]
    assert a["Élu·e responsable"] == "Nadia Benali"
    assert a["Adoptée le"] == timezone.localtime(jeu["A"].adoptee_le).date().isoformat()
    assert a["Champs d'action"] == str(ChampAction.objects.get(numero=2))
    e = par_ref[jeu["E"].reference]
    assert (e["Avancement (%)"], e["Points de suivi"], e["Dernier point de suivi"]) == ("40", "2", "2026-05-04")
    assert e["Adresse"].endswith(f"/propositions/{jeu['E'].reference}/")


def test_export_csv_garde_les_filtres(client, jeu):
    connecter(client, "agent")
    donnees = lire_csv(client.get(URL_CSV, {"etat": "deposee"}))[1:]
    assert sorted(ligne[0] for ligne in donnees) == sorted([jeu["G"].reference, jeu["I"].reference])
    donnees = lire_csv(client.get(URL_CSV, {"champ": 2}))[1:]
    assert [ligne[0] for ligne in donnees] == [jeu["A"].reference]
    html = texte(client.get(URL, {"etat": "deposee"}))
    assert f'href="{URL_CSV}?etat=deposee"' in html


# --- Query counts ---------------------------------------------------------------------------------

def _creer_lot(n, elu, atelier):
    """``n`` proposals in varied states (waiting, adopted with follow-up and indicators, decided…)."""
    etats = [E.DEPOSEE, E.EN_INSTRUCTION, E.EN_OEUVRE, E.REALISEE, E.NON_RETENUE]
    for i in range(n):
        etat = etats[i % len(etats)]
        p = proposition_datee(etat, {E.DEPOSEE: il_y_a(200 - i), E.ADOPTEE: il_y_a(150 - i),
                                     E.NON_RETENUE: il_y_a(150 - i), E.REALISEE: il_y_a(50)},
                              donnees={"atelier": atelier, "responsable_elu": elu, "service_responsable": "DESS"})
        if etat in (E.EN_OEUVRE, E.REALISEE):
            PointSuivi.objects.create(proposition=p, date=datetime.date(2026, 1, 1), texte="Point")
            indicateur = Indicateur.objects.create(proposition=p, libelle="Indicateur", cible=10)
            ValeurIndicateur.objects.create(indicateur=indicateur, date=datetime.date(2026, 1, 1), valeur=1)


@pytest.mark.parametrize("url", [URL, URL_CSV])
def test_nombre_de_requetes_constant(client, db, django_assert_max_num_queries, url):
    elu = creer_utilisateur("elu")
    atelier = AtelierFactory()
    _creer_lot(5, elu, atelier)
    client.force_login(elu)
    client.get(url)
    with CaptureQueriesContext(connection) as peu:
        assert client.get(url).status_code == 200
    _creer_lot(35, elu, AtelierFactory())
    assert Proposition.objects.count() == 40
    with django_assert_max_num_queries(len(peu)):
        reponse = client.get(url)
    assert reponse.status_code == 200


# --- Engagement -----------------------------------------------------------------------------------

@pytest.fixture
def adoptee(db):
    return proposition_en(E.ADOPTEE, titre="Une cantine coopérative")


def url_engagement(p):
    return reverse("propositions:engagement", args=[p.reference])


def test_un_elu_prend_l_engagement_pour_lui_meme(client, adoptee):
    elu = connecter(client, "elu")
    autre_elu = creer_utilisateur("elu", first_name="Autre", last_name="Élue")
    html = texte(client.get(url_engagement(adoptee)))
    assert f'<option value="{elu.pk}" selected>' in html
    assert f'value="{autre_elu.pk}"' not in html  # an élu·e engages only themselves
    reponse = client.post(url_engagement(adoptee), {
        "responsable_elu": elu.pk, "service_responsable": "Direction de la restauration",
        "date_prevue": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
        "commentaire": "Je m'engage à ouvrir la cantine.",
    })
    assert reponse.status_code == 302
    assert reponse["Location"] == url_engagement(adoptee)
    adoptee.refresh_from_db()
    assert adoptee.etat == E.EN_OEUVRE
    assert adoptee.responsable_elu == elu and adoptee.service_responsable == "Direction de la restauration"
    etape = adoptee.transitions.last()
    assert (etape.vers, etape.instance, etape.par, etape.commentaire) == (
        E.EN_OEUVRE, Transition.Instance.ELU, elu, "Je m'engage à ouvrir la cantine.")
    html = texte(client.get(url_engagement(adoptee)))
    assert "L'engagement pris" in html and "Direction de la restauration" in html
    assert '<form method="post" novalidate>' not in html


def test_un_elu_ne_peut_pas_engager_un_autre_elu(client, adoptee):
    connecter(client, "elu")
    autre_elu = creer_utilisateur("elu")
    reponse = client.post(url_engagement(adoptee), {"responsable_elu": autre_elu.pk,
                                                    "service_responsable": "Service gardé"})
    assert reponse.status_code == 400
    html = texte(reponse)
    assert "Sélectionnez un choix valide" in html
    assert 'value="Service gardé"' in html
    adoptee.refresh_from_db()
    assert adoptee.etat == E.ADOPTEE


def test_le_secretariat_designe_l_elu_responsable(client, adoptee):
    agent = connecter(client, "agent")
    elu = creer_utilisateur("elu")
    reponse = client.post(url_engagement(adoptee), {"responsable_elu": elu.pk, "service_responsable": "DESS"})
    assert reponse.status_code == 302
    adoptee.refresh_from_db()
    assert (adoptee.etat, adoptee.responsable_elu) == (E.EN_OEUVRE, elu)
    etape = adoptee.transitions.last()
    assert (etape.instance, etape.par) == (Transition.Instance.SECRETARIAT, agent)


def test_engagement_erreurs_a_cote_des_champs(client, adoptee):
    elu = connecter(client, "elu")
    reponse = client.post(url_engagement(adoptee), {
        "responsable_elu": elu.pk, "service_responsable": "",
        "date_prevue": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "commentaire": "Texte gardé",
    })
    assert reponse.status_code == 400
    html = texte(reponse)
    assert re.search(r'id="id_service_responsable_error"><li>Champ requis\.</li>', html)
    assert "La date prévue de réalisation ne peut pas être déjà passée." in html
    assert "Texte gardé" in html
    adoptee.refresh_from_db()
    assert adoptee.etat == E.ADOPTEE


def test_engagement_d_une_proposition_non_adoptee(client, db):
    p = proposition_en(E.EN_INSTRUCTION)
    elu = connecter(client, "elu")
    html = texte(client.get(url_engagement(p)))
    assert "Cette proposition n'attend pas d'engagement" in html
    assert '<form method="post" novalidate>' not in html
    reponse = client.post(url_engagement(p), {"responsable_elu": elu.pk, "service_responsable": "X"})
    assert reponse.status_code == 400
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION


@pytest.mark.parametrize(("role", "attendu"), [
    ("anonyme", 302), ("acteur", 403), ("membre", 403), ("elu", 200), ("agent", 200)])
def test_acces_a_l_engagement(client, adoptee, role, attendu):
    connecter(client, role)
    assert client.get(url_engagement(adoptee)).status_code == attendu


def test_engagement_reference_inconnue_ou_auteur(client, adoptee):
    connecter(client, "elu")
    assert client.get("/propositions/P-1999-999/engagement/").status_code == 404
    client.force_login(adoptee.auteur)  # the author (an acteur) may not engage anyone
    assert client.post(url_engagement(adoptee), {"service_responsable": "X"}).status_code == 403


def test_engagement_exige_la_double_authentification(client, adoptee):
    client.force_login(creer_utilisateur("elu", mfa=False))
    reponse = client.get(url_engagement(adoptee))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "lien"), [("acteur", False), ("membre", False), ("elu", True), ("agent", True)])
def test_mon_espace_mene_au_tableau_de_bord_des_elus_et_agents(client, role, lien):
    client.force_login(creer_utilisateur(role))
    html = client.get("/mon-espace/").content.decode()
    assert ('<a href="/suivi/">Suivi des propositions</a>' in html) is lien
