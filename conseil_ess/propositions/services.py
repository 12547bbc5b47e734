"""Actions on proposals other than state changes (those are ``workflow.changer_etat``): drafting,
editing, following, follow-up points, indicators, private notes, attachments, bulk actions.
Views, the admin, the demo and the tests call these; the views check who may act (``rules.py``)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.ecritures import ecrire

from . import etats, workflow
from .models import (
    MAX_INDICATEURS,
    Abonnement,
    Etat,
    Indicateur,
    InvitationPortage,
    NoteInterne,
    PieceJointe,
    PointSuivi,
    Proposition,
    ValeurIndicateur,
)
from .portage import CATEGORIE_PORTAGE, nommer_porteurs

__all__ = [
    "CATEGORIE_PORTAGE", "ActionImpossible", "affecter_atelier_en_masse", "ajouter_indicateur", "ajouter_note_interne",
    "ajouter_piece_jointe", "ajouter_point_suivi", "ajouter_valeur", "creer_brouillon", "decider_invitation",
    "enregistrer", "inscrire_pleniere_en_masse", "modifier_contenu", "ne_plus_suivre", "nommer_porteurs", "suivre",
    "supprimer_brouillons",
]

ETATS_MODIFIABLES_PAR_L_AUTEUR = (Etat.BROUILLON, Etat.DEPOSEE)
# The columns the author's form writes; everything else (the state, what the workflow set) is left as it is.
CHAMPS_DE_L_AUTEUR = ("titre", "resume", "description", "levier", "atelier_suggere", "porteurs_texte")
# Set only by the workflow (``workflow.changer_etat``) or the services: never by a content form.
CHAMPS_DU_WORKFLOW = frozenset({
    "reference", "etat", "etat_depuis", "auteur", "motif", "dispositif_reorientation", "fusionnee_dans", "atelier",
    "pleniere", "responsable_elu", "avancement", "constats", "recommandations", "proposition_suite", "cree_le",
    "deposee_le", "decidee_le", "adoptee_le", "realisee_le", "modifie_le", "is_demo",
})


def creer_brouillon(proposition, auteur, champs=(), communes=(), structures=()):
    """Save a new proposal as a draft of ``auteur`` (never public until submitted)."""
    proposition.auteur = auteur
    proposition.etat = Etat.BROUILLON
    with transaction.atomic():
        proposition.save()
        proposition.champs.set(champs)
        proposition.communes.set(communes)
        nommer_porteurs(proposition, structures, auteur)
    return proposition


def _verrouiller(proposition):
    return Proposition.objects.select_for_update().get(pk=proposition.pk)


def enregistrer(proposition, par, *, champs=None, communes=None, structures=None):
    """Save the author's edits of ``proposition`` (its ``CHAMPS_DE_L_AUTEUR``, and the relations given).

    Only while it is a draft or submitted (not yet in instruction), checked on the locked row: a transition
    committed while the author was typing is never undone, since only the author's own columns are written.
    """
    with transaction.atomic():
        actuelle = _verrouiller(proposition)
        if actuelle.etat not in ETATS_MODIFIABLES_PAR_L_AUTEUR:
            raise ActionImpossible(_("La proposition est en instruction : elle ne peut plus être modifiée. "
                                     "Écrivez au secrétariat pour compléter votre proposition."))
        if not par.has_perm("propositions.modifier", actuelle):
            raise ActionImpossible(_("Seul·e l'auteur·rice d'une proposition peut la modifier."))
        proposition.save(update_fields=CHAMPS_DE_L_AUTEUR)
        for relation, valeurs in (("champs", champs), ("communes", communes)):
            if valeurs is not None:
                getattr(proposition, relation).set(valeurs)
        if structures is not None:
            nommer_porteurs(proposition, structures, par)
        proposition.etat = actuelle.etat
    return proposition


def decider_invitation(invitation, par, *, accepter):
    """A référent·e of the invited structure accepts (it becomes a carrier) or refuses the invitation."""
    vers = InvitationPortage.Etat.ACCEPTEE if accepter else InvitationPortage.Etat.REFUSEE
    with transaction.atomic():
        actuelle = (InvitationPortage.objects.select_for_update(of=("self",))
                    .select_related("structure", "proposition").get(pk=invitation.pk))
        if not (par and par.has_perm("propositions.decider_portage", actuelle)):
            raise ActionImpossible(_("Seul·e un·e référent·e de la structure invitée répond à cette invitation."))
        if actuelle.etat == InvitationPortage.Etat.A_INVITER:
            raise ActionImpossible(_("Cette proposition n'est pas encore déposée : l'invitation partira au dépôt."))
        if actuelle.etat != InvitationPortage.Etat.INVITEE:
            raise ActionImpossible(_("Cette invitation a déjà reçu une réponse."))
        etats.INVITATION.verifier(actuelle.etat, vers)
        actuelle.etat, actuelle.decide_par, actuelle.decide_le = vers, par, timezone.now()
        ecrire(actuelle, ["etat", "decide_par", "decide_le"])
        proposition = actuelle.proposition
        if accepter:
            proposition.structures.add(actuelle.structure)
            consigner(proposition, "conseil.proposition.portage_accepte", par, structure=actuelle.structure.nom)
        else:
            consigner(proposition, "conseil.proposition.portage_refuse", par, structure=actuelle.structure.nom)
        if proposition.auteur_id:
            message = (_("%(structure)s porte désormais votre proposition « %(titre)s ».") if accepter else
                       _("%(structure)s a décliné l'invitation à porter votre proposition « %(titre)s »."))
            notifier(proposition.auteur, _("Réponse à votre invitation de co-portage"),
                     message % {"structure": actuelle.structure.nom, "titre": proposition.titre},
                     url=proposition.get_absolute_url(), categorie=CATEGORIE_PORTAGE)
    return actuelle


def modifier_contenu(proposition, champs, relations=None, *, par):
    """Save the secrétariat's edit of a proposal's content (``champs``, ``relations``) on its locked row; the
    state and what the workflow set (``CHAMPS_DU_WORKFLOW``) are never written here."""
    if not (par and par.has_perm("propositions.instruire", proposition)):
        raise ActionImpossible(_("Seul le secrétariat du Conseil modifie ici le contenu d'une proposition."))
    return ecrire(proposition, champs, relations, proteges=CHAMPS_DU_WORKFLOW)


def suivre(proposition, user):
    if not proposition.est_publique:
        raise ActionImpossible(_("Cette proposition n'est pas publique."))
    try:
        with transaction.atomic():
            abonnement, _cree = Abonnement.objects.get_or_create(proposition=proposition, user=user)
    except IntegrityError:  # a double click
        abonnement = Abonnement.objects.get(proposition=proposition, user=user)
    return abonnement


def ne_plus_suivre(proposition, user):
    Abonnement.objects.filter(proposition=proposition, user=user).delete()


def _exiger_adoptee(proposition):
    if proposition.etat not in (Etat.ADOPTEE, Etat.EN_OEUVRE, Etat.REALISEE, Etat.EVALUEE):
        raise ActionImpossible(_("Le suivi commence quand la proposition est adoptée."))


def ajouter_point_suivi(proposition, texte, par, date=None, avancement=None):
    """Add a dated public follow-up point (and optionally update the progress); followers are told."""
    _exiger_adoptee(proposition)
    if not (texte or "").strip():
        raise ActionImpossible(_("Écrivez le point de suivi."))
    with transaction.atomic():
        point = PointSuivi.objects.create(proposition=proposition, texte=texte, auteur=par,
                                          date=date or timezone.localdate())
        if avancement is not None:
            if not 0 <= avancement <= 100:
                raise ActionImpossible(_("L'avancement est un pourcentage entre 0 et 100."))
            proposition.avancement = avancement
            proposition.save(update_fields=["avancement"])
        consigner(proposition, "conseil.proposition.point_suivi", par, point_id=point.pk, avancement=avancement)
        _annoncer(proposition, par, _("Nouveau point de suivi : %(texte)s") % {"texte": point.texte[:200]})
    return point


class _Annonce:
    """What ``workflow._prevenir`` reads of a journal row, for a follow-up entry (point, indicator, value)."""

    def __init__(self, commentaire):
        self.commentaire = commentaire


def _annoncer(proposition, par, commentaire):
    """Tell the author and the followers of a follow-up entry, after commit, like a step of the workflow."""
    if not proposition.is_demo:
        workflow._prevenir(proposition, _Annonce(commentaire), par)


def ajouter_indicateur(proposition, libelle, par, unite="", cible=None, cible_texte="", valeur_reference=None):
    """Add one of the 0–3 indicators of an adopted proposal."""
    _exiger_adoptee(proposition)
    with transaction.atomic():
        Proposition.objects.select_for_update().get(pk=proposition.pk)
        if proposition.indicateurs.count() >= MAX_INDICATEURS:
            raise ActionImpossible(_("Trois indicateurs au plus par proposition : peu, mais suivis."))
        indicateur = Indicateur.objects.create(
            proposition=proposition, libelle=libelle, unite=unite, cible=cible, cible_texte=cible_texte,
            valeur_reference=valeur_reference, ordre=proposition.indicateurs.count(),
        )
        consigner(proposition, "conseil.proposition.indicateur_ajoute", par, indicateur_id=indicateur.pk)
        _annoncer(proposition, par, _("Nouvel indicateur suivi : %(libelle)s") % {"libelle": libelle})
        return indicateur


def ajouter_valeur(indicateur, date, valeur, par, commentaire=""):
    """Record the value of an indicator at a date (one value per date: a second one replaces it)."""
    with transaction.atomic():
        valeur_indicateur, _cree = ValeurIndicateur.objects.update_or_create(
            indicateur=indicateur, date=date, defaults={"valeur": valeur, "commentaire": commentaire})
        consigner(indicateur.proposition, "conseil.proposition.valeur_indicateur", par, indicateur_id=indicateur.pk,
                  valeur_id=valeur_indicateur.pk)
        _annoncer(indicateur.proposition, par, _("%(libelle)s : %(valeur)s %(unite)s au %(date)s") % {
            "libelle": indicateur.libelle, "valeur": formats.number_format(valeur_indicateur.valeur, use_l10n=True),
            "unite": indicateur.unite, "date": formats.date_format(date, "j F Y")})
    return valeur_indicateur


def ajouter_note_interne(proposition, texte, par):
    if not (texte or "").strip():
        raise ActionImpossible(_("La note est vide."))
    with transaction.atomic():
        note = NoteInterne.objects.create(proposition=proposition, texte=texte, auteur=par)
        consigner(proposition, "conseil.proposition.note_interne", par, note_id=note.pk)
    return note


def ajouter_piece_jointe(proposition, titre, fichier, par):
    from datetime import timedelta

    from django.utils import timezone

    from ateliers.validators import verifier_plafonds_pieces_jointes

    piece = PieceJointe(proposition=proposition, titre=titre, fichier=fichier)
    try:
        verifier_plafonds_pieces_jointes(
            PieceJointe.objects.filter(proposition=proposition).count(),
            PieceJointe.objects.filter(proposition__auteur=par,
                                       ajoute_le__gte=timezone.now() - timedelta(days=1)).count() if par else 0)
        piece.full_clean()
    except ValidationError as exc:
        raise ActionImpossible(" ".join(exc.messages)) from exc
    with transaction.atomic():
        piece.save()
        consigner(proposition, "conseil.proposition.piece_jointe", par, piece_id=piece.pk)
    return piece


def _en_masse(propositions, fonction):
    """Apply ``fonction`` to each proposal; return (done, [(proposal, French reason)] refused)."""
    faites, refusees = [], []
    for proposition in propositions:
        try:
            fonction(proposition)
        except ActionImpossible as exc:
            refusees.append((proposition, str(exc)))
        else:
            faites.append(proposition)
    return faites, refusees


def affecter_atelier_en_masse(propositions, atelier, par, commentaire=""):
    """Assign proposals in instruction to an atelier (each through the workflow)."""
    return _en_masse(propositions, lambda p: workflow.changer_etat(
        p, Etat.EN_ATELIER, par, atelier=atelier, commentaire=commentaire))


def inscrire_pleniere_en_masse(propositions, pleniere, par, commentaire=""):
    """Schedule proposals worked in atelier for a plenary (each through the workflow)."""
    return _en_masse(propositions, lambda p: workflow.changer_etat(
        p, Etat.SOUMISE_PLENIERE, par, pleniere=pleniere, commentaire=commentaire))


def supprimer_brouillons(auteur):
    """Delete the drafts of ``auteur`` (their account is erased) with their attachments' files, removed from
    disk once the transaction commits (a rollback keeps them). Deposited proposals are never deleted."""
    with transaction.atomic():
        brouillons = list(Proposition.objects.select_for_update().filter(auteur=auteur, etat=Etat.BROUILLON))
        fichiers = [(piece.fichier.storage, piece.fichier.name)
                    for piece in PieceJointe.objects.filter(proposition__in=brouillons) if piece.fichier]
        try:
            Proposition.objects.filter(pk__in=[p.pk for p in brouillons]).delete()
        except ProtectedError as exc:  # a draft something still points to (never expected): nothing is deleted
            raise ActionImpossible(_("Un de vos brouillons est cité ailleurs et ne peut pas être supprimé : "
                                     "contactez le secrétariat.")) from exc

        def effacer_les_fichiers():
            for stockage, nom in fichiers:
                stockage.delete(nom)

        transaction.on_commit(effacer_les_fichiers)
    return len(brouillons)
