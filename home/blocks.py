"""StreamField blocks of the site's pages; each renders with its own template in templates/home/blocks/."""

import copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from conseil_ess.compilation import compilee_une_fois
from conseil_ess.comptes.compteurs import calculer

from . import compteurs, pages_du_corps  # compteurs.choix(): the path home's migrations record


class PageDuSiteBlock(blocks.PageChooserBlock):
    """Wagtail's page chooser, whose pages (those of a body, read together at each display of the page) are read
    by a query compiled once per set of pages (``conseil_ess.compilation``) instead of Wagtail's ``in_bulk``,
    compiled at every display. The same pages, in the same order (None kept, a page chosen twice given as two
    objects, as Wagtail gives them). Recorded in migrations as Wagtail's block (``DECONSTRUCT_ALIASES``)."""

    def bulk_to_python(self, values):
        identifiants = tuple(values)
        try:
            hash(identifiants)
        except TypeError:
            return super().bulk_to_python(values)
        modele = self.model_class
        if modele is Page:
            lues = pages_du_corps.pages_lues(identifiants)  # read with the page's other queries
            if lues is not None:
                return lues
        pages = {page.pk: page for page in compilee_une_fois(
            ("home.blocs.pages", modele, identifiants),
            lambda: modele.objects.filter(pk__in=[i for i in identifiants if i is not None]).order_by())}
        vus, resultat = set(), []
        for identifiant in identifiants:
            page = pages.get(identifiant)
            if page is not None and identifiant in vus:
                page = copy.copy(page)
            resultat.append(page)
            vus.add(identifiant)
        return resultat


DECONSTRUCT_ALIASES = {PageDuSiteBlock: "wagtail.blocks.PageChooserBlock"}

# Headings start at h2: the page title is the only h1.
FONCTIONS_TEXTE_RICHE = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ParagrapheBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", FONCTIONS_TEXTE_RICHE)
        super().__init__(**kwargs)

    class Meta:
        label = _("Texte")
        icon = "pilcrow"
        template = "home/blocks/paragraphe.html"


class ImageLegendeBlock(blocks.StructBlock):
    image = ImageBlock(
        label=_("Image"),
        help_text=_("Renseignez le texte alternatif, sauf si l'image est purement décorative."),
    )
    legende = blocks.CharBlock(label=_("Légende"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("Crédit"), required=False, max_length=150)

    class Meta:
        label = _("Image")
        icon = "image"
        template = "home/blocks/image.html"


class CitationBlock(blocks.StructBlock):
    texte = blocks.TextBlock(label=_("Citation"))
    auteur = blocks.CharBlock(label=_("Auteur ou autrice"), required=False, max_length=150)
    fonction = blocks.CharBlock(
        label=_("Fonction"), required=False, max_length=200,
        help_text=_("Par exemple « vice-présidente chargée de l'ESS »."),
    )

    class Meta:
        label = _("Citation")
        icon = "openquote"
        template = "home/blocks/citation.html"


class ChiffreBlock(blocks.StructBlock):
    valeur = blocks.CharBlock(label=_("Valeur"), max_length=30, help_text=_("Par exemple « 31 000 » ou « 11 % »."))
    libelle = blocks.CharBlock(label=_("Libellé"), max_length=150, help_text=_("Par exemple « salariés de l'ESS »."))

    class Meta:
        label = _("Chiffre")


class ChiffresClesBlock(blocks.StructBlock):
    titre = blocks.CharBlock(label=_("Titre"), required=False, max_length=150)
    chiffres = blocks.ListBlock(ChiffreBlock(), label=_("Chiffres"), min_num=1)

    class Meta:
        label = _("Chiffres clés")
        icon = "list-ol"
        template = "home/blocks/chiffres_cles.html"


class ChoixDeCompteurBlock(blocks.ChoiceBlock):
    """The code of a counter (``compteurs.choix``). Wagtail's ``ChoiceBlock`` gives back, for each value read, the
    choice key equal to it as text, going through the choices at each value: the registry's, rebuilt and
    normalised at each call (0.1 ms per counter shown, at every display). The codes are text, stored as such:
    the value read is the key itself, a code no longer registered left as it is (as Wagtail leaves it)."""

    def to_python(self, value):
        return value if value is None or isinstance(value, str) else super().to_python(value)


class ChiffresCalculesBlock(blocks.StructBlock):
    """Figures computed from the platform's data each time the page is displayed."""

    titre = blocks.CharBlock(label=_("Titre"), required=False, max_length=150)
    compteurs = blocks.ListBlock(
        ChoixDeCompteurBlock(choices=compteurs.choix, label=_("Compteur")),
        label=_("Compteurs"), min_num=1,
        help_text=_("Les valeurs sont calculées à partir des données de la plateforme à chaque affichage."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["chiffres"] = calculer(value["compteurs"])
        return context

    class Meta:
        label = _("Chiffres calculés")
        icon = "table"
        template = "home/blocks/chiffres_calcules.html"


class AppelActionValue(blocks.StructValue):
    def lien(self):
        page = self.get("page")
        if page is not None and page.live:
            return page.url
        return self.get("url") or ""


class AppelActionBlock(blocks.StructBlock):
    titre = blocks.CharBlock(label=_("Titre"), max_length=150)
    texte = blocks.TextBlock(label=_("Texte"), required=False)
    page = PageDuSiteBlock(label=_("Page du site"), required=False)
    url = blocks.URLBlock(
        label=_("Ou adresse web"), required=False, help_text=_("Si le lien ne mène pas à une page du site."),
    )
    libelle_bouton = blocks.CharBlock(
        label=_("Libellé du bouton"), max_length=80,
        help_text=_("Un libellé explicite hors contexte : évitez « Cliquez ici » ou « En savoir plus »."),
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choisissez soit une page du site, soit une adresse web.")
            raise blocks.StructBlockValidationError(block_errors={"page": ValidationError(message)})
        return value

    class Meta:
        label = _("Appel à l'action")
        icon = "link"
        template = "home/blocks/appel_action.html"
        value_class = AppelActionValue


class DocumentsBlock(blocks.StructBlock):
    titre = blocks.CharBlock(label=_("Titre"), required=False, max_length=150)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Document")), label=_("Documents"), min_num=1)

    class Meta:
        label = _("Documents à télécharger")
        icon = "doc-full"
        template = "home/blocks/documents.html"


class EtapeBlock(blocks.StructBlock):
    titre = blocks.CharBlock(label=_("Étape"), max_length=150)
    texte = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        label = _("Étape")


class EtapesBlock(blocks.StructBlock):
    titre = blocks.CharBlock(label=_("Titre"), required=False, max_length=150)
    etapes = blocks.ListBlock(EtapeBlock(), label=_("Étapes"), min_num=1)

    class Meta:
        label = _("Étapes d'un parcours")
        icon = "order"
        template = "home/blocks/etapes.html"


class ContenuBlock(blocks.StreamBlock):
    paragraphe = ParagrapheBlock()
    image = ImageLegendeBlock()
    citation = CitationBlock()
    chiffres_cles = ChiffresClesBlock()
    chiffres_calcules = ChiffresCalculesBlock()
    appel_action = AppelActionBlock()
    documents = DocumentsBlock()
    etapes = EtapesBlock()

    class Meta:
        label = _("Contenu")
