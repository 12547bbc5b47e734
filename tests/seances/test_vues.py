"""The public pages of the séances: the list (/seances/) and each séance's page (/seances/<slug>/)."""

import re

import pytest
from django.urls import reverse

from conseil_ess.seances import services
from conseil_ess.seances.models import PointOrdreDuJour, Scrutin, Seance
from tests.ateliers.fabriques import ThematiqueFactory
from tests.conftest import creer_utilisateur

from .fabriques import nouvelle_seance, presents, proposition_soumise, seance_avec_scrutin, un_agent

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

LISTE = "/seances/"


def seance_publiee(agent=None, titre="Séance plénière de printemps", jours=10, **kwargs):
    agent = agent or un_agent()
    seance = nouvelle_seance(agent, jours=jours, titre=titre, **kwargs)
    services.ajouter_point(seance, agent, "Accueil et informations")
    services.publier_ordre_du_jour(seance, agent)
    return seance


def contenu(reponse):
    return reponse.content.decode()


def bloc_scrutin(html, scrutin):
    """The HTML of the result section of ``scrutin`` (from its anchor to the end of its section)."""
    debut = html.index(f'id="scrutin-{scrutin.pk}"')
    return html[debut:html.index("</section>", debut)]


# --- List ----------------------------------------------------------------------------------------------

def test_liste_montre_les_seances_publiees_et_cache_celles_en_preparation(client):
    agent = un_agent()
    seance_publiee(agent, titre="Plénière de décembre")
    seance_publiee(agent, titre="Plénière d'hiver passée", jours=-40)
    seance_publiee(agent, titre="Séance exceptionnelle sur le logement", jours=20,
                   nature=Seance.Nature.EXCEPTIONNELLE, motif_exceptionnelle="La fermeture d'une ressourcerie")
    nouvelle_seance(agent, titre="Plénière en préparation secrète")

    html = contenu(client.get(LISTE))

    assert "Plénière de décembre" in html
    assert "Plénière d&#x27;hiver passée" in html
    assert "Séance exceptionnelle sur le logement" in html
    assert "La fermeture d&#x27;une ressourcerie" in html
    assert "Plénière en préparation secrète" not in html
    # Upcoming ones come first, under their own heading; the past one under « Séances passées ».
    assert html.index("Plénière de décembre") < html.index("Séances passées") < html.index("hiver passée")
    assert "heure de Paris" in html


def test_l_agent_voit_aussi_les_seances_en_preparation_signalees(client):
    agent = un_agent()
    nouvelle_seance(agent, titre="Plénière en préparation")
    client.force_login(creer_utilisateur("agent"))

    html = contenu(client.get(LISTE))

    assert "Plénière en préparation" in html
    assert 'data-statut="preparation"' in html
    assert "Ordre du jour non publié" in html


def test_la_date_est_a_l_heure_de_paris(client):
    seance = seance_publiee()
    html = contenu(client.get(LISTE))
    # The factory's séances start at 17:00 Paris time (15:00 or 16:00 UTC).
    assert "17 h" in html or "17:00" in html or "17h" in html, html[html.index(seance.evenement.titre):][:600]


def test_liste_paginee(client):
    agent = un_agent()
    for n in range(22):
        seance_publiee(agent, titre=f"Ancienne plénière {n:02d}", jours=-10 - n)
    page1 = contenu(client.get(LISTE))
    page2 = contenu(client.get(LISTE, {"page": 2}))
    assert page1.count("Ancienne plénière") == 20
    assert page2.count("Ancienne plénière") == 2
    assert "22 séances passées" in page1


def _creer_seances(n, agent):
    for i in range(n):
        jours = 5 + i if i % 2 else -5 - i
        seance_publiee(agent, titre=f"Plénière {i}", jours=jours,
                       **({"nature": Seance.Nature.EXCEPTIONNELLE, "motif_exceptionnelle": "Actualité"}
                          if i % 3 == 0 else {}))


@pytest.mark.parametrize("role", ["anonyme", "agent"])
def test_liste_nombre_de_requetes_constant(client, django_assert_max_num_queries, role):
    agent = un_agent()
    user = creer_utilisateur(role)
    if user:
        client.force_login(user)
    client.get(LISTE)  # warm-up: the site's settings rows are created on first use
    comptes = []
    for n in (3, 25):
        Seance.objects.all().delete()
        _creer_seances(n, agent)
        with django_assert_max_num_queries(15) as requetes:
            reponse = client.get(LISTE)
        assert reponse.status_code == 200
        assert contenu(reponse).count('class="carte evenement"') == n  # 13 past ones at most: one page
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1], comptes


# --- Detail --------------------------------------------------------------------------------------------

