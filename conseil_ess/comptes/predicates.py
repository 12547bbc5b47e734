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
est_agent = _groupe(roles.AGENT) | _groupe(roles.ADMINISTRATEUR) | est_superuser
est_elu = _groupe(roles.ELU)
est_administrateur = _groupe(roles.ADMINISTRATEUR) | est_superuser


@rules.predicate
def doit_avoir_mfa(user):
    """Staff, élu·e·s and administrators must use two-factor authentication."""
    if not user or not user.is_authenticated:
        return False
    return bool(
        user.is_staff or user.is_superuser or est_agent(user) or est_elu(user) or est_administrateur(user)
        # Anyone else given access to the back office (e.g. a CRESS coordinator who moderates events).
        or user.has_perm("wagtailadmin.access_admin")
    )


def a_configure_mfa(user):
    """True when ``user`` has set up a TOTP authenticator (allauth)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@rules.predicate
def mfa_manquante(user):
    """The one two-factor rule: a role that must use it (``doit_avoir_mfa``) and no TOTP set up yet.

    The middleware (staff URL prefixes), ``propositions.views_suivi.mfa_requise`` and the live page's
    controls all ask this predicate.
    """
    return bool(user and user.is_authenticated and doit_avoir_mfa(user) and not a_configure_mfa(user))


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
