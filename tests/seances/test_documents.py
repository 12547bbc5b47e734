"""Documents of a séance: downloaded through ``seances:document`` by whoever sees the séance (public once the
agenda is published), listed on the séance's page; wrong ids give 404; flat query counts on the page."""

import html

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.seances import documents, services
from conseil_ess.seances.models import DocumentSeance
from tests.conftest import creer_utilisateur

from .fabriques import membre_en_exercice, nouvelle_seance, un_agent

pytestmark = pytest.mark.django_db


def joindre(seance, agent, titre="Note de synthèse", nom="note.pdf", contenu=b"%PDF-1.4 contenu de la note"):
    return documents.ajouter_document(seance, agent, titre, ContentFile(contenu, name=nom))


def url(seance, document):
    return reverse("seances:document", args=[seance.slug, document.pk])


def contenu_telecharge(reponse):
    return b"".join(reponse.streaming_content)


@pytest.fixture
def seance_en_preparation():
    agent = un_agent()
    seance = nouvelle_seance(agent)
    services.ajouter_point(seance, agent, "Accueil")
    return seance, agent


def test_le_public_ne_telecharge_qu_apres_publication(client, seance_en_preparation):
    seance, agent = seance_en_preparation
    document = joindre(seance, agent)
    assert client.get(url(seance, document)).status_code == 404
    client.force_login(membre_en_exercice())
    assert client.get(url(seance, document)).status_code == 404

    services.publier_ordre_du_jour(seance, agent)
    client.logout()
    reponse = client.get(url(seance, document))
    assert reponse.status_code == 200
    assert contenu_telecharge(reponse) == b"%PDF-1.4 contenu de la note"
    assert "attachment" in reponse["Content-Disposition"] and "note" in reponse["Content-Disposition"]


@pytest.mark.parametrize("role", ["agent", "elu"])
def test_secretariat_et_elus_telechargent_avant_publication(client, seance_en_preparation, role):
    seance, agent = seance_en_preparation
    document = joindre(seance, agent)
    client.force_login(creer_utilisateur(role))
    assert client.get(url(seance, document)).status_code == 200


def test_mauvais_identifiants_donnent_404(client, seance_en_preparation):
    seance, agent = seance_en_preparation
    services.publier_ordre_du_jour(seance, agent)
    document = joindre(seance, agent)
    autre = nouvelle_seance(agent, titre="Une autre séance")
    services.ajouter_point(autre, agent, "Accueil")
    services.publier_ordre_du_jour(autre, agent)
    document_autre = joindre(autre, agent, titre="Document d'une autre séance")

    assert client.get(reverse("seances:document", args=[seance.slug, 999999])).status_code == 404
    assert client.get(reverse("seances:document", args=["pas-de-seance", document.pk])).status_code == 404
    # A document of another séance, reached through this séance's address.
    assert client.get(reverse("seances:document", args=[seance.slug, document_autre.pk])).status_code == 404
    # The file missing from the storage: 404, not an error page.
    DocumentSeance.objects.filter(pk=document.pk).update(fichier="seances/documents/disparu.pdf")
    assert client.get(url(seance, document)).status_code == 404


def test_la_page_de_la_seance_liste_les_documents(client, seance_en_preparation):
    seance, agent = seance_en_preparation
    services.publier_ordre_du_jour(seance, agent)
    document = joindre(seance, agent, titre="Diaporama", nom="diaporama.pdf",
                       contenu=b"%PDF-1.4\n" + b"x" * 2039)
    page = html.unescape(client.get(seance.get_absolute_url()).content.decode())
    assert "Documents" in page and "Diaporama" in page and url(seance, document) in page
    assert "PDF" in page and "2,0\xa0Kio" in page


def test_la_page_sans_document(client, seance_en_preparation):
    seance, agent = seance_en_preparation
    services.publier_ordre_du_jour(seance, agent)
    page = html.unescape(client.get(seance.get_absolute_url()).content.decode())
    assert "Aucun document n'est joint à cette séance." in page


def test_ajouter_un_document_verifie_le_fichier_et_le_role(seance_en_preparation):
    seance, agent = seance_en_preparation
    with pytest.raises(ActionImpossible, match="secrétariat"):
        joindre(seance, membre_en_exercice())
    with pytest.raises(ActionImpossible, match="extension"):
        joindre(seance, agent, nom="programme.exe")
    with pytest.raises(ActionImpossible, match="titre"):
        joindre(seance, agent, titre="  ")
    assert not DocumentSeance.objects.exists()
    assert joindre(seance, agent).ordre == 1 and joindre(seance, agent, titre="Deux").ordre == 2


@pytest.mark.parametrize("n", [1, 10])
def test_la_page_de_la_seance_en_nombre_constant_de_requetes(client, settings, seance_en_preparation,
                                                              django_assert_max_num_queries, n):
    settings.CACHE_PAGES = False  # the view's own queries, not the page cache's (conseil_ess/cache_pages)
    seance, agent = seance_en_preparation
    services.publier_ordre_du_jour(seance, agent)
    for i in range(n):
        joindre(seance, agent, titre=f"Document {i}")
    client.get(seance.get_absolute_url())
    with django_assert_max_num_queries(12):
        reponse = client.get(seance.get_absolute_url())
    assert len(reponse.context["documents"]) == n


def test_plafonds_des_documents_de_seance(seance_en_preparation, settings):
    """Like every attachment: at most PIECES_JOINTES_MAX_PAR_OBJET per séance and PIECES_JOINTES_MAX_PAR_JOUR per
    person over 24 hours, with a French refusal; nothing is written past the cap."""
    seance, agent = seance_en_preparation
    settings.PIECES_JOINTES_MAX_PAR_OBJET = 2
    settings.PIECES_JOINTES_MAX_PAR_JOUR = 3
    joindre(seance, agent, "Un")
    joindre(seance, agent, "Deux")
    with pytest.raises(ActionImpossible):
        joindre(seance, agent, "Trois")
    assert seance.documents.count() == 2
    autre = nouvelle_seance(agent)
    joindre(autre, agent, "Trois")
    with pytest.raises(ActionImpossible):
        joindre(autre, agent, "Quatre")  # the person's fourth document of the day
    assert DocumentSeance.objects.filter(ajoute_par=agent).count() == 3
