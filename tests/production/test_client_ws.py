"""The drills' WebSocket client keeps its handshake timeout over TLS (``client_tls.contexte_tls_client``).

A TLS server that completes the TLS handshake, reads the upgrade request and never answers it — as nginx does
while no daphne has answered yet. With the drills' context the client gives up at ``open_timeout``; with a
default TLS 1.3 context (the negative control) it is still waiting well past it, until the server closes.
"""

import socket
import ssl
import subprocess
import threading
import time

import pytest

from tests.production.client_tls import contexte_tls_client

DELAI = 1


@pytest.fixture
def serveur_tls_muet(tmp_path):
    """``(port, liberer)``: a TLS server that answers no upgrade request until ``liberer()``."""
    cle, certificat = tmp_path / "cle.pem", tmp_path / "certificat.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", cle, "-out", certificat],
        check=True, capture_output=True,
    )
    contexte = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    contexte.load_cert_chain(certificat, cle)
    ecoute = socket.create_server(("127.0.0.1", 0))
    fin = threading.Event()
    connexions = []

    def servir():
        ecoute.settimeout(0.2)
        while not fin.is_set():
            try:
                brute, _ = ecoute.accept()
            except TimeoutError:
                continue
            try:
                tls = contexte.wrap_socket(brute, server_side=True)
                tls.recv(4096)  # the upgrade request, never answered
                connexions.append(tls)
            except OSError:
                brute.close()

    def liberer():
        fin.set()
        fil.join(5)
        for tls in connexions:
            tls.close()

    fil = threading.Thread(target=servir, daemon=True)
    fil.start()
    yield ecoute.getsockname()[1], liberer
    liberer()
    ecoute.close()


def _connecter(port, contexte, issue):
    from websockets.sync.client import connect

    debut = time.monotonic()
    try:
        connect(f"wss://127.0.0.1:{port}/ws/", ssl=contexte, open_timeout=DELAI, proxy=None)
    except Exception as exc:  # noqa: BLE001 - what the client raised, whatever it is, is the result
        issue["erreur"] = exc
    issue["duree"] = time.monotonic() - debut


def test_le_client_des_exercices_abandonne_la_poignee_de_main_a_son_delai(serveur_tls_muet):
    port, liberer = serveur_tls_muet
    issue = {}
    fil = threading.Thread(target=_connecter, args=(port, contexte_tls_client(), issue), daemon=True)
    fil.start()
    fil.join(DELAI + 2)
    assert not fil.is_alive(), "le client des exercices attend encore au-delà de son délai"
    assert isinstance(issue["erreur"], TimeoutError)
    assert issue["duree"] < DELAI + 2, issue

    # Negative control: the default TLS 1.3 context is still waiting at 3× the delay, released only when the
    # server closes the connection (it would have waited as long as the server kept it open).
    temoin = ssl.create_default_context()
    temoin.check_hostname = False
    temoin.verify_mode = ssl.CERT_NONE
    controle = {}
    fil = threading.Thread(target=_connecter, args=(port, temoin, controle), daemon=True)
    fil.start()
    fil.join(3 * DELAI)
    encore_en_attente = fil.is_alive()
    liberer()
    fil.join(10)
    assert encore_en_attente, f"le témoin TLS 1.3 a rendu la main à temps : {controle}"
