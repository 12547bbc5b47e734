"""Small named predicates about who a person is (django-rules). Combined in ``rules.py``."""

import rules

from . import roles


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


@rules.predicate
def est_referent(user, structure):
    if not user or not user.is_authenticated or structure is None:
        return False
    return structure.adhesions.filter(user=user, role="referent", statut="acceptee").exists()


@rules.predicate
def est_membre_structure(user, structure):
    if not user or not user.is_authenticated or structure is None:
        return False
    return structure.adhesions.filter(user=user, statut="acceptee").exists()


@rules.predicate
def structure_publique(user, structure):
    return structure is not None and structure.statut == "validee"


@rules.predicate
def est_demandeur_adhesion(user, adhesion):
    return adhesion is not None and user.is_authenticated and adhesion.user_id == user.pk


@rules.predicate
def est_referent_de_adhesion(user, adhesion):
    return adhesion is not None and est_referent(user, adhesion.structure)
