"""The Conseil's back office in the Wagtail admin: members (decisions through the services) and collèges."""


import pytest
from django.urls import reverse

from conseil_ess.comptes import roles
from conseil_ess.comptes.models import College, MembreConseil, Notification
from tests.conftest import creer_utilisateur
from tests.factories import StructureFactory, UserFactory
from tests.tableurs import lire_export

from .fabriques import MembreConseilFactory, acteur_de, college

pytestmark = pytest.mark.django_db
S = MembreConseil.Statut
LISTE = reverse("comptes_mandats:index")
COLLEGES = reverse("comptes_colleges:index")


def url(action, mandat):
    return reverse(f"comptes_mandats:{action}", args=[mandat.pk])


@pytest.fixture
def client_agent(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def demande():
    """A pending request of a person who belongs to their (validated) structure."""
    personne = acteur_de(StructureFactory(nom="Les Jardins de la Lère"))
    return MembreConseilFactory(user=personne, structure=personne.adhesions.get().structure, statut=S.DEMANDE,
                                motivation="Pour l'insertion.")


def dans_le_groupe(user):
    return user.groups.filter(name=roles.MEMBRE).exists()


def donnees_edition(mandat, **kwargs):
    donnees = {"structure": mandat.structure_id, "college": mandat.college_id, "statut": mandat.statut,
               "motif": mandat.motif}
    if mandat.affichage_public:
        donnees["affichage_public"] = "on"
    donnees.update(kwargs)
    return donnees


def messages_de(reponse):
    return [str(m) for m in reponse.context["messages"]] if reponse.context else []


# --- Listing --------------------------------------------------------------------------------------


def test_la_liste_filtre_par_statut_et_college_avec_le_bouton_valider(client_agent, demande):
    valide = MembreConseilFactory(college=college("entreprises-ess"))
    reponse = client_agent.get(LISTE)
    assert reponse.status_code == 200
    assert set(reponse.context["object_list"]) == {demande, valide}
    html = reponse.content.decode()
    assert url("valider", demande) in html and url("refuser", demande) in html
    assert url("suspendre", valide) in html and url("valider", valide) not in html

    assert list(client_agent.get(LISTE, {"statut": "demande"}).context["object_list"]) == [demande]
    assert list(client_agent.get(LISTE, {"college": valide.college_id}).context["object_list"]) == [valide]
    assert list(client_agent.get(LISTE, {"q": "Jardins"}).context["object_list"]) == [demande]


def test_export_csv_sans_formule(client_agent):
    MembreConseilFactory(user=UserFactory(first_name="=HYPERLINK(1)", last_name="Piège"),
                         structure=StructureFactory(nom="Scop du Pont"), affichage_public=False)
    reponse = client_agent.get(LISTE, {"export": "csv"})
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/csv")
    lignes = lire_export(reponse)
    assert lignes[0][:3] == ["E-mail", "Prénom", "Nom"]
    assert lignes[1][1] == "'=HYPERLINK(1)" and "Scop du Pont" in lignes[1] and "Membre" in lignes[1]
    assert "non" in lignes[1]  # does not appear in the public list


# --- Decisions from the buttons -------------------------------------------------------------------


def test_valider_depuis_la_liste_passe_par_le_service(client_agent, demande, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    page = client_agent.get(url("valider", demande), {"next": LISTE})
    assert page.status_code == 200
    assert "Pour l&#x27;insertion." in page.content.decode() and "Les Jardins de la Lère" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client_agent.post(f"{url('valider', demande)}?next={LISTE}")

    assert reponse.status_code == 302 and reponse["Location"] == LISTE
    demande.refresh_from_db()
    assert demande.statut == S.VALIDE and demande.decide_par is not None
    assert dans_le_groupe(demande.user)
    assert Notification.objects.get(destinataire=demande.user).titre.startswith("Vous êtes membre du Conseil")
    assert [m.to for m in mailoutbox] == [[demande.user.email]]


def test_valider_deux_fois_affiche_l_erreur_du_service(client_agent, demande):
    client_agent.post(url("valider", demande))
    reponse = client_agent.post(url("valider", demande))
    assert reponse.status_code == 200
    assert "Impossible : ce mandat est « Membre »." in reponse.content.decode()
    assert Notification.objects.filter(destinataire=demande.user).count() == 1


def test_refuser_demande_un_motif(client_agent, demande):
    reponse = client_agent.post(url("refuser", demande), {"motif": ""})
    assert reponse.status_code == 200 and reponse.context["form"].errors["motif"]
    demande.refresh_from_db()
    assert demande.statut == S.DEMANDE

    client_agent.post(url("refuser", demande), {"motif": "Hors territoire."})
    demande.refresh_from_db()
    assert (demande.statut, demande.motif) == (S.REFUSE, "Hors territoire.")
    assert Notification.objects.get(destinataire=demande.user).message == "Hors territoire."


def test_suspendre_puis_retablir(client_agent, demande):
    client_agent.post(url("valider", demande))
    client_agent.post(url("suspendre", demande), {"motif": "Absences répétées."})
    demande.refresh_from_db()
    assert demande.statut == S.SUSPENDU and not dans_le_groupe(demande.user)
    assert url("retablir", demande) in client_agent.get(LISTE).content.decode()

    client_agent.post(url("retablir", demande))
    demande.refresh_from_db()
    assert demande.statut == S.VALIDE and dans_le_groupe(demande.user)


# --- Decisions from the edit form -----------------------------------------------------------------


def test_le_formulaire_valide_par_le_service(client_agent, demande):
    page = client_agent.get(url("edit", demande))
    assert page.status_code == 200
    assert url("valider", demande) in page.content.decode()

    reponse = client_agent.post(url("edit", demande), donnees_edition(demande, statut=S.VALIDE))

    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert demande.statut == S.VALIDE and demande.decide_par is not None
    assert dans_le_groupe(demande.user)
    assert Notification.objects.filter(destinataire=demande.user, categorie="conseil").count() == 1


def test_le_formulaire_refuse_sans_motif_et_n_enregistre_rien(client_agent, demande):
    autre = college("entreprises-ess")
    reponse = client_agent.post(url("edit", demande), donnees_edition(demande, statut=S.REFUSE, motif="",
                                                                     college=autre.pk))
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["motif"]
    demande.refresh_from_db()
    assert demande.statut == S.DEMANDE and demande.college != autre


def test_une_transition_refusee_par_le_service_n_enregistre_rien(client_agent, demande):
    """Refused → valid is not a decision the services take: the error shows, the other fields are not saved."""
    demande.statut, demande.motif = S.REFUSE, "Non."
    demande.save()
    autre = college("entreprises-ess")

    reponse = client_agent.post(url("edit", demande), donnees_edition(demande, statut=S.VALIDE, college=autre.pk))

    assert reponse.status_code == 200
    assert "Impossible : ce mandat est « Demande refusée »." in reponse.content.decode()
    demande.refresh_from_db()
    assert demande.statut == S.REFUSE and demande.college != autre
    assert not dans_le_groupe(demande.user)
    assert not Notification.objects.filter(destinataire=demande.user).exists()


def test_revenir_en_demande_est_refuse(client_agent):
    mandat = MembreConseilFactory()
    reponse = client_agent.post(url("edit", mandat), donnees_edition(mandat, statut=S.DEMANDE))
    assert reponse.status_code == 200
    assert "ne se remet pas en attente" in reponse.content.decode()
    mandat.refresh_from_db()
    assert mandat.statut == S.VALIDE


def test_le_formulaire_change_le_college_sans_toucher_au_statut(client_agent, demande):
    autre = college("entreprises-ess")
    reponse = client_agent.post(url("edit", demande), donnees_edition(demande, college=autre.pk))
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert demande.college == autre and demande.statut == S.DEMANDE
    assert not Notification.objects.filter(destinataire=demande.user).exists()


def test_la_structure_reste_une_de_celles_de_la_personne(client_agent, demande):
    reponse = client_agent.post(url("edit", demande), donnees_edition(demande, structure=StructureFactory().pk))
    assert reponse.status_code == 200 and reponse.context["form"].errors["structure"]


# --- Creation by the secrétariat ------------------------------------------------------------------


def test_creer_une_demande_passe_par_le_service(client_agent):
    personne = acteur_de()
    structure = personne.adhesions.get().structure
    reponse = client_agent.post(reverse("comptes_mandats:add"), {
        "user": personne.pk, "structure": structure.pk, "college": college().pk, "motivation": "Reçue par courrier",
        "affichage_public": "on",
    })
    assert reponse.status_code == 302
    mandat = MembreConseil.objects.get()
    assert (mandat.user, mandat.statut, mandat.motivation) == (personne, S.DEMANDE, "Reçue par courrier")


def test_creer_pour_une_structure_dont_la_personne_n_est_pas_membre(client_agent):
    personne = acteur_de()
    reponse = client_agent.post(reverse("comptes_mandats:add"), {
        "user": personne.pk, "structure": StructureFactory().pk, "college": college().pk,
    })
    assert reponse.status_code == 200
    assert "structure dont vous êtes membre" in reponse.content.decode()
    assert not MembreConseil.objects.exists()


# --- Collèges -------------------------------------------------------------------------------------


def test_les_colleges_se_gerent_dans_l_administration(client_agent):
    reponse = client_agent.get(COLLEGES)
    assert reponse.status_code == 200 and len(reponse.context["object_list"]) == 6
    reponse = client_agent.post(reverse("comptes_colleges:add"), {
        "nom": "Personnes qualifiées", "slug": "personnes-qualifiees", "description": "", "ordre": 7,
        "poids": "0.50", "actif": "on"})
    assert reponse.status_code == 302
    assert College.objects.get(slug="personnes-qualifiees").poids == pytest.approx(0.5)


# --- Who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["acteur", "membre", "elu"])
def test_les_autres_roles_n_entrent_pas(client, demande, role):
    personne = creer_utilisateur(role)
    client.force_login(personne)
    for adresse in (LISTE, url("edit", demande), url("valider", demande), COLLEGES):
        reponse = client.get(adresse)
        assert reponse.status_code in (302, 403), adresse
        if reponse.status_code == 302:
            assert not reponse["Location"].startswith("/admin/conseil/"), adresse
    client.post(url("valider", demande))
    demande.refresh_from_db()
    assert demande.statut == S.DEMANDE


def test_un_acces_a_l_administration_ne_suffit_pas_pour_decider(client, demande):
    """Someone given back-office access (e.g. a coordinator) but no right on memberships cannot decide."""
    from django.contrib.auth.models import Permission

    from tests.conftest import activer_mfa

    coordinatrice = UserFactory()
    coordinatrice.user_permissions.add(Permission.objects.get(codename="access_admin"))
    activer_mfa(coordinatrice)
    client.force_login(coordinatrice)
    assert client.get(LISTE).status_code in (302, 403)
    reponse = client.post(url("valider", demande))
    assert reponse.status_code in (302, 403) and reponse.get("Location", "/admin/") == "/admin/"
    demande.refresh_from_db()
    assert demande.statut == S.DEMANDE
