"""Content security policies (public pages and Wagtail admin) and no third-party request from the admin."""

import pytest

pytestmark = pytest.mark.django_db


def _directives(entete):
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in entete.split(";")) if d}


def test_la_politique_publique_limite_les_connexions_au_site(client):
    directives = _directives(client.get("/").headers["Content-Security-Policy"])
    assert directives["connect-src"] == ["'self'"]  # no ws: / wss: to any host
    assert directives["script-src"] == ["'self'"]


def test_l_admin_a_sa_politique_et_ne_charge_pas_gravatar(client, agent):
    client.force_login(agent)
    reponse = client.get("/admin/")
    assert reponse.status_code == 200
    directives = _directives(reponse.headers["Content-Security-Policy"])
    # Wagtail's own inline scripts and styles run; nothing is loaded from another site.
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["default-src"] == ["'self'"] and directives["connect-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]
    page = reponse.content.decode()
    assert "gravatar" not in page.lower()
    # The admin's script and style files come from this site, which the policy allows.
    assert 'src="/static/wagtailadmin/js/' in page and 'href="/static/wagtailadmin/css/' in page
