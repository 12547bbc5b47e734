"""Who may do what in an atelier (django-rules predicates). Combined in ``rules.py``."""

import rules

from conseil_ess.comptes.predicates import est_agent, est_connecte, est_elu

from .models import CompteRendu, Participation


def _atelier(objet):
    """Accept an atelier, a meeting, minutes or a participation and return its atelier."""
    if objet is None:
        return None
    for chemin in ("atelier", "reunion"):
        if hasattr(objet, chemin + "_id"):
            objet = getattr(objet, chemin)
    return getattr(objet, "atelier", objet)


@rules.predicate
def est_animateur_de(user, objet):
    atelier = _atelier(objet)
    if atelier is None or not (user and user.is_authenticated):
        return False
    cache = getattr(atelier, "_prefetched_objects_cache", {}).get("animateurs")
    if cache is not None:
        return any(a.pk == user.pk for a in cache)
    return atelier.animateurs.filter(pk=user.pk).exists()


@rules.predicate
def est_membre_de(user, objet):
    """An accepted member or an animateur·rice of the atelier."""
    atelier = _atelier(objet)
    if atelier is None or not (user and user.is_authenticated):
        return False
    return est_animateur_de(user, atelier) or atelier.participations.filter(
        user=user, statut=Participation.Statut.ACCEPTEE).exists()


@rules.predicate
def atelier_actif(user, objet):
    atelier = _atelier(objet)
    return atelier is not None and not atelier.cycle.est_archive


@rules.predicate
def compte_rendu_public(user, compte_rendu):
    return compte_rendu is not None and compte_rendu.statut == CompteRendu.Statut.PUBLIE and not compte_rendu.interne


@rules.predicate
def compte_rendu_publie(user, compte_rendu):
    return compte_rendu is not None and compte_rendu.statut == CompteRendu.Statut.PUBLIE


# The people who run an atelier: its animateur·rice·s while its cycle is open, and the secrétariat.
gere_l_atelier = (est_animateur_de & atelier_actif) | est_agent

__all__ = [
    "atelier_actif", "compte_rendu_public", "compte_rendu_publie", "est_agent", "est_animateur_de", "est_connecte",
    "est_elu", "est_membre_de", "gere_l_atelier",
]
