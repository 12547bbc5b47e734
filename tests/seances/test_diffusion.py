"""Broadcasts of a séance's state: coalesced (never one message per change), with a trailing broadcast that
always carries the state after the last change, from the event loop the change came from (found by the
broadcaster itself) or from a plain thread."""

import asyncio
import threading
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection
from django.db.models import F

from conseil_ess.seances import diffusion, services
from conseil_ess.seances.models import Seance
from tests.conftest import creer_utilisateur

from .fabriques import presents, seance_avec_scrutin, version

pytestmark = pytest.mark.django_db(transaction=True)

INTERVALLE = 0.2


class CoucheEnregistreuse:
    """A channel layer that records what is sent to each group (thread-safe)."""

    def __init__(self):
        self.envois = []
        self.debuts = []  # (séance id, when a broadcast started: cleared the pending flag, then read the state)
        self.fils = []  # the thread each message was sent from
        self.verrou = threading.Lock()

    async def group_send(self, groupe, message):
        with self.verrou:
            self.envois.append((groupe, message, time.monotonic()))
            self.fils.append(threading.current_thread())

    def versions(self, seance_id):
        with self.verrou:
            return [m["etat"]["version"] for g, m, _ in self.envois if g == diffusion.groupe(seance_id)]

    def instants(self, seance_id):
        with self.verrou:
            return [t for g, _, t in self.envois if g == diffusion.groupe(seance_id)]


@pytest.fixture
def couche(monkeypatch, settings):
    settings.SEANCES_DIFFUSION_INTERVALLE = INTERVALLE
    enregistreuse = CoucheEnregistreuse()
    monkeypatch.setattr(diffusion, "get_channel_layer", lambda: enregistreuse)
    monkeypatch.setattr(diffusion, "_en_attente", {})
    monkeypatch.setattr(diffusion, "_dernier_envoi", {})
    monkeypatch.setattr(diffusion, "_boucle", None)
    commencer = diffusion._commencer

    def commencer_et_noter(seance_id):
        with enregistreuse.verrou:
            enregistreuse.debuts.append((seance_id, time.monotonic()))
        commencer(seance_id)

    monkeypatch.setattr(diffusion, "_commencer", commencer_et_noter)
    return enregistreuse


def changer(seance_id, fois):
    """``fois`` committed changes, each announced at once (as ``services._nouvelle_version`` does)."""
    for _ in range(fois):
        Seance.objects.filter(pk=seance_id).update(version=F("version") + 1)
        diffusion.annoncer(seance_id)


def changer_dans_un_fil(seance_id, fois):
    """``changer`` in a worker thread of the loop's executor, which then closes its own connection (the
    thread outlives the call: its connection would stay open until the thread is collected)."""
    try:
        changer(seance_id, fois)
    finally:
        connection.close()


def calme(couche, seance_id, finale):
    """True once the last broadcast carries ``finale`` and nothing was sent for 3 intervals."""
    versions, instants = couche.versions(seance_id), couche.instants(seance_id)
    return bool(versions and versions[-1] == finale and time.monotonic() - instants[-1] > 3 * INTERVALLE)


def attendre_le_calme(couche, seance_id):
    """Wait (at most 10 s) for the broadcast of the current version then a quiet spell; return the versions."""
    finale = Seance.objects.values_list("version", flat=True).get(pk=seance_id)
    limite = time.monotonic() + 10
    while time.monotonic() < limite and not calme(couche, seance_id, finale):
        time.sleep(0.05)
    return couche.versions(seance_id)


def une_seance():
    agent = creer_utilisateur("agent")
    seance, scrutin, _ = seance_avec_scrutin(agent)
    return seance, scrutin, agent


def test_depuis_un_thread_cent_changements_donnent_quelques_diffusions_et_la_derniere_est_juste(couche):
    seance, _, _ = une_seance()
    attendre_le_calme(couche, seance.pk)  # the set-up's own broadcasts
    avant = len(couche.versions(seance.pk))

    debut = time.monotonic()
    changer(seance.pk, 100)
    duree = time.monotonic() - debut
    versions = attendre_le_calme(couche, seance.pk)[avant:]

    finale = version(seance)
    assert versions[-1] == finale
    # At most one per interval while the changes went on, plus the first and the trailing one.
    assert 1 <= len(versions) <= duree / INTERVALLE + 2
    assert versions == sorted(versions)
    # Broadcasts of a séance start at least one interval apart.
    debuts = [t for pk, t in couche.debuts if pk == seance.pk]
    assert all(b - a >= INTERVALLE * 0.99 for a, b in zip(debuts, debuts[1:]))


