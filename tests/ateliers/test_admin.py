"""The ateliers' back office in the Wagtail admin: cycles (archive), themes, ateliers and their animation,
participations (decisions through the services), meetings (read-only)."""


import pytest
from django.urls import reverse

from ateliers import services
from ateliers.models import Atelier, Cycle, Participation
from conseil_ess.comptes import roles
from conseil_ess.comptes.models import ChampAction, Notification
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.factories import StructureFactory, UserFactory
from tests.formulaires_admin import donnees_du_formulaire
from tests.tableurs import lire_export

from .fabriques import AtelierFactory, CycleFactory, ParticipationFactory, ThematiqueFactory, creer_reunion_directe

pytestmark = pytest.mark.django_db
PS = Participation.Statut


@pytest.fixture
def client_agent(client, agent):
    client.force_login(agent)
    return client


def est_animateur(user):
    return user.groups.filter(name=roles.ANIMATEUR).exists()


def objets(reponse):
    assert reponse.status_code == 200
    return list(reponse.context["object_list"])


def donnees_atelier(atelier, **kwargs):
    donnees = {
        "cycle": atelier.cycle_id, "thematique": atelier.thematique_id or "", "titre": atelier.titre,
        "slug": atelier.slug, "resume": atelier.resume, "description": atelier.description,
        "questions": atelier.questions, "champs": [c.pk for c in atelier.champs.all()],
        "mode_adhesion": atelier.mode_adhesion, "rythme": atelier.rythme, "ordre": atelier.ordre,
        "animateurs": [u.pk for u in atelier.animateurs.all()], "binome_elu": atelier.binome_elu_id or "",
        "binome_agent": atelier.binome_agent_id or "", "binome_texte": atelier.binome_texte,
        "structures_coanimatrices": [s.pk for s in atelier.structures_coanimatrices.all()],
        "coanimation_texte": atelier.coanimation_texte,
    }
    donnees.update(kwargs)
    return donnees


# --- Cycles and themes ----------------------------------------------------------------------------


def test_archiver_un_cycle_depuis_l_administration(client_agent):
    cycle = CycleFactory(titre="Cycle 2026")
    animatrice = UserFactory()
    AtelierFactory(cycle=cycle, animateurs=[animatrice])
    assert est_animateur(animatrice)
    liste = reverse("ateliers_cycles:index")
    archiver = reverse("ateliers_cycles:archiver", args=[cycle.pk])
    assert archiver in client_agent.get(liste).content.decode()
    assert archiver in client_agent.get(reverse("ateliers_cycles:edit", args=[cycle.pk])).content.decode()

    page = client_agent.get(archiver, {"next": liste})
    assert page.status_code == 200 and "définitif" in page.content.decode()
    reponse = client_agent.post(f"{archiver}?next={liste}", follow=True)

    cycle.refresh_from_db()
    assert cycle.est_archive and cycle.archive_le is not None
    assert not est_animateur(animatrice)
    assert "Le cycle « Cycle 2026 » est archivé." in [str(m).strip() for m in reponse.context["messages"]]
    assert archiver not in client_agent.get(liste).content.decode()  # no button on an archived cycle

    deux_fois = client_agent.post(archiver)
    assert deux_fois.status_code == 200 and "Ce cycle est déjà archivé." in deux_fois.content.decode()


def test_le_statut_d_un_cycle_ne_se_change_pas_par_le_formulaire(client_agent):
    cycle = CycleFactory()
    client_agent.post(reverse("ateliers_cycles:edit", args=[cycle.pk]), {
        "titre": "Nouveau titre", "slug": cycle.slug, "date_debut": "2026-01-01", "date_fin": "2026-12-31",
        "description": "", "statut": "archive"})
    cycle.refresh_from_db()
    assert cycle.titre == "Nouveau titre" and cycle.statut == Cycle.Statut.EN_COURS


def test_creer_un_cycle_passe_par_le_service_et_commence_en_cours(client_agent):
    reponse = client_agent.post(reverse("ateliers_cycles:add"), {
        "titre": "Cycle 2027", "slug": "cycle-2027", "date_debut": "2027-01-01", "date_fin": "2027-12-31",
        "description": "<p>Ouvert<script>x()</script></p>", "statut": "archive"})
    assert reponse.status_code == 302
    cycle = Cycle.objects.get(slug="cycle-2027")
    assert (cycle.statut, cycle.description) == (Cycle.Statut.EN_COURS, "<p>Ouvert</p>")


