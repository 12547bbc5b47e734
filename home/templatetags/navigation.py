"""Site navigation: main menu (pages marked « afficher dans les menus ») and footer."""

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy
from wagtail.models import Site

register = template.Library()

# The current version of the site's data, or None: set by ``conseil_ess.cache_pages`` (a higher layer) in its
# ``ready()`` to the page cache's generation (called with the request: read once per request), raised by every
# write to the database. The menu's and the footer's links (several queries and page URLs) are then computed
# once per version and process.
version_des_donnees = None
_memo = {}
MEMO_MAX = 64


def _memoise(nom, request, calcul):
    """``calcul()``, kept in the process for the current version of the data (computed afresh without one)."""
    lire = version_des_donnees
    version = lire(request) if lire is not None and settings.CACHE_NAVIGATION else None
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


# The menu's fixed links after the site's pages: (URL name, label, whether a sub-path is « current » too).
LIENS_FIXES = (
    ("evenements:agenda", gettext_lazy("Agenda"), True),
    ("ateliers:index", gettext_lazy("Ateliers"), True),
    ("propositions:liste", gettext_lazy("Propositions"), True),
    ("seances:liste", gettext_lazy("Séances"), True),
    ("comptes:conseil_membres", gettext_lazy("Membres du Conseil"), False),
    ("comptes:structure_liste", gettext_lazy("Structures"), True),
)
_urls_fixes = {}


def _liens_fixes():
    """The fixed links' (URL, label, sub-path) for the current language: reversed once per process (and URL
    configuration)."""
    cle = (get_language(), get_script_prefix(), get_urlconf())
    try:
        return _urls_fixes[cle]
    except KeyError:
        liens = [(reverse(nom), mark_safe(str(libelle)), sous) for nom, libelle, sous in LIENS_FIXES]  # noqa: S308
        _urls_fixes[cle] = liens
        return liens


def _lien_menu(url, titre, courant):
    if courant:
        return format_html('<li><a href="{}" aria-current="{}">{}</a></li>', url, courant, titre)
    return format_html('<li><a href="{}">{}</a></li>', url, titre)


@register.simple_tag(takes_context=True)
def menu_principal(context):
    """Render the live children of the site root shown in menus, then the fixed sections; mark the current
    section. Written in Python (a page's fixed cost): the same HTML as a template, tested. The HTML is kept with
    the links (``_memoise``), once per current section."""
    request = context.get("request")
    chemin = getattr(request, "path", "")
    pages = _memoise("menu", request, lambda: _pages_du_menu(request))
    fixes = _liens_fixes()
    marques = (
        tuple("page" if chemin == url else ("true" if url != "/" and chemin.startswith(url) else "")
              for _titre, url in pages),
        tuple("page" if chemin == url else ("true" if sous and url in chemin else "") for url, _l, sous in fixes),
    )
    return _memoise(("menu-html", marques), request, lambda: _html_menu(pages, fixes, marques))


def _html_menu(pages, fixes, marques):
    liens_pages = "".join(
        _lien_menu(url, titre, courant) for (titre, url), courant in zip(pages, marques[0], strict=True)
    )
    liens_fixes = "\n    ".join(
        _lien_menu(url, libelle, courant) for (url, libelle, _sous), courant in zip(fixes, marques[1], strict=True)
    )
    # Translated constants are not escaped (as ``{% translate %}`` does): translators are trusted.
    return mark_safe(  # noqa: S308 - the links are escaped by format_html
        f'<nav class="menu" aria-label="{gettext("Menu principal")}">\n  \n'
        '  <button type="button" class="menu__bouton" aria-expanded="false" aria-controls="menu-principal-liste" '
        f'hidden>{gettext("Menu")}</button>\n'
        f'  <ul id="menu-principal-liste">\n    {liens_pages}\n    {liens_fixes}\n  </ul>\n</nav>\n'
    )


def _pages_du_menu(request):
    site = _site(request)
    if site is None:
        return []
    pages = site.root_page.get_children().live().public().in_menu()
    return [(page.title, url) for page in pages if (url := page.get_url(request))]


@register.simple_tag(takes_context=True)
def pied_de_page(context):
    """Render the footer: the « pied de page » setting, always completed by the three legal pages. Written in
    Python (a page's fixed cost): the same HTML as a template, tested; kept as the links are (``_memoise``)."""
    request = context.get("request")
    return _memoise("pied", request, lambda: _html_pied(*_liens_du_pied(request)))


def _html_pied(intro, liens):
    html = ['<footer class="pied" role="contentinfo">\n  <div class="conteneur">\n    ']
    if intro:
        html.append(format_html('<p class="pied__intro">{}</p>', linebreaksbr(intro, autoescape=True)))
    # Translated constants are not escaped (as ``{% translate %}`` does): translators are trusted.
    conseil = (gettext("Conseil de l'économie sociale et solidaire de Rivebelle Métropole"))
    html.append(f"\n    <p>{conseil}</p>\n    ")
    if liens:
        html.append(f'\n      <nav aria-label="{gettext("Liens du pied de page")}">\n'
                    '        <ul class="pied__liens">\n          ')
        html.extend(format_html('<li><a href="{}">{}</a></li>', lien["url"], lien["libelle"]) for lien in liens)
        html.append("\n        </ul>\n      </nav>\n    ")
    html.append("\n  </div>\n</footer>\n")
    return mark_safe("".join(html))  # noqa: S308 - the setting's text and links are escaped


def _liens_du_pied(request):
    from home.models import SLUGS_PAGES_LEGALES, LegalPage, PiedDePage

    site = _site(request)
    reglage = None
    legales = {}
    if site is not None:
        # Read only: Wagtail's ``for_request``/``for_site`` create the setting on first read, a write in a GET
        # that raced other writers (SQLite « database is locked » in a journey). No setting = no intro, no links.
        reglage = PiedDePage.objects.filter(site=site).first()
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
    from home.accessibilite import libelle_pied_de_page

    urls = {lien["url"] for lien in liens}
    for url, libelle in ((reverse("home:donnees_personnelles"), gettext("Données personnelles")),
                         (reverse("home:accessibilite"), libelle_pied_de_page())):
        if url not in urls:
            liens.append({"libelle": libelle, "url": url})
    return getattr(reglage, "intro", ""), liens
