"""Co-carrier structures agree: a structure named by someone who is not its member is invited, its
référent·e·s are told and accept or refuse from « Mon espace »; until then it is shown as invited, never as
a carrier (proposal page, list, open data, search text)."""

import pytest
from django.urls import reverse

from conseil_ess.comptes.models import Adhesion, Notification
from conseil_ess.propositions import etats, services, workflow
from conseil_ess.propositions.forms import PropositionForm
from conseil_ess.propositions.models import Etat, InvitationPortage, Proposition
from tests.conftest import creer_utilisateur
from tests.factories import AdhesionFactory, StructureFactory

from .fabriques import PropositionFactory

pytestmark = pytest.mark.django_db
I = InvitationPortage.Etat  # noqa: E741


def texte(reponse, statut=200):
    assert reponse.status_code == statut, reponse.status_code
    return reponse.content.decode().replace("\xa0", " ").replace("&#x27;", "'")


@pytest.fixture
def monde():
    auteur = creer_utilisateur("acteur")
    mienne = AdhesionFactory(user=auteur, structure=StructureFactory(nom="Ma Ressourcerie")).structure
    autre = StructureFactory(nom="La Coopérative Voisine")
    referente = creer_utilisateur("acteur")
    AdhesionFactory(user=referente, structure=autre, role=Adhesion.Role.REFERENT)
    membre = creer_utilisateur("acteur")
    AdhesionFactory(user=membre, structure=autre, role=Adhesion.Role.MEMBRE)
    proposition = services.creer_brouillon(Proposition(titre="Un fonds de réemploi", resume="r", description="d"),
                                           auteur, structures=[mienne, autre])
    workflow.changer_etat(proposition, Etat.DEPOSEE, auteur)  # the invitations leave at the deposit
    return {"auteur": auteur, "mienne": mienne, "autre": autre, "referente": referente, "membre": membre,
            "proposition": proposition}


def test_une_structure_dont_l_auteur_n_est_pas_membre_est_invitee(monde):
    p = monde["proposition"]
    assert list(p.structures.all()) == [monde["mienne"]]
    invitation = p.invitations_portage.get()
    assert (invitation.structure, invitation.etat) == (monde["autre"], I.INVITEE)
    assert invitation.invite_par == monde["auteur"]
    # Only its référent·e·s are told, in their own category, with the way to answer.
    notification = Notification.objects.get(categorie=services.CATEGORIE_PORTAGE)
    assert notification.destinataire == monde["referente"]
    assert "La Coopérative Voisine" in notification.message and notification.url == reverse("comptes:mon_espace")


def test_le_journal_consigne_l_invitation_et_la_reponse(monde):
    from wagtail.models import ModelLogEntry

    services.decider_invitation(monde["proposition"].invitations_portage.get(), monde["referente"], accepter=False)
    entrees = ModelLogEntry.objects.filter(object_id=str(monde["proposition"].pk))
    actions = list(entrees.values_list("action", flat=True))
    assert "conseil.proposition.portage_invite" in actions and "conseil.proposition.portage_refuse" in actions


def test_enregistrer_a_nouveau_ne_reinvite_pas_et_retirer_une_structure_retire_son_invitation(monde):
    p, autre = monde["proposition"], monde["autre"]
    services.enregistrer(p, monde["auteur"], structures=[monde["mienne"], autre])
    assert p.invitations_portage.count() == 1
    assert Notification.objects.filter(categorie=services.CATEGORIE_PORTAGE).count() == 1
    # The form shows the invited structure among the co-carriers, so that saving again keeps it.
    assert PropositionForm(instance=p, user=monde["auteur"]).initial["co_porteurs"] == [autre.pk]
    services.enregistrer(p, monde["auteur"], structures=[monde["mienne"]])
    assert not p.invitations_portage.exists() and list(p.structures.all()) == [monde["mienne"]]


