"""assurer_site(): root page, « Accueil » home page and default site, after migrate and after a flush."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from home.setup import assurer_site

from .outils import publier


def verifier_arbre():
    accueil = HomePage.objects.get()
    assert (accueil.title, accueil.slug, accueil.depth, accueil.live) == ("Accueil", "accueil", 2, True)
    site = Site.objects.get()
    assert (site.hostname, site.port, site.is_default_site, site.root_page_id) == ("localhost", 80, True, accueil.pk)
    assert not Page.objects.filter(depth=2, slug="home").exists()
    return accueil


@pytest.mark.django_db
def test_migrations_creent_l_accueil_et_le_site(client):
    verifier_arbre()
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_assurer_site_idempotent():
    premier = assurer_site()
    second = assurer_site()

    assert premier.pk == second.pk
    assert verifier_arbre().pk == premier.pk
    assert Page.objects.filter(depth=1).count() == 1


@pytest.mark.django_db
def test_assurer_site_garde_le_contenu_existant(accueil):
    from home.models import StandardPage

    publier(accueil, StandardPage(title="Contenu", slug="contenu"))
    assurer_site()

    assert Page.objects.filter(slug="contenu", depth=3).exists()


@pytest.mark.django_db
def test_assurer_site_supprime_la_page_de_bienvenue_de_wagtail():
    racine = Page.get_first_root_node()
    bienvenue = racine.add_child(instance=Page(title="Welcome to your new Wagtail site!", slug="home"))
    Site.objects.update(root_page=bienvenue)

    assurer_site()

    verifier_arbre()


@pytest.mark.django_db
def test_assurer_site_reconstruit_l_arbre_efface():
    Site.objects.all().delete()
    Page.objects.all().delete()
    Locale.objects.all().delete()
    ContentType.objects.all().delete()  # as after a flush: content types come back with new ids

    assurer_site()

    verifier_arbre()
    assert Page.objects.filter(depth=1).count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_puis_post_migrate_restaure_l_accueil(client):
    """Django's flush (used by transactional tests) sends post_migrate: the home page comes back."""
    call_command("flush", interactive=False, verbosity=0)

    verifier_arbre()
    assert client.get("/").status_code == 200
