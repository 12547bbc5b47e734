"""The one path by which a proposal changes state: ``changer_etat``.

``REGLES`` declares every allowed transition: who may make it (the django-rules rule it names, in
``rules.py``: the author, the secrétariat, an élu·e),
which information it needs, and which body it is credited to in the public timeline. Anything not
in the table is refused with a French message. Each transition writes a journal row and tells the
author and the followers after commit. Closing a scrutin calls ``changer_etat(…, lien_libelle=…, lien=scrutin)``:
the journal keeps the scrutin itself, and the timeline builds its address when it is shown.
"""

import datetime
from dataclasses import dataclass

import rules
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.predicates import est_elu
from conseil_ess.comptes.services import ActionImpossible

from . import portage
from .models import ETATS_FINAUX, CompteurReference, Etat, Proposition, Transition

E = Etat
I = Transition.Instance  # noqa: E741 - the journal's "instance" vocabulary

# The rule (``rules.py``) each transition names: who may trigger it, in the one permission vocabulary.
AUTEUR_DEPOSE = "propositions.deposer_brouillon"
AUTEUR_RETIRE = "propositions.retirer"
SECRETARIAT = "propositions.instruire"
ENGAGEMENT = "propositions.engager_mise_en_oeuvre"
REINSCRIPTION = "propositions.reinscrire_pleniere"


@dataclass(frozen=True)
class Regle:
    """One allowed transition: the rule that says who may trigger it, the body the timeline credits it to,
    and what it needs (keys of ``MESSAGES_EXIGES``)."""

    regle: str
    instance: str
    exige: tuple = ()

    def permet(self, user, proposition):
        # ``rules.has_perm``: the rule itself, without Django's "an active superuser may do anything"
        # shortcut (a superuser is the secrétariat here, never the author nor an élu·e).
        return bool(user is not None and rules.has_perm(self.regle, user, proposition))


def _regles():
    regles = {
        (E.BROUILLON, E.DEPOSEE): Regle(AUTEUR_DEPOSE, I.AUTEUR),
        (E.DEPOSEE, E.EN_INSTRUCTION): Regle(SECRETARIAT, I.SECRETARIAT),
        (E.EN_INSTRUCTION, E.REORIENTEE): Regle(SECRETARIAT, I.SECRETARIAT, ("motif", "dispositif")),
        (E.EN_INSTRUCTION, E.EN_ATELIER): Regle(SECRETARIAT, I.SECRETARIAT, ("atelier",)),
        (E.DEPOSEE, E.FUSIONNEE): Regle(SECRETARIAT, I.SECRETARIAT, ("cible",)),
        (E.EN_INSTRUCTION, E.FUSIONNEE): Regle(SECRETARIAT, I.SECRETARIAT, ("cible",)),
        (E.EN_ATELIER, E.SOUMISE_PLENIERE): Regle(SECRETARIAT, I.SECRETARIAT, ("pleniere",)),
        (E.SOUMISE_PLENIERE, E.ADOPTEE): Regle(SECRETARIAT, I.SEANCE),
        (E.SOUMISE_PLENIERE, E.NON_RETENUE): Regle(SECRETARIAT, I.SEANCE, ("motif",)),
        (E.SOUMISE_PLENIERE, E.EN_ATELIER): Regle(SECRETARIAT, I.SEANCE),  # renvoi en atelier
        # Its plenary is over without a decision (its prepared scrutin withdrawn when the séance ended): the
        # secrétariat inscribes it at another, future plenary (or sends it back to its atelier, above).
        (E.SOUMISE_PLENIERE, E.SOUMISE_PLENIERE): Regle(REINSCRIPTION, I.SECRETARIAT, ("pleniere",)),
        (E.ADOPTEE, E.EN_OEUVRE): Regle(ENGAGEMENT, I.ELU, ("responsable",)),
        (E.EN_OEUVRE, E.REALISEE): Regle(SECRETARIAT, I.SECRETARIAT),
        (E.REALISEE, E.EVALUEE): Regle(SECRETARIAT, I.SECRETARIAT, ("constats",)),
    }
    for etat in E:
        if etat not in ETATS_FINAUX and etat != E.BROUILLON:
            regles[(etat, E.ABANDONNEE)] = Regle(SECRETARIAT, I.SECRETARIAT, ("motif",))
    for etat in (E.DEPOSEE, E.EN_INSTRUCTION, E.EN_ATELIER, E.SOUMISE_PLENIERE):
        regles[(etat, E.RETIREE)] = Regle(AUTEUR_RETIRE, I.AUTEUR, ("motif",))
    return regles

