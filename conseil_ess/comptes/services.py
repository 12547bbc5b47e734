"""Actions on structures and memberships. Views, the admin and the demo command all call these."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conseil_ess.ecritures import ecrire

from . import roles
from .etats import ADHESION, MANDAT, STRUCTURE
from .journal import consigner
from .models import Adhesion, Structure
from .notifications import notifier
from .sockets import fermer_les_sockets_de


class ActionImpossible(Exception):
    """A business rule refused the action; the message is French and shown to the user."""


# What only the decisions write (validation, refusal): never a content form.
CHAMPS_DECISION_STRUCTURE = ("statut", "valide_le", "cree_par", "cree_le", "is_demo")
CHAMPS_DECISION_ADHESION = ("statut", "cree_le", "decide_le", "decide_par")
CHAMPS_DECISION_MANDAT = ("statut", "motif", "demande_le", "decide_le", "decide_par")


def _agents():
    return get_user_model().objects.filter(groups__name=roles.AGENT, is_active=True).distinct()


def _exiger(par, regle, objet, message):
    if not (par and par.has_perm(regle, objet)):
        raise ActionImpossible(message)


@transaction.atomic
def creer_structure(structure, par, relations=None):
    """Save a new structure (pending validation) and make its creator the referent."""
    structure.statut = Structure.Statut.EN_ATTENTE
    structure.cree_par = par
    ecrire(structure, relations=relations)
    Adhesion.objects.create(
        user=par, structure=structure, role=Adhesion.Role.REFERENT,
        statut=Adhesion.Statut.ACCEPTEE, decide_le=timezone.now(),
    )
    consigner(structure, "conseil.structure.proposee", par, statut=structure.statut)
    for agent in _agents():
        notifier(
            agent, _("Nouvelle structure à valider : %(nom)s") % {"nom": structure.nom},
            url=reverse("wagtailadmin_home"), categorie="structures",
        )
    return structure


@transaction.atomic
def valider_structure(structure, par):
    """Make a pending structure public and tell its referents."""
    _exiger(par, "comptes.valider_structure", structure, _("Seul le secrétariat valide une structure."))
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    if structure.statut == Structure.Statut.VALIDEE:
        raise ActionImpossible(_("Cette structure est déjà validée."))
    STRUCTURE.verifier(structure.statut, Structure.Statut.VALIDEE)
    structure.statut = Structure.Statut.VALIDEE
    structure.valide_le = timezone.now()
    structure.motif_refus = ""
    structure.save(update_fields=["statut", "valide_le", "motif_refus"])
    consigner(structure, "conseil.structure.validee", par, statut=structure.statut)
    for referent in _referents(structure):
        notifier(
            referent,
            _("Votre structure « %(nom)s » a été validée") % {"nom": structure.nom},
            _("Elle est désormais visible publiquement dans l'annuaire des structures."),
            url=structure.get_absolute_url(), categorie="structures",
        )
    return structure


@transaction.atomic
def refuser_structure(structure, par, motif):
    _exiger(par, "comptes.valider_structure", structure, _("Seul le secrétariat refuse une structure."))
    if not (motif or "").strip():
        raise ActionImpossible(_("Indiquez le motif du refus : il est transmis à la structure."))
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    if structure.statut == Structure.Statut.REFUSEE:
        raise ActionImpossible(_("Cette structure est déjà refusée."))
    STRUCTURE.verifier(structure.statut, Structure.Statut.REFUSEE)
    structure.statut = Structure.Statut.REFUSEE
    structure.motif_refus = motif
    structure.save(update_fields=["statut", "motif_refus"])
    consigner(structure, "conseil.structure.refusee", par, statut=structure.statut, motif=motif)
    for referent in _referents(structure):
        notifier(
            referent,
            _("Votre structure « %(nom)s » n'a pas été validée") % {"nom": structure.nom},
            motif, url=structure.get_absolute_url(), categorie="structures",
        )
    return structure


def ajouter_structure(structure, relations=None, *, par):
    """Record a structure in the back office (pending validation, like any other)."""
    _exiger(par, "comptes.valider_structure", structure, _("Seul le secrétariat enregistre une structure ici."))
    structure.statut = Structure.Statut.EN_ATTENTE
    return ecrire(structure, relations=relations)


# What the secrétariat checked when it validated a structure: a referent's change goes back to it.
CHAMPS_A_REVALIDER = ("nom", "siret", "forme_juridique")


def modifier_structure(structure, champs, relations=None, *, par):
    """Save the edited description of a structure (its ``champs``), never its status or its validation.

    A validated structure whose name, SIRET or legal form is changed by someone other than the secrétariat
    goes back to the validation queue (``STRUCTURE``: validée → en attente), the secrétariat is told, and
    the journal says which of these fields changed.
    """
    _exiger(par, "comptes.modifier_structure", structure,
            _("Seul·e un·e référent·e de la structure ou le secrétariat peut la modifier."))
    with transaction.atomic():
        avant = Structure.objects.select_for_update().get(pk=structure.pk)
        changes = [c for c in CHAMPS_A_REVALIDER if c in champs and getattr(structure, c) != getattr(avant, c)]
        a_revalider = (avant.statut == Structure.Statut.VALIDEE and changes
                       and not par.has_perm("comptes.valider_structure", structure))
        structure = ecrire(structure, champs, relations, proteges=CHAMPS_DECISION_STRUCTURE)
        if a_revalider:
            STRUCTURE.verifier(avant.statut, Structure.Statut.EN_ATTENTE)
            structure.statut = Structure.Statut.EN_ATTENTE
            structure.save(update_fields=["statut"])
            consigner(structure, "conseil.structure.a_revalider", par, statut=structure.statut, champs=changes)
            for agent in _agents():
                notifier(agent, _("Structure modifiée, à valider de nouveau : %(nom)s") % {"nom": structure.nom},
                         url=reverse("wagtailadmin_home"), categorie="structures")
    return structure


@transaction.atomic
def remettre_structure_en_attente(structure, *, par):
    """Put a validated or refused structure back in the validation queue (it leaves the public directory)."""
    _exiger(par, "comptes.valider_structure", structure, _("Seul le secrétariat décide du statut d'une structure."))
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    if structure.statut == Structure.Statut.EN_ATTENTE:
        raise ActionImpossible(_("Cette structure est déjà en attente de validation."))
    structure.statut = Structure.Statut.EN_ATTENTE
    structure.save(update_fields=["statut"])
    consigner(structure, "conseil.structure.remise_en_attente", par, statut=structure.statut)
    return structure


def _referents(structure):
    return get_user_model().objects.filter(
        adhesions__structure=structure, adhesions__role=Adhesion.Role.REFERENT,
        adhesions__statut=Adhesion.Statut.ACCEPTEE,
    )


def demander_adhesion(user, structure, message=""):
    """Ask to join a public structure; its referents are told."""
    if structure.statut != Structure.Statut.VALIDEE:
        raise ActionImpossible(_("Cette structure n'est pas encore validée : impossible de la rejoindre."))
    existante = Adhesion.objects.filter(user=user, structure=structure).first()
    if existante and existante.statut == Adhesion.Statut.ACCEPTEE:
        raise ActionImpossible(_("Vous êtes déjà membre de cette structure."))
    if existante and existante.statut == Adhesion.Statut.DEMANDEE:
        raise ActionImpossible(_("Votre demande est déjà en attente de réponse."))
    with transaction.atomic():
        if existante:  # a refused request may be asked again
            existante.statut = Adhesion.Statut.DEMANDEE
            existante.message = message
            existante.cree_le = timezone.now()
            existante.decide_le = None
            existante.save()
            adhesion = existante
        else:
            try:
                adhesion = Adhesion.objects.create(user=user, structure=structure, message=message)
            except IntegrityError as exc:  # a double click raced the check above
                raise ActionImpossible(_("Votre demande est déjà en attente de réponse.")) from exc
        consigner(adhesion, "conseil.adhesion.demandee", user, structure_id=structure.pk)
        for referent in _referents(structure):
            notifier(
                referent,
                _("%(nom)s demande à rejoindre « %(structure)s »")
                % {"nom": user.nom_public, "structure": structure.nom},
                message, url=reverse("comptes:mon_espace") + "#demandes", categorie="structures",
            )
    return adhesion


@transaction.atomic
def decider_adhesion(adhesion, par, accepter):
    """Accept or refuse a pending membership request and tell the person."""
    adhesion = Adhesion.objects.select_for_update().select_related("structure", "user").get(pk=adhesion.pk)
    _exiger(par, "comptes.decider_adhesion", adhesion,
            _("Seul·e·s les référent·e·s de la structure et le secrétariat répondent à cette demande."))
    if adhesion.statut != Adhesion.Statut.DEMANDEE:
        raise ActionImpossible(_("Cette demande a déjà reçu une réponse."))
    ADHESION.verifier(adhesion.statut, Adhesion.Statut.ACCEPTEE if accepter else Adhesion.Statut.REFUSEE)
    adhesion.statut = Adhesion.Statut.ACCEPTEE if accepter else Adhesion.Statut.REFUSEE
    adhesion.decide_le = timezone.now()
    adhesion.decide_par = par
    adhesion.save(update_fields=["statut", "decide_le", "decide_par"])
    consigner(adhesion, "conseil.adhesion.acceptee" if accepter else "conseil.adhesion.refusee", par,
              structure_id=adhesion.structure_id, user_id=adhesion.user_id)
    if accepter:
        titre = _("Votre demande pour rejoindre « %(structure)s » a été acceptée")
    else:
        titre = _("Votre demande pour rejoindre « %(structure)s » n'a pas été acceptée")
    notifier(
        adhesion.user, titre % {"structure": adhesion.structure.nom},
        url=adhesion.structure.get_absolute_url(), categorie="structures",
    )
    return adhesion


def ajouter_adhesion(adhesion, *, par):
    """Record in the back office a request to join a structure (then decided with ``decider_adhesion``)."""
    _exiger(par, "comptes.decider_adhesion", adhesion, _("Seul le secrétariat ou un·e référent·e peut faire cela."))
    if Adhesion.objects.filter(user=adhesion.user, structure=adhesion.structure).exists():
        raise ActionImpossible(_("Cette personne a déjà une adhésion à cette structure : modifiez-la."))
    adhesion.statut = Adhesion.Statut.DEMANDEE
    try:
        with transaction.atomic():
            return ecrire(adhesion)
    except IntegrityError as exc:
        raise ActionImpossible(_("Cette personne a déjà une adhésion à cette structure : modifiez-la.")) from exc


@transaction.atomic
def modifier_adhesion(adhesion, champs, *, par):
    """Save the edited fields of a membership (its role, its message…), never its status or the decision."""
    _exiger(par, "comptes.decider_adhesion", adhesion, _("Seul le secrétariat ou un·e référent·e peut faire cela."))
    role_avant = Adhesion.objects.filter(pk=adhesion.pk).values_list("role", flat=True).first()
    adhesion = ecrire(adhesion, champs, proteges=CHAMPS_DECISION_ADHESION)
    if adhesion.role != role_avant:  # a référent named or withdrawn
        consigner(adhesion, "conseil.adhesion.role", par, role=adhesion.role, ancien_role=role_avant)
    return adhesion


@transaction.atomic
def quitter_structure(user, structure):
    adhesion = Adhesion.objects.filter(user=user, structure=structure, statut=Adhesion.Statut.ACCEPTEE).first()
    if adhesion is None:
        raise ActionImpossible(_("Vous n'êtes pas membre de cette structure."))
    if adhesion.role == Adhesion.Role.REFERENT and not structure.adhesions.filter(
        role=Adhesion.Role.REFERENT, statut=Adhesion.Statut.ACCEPTEE
    ).exclude(pk=adhesion.pk).exists():
        raise ActionImpossible(
            _("Vous êtes le ou la seule référent·e de cette structure : désignez d'abord une autre personne "
              "ou contactez le secrétariat.")
        )
    consigner(adhesion, "conseil.adhesion.quittee", user, structure_id=structure.pk)
    adhesion.delete()


# --- Membership of the Conseil -------------------------------------------------------------------

def _synchroniser_groupe_membre(user):
    """Keep the "Membre du Conseil" group equal to "has a valid membership"."""
    from django.contrib.auth.models import Group

    from .models import MembreConseil

    groupe, _cree = Group.objects.get_or_create(name=roles.MEMBRE)
    if MembreConseil.objects.filter(user=user, statut=MembreConseil.Statut.VALIDE).exists():
        user.groups.add(groupe)
    else:
        user.groups.remove(groupe)
    user.__dict__.pop("_noms_groupes", None)


def demander_mandat_conseil(user, structure, college, motivation="", affichage_public=True):
    """Ask to become a member of the Conseil for a structure the person belongs to, in a collège."""
    from .models import MembreConseil

    if not Adhesion.objects.filter(user=user, structure=structure, statut=Adhesion.Statut.ACCEPTEE).exists():
        raise ActionImpossible(_("Vous ne pouvez représenter qu'une structure dont vous êtes membre."))
    if structure.statut != Structure.Statut.VALIDEE:
        raise ActionImpossible(_("Cette structure n'est pas encore validée par le secrétariat."))
    if not college.actif:
        raise ActionImpossible(_("Ce collège n'accueille plus de nouvelles demandes."))
    existant = MembreConseil.objects.filter(user=user, statut__in=MembreConseil.ACTIFS).first()
    if existant is not None:
        raise ActionImpossible({
            MembreConseil.Statut.DEMANDE: _("Votre demande est déjà en attente de réponse du secrétariat."),
            MembreConseil.Statut.VALIDE: _("Vous êtes déjà membre du Conseil."),
            MembreConseil.Statut.SUSPENDU: _("Votre mandat est suspendu : contactez le secrétariat."),
        }[existant.statut])
    try:
        with transaction.atomic():
            mandat = MembreConseil.objects.create(
                user=user, structure=structure, college=college, motivation=motivation,
                affichage_public=affichage_public,
            )
            consigner(mandat, "conseil.mandat.demande", user, structure_id=structure.pk, college_id=college.pk)
            for agent in _agents():
                notifier(
                    agent, _("Demande d'adhésion au Conseil : %(nom)s (%(structure)s)")
                    % {"nom": user.nom_public, "structure": structure.nom},
                    motivation, url=reverse("comptes_mandats:index") + "?statut=demande", categorie="conseil",
                )
    except IntegrityError as exc:  # a double click raced the check above
        raise ActionImpossible(_("Votre demande est déjà en attente de réponse du secrétariat.")) from exc
    return mandat


def _decider_mandat(mandat, par, depuis, vers, titre, message="", motif_requis=False):
    """``depuis``: the states the table ``etats.MANDAT`` lets reach ``vers``."""
    from .models import MembreConseil

    if motif_requis and not (message or "").strip():
        raise ActionImpossible(_("Indiquez le motif : il est transmis à la personne."))
    with transaction.atomic():
        mandat = MembreConseil.objects.select_for_update().select_related("user", "structure").get(pk=mandat.pk)
        if mandat.statut not in depuis:
            raise ActionImpossible(
                _("Impossible : ce mandat est « %(statut)s ».") % {"statut": mandat.get_statut_display()})
        if mandat.statut == MembreConseil.Statut.VALIDE and vers != MembreConseil.Statut.VALIDE:
            # Loss of the mandate: the live pages' sockets opened as a member close (they reopen as a spectator).
            fermer_les_sockets_de(mandat.user_id)
        mandat.statut = vers
        mandat.decide_le = timezone.now()
        mandat.decide_par = par
        if motif_requis or vers == MembreConseil.Statut.VALIDE:
            mandat.motif = message if motif_requis else ""
        mandat.save(update_fields=["statut", "decide_le", "decide_par", "motif"])
        consigner(mandat, {MembreConseil.Statut.VALIDE: "conseil.mandat.valide", MembreConseil.Statut.REFUSE:
                           "conseil.mandat.refuse", MembreConseil.Statut.SUSPENDU: "conseil.mandat.suspendu"}[vers],
                  par, statut=vers, **({"motif": message} if motif_requis else {}))
        _synchroniser_groupe_membre(mandat.user)
        notifier(mandat.user, titre % {"structure": mandat.structure.nom}, message if motif_requis else "",
                 url=reverse("comptes:conseil_demande"), categorie="conseil", courriel=True, urgent=True)
    return mandat


def valider_mandat_conseil(mandat, par):
    """Make a pending request (or a suspended membership) a valid membership of the Conseil."""
    from .models import MembreConseil as M

    return _decider_mandat(mandat, par, MANDAT.depuis(M.Statut.VALIDE), M.Statut.VALIDE,
                           _("Vous êtes membre du Conseil de l'ESS, pour « %(structure)s »"))


def refuser_mandat_conseil(mandat, par, motif):
    from .models import MembreConseil as M

    return _decider_mandat(mandat, par, MANDAT.depuis(M.Statut.REFUSE), M.Statut.REFUSE,
                           _("Votre demande d'adhésion au Conseil (« %(structure)s ») n'a pas été retenue"),
                           motif, motif_requis=True)


def suspendre_mandat_conseil(mandat, par, motif):
    """Suspend a membership: the person stops voting and leaves the public list until it is restored."""
    from .models import MembreConseil as M

    return _decider_mandat(mandat, par, MANDAT.depuis(M.Statut.SUSPENDU), M.Statut.SUSPENDU,
                           _("Votre mandat au Conseil de l'ESS (« %(structure)s ») est suspendu"),
                           motif, motif_requis=True)


def modifier_mandat(mandat, champs, *, par):
    """Save the secrétariat's edits of a membership of the Conseil (structure, collège, public listing), never
    its status or the decision (``valider_mandat_conseil``, ``refuser_…``, ``suspendre_…``)."""
    _exiger(par, "comptes.decider_mandat", mandat, _("Seul le secrétariat du Conseil peut modifier un mandat."))
    return ecrire(mandat, champs, proteges=CHAMPS_DECISION_MANDAT)


def changer_affichage_mandat(user, affichage_public):
    """Let a member opt in or out of the public list of members."""
    from .models import MembreConseil

    n = MembreConseil.objects.filter(user=user, statut__in=MembreConseil.ACTIFS).update(
        affichage_public=affichage_public)
    if not n:
        raise ActionImpossible(_("Vous n'avez pas de mandat au Conseil."))
    return n


def terminer_mandats(user, par):
    """End every pending, valid or suspended mandate of ``user`` (their account is erased); the person
    leaves the « Membre du Conseil » group and the public list. Returns how many ended."""
    from .models import MembreConseil

    termines = 0
    with transaction.atomic():
        for mandat in MembreConseil.objects.select_for_update().filter(user=user, statut__in=MembreConseil.ACTIFS):
            if par is not None:
                _exiger(par, "comptes.terminer_mandat", mandat, _("Seul·e le ou la titulaire du mandat ou le "
                                                                 "secrétariat peut y mettre fin."))
            MANDAT.verifier(mandat.statut, MembreConseil.Statut.TERMINE)
            mandat.statut = MembreConseil.Statut.TERMINE
            mandat.decide_le = timezone.now()
            mandat.save(update_fields=["statut", "decide_le"])
            consigner(mandat, "conseil.mandat.termine", par, statut=mandat.statut)
            termines += 1
        _synchroniser_groupe_membre(user)
    return termines
