"""The agenda's filters are folded behind « Filtrer », whose summary names the filters in use."""

from html import unescape

import pytest

pytestmark = pytest.mark.django_db


def _repli(html):
    debut = html.index("<details class=\"filtres-agenda__repli\"")
    return html[debut:html.index("</summary>", debut)]


@pytest.mark.parametrize("vue", ["", "vue=mois&"])
def test_sans_filtre_le_resume_dit_seulement_filtrer(client, vue):
    html = unescape(client.get(f"/agenda/?{vue}").content.decode())
    repli = _repli(html)
    assert "open" not in repli.split(">")[0]
    assert repli.endswith("<summary>Filtrer")


def test_le_resume_nomme_les_filtres_actifs(client):
    html = unescape(client.get("/agenda/?type=conference&du=2030-11-14&acces=lsf&acces=falc").content.decode())
    repli = _repli(html)
    assert "3 filtres actifs" in repli
    assert "Type : Conférence" in repli
    assert "À partir du : 14 novembre 2030" in repli
    assert ("Accessibilité : Interprétation en langue des signes (LSF), Supports en FALC (facile à lire et à "
            "comprendre)") in repli


def test_un_filtre_invalide_ouvre_le_formulaire(client):
    html = unescape(client.get("/agenda/?du=pas-une-date&type=conference").content.decode())
    assert _repli(html).split(">")[0].endswith(" open")
    assert "1 filtre actif : Type : Conférence" in _repli(html)
    assert "Certains filtres ne sont pas valides" in html
