"""Settings of the page benchmark (``tests/benchmarks/pages.py``): production settings, plus a trivial view
mounted behind the same middleware (``tests/benchmarks/urls.py``), only for the benchmark's server."""

import os

from conseil_ess.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.urls"
STATIC_ROOT = os.environ.get("BANC_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
# The trivial view measures the middleware alone: it never goes through the page cache.
CACHE_PAGES_EXCLUS = ["/__banc__/"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
