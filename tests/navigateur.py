"""Browser harness: a live daphne server (HTTP + WebSockets) and Debian's Chromium driven by Playwright.

Every page a journey visits must pass an axe-core audit (no *serious* or *critical* violation): the
``navigation`` fixture records each URL the browser lands on and fails the test at teardown if one
was not audited.
"""

import os
import shutil
from functools import partial

import pytest
from axe_playwright_python.sync_playwright import Axe
from channels.testing.live import make_application, set_database_connection
from daphne.testing import DaphneProcess
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

ARGS_CHROMIUM = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]
IMPACTS_BLOQUANTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def navigateur(_playwright):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium est introuvable sur le PATH : lancez « make test », qui l'installe (paquet chromium).")
    browser = _playwright.chromium.launch(executable_path=executable, args=ARGS_CHROMIUM)
    yield browser
    browser.close()


@pytest.fixture
def serveur_live(transactional_db, settings):
    """Start daphne in a child process on the test database; yield its base URL."""
    process = DaphneProcess(
        "127.0.0.1",
        partial(make_application, static_wrapper=ASGIStaticFilesHandler),
        setup=set_database_connection,
    )
    process.start()
    if not process.ready.wait(timeout=30):
        process.terminate()
        pytest.fail("Le serveur daphne de test n'a pas démarré.")
    if not process.errors.empty():
        erreur, trace = process.errors.get()
        pytest.fail(f"Le serveur daphne de test a échoué : {trace}")
    yield f"http://127.0.0.1:{process.port.value}"
    process.terminate()
    process.join(timeout=10)


class Navigation:
    """A browser tab on the live server, with an axe audit of each page."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.visitees = []
        self.auditees = set()
        self._axe = Axe()
        page.on("framenavigated", self._noter)

    def _noter(self, frame):
        if frame == self.page.main_frame and frame.url.startswith(self.base_url):
            self.visitees.append(frame.url)

    def url(self, chemin):
        return self.base_url + chemin

    def aller(self, chemin):
        """Open ``chemin`` and audit the page."""
        reponse = self.page.goto(self.url(chemin))
        self.auditer()
        return reponse

    def auditer(self):
        """Run axe-core on the current page; fail on any serious or critical violation."""
        self.page.wait_for_load_state("load")
        resultats = self._axe.run(self.page)
        bloquantes = [v for v in resultats.response["violations"] if v.get("impact") in IMPACTS_BLOQUANTS]
        self.auditees.add(self.page.url)
        assert not bloquantes, f"Violations axe sur {self.page.url} :\n" + "\n".join(
            f"- {v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in bloquantes
        )
        return resultats

    def pages_non_auditees(self):
        return [u for u in dict.fromkeys(self.visitees) if u not in self.auditees]


@pytest.fixture
def nouvelle_navigation(navigateur, serveur_live):
    """Factory of independent browser sessions (one per person in a journey)."""
    ancien = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ouvertes = []

    def ouvrir(largeur=1280):
        contexte = navigateur.new_context(locale="fr-FR", timezone_id="Europe/Paris",
                                          viewport={"width": largeur, "height": 900})
        contexte.set_default_timeout(15000)
        nav = Navigation(contexte.new_page(), serveur_live)
        ouvertes.append((contexte, nav))
        return nav

    yield ouvrir
    non_auditees = [u for _, nav in ouvertes for u in nav.pages_non_auditees()]
    for contexte, _ in ouvertes:
        contexte.close()
    if ancien is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = ancien
    assert not non_auditees, f"Pages visitées sans audit axe : {non_auditees}"


@pytest.fixture
def navigation(nouvelle_navigation):
    return nouvelle_navigation()
