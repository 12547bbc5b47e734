"""Emplacements: later apps add blocks and links to a lower app's page without the page naming them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Engine
from django.test import RequestFactory

from conseil_ess.comptes import emplacements
from conseil_ess.comptes.emplacements import MON_ESPACE


@pytest.fixture
def registre(monkeypatch):
    """Empty registries for the test (the apps' registrations are left untouched)."""
    monkeypatch.setattr(emplacements, "_blocs", emplacements.defaultdict(dict))
    monkeypatch.setattr(emplacements, "_liens", emplacements.defaultdict(dict))


def moteur(gabarits):
    return Engine(loaders=[("django.template.loaders.locmem.Loader", gabarits)],
                  libraries={"emplacements": "conseil_ess.comptes.templatetags.emplacements"})


def test_mon_espace_recoit_les_blocs_des_applications_dans_l_ordre():
    assert [bloc.template for bloc in emplacements.blocs(MON_ESPACE)] == [
        "evenements/includes/mon_agenda.html",
        "evenements/includes/mes_evenements_organises.html",
        "ateliers/includes/mes_ateliers.html",
        "propositions/includes/invitations_portage.html",
        "propositions/includes/mes_propositions.html",
    ]
    assert [bloc.template for bloc in emplacements.blocs("ateliers.atelier")] == [
        "propositions/includes/atelier.html"]


def test_chaque_bloc_est_rendu_avec_son_propre_contexte_par_ordre(registre):
    emplacements.enregistrer_bloc("essai", "b.html", lambda context: {"nom": context["page"] + " B"}, ordre=2)
    emplacements.enregistrer_bloc("essai", "a.html", lambda context: {"nom": "A"}, ordre=1)
    gabarit = moteur({
        "page.html": '{% load emplacements %}[{% blocs "essai" %}]',
        "a.html": "<a>{{ nom }}{{ page }}{{ csrf_token }}</a>",
        "b.html": "<b>{{ nom }}</b>",
    }).get_template("page.html")

    rendu = gabarit.render(Context({"page": "<p>", "csrf_token": "jeton"}))

    # The page's own variables do not leak into a block; the CSRF token does; nothing is escaped twice.
    assert rendu == "[<a>Ajeton</a><b>&lt;p&gt; B</b>]"


def test_un_emplacement_sans_bloc_ne_rend_rien(registre):
    gabarit = moteur({"page.html": '{% load emplacements %}[{% blocs "vide" %}]'}).get_template("page.html")
    assert gabarit.render(Context({})) == "[]"


@pytest.mark.django_db
def test_un_lien_n_est_montre_qu_a_qui_a_la_permission(registre, django_user_model):
    emplacements.enregistrer_lien("essai", "Tableau", "propositions:tableau_de_bord",
                                  permission="propositions.tableau_de_bord", ordre=2)
    emplacements.enregistrer_lien("essai", "Profil", "comptes:profil", ordre=1)
    gabarit = moteur({"page.html": '{% load emplacements %}{% liens "essai" as liens %}'
                                   '{% for lien in liens %}{{ lien.libelle }}={{ lien.url }};{% endfor %}'})
    requete = RequestFactory().get("/")
    requete.user = AnonymousUser()

    assert gabarit.get_template("page.html").render(Context({"request": requete})) == "Profil=/mon-espace/profil/;"

    requete.user = django_user_model.objects.create_superuser(email="admin@example.org", password="x")
    assert gabarit.get_template("page.html").render(Context({"request": requete})) == (
        "Profil=/mon-espace/profil/;Tableau=/suivi/;")
