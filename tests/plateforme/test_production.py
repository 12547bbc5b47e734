"""Production settings come from the environment and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
ENV_PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "conseil_ess.settings.production",
    "SECRET_KEY": "une-cle-secrete-de-production-tres-longue-et-aleatoire-0123456789-abcdef",
    "ALLOWED_HOSTS": "conseil-ess.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://conseil-ess.example.org",
    "DATABASE_URL": "postgres://conseil:secret@127.0.0.1:5432/conseil",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://conseil-ess.example.org",
}


def lancer(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in ENV_PRODUCTION}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=RACINE,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_sans_avertissement():
    resultat = lancer("check", "--deploy", "--fail-level", "WARNING", env=ENV_PRODUCTION)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr


def test_secret_manquant_refuse_clairement():
    env = {k: v for k, v in ENV_PRODUCTION.items() if k != "SECRET_KEY"}
    resultat = lancer("check", env=env)
    assert resultat.returncode != 0
    assert "SECRET_KEY" in resultat.stderr


def test_production_utilise_redis_et_postgresql():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], "
        "s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND, s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0])"
    )
    base = {k: v for k, v in os.environ.items() if k not in ENV_PRODUCTION}
    sortie = subprocess.run(
        [sys.executable, "-c", code],
        cwd=RACINE,
        env={**base, **ENV_PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert sortie.returncode == 0, sortie.stderr
    assert "postgresql" in sortie.stdout
    assert "RedisChannelLayer" in sortie.stdout and "RedisCache" in sortie.stdout
    assert "smtp" in sortie.stdout
    assert "'socket_timeout': 15" in sortie.stdout


def _middlewares(env):
    code = "import django; django.setup(); from django.conf import settings as s; print(s.MIDDLEWARE)"
    base = {k: v for k, v in os.environ.items() if k not in ENV_PRODUCTION and k != "STATIQUES_PAR_DJANGO"}
    sortie = subprocess.run(
        [sys.executable, "-c", code], cwd=RACINE, env={**base, **env}, capture_output=True, text=True, timeout=60
    )
    assert sortie.returncode == 0, sortie.stderr
    return sortie.stdout


def test_production_ne_sert_pas_les_statiques_que_nginx_sert():
    assert "servestatic" not in _middlewares(ENV_PRODUCTION)
    # A host with no web server in front puts servestatic back.
    assert "servestatic.middleware.ServeStaticMiddleware" in _middlewares(
        {**ENV_PRODUCTION, "STATIQUES_PAR_DJANGO": "1"}
    )
    # The demo (dev settings) keeps serving them.
    assert "servestatic.middleware.ServeStaticMiddleware" in _middlewares(
        {"DJANGO_SETTINGS_MODULE": "conseil_ess.settings.dev"}
    )
