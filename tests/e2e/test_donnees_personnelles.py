"""Journey of a person who leaves the platform: downloads their data, then deletes their account (a wrong
password first), and is logged out; every page passes the axe audit."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from conseil_ess.propositions.models import Etat, Proposition
from tests.conftest import creer_utilisateur
from tests.propositions.fabriques import PropositionFactory, amener_a

from .actions import se_connecter, soumettre

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_telecharger_ses_donnees_puis_supprimer_son_compte(navigation):
    creer_utilisateur("agent")  # someone else administers the site
    personne = creer_utilisateur("acteur", email="lea.depart@example.org", nom_affiche="Léa Départ")
    deposee = PropositionFactory(auteur=personne, titre="Des ateliers vélo dans chaque quartier")
    amener_a(deposee, Etat.DEPOSEE)
    PropositionFactory(auteur=personne, titre="Un brouillon jamais déposé")
    page = navigation.page
    se_connecter(navigation, personne.email)

    navigation.aller("/mon-espace/")
    navigation.cliquer(page.get_by_role("link", name="Mes données"))
    with page.expect_download() as attente:
        page.get_by_role("button", name="Télécharger mes données (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(attente.value.path(), "rb").read()))
    donnees = json.loads(archive.read("mes-donnees.json"))
    assert "Un brouillon jamais déposé" in json.dumps(donnees, ensure_ascii=False)

    navigation.cliquer(page.locator("main").get_by_role("link", name="Supprimer mon compte"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    expect(page.locator("main")).to_contain_text("procès-verbaux publiés")
    page.get_by_label("Votre mot de passe").fill("pas-le-bon-mot-de-passe")
    soumettre(navigation, "Supprimer définitivement mon compte")
    expect(page.locator(".erreurs-formulaire")).to_contain_text("Rien n'a été supprimé.")
    assert Proposition.objects.filter(titre="Un brouillon jamais déposé").exists()

    from tests.factories import MOT_DE_PASSE

    page.get_by_label("Votre mot de passe").fill(MOT_DE_PASSE)
    soumettre(navigation, "Supprimer définitivement mon compte")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte est supprimé")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert not Proposition.objects.filter(titre="Un brouillon jamais déposé").exists()

    navigation.aller(f"/propositions/{Proposition.objects.get(pk=deposee.pk).reference}/")
    expect(page.locator("main")).to_contain_text("Contributeur·rice (compte supprimé)")
