"""Minutes from the animation's page: sanitized on save, draft then published (members told), documents."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ateliers.models import CompteRendu, DocumentCompteRendu
from ateliers.validators import TAILLE_MAX_DOCUMENT
from conseil_ess.comptes.models import Notification
from tests.conftest import creer_utilisateur

from .fabriques import AtelierFactory, ParticipationFactory, creer_reunion, creer_reunion_directe

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

HOSTILE = (
    '<h2>Relevé de décisions</h2><script>alert("xss")</script>'
    '<p style="color:red" onclick="voler()">Décision <strong>adoptée</strong>.</p>'
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">piège</a>'
    '<iframe src="https://malveillant.example"></iframe><a href="https://ess.example.org/guide">le guide</a>'
)
INTERDITS = ("<script", "onerror", "onclick", "javascript:", "<iframe", "style=", "<img")


def sans_scripts_du_site(page):
    """The page without the site's own local scripts (the layout's ``<script src="/static/…">``): what stays
    must hold no ``<script`` at all."""
    return re.sub(r'<script src="/static/[^"<>]+"( defer)?></script>', "", page)


@pytest.fixture
def animateur(db):
    return creer_utilisateur("acteur")


@pytest.fixture
def atelier(animateur):
    return AtelierFactory(titre="Alimentation durable", animateurs=[animateur])


@pytest.fixture
def membre(atelier):
    return ParticipationFactory(atelier=atelier).user


@pytest.fixture
def reunion(atelier):
    """A meeting that took place last week."""
    return creer_reunion_directe(atelier, jours=-7)


@pytest.fixture
def fichiers_prives():
    """Remove the files the test stored in the private storage."""
    yield Path(settings.FICHIERS_PRIVES_ROOT)
    for document in DocumentCompteRendu.objects.all():
        document.fichier.delete(save=False)


def url(nom, reunion, *args):
    return reverse(f"ateliers:{nom}", args=[reunion.atelier.slug, reunion.pk, *args])


def ecrire(client, reunion, contenu="<p>Nous avons parlé des cantines.</p>", action="brouillon", interne=False,
           **kwargs):
    donnees = {"contenu": contenu, "action": action}
    if interne:
        donnees["interne"] = "on"
    return client.post(url("compte_rendu", reunion), donnees, **kwargs)


def test_html_hostile_retire_a_l_enregistrement_et_sur_la_page_publique(client, animateur, reunion):
    client.force_login(animateur)
    ecrire(client, reunion, HOSTILE, action="publier")
    compte_rendu = CompteRendu.objects.get(reunion=reunion)
    assert compte_rendu.est_publie
    for interdit in INTERDITS:
        assert interdit not in compte_rendu.contenu, interdit
    assert "<strong>adoptée</strong>" in compte_rendu.contenu and 'href="https://ess.example.org/guide"' in \
        compte_rendu.contenu
    client.logout()
    page = sans_scripts_du_site(client.get(url("reunion", reunion)).content.decode())
    assert "Relevé de décisions" in page and "<strong>adoptée</strong>" in page
    for interdit in INTERDITS:
        assert interdit not in page, interdit


def test_brouillon_invisible_du_public_puis_publie(client, animateur, membre, reunion, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    client.force_login(animateur)
    reponse = ecrire(client, reunion, "<p>Texte encore provisoire.</p>", follow=True)
    assert "Le brouillon du compte rendu est enregistré" in reponse.content.decode()
    assert CompteRendu.objects.get(reunion=reunion).statut == CompteRendu.Statut.BROUILLON
    assert not Notification.objects.filter(destinataire=membre).exists()
    # Neither the public nor the atelier's members read a draft.
    client.logout()
    assert "Texte encore provisoire." not in client.get(url("reunion", reunion)).content.decode()
    client.force_login(membre)
    assert "Texte encore provisoire." not in client.get(url("reunion", reunion)).content.decode()
    client.force_login(animateur)
    with django_capture_on_commit_callbacks(execute=True):
        ecrire(client, reunion, "<p>Texte définitif.</p>", action="publier")
    compte_rendu = CompteRendu.objects.get(reunion=reunion)
    assert compte_rendu.est_publie and compte_rendu.publie_le is not None
    assert Notification.objects.filter(destinataire=membre, titre__startswith="Compte rendu publié").count() == 1
    assert not Notification.objects.filter(destinataire=animateur).exists()
    assert [m.to for m in mailoutbox] == [[membre.email]]
    client.logout()
    assert "Texte définitif." in client.get(url("reunion", reunion)).content.decode()


def test_repasser_en_brouillon(client, animateur, reunion):
    client.force_login(animateur)
    ecrire(client, reunion, "<p>Publié trop tôt.</p>", action="publier")
    page = client.get(url("compte_rendu", reunion)).content.decode()
    assert "Repasser en brouillon" in page and 'value="publier"' not in page
    client.post(url("compte_rendu", reunion), {"action": "retirer"})
    compte_rendu = CompteRendu.objects.get(reunion=reunion)
    assert compte_rendu.statut == CompteRendu.Statut.BROUILLON and compte_rendu.publie_le is None
    client.logout()
    assert "Publié trop tôt." not in client.get(url("reunion", reunion)).content.decode()


def test_modifier_un_compte_rendu_publie_le_garde_publie(client, animateur, reunion):
    client.force_login(animateur)
    ecrire(client, reunion, "<p>Version 1.</p>", action="publier")
    ecrire(client, reunion, "<p>Version 2.</p>", action="brouillon")
    compte_rendu = CompteRendu.objects.get(reunion=reunion)
    assert compte_rendu.est_publie and compte_rendu.contenu == "<p>Version 2.</p>"


def test_compte_rendu_interne_reserve_aux_membres(client, animateur, membre, reunion):
    client.force_login(animateur)
    ecrire(client, reunion, "<p>Entre nous.</p>", action="publier", interne=True)
    assert CompteRendu.objects.get(reunion=reunion).interne
    client.logout()
    assert "Entre nous." not in client.get(url("reunion", reunion)).content.decode()
    client.force_login(membre)
    assert "Entre nous." in client.get(url("reunion", reunion)).content.decode()


def test_publier_avant_la_reunion_garde_le_brouillon_et_explique(client, animateur, atelier):
    a_venir = creer_reunion(atelier, jours=4)
    client.force_login(animateur)
    reponse = ecrire(client, a_venir, "<p>Préparé à l'avance.</p>", action="publier", follow=True)
    assert "La réunion n&#x27;a pas encore eu lieu" in reponse.content.decode()
    assert CompteRendu.objects.get(reunion=a_venir).statut == CompteRendu.Statut.BROUILLON


def test_compte_rendu_vide_refuse_a_cote_du_champ(client, animateur, reunion):
    client.force_login(animateur)
    contenu = ecrire(client, reunion, "   ").content.decode()
    assert 'id="id_contenu_error"' in contenu and "Le compte rendu est vide." in contenu
    assert not CompteRendu.objects.exists()


def test_apercu_du_texte_nettoye(client, animateur, reunion):
    client.force_login(animateur)
    page = ecrire(client, reunion, HOSTILE, follow=True).content.decode()
    apercu = sans_scripts_du_site(page[page.index("Aperçu du texte enregistré"):])
    assert "<strong>adoptée</strong>" in apercu and "<script" not in apercu and "<iframe" not in apercu


def test_seule_l_animation_ecrit_le_compte_rendu(client, membre, reunion):
    client.force_login(membre)
    assert ecrire(client, reunion).status_code == 403
    assert not CompteRendu.objects.exists()


# --- Documents ------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def joindre(client, reunion, nom, contenu, titre="Support de présentation", **kwargs):
    return client.post(url("compte_rendu", reunion), {
        "action": "document", "document-titre": titre, "document-fichier": SimpleUploadedFile(nom, contenu),
    }, **kwargs)


def texte(reponse):
    """Return the page as text (entities decoded, non-breaking spaces as spaces)."""
    return html.unescape(reponse.content.decode()).replace("\xa0", " ")


@pytest.fixture
def avec_compte_rendu(client, animateur, reunion):
    client.force_login(animateur)
    ecrire(client, reunion)
    return CompteRendu.objects.get(reunion=reunion)


def test_le_formulaire_d_envoi_est_multipart(client, avec_compte_rendu, reunion):
    page = client.get(url("compte_rendu", reunion)).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="document-fichier"' in page


def test_pdf_accepte_et_range_hors_des_medias(client, avec_compte_rendu, reunion, animateur, fichiers_prives):
    reponse = joindre(client, reunion, "support.pdf", PDF, follow=True)
    document = DocumentCompteRendu.objects.get()
    assert "Le document « Support de présentation » est joint" in reponse.content.decode()
    assert document.compte_rendu == avec_compte_rendu and document.ajoute_par == animateur
    chemin = Path(document.fichier.path).resolve()
    assert chemin.is_relative_to(fichiers_prives.resolve()) and chemin.read_bytes() == PDF
    assert not chemin.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert url("document", reunion, document.pk) in reponse.content.decode()


def test_fichier_exe_refuse_avec_un_message_en_francais(client, avec_compte_rendu, reunion):
    contenu = texte(joindre(client, reunion, "outil.exe", b"MZ\x90\x00"))
    assert "L'extension de fichier « exe » n’est pas autorisée" in contenu
    assert 'id="id_document-fichier_error"' in contenu
    assert 'value="Support de présentation"' in contenu  # the title typed is kept
    assert not DocumentCompteRendu.objects.exists()


def test_fichier_de_plus_de_10_mo_refuse(client, avec_compte_rendu, reunion):
    contenu = texte(joindre(client, reunion, "gros.pdf", b"0" * (TAILLE_MAX_DOCUMENT + 1)))
    assert "Ce fichier pèse 10,0 Mo : la limite est de 10 Mo." in contenu
    assert 'id="id_document-fichier_error"' in contenu
    assert not DocumentCompteRendu.objects.exists()


def test_document_sans_compte_rendu_enregistre(client, animateur, reunion):
    client.force_login(animateur)
    reponse = joindre(client, reunion, "support.pdf", PDF, follow=True)
    assert "Enregistrez d&#x27;abord le compte rendu" in reponse.content.decode()
    assert not DocumentCompteRendu.objects.exists()


def test_supprimer_un_document(client, avec_compte_rendu, reunion, fichiers_prives,
                               django_capture_on_commit_callbacks):
    joindre(client, reunion, "support.pdf", PDF)
    document = DocumentCompteRendu.objects.get()
    chemin = Path(document.fichier.path)
    assert client.get(url("document_supprimer", reunion, document.pk)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        reponse = client.post(url("document_supprimer", reunion, document.pk), follow=True)
    assert "est supprimé" in reponse.content.decode()
    assert not DocumentCompteRendu.objects.exists() and not chemin.exists()


def test_supprimer_le_document_d_une_autre_reunion_donne_404(client, avec_compte_rendu, reunion, atelier,
                                                            fichiers_prives):
    autre = creer_reunion_directe(atelier, jours=-20)
    joindre(client, reunion, "support.pdf", PDF)
    document = DocumentCompteRendu.objects.get()
    assert client.post(url("document_supprimer", autre, document.pk)).status_code == 404
    assert client.post(url("document_supprimer", reunion, 999999)).status_code == 404
    assert DocumentCompteRendu.objects.filter(pk=document.pk).exists()


def test_supprimer_demande_le_droit_de_gerer(client, avec_compte_rendu, reunion, membre, fichiers_prives):
    joindre(client, reunion, "support.pdf", PDF)
    document = DocumentCompteRendu.objects.get()
    client.force_login(membre)
    assert client.post(url("document_supprimer", reunion, document.pk)).status_code == 403
    assert DocumentCompteRendu.objects.filter(pk=document.pk).exists()