def test_la_referente_accepte_et_la_structure_devient_porteuse(monde):
    p = monde["proposition"]
    invitation = services.decider_invitation(p.invitations_portage.get(), monde["referente"], accepter=True)
    assert (invitation.etat, invitation.decide_par) == (I.ACCEPTEE, monde["referente"])
    assert set(p.structures.all()) == {monde["mienne"], monde["autre"]}
    reponse = Notification.objects.get(destinataire=monde["auteur"], categorie=services.CATEGORIE_PORTAGE)
    assert "porte désormais" in reponse.message
    # Once answered, no second answer; saving the proposal again keeps the accepted carrier.
    with pytest.raises(services.ActionImpossible, match="déjà reçu une réponse"):
        services.decider_invitation(invitation, monde["referente"], accepter=False)
    services.enregistrer(p, monde["auteur"], structures=[monde["mienne"], monde["autre"]])
    assert set(p.structures.all()) == {monde["mienne"], monde["autre"]}


def test_un_refus_laisse_la_structure_hors_des_porteurs(monde):
    p = monde["proposition"]
    services.decider_invitation(p.invitations_portage.get(), monde["referente"], accepter=False)
    assert p.invitations_portage.get().etat == I.REFUSEE
    assert list(p.structures.all()) == [monde["mienne"]]
    # Naming it again does not invite it again.
    services.enregistrer(p, monde["auteur"], structures=[monde["mienne"], monde["autre"]])
    assert p.invitations_portage.get().etat == I.REFUSEE and list(p.structures.all()) == [monde["mienne"]]


@pytest.mark.parametrize("qui", ["auteur", "membre", "agent", "autre_acteur"])
def test_seule_une_referente_de_la_structure_repond(monde, qui):
    personne = monde.get(qui) or creer_utilisateur("agent" if qui == "agent" else "acteur")
    with pytest.raises(services.ActionImpossible, match="référent·e de la structure invitée"):
        services.decider_invitation(monde["proposition"].invitations_portage.get(), personne, accepter=True)
    assert monde["proposition"].invitations_portage.get().etat == I.INVITEE


def test_la_table_des_etats_est_lue(monde, monkeypatch):
    from conseil_ess.comptes.etats import Machine

    reduite = Machine("invitation_portage", I, [p for p in etats.INVITATION.passages if p.vers != I.ACCEPTEE])
    monkeypatch.setattr(etats, "INVITATION", reduite)
    with pytest.raises(services.ActionImpossible, match="Impossible de passer"):
        services.decider_invitation(monde["proposition"].invitations_portage.get(), monde["referente"], accepter=True)


def test_mon_espace_propose_d_accepter_ou_refuser(client, monde):
    invitation = monde["proposition"].invitations_portage.get()
    client.force_login(monde["membre"])
    assert "Invitations à porter une proposition" not in texte(client.get(reverse("comptes:mon_espace")))
    url = reverse("propositions:decider_portage", args=[invitation.pk])
    assert client.post(url, {"decision": "accepter"}).status_code == 403
    client.force_login(monde["referente"])
    contenu = texte(client.get(reverse("comptes:mon_espace")))
    assert "Invitations à porter une proposition" in contenu and "Un fonds de réemploi" in contenu
    assert f'action="{url}"' in contenu and "Accepter au nom de La Coopérative Voisine" in contenu
    reponse = client.post(url, {"decision": "accepter"})
    assert reponse.status_code == 302 and reponse.url == reverse("comptes:mon_espace")
    invitation.refresh_from_db()
    assert invitation.etat == I.ACCEPTEE
    assert "Invitations à porter une proposition" not in texte(client.get(reverse("comptes:mon_espace")))
    assert client.get(url).status_code == 405


