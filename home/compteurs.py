"""The counters the « chiffres calculés » block offers: the registry is ``conseil_ess.comptes.compteurs``.

Only ``choix`` stays here: the migrations of ``home`` record its path ``home.compteurs.choix`` for the
block's choices.
"""

from conseil_ess.comptes import compteurs


def choix():
    """Return the (code, label) pairs offered to editors (see ``conseil_ess.comptes.compteurs.choix``)."""
    return compteurs.choix()
