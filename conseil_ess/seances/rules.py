"""What each role may do with séances: the single place for the séances app.

Objects: ``voir``/``gerer_seance``/``emarger``/``voir_emargements`` take a séance; ``voter`` takes a
scrutin. The services check the same conditions again (and more: the check-in token, the vote rules),
so a rule only decides what a page offers.
"""

import rules

from conseil_ess.comptes.models import MembreConseil
from conseil_ess.comptes.predicates import est_agent, est_elu

from .models import Emargement, Scrutin, Seance


@rules.predicate
def est_membre_en_exercice(user):
    """A member of the Conseil whose mandate is valid (cached on the user for the request)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    en_exercice = getattr(user, "_membre_conseil_en_exercice", None)
    if en_exercice is None:
        en_exercice = MembreConseil.objects.valides().filter(user=user).exists()
        user._membre_conseil_en_exercice = en_exercice
    return en_exercice


@rules.predicate
def seance_publiee(user, seance):
    return seance is not None and seance.statut != Seance.Statut.PREPARATION


@rules.predicate
def emargement_ouvert(user, seance):
    return seance is not None and seance.statut in (Seance.Statut.ORDRE_DU_JOUR_PUBLIE, Seance.Statut.EN_COURS)


@rules.predicate
def est_emarge(user, scrutin):
    if scrutin is None or not user or not user.is_authenticated:
        return False
    return Emargement.objects.filter(seance_id=scrutin.seance_id, user=user).exists()


@rules.predicate
def scrutin_ouvert_en_ligne(user, scrutin):
    return scrutin is not None and scrutin.statut == Scrutin.Statut.OUVERT and not scrutin.saisie_manuelle


# Anyone (the public too) sees a séance once its agenda is published; the secrétariat and élu·e·s before.
rules.add_perm("seances.voir", seance_publiee | est_agent | est_elu)
# Create, build the agenda, publish it, drive the live page, open and close scrutins, enter results.
rules.add_perm("seances.gerer_seance", est_agent)
# Check oneself in with the room's QR code.
rules.add_perm("seances.emarger", est_membre_en_exercice & emargement_ouvert)
# The names on the attendance list (the public sees the figures).
rules.add_perm("seances.voir_emargements", est_agent | est_elu)
rules.add_perm("seances.voter", est_membre_en_exercice & scrutin_ouvert_en_ligne & est_emarge)