def test_le_statut_d_une_thematique_choisi_a_la_main_passe_par_le_service(client_agent, monkeypatch):
    thematique = ThematiqueFactory(titre="Foncier", statut="proposee")
    adresse = reverse("ateliers_thematiques:edit", args=[thematique.pk])
    appels = []
    changer = services.changer_statut_thematique
    monkeypatch.setattr(services, "changer_statut_thematique",
                        lambda *args, **kwargs: appels.append(args) or changer(*args, **kwargs))
    reponse = client_agent.post(adresse, donnees_du_formulaire(client_agent.get(adresse), statut="retenue",
                                                               vote_libelle="Plénière de mars 2026"))
    assert reponse.status_code == 302 and len(appels) == 1
    thematique.refresh_from_db()
    assert (thematique.statut, thematique.vote_libelle) == ("retenue", "Plénière de mars 2026")


def test_gerer_cycles_et_thematiques_est_reserve_au_secretariat():
    cycle = CycleFactory()
    with pytest.raises(services.ActionImpossible, match="Seul le secrétariat"):
        services.enregistrer_cycle(cycle, ["titre"], par=creer_utilisateur("acteur"))
    with pytest.raises(services.ActionImpossible, match="Seul le secrétariat"):
        services.changer_statut_thematique(ThematiqueFactory(), "retenue", par=creer_utilisateur("animateur"))


def test_un_cycle_avec_des_ateliers_ne_se_supprime_pas(client_agent):
    cycle = CycleFactory()
    AtelierFactory(cycle=cycle)
    client_agent.post(reverse("ateliers_cycles:delete", args=[cycle.pk]))
    assert Cycle.objects.filter(pk=cycle.pk).exists()


def test_thematiques_filtrees_par_cycle(client_agent):
    a, b = ThematiqueFactory(titre="Foncier"), ThematiqueFactory(titre="Achats")
    liste = reverse("ateliers_thematiques:index")
    assert set(objets(client_agent.get(liste))) == {a, b}
    assert objets(client_agent.get(liste, {"cycle": b.cycle_id})) == [b]


# --- Ateliers and their animation -----------------------------------------------------------------


def test_nommer_un_animateur_par_le_formulaire_donne_le_role(client_agent):
    atelier = AtelierFactory()
    personne = UserFactory(first_name="Inès", last_name="Animatrice")
    elue, agente = creer_utilisateur("elu"), creer_utilisateur("agent")
    structure = StructureFactory(nom="Scop du Pont")
    page = client_agent.get(reverse("ateliers_ateliers:edit", args=[atelier.pk]))
    assert page.status_code == 200 and f"Inès Animatrice ({personne.email})" in page.content.decode()

    reponse = client_agent.post(reverse("ateliers_ateliers:edit", args=[atelier.pk]), donnees_atelier(
        atelier, animateurs=[personne.pk], binome_elu=elue.pk, binome_agent=agente.pk,
        structures_coanimatrices=[structure.pk]))

    assert reponse.status_code == 302, reponse.context["form"].errors
    atelier.refresh_from_db()
    assert list(atelier.animateurs.all()) == [personne]
    assert (atelier.binome_elu, atelier.binome_agent) == (elue, agente)
    assert list(atelier.structures_coanimatrices.all()) == [structure]
    assert est_animateur(personne)

    client_agent.post(reverse("ateliers_ateliers:edit", args=[atelier.pk]), donnees_atelier(atelier, animateurs=[]))
    assert not atelier.animateurs.exists()
    assert not est_animateur(personne)


def test_le_binome_elu_est_choisi_parmi_les_elus(client_agent):
    atelier = AtelierFactory()
    reponse = client_agent.post(reverse("ateliers_ateliers:edit", args=[atelier.pk]),
                                donnees_atelier(atelier, binome_elu=UserFactory().pk))
    assert reponse.status_code == 200 and reponse.context["form"].errors["binome_elu"]


def test_une_thematique_d_un_autre_cycle_est_refusee(client_agent):
    atelier = AtelierFactory()
    reponse = client_agent.post(reverse("ateliers_ateliers:edit", args=[atelier.pk]),
                                donnees_atelier(atelier, thematique=ThematiqueFactory().pk))
    assert reponse.status_code == 200 and reponse.context["form"].errors["thematique"]


