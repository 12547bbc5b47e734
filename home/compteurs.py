"""The counters the « chiffres calculés » block offers: the registry is ``conseil_ess.comptes.compteurs``.

Only the names other modules refer to stay here: ``choix``, whose path ``home.compteurs.choix`` the
migrations of ``home`` record for the block's choices, and ``COMPTEURS`` for the demo.
"""

from conseil_ess.comptes import compteurs

# demo: removed when the demo moves to conseil_ess/demo (it reads conseil_ess.comptes.compteurs.COMPTEURS)
COMPTEURS = compteurs.COMPTEURS


def choix():
    """Return the (code, label) pairs offered to editors (see ``conseil_ess.comptes.compteurs.choix``)."""
    return compteurs.choix()
