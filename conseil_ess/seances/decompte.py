"""Counting the votes of a scrutin: how many have voted, the count and its result, and its wording.

Read by the live state (``etat.py``: how many have voted, the count of a closed scrutin) and by the
services that close a scrutin (``services.py``); it imports neither, so neither imports the other.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conseil_ess.comptes.models import College

from .models import Bulletin, BulletinSecret, Choix, Participation, Seance


def nombre_votants(scrutin):
    """How many have voted so far (what the live page shows while the vote is open)."""
    modele = Participation if scrutin.secret else Bulletin
    return modele.objects.filter(scrutin_id=scrutin.pk).count()


@dataclass
class Depouillement:
    pour: int
    contre: int
    abstention: int
    presents: int
    quorum_atteint: bool | None
    pour_pondere: Decimal | None = None
    contre_pondere: Decimal | None = None
    abstention_pondere: Decimal | None = None
    poids_appliques: dict | None = None

    @property
    def adopte(self):
        """Simple majority of the votes cast (abstentions not counted), weighted when asked; a tie rejects."""
        if self.pour_pondere is not None:
            return self.pour_pondere > self.contre_pondere
        return self.pour > self.contre


def depouiller(scrutin):
    """Count ``scrutin`` (its ballots, or its hand-entered counts) and apply its quorum and weighting.

    Members present are those checked in at the séance when counting (or the paper sheet's figure).
    Weighted sums use each collège's ``poids`` at counting time (recorded in ``poids_appliques`` for the minutes).
    """
    presents = Seance.objects.get(pk=scrutin.seance_id).nombre_presents()
    quorum_atteint = None if scrutin.quorum is None else presents >= scrutin.quorum
    if scrutin.saisie_manuelle:
        return Depouillement(scrutin.pour or 0, scrutin.contre or 0, scrutin.abstention or 0, presents,
                             quorum_atteint)
    modele = BulletinSecret if scrutin.secret else Bulletin
    lignes = modele.objects.filter(scrutin_id=scrutin.pk).values("college_id", "choix").annotate(n=Count("pk"))
    lignes = list(lignes)
    compte = {c: sum(ligne["n"] for ligne in lignes if ligne["choix"] == c) for c in Choix.values}
    resultat = Depouillement(compte[Choix.POUR], compte[Choix.CONTRE], compte[Choix.ABSTENTION], presents,
                             quorum_atteint)
    if scrutin.ponderation_par_college:
        colleges = {c.pk: c for c in College.objects.filter(pk__in={ligne["college_id"] for ligne in lignes})}
        pondere = {c: Decimal(0) for c in Choix.values}
        for ligne in lignes:
            poids = colleges[ligne["college_id"]].poids if ligne["college_id"] in colleges else Decimal(1)
            pondere[ligne["choix"]] += poids * ligne["n"]
        resultat.pour_pondere = pondere[Choix.POUR]
        resultat.contre_pondere = pondere[Choix.CONTRE]
        resultat.abstention_pondere = pondere[Choix.ABSTENTION]
        resultat.poids_appliques = {c.slug: str(c.poids) for c in sorted(colleges.values(), key=lambda c: c.ordre)}
    return resultat


def decompte_texte(scrutin):
    """« 12 pour, 3 contre, 2 abstentions »."""
    return _("%(pour)s pour, %(contre)s contre, %(abstentions)s") % {
        "pour": scrutin.pour, "contre": scrutin.contre,
        # French takes the singular for 0 and 1 (the source strings are French, with no catalogue).
        "abstentions": ngettext("%(n)s abstention", "%(n)s abstentions", max(scrutin.abstention, 1)) % {
            "n": scrutin.abstention},
    }
