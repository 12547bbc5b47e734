"""Writing without HTML: the Markdown editor of every long text (descriptions, minutes, messages).

People type Markdown in a plain box (it stays a plain box without JavaScript; ``static/js/editeur.js`` adds a
toolbar and a preview). What is **stored** does not change: the form field turns the Markdown into HTML and the
one sanitizer (``conseil_ess/sanitizer.py``) cleans it, so the database, the pages (``nettoye`` filter), the
e-mails, the feeds, the open data and the search index keep reading sanitized HTML, and rows written before the
editor (HTML, or plain text with its paragraphs) display byte for byte as before. When a text is edited, its
stored HTML is shown back as Markdown (``html_vers_markdown``); a text submitted unchanged keeps its stored
HTML as it was.

- ``markdown_vers_html(source)``: the Markdown rendered to HTML, then through the one sanitizer.
- ``html_vers_markdown(html)``: the stored HTML as Markdown, for the edit box.
- ``ChampRedaction``: the form field (``field_classes = {"description": ChampRedaction}`` in a model form, or
  declared in a form); its widget ``EditeurMarkdown`` renders ``templates/redaction/editeur.html``.
- ``apercu``: the preview endpoint (POST, CSRF, logged in) used by the « Prévisualiser » button (a plain submit
  button posting the form to a new tab: it works without JavaScript) and by the « Aperçu » button of the script.
"""

import html
import re
from html.parser import HTMLParser

import rules
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.boundfield import BoundField
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from markdown_it import MarkdownIt

from .champs import HtmlNettoye
from .sanitizer import BLOCS_HTML, nettoyer_html

# Headings: the pages' own title is the h1, and the sanitizer allows h2 to h4: « # » and « ## » give an h2,
# « ### » an h3, anything deeper an h4.
NIVEAU_MIN, NIVEAU_MAX = 2, 4

# CommonMark, with a line break kept as a line break (as the plain boxes did: issue 17), strikethrough, raw HTML
# let through to the sanitizer (old texts pasted as HTML keep their markup), no images (not in the allow-list).
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "breaks": True}).enable("strikethrough").disable("image")


def _titre(balise):
    niveau = min(max(int(balise[1]), NIVEAU_MIN), NIVEAU_MAX)
    return f"h{niveau}"


def markdown_vers_html(source):
    """Return the Markdown ``source`` rendered to HTML and cleaned by the one sanitizer."""
    if not source or not str(source).strip():
        return ""
    jetons = _MARKDOWN.parse(str(source).replace("\r\n", "\n").replace("\r", "\n"))
    for jeton in jetons:
        if jeton.type in ("heading_open", "heading_close"):
            jeton.tag = _titre(jeton.tag)
    return nettoyer_html(_MARKDOWN.renderer.render(jetons, _MARKDOWN.options, {})).strip()


# --- Stored HTML back to Markdown ----------------------------------------------------------------------------

