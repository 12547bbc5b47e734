"""Settings for the test suite (pytest-django). DATABASE_URL / REDIS_URL switch to the real services."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# The origin of Django's test client and of the WebSocket test communicators (which send no Host header).
CSRF_TRUSTED_ORIGINS = ["http://testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# One folder per test process (pytest-xdist worker): the retention job removes the attachments its database does
# not know, and must not see another worker's files (seen: a file removed while the job was reading it).
FICHIERS_PRIVES_ROOT = BASE_DIR / ".test-fichiers-prives" / os.environ.get("PYTEST_XDIST_WORKER", "principal")  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: the live daphne server of the browser tests runs in another process.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
if REDIS_URL:  # noqa: F405
    # The test processes of one run (pytest-xdist workers) share one Redis: each keeps its own groups,
    # channels and cache keys, or a séance of one worker's database would receive the broadcasts of the
    # séance with the same id in another's (seen: a count going back on a live page under load). The
    # servers a test starts inherit the worker's name from the environment, so they share its prefix.
    _PROCESSUS = os.environ.get("PYTEST_XDIST_WORKER", "principal")
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"asgi-test-{_PROCESSUS}"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"conseil_ess-test-{_PROCESSUS}"  # noqa: F405
SERVESTATIC_USE_FINDERS = True
SERVESTATIC_AUTOREFRESH = True
# The same middleware without its scan of every static file at each test client (tests/statiques.py).
MIDDLEWARE = [  # noqa: F405
    "tests.statiques.ServeStaticMiddlewareDesTests" if m == "servestatic.middleware.ServeStaticMiddleware" else m
    for m in MIDDLEWARE  # noqa: F405
]

# `make test-dates`: DATE_SIMULEE=AAAA-MM-JJ moves the clock of every process of the test run (tests/horloge.py).
from tests import horloge  # noqa: E402

horloge.demarrer()
if horloge.date_simulee() is not None:
    # Chromium keeps the real clock: cookies dated from the simulated one must not expire on arrival.
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    CSRF_COOKIE_AGE = None

# Tests count the queries of a page, menu and footer included: their per-generation copy is off
# (tests/home/test_navigation.py turns it on to test it).
CACHE_NAVIGATION = False

# The search index is built when it is searched, not at every save (tests/recherche_paresseuse.py); tests of the
# save-time indexing are marked `indexation` and get the real backend (tests/conftest.py).
WAGTAILSEARCH_BACKENDS = {  # noqa: F405
    "default": {**WAGTAILSEARCH_BACKENDS["default"], "BACKEND": "tests.recherche_paresseuse", "AUTO_UPDATE": False},  # noqa: F405
}
