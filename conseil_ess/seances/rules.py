"""What each role may do with séances: the single place for the séances app.

Objects: ``voir``/``emarger``/``voir_emargements`` take a séance; ``gerer_seance`` takes a séance or
anything of it (agenda item, scrutin, document, procès-verbal); ``voter`` takes a scrutin. The services
check these rules themselves (``services._exiger``; ``voter`` asks ``peut_voter``, as do the live page and,
through the service, the WebSocket), then what no rule says (the check-in token, one vote per structure…).
"""

import rules
from django.utils.translation import gettext as _

from conseil_ess.comptes.models import MembreConseil
from conseil_ess.comptes.predicates import est_agent, est_elu, oublier_mfa

from .etats import SCRUTIN, SEANCE
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
    return seance is not None and seance.statut in SEANCE.etats_ou("publiee")


@rules.predicate
def emargement_ouvert(user, seance):
    return seance is not None and seance.statut in SEANCE.etats_ou("emargement_ouvert")


@rules.predicate
def est_emarge(user, scrutin):
    if scrutin is None or not user or not user.is_authenticated:
        return False
    return Emargement.objects.filter(seance_id=scrutin.seance_id, user=user).exists()


@rules.predicate
def scrutin_ouvert_en_ligne(user, scrutin):
    return scrutin is not None and scrutin.statut in SCRUTIN.etats_ou("vote_en_ligne") and not scrutin.saisie_manuelle


def oublier(user):
    """Drop what the predicates cached on ``user`` for a request (a WebSocket keeps its user for hours)."""
    if user is not None:
        user.__dict__.pop("_membre_conseil_en_exercice", None)
        oublier_mfa(user)


def peut_voter(user, scrutin):
    """The one answer to "may this person vote in this scrutin now": the rule ``seances.voter`` itself,
    without Django's superuser shortcut (a superuser votes only as a checked-in member)."""
    return bool(user is not None and rules.has_perm("seances.voter", user, scrutin))


def refus_de_vote(user, scrutin):
    """Why ``peut_voter`` says no, in French, the first unmet condition first."""
    if scrutin.statut == Scrutin.Statut.PREPARE:
        return _("Le vote n'est pas encore ouvert pour ce scrutin.")
    if scrutin.statut == Scrutin.Statut.CLOS:
        return _("Ce scrutin est clos : il n'est plus possible de voter.")
    if scrutin.saisie_manuelle:
        return _("Ce scrutin se vote à main levée, dans la salle.")
    if not est_emarge(user, scrutin):
        return _("Seuls les membres du Conseil émargés à cette séance peuvent voter : émargez d'abord.")
    return _("Votre mandat au Conseil n'est pas en cours : vous ne pouvez pas voter.")


def refus_d_emargement(user, seance):
    """Why the rule ``seances.emarger`` says no, in French, the séance's state first."""
    if seance.statut == Seance.Statut.PREPARATION:
        return _("L'émargement n'est pas ouvert : l'ordre du jour de la séance n'est pas publié.")
    if seance.statut == Seance.Statut.TERMINEE:
        return _("La séance est terminée : l'émargement est clos.")
    return _("Seuls les membres du Conseil en exercice peuvent émarger.")


# Anyone (the public too) sees a séance once its agenda is published; the secrétariat and élu·e·s before
# (``Seance.objects.visibles_par`` is the queryset form, asking ``seances.voir_en_preparation``).
rules.add_perm("seances.voir_en_preparation", est_agent | est_elu)
rules.add_perm("seances.voir", seance_publiee | est_agent | est_elu)
# Create, build the agenda, publish it, drive the live page, open and close scrutins, enter results.
rules.add_perm("seances.gerer_seance", est_agent)
# Check oneself in with the room's QR code.
rules.add_perm("seances.emarger", est_membre_en_exercice & emargement_ouvert)
# The names on the attendance list (the public sees the figures).
rules.add_perm("seances.voir_emargements", est_agent | est_elu)
rules.add_perm("seances.voter", est_membre_en_exercice & scrutin_ouvert_en_ligne & est_emarge)
# Draft minutes (procès-verbal not yet published): previewed by the secrétariat and the élu·e·s.
rules.add_perm("seances.voir_proces_verbal_brouillon", est_agent | est_elu)
