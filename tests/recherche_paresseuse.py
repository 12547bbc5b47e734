"""The tests' search backend: Wagtail's database backend, indexed when it is searched instead of at every save.

Updating the search index at every ``save()`` of an indexed model (pages, events, proposals, ateliers,
structures, séances and their minutes) was the largest single cost of the suite (≈ 18 % of the CPU of a
module of date-sensitive tests, README « Tests »), paid by thousands of tests that never search. Under
``conseil_ess.settings.test`` the backend has ``AUTO_UPDATE: False`` (Wagtail's signals skip it) and this
module's ``SearchBackend`` indexes, right before each ``search()`` or ``autocomplete()``, every object of the
indexed models the query covers (the queried model and its subclasses: every page type under ``Page``), from
the database as it is at that moment — so a search in a test sees exactly what the save-time index would, and
a « not found » assertion checks something. Stale entries of deleted rows are harmless: the backend joins its
entries with the query's queryset.

What this cannot check is the save-time indexing itself (Wagtail's signals, the reindexing of a proposal
when its carriers or follow-up points change, ``conseil_ess/propositions/apps.py``): tests of that are marked
``indexation`` and get the real backend with ``AUTO_UPDATE`` on (``tests/conftest.py``).
"""

from modelsearch.backends.database import SearchBackend as backend_de_la_base
from modelsearch.index import get_indexed_models

_classes = {}


def _indexer_puis_chercher(classe):
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        modele = model_or_queryset if isinstance(model_or_queryset, type) else model_or_queryset.model
        for indexe in get_indexed_models():
            if issubclass(indexe, modele):
                objets = list(indexe.get_indexed_objects())
                if objets:
                    self.add_bulk(indexe, objets)
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
