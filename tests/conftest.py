"""Fixtures shared by the whole suite: users by role, MFA, and the browser harness (tests/navigateur.py)."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from conseil_ess.comptes import roles
from conseil_ess.seances import diffusion

from .connexions import Gardien
from .factories import MOT_DE_PASSE, UserFactory
from .navigateur import _playwright, navigateur, navigation, nouvelle_navigation, serveur_live  # noqa: F401
from .selection import sans_base

# The roles of the permission matrix, and the groups each one has.
ROLES = {
    "anonyme": None,
    "acteur": [roles.ACTEUR],
    "membre": [roles.ACTEUR, roles.MEMBRE],
    # An acteur who animates an atelier (the permission matrix names them on the atelier of each row).
    "animateur": [roles.ACTEUR, roles.ANIMATEUR],
    "agent": [roles.AGENT],
    "elu": [roles.ELU],
}


DELAI_FERMETURE = 15.0  # seconds a stopped server's connection may take to close (a loaded 2-core machine)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Before the teardown, wait for the séance broadcasts still running in threads (they read the
    database); after it, close asgiref's thread's connections again and fail the test if a connection other
    than its own is still open on the test database (a thread, live server or daphne process that did not
    close its connection)."""
    if not diffusion.attendre_les_diffusions():
        pytest.fail("Une diffusion de séance est restée bloquée plus de 10 s après le test.", pytrace=False)
    _fermer_les_connexions_du_fil_d_asgiref()
    resultat = yield
    # Again after the fixtures' teardown: a broadcast scheduled in the test's event loop (a vote's, coalesced)
    # may run while the loop shuts down, reading the database in that thread after the first closing.
    _fermer_les_connexions_du_fil_d_asgiref()
    gardien = getattr(item.session, "_gardien_des_connexions", None)
    if gardien is None:
        gardien = item.session._gardien_des_connexions = Gardien()
    fuites = gardien.restantes(DELAI_FERMETURE)
    if fuites:
        pytest.fail(f"{item.nodeid} laisse des connexions ouvertes sur la base de test :\n- " + "\n- ".join(fuites),
                    pytrace=False)
    return resultat


def _fermer_les_connexions_du_fil_d_asgiref():
    """Close the connections of asgiref's thread for thread-sensitive sync code.

    An async test's ``sync_to_async`` calls and the consumers' ``database_sync_to_async`` run in that one
    long-lived thread: its connection would otherwise outlive the test (and keep the test database from
    being dropped at the end of the run).
    """
    from asgiref.sync import SyncToAsync
    from django.db import connections

    executeur = SyncToAsync.single_thread_executor
    if getattr(executeur, "_threads", None):
        executeur.submit(connections.close_all).result(timeout=30)


