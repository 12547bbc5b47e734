"""Broadcast the public state of a séance to everyone watching its live page, after commit, coalesced.

``services._nouvelle_version`` registers ``annoncer(seance_id)`` with ``transaction.on_commit``. Channel
layers drop messages silently past their capacity (100 queued per channel by default), so there is never
one message per vote: per séance and per process, at most one broadcast every
``settings.SEANCES_DIFFUSION_INTERVALLE`` seconds, and always a trailing one that reads the state after
the last change. The "pending" flag is cleared *before* the state is read, so a change committed during
the read schedules another broadcast: the last one sent always reflects the last change.

Two ways to run the broadcast, chosen here (nobody hands this module an event loop):
- when the change comes from an event loop, the broadcast runs on that loop as a task
  (``database_sync_to_async`` + ``group_send``). The loop is found from the caller: the running loop of
  its thread, or, for sync code called from a loop (``database_sync_to_async`` in the consumers, sync
  views under daphne), the loop asgiref records for that thread (``SyncToAsync.threadlocal``, the way
  ``async_to_sync`` finds its way back) unless ``async_to_sync`` made it for a single call. The last loop
  seen is remembered for the broadcasts of plain threads, since the in-memory layer's queues belong to it;
- anywhere else (a WSGI worker, a management command, a plain thread), a ``threading.Timer`` sends it with
  ``async_to_sync(group_send)`` (delivered through Redis to the daphne processes; with the in-memory
  layer nobody listens in such a process).
Every message carries the séance's version and the whole state: a client applies a newer version and drops
older ones; versions skipped by the coalescing need no refetch.
"""

import asyncio
import contextvars
import json
import logging
import os
import threading
import time

from asgiref.sync import AsyncToSync, SyncToAsync, async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import close_old_connections, connection

from .etat import etat_public
from .models import Seance

logger = logging.getLogger(__name__)

_verrou = threading.Lock()
_en_attente = {}  # séance id -> time.monotonic() when its scheduled broadcast should start
# A broadcast scheduled on an event loop that stopped before running it would block the séance forever:
# past this margin, a pending broadcast that never started is scheduled again.
MARGE_PERIMEE = 5.0
_dernier_envoi = {}  # séance id -> time.monotonic() of the start of its last broadcast
_boucle = None  # the last event loop a change came from in this process (its WebSocket consumers' loop)
_taches = set()  # running tasks (kept referenced until done)
_verrous_envoi = {}  # séance id -> lock held while one of its broadcasts reads and sends
_echecs = {}  # séance id -> failed broadcasts in a row
_minuteurs = set()  # broadcasts waiting or running in a thread of this process (not the consumers' loop)
ESSAIS_MAX = 5


def _reinitialiser():
    """In a forked child (a test server, a pre-forking server): nothing of the parent's broadcasts applies
    (its locks may be held by threads that do not exist here, its loop does not run here)."""
    global _verrou, _boucle
    _verrou = threading.Lock()
    _boucle = None
    _en_attente.clear()
    _dernier_envoi.clear()
    _taches.clear()
    _verrous_envoi.clear()
    _echecs.clear()
    _minuteurs.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reinitialiser)


def groupe(seance_id):
    """The channel layer group of the watchers of a séance."""
    return f"seance.{seance_id}"


def intervalle():
    return float(getattr(settings, "SEANCES_DIFFUSION_INTERVALLE", 0.25))


def _boucle_de_l_appelant():
    """Return the event loop the caller runs on, or runs sync code for (through asgiref), or None.

    A loop that ``async_to_sync`` made for one call (a WSGI request through async middleware, a command)
    does not count: it ends with that call, and a broadcast scheduled on it would be lost.
    """
    try:
        boucle = asyncio.get_running_loop()
    except RuntimeError:
        locale = SyncToAsync.threadlocal
        if getattr(locale, "main_event_loop_pid", None) != os.getpid():  # unset, or set before a fork
            return None
        boucle = getattr(locale, "main_event_loop", None)
    if boucle is None or boucle in AsyncToSync.loop_thread_executors:
        return None
    return boucle


def _tourne(boucle):
    return boucle is not None and boucle.is_running() and not boucle.is_closed()


def _boucle_active():
    """Return the loop to broadcast from: the caller's (then remembered), else the last one seen if it still
    runs, else None (a thread sends it)."""
    global _boucle
    boucle = _boucle_de_l_appelant()
    if _tourne(boucle):
        _boucle = boucle
        return boucle
    boucle = _boucle
    return boucle if _tourne(boucle) else None


