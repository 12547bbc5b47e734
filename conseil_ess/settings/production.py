"""Production: everything comes from the environment; PostgreSQL, Redis and SMTP are required."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _requis(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"La variable d'environnement {name} est requise en production.")
    return value


DEBUG = False
SECRET_KEY = _requis("SECRET_KEY")
ALLOWED_HOSTS = _requis("ALLOWED_HOSTS").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in _requis("CSRF_TRUSTED_ORIGINS").split(",") if o]
_requis("DATABASE_URL")
_requis("REDIS_URL")
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405
# A persistent connection that PostgreSQL closed (restart, failover, pg_terminate_backend) is checked at the
# start of the next request and replaced, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# nginx serves /static/ from STATIC_ROOT (deploy/nginx/conseil-ess.conf): Django does not, so a static file
# never holds a gunicorn worker. STATIQUES_PAR_DJANGO=1 puts servestatic back, for a host with no web server
# in front. (`make demo` runs the dev settings, where servestatic serves them.)
STATIQUES_PAR_DJANGO = os.environ.get("STATIQUES_PAR_DJANGO", "0") == "1"
if not STATIQUES_PAR_DJANGO:
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "servestatic.middleware.ServeStaticMiddleware"]  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "conseil_ess.statiques.StatiquesManifeste"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _requis("EMAIL_HOST")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
# The load balancers probe /sante/ over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
WAGTAILADMIN_BASE_URL = _requis("SITE_URL")

# Private files (attachments, minutes' documents) are sent by nginx after Django's permission check.
FICHIERS_PRIVES_X_ACCEL = os.environ.get("FICHIERS_PRIVES_X_ACCEL", "1") == "1"
FICHIERS_PRIVES_X_ACCEL_PREFIX = os.environ.get("FICHIERS_PRIVES_X_ACCEL_PREFIX", "/_fichiers-prives/")