def test_en_public_une_structure_invitee_n_est_pas_porteuse(client, monde):
    p = PropositionFactory(etat=Etat.DEPOSEE, reference="P-2026-950", titre="Un fonds de réemploi",
                           auteur=monde["auteur"])
    services.enregistrer(p, monde["auteur"], structures=[monde["mienne"], monde["autre"]])
    page = texte(client.get(reverse("propositions:detail", args=[p.reference])))
    porteurs = page[page.index("Portée par"):page.index("Déposée par")]
    assert "Ma Ressourcerie" in porteurs
    assert "La Coopérative Voisine" not in porteurs.split("Structures invitées à la porter")[0]
    assert "Structures invitées à la porter" in porteurs and "invitée, pas encore porteuse" in porteurs
    assert "La Coopérative Voisine" not in texte(client.get(reverse("propositions:liste")))
    assert "La Coopérative Voisine" not in texte(client.get(reverse("propositions:donnees_json")))
    assert "voisin" not in p.texte_recherche()

    services.decider_invitation(p.invitations_portage.get(), monde["referente"], accepter=True)
    page = texte(client.get(reverse("propositions:detail", args=[p.reference])))
    assert "La Coopérative Voisine" in page[page.index("Portée par"):page.index("Déposée par")]
    assert "invitée, pas encore porteuse" not in page
    assert "La Coopérative Voisine" in texte(client.get(reverse("propositions:liste")))
    assert "La Coopérative Voisine" in texte(client.get(reverse("propositions:donnees_json")))
    assert "voisin" in p.texte_recherche()


