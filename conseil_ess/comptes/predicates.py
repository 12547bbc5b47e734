"""Small named predicates about who a person is (django-rules). Combined in ``rules.py``."""

import rules

from . import roles
from .models import Adhesion, Structure


def _groupe(nom):
    @rules.predicate(name=f"a_le_role_{nom}")
    def pred(user):
        if not user or not user.is_authenticated:
            return False
        noms = getattr(user, "_noms_groupes", None)
        if noms is None:
            noms = set(user.groups.values_list("name", flat=True))
            user._noms_groupes = noms
        return nom in noms

    return pred


est_connecte = rules.is_authenticated
est_superuser = rules.is_superuser
est_acteur = est_connecte
est_membre = _groupe(roles.MEMBRE)
est_animateur = _groupe(roles.ANIMATEUR)

# The roles as the groups say, before the two-factor rule (who must use it).
_role_agent = _groupe(roles.AGENT) | _groupe(roles.ADMINISTRATEUR) | est_superuser
_role_elu = _groupe(roles.ELU)
_role_administrateur = _groupe(roles.ADMINISTRATEUR) | est_superuser



def a_le_role_d_agent(user):
    """The agent·e role as the groups say, two-factor authentication aside: only to tell a person what they
    could do once it is set up (``mfa_manquante``), never to grant anything (``est_agent`` does)."""
    return bool(user and user.is_authenticated and _role_agent(user))


# Session key set at login (and when a TOTP is set up in the session): did this login go through TOTP?
CLE_SESSION_MFA = "conseil_mfa_validee"


def a_configure_mfa(user):
    """True when ``user`` has set up a TOTP authenticator (allauth); cached on the user for the request."""
    from allauth.mfa.models import Authenticator

    # getattr/setattr, not __dict__: request.user is a lazy proxy.
    configure = getattr(user, "_a_configure_mfa", None)
    if configure is None:
        configure = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._a_configure_mfa = configure
    return configure


def session_mfa_validee(session):
    """Did the login of this session go through TOTP (or a TOTP was set up during it)?

    Set at login by ``signaux.py``; a session opened before this key existed answers with allauth's own
    record of the login's steps.
    """
    if session is None:
        return False
    valeur = session.get(CLE_SESSION_MFA)
    if valeur is not None:
        return bool(valeur)
    return any(etape.get("method") == "mfa" for etape in session.get("account_authentication_methods", []))


def marquer_session(user, session):
    """Tell the predicates what the current session says about two-factor authentication."""
    if user is not None and user.is_authenticated:
        user._mfa_de_la_session = session_mfa_validee(session)
    return user


def oublier_mfa(user):
    """Drop the cached answers (a WebSocket keeps its user for hours)."""
    if user is not None and getattr(user, "_a_configure_mfa", None) is not None:
        user._a_configure_mfa = None


@rules.predicate
def mfa_validee(user):
    """The staff powers' two-factor condition: this session's login went through TOTP (and a TOTP is set up).

    The session's answer is put on the user by the middleware (every request) and the WebSocket consumers.
    Code that runs without a login session (management commands, the demo loader, services called directly
    in the tests) carries no answer and is not held to it.
    """
    if not user or not user.is_authenticated:
        return False
    de_la_session = getattr(user, "_mfa_de_la_session", None)
    if de_la_session is None:
        return True
    return bool(de_la_session) and a_configure_mfa(user)


def _acces_admin(user):
    # The model backend itself: ``user.has_perm`` asks ``mfa_manquante`` (User.has_perm), which asks this.
    from django.contrib.auth.backends import ModelBackend

    return ModelBackend().has_perm(user, "wagtailadmin.access_admin")


@rules.predicate
def doit_avoir_mfa(user):
    """Staff, élu·e·s and administrators must use two-factor authentication."""
    if not user or not user.is_authenticated:
        return False
    return bool(
        user.is_staff or user.is_superuser or _role_agent(user) or _role_elu(user)
        # Anyone else given access to the back office (e.g. a CRESS coordinator who moderates events).
        or _acces_admin(user)
    )


@rules.predicate
def mfa_manquante(user):
    """The one two-factor rule: a role that must use it (``doit_avoir_mfa``) without a TOTP login (no TOTP set
    up, or a session whose login did not go through it).

    Until then such a person has none of the powers of their role (``pouvoirs_suspendus``): they act as an
    ordinary acteur. The middleware sends them to set it up on staff pages; ``propositions.views_suivi.
    mfa_requise`` and the live page's controls ask it too.
    """
    if not (user and user.is_authenticated and doit_avoir_mfa(user)):
        return False
    return not (a_configure_mfa(user) and mfa_validee(user))


def pouvoirs_suspendus(user):
    """A role that must use two-factor authentication, in a session that has not: ``est_agent``, ``est_elu``
    and ``est_administrateur`` are false, and ``User.has_perm`` keeps to the project's rules (without the
    groups' model permissions nor the superuser shortcut)."""
    return bool(user and user.is_authenticated and doit_avoir_mfa(user) and not mfa_validee(user))


# Every staff power: the role, and a login that went through TOTP.
est_agent = _role_agent & mfa_validee
est_elu = _role_elu & mfa_validee
est_administrateur = _role_administrateur & mfa_validee


@rules.predicate
def est_referent(user, structure):
    if not user or not user.is_authenticated or structure is None:
        return False
    return structure.adhesions.filter(user=user, role=Adhesion.Role.REFERENT, statut=Adhesion.Statut.ACCEPTEE).exists()


@rules.predicate
def est_membre_structure(user, structure):
    if not user or not user.is_authenticated or structure is None:
        return False
    return structure.adhesions.filter(user=user, statut=Adhesion.Statut.ACCEPTEE).exists()


@rules.predicate
def structure_publique(user, structure):
    return structure is not None and structure.statut == Structure.Statut.VALIDEE


@rules.predicate
def est_demandeur_adhesion(user, adhesion):
    return adhesion is not None and user.is_authenticated and adhesion.user_id == user.pk


@rules.predicate
def est_referent_de_adhesion(user, adhesion):
    return adhesion is not None and est_referent(user, adhesion.structure)


@rules.predicate
def est_soi_meme(user, personne):
    """``personne`` (a user) is the one asking: their own data, their own account."""
    return bool(personne is not None and user and user.is_authenticated and personne.pk == user.pk)


@rules.predicate
def est_titulaire_mandat(user, mandat):
    return bool(mandat is not None and user and user.is_authenticated and mandat.user_id == user.pk)
