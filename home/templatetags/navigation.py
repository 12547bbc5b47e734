"""Site navigation: main menu (pages marked « afficher dans les menus ») and footer."""

from django import template
from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Site

register = template.Library()

# The current version of the site's data, or None: set by ``conseil_ess.cache_pages`` (a higher layer) in its
# ``ready()`` to the page cache's generation, raised by every write to the database. The menu's and the
# footer's links (several queries and page URLs) are then computed once per version and process.
version_des_donnees = None
_memo = {}
MEMO_MAX = 64


def _memoise(nom, request, calcul):
    """``calcul()``, kept in the process for the current version of the data (computed afresh without one)."""
    lire = version_des_donnees
    version = lire() if lire is not None and settings.CACHE_NAVIGATION else None
    if version is None:
        return calcul()
    cle = (nom, request.get_host() if request is not None else None, get_language(), version)
    try:
        return _memo[cle]
    except KeyError:
        pass
    valeur = calcul()
    if len(_memo) >= MEMO_MAX:
        _memo.clear()
    _memo[cle] = valeur
    return valeur


def _site(request):
    return Site.find_for_request(request) if request is not None else Site.objects.filter(is_default_site=True).first()


@register.inclusion_tag("includes/menu_principal.html", takes_context=True)
def menu_principal(context):
    """Render the live children of the site root shown in menus; mark the current section."""
    request = context.get("request")
    chemin = getattr(request, "path", "")
    liens = []
    for titre, url in _memoise("menu", request, lambda: _pages_du_menu(request)):
        courant = "page" if chemin == url else ("true" if url != "/" and chemin.startswith(url) else "")
        liens.append({"titre": titre, "url": url, "courant": courant})
    return {"liens": liens, "request": request}


def _pages_du_menu(request):
    site = _site(request)
    if site is None:
        return []
    pages = site.root_page.get_children().live().public().in_menu()
    return [(page.title, url) for page in pages if (url := page.get_url(request))]


@register.inclusion_tag("includes/pied_de_page.html", takes_context=True)
def pied_de_page(context):
    """Render the footer: the « pied de page » setting, always completed by the three legal pages."""
    request = context.get("request")
    intro, liens = _memoise("pied", request, lambda: _liens_du_pied(request))
    return {"request": request, "intro": intro, "liens": liens}


def _liens_du_pied(request):
    from home.models import SLUGS_PAGES_LEGALES, LegalPage, PiedDePage

    site = _site(request)
    reglage = None
    legales = {}
    if site is not None:
        reglage = PiedDePage.for_request(request) if request is not None else PiedDePage.for_site(site)
        pages_legales = LegalPage.objects.live().public().descendant_of(site.root_page).filter(
            slug__in=SLUGS_PAGES_LEGALES
        )
        legales = {p.pk: p for p in sorted(pages_legales, key=lambda p: SLUGS_PAGES_LEGALES.index(p.slug))}

    liens = []
    deja = set()
    if reglage is not None and reglage.pk:
        for lien in reglage.liens.select_related("page"):
            if lien.page_id:
                if not lien.page.live:
                    continue
                libelle = lien.libelle or (legales[lien.page_id].libelle_lien if lien.page_id in legales
                                           else lien.page.title)
                liens.append({"libelle": libelle, "url": lien.page.get_url(request)})
                deja.add(lien.page_id)
            elif lien.url:
                liens.append({"libelle": lien.libelle, "url": lien.url})
    # The legal pages are mandatory on every page (RGAA): add those the setting leaves out.
    for page in legales.values():
        if page.pk not in deja:
            liens.append({"libelle": page.libelle_lien, "url": page.get_url(request)})
    # The register of processing and the accessibility statement are generated pages: always linked.
    from django.urls import reverse
    from django.utils.translation import gettext

    from home.accessibilite import libelle_pied_de_page

    urls = {lien["url"] for lien in liens}
    for url, libelle in ((reverse("home:donnees_personnelles"), gettext("Données personnelles")),
                         (reverse("home:accessibilite"), libelle_pied_de_page())):
        if url not in urls:
            liens.append({"libelle": libelle, "url": url})
    return getattr(reglage, "intro", ""), liens
