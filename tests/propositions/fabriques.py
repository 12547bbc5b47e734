"""Factories and helpers for the proposals' tests (shared by every test module of propositions).

``PropositionFactory`` makes a draft (champ 1, an acteur as author); ``amener_a(p, etat)`` walks it
through the workflow to ``etat`` with ``forcer_role=True`` (so one journal row per step, as in life).
"""

import factory

from conseil_ess.comptes.models import ChampAction
from conseil_ess.propositions import workflow
from conseil_ess.propositions.models import Etat, Proposition
from evenements.models import TypeEvenement
from tests.ateliers.fabriques import AtelierFactory
from tests.evenements.fabriques import EvenementFactory
from tests.factories import UserFactory


class PropositionFactory(factory.django.DjangoModelFactory):
    """A draft proposal on champ 1. ``champs=[…]``, ``communes=[…]``, ``structures=[…]`` set the relations."""

    class Meta:
        model = Proposition
        skip_postgeneration_save = True

    titre = factory.Sequence(lambda n: f"Proposition {n}")
    resume = factory.Sequence(lambda n: f"Résumé de la proposition {n}.")
    description = "<p>Une description.</p>"
    auteur = factory.SubFactory(UserFactory)

    @factory.post_generation
    def champs(self, create, extracted, **kwargs):
        if create:
            self.champs.set(extracted or [ChampAction.objects.get(numero=1)])

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)

    @factory.post_generation
    def structures(self, create, extracted, **kwargs):
        if create and extracted:
            self.structures.set(extracted)


# The path from a draft to each state (the first step from the draft is always the submission).
CHEMINS = {
    Etat.BROUILLON: [],
    Etat.DEPOSEE: [Etat.DEPOSEE],
    Etat.EN_INSTRUCTION: [Etat.DEPOSEE, Etat.EN_INSTRUCTION],
    Etat.REORIENTEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.REORIENTEE],
    Etat.EN_ATELIER: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER],
    Etat.SOUMISE_PLENIERE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE],
    Etat.ADOPTEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE],
    Etat.NON_RETENUE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE, Etat.NON_RETENUE],
    Etat.EN_OEUVRE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE,
                     Etat.EN_OEUVRE],
    Etat.REALISEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE,
                    Etat.EN_OEUVRE, Etat.REALISEE],
    Etat.EVALUEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE,
                   Etat.EN_OEUVRE, Etat.REALISEE, Etat.EVALUEE],
    Etat.ABANDONNEE: [Etat.DEPOSEE, Etat.ABANDONNEE],
    Etat.RETIREE: [Etat.DEPOSEE, Etat.RETIREE],
    Etat.FUSIONNEE: [Etat.DEPOSEE, Etat.FUSIONNEE],
}


def donnees_par_defaut(vers, proposition, **donnees):
    """Return what the transition to ``vers`` needs (what the caller gave wins; the rest is made up)."""
    if vers in (Etat.REORIENTEE, Etat.NON_RETENUE, Etat.ABANDONNEE, Etat.RETIREE):
        donnees.setdefault("motif", "Motif de test.")
    if vers == Etat.REORIENTEE:
        donnees.setdefault("dispositif", "Dispositif de test")
    if vers == Etat.EN_ATELIER and "atelier" not in donnees and proposition.atelier_id is None:
        donnees["atelier"] = AtelierFactory()
    if vers == Etat.SOUMISE_PLENIERE and "pleniere" not in donnees:
        donnees["pleniere"] = EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE)
    if vers == Etat.EN_OEUVRE:
        donnees.setdefault("responsable_elu", proposition.responsable_elu or UserFactory())
        donnees.setdefault("service_responsable", proposition.service_responsable or "Direction de l'ESS")
    if vers == Etat.EVALUEE:
        donnees.setdefault("constats", "<p>Constats de test.</p>")
    if vers == Etat.FUSIONNEE and "cible" not in donnees:
        donnees["cible"] = amener_a(PropositionFactory(), Etat.DEPOSEE)
    return donnees


def amener_a(proposition, etat, par=None, le=None, **donnees):
    """Walk a draft ``proposition`` through the workflow to ``etat`` (``forcer_role=True``); return it.

    ``donnees``: what the steps need (``atelier``, ``pleniere``, ``cible``, ``motif``, …); missing ones
    are made up. ``par``: who acts (the author by default). ``le``: the date of every step.
    """
    par = par or proposition.auteur
    for vers in CHEMINS[Etat(etat)]:
        propres = donnees_par_defaut(vers, proposition, **donnees)
        workflow.changer_etat(proposition, vers, par, forcer_role=True, le=le, **propres)
    proposition.refresh_from_db()
    return proposition


def proposition_en(etat, **kwargs):
    """Shortcut: a new proposal (``PropositionFactory(**kwargs)``) brought to ``etat``."""
    return amener_a(PropositionFactory(**kwargs), etat)



def arguments_matrice(cle, user):
    """Return the URL kwargs of a propositions row of the permission matrix (tests/test_permissions.py).

    ``cle``: ``brouillon`` (a draft, by pk), ``deposee`` / ``adoptee`` (by reference), ``deposee_pk``,
    ``piece`` / ``piece_brouillon`` (an attachment of a submitted proposal / of a draft), ``invitation`` (an
    invitation to carry a proposal, its structure's référent·e for ``_mien``). With the suffix
    ``_mien`` the proposal is the row's user's (someone else's for the anonymous visitor). ``en_oeuvre``: an
    adopted proposal being implemented, another élu·e in charge; ``en_oeuvre_mien``: the row's user in charge.
    """
    from django.core.files.base import ContentFile

    from conseil_ess.propositions.models import PieceJointe

    base = cle.removesuffix("_mien")
    if base == "invitation":  # an invitation to carry a proposal; ``_mien``: the row's user is its référent·e
        from conseil_ess.comptes.models import Adhesion
        from conseil_ess.propositions.models import InvitationPortage
        from tests.factories import AdhesionFactory

        invitation = InvitationPortage.objects.create(proposition=PropositionFactory(),
                                                      structure=AdhesionFactory().structure)
        if cle.endswith("_mien") and user is not None:
            AdhesionFactory(user=user, structure=invitation.structure, role=Adhesion.Role.REFERENT)
        return {"pk": invitation.pk}
    if base == "en_oeuvre":
        from tests.conftest import creer_utilisateur

        responsable = user if cle.endswith("_mien") and user is not None else creer_utilisateur("elu")
        return {"reference": amener_a(PropositionFactory(), Etat.EN_OEUVRE, responsable_elu=responsable).reference}
    auteur = user if cle.endswith("_mien") and user is not None else UserFactory()
    proposition = PropositionFactory(auteur=auteur)
    if not base.endswith("brouillon"):
        amener_a(proposition, Etat.ADOPTEE if base == "adoptee" else Etat.DEPOSEE)
    if base.startswith("piece"):
        piece = PieceJointe.objects.create(proposition=proposition, titre="Annexe",
                                           fichier=ContentFile(b"%PDF-1.4 annexe", name="annexe.pdf"))
        return {"pk": piece.pk}
    if base in ("brouillon", "deposee_pk"):
        return {"pk": proposition.pk}
    return {"reference": proposition.reference}