def test_creer_un_atelier_avec_son_animation(client_agent):
    cycle = CycleFactory()
    personne = UserFactory()
    donnees = {"cycle": cycle.pk, "titre": "Achats responsables", "slug": "achats-responsables",
               "champs": [ChampAction.objects.get(numero=5).pk], "mode_adhesion": "ouvert", "ordre": 0,
               "animateurs": [personne.pk]}
    reponse = client_agent.post(reverse("ateliers_ateliers:add"), donnees)
    assert reponse.status_code == 302, reponse.context["form"].errors
    atelier = Atelier.objects.get(slug="achats-responsables")
    assert list(atelier.animateurs.all()) == [personne] and est_animateur(personne)


def test_changer_le_cycle_d_un_atelier_suit_le_role(client_agent):
    archive = CycleFactory(statut=Cycle.Statut.ARCHIVE)
    personne = UserFactory()
    atelier = AtelierFactory(cycle=archive, animateurs=[personne])
    assert not est_animateur(personne)
    client_agent.post(reverse("ateliers_ateliers:edit", args=[atelier.pk]),
                      donnees_atelier(atelier, cycle=CycleFactory().pk))
    assert est_animateur(personne)


def test_supprimer_un_atelier_retire_le_role(client_agent):
    personne = UserFactory()
    atelier = AtelierFactory(animateurs=[personne])
    reponse = client_agent.post(reverse("ateliers_ateliers:delete", args=[atelier.pk]))
    assert reponse.status_code == 302 and not Atelier.objects.filter(pk=atelier.pk).exists()
    assert not est_animateur(personne)


def test_liste_export_et_filtres_des_ateliers(client_agent):
    personne = UserFactory(first_name="Inès", last_name="Animatrice")
    a = AtelierFactory(titre="Foncier", animateurs=[personne])
    b = AtelierFactory(titre="Achats", mode_adhesion=Atelier.Adhesion.SUR_DEMANDE)
    liste = reverse("ateliers_ateliers:index")
    assert set(objets(client_agent.get(liste))) == {a, b}
    assert objets(client_agent.get(liste, {"mode_adhesion": "sur_demande"})) == [b]
    assert objets(client_agent.get(liste, {"cycle": a.cycle_id})) == [a]
    assert a.get_absolute_url() in client_agent.get(liste).content.decode()

    reponse = client_agent.get(liste, {"export": "csv"})
    lignes = lire_export(reponse)
    foncier = next(ligne for ligne in lignes if ligne[0] == "Foncier")
    assert "Inès Animatrice" in foncier


# --- Participations -------------------------------------------------------------------------------


def test_accepter_une_demande_depuis_la_liste(client_agent, mailoutbox, django_capture_on_commit_callbacks):
    atelier = AtelierFactory(titre="Foncier", mode_adhesion=Atelier.Adhesion.SUR_DEMANDE)
    demande = ParticipationFactory(atelier=atelier, statut=PS.DEMANDEE, message="Je travaille sur un tiers-lieu.")
    ParticipationFactory(atelier=atelier)
    liste = reverse("ateliers_participations:index")
    accepter = reverse("ateliers_participations:accepter", args=[demande.pk])
    assert accepter in client_agent.get(liste).content.decode()
    assert objets(client_agent.get(liste, {"statut": "demandee"})) == [demande]
    assert "tiers-lieu" in client_agent.get(accepter).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client_agent.post(f"{accepter}?next={liste}")

    demande.refresh_from_db()
    assert demande.statut == PS.ACCEPTEE and demande.decide_par is not None
    assert Notification.objects.get(destinataire=demande.user).titre == "Bienvenue dans l'atelier « Foncier »"
    assert [m.to for m in mailoutbox] == [[demande.user.email]]
    deux_fois = client_agent.post(accepter)
    assert "Cette demande a déjà reçu une réponse." in deux_fois.content.decode()


def test_refuser_une_demande_par_le_formulaire(client_agent):
    demande = ParticipationFactory(statut=PS.DEMANDEE)
    edition = reverse("ateliers_participations:edit", args=[demande.pk])
    assert client_agent.get(edition).status_code == 200
    reponse = client_agent.post(edition, {"statut": PS.REFUSEE})
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert demande.statut == PS.REFUSEE
    assert "n'a pas été acceptée" in Notification.objects.get(destinataire=demande.user).titre


def test_retirer_un_membre_et_transition_impossible(client_agent):
    membre = ParticipationFactory()
    edition = reverse("ateliers_participations:edit", args=[membre.pk])
    reponse = client_agent.post(edition, {"statut": PS.DEMANDEE})
    assert reponse.status_code == 200 and "pas possible ici" in reponse.content.decode()
    membre.refresh_from_db()
    assert membre.statut == PS.ACCEPTEE
    client_agent.post(edition, {"statut": PS.PARTIE})
    membre.refresh_from_db()
    assert membre.statut == PS.PARTIE