def pytest_itemcollected(item):
    """Mark ``navigateur`` every test that drives Chromium (it uses the ``navigateur`` fixture, directly or through
    ``navigation``/``nouvelle_navigation``), so that a journey whose module forgot the marker still runs in one
    pass only (``make test``; ``make test-dates`` at ``DATES_NAVIGATEUR``); then mark ``sans_base`` the tests that
    touch no database, channel layer or cache (tests/selection.py): the CI's PostgreSQL + Redis pass leaves them
    out."""
    if "navigateur" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("navigateur"):
        item.add_marker(pytest.mark.navigateur)
    if sans_base(item):
        item.add_marker(pytest.mark.sans_base)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Make ``--dist loadgroup`` group again (pytest-xdist issue #1386).

    On an xdist worker, pytest-xdist adds ``@<group>`` to the node id of each ``xdist_group`` test by setting
    ``item._nodeid``; since pytest 9.2 the node id is read from the structured ``item._id``, so the suffix is
    lost and grouped tests are spread over the workers. This carries the suffix over (a no-op elsewhere).
    """
    from _pytest.nodeid import coerce_node_id

    for item in items:
        suffixe = item.__dict__.get("_nodeid")
        if isinstance(suffixe, str) and suffixe != item.nodeid:
            item._id = coerce_node_id(suffixe)


def pytest_sessionfinish(session):
    gardien = getattr(session, "_gardien_des_connexions", None)
    if gardien is not None:
        gardien.fermer()


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_use_migrations, django_db_keepdb,
                    django_db_createdb, django_db_modify_db_settings):
    """pytest-django's fixture, the SQLite database copied from a migrated template (tests/base_modele.py)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from .base_modele import creer_les_bases

    if not django_db_use_migrations:
        _disable_migrations()
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    options = {"verbosity": request.config.option.verbose, "interactive": False, "aliases": aliases,
               "serialized_aliases": serialized_aliases}
    with django_db_blocker.unblock():
        if django_db_keepdb and not django_db_createdb:  # --reuse-db: pytest-django's own behaviour
            configuration = setup_databases(keepdb=True, **options)
        else:
            configuration = creer_les_bases(setup_databases, **options)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(configuration, verbosity=request.config.option.verbose)
            except Exception as exc:
                request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


@pytest.fixture(autouse=True)
def _cache_types_de_contenu():
    # Transactional tests flush the database; stale content types would point at deleted rows.
    ContentType.objects.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _indexation_a_l_enregistrement(request):
    """Tests marked ``indexation`` get the search index updated at every save, as in production; the others
    get it built when searched (tests/recherche_paresseuse.py). Autouse: applied before the test's data fixtures."""
    if request.node.get_closest_marker("indexation") is None:
        from . import recherche_paresseuse

        recherche_paresseuse.debut_de_test()  # the previous test's index entries were rolled back with its rows
        yield
        return
    from django.test import override_settings

    # With AUTO_UPDATE on, tests/recherche_paresseuse.py hands out Wagtail's own backend, and its signals index.
    backend = {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": True}
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": backend}):
        yield


@pytest.fixture(autouse=True)
def _generation_des_pages():
    """Each test starts from a new generation of the public pages' cache: a test's rows are rolled back
    without a write the cache could notice, so a page it cached would otherwise be served to the next test
    that writes nothing (seen: « Cycles précédents » of one test on the next one's empty /ateliers/)."""
    from conseil_ess.cache_pages import generation

    generation.publier()
    yield


@pytest.fixture
def mot_de_passe():
    return MOT_DE_PASSE


def activer_mfa(user):
    """Give ``user`` a TOTP authenticator and recovery codes; return the TOTP secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def code_totp(secret, marge=5):
    """Return the TOTP code an authenticator app shows now for ``secret``.

    The platform keeps allauth's strict default (``MFA_TOTP_TOLERANCE = 0``: only the current
    30-second window, so a used code cannot be replayed once allauth's 30-second memory of it ends).
    A person would wait for the next code when theirs is about to expire; so does this helper, when
    fewer than ``marge`` seconds are left, so that a browser journey never submits a code that
    expired while the page was being filled in.
    """
    periode = mfa_settings.TOTP_PERIOD
    reste = periode - time.time() % periode
    if reste < marge:
        time.sleep(reste + 0.05)
    return f"{hotp_value(secret, int(time.time()) // periode):06d}"


def a_mfa(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def creer_utilisateur(role, mfa=True, **kwargs):
    """Return a user with the groups of ``role`` (and MFA set up for staff roles when ``mfa``)."""
    if role == "anonyme":
        return None
    user = UserFactory(roles=ROLES[role], **kwargs)
    if mfa and role in ("agent", "elu"):
        user.totp_secret = activer_mfa(user)
    return user


@pytest.fixture
def acteur(db):
    return creer_utilisateur("acteur")


@pytest.fixture
def membre(db):
    return creer_utilisateur("membre")


@pytest.fixture
def agent(db):
    return creer_utilisateur("agent")


@pytest.fixture
def elu(db):
    return creer_utilisateur("elu")
