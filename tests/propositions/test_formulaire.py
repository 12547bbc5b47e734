"""The author's pages: write a draft, preview and submit it (anti-flood), edit it until instruction,
withdraw it with a reason, attach documents (validated, served only to those who may see them)."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conseil_ess.comptes.models import ChampAction, Notification
from conseil_ess.propositions import services, workflow
from conseil_ess.propositions.models import Etat, PieceJointe, Proposition
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, CommuneFactory, StructureFactory

from .fabriques import PropositionFactory, amener_a, proposition_en

pytestmark = pytest.mark.django_db
E = Etat
URL_NOUVELLE = reverse("propositions:nouvelle")


def texte(reponse, statut=200):
    assert reponse.status_code == statut, reponse.status_code
    return reponse.content.decode().replace("\xa0", " ").replace("&#x27;", "'")


def messages_de(reponse):
    return [str(m) for m in get_messages(reponse.wsgi_request)]


def pdf(nom="note.pdf", contenu=b"%PDF-1.4 une note"):
    return SimpleUploadedFile(nom, contenu, content_type="application/pdf")


def donnees(**autres):
    valeurs = {"titre": "Une monnaie locale", "resume": "Une monnaie pour les commerces du quartier.",
               "description": "<p>Le constat.</p>", "champs": [ChampAction.objects.get(numero=2).pk],
               "levier": "", "atelier_suggere": "", "porteurs_texte": "", "piece_titre": ""}
    valeurs.update(autres)
    return valeurs


def erreur_du_champ(contenu, nom):
    """Return the error list rendered inside the field group of ``nom`` (empty if none)."""
    groupes = [g for g in contenu.split('<div class="champ">') if re.search(rf'name="{nom}"', g)]
    assert len(groupes) == 1, nom
    erreurs = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', groupes[0], re.S)
    return erreurs.group(1) if erreurs else ""


@pytest.fixture
def auteur(acteur):
    return acteur


# --- writing a draft ---------------------------------------------------------------------------------


def test_il_faut_etre_connecte_pour_ecrire(client):
    reponse = client.get(URL_NOUVELLE)
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("account_login"))


def test_le_formulaire_propose_les_leviers_et_mes_structures(client, auteur, monkeypatch):
    monkeypatch.setattr("conseil_ess.propositions.forms.libelles_leviers", lambda: ["Commande publique responsable"])
    mienne = AdhesionFactory(user=auteur, structure=StructureFactory(nom="Ma Coopérative")).structure
    StructureFactory(nom="Une autre structure")
    client.force_login(auteur)
    contenu = texte(client.get(URL_NOUVELLE))
    assert 'enctype="multipart/form-data"' in contenu
    assert '<datalist id="leviers"><option value="Commande publique responsable"></option></datalist>' in contenu
    assert 'list="leviers"' in contenu
    assert re.search(rf'name="structures" value="{mienne.pk}"', contenu)
    structures = contenu[contenu.index('name="structures"'):contenu.index('name="co_porteurs"')]
    assert "Une autre structure" not in structures  # only my own structures as carriers; others as co-carriers
    assert "Une autre structure" in contenu


def test_une_saisie_incomplete_garde_ce_qui_a_ete_tape(client, auteur):
    client.force_login(auteur)
    reponse = client.post(URL_NOUVELLE, donnees(champs=[], titre="Un titre à garder",
                                                resume="Un résumé « précieux » à garder."))
    contenu = texte(reponse)
    assert not Proposition.objects.exists()
    assert 'value="Un titre à garder"' in contenu
    assert "Un résumé « précieux » à garder.</textarea>" in contenu
    assert "Choisissez au moins un champ d'action." in erreur_du_champ(contenu, "champs")
    assert "Le formulaire contient des erreurs" in contenu
    assert '<a href="#id_champs_0">' in contenu  # the summary links to the field


def test_un_titre_manquant_est_signale_pres_du_champ(client, auteur):
    client.force_login(auteur)
    contenu = texte(client.post(URL_NOUVELLE, donnees(titre="")))
    assert "Champ requis." in erreur_du_champ(contenu, "titre")
    assert '<a href="#id_titre">' in contenu
    assert "Une monnaie pour les commerces du quartier.</textarea>" in contenu


def test_enregistrer_un_brouillon_puis_le_deposer(client, auteur):
    suiveuse = creer_utilisateur("acteur")
    co = StructureFactory(nom="Co-porteuse")
    mienne = AdhesionFactory(user=auteur).structure
    lyon = CommuneFactory(nom="Lyon", slug="lyon")
    client.force_login(auteur)
    reponse = client.post(URL_NOUVELLE, donnees(structures=[mienne.pk], co_porteurs=[co.pk], communes=[lyon.pk],
                                                levier="Foncier", porteurs_texte="Un collectif"))
    p = Proposition.objects.get()
    assert reponse.status_code == 302 and reponse.url == reverse("propositions:brouillon", args=[p.pk])
    assert (p.etat, p.reference, p.auteur) == (E.BROUILLON, None, auteur)
    # A structure the author is not a member of is only invited (it has no référent·e to tell here).
    assert set(p.structures.all()) == {mienne}
    assert p.invitations_portage.get().structure == co
    assert list(p.communes.all()) == [lyon] and p.levier == "Foncier"
    assert "Votre brouillon est enregistré" in messages_de(reponse)[0]
    assert not p.transitions.exists()
    assert client.get(reverse("propositions:liste")).content.decode().count("Une monnaie locale") == 0

    reponse = client.post(reverse("propositions:deposer", args=[p.pk]))
    p.refresh_from_db()
    annee = timezone.localdate().year
    assert p.etat == E.DEPOSEE and re.fullmatch(rf"P-{annee}-\d{{3}}", p.reference)
    assert reponse.url == reverse("propositions:detail", args=[p.reference])
    assert p.reference in messages_de(reponse)[0]
    assert p.transitions.get().vers == E.DEPOSEE
    # Nobody else is told of a submission: the author acted, and nobody follows it yet.
    assert not Notification.objects.exists() and not Notification.objects.filter(destinataire=suiveuse).exists()
    assert mail.outbox == []
    assert "Une monnaie locale" in texte(client.get(reverse("propositions:liste")))


def test_seul_l_auteur_depose_son_brouillon(client, acteur):
    brouillon = PropositionFactory()
    adresse = reverse("propositions:deposer", args=[brouillon.pk])
    client.force_login(acteur)
    assert client.post(adresse).status_code == 404
    client.force_login(brouillon.auteur)
    assert client.get(adresse).status_code == 405
    brouillon.refresh_from_db()
    assert brouillon.etat == E.BROUILLON


@override_settings(PROPOSITIONS_MAX_DEPOTS_PAR_JOUR=2)
def test_l_anti_flood_limite_les_depots_par_jour(client, auteur):
    brouillons = [PropositionFactory(auteur=auteur) for _i in range(3)]
    client.force_login(auteur)
    for p in brouillons[:2]:
        client.post(reverse("propositions:deposer", args=[p.pk]))
    reponse = client.post(reverse("propositions:deposer", args=[brouillons[2].pk]), follow=True)
    contenu = texte(reponse)
    assert "Vous avez déjà déposé 2 propositions en 24 heures" in contenu
    assert "Votre brouillon est gardé" in contenu
    assert [Proposition.objects.get(pk=p.pk).etat for p in brouillons] == [E.DEPOSEE, E.DEPOSEE, E.BROUILLON]


# --- editing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("etat", [E.BROUILLON, E.DEPOSEE])
def test_l_auteur_modifie_avant_l_instruction(client, etat):
    p = amener_a(PropositionFactory(titre="Ancien titre"), etat)
    client.force_login(p.auteur)
    adresse = reverse("propositions:modifier", args=[p.pk])
    assert 'value="Ancien titre"' in texte(client.get(adresse))
    reponse = client.post(adresse, donnees(titre="Nouveau titre"))
    assert reponse.status_code == 302
    p.refresh_from_db()
    assert (p.titre, p.etat) == ("Nouveau titre", etat)


@pytest.mark.parametrize("etat", [E.EN_INSTRUCTION, E.EN_ATELIER, E.ADOPTEE])
def test_apres_l_instruction_la_modification_est_refusee(client, etat):
    p = proposition_en(etat, titre="Titre instruit")
    client.force_login(p.auteur)
    adresse = reverse("propositions:modifier", args=[p.pk])
    assert "elle ne peut plus être modifiée" in texte(client.get(adresse), 403)
    assert "elle ne peut plus être modifiée" in texte(client.post(adresse, donnees(titre="Changé")), 403)
    p.refresh_from_db()
    assert p.titre == "Titre instruit"


def test_la_modification_est_refusee_aux_autres(client, acteur, agent):
    publique, brouillon = proposition_en(E.DEPOSEE), PropositionFactory()
    client.force_login(acteur)
    assert "Seul·e l'auteur·rice" in texte(client.get(reverse("propositions:modifier", args=[publique.pk])), 403)
    assert client.get(reverse("propositions:modifier", args=[brouillon.pk])).status_code == 404
    client.force_login(agent)
    assert client.get(reverse("propositions:modifier", args=[brouillon.pk])).status_code == 403


def test_une_instruction_pendant_la_saisie_est_signalee(client):
    p = proposition_en(E.DEPOSEE, titre="Titre d'origine")
    client.force_login(p.auteur)
    formulaire = reverse("propositions:modifier", args=[p.pk])
    client.get(formulaire)
    workflow.changer_etat(p, E.EN_INSTRUCTION, creer_utilisateur("agent"))
    assert client.post(formulaire, donnees(titre="Trop tard")).status_code == 403
    p.refresh_from_db()
    assert p.titre == "Titre d'origine"


# --- withdrawing ---------------------------------------------------------------------------------------


def test_retirer_exige_un_motif_qui_apparait_dans_le_parcours(client):
    p = proposition_en(E.EN_INSTRUCTION)
    client.force_login(p.auteur)
    adresse = reverse("propositions:retirer", args=[p.reference])
    assert 'name="motif"' in texte(client.get(adresse))

    contenu = texte(client.post(adresse, {"motif": "   "}))
    assert "Indiquez le motif du retrait" in contenu
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION

    reponse = client.post(adresse, {"motif": "Notre association porte désormais ce projet seule."})
    assert reponse.status_code == 302
    p.refresh_from_db()
    assert p.etat == E.RETIREE
    contenu = texte(client.get(p.get_absolute_url()))
    parcours = contenu[contenu.index('id="parcours"'):]
    assert "Retirée par son auteur·rice</strong>" in parcours
    assert "Notre association porte désormais ce projet seule." in parcours


def test_retirer_est_refuse_apres_l_adoption_et_aux_autres(client, acteur):
    adoptee = proposition_en(E.ADOPTEE)
    client.force_login(adoptee.auteur)
    adresse = reverse("propositions:retirer", args=[adoptee.reference])
    assert "ne peut plus être retirée" in texte(client.post(adresse, {"motif": "Tant pis"}), 403)
    deposee = proposition_en(E.DEPOSEE)
    client.force_login(acteur)
    assert "Seul·e l'auteur·rice" in texte(client.post(reverse("propositions:retirer", args=[deposee.reference]),
                                                      {"motif": "Pas à moi"}), 403)
    assert {adoptee.etat, Proposition.objects.get(pk=deposee.pk).etat} == {E.ADOPTEE, E.DEPOSEE}
    client.logout()
    reponse = client.get(reverse("propositions:retirer", args=[deposee.reference]))
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("account_login"))


# --- attachments ---------------------------------------------------------------------------------------


def test_joindre_un_document(client, auteur):
    client.force_login(auteur)
    client.post(URL_NOUVELLE, donnees(piece_titre="Budget prévisionnel", piece_fichier=pdf("budget.pdf")))
    p = Proposition.objects.get()
    piece = p.pieces_jointes.get()
    assert piece.titre == "Budget prévisionnel"
    contenu = texte(client.get(reverse("propositions:modifier", args=[p.pk])))
    assert f'<a href="{reverse("propositions:piece_jointe", args=[piece.pk])}">Budget prévisionnel</a>' in contenu


def test_un_document_trop_lourd_est_refuse_sans_rien_perdre(client, auteur, monkeypatch):
    monkeypatch.setattr("ateliers.validators.TAILLE_MAX_DOCUMENT", 1024)
    client.force_login(auteur)
    contenu = texte(client.post(URL_NOUVELLE, donnees(titre="Titre conservé", piece_titre="Annexe lourde",
                                                      piece_fichier=pdf(contenu=b"x" * 4096))))
    assert "la limite est de" in erreur_du_champ(contenu, "piece_fichier")
    assert 'value="Titre conservé"' in contenu and 'value="Annexe lourde"' in contenu
    assert not Proposition.objects.exists() and not PieceJointe.objects.exists()


def test_une_extension_interdite_est_refusee(client, auteur):
    p = PropositionFactory(auteur=auteur, titre="Mon brouillon")
    client.force_login(auteur)
    contenu = texte(client.post(reverse("propositions:modifier", args=[p.pk]),
                                donnees(titre="Titre modifié", piece_titre="Programme",
                                        piece_fichier=SimpleUploadedFile("virus.exe", b"MZ"))))
    erreur = erreur_du_champ(contenu, "piece_fichier")
    assert "extension" in erreur and "« exe »" in erreur
    assert 'value="Titre modifié"' in contenu
    p.refresh_from_db()
    assert p.titre == "Mon brouillon" and not PieceJointe.objects.exists()


def test_un_document_sans_titre_est_signale(client, auteur):
    client.force_login(auteur)
    contenu = texte(client.post(URL_NOUVELLE, donnees(piece_fichier=pdf())))
    assert "Donnez un titre au document joint." in erreur_du_champ(contenu, "piece_titre")


def test_un_document_n_est_servi_qu_a_qui_peut_voir_la_proposition(client, acteur, agent):
    brouillon = PropositionFactory()
    piece = services.ajouter_piece_jointe(brouillon, "Annexe", pdf("annexe.pdf", b"%PDF contenu secret"),
                                          brouillon.auteur)
    adresse = reverse("propositions:piece_jointe", args=[piece.pk])
    assert client.get(adresse).status_code == 404
    client.force_login(acteur)
    assert client.get(adresse).status_code == 404
    for personne in (brouillon.auteur, agent):
        client.force_login(personne)
        reponse = client.get(adresse)
        assert reponse.status_code == 200
        assert b"".join(reponse.streaming_content) == b"%PDF contenu secret"
        assert reponse["Content-Disposition"].startswith("attachment")

    amener_a(brouillon, E.DEPOSEE)
    client.logout()
    assert client.get(adresse).status_code == 200
