"""French typography of titles: non-breaking spaces before « : ; ! ? » and inside « guillemets ».

Titles come from templates, from the pages editors write and from what people type (an event called
« Ciné-débat : du producteur à la cantine »); a title must not break before its colon. Rather than
asking every template and every form to think of it, ``TypographieTitresMiddleware`` rewrites the text
of the headings (``<h1>`` to ``<h6>``) and of ``<title>`` of each HTML page: a no-break space (U+00A0)
before « : » and « » » and after « « », a narrow no-break space (U+202F) before « ; », « ! » and « ? ».
Only text between tags changes, never markup, attributes or other elements.

Shared tool (bottom layer): imports no app.
"""

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
    ouvrante, _, contenu, fermante = correspondance.groups()
    if not A_TYPOGRAPHIER.search(contenu):
        return correspondance.group(0)
    morceaux = BALISE.split(contenu)
    # Odd items are tags: untouched.
    contenu = "".join(m if i % 2 else typographier(m) for i, m in enumerate(morceaux))
    return ouvrante + contenu + fermante


def typographier_titres(html):
    """Return ``html`` with the text of its headings and title typeset."""
    return TITRE.sub(_titre, html)


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
