"""Keyboard-only steps of the browser journeys: Tab/Shift+Tab/Enter/Space, a visible focus at every step."""

FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  return {
    id: e.id, tag: e.tagName, texte: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 60),
    visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
  };
}"""


def focus(page):
    return page.evaluate(FOCUS)


def tab(page, touche="Tab"):
    """Press ``touche``; the element that gets the focus must show it."""
    page.keyboard.press(touche)
    actif = focus(page)
    assert actif is not None, f"{touche} a laissé le focus sur le document ({page.url})"
    assert actif["visible"], f"Focus invisible sur {actif} ({page.url})"
    return actif


def tab_jusqu_a(page, cible, maximum=80, touche="Tab"):
    """Tab until the focused element matches ``cible(actif)``; fail (keyboard trap or missing) after ``maximum``."""
    vus = []
    for _ in range(maximum):
        actif = tab(page, touche)
        if cible(actif):
            return actif
        vus.append(actif)
    raise AssertionError(f"Élément jamais atteint au clavier sur {page.url} ; parcourus : {vus[-10:]}")


def evitement(navigation):
    """The first Tab reaches « Aller au contenu »; Enter moves the focus to main."""
    page = navigation.page
    actif = tab(page)
    assert actif["texte"] == "Aller au contenu", actif
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    # Same document (only the fragment « #contenu » was added), audited already.
    navigation.auditees.add(page.url)


def parcourir_sans_piege(page, maximum=200):
    """Tab through the whole page: the focus must go forward to the last link of the footer, then leave it."""
    dernier = page.locator("footer a").last.inner_text().strip()
    tab_jusqu_a(page, lambda a: a["texte"] == dernier, maximum=maximum)
    # Shift+Tab goes back: no trap in either direction.
    precedent = tab(page, "Shift+Tab")
    assert precedent["texte"] != dernier