def test_les_votes_reels_sont_diffuses_en_quelques_messages(couche):
    seance, scrutin, agent = une_seance()
    membres = presents(seance, 40, agent)
    attendre_le_calme(couche, seance.pk)
    avant = len(couche.envois)

    for membre in membres:
        services.voter(scrutin, membre, "pour")
    attendre_le_calme(couche, seance.pk)

    envois = [m for _, m, _ in couche.envois[avant:]]
    assert len(envois) < 40 / 2
    dernier = envois[-1]
    assert dernier["type"] == "seance.etat"
    assert dernier["etat"]["scrutin"]["votants"] == 40
    assert dernier["etat"]["version"] == version(seance)


def test_la_diffusion_finale_n_est_jamais_perdue_si_un_changement_arrive_pendant_la_lecture(couche, monkeypatch):
    seance, _, _ = une_seance()
    attendre_le_calme(couche, seance.pk)
    lire = diffusion._lire
    appels = []

    def lire_puis_changement_concurrent(seance_id):
        etat = lire(seance_id)
        if not appels:
            # A change commits right after this read: the message about to leave is already stale.
            changer(seance_id, 1)
        appels.append(etat["version"])
        return etat

    monkeypatch.setattr(diffusion, "_lire", lire_puis_changement_concurrent)
    changer(seance.pk, 1)
    versions = attendre_le_calme(couche, seance.pk)

    assert len(appels) >= 2
    assert versions[-1] == version(seance)


@pytest.mark.asyncio
async def test_depuis_la_boucle_des_consommateurs_coalesce_et_termine_juste(couche):
    # Nobody tells the broadcaster about this loop: it finds it from the changes committed for it.
    seance, _, _ = await sync_to_async(une_seance)()

    async def attendre():
        finale = await sync_to_async(version)(seance)
        limite = time.monotonic() + 10
        while time.monotonic() < limite and not calme(couche, seance.pk, finale):
            await asyncio.sleep(0.05)
        return couche.versions(seance.pk)

    await attendre()
    avant = len(couche.versions(seance.pk))
    envois_avant = len(couche.fils)
    fils = threading.current_thread()
    debut = time.monotonic()
    # Changes committed in a worker thread (as views and the consumer's database calls are).
    await sync_to_async(changer_dans_un_fil, thread_sensitive=False)(seance.pk, 60)
    duree = time.monotonic() - debut
    versions = (await attendre())[avant:]

    assert versions[-1] == await sync_to_async(version)(seance)
    assert 1 <= len(versions) <= duree / INTERVALLE + 2
    assert threading.current_thread() is fils
    # Every broadcast left from this loop (a thread's would go through async_to_sync in another thread).
    assert set(couche.fils[envois_avant:]) == {fils}


def test_un_changement_venu_d_une_boucle_y_est_diffuse_et_la_boucle_est_retenue_pour_les_fils(couche):
    seance, _, _ = une_seance()
    attendre_le_calme(couche, seance.pk)
    envois_avant = len(couche.fils)

    async def changer_depuis_la_boucle():
        await sync_to_async(changer)(seance.pk, 1)  # sync code called from the loop, as in the consumers
        boucle_du_test = asyncio.get_running_loop()
        limite = time.monotonic() + 10
        while time.monotonic() < limite and len(couche.fils) == envois_avant:
            await asyncio.sleep(0.05)
        return boucle_du_test, threading.current_thread()

    # The loop runs in a thread of its own, so that the test's thread stays a plain one.
    resultat = {}
    fil = threading.Thread(target=lambda: resultat.update(r=asyncio.run(changer_depuis_la_boucle())))
    fil.start()
    fil.join(timeout=20)
    boucle, fil_de_la_boucle = resultat["r"]

    assert couche.fils[envois_avant:] and set(couche.fils[envois_avant:]) == {fil_de_la_boucle}
    assert diffusion._boucle is boucle
    assert couche.versions(seance.pk)[-1] == version(seance)


def test_la_boucle_jetable_d_async_to_sync_n_emporte_pas_les_diffusions(couche):
    """A WSGI request through async middleware: async_to_sync makes an event loop for the request, the view
    runs under it through sync_to_async, and the loop ends with the request: a broadcast scheduled there
    would be lost, so a thread sends it."""
    seance, _, _ = une_seance()
    attendre_le_calme(couche, seance.pk)
    avant = len(couche.versions(seance.pk))

    async def requete():
        await sync_to_async(changer)(seance.pk, 3)

    async_to_sync(requete)()
    versions = attendre_le_calme(couche, seance.pk)[avant:]

    assert versions and versions[-1] == version(seance)
    assert diffusion._boucle is None


def test_boucle_arretee_la_seance_n_est_pas_bloquee(couche, monkeypatch):
    seance, _, _ = une_seance()
    attendre_le_calme(couche, seance.pk)
    boucle = asyncio.new_event_loop()
    boucle.close()
    monkeypatch.setattr(diffusion, "_boucle", boucle)  # remembered, then stopped: the thread path takes over
    avant = len(couche.versions(seance.pk))

    changer(seance.pk, 3)
    versions = attendre_le_calme(couche, seance.pk)[avant:]

    assert versions and versions[-1] == version(seance)
