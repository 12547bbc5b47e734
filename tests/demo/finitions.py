"""Checks of the finishing touches on the loaded demo (run by test_chargement at every date, and today):
the site's search finds what the demo speaks of (its index is built by ``charger_demo``), and the key pages
follow French plurals and typography."""

import html as html_
import re

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from conseil_ess.propositions.models import Proposition
from conseil_ess.seances.models import Seance

# Plural nouns the pages count: « 0 résultats », « 1 jours » would be English plural rules.
PLURIELS = ("résultats", "jours", "événements", "propositions", "membres", "places", "personnes", "structures",
            "ateliers", "séances", "points", "suffrages", "filtres", "participant·e·s", "leviers")
PLURIEL_FAUX = re.compile(r"(?<![\w,.])(?<!\d[ \u00a0\u202f])[01][ \u00a0\u202f]+(?:"
                          + "|".join(PLURIELS) + r")(?![\w·])")
# Five digits or more in a row in the text: « 118000 » instead of « 118 000 ».
NOMBRE_NON_GROUPE = re.compile(r"(?<![\w./:\-\u2011])\d{5,}(?![\w\-])")
TITRE = re.compile(r"<(h[1-6]|title)\b[^>]*>(.*?)</\1>", re.S)
ESPACE_ORDINAIRE = re.compile(r" [:;!?»]|« ")


def texte(fragment):
    return html_.unescape(re.sub(r"<[^>]+>", "", fragment))


def problemes_de_typographie(page):
    """Return the typography mistakes of an HTML page (empty list when none)."""
    corps = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", page, flags=re.S)
    problemes = [("titre", texte(m.group(2)).strip()) for m in TITRE.finditer(corps)
                 if ESPACE_ORDINAIRE.search(texte(m.group(2)))]
    visible = texte(corps)
    problemes += [("pluriel", visible[max(0, m.start() - 30):m.end()]) for m in PLURIEL_FAUX.finditer(visible)]
    problemes += [("nombre", visible[max(0, m.start() - 30):m.end() + 10])
                  for m in NOMBRE_NON_GROUPE.finditer(visible)]
    return problemes


def titres_trouves(client, requete, code):
    page = client.get("/recherche/", {"q": requete, "type": code}).content.decode()
    return [texte(t) for t in re.findall(r'class="resultat__titre"><a href="[^"]*">(.*?)</a>', page)]


def verifier_recherche(demo):
    client = Client()
    with time_machine.travel(demo.maintenant, tick=True):
        assert "Ressourcerie de la Lère" in titres_trouves(client, "ressourceries", "structures")
        assert any("Ressourcerie de la Lère" in t for t in titres_trouves(client, "ressourcerie", "evenements"))
        assert any("Collecte et réemploi des textiles" in t
                   for t in titres_trouves(client, "ressourcerie", "propositions"))  # its carrier
        assert len(titres_trouves(client, "insertion", "propositions")) >= 3
        assert titres_trouves(client, "économie", "pages") == titres_trouves(client, "economie", "pages") != []


def verifier_typographie(demo):
    proposition = Proposition.objects.get(is_demo=True, titre__startswith="Collecte et réemploi des textiles")
    tenue = Seance.objects.filter(statut=Seance.Statut.TERMINEE).order_by("-evenement__debut").first()
    publics = ["/", "/agenda/", "/propositions/", proposition.get_absolute_url(), "/seances/",
               tenue.get_absolute_url(), "/recherche/?q=ressourcerie", "/recherche/?q=zzzzz"]
    elue = get_user_model().objects.get(email="helene.marceau@example.org")
    with time_machine.travel(demo.maintenant, tick=True):
        client = Client()
        pages = [(chemin, client.get(chemin)) for chemin in publics]
        client.force_login(elue)
        pages.append(("/suivi/", client.get("/suivi/")))
    for chemin, reponse in pages:
        assert reponse.status_code == 200, chemin
        assert problemes_de_typographie(reponse.content.decode()) == [], chemin
