"""The register of processing (/donnees-personnelles/, the DPO's CSV) and the accessibility statement."""

import datetime
import re

import pytest
from django.urls import reverse

from conseil_ess.comptes import traitements
from conseil_ess.typographie import typographier
from home.accessibilite import DECLARATION
from home.models import LegalPage
from tests.conftest import creer_utilisateur
from tests.factories import MOT_DE_PASSE
from tests.tableurs import lire_export

from .outils import publier

pytestmark = pytest.mark.django_db


def test_chaque_application_declare_ses_traitements():
    apps = {t.app for t in traitements.registre()}
    assert {"comptes", "evenements", "ateliers", "propositions", "seances"} <= apps
    for t in traitements.registre():
        assert t.finalite and t.base_legale and t.donnees and t.destinataires and t.durees(), t.code


def test_page_publique_lit_le_registre_et_les_reglages(client, settings):
    settings.CONSERVATION_INACTIVITE_JOURS = 2 * 365
    settings.CONSERVATION_COMPTE_NON_VERIFIE_JOURS = 11
    settings.CONSERVATION_INSCRIPTIONS_JOURS = 200
    settings.RESPONSABLE_TRAITEMENT = "Métropole de Test, 2 rue du Test"
    settings.CONTACT_DPO = "dpo@test.example"

    html = client.get("/donnees-personnelles/").content.decode()

    for t in traitements.registre():
        # In a heading, the site's typography puts a non-breaking space before « : » (conseil_ess/typographie.py).
        assert typographier(str(t.finalite).replace("'", "&#x27;")) in html
    assert "compte sans connexion pendant 2 ans" in html
    assert "supprimé après 11 jours" in html
    assert "anonymisées 200 jours après la fin" in html
    assert "Métropole de Test, 2 rue du Test" in html
    assert 'href="mailto:dpo@test.example"' in html
    assert 'href="/mon-espace/mes-donnees/"' in html
    assert 'href="/mon-espace/supprimer-mon-compte/"' in html
    assert "CNIL" in html
    for nom in ("sessionid", "csrftoken", "messages"):
        assert f"<code>{nom}</code>" in html


def test_seuls_les_cookies_declares_sont_deposes(client):
    """Sign in, act (a message is shown), sign out: every cookie the site sets is on the page's list."""
    declares = {c.nom for c in traitements.cookies()}
    user = creer_utilisateur("acteur")
    deposes = set()
    reponses = [client.get("/compte/login/")]
    reponses.append(client.post("/compte/login/", {"login": user.email, "password": MOT_DE_PASSE}))
    client.force_login(user)
    reponses += [client.get("/mon-espace/"), client.get("/mon-espace/profil/"),
                 client.post(reverse("account_logout")), client.get("/donnees-personnelles/")]
    for r in reponses:
        deposes |= set(r.cookies)
    assert deposes, "aucun cookie observé : le test ne vérifie rien"
    assert deposes <= declares


def test_csv_du_registre_pour_le_dpo(client, settings):
    settings.CONSERVATION_NOTIFICATIONS_LUES_JOURS = 90
    agent = creer_utilisateur("agent")
    client.force_login(agent)

    page = client.get(reverse("registre_traitements:index"))
    assert page.status_code == 200
    reponse = client.get(reverse("registre_traitements:csv"))

    assert reponse["Content-Type"].startswith("text/csv")
    assert reponse.content.startswith("\ufeff".encode())
    lignes = lire_export(reponse)
    assert lignes[0][:3] == ["Code", "Finalité", "Base légale"]
    codes = [ligne[0] for ligne in lignes[1:]]
    assert codes == [t.code for t in traitements.registre()]
    notifications = lignes[1 + codes.index("notifications")]
    assert "supprimée après 90 jours" in notifications[6]
    assert notifications[-1] == settings.CONTACT_DPO


def test_declaration_d_accessibilite(client):
    html = client.get("/accessibilite/").content.decode()
    assert "<strong>partiellement conforme</strong>" in html
    assert "RGAA 4.1" in html
    assert DECLARATION["date"].isoformat() in html
    for _titre, chemin in DECLARATION["pages_auditees"]:
        assert f'href="{chemin}"' in html
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in html
    assert 'href="https://formulaire.defenseurdesdroits.fr/"' in html
    assert f'mailto:{DECLARATION["contact"]["courriel"]}' in html


def test_pied_de_page_lie_les_pages_generees_sans_page_legale(client):
    html = client.get("/accessibilite/").content.decode()
    pied = html[html.index('<footer'):]
    liens = re.findall(r'<a href="([^"]+)">([^<]+)</a>', pied)
    assert ("/donnees-personnelles/", "Données personnelles") in liens
    assert ("/accessibilite/", "Accessibilité : partiellement conforme") in liens


def test_la_page_legale_sert_d_introduction(client, accueil):
    publier(accueil, LegalPage(title="Données personnelles", slug="donnees-personnelles",
                               mis_a_jour_le=datetime.date(2026, 5, 15),
                               body=[("paragraphe", "<p>Introduction rédigée par le secrétariat.</p>")]))
    html = client.get("/donnees-personnelles/").content.decode()
    assert "Introduction rédigée par le secrétariat." in html
    assert "Registre des traitements" in html