def annoncer(seance_id):
    """Schedule a broadcast of the state of ``seance_id`` (immediately, or once the interval has passed)."""
    with _verrou:
        maintenant = time.monotonic()
        prevu = _en_attente.get(seance_id)
        if prevu is not None and maintenant < prevu + MARGE_PERIMEE:
            return  # the scheduled broadcast has not read the state yet: it will include this change
        dernier = _dernier_envoi.get(seance_id)
        delai = 0.0 if dernier is None else max(0.0, dernier + intervalle() - maintenant)
        _en_attente[seance_id] = maintenant + delai
    boucle = _boucle_active()
    if boucle is not None:
        try:
            # A fresh context: the caller's (e.g. inside sync_to_async) must not leak into the task.
            boucle.call_soon_threadsafe(_planifier_dans_la_boucle, boucle, seance_id, delai,
                                        context=contextvars.Context())
            return
        except RuntimeError:  # the loop closed meanwhile
            pass
    minuteur = threading.Timer(delai, _executer_minuteur, args=(seance_id,))
    minuteur.daemon = True
    with _verrou:
        _minuteurs.add(minuteur)
    minuteur.start()


def _executer_minuteur(seance_id):
    try:
        _envoyer_depuis_un_thread(seance_id)
    finally:
        with _verrou:
            _minuteurs.discard(threading.current_thread())


def attendre_les_diffusions(delai=10.0):
    """Wait until no broadcast is waiting or running in a thread of this process; return True if none is left.

    A broadcast thread reads the database: a process that is about to close or empty that database (a test
    tearing down, a command ending) waits for them first, so that no thread holds a connection meanwhile.
    A broadcast scheduled by one that ends (a retry) is waited for too.
    """
    fin = time.monotonic() + delai
    while True:
        with _verrou:
            restants = list(_minuteurs)
        if not restants:
            return True
        reste = fin - time.monotonic()
        if reste <= 0:
            return False
        try:
            restants[0].join(timeout=min(reste, 0.5))
        except RuntimeError:  # not started yet
            time.sleep(0.01)


def _planifier_dans_la_boucle(boucle, seance_id, delai):
    boucle.call_later(delai, _lancer_tache, boucle, seance_id, context=contextvars.Context())


def _lancer_tache(boucle, seance_id):
    tache = boucle.create_task(_envoyer(seance_id), context=contextvars.Context())
    _taches.add(tache)
    tache.add_done_callback(_taches.discard)


def _commencer(seance_id):
    """Clear the pending flag (before reading the state) and note the time of this broadcast."""
    with _verrou:
        _en_attente.pop(seance_id, None)
        _dernier_envoi[seance_id] = time.monotonic()


def _lire(seance_id):
    try:
        return etat_public(seance_id)
    except Seance.DoesNotExist:
        return None


def _message(seance_id, etat):
    """The group message: the séance (``relais`` hands it to that séance's sockets), its state, and the text every
    socket sends, serialised once for all the watchers (``SeanceConsumer.seance_etat`` sends ``texte`` as it is)."""
    return {"type": "seance.etat", "seance": seance_id, "etat": etat,
            "texte": json.dumps({"type": "etat", **etat})}


def _verrou_envoi(seance_id):
    """One broadcast of a séance at a time in this process: a later one never overtakes an earlier one."""
    with _verrou:
        return _verrous_envoi.setdefault(seance_id, threading.Lock())


def _apres(seance_id, reussi):
    """After a failed broadcast (e.g. the database busy), try again, a few times in a row at most."""
    with _verrou:
        echecs = 0 if reussi else _echecs.get(seance_id, 0) + 1
        if echecs:
            _echecs[seance_id] = echecs
        else:
            _echecs.pop(seance_id, None)
    if not reussi and echecs <= ESSAIS_MAX:
        annoncer(seance_id)


async def _envoyer(seance_id):
    verrou = _verrou_envoi(seance_id)
    while not verrou.acquire(blocking=False):
        await asyncio.sleep(0.01)
    reussi = False
    try:
        _commencer(seance_id)
        etat = await database_sync_to_async(_lire)(seance_id)
        if etat is not None:
            await get_channel_layer().group_send(groupe(seance_id), _message(seance_id, etat))
        reussi = True
    except asyncio.CancelledError:
        raise
    except Exception:  # a broadcast must never break anything; it is tried again
        logger.warning("Diffusion de l'état de la séance %s impossible", seance_id, exc_info=True)
    finally:
        verrou.release()
    _apres(seance_id, reussi)


def _envoyer_depuis_un_thread(seance_id):
    boucle = _boucle_active()
    if boucle is not None:
        # A consumer started in this process meanwhile: send from its loop (the in-memory layer's queues
        # belong to that loop and must not be fed from another thread).
        try:
            boucle.call_soon_threadsafe(_lancer_tache, boucle, seance_id, context=contextvars.Context())
            return
        except RuntimeError:
            pass
    reussi = False
    with _verrou_envoi(seance_id):
        _commencer(seance_id)
        try:
            close_old_connections()
            etat = _lire(seance_id)
            if etat is not None:
                async_to_sync(get_channel_layer().group_send)(groupe(seance_id), _message(seance_id, etat))
            reussi = True
        except Exception:
            logger.warning("Diffusion de l'état de la séance %s impossible", seance_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection: never left open
    _apres(seance_id, reussi)