REGLES = _regles()

MESSAGES_EXIGES = {
    "motif": _("Indiquez le motif : il est affiché publiquement dans le parcours de la proposition."),
    "dispositif": _("Indiquez le dispositif vers lequel la proposition est réorientée."),
    "atelier": _("Choisissez l'atelier qui travaillera la proposition."),
    "cible": _("Choisissez la proposition dans laquelle celle-ci est fusionnée."),
    "pleniere": _("Choisissez la séance plénière où la proposition est inscrite."),
    "responsable": _("Indiquez l'élu·e responsable et le service chargé de la mise en œuvre."),
    "constats": _("Indiquez les constats de l'évaluation."),
}


def transitions_possibles(proposition, user):
    """Return the states ``user`` may move ``proposition`` to, in lifecycle order."""
    return [vers for (de, vers), regle in REGLES.items() if de == proposition.etat and regle.permet(user, proposition)]


def _numero(annee):
    """Draw the next reference of ``annee`` (the year's counter row is locked until commit)."""
    compteur, _cree = CompteurReference.objects.select_for_update().get_or_create(annee=annee)
    compteur.dernier += 1
    compteur.save(update_fields=["dernier"])
    return f"P-{annee}-{compteur.dernier:03d}"


def _verifier_anti_flood(proposition, le):
    maximum = getattr(settings, "PROPOSITIONS_MAX_DEPOTS_PAR_JOUR", 5)
    recents = Transition.objects.filter(
        vers=E.DEPOSEE, par_id=proposition.auteur_id, le__gte=le - datetime.timedelta(days=1)).count()
    if recents >= maximum:
        raise ActionImpossible(
            _("Vous avez déjà déposé %(n)s propositions en 24 heures : c'est le maximum. Votre brouillon est "
              "gardé ; déposez-le demain.") % {"n": maximum})


def _appliquer(p, vers, donnees, le):
    """Set the fields that come with entering ``vers``."""
    if vers == E.DEPOSEE:
        if not p.reference:
            p.reference = _numero(timezone.localtime(le).year)
        p.deposee_le = le
    elif vers == E.EN_ATELIER:
        p.atelier = donnees.get("atelier") or p.atelier
        if p.thematique_id is None and p.atelier is not None:
            p.thematique = p.atelier.thematique
    elif vers == E.SOUMISE_PLENIERE:
        if p.etat == E.SOUMISE_PLENIERE:
            _verifier_autre_pleniere(p, donnees["pleniere"], le)
        p.pleniere = donnees["pleniere"]
    elif vers == E.REORIENTEE:
        p.dispositif_reorientation = donnees["dispositif"]
    elif vers == E.FUSIONNEE:
        cible = donnees["cible"]
        if cible.pk == p.pk or not cible.est_publique or cible.etat == E.FUSIONNEE:
            raise ActionImpossible(_("Choisissez une autre proposition, déposée et non fusionnée."))
        p.fusionnee_dans = cible
    elif vers == E.EN_OEUVRE:
        p.responsable_elu = donnees.get("responsable_elu") or p.responsable_elu
        p.service_responsable = donnees.get("service_responsable") or p.service_responsable
        p.date_prevue = donnees.get("date_prevue") or p.date_prevue
    elif vers == E.REALISEE:
        p.realisee_le = le
        p.avancement = 100
    elif vers == E.EVALUEE:
        p.constats = donnees["constats"]
        p.recommandations = donnees.get("recommandations", p.recommandations)
        p.proposition_suite = donnees.get("proposition_suite") or p.proposition_suite
    if vers in (E.ADOPTEE, E.NON_RETENUE, E.REORIENTEE):
        p.decidee_le = le
    if vers == E.ADOPTEE:
        p.adoptee_le = le
    if "motif" in donnees and vers in (E.REORIENTEE, E.NON_RETENUE, E.ABANDONNEE, E.RETIREE):
        p.motif = donnees["motif"]


def _verifier_autre_pleniere(p, pleniere, le):
    """A re-inscription goes to another plenary that has not started yet."""
    if pleniere.pk == p.pleniere_id:
        raise ActionImpossible(_("La proposition est déjà inscrite à cette séance plénière : choisissez-en une "
                                 "autre, à venir."))
    if pleniere.debut < le:
        raise ActionImpossible(_("Cette séance plénière a déjà eu lieu : choisissez une séance à venir."))


