"""The TLS context of the drills' WebSocket client (``tests/production/test_pile.py``)."""

import ssl


def contexte_tls_client():
    """The drills' TLS client context (self-signed stack: no verification), capped at TLS 1.2.

    Why the cap: over TLS 1.3 the server sends its session tickets after the handshake; websockets' sync client
    (17.4) then reads them in a blocking ``recv`` that waits for application data, so when the handshake's
    answer is late its ``open_timeout`` is not kept — the client waits until the server closes the connection
    (measured: 15 s against a TLS server that never answers, with open_timeout=2; 60 s in the CI's drill 1,
    where one voter made a single attempt in a minute). Over TLS 1.2 the tickets are part of the handshake and
    the timeout holds (2.0 s). ``tests/production/test_client_ws.py`` checks it. Browsers are not concerned.
    """
    contexte = ssl.create_default_context()
    contexte.check_hostname = False
    contexte.verify_mode = ssl.CERT_NONE
    contexte.maximum_version = ssl.TLSVersion.TLSv1_2
    return contexte