_VIDES = frozenset({"br", "hr"})
_BLOCS = frozenset({"p", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr"})
_SPECIAUX = re.compile(r"([\\`*_\[\]~])")
_DEBUT_DE_LIGNE = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s|$)", re.MULTILINE)
_SOULIGNEMENT = re.compile(r"^(\s*)([=-])(?=[=-]*\s*$)", re.MULTILINE)  # « --- » or « === » under a line: a heading
_ENTITE = re.compile(r"&(?=[A-Za-z0-9#]+;)")
_BLANCS = re.compile(r"\s+")
_ADRESSE_SEULE = re.compile(r"https?://[^\s<>()\\`*_\[\]~]+")


class _Noeud:
    __slots__ = ("balise", "attributs", "enfants")

    def __init__(self, balise, attributs=()):
        self.balise, self.attributs, self.enfants = balise, dict(attributs), []


class _Arbre(HTMLParser):
    """A tolerant tree of the (sanitized, hence well-formed) stored HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.racine = _Noeud("racine")
        self.pile = [self.racine]

    def handle_starttag(self, balise, attributs):
        noeud = _Noeud(balise, attributs)
        self.pile[-1].enfants.append(noeud)
        if balise not in _VIDES:
            self.pile.append(noeud)

    def handle_startendtag(self, balise, attributs):
        self.pile[-1].enfants.append(_Noeud(balise, attributs))

    def handle_endtag(self, balise):
        for i in range(len(self.pile) - 1, 0, -1):
            if self.pile[i].balise == balise:
                del self.pile[i:]
                return

    def handle_data(self, donnees):
        self.pile[-1].enfants.append(donnees)


def _texte(valeur, brut):
    """Plain text as Markdown: its special characters escaped, ``<`` and entities kept literal."""
    if not brut:
        valeur = _BLANCS.sub(" ", valeur)
    valeur = _SPECIAUX.sub(r"\\\1", valeur)
    valeur = _ENTITE.sub("&amp;", valeur).replace("<", "&lt;")
    return valeur


def _texte_de(noeud):
    return "".join(e if isinstance(e, str) else _texte_de(e) for e in noeud.enfants)


def _entourer(marque, contenu):
    """``**contenu**``, with the spaces at its edges put outside the marks (else they are not emphasis)."""
    coeur = contenu.strip()
    if not coeur:
        return contenu
    avant = contenu[: len(contenu) - len(contenu.lstrip())]
    apres = contenu[len(contenu.rstrip()) :]
    return f"{avant}{marque}{coeur}{marque}{apres}"


def _en_ligne(noeuds, brut):
    morceaux = []
    for noeud in noeuds:
        if isinstance(noeud, str):
            morceaux.append(_texte(noeud, brut))
            continue
        contenu = _en_ligne(noeud.enfants, brut) if noeud.balise != "code" else None
        if noeud.balise == "br":
            morceaux.append("\n")
        elif noeud.balise in ("strong", "b"):
            morceaux.append(_entourer("**", contenu))
        elif noeud.balise in ("em", "i"):
            morceaux.append(_entourer("*", contenu))
        elif noeud.balise == "s":
            morceaux.append(_entourer("~~", contenu))
        elif noeud.balise == "code":
            code = _texte_de(noeud)
            marque = "``" if "`" in code else "`"
            morceaux.append(f"{marque}{code}{marque}" if code.strip() else code)
        elif noeud.balise == "a" and noeud.attributs.get("href"):
            adresse = noeud.attributs["href"]
            if _texte_de(noeud) == adresse and not noeud.attributs.get("title") and _ADRESSE_SEULE.fullmatch(adresse):
                morceaux.append(adresse)  # a bare address: the sanitizer makes it a link again
                continue
            if re.search(r"[\s()<>]", adresse):
                adresse = "<" + adresse.replace("<", "%3C").replace(">", "%3E") + ">"
            titre = noeud.attributs.get("title")
            titre = ' "' + titre.replace('"', "&quot;") + '"' if titre else ""
            morceaux.append(f"[{contenu}]({adresse}{titre})")
        elif noeud.balise in ("u", "abbr"):  # no Markdown for these: kept as HTML (the sanitizer allows them)
            titre = noeud.attributs.get("title")
            attribut = f' title="{html.escape(titre)}"' if noeud.balise == "abbr" and titre else ""
            morceaux.append(f"<{noeud.balise}{attribut}>{contenu}</{noeud.balise}>")
        else:
            morceaux.append(contenu)
    return "".join(morceaux)


def _paragraphe(noeuds, brut):
    texte = _en_ligne(noeuds, brut)
    if not brut:
        texte = "\n".join(ligne.strip() for ligne in texte.strip().split("\n"))
    texte = texte.strip("\n")
    # A line that would start a list, a quote or a heading is text here.
    if not texte.strip():
        return ""
    return _SOULIGNEMENT.sub(r"\1\\\2", _DEBUT_DE_LIGNE.sub(_echapper_debut, texte))


def _echapper_debut(m):
    marque = m.group(2)  # « 1. » is escaped as « 1\. » (a backslash before a digit would be shown)
    return m.group(1) + (marque[:-1] + "\\" + marque[-1] if marque[0].isdigit() else "\\" + marque)


def _indenter(texte, premier, suivants):
    lignes = texte.split("\n")
    return "\n".join([premier + lignes[0]] + [(suivants + ligne) if ligne else "" for ligne in lignes[1:]])


def _blocs(noeuds, brut=False, serre=False):
    blocs, en_cours = [], []

    def vider():
        if en_cours:
            if brut:  # a plain text: its blank lines separate its paragraphs
                texte = _paragraphe(en_cours, True)
                blocs.extend(b for b in re.split(r"\n[ \t]*\n\s*", texte) if b.strip())
            else:
                texte = _paragraphe(en_cours, False)
                if texte:
                    blocs.append(texte)
            en_cours.clear()

    for noeud in noeuds:
        if isinstance(noeud, str) or noeud.balise not in _BLOCS:
            en_cours.append(noeud)
            continue
        vider()
        balise = noeud.balise
        if balise == "p":
            texte = _paragraphe(noeud.enfants, False)
            if texte:
                blocs.append(texte)
        elif balise in ("h1", "h2", "h3", "h4", "h5", "h6"):
            niveau = min(max(int(balise[1]), NIVEAU_MIN), NIVEAU_MAX)
            texte = " ".join(_paragraphe(noeud.enfants, False).split("\n"))
            if texte:
                blocs.append("#" * niveau + " " + texte)
        elif balise in ("ul", "ol"):
            elements = [e for e in noeud.enfants if not isinstance(e, str)]
            debut = int(noeud.attributs.get("start") or 1) if balise == "ol" else 1
            lignes = []
            # A list whose items hold paragraphs is "loose" in Markdown: its items are separated by blank lines.
            ample = any(isinstance(e, _Noeud) and e.balise == "p" for element in elements for e in element.enfants)
            for i, element in enumerate(elements):
                contenu = _blocs(element.enfants if element.balise == "li" else [element], serre=not ample) or ""
                marque = f"{debut + i}. " if balise == "ol" else "- "
                lignes.append(_indenter(contenu, marque, " " * len(marque)))
            if lignes:
                blocs.append(("\n\n" if ample else "\n").join(lignes))
        elif balise == "blockquote":
            contenu = _blocs(noeud.enfants)
            if contenu:
                blocs.append("\n".join("> " + ligne if ligne else ">" for ligne in contenu.split("\n")))
        elif balise == "pre":
            code = _texte_de(noeud).strip("\n")
            barriere = "````" if "```" in code else "```"
            blocs.append(f"{barriere}\n{code}\n{barriere}")
        elif balise == "hr":
            blocs.append("---")
        else:  # a lone li
            blocs.append(_indenter(_blocs(noeud.enfants), "- ", "  "))
    vider()
    return ("\n" if serre else "\n\n").join(blocs)


def html_vers_markdown(valeur):
    """Return the stored HTML ``valeur`` as Markdown that renders to the same display.

    A text without blocks of its own (typed in a plain box before the editor) keeps its line breaks and blank
    lines, which the display turns into line breaks and paragraphs, as Markdown does here.
    """
    if not valeur or not str(valeur).strip():
        return ""
    valeur = str(valeur).replace("\r\n", "\n").replace("\r", "\n")
    arbre = _Arbre()
    arbre.feed(valeur)
    arbre.close()
    return _blocs(arbre.racine.enfants, brut=not BLOCS_HTML.search(valeur)).strip("\n")


# --- Form field and widget -----------------------------------------------------------------------------------


class SourceMarkdown(str):
    """What the person typed in the box (Markdown), as opposed to a stored HTML value; ``initial`` is the field's
    stored value, kept as it was when the text comes back unchanged."""

    initial = None


class EditeurMarkdown(forms.Textarea):
    """A plain box for Markdown, with the editor's toolbar, help and preview button around it."""

    template_name = "redaction/editeur.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 10, **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return ""
        return str(value) if isinstance(value, SourceMarkdown) else html_vers_markdown(value)

    def value_from_datadict(self, data, files, name):
        valeur = data.get(name)
        return None if valeur is None else SourceMarkdown(valeur)

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        contexte["apercu_url"] = reverse("redaction_apercu")
        ids = [contexte["widget"]["attrs"].get("aria-describedby")]
        if contexte["widget"]["attrs"].get("id"):
            ids.append(f"{contexte['widget']['attrs']['id']}_markdown")
        contexte["decrit_par"] = " ".join(i for i in ids if i)
        return contexte

    def _render(self, template_name, context, renderer=None):
        # The project's template engine (its templates/ folder, its tags), not the form renderer's own.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 - a template, autoescaped


class BoundFieldRedaction(BoundField):
    @property
    def data(self):
        valeur = super().data
        if isinstance(valeur, SourceMarkdown):
            valeur.initial = self.initial
        return valeur


class ChampRedaction(forms.CharField):
    """A long text written in Markdown; its cleaned value is sanitized HTML (what ``TexteRiche`` stores)."""

    widget = EditeurMarkdown

    def __init__(self, *args, widget=None, **kwargs):
        # A model field's ``formfield()`` passes its own plain ``Textarea``: the editor replaces it (its rows kept).
        if widget is None or isinstance(widget, type) or type(widget) is forms.Textarea:
            lignes = getattr(widget, "attrs", {}).get("rows") if widget is not None else None
            widget = EditeurMarkdown({"rows": lignes} if lignes else None)
        super().__init__(*args, widget=widget, **kwargs)

    def get_bound_field(self, form, field_name):
        return BoundFieldRedaction(form, self, field_name)

    def clean(self, value):
        source = super().clean(value)  # required, length (of what was typed), validators
        if not source:
            return ""
        initial = getattr(value, "initial", None)
        if initial and _meme_texte(source, html_vers_markdown(initial)):
            return initial if isinstance(initial, HtmlNettoye) else nettoyer_html(initial)
        return markdown_vers_html(source)

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return not _meme_texte(data or "", html_vers_markdown(initial or ""))


def _meme_texte(a, b):
    return str(a).replace("\r\n", "\n").strip() == str(b).replace("\r\n", "\n").strip()


# --- Preview -------------------------------------------------------------------------------------------------

rules.add_perm("redaction.apercu", rules.is_authenticated)


@require_POST
@login_required
def apercu(request):
    """The rendering of a box's Markdown, as it will be displayed.

    The « Prévisualiser » button posts the whole form here (``formaction``) with its own name as the field to
    show: a page in a new tab, without JavaScript. The script posts ``texte`` with ``fragment=1``: the HTML alone.
    """
    if not request.user.has_perm("redaction.apercu"):
        raise PermissionDenied
    champ = request.POST.get("_apercu", "")
    source = request.POST.get("texte") if "texte" in request.POST else request.POST.get(champ, "")
    rendu = mark_safe(markdown_vers_html(source[:200_000]))  # noqa: S308 - sanitized by the one sanitizer
    if request.POST.get("fragment"):
        return HttpResponse(rendu or "")
    return render(request, "redaction/apercu.html", {"rendu": rendu})
