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


def se_connecter_avec_mfa(navigation, user, mot_de_passe=MOT_DE_PASSE):
    """Log in a person with TOTP set up (``user.totp_secret``, see ``creer_utilisateur``): password, then code."""
    from tests.conftest import code_totp

    page = navigation.page
    navigation.aller("/compte/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(mot_de_passe)
    soumettre(navigation)
    assert page.url.startswith(navigation.url("/compte/2fa/authenticate/")), page.url
    page.locator("#id_code").fill(code_totp(user.totp_secret))
    soumettre(navigation, "Connexion")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def ouvrir_mon_espace_en_direct(navigation):
    """Open the personal space, wait for its live notification socket, and mark the document.

    Return the locator of the notification list. ``document_pas_recharge`` then tells whether what
    arrived came without a reload.
    """
    navigation.aller("/mon-espace/")
    section = navigation.page.locator("#notifications")
    expect(section).to_have_attribute("data-ws-etat", "ouvert")
    navigation.page.evaluate("window.__marqueur = 1")
    return section.locator("[data-notifications-liste]")


def document_pas_recharge(navigation):
    return navigation.page.evaluate("window.__marqueur") == 1

