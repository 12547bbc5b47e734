"""The generation number of the public pages' cache, raised by every write to the database.

Every connection gets an execute wrapper (``connection_created`` and ``ready()``) that notices writing
statements. Inside a transaction the raise waits for the commit (``on_commit``), so that no process can
read the new number and still the old rows; outside one it happens at once. The connection is also marked,
so that the next request served by the same thread raises it first (a test writes inside a transaction
that never commits, then reads a page through the test client in the same thread).

Every cache call is guarded: Redis down means no cache, never a 500 (``PITFALLS.md``).
"""

import contextvars
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils import timezone

journal = logging.getLogger(__name__)

CLE_GENERATION = "pages:generation"
ECRITURES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REPLACE", "ROLLBACK")
# Tables whose writes show on no public page (a logged-in person's session is saved on many requests).
TABLES_IGNOREES = ("django_session",)
PANNE_DUREE = 5.0  # seconds without trying the cache again after an error

_etat = {"panne_jusqu_a": 0.0, "a_publier": False}
# The generation read for the request being served (None outside a request, or after a write): for what is kept
# per generation but read where the request is not at hand (the sites' root paths of a rich text's links).
_de_la_requete = contextvars.ContextVar("generation_de_la_requete", default=None)


def cache():
    return caches[getattr(settings, "CACHE_PAGES_ALIAS", "default")]


def duree():
    """The time-to-live of a page (seconds): a bound on staleness should an invalidation ever be missed."""
    return getattr(settings, "CACHE_PAGES_DUREE", 300)


def disponible():
    return time.monotonic() >= _etat["panne_jusqu_a"]


def en_panne(exc):
    """Note a cache error: no cache for a few seconds (pages served uncached)."""
    _etat["panne_jusqu_a"] = time.monotonic() + PANNE_DUREE
    journal.warning("Cache des pages indisponible : %r", exc)


def publier():
    """Raise the generation: every page cached so far is left behind."""
    _etat["a_publier"] = True
    _de_la_requete.set(None)
    if not disponible():
        return
    c = cache()
    try:
        try:
            c.incr(CLE_GENERATION)
        except ValueError:  # missing (first use, evicted): start from the clock, never from an old number
            c.add(CLE_GENERATION, int(time.time() * 1000), timeout=None)
            c.incr(CLE_GENERATION)
        _etat["a_publier"] = False
    except Exception as exc:  # noqa: BLE001 - Redis down: retried at the next request
        en_panne(exc)


def lire():
    """The current generation (None if the cache is unavailable)."""
    if not disponible():
        return None
    if _etat["a_publier"]:
        publier()
        if _etat["a_publier"]:
            return None
    try:
        valeur = cache().get(CLE_GENERATION)
        if valeur is None:
            cache().add(CLE_GENERATION, int(time.time() * 1000), timeout=None)
            valeur = cache().get(CLE_GENERATION)
        return valeur
    except Exception as exc:  # noqa: BLE001
        en_panne(exc)
        return None


ATTRIBUT_REQUETE = "_generation_pages"


def version_courante(requete=None):
    """The generation, after raising it for a write this thread has not published yet (None: no cache).

    For the data kept in a process per generation (the menu, the footer): the same guarantee as the pages.
    With ``requete``, the generation is read from Redis once per request (by the page cache's middleware or
    the first caller) and shared; it is read again if this thread wrote to the database since."""
    ecrit = debut_de_requete()
    if requete is not None and not ecrit:
        valeur = getattr(requete, ATTRIBUT_REQUETE, None)
        if valeur is not None:
            return valeur
    valeur = lire()
    if requete is not None and valeur is not None:
        retenir(requete, valeur)
    return valeur


def retenir(requete, valeur):
    """Keep ``valeur``, read for ``requete``, as the generation of this request (``version_de_la_requete``)."""
    setattr(requete, ATTRIBUT_REQUETE, valeur)
    _de_la_requete.set(valeur)


def version_de_la_requete():
    """The generation read for the request being served, if it was read (None otherwise: outside a request, before
    the first reading, after a write of this thread)."""
    return _de_la_requete.get()


def _oublier_la_requete(**kwargs):
    _de_la_requete.set(None)


def _est_ecriture(sql):
    debut = sql.lstrip()[:12].upper()
    if not debut.startswith(ECRITURES):
        return False
    if debut.startswith("ROLLBACK"):
        return True
    tete = sql[:120]
    return not any(t in tete for t in TABLES_IGNOREES)


def _apres_commit():
    publier()


def _surveiller(execute, sql, params, many, context):
    resultat = execute(sql, params, many, context)
    if isinstance(sql, str) and _est_ecriture(sql):
        connexion = context["connection"]
        connexion._pages_sale = True
        _de_la_requete.set(None)  # what was kept for the generation read before may be changed by this write
        if connexion.in_atomic_block:
            if not any(f is _apres_commit for _sids, f, _r in connexion.run_on_commit):
                connexion.on_commit(_apres_commit)
        elif connexion.get_autocommit():
            publier()
    return resultat


def _brancher(connection, **kwargs):
    if _surveiller not in connection.execute_wrappers:
        connection.execute_wrappers.append(_surveiller)


def installer():
    connection_created.connect(_brancher, dispatch_uid="cache_pages_ecritures")
    request_started.connect(_oublier_la_requete, dispatch_uid="cache_pages_debut_requete")
    request_finished.connect(_oublier_la_requete, dispatch_uid="cache_pages_fin_requete")
    for connexion in connections.all(initialized_only=True):
        _brancher(connexion)


def debut_de_requete():
    """At the start of a request: a write this thread made (not committed yet, e.g. in a test) raises the
    generation before the page is read. True if there was such a write."""
    for connexion in connections.all(initialized_only=True):
        if connexion.__dict__.pop("_pages_sale", False):
            _brancher(connexion)
            publier()
            return True
    return False


def _echeance(maintenant):
    """The next instant a page may change with no write: an event starts or ends (a programme's slots are
    those of its events), or midnight in Paris (dates, « aujourd'hui », late answers). One query."""
    from django.db.models import Min, Q

    from evenements.models import Evenement

    minuit = timezone.localtime(maintenant).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    candidats = [minuit, maintenant + timedelta(seconds=duree())]
    r = Evenement.objects.aggregate(d=Min("debut", filter=Q(debut__gt=maintenant)),
                                    f=Min("fin", filter=Q(fin__gt=maintenant)))
    candidats += [v for v in r.values() if v]
    return min(candidats)


def fenetre_valide(generation, fenetre, maintenant):
    return fenetre is not None and fenetre[0] <= maintenant.timestamp() < fenetre[1]


def cle_fenetre(generation):
    return f"pages:fenetre:{generation}"


def ouvrir_fenetre(generation, maintenant):
    """Compute and store the time window of ``generation`` (one query on the agenda)."""
    fenetre = (maintenant.timestamp(), _echeance(maintenant).timestamp())
    try:
        cache().set(cle_fenetre(generation), fenetre, duree())
    except Exception as exc:  # noqa: BLE001
        en_panne(exc)
    return fenetre


