"""Serve anonymous GET/HEAD requests of public pages from the cache, keyed by the generation (``generation.py``).

Only a request with no session, message or language cookie and no Authorization header is looked up or
stored, so nothing personal can be served to someone else. A response is stored only if it is a complete
200 with no cookie set, no CSRF token used, no ``private``/``no-store``/``no-cache`` Cache-Control and no
Vary other than Cookie/Accept-Language/Accept-Encoding. The key is the generation, the scheme, the host,
the path and the sorted query string. A hit returns the same status, headers and bytes as the miss; it
answers ``If-None-Match`` with a 304 from the stored ETag (an ETag is added to pages that have none).

A text body of 1 KB or more is also stored gzip-compressed, once, when it is stored: a request that accepts gzip
gets that copy (``Content-Encoding: gzip``, weak ETag, ``Vary: Accept-Encoding``), on the miss that stores it as
on every hit. nginx passes such a body on as it is (``gzip_proxied any`` compresses only what is not compressed
yet), so a large feed is neither compressed again nor copied whole to the proxy on every request. There is no
secret on a stored page (no CSRF token, nothing personal), so the copy needs no BREACH padding.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe, quote_etag
from django.utils.text import compress_string

from . import generation

VARY_ADMIS = {"cookie", "accept-language", "accept-encoding"}
EXCLUS = ("/admin/", "/compte/", "/mon-espace/", "/static/", "/media/", "/documents/", "/agenda/perso/",
          "/ws/", "/conseil/mon-mandat/")
TAILLE_MAX = 5 * 1024 * 1024
# A copy in the process of the pages read or stored last (the generation is in the key, so a copy is never
# staler than Redis): a large feed is then not fetched from Redis on every hit or 304.
LOCALE_OCTETS_MAX = 32 * 1024 * 1024
LOCALE_DUREE = 60.0  # seconds a copy in the process lives at most
COMPRESSION_MIN = 1024  # bytes, as nginx's gzip_min_length
COMPRESSIBLES = ("text/", "application/json", "application/javascript", "application/xml", "application/xhtml+xml",
                 "application/rss+xml", "application/atom+xml", "image/svg+xml")
ACCEPTE_GZIP = re.compile(r"\bgzip\b")  # as django.middleware.gzip


def _taille(stocke):
    return len(stocke[0]) + len(stocke[2] or b"") if len(stocke) > 2 else len(stocke[0])


class _CopieLocale:
    def __init__(self, octets_max=LOCALE_OCTETS_MAX):
        self.octets_max, self.octets = octets_max, 0
        self.entrees = OrderedDict()
        self.verrou = threading.Lock()

    def lire(self, cle):
        with self.verrou:
            entree = self.entrees.get(cle)
            if entree is None:
                return None
            if entree[1] < time.monotonic():
                del self.entrees[cle]
                self.octets -= _taille(entree[0])
                return None
            self.entrees.move_to_end(cle)
            return entree[0]

    def garder(self, cle, stocke, duree):
        taille = _taille(stocke)
        if taille > self.octets_max // 4:
            return
        with self.verrou:
            if cle in self.entrees:
                return
            self.entrees[cle] = (stocke, time.monotonic() + min(LOCALE_DUREE, duree))
            self.octets += taille
            while self.octets > self.octets_max:
                _cle, ancienne = self.entrees.popitem(last=False)
                self.octets -= _taille(ancienne[0])


copie_locale = _CopieLocale()


def _cookies_personnels():
    return (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGES_COOKIE_NAME", "messages"),
            settings.LANGUAGE_COOKIE_NAME)


def cle(requete, gen):
    requete_triee = urlencode(sorted(parse_qsl(requete.META.get("QUERY_STRING", ""), keep_blank_values=True)))
    brut = "\x1f".join([requete.scheme, requete.get_host(), requete.path, requete_triee])
    return f"pages:{gen}:{hashlib.sha256(brut.encode()).hexdigest()[:40]}"


def admissible(requete):
    if requete.method not in ("GET", "HEAD") or not getattr(settings, "CACHE_PAGES", True):
        return False
    if requete.path.startswith(EXCLUS + tuple(getattr(settings, "CACHE_PAGES_EXCLUS", ()))):
        return False
    if "HTTP_AUTHORIZATION" in requete.META:
        return False
    cookies = requete.COOKIES
    return not any(cookies.get(nom) for nom in _cookies_personnels())


def stockable(requete, reponse):
    if reponse.status_code != 200 or reponse.streaming or reponse.cookies:
        return False
    if requete.META.get("CSRF_COOKIE_NEEDS_UPDATE") or requete.META.get("CSRF_COOKIE_USED"):
        return False
    utilisateur = getattr(requete, "user", None)
    if utilisateur is not None and utilisateur.is_authenticated:
        return False
    session = getattr(requete, "session", None)
    if session is not None and session.modified:
        return False
    controle = reponse.get("Cache-Control", "").lower()
    if any(m in controle for m in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in reponse.get("Vary", "").split(",") if v.strip()}
    if vary - VARY_ADMIS:
        return False
    contenu = reponse.content
    return len(contenu) <= TAILLE_MAX and b"csrfmiddlewaretoken" not in contenu


def compresser(reponse):
    """The gzip copy of a response about to be stored, or None (small, binary, already encoded, or no smaller)."""
    contenu = reponse.content
    type_contenu = reponse.get("Content-Type", "").lower()
    if (len(contenu) < COMPRESSION_MIN or reponse.has_header("Content-Encoding")
            or not type_contenu.startswith(COMPRESSIBLES)):
        return None
    compresse = compress_string(contenu)
    return compresse if len(compresse) < len(contenu) else None


def accepte_gzip(requete):
    return bool(ACCEPTE_GZIP.search(requete.META.get("HTTP_ACCEPT_ENCODING", "")))


def variante(requete, en_tetes, contenu, compresse):
    """The body and headers to send: the gzip copy if there is one and the request accepts gzip."""
    if compresse is None or not accepte_gzip(requete):
        return contenu, en_tetes
    remplaces = {"content-length": str(len(compresse)), "content-encoding": "gzip"}
    en_tetes = [(nom, remplaces.pop(nom.lower(), _etag_faible(valeur) if nom.lower() == "etag" else valeur))
                for nom, valeur in en_tetes]
    return compresse, en_tetes + [(nom.title(), valeur) for nom, valeur in remplaces.items()]


def _etag_faible(etag):
    # As GZipMiddleware: the compressed body is another representation, equivalent but not byte for byte.
    return "W/" + etag if etag.startswith('"') else etag


class CachePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, requete):
        generation.debut_de_requete()
        if not admissible(requete):
            return self.get_response(requete)
        gen = generation.lire()
        if gen is None:
            return self.get_response(requete)
        maintenant = timezone.now()
        cle_page = cle(requete, gen)
        locale = copie_locale.lire(cle_page)
        try:
            trouve = generation.cache().get_many(
                [generation.cle_fenetre(gen)] + ([] if locale is not None else [cle_page]))
        except Exception as exc:  # noqa: BLE001 - Redis down: serve uncached
            generation.en_panne(exc)
            return self.get_response(requete)
        if locale is not None:
            trouve[cle_page] = locale
        fenetre = trouve.get(generation.cle_fenetre(gen))
        if not generation.fenetre_valide(gen, fenetre, maintenant):
            if fenetre is not None:  # time passed a boundary (or went back): every page may have changed
                generation.publier()
                gen = generation.lire()
                if gen is None:
                    return self.get_response(requete)
                cle_page = cle(requete, gen)
            fenetre = generation.ouvrir_fenetre(gen, maintenant)
            stocke = None
        else:
            stocke = trouve.get(cle_page)
        generation.retenir(requete, gen)  # shared with the menu, the footer and the sites' root paths
        if stocke is not None:
            if locale is None:
                copie_locale.garder(cle_page, stocke, fenetre[1] - time.time())
            return self._depuis_cache(requete, stocke)
        reponse = self.get_response(requete)
        if stockable(requete, reponse):
            if not reponse.has_header("ETag"):
                reponse["ETag"] = quote_etag(hashlib.md5(reponse.content, usedforsecurity=False).hexdigest())
            duree = max(1, min(generation.duree(), int(fenetre[1] - time.time()) + 1))
            compresse = compresser(reponse)
            if compresse is not None:
                patch_vary_headers(reponse, ("Accept-Encoding",))
            stocke = (reponse.content, list(reponse.items()), compresse)
            try:
                generation.cache().set(cle_page, stocke, duree)
                copie_locale.garder(cle_page, stocke, duree)
            except Exception as exc:  # noqa: BLE001
                generation.en_panne(exc)
            if compresse is not None and accepte_gzip(requete):  # the miss sends what a hit will send
                contenu, en_tetes = variante(requete, list(reponse.items()), reponse.content, compresse)
                reponse.content = contenu
                for nom, valeur in en_tetes:
                    reponse[nom] = valeur
        return reponse

    def _depuis_cache(self, requete, stocke):
        contenu, en_tetes = variante(requete, stocke[1], stocke[0], stocke[2] if len(stocke) > 2 else None)
        etag = next((v for k, v in en_tetes if k.lower() == "etag"), None)
        modifie = next((v for k, v in en_tetes if k.lower() == "last-modified"), None)
        modifie = parse_http_date_safe(modifie) if modifie else None
        if (etag or modifie) and ("HTTP_IF_NONE_MATCH" in requete.META or "HTTP_IF_MODIFIED_SINCE" in requete.META):
            conditionnelle = get_conditional_response(requete, etag=etag, last_modified=modifie)
            if conditionnelle is not None:
                for nom, valeur in en_tetes:
                    if nom.lower() in ("etag", "last-modified", "cache-control", "vary", "expires"):
                        conditionnelle[nom] = valeur
                return conditionnelle
        reponse = HttpResponse(contenu)
        for nom, valeur in en_tetes:
            reponse[nom] = valeur
        return reponse

