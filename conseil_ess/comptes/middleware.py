"""Enforce two-factor authentication for the roles that need it before any staff page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import get_user
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .predicates import a_configure_mfa, marquer_session, mfa_manquante

__all__ = ["MFARequiseMiddleware", "a_configure_mfa", "mfa_manquante"]


class MFARequiseMiddleware:
    """Tell the predicates whether this session's login went through TOTP, and send staff and élu·e·s
    without it to set it up (or to confirm their code) when they ask for a staff page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.marquer(request)
        if self._bloque(request):
            # Where to go once set up: offered on the recovery codes page (allauth ignores ?next there).
            request.session["mfa_suite"] = request.get_full_path()
            if a_configure_mfa(request.user):
                # A TOTP set up from another session: this one's login did not go through it.
                messages.warning(request, _("Confirmez votre connexion avec le code de votre application "
                                            "TOTP pour accéder aux pages réservées."))
                return redirect(f"{reverse('mfa_reauthenticate')}?next={request.path}")
            messages.warning(
                request,
                _("Votre rôle donne accès à des pages réservées : configurez d'abord la double "
                  "authentification (application TOTP et codes de récupération)."),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def marquer(request):
        """Wrap ``request.user`` (still lazy) so that it carries its session's two-factor state."""
        if not hasattr(request, "user") or not hasattr(request, "session"):
            return
        if getattr(request, "_mfa_marque", False):
            return
        request._mfa_marque = True
        request.user = SimpleLazyObject(lambda: marquer_session(get_user(request), request.session))

    def _bloque(self, request):
        if not any(request.path.startswith(p) for p in settings.PREFIXES_PAGES_PERSONNEL):
            return False
        return self._mfa_manquante(request)

    @staticmethod
    def _mfa_manquante(request):
        return mfa_manquante(getattr(request, "user", None))


class PolitiqueAdminMiddleware:
    """Give the Wagtail admin its own content security policy (``CONTENT_SECURITY_POLICY_ADMIN``).

    Placed after django-csp's middleware, it sees the response first and hands it the admin's directives.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reponse = self.get_response(request)
        if request.path_info.startswith(settings.PREFIXE_ADMIN) and getattr(reponse, "_csp_config", None) is None:
            reponse._csp_config = settings.CONTENT_SECURITY_POLICY_ADMIN
        return reponse
