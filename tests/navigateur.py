"""Browser harness: a live daphne server (HTTP + WebSockets) and Debian's Chromium driven by Playwright.

Every page a journey visits must pass an axe-core audit (no *serious* or *critical* violation): the
``navigation`` fixture records each URL the browser lands on and fails the test at teardown if one
was not audited.

The server is a forked child process: it sees the test's committed data, sends its e-mails to
files that the ``boite_mail`` fixture reads, and pushes WebSocket messages through its own
in-memory channel layer (or Redis when ``REDIS_URL`` is set).
"""

import email
import os
import re
import shutil
from email import policy
from functools import partial

import pytest
from axe_playwright_python.sync_playwright import Axe
from channels.testing.live import make_application
from daphne.testing import DaphneProcess
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import connections

ARGS_CHROMIUM = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]
IMPACTS_BLOQUANTS = {"serious", "critical"}


@pytest.fixture
def _playwright(transactional_db, serveur_live):
    """Start Playwright for one test, once the test database and the live server are ready.

    Playwright's sync API runs an asyncio loop in this thread and marks it as running between
    calls, so Django refuses sync ORM calls (``SynchronousOnlyOperation``) for as long as it is
    started. Starting it after the database set-up and stopping it before the database flush keeps
    that window to the test body, where ``DJANGO_ALLOW_ASYNC_UNSAFE`` lets the test's own ORM calls
    through (they are sync and run between Playwright calls). A session-wide Playwright would leave
    that switch on for every later test of the session, hiding real async-safety bugs there.
    """
    from playwright.sync_api import sync_playwright

    ancien = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            try:
                yield p
            finally:
                # While Playwright runs, this thread counts as async: Django keeps the test body's connection
                # apart (asgiref stores it per context, not per thread). Close it before Playwright stops, or
                # it stays open after the test, unseen by the flush.
                connections.close_all()
    finally:
        if ancien is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = ancien


@pytest.fixture
def navigateur(_playwright):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium est introuvable sur le PATH : lancez « make test », qui l'installe (paquet chromium).")
    browser = _playwright.chromium.launch(executable_path=executable, args=ARGS_CHROMIUM)
    yield browser
    browser.close()


class BoiteMail:
    """The e-mails the live server sent, read from the file backend's directory."""

    SEPARATEUR = b"\n" + b"-" * 79 + b"\n"

    def __init__(self, dossier):
        self.dossier = dossier

    def messages(self):
        """Return every e-mail sent so far, oldest first."""
        if not self.dossier.exists():
            return []
        messages = []
        for fichier in sorted(self.dossier.iterdir(), key=lambda f: (f.stat().st_mtime_ns, f.name)):
            for brut in fichier.read_bytes().split(self.SEPARATEUR):
                if brut.strip():
                    messages.append(email.message_from_bytes(brut, policy=policy.default))
        return messages

    def dernier(self, destinataire=None):
        """Return the latest e-mail (to ``destinataire`` if given); fail if there is none."""
        messages = [m for m in self.messages() if destinataire is None or destinataire in str(m["To"])]
        assert messages, f"Aucun e-mail envoyé{f' à {destinataire}' if destinataire else ''}."
        return messages[-1]

    @staticmethod
    def texte(message):
        return message.get_body(preferencelist=("plain",)).get_content()

    def lien(self, motif, destinataire=None):
        """Return the first link of the latest e-mail whose path contains ``motif``."""
        texte = self.texte(self.dernier(destinataire))
        liens = [lien for lien in re.findall(r"https?://[^\s<>\"]+", texte) if motif in lien]
        assert liens, f"Aucun lien contenant {motif!r} dans l'e-mail :\n{texte}"
        return liens[0]


def _mails_dans_des_fichiers(settings, dossier):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(dossier)


@pytest.fixture
def boite_mail(settings, tmp_path):
    """Return the box of the e-mails the live server sends (its locmem outbox is in another process).

    ``serveur_live`` sends them to the same directory, set before it forks (the child inherits the
    settings of that moment), so this fixture may be asked for before or after it.
    """
    dossier = tmp_path / "mails"
    _mails_dans_des_fichiers(settings, dossier)
    return BoiteMail(dossier)


