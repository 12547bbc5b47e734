"""The WebSocket of a séance's live page through the real ASGI application (origin, session, routing)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from conseil_ess.asgi import application
from conseil_ess.seances import services
from conseil_ess.seances.models import Bulletin, Scrutin
from tests.comptes.test_websocket import ORIGINE, en_tetes
from tests.conftest import creer_utilisateur

from .fabriques import nouvelle_seance, presents, seance_avec_scrutin

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

DELAI = 5


def avec_scrutin(agent, **kwargs):
    seance, scrutin, agent = seance_avec_scrutin(agent, **kwargs)
    seance.evenement  # loaded here: the tests read the slug in async code
    return seance, scrutin, agent


def seance_en_preparation(agent):
    seance = nouvelle_seance(agent)
    seance.evenement
    return seance


def chemin(seance):
    return f"/ws/seances/{seance.slug}/"


async def connecter(seance, headers=None):
    ws = WebsocketCommunicator(application, chemin(seance), headers=headers or [ORIGINE])
    connecte, _ = await ws.connect()
    assert connecte
    return ws


async def attendre_etat(ws, condition):
    """Read messages until an "etat" satisfies ``condition``; return it (fails after DELAI seconds)."""
    while True:
        message = await ws.receive_json_from(timeout=DELAI)
        if message["type"] == "etat" and condition(message):
            return message


async def attendre_message(ws, type_):
    """Read messages until one of ``type_`` (broadcasts may come in between); return it."""
    while True:
        message = await ws.receive_json_from(timeout=DELAI)
        if message["type"] == type_:
            return message


async def calmer(ws):
    """Read what is still coming (e.g. the trailing broadcast of the set-up) until a quiet half-second."""
    while not await ws.receive_nothing(timeout=0.5):
        await ws.receive_json_from(timeout=DELAI)


async def socket_de(client, seance, user):
    headers = await sync_to_async(en_tetes)(client, user)
    return await connecter(seance, headers)


async def un_agent():
    return await sync_to_async(creer_utilisateur)("agent")


async def test_le_public_recoit_l_etat_a_la_connexion():
    agent = await un_agent()
    seance, scrutin, _ = await sync_to_async(avec_scrutin)(agent)
    await sync_to_async(presents)(seance, 2, agent)
    ws = await connecter(seance)

    message = await ws.receive_json_from(timeout=DELAI)

    assert message["type"] == "etat"
    assert message["statut"] == "en_cours" and message["presents"] == 2
    assert message["scrutin"]["id"] == scrutin.pk and message["scrutin"]["votants"] == 0
    assert "pour" not in message["scrutin"]
    assert message["version"] >= 1
    await ws.send_json_to({"type": "ping"})
    assert await attendre_message(ws, "pong") == {"type": "pong"}
    await ws.disconnect()


async def test_origine_etrangere_refusee():
    agent = await un_agent()
    seance, _, _ = await sync_to_async(avec_scrutin)(agent)
    ws = WebsocketCommunicator(application, chemin(seance), headers=[(b"origin", b"https://pirate.example.com")])
    connecte, _ = await ws.connect()
    assert not connecte
    await ws.disconnect()


async def test_seance_inconnue_ou_invisible_4404(client):
    agent = await un_agent()
    ws = WebsocketCommunicator(application, "/ws/seances/nexiste-pas/", headers=[ORIGINE])
    connecte, code = await ws.connect()
    assert (connecte, code) == (False, 4404)
    await ws.disconnect()

    en_preparation = await sync_to_async(seance_en_preparation)(agent)
    ws = WebsocketCommunicator(application, chemin(en_preparation), headers=[ORIGINE])
    connecte, code = await ws.connect()
    assert (connecte, code) == (False, 4404)
    await ws.disconnect()
    # The secrétariat sees it before its agenda is published.
    ws = await socket_de(client, en_preparation, agent)
    assert (await ws.receive_json_from(timeout=DELAI))["statut"] == "preparation"
    await ws.disconnect()


async def test_vote_anonyme_refuse():
    agent = await un_agent()
    seance, scrutin, _ = await sync_to_async(avec_scrutin)(agent)
    ws = await connecter(seance)
    await ws.receive_json_from(timeout=DELAI)

    await ws.send_json_to({"type": "voter", "scrutin": scrutin.pk, "choix": "pour"})

    assert await attendre_message(ws, "erreur") == {"type": "erreur", "message": "Connectez-vous pour voter."}
    assert not await sync_to_async(Bulletin.objects.exists)()
    await ws.disconnect()


async def test_vote_d_un_membre_emarge_et_les_spectateurs_voient_le_compte_monter(client):
    agent = await un_agent()
    seance, scrutin, _ = await sync_to_async(avec_scrutin)(agent)
    [membre] = await sync_to_async(presents)(seance, 1, agent)
    public = await connecter(seance)
    initial = await public.receive_json_from(timeout=DELAI)
    votant = await socket_de(client, seance, membre)
    await votant.receive_json_from(timeout=DELAI)

    await votant.send_json_to({"type": "voter", "scrutin": scrutin.pk, "choix": "contre"})

    assert await attendre_message(votant, "vote_enregistre") == {
        "type": "vote_enregistre", "scrutin": scrutin.pk, "choix": "contre"}
    etat = await attendre_etat(public, lambda m: m["scrutin"]["votants"] == 1)
    assert etat["version"] > initial["version"]
    assert "contre" not in etat["scrutin"]  # still open: no counts
    bulletin = await sync_to_async(Bulletin.objects.get)(scrutin=scrutin)
    assert bulletin.votant_id == membre.pk and bulletin.choix == "contre"
    # The voter's own socket gets the broadcast too.
    await attendre_etat(votant, lambda m: m["scrutin"]["votants"] == 1)
    await public.disconnect()
    await votant.disconnect()


async def test_vote_hors_scrutin_ouvert_refuse_clairement(client):
    agent = await un_agent()
    seance, scrutin, _ = await sync_to_async(avec_scrutin)(agent, ouvrir=False)
    [membre] = await sync_to_async(presents)(seance, 1, agent)
    ws = await socket_de(client, seance, membre)
    await ws.receive_json_from(timeout=DELAI)

    await ws.send_json_to({"type": "voter", "scrutin": scrutin.pk, "choix": "pour"})
    assert await attendre_message(ws, "erreur") == {
        "type": "erreur", "message": "Le vote n'est pas encore ouvert pour ce scrutin."}

    await sync_to_async(services.ouvrir_scrutin)(scrutin, agent)
    await sync_to_async(services.clore_scrutin)(scrutin, agent)
    await ws.send_json_to({"type": "voter", "scrutin": scrutin.pk, "choix": "pour"})
    message = await attendre_message(ws, "erreur")
    assert message["message"] == "Ce scrutin est clos : il n'est plus possible de voter."
    assert not await sync_to_async(Bulletin.objects.exists)()
    await ws.disconnect()


async def test_messages_malformes_repondus_sans_plantage(client):
    agent = await un_agent()
    seance, scrutin, _ = await sync_to_async(avec_scrutin)(agent)
    autre, autre_scrutin, _ = await sync_to_async(avec_scrutin)(agent)
    [membre] = await sync_to_async(presents)(seance, 1, agent)
    ws = await socket_de(client, seance, membre)
    await ws.receive_json_from(timeout=DELAI)

    envois = [
        ("texte", "ceci n'est pas du JSON", "Message non reconnu : envoyez un objet JSON."),
        ("texte", "[1, 2, 3]", "Message non reconnu : seuls « voter » et « ping » sont acceptés."),
        ("texte", "x" * 5000, "Message non reconnu : envoyez un objet JSON."),
        ("json", {"type": "detruire"}, "Message non reconnu : seuls « voter » et « ping » sont acceptés."),
        ("json", {"type": "voter", "scrutin": "abc", "choix": "pour"}, "Indiquez le scrutin auquel vous votez."),
        ("json", {"type": "voter", "scrutin": True, "choix": "pour"}, "Indiquez le scrutin auquel vous votez."),
        ("json", {"type": "voter", "choix": "pour"}, "Indiquez le scrutin auquel vous votez."),
        ("json", {"type": "voter", "scrutin": scrutin.pk, "choix": "bof"},
         "Choisissez « pour », « contre » ou « abstention »."),
        ("json", {"type": "voter", "scrutin": autre_scrutin.pk, "choix": "pour"},
         "Ce scrutin n'existe pas dans cette séance."),
        ("json", {"type": "voter", "scrutin": 10 ** 12, "choix": "pour"}, "Ce scrutin n'existe pas dans cette séance."),
    ]
    for genre, contenu, attendu in envois:
        if genre == "texte":
            await ws.send_to(text_data=contenu)
        else:
            await ws.send_json_to(contenu)
        assert await attendre_message(ws, "erreur") == {"type": "erreur", "message": attendu}, contenu
    await ws.send_to(bytes_data=b"\x00\x01")
    assert (await attendre_message(ws, "erreur"))["message"] == "Message non reconnu : envoyez un objet JSON."
    # Still alive, and a well-formed vote (id as a string too) goes through.
    await ws.send_json_to({"type": "ping"})
    assert await attendre_message(ws, "pong") == {"type": "pong"}
    await ws.send_json_to({"type": "voter", "scrutin": str(scrutin.pk), "choix": "pour"})
    assert (await attendre_message(ws, "vote_enregistre"))["scrutin"] == scrutin.pk
    assert not await sync_to_async(Bulletin.objects.filter(scrutin=autre_scrutin).exists)()
    await ws.disconnect()


async def test_la_cloture_diffuse_le_resultat():
    agent = await un_agent()
    seance, scrutin, _ = await sync_to_async(avec_scrutin)(agent, quorum=2)
    membres = await sync_to_async(presents)(seance, 3, agent)
    for membre, choix in zip(membres, ["pour", "pour", "abstention"]):
        await sync_to_async(services.voter)(scrutin, membre, choix)
    ws = await connecter(seance)
    await ws.receive_json_from(timeout=DELAI)

    await sync_to_async(services.clore_scrutin)(scrutin, agent)

    etat = await attendre_etat(ws, lambda m: m["scrutin"]["statut"] == Scrutin.Statut.CLOS)
    s = etat["scrutin"]
    assert (s["pour"], s["contre"], s["abstention"], s["votants"]) == (2, 0, 1, 3)
    assert (s["resultat"], s["resultat_libelle"], s["quorum_atteint"]) == ("adopte", "Adopté", True)
    assert s["decompte"] == "2 pour, 0 contre, 1 abstention"
    await ws.disconnect()


async def test_rien_n_est_diffuse_si_la_transaction_echoue():
    agent = await un_agent()
    seance, scrutin, _ = await sync_to_async(avec_scrutin)(agent)
    [membre] = await sync_to_async(presents)(seance, 1, agent)
    ws = await connecter(seance)
    await ws.receive_json_from(timeout=DELAI)
    await calmer(ws)

    def voter_puis_annuler():
        from django.db import transaction
        try:
            with transaction.atomic():
                services.voter(scrutin, membre, "pour")
                raise RuntimeError
        except RuntimeError:
            pass
    await sync_to_async(voter_puis_annuler)()

    assert await ws.receive_nothing(timeout=0.6)
    await ws.disconnect()


async def test_un_etat_deja_envoye_ou_plus_ancien_n_est_pas_renvoye():
    # Each process broadcasts the changes made through it: the same version, or an older one after a newer
    # one, may reach a socket twice. The page would ignore it; the socket does not even send it.
    from channels.layers import get_channel_layer

    from conseil_ess.seances import diffusion

    agent = await un_agent()
    seance, _scrutin, _ = await sync_to_async(avec_scrutin)(agent)
    public = await connecter(seance)
    dernier = await public.receive_json_from(timeout=DELAI)
    while not await public.receive_nothing(timeout=0.5):  # the set-up's trailing broadcast, if any
        dernier = await public.receive_json_from(timeout=DELAI)
    version = dernier["version"]
    etat = {cle: valeur for cle, valeur in dernier.items() if cle != "type"}
    couche, groupe = get_channel_layer(), diffusion.groupe(seance.pk)

    await couche.group_send(groupe, diffusion._message(seance.pk, {**etat, "version": version}))
    await couche.group_send(groupe, diffusion._message(seance.pk, {**etat, "version": version - 1}))
    assert await public.receive_nothing(timeout=0.5)

    await couche.group_send(groupe, diffusion._message(seance.pk, {**etat, "version": version + 1}))
    recu = await public.receive_json_from(timeout=DELAI)
    assert recu["type"] == "etat" and recu["version"] == version + 1
    await couche.group_send(groupe, diffusion._message(seance.pk, {**etat, "version": version + 1}))
    assert await public.receive_nothing(timeout=0.5)
    await public.disconnect()


async def test_un_seul_canal_par_processus_recoit_les_diffusions_et_les_remet_a_chaque_socket(settings):
    # Each socket joining the group made the Redis layer wake every socket for every broadcast; one listener per
    # process (``relais.py``) is the group's only member here, and hands each broadcast to the sockets. (The
    # in-memory layer shows its groups; the Redis layer's delivery is tested with two daphne processes.)
    from channels.layers import get_channel_layer

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

    from conseil_ess.seances import diffusion

    agent = await un_agent()
    seance, _scrutin, _ = await sync_to_async(avec_scrutin)(agent)
    sockets = [await connecter(seance) for _ in range(3)]
    etat = None
    for ws in sockets:
        etat = await ws.receive_json_from(timeout=DELAI)
        await calmer(ws)
    couche, groupe = get_channel_layer(), diffusion.groupe(seance.pk)
    assert len(couche.groups[groupe]) == 1
    version = max(etat["version"], 10_000)
    etat = {cle: valeur for cle, valeur in etat.items() if cle != "type"}

    await couche.group_send(groupe, diffusion._message(seance.pk, {**etat, "version": version + 1}))
    for ws in sockets:
        assert (await ws.receive_json_from(timeout=DELAI))["version"] == version + 1
    # Another séance's broadcast reaches none of them.
    await couche.group_send(groupe, diffusion._message(seance.pk + 1, {**etat, "version": version + 2}))
    for ws in sockets:
        assert await ws.receive_nothing(timeout=0.2)

    await sockets[0].disconnect()
    await couche.group_send(groupe, diffusion._message(seance.pk, {**etat, "version": version + 3}))
    for ws in sockets[1:]:
        assert (await ws.receive_json_from(timeout=DELAI))["version"] == version + 3
    for ws in sockets[1:]:
        await ws.disconnect()
    assert not couche.groups.get(groupe)  # the last socket gone, the listener leaves the group
