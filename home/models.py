"""Wagtail pages of the site: home, policy pages, the six champs d'action, news and legal pages.

Plus the « pied de page » site setting (footer text and links).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from conseil_ess import pagination
from conseil_ess.compilation import compilee_une_fois, lecture_compilee
from conseil_ess.pagination import colonne_total, page_comptee
from conseil_ess.prechargement import lire_ensemble, mettre_en_cache
from conseil_ess.recherche import normaliser

from . import pages_du_corps
from .blocks import ContenuBlock
from .pages_du_corps import ServieAvecSonCorps
from .restrictions import RestrictionsCompilees, prive_q
from .routage import RoutageEnUneLecture

# Slugs of the legal pages that the footer always links to, in display order.
SLUGS_PAGES_LEGALES = ["mentions-legales", "donnees-personnelles", "accessibilite"]

AIDE_CORPS = _("Le contenu de la page, fait de blocs : texte, image, citation, chiffres, appel à l'action, documents…")


class MarqueDemoMixin(models.Model):
    """Flag the objects written by the demo loader, so that it can remove exactly those."""

    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True


def _champ_intro():
    return models.TextField(
        _("chapô"), blank=True,
        help_text=_("Deux ou trois phrases qui résument la page. Elles apparaissent aussi dans les listes et "
                    "les résultats de recherche."),
    )


def _champ_corps():
    return StreamField(ContenuBlock(), blank=True, verbose_name=_("contenu"), help_text=AIDE_CORPS)


class PageRecherchable:
    """The normalised copies of a page's text that the site's search matches (conseil_ess/recherche.py)."""

    def titre_recherche(self):
        return normaliser(self.title)

    def texte_recherche(self):
        morceaux = [getattr(self, nom, "") for nom in ("accroche", "intro", "nom_canonique", "libelle_secondaire")]
        morceaux.append(self.search_description)
        if getattr(self, "body", None):
            morceaux.extend(str(m) for m in self._meta.get_field("body").get_searchable_content(self.body))
        if hasattr(self, "leviers"):
            morceaux.extend(f"{levier.libelle} {levier.description}" for levier in self.leviers.all())
        return normaliser(*morceaux)


# Every page type adds these to its own search fields (Wagtail's, for the admin's search).
RECHERCHE_NORMALISEE = [index.SearchField("titre_recherche", boost=4), index.SearchField("texte_recherche")]
RECHERCHE_CONTENU = [index.SearchField("intro"), index.SearchField("body")] + RECHERCHE_NORMALISEE


# What ``page.url`` / ``{% pageurl %}`` reads of a page (Wagtail's ``get_url_parts``, the locale for ``localized``).
CHAMPS_URL_PAGE = ("id", "path", "depth", "url_path", "live", "locale")
# The pages of a list of news whose query is compiled once (the next ones, rarely read, by the ORM).
PAGES_COMPILEES = 20


class HomePage(  # noqa: DJ008 (Page.__str__ gives the title)
        PageRecherchable, ServieAvecSonCorps, RoutageEnUneLecture, RestrictionsCompilees, MarqueDemoMixin, Page):
    accroche = models.CharField(
        _("accroche"), max_length=255, blank=True,
        help_text=_("Le grand titre de la page d'accueil. Laissé vide, le titre de la page est affiché."),
    )
    intro = _champ_intro()
    body = _champ_corps()

    content_panels = Page.content_panels + [
        FieldPanel("accroche"),
        FieldPanel("intro"),
        FieldPanel("body"),
        HelpPanel(content=_("La page d'accueil affiche aussi, sous le contenu, les six champs d'action et les "
                            "trois dernières actualités publiées.")),
    ]
    search_fields = Page.search_fields + [index.SearchField("accroche")] + RECHERCHE_CONTENU

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.StandardPage", "home.ChampsIndexPage", "home.NewsIndexPage", "home.LegalPage"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # ``public()`` reads the view restrictions at each call (a query): the lists leave out the private sections
        # by a condition of their own SQL (``prive_q``). Each list loads what it shows and what its links need
        # (``pageurl``: the URL path), not the pages' bodies; their SQL is constant: built and compiled once.
        context["actualites"] = compilee_une_fois("accueil-actualites", lambda: (
            NewsPage.objects.live().exclude(prive_q()).order_by("-date", "-pk")
            .only(*CHAMPS_URL_PAGE, "title", "date", "intro")[:3]))
        context["champs"] = compilee_une_fois("accueil-champs", lambda: (
            ChampActionPage.objects.live().exclude(prive_q()).order_by("numero")
            .only(*CHAMPS_URL_PAGE, "numero", "nom_canonique")))
        index_actualites = compilee_une_fois("accueil-index-actualites", lambda: (
            NewsIndexPage.objects.live().exclude(prive_q()).order_by("path").only(*CHAMPS_URL_PAGE)[:1]))
        # The three lists, the next events and the proposals' figures (the page's template tags), and the pages its
        # body shows or links to (``pages_du_corps``: found there while it is rendered), in one round trip.
        from conseil_ess.propositions.statistiques import lecture_synthese
        from evenements.templatetags.agenda import lecture_prochains_evenements

        *_listes, context["prochains_evenements"], context["synthese"], _pages = lire_ensemble(
            *map(lecture_compilee, (context["actualites"], context["champs"], index_actualites)),
            lecture_prochains_evenements(3), lecture_synthese(),
            pages_du_corps.lecture(pages_du_corps.identifiants(self.body.raw_data)))
        context["page_actualites"] = next(iter(index_actualites), None)
        return context


class StandardPage(  # noqa: DJ008 (Page.__str__ gives the title)
        PageRecherchable, ServieAvecSonCorps, RoutageEnUneLecture, RestrictionsCompilees, MarqueDemoMixin, Page):
    intro = _champ_intro()
    body = _champ_corps()

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + RECHERCHE_CONTENU

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The sub-pages and the pages the body shows or links to (``pages_du_corps``) in one round trip, the
        # sub-pages by a query compiled once per page (``public()`` read every view restriction first: the private
        # sections are left out by a condition of the list's own SQL, ``prive_q``).
        sous_pages = compilee_une_fois(("sous-pages", self.path, self.depth, not self.numchild),
                                       lambda: self.get_children().live().exclude(prive_q()))
        context["sous_pages"], _pages = lire_ensemble(
            lecture_compilee(sous_pages), pages_du_corps.lecture(pages_du_corps.identifiants(self.body.raw_data)))
        return context


class ChampsIndexPage(  # noqa: DJ008 (Page.__str__ gives the title)
        PageRecherchable, RoutageEnUneLecture, RestrictionsCompilees, MarqueDemoMixin, Page):
    intro = _champ_intro()
    body = _champ_corps()

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        HelpPanel(content=_("Les champs d'action publiés sous cette page sont listés automatiquement, "
                            "par numéro.")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + RECHERCHE_CONTENU

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.ChampActionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des champs d'action")
        verbose_name_plural = _("listes des champs d'action")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The champs (what their cards show and their links need) and their levers, in one round trip, by queries
        # compiled once per index page (the levers' by a subquery of the champs' ids); the levers set where the
        # related manager reads them (``champ.leviers.all``: Django's prefetch cache), in their order.
        cle = ("index-des-champs", self.path, self.depth)

        def champs_publics():
            return (ChampActionPage.objects.child_of(self).live().exclude(prive_q()).order_by("numero")
                    .only(*CHAMPS_URL_PAGE, "numero", "nom_canonique", "intro"))

        champs, leviers = lire_ensemble(*map(lecture_compilee, (
            compilee_une_fois(cle, champs_publics),
            compilee_une_fois((*cle, "leviers"), lambda: Levier.objects.filter(
                page_id__in=champs_publics().values("pk")).order_by("sort_order", "pk")),
        )))
        par_champ = {}
        for levier in leviers:
            par_champ.setdefault(levier.page_id, []).append(levier)
        for champ in champs:
            mettre_en_cache(champ, {"leviers": par_champ.get(champ.pk, [])})
        context["champs"] = champs
        return context


class ChampActionPage(  # noqa: DJ008 (Page.__str__ gives the title)
        PageRecherchable, RoutageEnUneLecture, RestrictionsCompilees, MarqueDemoMixin, Page):
    """One of the six champs d'action of the metropolitan ESS policy (DOMAINE.md §7)."""

    numero = models.PositiveSmallIntegerField(
        _("numéro"), validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("De 1 à 6, dans l'ordre du cadre d'action."),
    )
    nom_canonique = models.CharField(
        _("nom du champ d'action"), max_length=255,
        help_text=_("Le nom de référence du champ, tel qu'il figure dans le cadre d'action."),
    )
    libelle_secondaire = models.CharField(
        _("libellé du tableau de synthèse"), max_length=255, blank=True,
        help_text=_("L'autre intitulé du champ, utilisé dans le tableau de synthèse. Facultatif."),
    )
    intro = _champ_intro()
    body = _champ_corps()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("numero"), FieldPanel("nom_canonique")]), FieldPanel("libelle_secondaire")],
            heading=_("Identification du champ"),
        ),
        FieldPanel("intro"),
        InlinePanel(
            "leviers", heading=_("Leviers d'action"), label=_("Levier"),
            help_text=_("Les leviers dont la Métropole dispose dans ce champ, dans l'ordre d'affichage."),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("nom_canonique"),
        index.SearchField("libelle_secondaire"),
        index.RelatedFields("leviers", [index.SearchField("libelle"), index.SearchField("description")]),
    ] + RECHERCHE_CONTENU

    parent_page_types = ["home.ChampsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("champ d'action")
        verbose_name_plural = _("champs d'action")

    def clean(self):
        super().clean()
        if self.numero and ChampActionPage.objects.exclude(pk=self.pk).filter(numero=self.numero).exists():
            raise ValidationError({"numero": _("Un autre champ d'action porte déjà ce numéro.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The previous and next champs and this one's levers (``page.leviers.all``: Django's prefetch cache, where
        # the related manager reads them), in one round trip, by queries compiled once per page (their key: what
        # decides them); the private sections left out by ``prive_q``.
        cle = (self.pk, self.path, self.depth, self.numero)

        def voisins():
            return ChampActionPage.objects.sibling_of(self, inclusive=False).live().exclude(prive_q())

        precedent, suivant, leviers = lire_ensemble(*map(lecture_compilee, (
            compilee_une_fois(("champ-precedent", *cle),
                              lambda: voisins().filter(numero__lt=self.numero).order_by("-numero")[:1]),
            compilee_une_fois(("champ-suivant", *cle),
                              lambda: voisins().filter(numero__gt=self.numero).order_by("numero")[:1]),
            compilee_une_fois(("champ-leviers", self.pk), lambda: Levier.objects.filter(page_id=self.pk)),
        )))
        context["champ_precedent"], context["champ_suivant"] = next(iter(precedent), None), next(iter(suivant), None)
        mettre_en_cache(self, {"leviers": leviers})
        return context


class Levier(Orderable):
    """A lever of action of a champ d'action (exact wording of the synthesis table)."""

    page = ParentalKey(ChampActionPage, on_delete=models.CASCADE, related_name="leviers")
    libelle = models.CharField(_("libellé"), max_length=300)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Facultatif : exemples, dispositifs existants sur le territoire."),
    )

    panels = [FieldPanel("libelle"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("levier")
        verbose_name_plural = _("leviers")

    def __str__(self):
        return self.libelle


class NewsIndexPage(  # noqa: DJ008 (Page.__str__ gives the title)
        PageRecherchable, RoutageEnUneLecture, RestrictionsCompilees, MarqueDemoMixin, Page):
    PAR_PAGE = 10

    intro = _champ_intro()

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        HelpPanel(content=_("Les actualités publiées sous cette page sont listées automatiquement, "
                            "de la plus récente à la plus ancienne, par dix.")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")] + RECHERCHE_NORMALISEE

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.NewsPage"]

    class Meta:
        verbose_name = _("liste des actualités")
        verbose_name_plural = _("listes des actualités")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The page of news and their number in one query (``page_comptee``), with what the list shows and its links
        # need; the private sections left out by ``prive_q``. The list's queryset is built once per index page,
        # each page of it compiled once (the first pages: a number far past them goes through the ORM).
        cle = ("actualites", self.path, self.depth)
        actualites = compilee_une_fois(cle, lambda: (
            NewsPage.objects.child_of(self).live().exclude(prive_q()).order_by("-date", "-pk")
            .only(*CHAMPS_URL_PAGE, "title", "date", "intro")))

        def lire(tranche, *, avec_total):
            debut, fin = tranche.query.low_mark, tranche.query.high_mark
            if debut > self.PAR_PAGE * PAGES_COMPILEES:
                return pagination.instances(tranche, avec_total=avec_total)
            return list(compilee_une_fois((*cle, debut, fin, avec_total), lambda: (
                tranche.annotate(total=colonne_total()) if avec_total else tranche)))

        page, page.object_list = page_comptee(actualites, request.GET.get("page"), self.PAR_PAGE, lire)
        context["actualites"] = page
        return context


class NewsPage(  # noqa: DJ008 (Page.__str__ gives the title)
        PageRecherchable, RoutageEnUneLecture, RestrictionsCompilees, MarqueDemoMixin, Page):
    date = models.DateField(_("date de publication"), default=timezone.localdate)
    intro = _champ_intro()
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    texte_alternatif = models.CharField(
        _("texte alternatif de l'image"), max_length=255, blank=True,
        help_text=_("Décrivez ce que l'image apporte à l'actualité. Laissez vide si elle est purement décorative."),
    )
    body = _champ_corps()

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("texte_alternatif")], heading=_("Image (facultative)")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + RECHERCHE_CONTENU + [index.FilterField("date")]

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")


class LegalPage(  # noqa: DJ008 (Page.__str__ gives the title)
        PageRecherchable, RoutageEnUneLecture, RestrictionsCompilees, MarqueDemoMixin, Page):
    class EtatConformite(models.TextChoices):
        TOTALEMENT = "totale", _("totalement conforme")
        PARTIELLEMENT = "partielle", _("partiellement conforme")
        NON_CONFORME = "non_conforme", _("non conforme")

    mis_a_jour_le = models.DateField(_("mise à jour le"), default=timezone.localdate)
    etat_conformite = models.CharField(
        _("état de conformité (RGAA)"), max_length=20, choices=EtatConformite.choices, blank=True,
        help_text=_("Uniquement pour la déclaration d'accessibilité : il est repris dans le lien du pied de page."),
    )
    body = _champ_corps()

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("mis_a_jour_le"), FieldPanel("etat_conformite")]),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")] + RECHERCHE_NORMALISEE

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page légale")
        verbose_name_plural = _("pages légales")

    @property
    def libelle_lien(self):
        """Return the footer label: the accessibility statement shows its conformity status, from the one
        declaration (``home.accessibilite``) when it is the page at ``/accessibilite/``."""
        if self.slug == "accessibilite":
            from .accessibilite import libelle_pied_de_page

            return libelle_pied_de_page()
        if self.etat_conformite:
            return _("Accessibilité : %(etat)s") % {"etat": self.get_etat_conformite_display()}
        return self.title


def valider_adresse(valeur):
    """Accept a path of this site (« /agenda/ ») or a full http(s) address."""
    if valeur.startswith("/") and not valeur.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(valeur)


@register_setting(icon="list-ul")
class PiedDePage(ClusterableModel, BaseSiteSetting):
    intro = models.TextField(
        _("texte de présentation"), blank=True,
        help_text=_("Une ou deux phrases affichées en haut du pied de page."),
    )

    panels = [
        FieldPanel("intro"),
        InlinePanel(
            "liens", heading=_("Liens"), label=_("Lien"),
            help_text=_("Les liens vers les mentions légales, les données personnelles et la déclaration "
                        "d'accessibilité sont toujours ajoutés s'ils manquent."),
        ),
    ]

    class Meta:
        verbose_name = _("pied de page")
        verbose_name_plural = _("pieds de page")


class LienPiedDePage(Orderable):
    reglage = ParentalKey(PiedDePage, on_delete=models.CASCADE, related_name="liens")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page du site"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.CharField(
        _("ou adresse"), max_length=500, blank=True, validators=[valider_adresse],
        help_text=_("Un chemin du site (« /agenda/ ») ou une adresse complète (« https://… »)."),
    )
    libelle = models.CharField(
        _("libellé"), max_length=100, blank=True,
        help_text=_("Facultatif pour une page : son titre est alors utilisé."),
    )

    panels = [FieldPanel("page"), FieldPanel("url"), FieldPanel("libelle")]

    class Meta(Orderable.Meta):
        verbose_name = _("lien du pied de page")
        verbose_name_plural = _("liens du pied de page")

    def __str__(self):
        return self.libelle or self.url or str(self.page)

    def clean(self):
        super().clean()
        if bool(self.page_id) == bool(self.url):
            raise ValidationError(_("Choisissez soit une page du site, soit une adresse."))
        if self.url and not self.libelle:
            raise ValidationError({"libelle": _("Donnez un libellé au lien vers une adresse.")})
