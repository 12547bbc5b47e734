"""Serve anonymous GET/HEAD requests of public pages from the cache, keyed by the generation (``generation.py``).

Only a request with no session, message or language cookie and no Authorization header is looked up or
stored, so nothing personal can be served to someone else. A response is stored only if it is a complete
200 with no cookie set, no CSRF token used, no ``private``/``no-store``/``no-cache`` Cache-Control and no
Vary other than Cookie/Accept-Language/Accept-Encoding. The key is the generation, the scheme, the host,
the path and the sorted query string. A hit returns the same status, headers and bytes as the miss; it
answers ``If-None-Match`` with a 304 from the stored ETag (an ETag is added to pages that have none).
"""

import hashlib
import threading
import time
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe, quote_etag

from . import generation

VARY_ADMIS = {"cookie", "accept-language", "accept-encoding"}
EXCLUS = ("/admin/", "/compte/", "/mon-espace/", "/static/", "/media/", "/documents/", "/agenda/perso/",
          "/ws/", "/conseil/mon-mandat/")
TAILLE_MAX = 5 * 1024 * 1024
# A copy in the process of the pages read or stored last (the generation is in the key, so a copy is never
# staler than Redis): a large feed is then not fetched from Redis on every hit or 304.
LOCALE_OCTETS_MAX = 32 * 1024 * 1024
LOCALE_DUREE = 60.0  # seconds a copy in the process lives at most


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
                self.octets -= len(entree[0][0])
                return None
            self.entrees.move_to_end(cle)
            return entree[0]

    def garder(self, cle, stocke, duree):
        taille = len(stocke[0])
        if taille > self.octets_max // 4:
            return
        with self.verrou:
            if cle in self.entrees:
                return
            self.entrees[cle] = (stocke, time.monotonic() + min(LOCALE_DUREE, duree))
            self.octets += taille
            while self.octets > self.octets_max:
                _cle, ancienne = self.entrees.popitem(last=False)
                self.octets -= len(ancienne[0][0])


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
        setattr(requete, generation.ATTRIBUT_REQUETE, gen)  # shared with the menu and the footer
        if stocke is not None:
            if locale is None:
                copie_locale.garder(cle_page, stocke, fenetre[1] - time.time())
            return self._depuis_cache(requete, stocke)
        reponse = self.get_response(requete)
        if stockable(requete, reponse):
            if not reponse.has_header("ETag"):
                reponse["ETag"] = quote_etag(hashlib.md5(reponse.content, usedforsecurity=False).hexdigest())
            duree = max(1, min(generation.duree(), int(fenetre[1] - time.time()) + 1))
            stocke = (reponse.content, list(reponse.items()))
            try:
                generation.cache().set(cle_page, stocke, duree)
                copie_locale.garder(cle_page, stocke, duree)
            except Exception as exc:  # noqa: BLE001
                generation.en_panne(exc)
        return reponse

    def _depuis_cache(self, requete, stocke):
        contenu, en_tetes = stocke
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

