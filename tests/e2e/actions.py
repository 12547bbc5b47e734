"""Steps shared by several journeys (each one audits the pages it reaches)."""

from playwright.sync_api import expect

from tests.factories import MOT_DE_PASSE


def soumettre(navigation, nom=None):
    """Submit the form of the page's main content (its button named ``nom``, else its last one)."""
    page = navigation.page
    bouton = page.get_by_role("button", name=nom) if nom else page.locator("main form button[type=submit]").last
    navigation.cliquer(bouton)


def se_connecter(navigation, email, mot_de_passe=MOT_DE_PASSE):
    """Log in through the allauth form; land on the personal space."""
    page = navigation.page
    navigation.aller("/compte/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(mot_de_passe)
    soumettre(navigation)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def erreur_du_champ(page, id_champ):
    """Return the error message shown next to the field ``id_champ``.

    The field must be marked invalid and point to the message with ``aria-describedby`` (what a
    screen reader announces with it).
    """
    champ = page.locator(f"#{id_champ}")
    expect(champ).to_have_attribute("aria-invalid", "true")
    ids = (champ.get_attribute("aria-describedby") or "").split()
    textes = [page.locator(f"#{i}").inner_text() for i in ids if "err" in i]
    assert textes, f"#{id_champ} n'est relié à aucun message d'erreur (aria-describedby={ids})."
    return " ".join(textes)
