"""State machines, each described once: its states, its allowed transitions, the rule (django-rules
permission name) that says who may trigger each one, and what each one needs.

``Machine`` is the small shared form; each app keeps its own tables in its ``etats.py``
(``comptes`` below: structures, memberships of a structure, mandates in the Conseil; then
``evenements/etats.py``, ``ateliers/etats.py``, ``conseil_ess/seances/etats.py``; proposals keep theirs
in ``conseil_ess/propositions/workflow.py``, ``REGLES``). Services check a transition with
``verifier`` (after their own, more precise messages), templates and admin read ``etats_ou`` /
``depuis`` / ``vers`` instead of lists of state strings, and ``tests/plateforme/test_etats.py`` walks
every table (each rule exists, each state is a choice of the model).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Adhesion, MembreConseil, Structure


@dataclass(frozen=True)
class Passage:
    """One allowed transition ``de → vers``: ``regle`` says who may trigger it, ``exige`` what it needs."""

    de: str
    vers: str
    regle: str
    exige: tuple = ()


class Machine:
    """The states of one model field and the transitions between them."""

    def __init__(self, nom, choix, passages, **ensembles):
        self.nom = nom
        self.choix = choix  # the TextChoices of the field
        self.passages = tuple(passages)
        # Named sets of states the pages and rules ask about (e.g. ``emargement_ouvert``).
        self.ensembles = {cle: frozenset(valeurs) for cle, valeurs in ensembles.items()}

    def __repr__(self):
        return f"<Machine {self.nom}>"

    @property
    def etats(self):
        return list(self.choix.values)

    def passage(self, de, vers):
        return next((p for p in self.passages if p.de == de and p.vers == vers), None)

    def permis(self, de, vers):
        return self.passage(de, vers) is not None

    def depuis(self, vers):
        """The states from which ``vers`` may be reached, in the choices' order."""
        sources = {p.de for p in self.passages if p.vers == vers}
        return tuple(e for e in self.choix.values if e in sources)

    def vers(self, de):
        cibles = {p.vers for p in self.passages if p.de == de}
        return tuple(e for e in self.choix.values if e in cibles)

    def regles(self):
        return {p.regle for p in self.passages}

    def etats_ou(self, nom):
        return self.ensembles[nom]

    def verifier(self, de, vers):
        """Raise ``ActionImpossible`` (French) unless ``de → vers`` is in the table; return the passage."""
        passage = self.passage(de, vers)
        if passage is None:
            from .services import ActionImpossible

            raise ActionImpossible(_("Impossible de passer de « %(de)s » à « %(vers)s ».")
                                   % {"de": self.choix(de).label, "vers": self.choix(vers).label})
        return passage


def _tous(choix, vers, regle, sauf=(), exige=()):
    return [Passage(de, vers, regle, exige) for de in choix.values if de != vers and de not in sauf]


S, A, M = Structure.Statut, Adhesion.Statut, MembreConseil.Statut

# A structure: declared (pending), then validated or refused by the secrétariat; it may be put back
# pending (``remettre_structure_en_attente``).
STRUCTURE = Machine("structure", S, [
    Passage(S.EN_ATTENTE, S.VALIDEE, "comptes.valider_structure"),
    Passage(S.REFUSEE, S.VALIDEE, "comptes.valider_structure"),
    Passage(S.EN_ATTENTE, S.REFUSEE, "comptes.valider_structure", ("motif",)),
    Passage(S.VALIDEE, S.REFUSEE, "comptes.valider_structure", ("motif",)),
    Passage(S.VALIDEE, S.EN_ATTENTE, "comptes.valider_structure"),
    Passage(S.REFUSEE, S.EN_ATTENTE, "comptes.valider_structure"),
], publique=[S.VALIDEE])

# Membership of a structure: asked, then accepted or refused by a referent or the secrétariat; a
# refused person may ask again.
ADHESION = Machine("adhesion", A, [
    Passage(A.DEMANDEE, A.ACCEPTEE, "comptes.decider_adhesion"),
    Passage(A.DEMANDEE, A.REFUSEE, "comptes.decider_adhesion"),
    Passage(A.REFUSEE, A.DEMANDEE, "comptes.demander_adhesion"),
], membre=[A.ACCEPTEE])

# A mandate in the Conseil (``MembreConseil``): asked by an acteur, decided and suspended by the secrétariat;
# ended when the person's account is erased (``terminer_mandats``, its holder or the secrétariat).
MANDAT = Machine("mandat", M, [
    Passage(M.DEMANDE, M.VALIDE, "comptes.decider_mandat"),
    Passage(M.SUSPENDU, M.VALIDE, "comptes.decider_mandat"),
    Passage(M.DEMANDE, M.REFUSE, "comptes.decider_mandat", ("motif",)),
    Passage(M.VALIDE, M.SUSPENDU, "comptes.decider_mandat", ("motif",)),
    Passage(M.DEMANDE, M.TERMINE, "comptes.terminer_mandat"),
    Passage(M.VALIDE, M.TERMINE, "comptes.terminer_mandat"),
    Passage(M.SUSPENDU, M.TERMINE, "comptes.terminer_mandat"),
], actif=MembreConseil.ACTIFS)

MACHINES = (STRUCTURE, ADHESION, MANDAT)