def _preparer_processus_serveur():
    """Run in the forked server process before it serves: drop the thread pools and channel layers
    inherited from the test process.

    A fork copies a ``ThreadPoolExecutor`` without its worker threads. asgiref runs the
    thread-sensitive sync code of WebSocket consumers (session and user lookups of
    ``AuthMiddlewareStack``, ``database_sync_to_async``) in one class-level single-thread executor:
    once an earlier test of the session has used it (any ``WebsocketCommunicator`` test), the child's
    copy believes its thread exists and never runs anything, so every WebSocket handshake of the
    live server hangs until the browser gives up. Django's HTTP handler is not affected (it makes an
    executor per request).
    """
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import AsyncToSync, SyncToAsync
    from channels.layers import channel_layers

    # No channels' set_database_connection(): at fork time the settings already name the test
    # database (it would prefix "test_" a second time on PostgreSQL).
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    AsyncToSync.loop_thread_executors.clear()
    channel_layers.backends.clear()


@pytest.fixture
def serveur_live(transactional_db, settings, tmp_path):
    """Start daphne in a child process on the test database; yield its base URL.

    The test's ORM calls commit at once (transactional test), so the server sees the data whether it
    is created before or after this fixture. E-mails go to files that ``boite_mail`` reads. The
    Wagtail home page and Site flushed by the previous transactional test are back already:
    ``home.setup.assurer_site`` runs on post_migrate, which the flush sends.
    """
    _mails_dans_des_fichiers(settings, tmp_path / "mails")
    # The child is forked: a thread of this process running at that instant would leave the child its locks
    # (held for ever there) and its half-done database reads. The data a test builds before the server may have
    # scheduled a séance's broadcast, which a thread sends (seen: the forked server never answering its first
    # request, once in the CI under load). Fork once they are sent.
    from conseil_ess.seances.diffusion import attendre_les_diffusions

    # (The idle workers of thread pools that earlier tests left hold no lock: they are not waited for.)
    if not attendre_les_diffusions():
        pytest.fail("Une diffusion de séance tournait encore après 10 s : le serveur de test n'est pas lancé.")
    process = DaphneProcess(
        "127.0.0.1",
        partial(make_application, static_wrapper=ASGIStaticFilesHandler),
        setup=_preparer_processus_serveur,
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
        self.onglets = []
        self._axe = Axe()
        page.on("framenavigated", self._noter)

    def _noter(self, frame):
        if frame == self.page.main_frame and frame.url.startswith(self.base_url):
            self.visitees.append(frame.url)

    def url(self, chemin):
        return self.base_url + chemin

    def nouvel_onglet(self):
        """Open another tab of the same person (same cookies); its pages are checked too."""
        onglet = Navigation(self.page.context.new_page(), self.base_url)
        self.onglets.append(onglet)
        return onglet

    def aller(self, chemin):
        """Open ``chemin`` and audit the page."""
        reponse = self.page.goto(chemin if chemin.startswith("http") else self.url(chemin))
        self.auditer()
        return reponse

    def cliquer(self, cible):
        """Click ``cible`` (a locator), wait for the page it leads to, and audit it."""
        with self.page.expect_navigation():
            cible.click()
        self.auditer()

    def auditer(self):
        """Run axe-core on the current page; fail on any serious or critical violation."""
        self.page.wait_for_load_state("load")
        # Audit what a person sees: Wagtail fades its messages in (opacity 0 to 1 in half a second),
        # and mid-way a success message fails the contrast rule although it passes once shown.
        # A function, not an expression: an expression is run with eval(), which the admin's CSP forbids.
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.messages > ul')].every(ul => getComputedStyle(ul).opacity === '1')"
        )
        resultats = self._axe.run(self.page)
        bloquantes = [v for v in resultats.response["violations"] if v.get("impact") in IMPACTS_BLOQUANTS]
        self.auditees.add(self.page.url)
        assert not bloquantes, f"Violations axe sur {self.page.url} :\n" + "\n".join(
            f"- {v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in bloquantes
        )
        return resultats

    def pages_non_auditees(self):
        non_auditees = [u for u in dict.fromkeys(self.visitees) if u not in self.auditees]
        return non_auditees + [u for onglet in self.onglets for u in onglet.pages_non_auditees()]


@pytest.fixture
def nouvelle_navigation(serveur_live, navigateur):
    """Factory of independent browser sessions (one per person in a journey)."""
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
    assert not non_auditees, f"Pages visitées sans audit axe : {non_auditees}"


@pytest.fixture
def navigation(nouvelle_navigation):
    return nouvelle_navigation()
