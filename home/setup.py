"""Make sure the page tree has a home page served by the default site (idempotent).

Run after every ``migrate`` (post_migrate), so that a fresh database and a test database flushed by
a transactional test (Django's flush empties every table, then sends post_migrate) both get the
root page, the « Accueil » home page and the default ``Site`` back.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

TITRE_ACCUEIL = "Accueil"
SLUG_ACCUEIL = "accueil"


@transaction.atomic
def assurer_site():
    """Ensure root page, home page and default site exist; remove Wagtail's welcome page. Return the home page."""
    from .models import HomePage

    # After a flush the content types are recreated with new ids: forget the cached ones.
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    racine = Page.get_first_root_node()
    if racine is None:
        racine = Page.add_root(instance=Page(title="Root", slug="root", live=True))

    accueil = HomePage.objects.order_by("path").first()
    if accueil is None:
        accueil = racine.add_child(instance=HomePage(title=TITRE_ACCUEIL, slug=SLUG_ACCUEIL))

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=accueil, is_default_site=True,
            site_name=getattr(settings, "WAGTAIL_SITE_NAME", ""),
        )
    elif site.root_page_id != accueil.pk:
        site.root_page = accueil
        site.save()

    _supprimer_page_de_bienvenue()
    return accueil


def _supprimer_page_de_bienvenue():
    """Delete the plain « Welcome to your new Wagtail site! » page that Wagtail's migrations create."""
    type_page = ContentType.objects.get_for_model(Page)
    for page in Page.objects.filter(depth=2, slug="home", content_type=type_page, numchild=0):
        if not Site.objects.filter(root_page=page).exists():
            page.delete()
