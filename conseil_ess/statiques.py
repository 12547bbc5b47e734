"""The static files' storage of production: ServeStatic's compressed manifest storage, each file's URL computed
once per process.

``{% static %}`` asks the storage for the URL of a file on every call: the manifest's hashed name, then the URL
joined and quoted (45 µs here), five times on every page (favicon, style sheets, script). The manifest is read
when the storage is built and does not change while the process runs (a deployment restarts it), so a file's
URL is kept in a dictionary; with ``DEBUG`` (the unhashed names) or ``force``, Django's code answers.
``tests/plateforme/test_statiques.py`` compares the URLs with ServeStatic's.
"""

from django.conf import settings
from servestatic.storage import CompressedManifestStaticFilesStorage


class StatiquesManifeste(CompressedManifestStaticFilesStorage):
    """``CompressedManifestStaticFilesStorage`` whose ``url()`` is kept per file name (see the module's
    docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