def test_le_json_des_structures_validees_pour_le_selecteur(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conseil_ess.comptes.models import Structure

    url = reverse("propositions:structures_json")
    StructureFactory(nom="Ressourcerie 00")
    with CaptureQueriesContext(connection) as peu:
        assert len(client.get(url, {"q": "ressourc"}).json()["resultats"]) == 1
    for i in range(1, 25):
        StructureFactory(nom=f"Ressourcerie {i:02d}")
    StructureFactory(nom="Ressourcerie en attente", statut=Structure.Statut.EN_ATTENTE)
    StructureFactory(nom="Épicerie solidaire")
    with django_assert_max_num_queries(len(peu)):  # flat with the number of structures
        resultats = client.get(url, {"q": "ressourc"}).json()["resultats"]
    assert len(resultats) == 20 and resultats[0]["nom"] == "Ressourcerie 00"
    assert all(set(r) == {"id", "nom", "commune"} for r in resultats)  # no personal data
    assert "Ressourcerie en attente" not in [r["nom"] for r in client.get(url, {"q": "attente"}).json()["resultats"]]
    assert [r["nom"] for r in client.get(url, {"q": "solidaire"}).json()["resultats"]] == ["Épicerie solidaire"]


def test_le_formulaire_garde_le_select_et_charge_le_selecteur(client, monde):
    client.force_login(monde["auteur"])
    contenu = texte(client.get(reverse("propositions:modifier", args=[monde["proposition"].pk])))
    # Without JavaScript the multiple select works as before (the invited structure stays selected).
    assert 'name="co_porteurs"' in contenu and "<select" in contenu
    assert f'<option value="{monde["autre"].pk}" selected>La Coopérative Voisine</option>' in contenu
    assert f'data-url="{reverse("propositions:structures_json")}"' in contenu
    assert "js/selecteur_structures.js" in contenu


# --- Invitations wait for the deposit (issue 17) ---------------------------------------------------------------


@pytest.fixture
def brouillon():
    auteur = creer_utilisateur("acteur")
    mienne = AdhesionFactory(user=auteur, structure=StructureFactory(nom="Ma Ressourcerie")).structure
    autre = StructureFactory(nom="La Coopérative Voisine")
    referente = creer_utilisateur("acteur")
    AdhesionFactory(user=referente, structure=autre, role=Adhesion.Role.REFERENT)
    p = services.creer_brouillon(Proposition(titre="Un brouillon discret", resume="r", description="d"), auteur,
                                 structures=[mienne, autre])
    return {"auteur": auteur, "mienne": mienne, "autre": autre, "referente": referente, "proposition": p}


def test_un_brouillon_garde_les_structures_sans_prevenir_personne(client, brouillon):
    p = brouillon["proposition"]
    assert list(p.structures.all()) == [brouillon["mienne"]]  # the author's own structure carries it at once
    invitation = p.invitations_portage.get()
    assert (invitation.structure, invitation.etat) == (brouillon["autre"], I.A_INVITER)
    assert not Notification.objects.filter(categorie=services.CATEGORIE_PORTAGE).exists()
    # The référente sees nothing in « Mon espace » and cannot answer yet.
    client.force_login(brouillon["referente"])
    contenu = texte(client.get(reverse("comptes:mon_espace")))
    assert "Un brouillon discret" not in contenu and "Invitations à porter une proposition" not in contenu
    with pytest.raises(services.ActionImpossible, match="pas encore déposée"):
        services.decider_invitation(invitation, brouillon["referente"], accepter=True)
    # Saving the draft again keeps the wish, still silent; the form keeps it among the co-carriers.
    services.enregistrer(p, brouillon["auteur"], structures=[brouillon["mienne"], brouillon["autre"]])
    assert p.invitations_portage.get().etat == I.A_INVITER
    assert PropositionForm(instance=p, user=brouillon["auteur"]).initial["co_porteurs"] == [brouillon["autre"].pk]
    assert not Notification.objects.filter(categorie=services.CATEGORIE_PORTAGE).exists()
    # The author's preview lists it « à inviter au dépôt ».
    client.force_login(brouillon["auteur"])
    apercu = texte(client.get(reverse("propositions:brouillon", args=[p.pk])))
    assert "La Coopérative Voisine" in apercu and "(à inviter au dépôt)" in apercu
    assert "invitée, pas encore porteuse" not in apercu


def test_le_depot_envoie_les_invitations(client, brouillon):
    from wagtail.models import ModelLogEntry

    p = brouillon["proposition"]
    client.force_login(brouillon["auteur"])
    assert client.post(reverse("propositions:deposer", args=[p.pk])).status_code == 302
    invitation = p.invitations_portage.get()
    assert invitation.etat == I.INVITEE
    notification = Notification.objects.get(categorie=services.CATEGORIE_PORTAGE)
    assert notification.destinataire == brouillon["referente"] and "Un brouillon discret" in notification.message
    assert ModelLogEntry.objects.filter(object_id=str(p.pk), action="conseil.proposition.portage_invite").count() == 1
    p.refresh_from_db()
    page = texte(client.get(p.get_absolute_url()))
    assert "invitée, pas encore porteuse" in page and "à inviter au dépôt" not in page
    client.force_login(brouillon["referente"])
    assert "Un brouillon discret" in texte(client.get(reverse("comptes:mon_espace")))
    services.decider_invitation(invitation, brouillon["referente"], accepter=True)
    assert set(p.structures.all()) == {brouillon["mienne"], brouillon["autre"]}


def test_une_structure_rejointe_avant_le_depot_porte_sans_invitation(brouillon):
    p = brouillon["proposition"]
    AdhesionFactory(user=brouillon["auteur"], structure=brouillon["autre"])
    workflow.changer_etat(p, Etat.DEPOSEE, brouillon["auteur"])
    assert not p.invitations_portage.exists()
    assert set(p.structures.all()) == {brouillon["mienne"], brouillon["autre"]}
    assert not Notification.objects.filter(categorie=services.CATEGORIE_PORTAGE).exists()


def test_retirer_une_structure_du_brouillon_efface_le_souhait(brouillon):
    p = brouillon["proposition"]
    services.enregistrer(p, brouillon["auteur"], structures=[brouillon["mienne"]])
    assert not p.invitations_portage.exists()
    workflow.changer_etat(p, Etat.DEPOSEE, brouillon["auteur"])
    assert not Notification.objects.filter(categorie=services.CATEGORIE_PORTAGE).exists()