def test_pas_de_decision_dans_un_cycle_archive(client_agent):
    demande = ParticipationFactory(statut=PS.DEMANDEE, atelier=AtelierFactory(
        cycle=CycleFactory(statut=Cycle.Statut.ARCHIVE)))
    reponse = client_agent.post(reverse("ateliers_participations:edit", args=[demande.pk]), {"statut": PS.ACCEPTEE})
    assert reponse.status_code == 200 and "archivé" in reponse.content.decode()
    demande.refresh_from_db()
    assert demande.statut == PS.DEMANDEE


def test_ajouter_quelqu_un_passe_par_le_service(client_agent):
    ouvert = AtelierFactory()
    sur_demande = AtelierFactory(mode_adhesion=Atelier.Adhesion.SUR_DEMANDE)
    personne = UserFactory()
    ajout = reverse("ateliers_participations:add")
    assert client_agent.post(ajout, {"user": personne.pk, "atelier": ouvert.pk, "message": ""}).status_code == 302
    assert client_agent.post(ajout, {"user": personne.pk, "atelier": sur_demande.pk, "message": ""}).status_code == 302
    assert Participation.objects.get(atelier=ouvert).statut == PS.ACCEPTEE
    assert Participation.objects.get(atelier=sur_demande).statut == PS.DEMANDEE
    deux_fois = client_agent.post(ajout, {"user": personne.pk, "atelier": ouvert.pk, "message": ""})
    assert deux_fois.status_code == 200 and "Vous faites déjà partie de cet atelier." in deux_fois.content.decode()
    services.quitter(ouvert, personne)
    assert client_agent.post(ajout, {"user": personne.pk, "atelier": ouvert.pk, "message": ""}).status_code == 302
    assert Participation.objects.get(atelier=ouvert).statut == PS.ACCEPTEE


# --- Meetings -------------------------------------------------------------------------------------


def test_les_reunions_en_lecture_avec_lien_vers_la_page_publique(client_agent):
    atelier = AtelierFactory(titre="Foncier")
    reunion = creer_reunion_directe(atelier)
    reunion.participants_sans_compte = 4
    reunion.save()
    autre = creer_reunion_directe(AtelierFactory())
    EvenementFactory()  # an ordinary event is not a meeting
    liste = reverse("ateliers_reunions:index")

    reponse = client_agent.get(liste)

    assert set(objets(reponse)) == {reunion, autre}
    html = reponse.content.decode()
    assert reunion.get_absolute_url() in html
    assert reverse("evenements_admin:edit", args=[reunion.evenement_id]) in html
    assert objets(client_agent.get(liste, {"atelier": atelier.pk})) == [reunion]
    assert client_agent.get(reverse("ateliers_reunions:inspect", args=[reunion.pk])).status_code == 200
    assert "/admin/ateliers/reunions/new/" not in html


# --- Who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["acteur", "membre", "elu"])
def test_les_autres_roles_n_entrent_pas(client, role):
    cycle = CycleFactory()
    demande = ParticipationFactory(statut=PS.DEMANDEE, atelier=AtelierFactory(cycle=cycle))
    client.force_login(creer_utilisateur(role))
    for adresse in (reverse("ateliers_ateliers:index"), reverse("ateliers_cycles:archiver", args=[cycle.pk]),
                    reverse("ateliers_participations:accepter", args=[demande.pk])):
        reponse = client.get(adresse)
        assert reponse.status_code in (302, 403), adresse
        assert not reponse.get("Location", "").startswith("/admin/ateliers/"), adresse
    client.post(reverse("ateliers_cycles:archiver", args=[cycle.pk]))
    client.post(reverse("ateliers_participations:accepter", args=[demande.pk]))
    cycle.refresh_from_db()
    demande.refresh_from_db()
    assert not cycle.est_archive and demande.statut == PS.DEMANDEE


def test_un_animateur_n_a_pas_le_back_office(client):
    """Animateur·rice·s run their atelier on the site; the admin stays the secrétariat's."""
    personne = UserFactory()
    atelier = AtelierFactory(animateurs=[personne])
    client.force_login(personne)
    reponse = client.get(reverse("ateliers_ateliers:edit", args=[atelier.pk]))
    assert reponse.status_code in (302, 403)
