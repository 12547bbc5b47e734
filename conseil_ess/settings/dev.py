"""Embedded default: SQLite, in-memory channel layer, local-memory cache, console e-mail."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
SERVESTATIC_USE_FINDERS = True
SERVESTATIC_AUTOREFRESH = True
