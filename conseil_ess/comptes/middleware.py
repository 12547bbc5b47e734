"""Enforce two-factor authentication for the roles that need it before any staff page."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .predicates import a_configure_mfa, mfa_manquante

__all__ = ["MFARequiseMiddleware", "a_configure_mfa", "mfa_manquante"]


class MFARequiseMiddleware:
    """Send staff and élu·e·s without TOTP to the TOTP set-up page when they ask for a staff page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._bloque(request):
            # Where to go once set up: offered on the recovery codes page (allauth ignores ?next there).
            request.session["mfa_suite"] = request.get_full_path()
            messages.warning(
                request,
                _("Votre rôle donne accès à des pages réservées : configurez d'abord la double "
                  "authentification (application TOTP et codes de récupération)."),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)

    def _bloque(self, request):
        if not any(request.path.startswith(p) for p in settings.PREFIXES_PAGES_PERSONNEL):
            return False
        return self._mfa_manquante(request)

    @staticmethod
    def _mfa_manquante(request):
        return mfa_manquante(getattr(request, "user", None))
