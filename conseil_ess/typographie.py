"""French typography of titles: non-breaking spaces before « : ; ! ? » and inside « guillemets ».

Titles come from templates, from the pages editors write and from what people type (an event called
« Ciné-débat : du producteur à la cantine »); a title must not break before its colon. Rather than
asking every template and every form to think of it, ``TypographieTitresMiddleware`` rewrites the text
of the headings (``<h1>`` to ``<h6>``) and of ``<title>`` of each HTML page: a no-break space (U+00A0)
before « : » and « » » and after « « », a narrow no-break space (U+202F) before « ; », « ! » and « ? ».
Only text between tags changes, never markup, attributes or other elements.

Shared tool (bottom layer): imports no app.
"""

import functools
import re

TITRE = re.compile(r"(<(h[1-6]|title)\b[^>]*>)(.*?)(</\2\s*>)", re.S | re.I)
BALISE = re.compile(r"(<[^>]*>)")
ESPACES = "[ \t\r\n]+"
REGLES = [
    (re.compile(ESPACES + r"([:»])"), "\u00a0\\1"),
    (re.compile(ESPACES + r"([;!?])"), "\u202f\\1"),
    (re.compile("«" + ESPACES), "«\u00a0"),
]


def typographier(texte):
    """Return ``texte`` (plain text or escaped HTML text without tags) with French no-break spaces."""
    for motif, remplacement in REGLES:
        texte = motif.sub(remplacement, texte)
    return texte


# The characters every rule needs: a heading without any of them is left as is, without splitting it.
A_TYPOGRAPHIER = re.compile("[:;!?«»]")


def _titre(correspondance):
    """``TITRE``'s replacement (the reference ``typographier_titres`` is tested against)."""
    ouvrante, _, contenu, fermante = correspondance.groups()
    if not A_TYPOGRAPHIER.search(contenu):
        return correspondance.group(0)
    return _titre_de(ouvrante, contenu, fermante)


OUVRANTE = re.compile(r"<(h[1-6]|title)\b[^>]*>", re.I)
FERMANTES = {nom: re.compile(rf"</{nom}\s*>", re.I) for nom in ("h1", "h2", "h3", "h4", "h5", "h6", "title")}


def typographier_titres(html):
    """Return ``html`` with the text of its headings and title typeset: what ``TITRE.sub(_titre, html)`` gives,
    each heading's closing tag found by a search from its opening one rather than by the lazy ``(.*?)`` of one
    expression (which tried the closing tag at every character of the page's headings: a thirtieth of the home
    page's CPU), and the page rebuilt only when a heading changes."""
    morceaux, position, copie = [], 0, 0
    while (ouvrante := OUVRANTE.search(html, position)) is not None:
        fermante = FERMANTES[ouvrante.group(1).lower()].search(html, ouvrante.end())
        if fermante is None:  # never closed: as the expression, try from the next character
            position = ouvrante.start() + 1
            continue
        contenu = html[ouvrante.end():fermante.start()]
        if A_TYPOGRAPHIER.search(contenu):
            morceaux += [html[copie:ouvrante.start()], _titre_de(ouvrante.group(0), contenu, fermante.group(0))]
            copie = fermante.end()
        position = fermante.end()
    if not morceaux:
        return html
    morceaux.append(html[copie:])
    return "".join(morceaux)


@functools.lru_cache(maxsize=4096)
def _titre_de(ouvrante, contenu, fermante):
    """A heading typeset (a pure function of its text: kept, the same headings come back page after page)."""
    morceaux = BALISE.split(contenu)
    # Odd items are tags: untouched.
    return ouvrante + "".join(m if i % 2 else typographier(m) for i, m in enumerate(morceaux)) + fermante


class TypographieTitresMiddleware:
    """Typeset the headings and the title of the site's HTML pages (not the admin's, not files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (getattr(response, "streaming", False) or request.path.startswith("/admin/")
                or not response.get("Content-Type", "").startswith("text/html")):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        typographie = typographier_titres(html)
        if typographie != html:
            response.content = typographie.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
