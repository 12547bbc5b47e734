"""Helpers shared by the tests of the home app."""

import re


def publier(parent, page):
    """Add ``page`` under ``parent`` (fetched fresh: treebeard needs its real child count), publish it."""
    parent = type(parent).objects.get(pk=parent.pk)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def paragraphe(html):
    return [{"type": "paragraphe", "value": html}]


def contenu_principal(reponse):
    """Return the HTML inside <main> (without the menu and the footer)."""
    html = reponse.content.decode()
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def valeurs_compteurs(html):
    """Return the numbers shown by a « chiffres calculés » block, in order."""
    return [int(v) for v in re.findall(r"<span class=\"chiffres__valeur\" data-compteur>(\d+)</span>", html)]
