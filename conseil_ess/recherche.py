"""The one normalisation of searched text: accents folded, lower case, French plurals and feminines reduced.

Wagtail's search backends disagree on French: SQLite's FTS5 (the database backend under ``make demo``)
folds accents but does not stem, PostgreSQL's ``french`` configuration stems but keeps accents. Each
indexed model therefore declares, besides its own fields, a copy of its text passed through
``normaliser()`` (``SearchField("titre_recherche")``, ``SearchField("texte_recherche")``), and the search
view passes the query through the same function: « Ressourceries », « ressourcerie » and « RESSOURCERIE »
become the same term, and so do « économie » and « economie », on both backends (PostgreSQL then stems
both sides again with its French dictionary, consistently).

``surligner()`` builds a result's excerpt: the text is escaped first, then each word whose normal form is
a searched term is wrapped in ``<mark>``.

Shared by every app (bottom layer): imports no app.
"""

import html
import re
import unicodedata

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

MOT = re.compile(r"\w+", re.UNICODE)
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def sans_accents(texte):
    """Return ``texte`` without diacritics (« Économie » → « Economie »), ligatures spelled out."""
    decompose = unicodedata.normalize("NFKD", (texte or "").translate(LIGATURES))
    return "".join(c for c in decompose if not unicodedata.combining(c))


def racine(mot):
    """Return the light French stem of one word already lower-cased and without accents.

    Plurals (-s, -x, -aux → -al) and a final -e go: « ressourceries », « ressourcerie » → « ressourceri » ;
    « sociales », « sociaux », « social » → « social ». Short words stay as they are.
    """
    if len(mot) <= 3 or mot.isdigit():
        return mot
    if mot.endswith("aux") and len(mot) > 4:
        mot = mot[:-3] + "al"
    elif mot[-1] in "sx":
        mot = mot[:-1]
    if mot.endswith("e") and len(mot) > 4:
        mot = mot[:-1]
    return mot


def termes(texte):
    """Return the normal forms of the words of ``texte``, in order."""
    return [racine(m) for m in MOT.findall(sans_accents(texte).lower())]


def texte_brut(contenu):
    """Return the text of a sanitized HTML fragment (tags removed, entities decoded)."""
    return html.unescape(strip_tags(contenu or ""))


def normaliser(*morceaux):
    """Return the normalised text of ``morceaux`` (plain text or sanitized HTML), for the index."""
    return " ".join(" ".join(termes(texte_brut(m))) for m in morceaux if m)


def extrait(texte, requete, mots=40):
    """Return the plain-text excerpt of ``texte`` (HTML allowed) around the first searched word."""
    brut = " ".join(texte_brut(texte).split())
    decoupe = brut.split(" ")
    cherches = set(termes(requete))
    debut = 0
    for i, mot in enumerate(decoupe):
        if cherches.intersection(termes(mot)):
            debut = max(0, i - 8)
            break
    morceau = " ".join(decoupe[debut:debut + mots])
    if debut:
        morceau = "… " + morceau
    if debut + mots < len(decoupe):
        morceau += " …"
    return morceau


def surligner(texte, requete):
    """Return ``texte`` (plain) escaped, with each word matching a term of ``requete`` inside ``<mark>``."""
    cherches = set(termes(requete))
    if not cherches:
        return escape(texte)
    morceaux = []
    position = 0
    for trouve in MOT.finditer(texte):
        if racine(sans_accents(trouve.group()).lower()) in cherches:
            morceaux.append(escape(texte[position:trouve.start()]))
            morceaux.append(f"<mark>{escape(trouve.group())}</mark>")
            position = trouve.end()
    morceaux.append(escape(texte[position:]))
    return mark_safe("".join(morceaux))  # noqa: S308 - every piece of text escaped above
