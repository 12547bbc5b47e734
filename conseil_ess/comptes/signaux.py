"""Session signals: the two-factor state of a login, and the WebSockets that follow the session.

Connected in ``ComptesConfig.ready()``.
"""

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import pre_delete, pre_save

from .predicates import CLE_SESSION_MFA, a_configure_mfa, oublier_mfa
from .sockets import fermer_les_sockets_de, fermer_les_sockets_de_la_session


def _connexion(sender, request, user, **kwargs):
    """allauth asks for the TOTP code at every login of a person who has set one up: a login made with a
    TOTP set up went through it. The answer stays with the session (a TOTP added later from another
    session gives no staff power to this one)."""
    session = getattr(request, "session", None)
    if session is not None and user is not None:
        oublier_mfa(user)
        session[CLE_SESSION_MFA] = a_configure_mfa(user)


def _mfa_ajoutee(sender, request=None, user=None, authenticator=None, **kwargs):
    """Setting up the TOTP in this session needed a valid code: the session has proven the second factor."""
    session = getattr(request, "session", None)
    if session is not None and user is not None:
        oublier_mfa(user)
        session[CLE_SESSION_MFA] = True


def _deconnexion(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    fermer_les_sockets_de_la_session(getattr(session, "session_key", None))


def _mot_de_passe_change(sender, request=None, user=None, **kwargs):
    if user is not None:
        fermer_les_sockets_de(user.pk)


def _avant_enregistrement(sender, instance, raw=False, update_fields=None, **kwargs):
    """A person made inactive (by the secrétariat, or by the erasure of their account): close their sockets."""
    if raw or instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    if sender.objects.filter(pk=instance.pk, is_active=True).exists():
        fermer_les_sockets_de(instance.pk)


def _avant_suppression(sender, instance, **kwargs):
    fermer_les_sockets_de(instance.pk)


def connecter():
    user_logged_in.connect(_connexion, dispatch_uid="comptes_mfa_connexion")
    authenticator_added.connect(_mfa_ajoutee, dispatch_uid="comptes_mfa_ajoutee")
    user_logged_out.connect(_deconnexion, dispatch_uid="comptes_sockets_deconnexion")
    for signal in (password_changed, password_set, password_reset):
        signal.connect(_mot_de_passe_change, dispatch_uid=f"comptes_sockets_{id(signal)}")
    User = get_user_model()
    pre_save.connect(_avant_enregistrement, sender=User, dispatch_uid="comptes_sockets_desactivation")
    pre_delete.connect(_avant_suppression, sender=User, dispatch_uid="comptes_sockets_suppression")
