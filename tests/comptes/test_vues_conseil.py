"""The Conseil's pages: the public list of members, and "Mon mandat au Conseil"."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conseil_ess.comptes import services
from conseil_ess.comptes.models import Adhesion, MembreConseil, Structure
from tests.factories import AdhesionFactory, StructureFactory, UserFactory

from .fabriques import CollegeFactory, MembreConseilFactory, acteur_de, college

pytestmark = pytest.mark.django_db
S = MembreConseil.Statut
MEMBRES = reverse("comptes:conseil_membres")
MON_MANDAT = reverse("comptes:conseil_demande")
AFFICHAGE = reverse("comptes:conseil_affichage")


def membre(prenom, nom, slug="associations", **kwargs):
    return MembreConseilFactory(user=UserFactory(first_name=prenom, last_name=nom, **kwargs.pop("user", {})),
                                college=college(slug), **kwargs)


def texte(reponse):
    """The page's text without tags and with collapsed spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", reponse.content.decode())).split())


# --- The public list ------------------------------------------------------------------------------


def test_la_liste_publique_par_college(client):
    structure = StructureFactory(nom="Coopérative Lère", slug="cooperative-lere")
    membre("Alice", "Martin", user={"fonction": "Co-gérante"}, structure=structure, slug="cooperatives-mutuelles")
    membre("Bruno", "Durand", slug="associations")
    membre("Chloé", "Adam", slug="associations")

    reponse = client.get(MEMBRES)

    assert reponse.status_code == 200
    page = texte(reponse)
    # Collèges in their order (their sections come after the menu that names them), members by name.
    assert page.rindex("Associations et fondations") < page.index("Chloé Adam") < page.index("Bruno Durand") \
        < page.rindex("Coopératives et mutuelles") < page.index("Alice Martin")
    assert "Alice Martin , Co-gérante — Coopérative Lère" in page
    assert f'href="{structure.get_absolute_url()}"' in reponse.content.decode()
    assert "Le Conseil compte 3 membres" in page
    assert "2 membres" in page and "1 membre" in page


def test_seuls_les_membres_valides_et_d_accord_sont_nommes(client):
    membre("Visible", "Valide")
    membre("Attente", "Demande", statut=S.DEMANDE)
    membre("Refus", "Refuse", statut=S.REFUSE)
    membre("Pause", "Suspendu", statut=S.SUSPENDU)
    membre("Discret", "Valide", affichage_public=False)
    membre("Discrete", "Valide", affichage_public=False)

    page = texte(client.get(MEMBRES))

    assert "Visible Valide" in page
    for absent in ("Attente", "Refus", "Pause", "Discret"):
        assert absent not in page
    assert "3 membres, dont 2 qui ne souhaitent pas apparaître dans cette liste." in page
    assert "Le Conseil compte 3 membres" in page


def test_un_college_ferme_sans_membre_n_apparait_pas(client):
    CollegeFactory(nom="Collège fermé", actif=False)
    ferme_avec_membre = CollegeFactory(nom="Collège historique", actif=False)
    MembreConseilFactory(college=ferme_avec_membre)
    page = texte(client.get(MEMBRES))
    assert "Collège fermé" not in page
    assert "Collège historique" in page
    assert "Aucun membre dans ce collège pour l'instant." in page  # the open default collèges


@pytest.mark.parametrize("nombre", [3, 60])
def test_nombre_de_requetes_constant(client, django_assert_max_num_queries, nombre, settings):
    """The list costs what the empty list costs (its three queries plus the site's layout), whatever the number."""
    settings.CACHE_PAGES = False  # the second request would be served from the page cache (0 queries)
    client.get(MEMBRES)  # the first page of a site creates its footer settings
    with CaptureQueriesContext(connection) as vide:
        client.get(MEMBRES)
    for i in range(nombre):
        membre(f"Personne{i}", f"Nom{i}", slug=["associations", "entreprises-ess"][i % 2],
               affichage_public=i % 5 != 0)
    with django_assert_max_num_queries(len(vide)):
        reponse = client.get(MEMBRES)
    assert reponse.status_code == 200
    assert f"Le Conseil compte {nombre} membres" in texte(reponse)


# --- Mon mandat: asking ---------------------------------------------------------------------------


def test_mon_mandat_demande_une_connexion(client):
    reponse = client.get(MON_MANDAT)
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("account_login"))
    assert client.post(AFFICHAGE, {"affichage_public": "non"}).status_code == 302


def test_sans_structure_la_page_explique_comment_faire(client, acteur):
    StructureFactory()  # validated, but not theirs
    client.force_login(acteur)
    reponse = client.get(MON_MANDAT)
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "<form method=\"post\" novalidate>" not in html
    assert reverse("comptes:structure_liste") in html and reverse("comptes:structure_creer") in html


def test_seules_les_structures_validees_dont_on_est_membre_sont_proposees(client):
    personne = acteur_de(StructureFactory(nom="Ma structure validée"))
    AdhesionFactory(user=personne, structure=StructureFactory(nom="Ma structure en attente",
                                                              statut=Structure.Statut.EN_ATTENTE))
    AdhesionFactory(user=personne, structure=StructureFactory(nom="Adhésion demandée"),
                    statut=Adhesion.Statut.DEMANDEE)
    StructureFactory(nom="Celle des autres")
    CollegeFactory(nom="Collège fermé", actif=False)
    client.force_login(personne)

    form = client.get(MON_MANDAT).context["form"]

    assert [s.nom for s in form.fields["structure"].queryset] == ["Ma structure validée"]
    assert "Collège fermé" not in [c.nom for c in form.fields["college"].queryset]
    assert len(form.fields["college"].queryset) == 6


