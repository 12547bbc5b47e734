"""allauth adapter: French defaults, the Acteur role on sign-up, the client's address behind a proxy."""

import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.models import Group

from . import roles


def _adresse(valeur):
    try:
        return ipaddress.ip_address(str(valeur).strip().strip("[]"))
    except ValueError:
        return None


def _de_confiance(adresse, reseaux):
    return adresse is not None and any(adresse in reseau for reseau in reseaux)


def adresse_du_client(request):
    """The client's IP address, for allauth's rate limits (login failures are counted per address).

    Behind the reverse proxy every request comes from the proxy's address: the client's is the one the proxy
    writes in ``X-Forwarded-For`` (its last entries are added by our proxies, the first one we do not trust
    is the client) or ``X-Real-IP``. These headers are read only when the direct peer is one of
    ``PROXIES_DE_CONFIANCE``; anyone else could write them.
    """
    reseaux = [ipaddress.ip_network(r.strip(), strict=False) for r in settings.PROXIES_DE_CONFIANCE if r.strip()]
    pair = _adresse(request.META.get("REMOTE_ADDR", ""))
    if not _de_confiance(pair, reseaux):
        return str(pair) if pair else None
    chaine = [_adresse(a) for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for adresse in reversed(chaine):
        if adresse is None:
            break
        if not _de_confiance(adresse, reseaux):
            return str(adresse)
    reelle = _adresse(request.META.get("HTTP_X_REAL_IP", ""))
    if reelle is not None:
        return str(reelle)
    return str(pair)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        adresse = adresse_du_client(request)
        return adresse if adresse else super().get_client_ip(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            groupe, _ = Group.objects.get_or_create(name=roles.ACTEUR)
            user.groups.add(groupe)
        return user