def test_detail_ordre_du_jour_dans_l_ordre_presidence_et_lien_vers_l_agenda(client):
    agent = un_agent()
    seance = nouvelle_seance(agent, presidence="La vice-présidente de l'Eurométropole")
    for titre in ("Accueil", "Bilan des ateliers", "Questions diverses"):
        services.ajouter_point(seance, agent, titre, "<p>Présentation du point.</p>")
    services.publier_ordre_du_jour(seance, agent)

    reponse = client.get(seance.get_absolute_url())
    html = contenu(reponse)

    assert reponse.status_code == 200
    assert seance.get_absolute_url() == f"/seances/{seance.evenement.slug}/"
    assert html.index("Accueil") < html.index("Bilan des ateliers") < html.index("Questions diverses")
    assert "La vice-présidente de l&#x27;Eurométropole" in html
    assert f'href="{seance.evenement.get_absolute_url()}"' in html
    assert "Information" in html
    # Not started yet: no attendance figures.
    assert 'id="presents"' not in html


def test_description_nettoyee_meme_si_elle_contourne_le_modele(client):
    agent = un_agent()
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Point piégé", "<p>Texte sûr</p>")
    services.publier_ordre_du_jour(seance, agent)
    # Written behind the model's back (no save(), hence no sanitizing): the template must still clean it.
    PointOrdreDuJour.objects.filter(pk=point.pk).update(
        description='<p>Texte sûr</p><script>alert("x")</script><img src="x" onerror="alert(1)">'
                    '<a href="javascript:alert(2)">lien</a>')

    html = contenu(client.get(seance.get_absolute_url()))

    assert "<p>Texte sûr</p>" in html
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:alert" not in html


def test_resultats_avec_decompte_regle_et_ancre(client):
    agent = un_agent()
    seance = nouvelle_seance(agent)
    proposition = proposition_soumise(seance, titre="Une ressourcerie par commune")
    point = services.ajouter_point(seance, agent, "Vote de la proposition",
                                   scrutin={"objet": Scrutin.Objet.PROPOSITION, "proposition": proposition,
                                            "quorum": 3})
    services.publier_ordre_du_jour(seance, agent)
    seance.refresh_from_db()
    membres = presents(seance, 6, agent)
    scrutin = point.scrutin
    services.ouvrir_scrutin(scrutin, agent)
    for membre, choix in zip(membres, ["pour", "pour", "pour", "contre", "abstention", "abstention"], strict=True):
        services.voter(scrutin, membre, choix)
    services.clore_scrutin(scrutin, agent)
    scrutin.refresh_from_db()

    html = contenu(client.get(seance.get_absolute_url()))
    bloc = bloc_scrutin(html, scrutin)

    assert f'href="#scrutin-{scrutin.pk}"' in html
    assert re.search(r'data-choix="pour">3<', bloc)
    assert re.search(r'data-choix="contre">1<', bloc)
    assert re.search(r'data-choix="abstention">2<', bloc)
    assert "Adopté" in bloc
    assert "les abstentions ne sont pas comptées" in bloc
    assert "4 suffrages exprimés" in bloc
    assert "Quorum de 3 membres présents exigé : atteint (6 présents)" in bloc
    assert "Vote public" in bloc
    assert "une personne, une voix" in bloc
    assert f'href="{proposition.get_absolute_url()}"' in bloc
    assert "<caption>" in bloc and 'role="region" tabindex="0"' in bloc
    # The séance has started: the attendance figure is shown.
    assert "6 membres émargés" in html
    # The proposal's timeline links to this anchor.
    assert scrutin.get_absolute_url() == f"/seances/{seance.evenement.slug}/#scrutin-{scrutin.pk}"


def test_quorum_non_atteint_et_scrutin_secret(client):
    agent = un_agent()
    seance = nouvelle_seance(agent)
    p1 = services.ajouter_point(seance, agent, "Orientation 2027",
                                scrutin={"objet": Scrutin.Objet.ORIENTATION, "quorum": 5})
    p2 = services.ajouter_point(seance, agent, "Question secrète",
                                scrutin={"objet": Scrutin.Objet.QUESTION, "secret": True})
    services.publier_ordre_du_jour(seance, agent)
    seance.refresh_from_db()
    membres = presents(seance, 2, agent)
    for point in (p1, p2):
        scrutin = point.scrutin
        services.ouvrir_scrutin(scrutin, agent)
        for membre in membres:
            services.voter(scrutin, membre, "pour")
        services.clore_scrutin(scrutin, agent)
    p1.scrutin.refresh_from_db()
    p2.scrutin.refresh_from_db()

    html = contenu(client.get(seance.get_absolute_url()))
    quorum, secret = bloc_scrutin(html, p1.scrutin), bloc_scrutin(html, p2.scrutin)

    assert "Quorum non atteint" in quorum
    assert "Quorum de 5 membres présents exigé : non atteint (2 présents)" in quorum
    assert "Vote secret" in secret
    assert "Vote public" not in secret
    assert re.search(r'data-choix="pour">2<', secret)
    assert "Pas de quorum exigé" in secret
    # Nobody's name is shown beside a secret ballot.
    for membre in membres:
        assert membre.nom_public not in secret


