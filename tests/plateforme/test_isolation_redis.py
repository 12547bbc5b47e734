"""The test processes of one run share one Redis: each keeps its own channel layer and cache namespace.

Two xdist workers each have their own test database, so their séances get the same ids; with one Redis
namespace the live page of one worker's séance received the other worker's broadcasts. The settings are
read in a fresh interpreter (the test process's own were loaded once, maybe without Redis).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
LIRE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.CHANNEL_LAYERS['default']['CONFIG'].get('prefix'), "
    "settings.CACHES['default']['KEY_PREFIX']]))"
)


def prefixes(processus):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "conseil_ess.settings.test",
           "REDIS_URL": "redis://127.0.0.1:6379/9"}
    env.pop("PYTEST_XDIST_WORKER", None)
    if processus:
        env["PYTEST_XDIST_WORKER"] = processus
    sortie = subprocess.run([sys.executable, "-c", LIRE], cwd=RACINE, env=env, capture_output=True, text=True,
                            check=True, timeout=60)
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def test_chaque_processus_de_test_a_son_espace_redis():
    assert prefixes("gw1") == ["asgi-test-gw1", "conseil_ess-test-gw1"]
    assert prefixes(None) == ["asgi-test-principal", "conseil_ess-test-principal"]