def test_envoyer_une_demande(client, agent):
    personne = acteur_de(StructureFactory(nom="Les Jardins"))
    client.force_login(personne)
    structure = personne.adhesions.get().structure

    reponse = client.post(MON_MANDAT, {"structure": structure.pk, "college": college().pk,
                                       "motivation": "  Pour l'insertion.  "}, follow=True)

    mandat = MembreConseil.objects.get()
    assert (mandat.user, mandat.structure, mandat.statut) == (personne, structure, S.DEMANDE)
    assert mandat.motivation == "Pour l'insertion."
    assert mandat.affichage_public is False  # unticked box
    page = texte(reponse)
    assert "Votre demande est transmise au secrétariat" in page
    assert "en attente de réponse du secrétariat" in page
    assert "Envoyer ma demande" not in page
    assert agent.notifications.count() == 1


def test_formulaire_incomplet_garde_la_saisie(client):
    personne = acteur_de()
    client.force_login(personne)
    reponse = client.post(MON_MANDAT, {"structure": personne.adhesions.get().structure_id,
                                       "motivation": "Mon texte", "affichage_public": "on"})
    assert reponse.status_code == 200
    assert "Mon texte</textarea>" in reponse.content.decode()
    assert reponse.context["form"].errors["college"]
    assert not MembreConseil.objects.exists()


def test_un_refus_du_service_s_affiche_sur_le_formulaire_et_garde_la_saisie(client, monkeypatch):
    personne = acteur_de()
    client.force_login(personne)

    def refuse(*args, **kwargs):
        raise services.ActionImpossible("Votre demande est déjà en attente de réponse du secrétariat.")

    monkeypatch.setattr(services, "demander_mandat_conseil", refuse)
    reponse = client.post(MON_MANDAT, {"structure": personne.adhesions.get().structure_id,
                                       "college": college().pk, "motivation": "Texte gardé"})

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Votre demande est déjà en attente de réponse du secrétariat." in html
    assert "Texte gardé</textarea>" in html
    assert 'role="alert"' in html


def test_une_structure_hors_liste_est_refusee_par_le_formulaire(client):
    personne = acteur_de()
    client.force_login(personne)
    autre = StructureFactory()
    reponse = client.post(MON_MANDAT, {"structure": autre.pk, "college": college().pk})
    assert reponse.status_code == 200 and reponse.context["form"].errors["structure"]
    assert not MembreConseil.objects.exists()


# --- Mon mandat: following it ---------------------------------------------------------------------


def test_demande_en_attente_pas_de_second_formulaire(client):
    mandat = membre("Alex", "Attente", statut=S.DEMANDE)
    client.force_login(mandat.user)
    reponse = client.get(MON_MANDAT)
    assert "form" not in reponse.context
    assert "en attente de réponse du secrétariat" in texte(reponse)
    # A stale form posted again creates nothing.
    client.post(MON_MANDAT, {"structure": mandat.structure_id, "college": college().pk})
    assert MembreConseil.objects.count() == 1


def test_membre_valide_voit_son_college_et_change_son_affichage(client):
    mandat = membre("Val", "Ide", slug="entreprises-ess", structure=StructureFactory(nom="Scop du Pont"))
    client.force_login(mandat.user)

    page = texte(client.get(MON_MANDAT))
    assert "Entreprises de l'ESS" in page and "Scop du Pont" in page and "Membre" in page
    assert "Ne plus apparaître dans la liste publique" in page

    reponse = client.post(AFFICHAGE, {"affichage_public": "non"}, follow=True)
    mandat.refresh_from_db()
    assert mandat.affichage_public is False
    assert "Vous n'apparaissez plus dans la liste publique" in texte(reponse)
    assert "Val Ide" not in texte(client.get(MEMBRES))

    client.post(AFFICHAGE, {"affichage_public": "oui"})
    mandat.refresh_from_db()
    assert mandat.affichage_public is True
    assert "Val Ide" in texte(client.get(MEMBRES))


def test_changer_l_affichage_sans_mandat(client, acteur):
    client.force_login(acteur)
    reponse = client.post(AFFICHAGE, {"affichage_public": "non"}, follow=True)
    assert "Vous n'avez pas de mandat au Conseil." in texte(reponse)
    assert client.get(AFFICHAGE).status_code == 405


def test_mandat_suspendu_donne_le_motif(client):
    mandat = membre("Sus", "Pendu", statut=S.SUSPENDU, motif="Absences répétées.")
    client.force_login(mandat.user)
    page = texte(client.get(MON_MANDAT))
    assert "Votre mandat est suspendu" in page and "Absences répétées." in page
    assert "Envoyer ma demande" not in page


def test_apres_un_refus_le_motif_et_une_nouvelle_demande(client, agent):
    personne = acteur_de()
    mandat = services.demander_mandat_conseil(personne, personne.adhesions.get().structure, college())
    services.refuser_mandat_conseil(mandat, par=agent, motif="Merci de préciser votre activité.")
    client.force_login(personne)

    reponse = client.get(MON_MANDAT)
    page = texte(reponse)
    assert "n'a pas été retenue" in page and "Merci de préciser votre activité." in page
    assert "Envoyer ma demande" in page

    client.post(MON_MANDAT, {"structure": mandat.structure_id, "college": college().pk})
    assert MembreConseil.objects.filter(user=personne, statut=S.DEMANDE).exists()


def test_mon_espace_mene_a_mon_mandat(client, acteur):
    client.force_login(acteur)
    assert f'href="{MON_MANDAT}"' in client.get(reverse("comptes:mon_espace")).content.decode()
