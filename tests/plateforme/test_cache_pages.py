"""The cache of anonymous public pages (conseil_ess/cache_pages): hits, invalidation by any write and by
time passing, nothing personal stored, Redis down means no cache."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from conseil_ess.cache_pages import generation
from evenements.models import Evenement
from tests.evenements.fabriques import EvenementFactory, dans
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_neuf(client):
    # Never cache.clear(): on Redis it would empty the database the other test processes share.
    generation._etat.update(panne_jusqu_a=0.0, a_publier=False)
    generation.publier()
    client.get("/")  # creates the site's settings (footer) on first read: a write
    yield
    generation._etat.update(panne_jusqu_a=0.0, a_publier=False)


def _requetes(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


def test_une_seconde_lecture_anonyme_vient_du_cache(client, django_assert_num_queries):
    EvenementFactory(titre="Forum des coopératives")
    premiere = client.get("/agenda/")
    assert premiere.status_code == 200 and "Forum des coopératives" in premiere.content.decode()
    with django_assert_num_queries(0):
        seconde = client.get("/agenda/")
    assert seconde.content == premiere.content
    assert dict(seconde.items()) == dict(premiere.items())
    # The query string is part of the key, normalised (order of the parameters).
    client.get("/agenda/?a=1&b=2")
    with django_assert_num_queries(0):
        assert client.get("/agenda/?b=2&a=1").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/agenda/", HTTP_IF_NONE_MATCH=premiere["ETag"]).status_code == 304


@pytest.mark.parametrize("ecrire", ["save", "update", "delete", "m2m"])
def test_toute_ecriture_se_voit_a_la_lecture_suivante(client, ecrire):
    evenement = EvenementFactory(titre="Forum des coopératives")
    assert "Forum des coopératives" in client.get("/agenda/").content.decode()
    if ecrire == "save":
        evenement.titre = "Marché solidaire"
        evenement.save()
        attendu, absent = "Marché solidaire", "Forum des coopératives"
    elif ecrire == "update":
        Evenement.objects.filter(pk=evenement.pk).update(titre="Marché solidaire")
        attendu, absent = "Marché solidaire", "Forum des coopératives"
    elif ecrire == "delete":
        evenement.delete()
        attendu, absent = None, "Forum des coopératives"
    else:
        from tests.evenements.fabriques import public

        jeunes = public("jeunes", "Jeunes publics")
        avant = generation.lire()
        evenement.publics.set([jeunes])
        client.get("/agenda/")
        assert generation.lire() > avant
        avant = generation.lire()
        evenement.publics.clear()
        client.get("/agenda/")
        assert generation.lire() > avant
        return
    page = client.get("/agenda/").content.decode()
    assert absent not in page
    if attendu:
        assert attendu in page


@pytest.mark.dates
def test_le_temps_qui_passe_invalide(client):
    debut = timezone.now() + datetime.timedelta(minutes=30)
    EvenementFactory(titre="Bientôt commencé", debut=debut, fin=debut + datetime.timedelta(minutes=20))
    assert "Bientôt commencé" in client.get("/agenda/").content.decode()
    with time_machine.travel(debut + datetime.timedelta(minutes=25)):
        # Over: it leaves the upcoming events at once, although nothing was written.
        assert "Bientôt commencé" not in client.get("/agenda/").content.decode()


def test_rien_de_personnel_n_est_stocke(client):
    EvenementFactory(titre="Forum des coopératives")
    personne = UserFactory()
    client.force_login(personne)
    client.get("/agenda/")
    assert _requetes(client, "/agenda/") > 0  # logged in: never from the cache



def test_un_jeton_csrf_ou_un_cookie_empeche_le_stockage(rf):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from conseil_ess.cache_pages.middleware import admissible, stockable

    requete = rf.get("/agenda/")
    assert admissible(requete) and stockable(requete, HttpResponse("<p>ok</p>"))
    get_token(requete)
    assert not stockable(requete, HttpResponse("<p>ok</p>"))
    requete = rf.get("/agenda/")
    reponse = HttpResponse("<p>ok</p>")
    reponse.set_cookie("x", "1")
    assert not stockable(requete, reponse)
    assert not stockable(rf.get("/"), HttpResponse('<input name="csrfmiddlewaretoken" value="x">'))
    reponse = HttpResponse("<p>ok</p>")
    reponse["Cache-Control"] = "private"
    assert not stockable(rf.get("/"), reponse)
    requete = rf.get("/agenda/", HTTP_COOKIE="sessionid=abc")
    assert not admissible(requete)
    assert not admissible(rf.post("/agenda/"))


def test_un_jeton_de_flux_personnel_n_est_jamais_partage(client):
    personne = UserFactory()
    client.get(f"/agenda/perso/{personne.jeton_agenda}.ics")
    assert _requetes(client, f"/agenda/perso/{personne.jeton_agenda}.ics") > 0


def test_cache_en_panne_pages_sans_cache(client, monkeypatch):
    EvenementFactory(titre="Forum des coopératives")

    def panne(*args, **kwargs):
        raise ConnectionError("Redis injoignable")

    for methode in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(generation.cache(), methode, panne)
    reponse = client.get("/agenda/")
    assert reponse.status_code == 200 and "Forum des coopératives" in reponse.content.decode()
    EvenementFactory(titre="Marché solidaire", debut=dans(11))
    assert "Marché solidaire" in client.get("/agenda/").content.decode()


def test_la_copie_dans_le_processus_est_bornee_en_taille_et_en_duree(monkeypatch):
    from conseil_ess.cache_pages import middleware

    copie = middleware._CopieLocale(octets_max=400)
    copie.garder("a", (b"x" * 100, []), 30)
    copie.garder("b", (b"y" * 100, []), 30)
    assert copie.lire("a") == (b"x" * 100, [])
    copie.garder("c", (b"z" * 100, []), 30)
    copie.garder("d", (b"w" * 100, []), 30)
    copie.garder("e", (b"v" * 100, []), 30)  # over 400 bytes: the least recently read goes ("b")
    assert copie.lire("b") is None and copie.lire("a") is not None
    copie.garder("gros", (b"g" * 101, []), 30)  # more than a quarter of the bound: never kept
    assert copie.lire("gros") is None
    maintenant = middleware.time.monotonic()
    monkeypatch.setattr(middleware.time, "monotonic", lambda: maintenant + middleware.LOCALE_DUREE + 1)
    assert copie.lire("a") is None


@pytest.mark.parametrize("premier", ["gzip", "identite"])
def test_un_texte_stocke_l_est_aussi_compresse_pour_qui_accepte_gzip(client, django_assert_num_queries, premier):
    import gzip

    EvenementFactory(titre="Forum des coopératives")
    gz = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    # Whichever request fills the cache, the miss sends what the hits send.
    premiere = client.get("/agenda/", **(gz if premier == "gzip" else {}))
    with django_assert_num_queries(0):
        compressee = client.get("/agenda/", **gz)
        entiere = client.get("/agenda/")
    if premier == "gzip":
        assert premiere.content == compressee.content and dict(premiere.items()) == dict(compressee.items())
    else:
        assert premiere.content == entiere.content and dict(premiere.items()) == dict(entiere.items())
    assert compressee["Content-Encoding"] == "gzip" and not entiere.has_header("Content-Encoding")
    assert gzip.decompress(compressee.content) == entiere.content
    assert "Forum des coopératives" in entiere.content.decode()
    assert int(compressee["Content-Length"]) == len(compressee.content) < len(entiere.content) // 2
    assert int(entiere["Content-Length"]) == len(entiere.content)
    for reponse in (compressee, entiere):
        assert "accept-encoding" in reponse["Vary"].lower()
    # The compressed body is another representation: a weak ETag, which still answers If-None-Match with a 304.
    assert compressee["ETag"] == "W/" + entiere["ETag"]
    with django_assert_num_queries(0):
        for etag in (compressee["ETag"], entiere["ETag"]):
            assert client.get("/agenda/", HTTP_IF_NONE_MATCH=etag, **gz).status_code == 304
            assert client.get("/agenda/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A feed too, in its own type (over 1 KB with a few events).
    for i in range(5):
        EvenementFactory(titre=f"Atelier {i}", description="Découvrir les coopératives d'activité. " * 5)
    flux = client.get("/agenda.ics", **gz)
    assert flux["Content-Encoding"] == "gzip" and flux["Content-Type"].startswith("text/calendar")
    assert b"Forum des coop" in gzip.decompress(flux.content)


def test_ni_petit_ni_binaire_ni_deja_encode_n_est_compresse():
    from django.http import HttpResponse

    from conseil_ess.cache_pages.middleware import compresser

    texte = "Économie sociale et solidaire. " * 100
    assert compresser(HttpResponse(texte)) is not None
    assert compresser(HttpResponse("Bonjour")) is None  # under 1 KB: as nginx's gzip_min_length
    assert compresser(HttpResponse(texte.encode(), content_type="image/png")) is None
    deja = HttpResponse(texte)
    deja["Content-Encoding"] = "br"
    assert compresser(deja) is None
    import os

    assert compresser(HttpResponse(os.urandom(4096), content_type="text/plain")) is None  # no smaller
