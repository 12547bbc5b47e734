"""Settings shared by every environment.

Only what differs between environments lives in ``dev``, ``test`` and ``production``.
Secrets and service addresses always come from the environment.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    # daphne must come before staticfiles (daphne.E001).
    "daphne",
    "conseil_ess.comptes",
    "home",
    "evenements",
    "ateliers",
    "conseil_ess.propositions",
    "conseil_ess.seances",
    "conseil_ess.demo",
    "conseil_ess.cache_pages",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Anonymous public pages from the cache (conseil_ess/cache_pages): before the rest, so a hit skips it.
    "conseil_ess.cache_pages.middleware.CachePagesMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware in the response phase: it sees the typeset page (conseil_ess/typographie.py).
    "conseil_ess.typographie.TypographieTitresMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "conseil_ess.comptes.middleware.MFARequiseMiddleware",
    "conseil_ess.erreurs.PagesErreurMiddleware",
    "csp.middleware.CSPMiddleware",
    "conseil_ess.comptes.middleware.PolitiqueAdminMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "conseil_ess.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "conseil_ess.comptes.context_processors.navigation",
            ],
            # ``date`` formatted once per value, format and language, ``{% url %}`` reversed once per view, arguments
            # and language (conseil_ess/gabarits_memo.py).
            "builtins": ["conseil_ess.gabarits_memo"],
        },
    },
]

WSGI_APPLICATION = "conseil_ess.wsgi.application"
ASGI_APPLICATION = "conseil_ess.asgi.application"

# --- Database: SQLite by default, PostgreSQL when DATABASE_URL is set -----------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, its health check of a persistent connection without a round trip (conseil_ess/postgresql).
    DATABASES["default"]["ENGINE"] = "conseil_ess.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache when REDIS_URL is set -----------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# The channel layer's Redis connections (tests/seances/test_couche_redis.py restarts a Redis under them).
# redis-py 8 defaults to a 5 s socket timeout (idle sockets closed with 1011) and a pool of 100 connections: see
# PITFALLS.md. After a Redis restart the pool's idle connections are dead: without a retry the first command on
# each of them fails (a socket refused, a broadcast lost, a consumer ended). One immediate reconnection and
# retry. No backoff: while Redis is down every consumer must fail at once (they take turns on the layer's receive
# lock; with a backoff the last ones stayed open and deaf for seconds instead of falling back to HTTP), closing
# its socket with a code the page reconnects on.
#
# Bounded waits: a Redis that stops answering without closing its connections (a network partition, a frozen
# host) must fail a command, never leave it waiting forever — with no timeout a consumer's handshake or a
# broadcast would hang until TCP gave up (hours). The read timeout stays well above channels_redis's blocking
# receive (BZPOPMIN, ``brpop_timeout`` = 5 s, answered by Redis when nothing comes): redis-py 8's default of 5 s
# raced it and closed idle sockets (PITFALLS.md). tests/seances/test_couche_redis.py checks both.
COUCHE_REDIS_CONNEXIONS = {
    "socket_timeout": 15,
    "socket_connect_timeout": 3,
    "max_connections": 1000,
    "retry": Retry(NoBackoff(), 1),
    "retry_on_error": [RedisConnectionError, RedisTimeoutError],
}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **COUCHE_REDIS_CONNEXIONS}],
                "capacity": 1000,
                "expiry": 60,
            },
        }
    }
    CACHES = {
        "default": {
            # django-redis rather than Django's RedisCache: with IGNORE_EXCEPTIONS a Redis outage degrades to
            # "no cache" (a miss on read, nothing written) instead of a 500 on every page that reads the cache
            # (Wagtail's site root paths, allauth's rate limits). Short timeouts: a dead Redis costs ~1 s at most.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "conseil_ess"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous public pages from the cache (conseil_ess/cache_pages): on/off, and the time-to-live (seconds).
CACHE_PAGES = os.environ.get("CACHE_PAGES", "1") == "1"
CACHE_PAGES_DUREE = int(os.environ.get("CACHE_PAGES_DUREE", "300"))
# The menu's and the footer's links, kept in each process for the current generation of the page cache
# (home/templatetags/navigation.py): on whether or not whole pages are cached.
CACHE_NAVIGATION = os.environ.get("CACHE_NAVIGATION", "1") == "1"

# --- Authentication ------------------------------------------------------------------------
AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "comptes:mon_espace"
WAGTAILADMIN_LOGIN_URL = "account_login"
# Error pages (conseil_ess/erreurs.py): a form sent with an expired or missing CSRF token gets a French page.
CSRF_FAILURE_VIEW = "conseil_ess.erreurs.echec_csrf"
# The address the error pages give to reach the secrétariat.
COURRIEL_SECRETARIAT = os.environ.get("COURRIEL_SECRETARIAT", "conseil-ess@rivebelle-metropole.example")

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Conseil ESS] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "conseil_ess.comptes.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Conseil ESS"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]

# --- Static and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files only served through a view that checks the reader (e.g. documents of internal minutes).
FICHIERS_PRIVES_ROOT = Path(os.environ.get("FICHIERS_PRIVES_ROOT", BASE_DIR / "fichiers-prives"))
# Production behind nginx: once the view has checked the reader, Django answers with an X-Accel-Redirect to
# this prefix (an `internal` location of nginx aliased to FICHIERS_PRIVES_ROOT, deploy/nginx/conseil-ess.conf)
# and nginx sends the file: a download never holds a gunicorn worker. Elsewhere Django streams the file.
FICHIERS_PRIVES_X_ACCEL = False
FICHIERS_PRIVES_X_ACCEL_PREFIX = "/_fichiers-prives/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Conseil ESS <ne-pas-repondre@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail ---------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Conseil de l'ESS de Rivebelle"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The site's search (home/recherche.py): Wagtail's database backend, SQLite's FTS5 under `make demo`,
# PostgreSQL's full text search with the French configuration (stemming, stop words) in production. Both
# sides of the match, index and query, also go through conseil_ess/recherche.py (accents folded, plurals
# reduced), so that both databases find « économie » from « economie » and « ressourcerie » from
# « ressourceries ». SEARCH_CONFIG is read by PostgreSQL only.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french",
    },
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odp", "ods", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No Gravatar: the admin would ask a third party for an image of each person on every page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security defaults (tightened again in production) ----------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Content security policy on public pages: everything is served from this site (no CDN). `connect-src 'self'`
# covers the site's own WebSockets (same host and port, ws: or wss:), never another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# The Wagtail admin's own policy (conseil_ess.comptes.middleware.PolitiqueAdminMiddleware): Wagtail ships
# inline scripts and styles, and frames its own previews; still nothing from another site.
CONTENT_SECURITY_POLICY_ADMIN = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
PREFIXE_ADMIN = "/admin/"

# Reverse proxies whose X-Forwarded-For / X-Real-IP give the client's address (login rate limits, per address):
# addresses or networks, comma-separated. Only a request coming straight from one of them is believed.
PROXIES_DE_CONFIANCE = [p.strip() for p in os.environ.get("PROXIES_DE_CONFIANCE", "127.0.0.1,::1").split(",")
                        if p.strip()]

# Uploaded documents: checked by content (ateliers/validators.py). An office file (a zip) may not expand past
# this size or ratio, nor hold more entries; attachments per object and per person and day.
FICHIERS_ARCHIVE_TAILLE_MAX = int(os.environ.get("FICHIERS_ARCHIVE_TAILLE_MAX", str(100 * 1024 * 1024)))
FICHIERS_ARCHIVE_RATIO_MAX = int(os.environ.get("FICHIERS_ARCHIVE_RATIO_MAX", "100"))
FICHIERS_ARCHIVE_MAX_ELEMENTS = int(os.environ.get("FICHIERS_ARCHIVE_MAX_ELEMENTS", "5000"))
PIECES_JOINTES_MAX_PAR_OBJET = int(os.environ.get("PIECES_JOINTES_MAX_PAR_OBJET", "10"))
PIECES_JOINTES_MAX_PAR_JOUR = int(os.environ.get("PIECES_JOINTES_MAX_PAR_JOUR", "30"))

# --- Platform-specific ------------------------------------------------------------------------
# Sites that may show the embeddable agenda (/agenda/integrer/) in an <iframe>: CSP frame-ancestors of that
# route only ("*": any site; otherwise origins separated by commas, e.g. "https://www.rivebelle.fr").
AGENDA_INTEGRATION_ORIGINES = [o.strip() for o in os.environ.get("AGENDA_INTEGRATION_ORIGINES", "*").split(",")
                               if o.strip()]
# Bulk import of events: largest file accepted (bytes), most events or occurrences read from one file.
IMPORT_EVENEMENTS_TAILLE_MAX = int(os.environ.get("IMPORT_EVENEMENTS_TAILLE_MAX", str(5 * 1024 * 1024)))
IMPORT_EVENEMENTS_OCCURRENCES_MAX = int(os.environ.get("IMPORT_EVENEMENTS_OCCURRENCES_MAX", "2000"))
# Edits of published events (issue 18, evenements/revisions.py): they wait for a moderator, the published version
# stays online. The fields below (comma-separated in the environment), « minor » for the secrétariat, go live at
# once when EVENEMENTS_MODIFICATIONS_MINEURES_DIRECTES is on (none of them changes the iCal SEQUENCE).
EVENEMENTS_CHAMPS_MINEURS = [c.strip() for c in os.environ.get(
    "EVENEMENTS_CHAMPS_MINEURS", "resume,description,intervenants,infos_accessibilite").split(",") if c.strip()]
EVENEMENTS_MODIFICATIONS_MINEURES_DIRECTES = os.environ.get(
    "EVENEMENTS_MODIFICATIONS_MINEURES_DIRECTES", "0") == "1"
EVENEMENTS_MESSAGES_INSCRITS_PAR_JOUR = int(os.environ.get("EVENEMENTS_MESSAGES_INSCRITS_PAR_JOUR", "3"))
# Roles that must have two-factor authentication before reaching a staff page.
ROLES_MFA_OBLIGATOIRE = ["Agent·e", "Élu·e", "Administrateur"]
# Path prefixes of staff pages (the MFA rule applies there). Later apps add theirs.
PREFIXES_PAGES_PERSONNEL = ["/admin/", "/secretariat/", "/suivi/"]
# Proposals: submissions per person per 24 hours; days without a state change before /suivi/ flags a
# proposal waiting for an answer.
PROPOSITIONS_MAX_DEPOTS_PAR_JOUR = int(os.environ.get("PROPOSITIONS_MAX_DEPOTS_PAR_JOUR", "5"))
PROPOSITIONS_DELAI_ALERTE_JOURS = int(os.environ.get("PROPOSITIONS_DELAI_ALERTE_JOURS", "90"))
# Notification e-mails in "groupe" mode: later news of the same category wait this long for one summary.
NOTIFICATIONS_FENETRE_REGROUPEMENT_MINUTES = int(os.environ.get("NOTIFICATIONS_FENETRE_REGROUPEMENT_MINUTES", "60"))
# Live page of a séance: at most one broadcast of its state per this many seconds (per séance and process).
# A change waits up to this long behind the previous broadcast; 0.1 s was measured too (README « Votes en
# direct »): more broadcasts, more CPU, no better delays on a loaded machine.
SEANCES_DIFFUSION_INTERVALLE = float(os.environ.get("SEANCES_DIFFUSION_INTERVALLE", "0.25"))
# Every live socket joins its séance's group again this often (seconds): a membership lost on the channel layer
# (Redis restarted with nothing on disk while the socket stayed open) comes back within that time.
SOCKETS_REJOINDRE_GROUPES = float(os.environ.get("SOCKETS_REJOINDRE_GROUPES", "15"))

# Données personnelles : durées de conservation (lues par `appliquer_conservation` et par le registre des
# traitements affiché sur /donnees-personnelles/), en jours, réglables par l'environnement.
CONSERVATION_COMPTE_NON_VERIFIE_JOURS = int(os.environ.get("CONSERVATION_COMPTE_NON_VERIFIE_JOURS", "7"))
CONSERVATION_INACTIVITE_JOURS = int(os.environ.get("CONSERVATION_INACTIVITE_JOURS", str(3 * 365)))
CONSERVATION_PREAVIS_SUPPRESSION_JOURS = int(os.environ.get("CONSERVATION_PREAVIS_SUPPRESSION_JOURS", "30"))
CONSERVATION_INSCRIPTIONS_JOURS = int(os.environ.get("CONSERVATION_INSCRIPTIONS_JOURS", "365"))
CONSERVATION_NOTIFICATIONS_LUES_JOURS = int(os.environ.get("CONSERVATION_NOTIFICATIONS_LUES_JOURS", "365"))
# Responsable de traitement et délégué·e à la protection des données (registre, pages légales).
RESPONSABLE_TRAITEMENT = os.environ.get(
    "RESPONSABLE_TRAITEMENT", "Rivebelle Métropole, 1 place de la Métropole, 00000 Rivebelle")
CONTACT_DPO = os.environ.get("CONTACT_DPO", "dpo@rivebelle-metropole.example")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
