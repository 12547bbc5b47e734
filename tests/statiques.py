"""servestatic's middleware for the test settings, without its file scan at every test client.

Django's test ``Client`` builds its own middleware chain, so every test that makes a request instantiated
``ServeStaticMiddleware`` again; with ``SERVESTATIC_USE_FINDERS`` its ``__init__`` lists every static file of
every finder and resolves each path (``realpath``), ~40 ms of CPU each time, about once per test (measured:
23.6 s of 357 s of CPU for 114 tests under the profiler). The test settings also set
``SERVESTATIC_AUTOREFRESH``, where requests look files up through the finders on the filesystem
(``find_file``): the scanned ``files`` dictionary is never read, only the static directories it registers
(``directories``: a file found by a finder is served only from one of them). This subclass registers those
directories, found once per process (the finders' storages do not change during a run), and skips the scan;
what it serves and how is servestatic's own code.
"""

from django.contrib.staticfiles import finders
from servestatic.middleware import ServeStaticMiddleware

_repertoires = None


def _repertoires_des_finders():
    global _repertoires
    if _repertoires is None:
        vus = {}
        for finder in finders.get_finders():
            for _chemin, stockage in finder.list(None):
                vus.setdefault(stockage.location, None)
        _repertoires = list(vus)
    return _repertoires


class ServeStaticMiddlewareDesTests(ServeStaticMiddleware):
    def add_files_from_finders(self):
        if not self.autorefresh:  # the dictionary is what requests read: servestatic's own scan
            return super().add_files_from_finders()
        for repertoire in _repertoires_des_finders():
            self.insert_directory(repertoire, self.static_prefix)
        return None