def _renseigne(valeur):
    """True when ``valeur`` holds something: blank text ("   ") counts as missing."""
    return bool(valeur.strip()) if isinstance(valeur, str) else bool(valeur)


def _manquantes(regle, p, donnees):
    manquantes = []
    for exige in regle.exige:
        if exige == "responsable":
            if not all(_renseigne(donnees.get(champ)) or _renseigne(getattr(p, champ))
                       for champ in ("responsable_elu", "service_responsable")):
                manquantes.append(exige)
        elif not _renseigne(donnees.get(exige)):
            manquantes.append(exige)
    return manquantes


def changer_etat(proposition, vers, par, *, commentaire="", le=None, forcer_role=False, lien_libelle="",
                 lien=None, lien_url="", **donnees):
    """Move ``proposition`` to ``vers`` on behalf of ``par``; return the journal row.

    ``donnees``: what the transition needs (``motif``, ``dispositif``, ``atelier``, ``cible``,
    ``pleniere``, ``responsable_elu``, ``service_responsable``, ``date_prevue``, ``constats``,
    ``recommandations``, ``proposition_suite``). ``le``: the date of the step (demo data: in the past).
    ``forcer_role``: skip the role check (demo loading, data migration), never the state check.
    ``lien``: the object that decided the step (a scrutin), with ``lien_libelle``; ``lien_url``: an address
    given as text instead (its page is then never recomputed).
    """
    with transaction.atomic():
        p = Proposition.objects.select_for_update().get(pk=proposition.pk)
        regle = REGLES.get((p.etat, vers))
        if regle is None:
            raise ActionImpossible(
                _("Une proposition « %(de)s » ne peut pas passer à « %(vers)s ».")
                % {"de": p.get_etat_display(), "vers": Etat(vers).label})
        if not forcer_role and not regle.permet(par, p):
            raise ActionImpossible(_("Vous n'avez pas le droit de faire passer cette proposition à « %(vers)s ».")
                                   % {"vers": Etat(vers).label})
        manquantes = _manquantes(regle, p, donnees)
        if manquantes:
            raise ActionImpossible(" ".join(str(MESSAGES_EXIGES[m]) for m in manquantes))
        le = le or timezone.now()
        if vers == E.DEPOSEE and not forcer_role:
            _verifier_anti_flood(p, le)
        de = p.etat
        _appliquer(p, vers, donnees, le)
        p.etat = vers
        p.etat_depuis = le
        p.save()
        instance = regle.instance
        if vers == E.EN_OEUVRE and not (par and est_elu(par)):
            instance = I.SECRETARIAT
        journal = Transition.objects.create(
            proposition=p, de=de, vers=vers, le=le, par=par, instance=instance, commentaire=commentaire,
            atelier=p.atelier if vers in (E.EN_ATELIER, E.SOUMISE_PLENIERE) else None,
            pleniere=p.pleniere if vers in (E.SOUMISE_PLENIERE, E.ADOPTEE, E.NON_RETENUE) or (
                de == E.SOUMISE_PLENIERE) else None,
            lien_libelle=lien_libelle, lien=lien, lien_url=lien_url, is_demo=p.is_demo,
        )
        consigner(p, "conseil.proposition.transition", par, de=de, vers=vers, transition_id=journal.pk)
        if vers == E.DEPOSEE:  # the co-carriers named on the draft are invited now, not before
            portage.inviter_au_depot(p, p.auteur)
        if not p.is_demo:
            _prevenir(p, journal, par)
    proposition.refresh_from_db()
    return journal


def _prevenir(p, journal, par):
    """Tell the author and every follower (not the person who acted), live and by e-mail (grouped)."""
    from .models import Abonnement

    destinataires = {p.auteur_id: p.auteur}
    for abonnement in Abonnement.objects.filter(proposition=p).select_related("user"):
        destinataires[abonnement.user_id] = abonnement.user
    titre = _("%(reference)s : %(etat)s") % {"reference": p.reference or p.titre, "etat": p.get_etat_display()}
    for user_id, user in destinataires.items():
        if par is not None and user_id == par.pk or not user.is_active:
            continue
        notifier(user, titre, journal.commentaire or p.titre, url=p.get_absolute_url(), categorie="propositions",
                 courriel=True)
