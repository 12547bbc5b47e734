"""The tests' search backend: Wagtail's database backend, indexed when it is searched instead of at every save.

Updating the search index at every ``save()`` of an indexed model (pages, events, proposals, ateliers,
structures, séances and their minutes) was the largest single cost of the suite (≈ 18 % of the CPU of a
module of date-sensitive tests, README « Tests »), paid by thousands of tests that never search. Under
``conseil_ess.settings.test`` the backend has ``AUTO_UPDATE: False`` (Wagtail's signals skip it) and this
module's ``SearchBackend`` indexes, right before each ``search()`` or ``autocomplete()``, every object of the
indexed models the query covers (the queried model and its subclasses: every page type under ``Page``), from
the database as it is at that moment (again only after a write: ``_indexes`` below) — so a search in a test
sees exactly what the save-time index would, and a « not found » assertion checks something. Stale entries of
deleted rows are harmless: the backend joins its entries with the query's queryset.

What this cannot check is the save-time indexing itself (Wagtail's signals, the reindexing of a proposal
when its carriers or follow-up points change, ``conseil_ess/propositions/apps.py``): tests of that are marked
``indexation`` and get the real backend with ``AUTO_UPDATE`` on (``tests/conftest.py``).
"""

import os

from django.db.models.signals import m2m_changed, post_delete, post_save
from modelsearch.backends.database import SearchBackend as backend_de_la_base
from modelsearch.index import get_indexed_models

_classes = {}
# The indexed models indexed since the last write of any model. A search indexes a model again only after a
# write: an indexed document also holds other models' rows (a proposal's carriers and follow-up points), so any
# save, delete or many-to-many change forgets them all. The index's own writes (``update``, ``bulk_create``)
# send no signal. A test's rows, index entries included, are rolled back at its end: ``debut_de_test()`` is called
# at the start of every test (tests/conftest.py). Without this, a test of eight searches indexed every object of
# every queried model eight times (tests/home/test_recherche_globale.py: 48 → 38 s).
_indexes = set()
# Only in the pytest process, which calls ``debut_de_test()``: a server in another process (a browser journey's
# forked daphne, or one started as a new program) sees neither the test process's writes nor the start of its
# tests, so it indexes at every search, as before.
_processus = None


def oublier(*args, **kwargs):
    """Forget what was indexed: the next search of each model indexes it again (a signal receiver, too)."""
    _indexes.clear()


def debut_de_test():
    """A test starts in this process: forget what was indexed, and remember it in this process only."""
    global _processus
    _processus = os.getpid()
    _indexes.clear()


for _signal in (post_save, post_delete, m2m_changed):
    _signal.connect(oublier, dispatch_uid=f"recherche_paresseuse.{_signal!r}")


def _indexer_puis_chercher(classe):
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        modele = model_or_queryset if isinstance(model_or_queryset, type) else model_or_queryset.model
        deja = _indexes if _processus == os.getpid() else ()
        for indexe in get_indexed_models():
            if issubclass(indexe, modele) and indexe not in deja:
                objets = list(indexe.get_indexed_objects())
                if objets:
                    self.add_bulk(indexe, objets)
                _indexes.add(indexe)
        return classe._search(self, query_compiler_class, query, model_or_queryset, **kwargs)

    return _search


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = backend_de_la_base(params)
    if params.get("AUTO_UPDATE", True) is not False:
        return backend
    classe = type(backend)
    if classe not in _classes:
        _classes[classe] = type(f"{classe.__name__}Paresseux", (classe,), {"_search": _indexer_puis_chercher(classe)})
    backend.__class__ = _classes[classe]
    return backend
