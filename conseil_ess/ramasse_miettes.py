"""Python's garbage collector told what lives as long as the process (``gc.freeze``): the WSGI application of the
pages (``GelDuTas``, conseil_ess/wsgi.py; daphne's ASGI application freezes once loaded, conseil_ess/asgi.py).

A gunicorn worker holds some 260,000 objects that the collector tracks and that live as long as it does: the
modules of Django, Wagtail and the project, the URL patterns, the compiled templates, the translation catalogs.
Python's full collection (its oldest generation) walks all of them: about once every 200 pages, 110 to 140 ms of
CPU, that is 0.5 ms a page on average (6 to 9 % of an uncached list page, measured at scale 10), and a page that
pays the 110 ms now and then. ``gc.freeze()`` moves every object alive at that moment to a permanent generation
that the collector no longer walks; young objects are collected as before.

What lives long is mostly built while the application loads and during its first requests (each page's
templates are compiled on its first visit): the application is frozen once loaded, then again before its 10th,
100th and 1,000th requests, each time after a full collection (``gc.collect()``, so that only reachable objects
are frozen). Four collections in a worker's life, instead of one every 200 pages. An object frozen then released
(an entry that a bounded cache drops) is never freed: what was reachable at those four moments, a bounded amount.
"""

import gc

PALIERS = (10, 100, 1000)


def geler():
    """Collect what is unreachable, then freeze everything that is left (``gc.freeze``)."""
    gc.collect()
    gc.freeze()


class GelDuTas:
    """WSGI middleware: ``geler()`` now, and before the requests numbered in ``paliers``."""

    def __init__(self, application, paliers=PALIERS):
        self.application = application
        self.paliers = frozenset(paliers)
        self.requetes = 0
        geler()

    def __call__(self, environ, start_response):
        self.requetes += 1
        if self.requetes in self.paliers:
            geler()
        return self.application(environ, start_response)
