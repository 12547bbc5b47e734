"""The one sanitizer for user rich text (proposals, events, minutes, comments, descriptions).

Built on bleach with one allow-list. Every model field that stores user HTML is a ``TexteRiche``
(``conseil_ess/champs.py``), which cleans each value assigned to it with ``nettoyer_html``, and templates
render it through the ``nettoye`` filter (``comptes/templatetags/contenu.py``) instead of marking raw
input safe. To swap bleach for another library, change this module only.
"""

import functools
import re
import threading

import bleach
from bleach.linkifier import LinkifyFilter

BALISES_AUTORISEES = frozenset({
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "a", "abbr", "code", "pre", "hr",
})
ATTRIBUTS_AUTORISES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
}
PROTOCOLES_AUTORISES = frozenset({"http", "https", "mailto"})


def _rel_externe(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


def _nouveau_nettoyeur():
    return bleach.sanitizer.Cleaner(
        tags=BALISES_AUTORISEES,
        attributes=ATTRIBUTS_AUTORISES,
        protocols=PROTOCOLES_AUTORISES,
        strip=True,
        strip_comments=True,
        filters=[lambda source: LinkifyFilter(source, callbacks=[_rel_externe], skip_tags={"pre", "code"})],
    )


# bleach's Cleaner keeps parsing state between calls and is not thread-safe (its documentation says so):
# one per thread (gunicorn threads, daphne's sync threads, the broadcasts' threads).
_par_fil = threading.local()


def _nettoyeur():
    nettoyeur = getattr(_par_fil, "nettoyeur", None)
    if nettoyeur is None:
        nettoyeur = _par_fil.nettoyeur = _nouveau_nettoyeur()
    return nettoyeur


# Elements whose content is code, not text: removed with their content (bleach would keep it as text: a pasted
# page or Word document showed its scripts and style sheets). Closed or running to the end, as a browser reads them.
_CODE = re.compile(r"<(script|style|template|noscript|iframe|object|textarea|title|xml)\b.*?(</\1\s*>|\Z)",
                   re.IGNORECASE | re.DOTALL)


def nettoyer_html(valeur):
    """Return ``valeur`` with every tag, attribute and URL scheme outside the allow-list removed."""
    if not valeur:
        return ""
    valeur = str(valeur)
    if "<" in valeur:
        valeur = _CODE.sub("", valeur)
    return _nettoyeur().clean(valeur)


# A text that holds one of these was written with its own blocks: it is shown as written.
BLOCS_HTML = _BLOCS = re.compile(r"<(p|ul|ol|li|blockquote|h[2-4]|pre|hr)[\s>/]", re.IGNORECASE)
_LIGNE_VIDE = re.compile(r"\n[ \t]*\n\s*")


def html_affiche(valeur):
    """Return ``valeur`` cleaned for display, its paragraphs and line breaks kept.

    A text typed in a plain box (no block of its own) has its blank lines turned into paragraphs and its
    other line breaks into ``<br>``; the result goes through the cleaner again (an inline tag spanning a
    blank line is closed and reopened properly). What is stored is never changed: the person finds their
    text as typed when they edit it.
    """
    return _html_affiche(str(valeur)) if valeur else ""


# A pure function of the text (the allow-list is fixed): kept per process, keyed by the text itself, so a
# page shown again (an event's description…) is not parsed by bleach again; a changed text is a new key.
@functools.lru_cache(maxsize=1024)
def _html_affiche(valeur):
    propre = nettoyer_html(valeur)
    if not propre.strip() or _BLOCS.search(propre):
        return propre
    texte = propre.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphes = (p.strip().replace("\n", "<br>\n") for p in _LIGNE_VIDE.split(texte))
    return _nettoyeur().clean("\n".join(f"<p>{p}</p>" for p in paragraphes if p))


def texte_seul(valeur):
    """Return the text of ``valeur`` with all markup removed (for e-mails, feeds, summaries)."""
    if not valeur:
        return ""
    return bleach.clean(str(valeur), tags=set(), strip=True)