def test_scrutin_non_clos_sans_resultat(client):
    agent = un_agent()
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Question", scrutin={"objet": Scrutin.Objet.QUESTION})
    services.publier_ordre_du_jour(seance, agent)
    html = contenu(client.get(seance.get_absolute_url()))
    assert f'id="scrutin-{point.scrutin.pk}"' not in html
    assert "Aucun scrutin n'est encore clos" in html


def test_seance_en_preparation_404_pour_le_public_visible_par_l_agent(client):
    seance = nouvelle_seance()
    services.ajouter_point(seance, un_agent(), "Accueil")
    assert client.get(seance.get_absolute_url()).status_code == 404
    client.force_login(creer_utilisateur("membre"))
    assert client.get(seance.get_absolute_url()).status_code == 404
    client.force_login(creer_utilisateur("agent"))
    reponse = client.get(seance.get_absolute_url())
    assert reponse.status_code == 200
    assert "Séance en préparation" in contenu(reponse)


def test_slug_inconnu_404(client):
    assert client.get(reverse("seances:detail", args=["pas-de-seance"])).status_code == 404


def _seance_chargee(agent, nombre):
    """A séance with ``nombre`` items, every other one a closed scrutin (proposal, theme or question)."""
    seance = nouvelle_seance(agent, titre=f"Plénière de {nombre} points")
    objets = []
    for i in range(nombre):
        if i % 2 == 0:
            objets.append(None)
            services.ajouter_point(seance, agent, f"Information {i}", "<p>Détail</p>")
            continue
        if i % 3 == 1:
            regles = {"objet": Scrutin.Objet.PROPOSITION, "proposition": proposition_soumise(seance)}
        elif i % 3 == 2:
            regles = {"objet": Scrutin.Objet.THEMATIQUE, "thematique": ThematiqueFactory(statut="proposee")}
        else:
            regles = {"objet": Scrutin.Objet.QUESTION, "quorum": 2}
        objets.append(services.ajouter_point(seance, agent, f"Vote {i}", scrutin=regles))
    services.publier_ordre_du_jour(seance, agent)
    seance.refresh_from_db()
    presents(seance, 3, agent)
    for point in objets:
        if point is not None:
            services.saisir_resultat_manuel(point.scrutin, agent, pour=2, contre=1, abstention=0)
    return seance


def test_detail_nombre_de_requetes_constant(client, django_assert_max_num_queries):
    agent = un_agent()
    client.get(LISTE)  # warm-up
    comptes = []
    for nombre in (2, 15):
        seance = _seance_chargee(agent, nombre)
        with django_assert_max_num_queries(15) as requetes:
            reponse = client.get(seance.get_absolute_url())
        assert reponse.status_code == 200
        assert contenu(reponse).count('class="carte scrutin-resultat"') == nombre // 2
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1], comptes


def test_la_page_de_la_seance_mene_au_direct_tant_qu_elle_n_est_pas_terminee(client):
    seance, _scrutin, agent = seance_avec_scrutin(ouvrir=False)
    direct = f'href="/seances/{seance.slug}/direct/"'
    assert direct in client.get(seance.get_absolute_url()).content.decode()
    services.terminer_seance(seance, agent)
    assert direct not in client.get(seance.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("statut", "nature", "mode"), [
    ("preparation", "ordinaire", "presentiel"),
    ("ordre_du_jour_publie", "exceptionnelle", "hybride"),
    ("en_cours", "ordinaire", "en_ligne"),
    ("terminee", "exceptionnelle", "presentiel"),
])
def test_carte_seance_ecrite_en_python_donne_le_html_de_l_ancien_gabarit(statut, nature, mode):
    """``{% carte_seance %}`` (conseil_ess/seances/templatetags/seances.py) replaced the included template kept in
    tests/seances/anciens_gabarits: same bytes, values escaped."""
    from pathlib import Path

    from django.template import Context, Template

    seance = nouvelle_seance(titre='Séance <b> & "co"')
    Seance.objects.filter(pk=seance.pk).update(
        statut=statut, nature=nature, motif_exceptionnelle="Urgence <script>" if nature == "exceptionnelle" else "")
    seance.evenement.mode = mode
    seance.evenement.precision_lieu = "Salle <2>"
    seance.evenement.save()
    seance = Seance.objects.select_related("evenement", "evenement__lieu", "evenement__commune").get(pk=seance.pk)
    ancien = (Path(__file__).parent / "anciens_gabarits" / "_carte.html").read_text()

    attendu = Template(ancien).render(Context({"seance": seance}))
    obtenu = Template("{% load seances %}{% carte_seance seance %}").render(Context({"seance": seance}))

    assert obtenu == attendu
    assert "Séance &lt;b&gt; &amp; &quot;co&quot;" in obtenu and "<script>" not in obtenu
