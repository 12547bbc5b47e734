"""The proposals' part of the personal data (registry ``conseil_ess/comptes/donnees_personnelles.py``):
the person's proposals (drafts included, with their attached files) and follows in the export; on erasure,
drafts deleted with their files and follows removed, while deposited proposals stay public, their author
shown as « Contributeur·rice (compte supprimé) » (the anonymised account) with their structures; retention
removes from disk the attachments no proposal points to any more."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.models import stockage_prive
from conseil_ess.comptes.donnees_personnelles import ORDRE_PROPOSITIONS, Rubrique, enregistrer

from .models import Abonnement, InvitationPortage, NoteInterne, PieceJointe, PointSuivi, Proposition, Transition

DOSSIER_PIECES_JOINTES = "propositions"


def exporter(user):
    propositions = list(Proposition.objects.filter(auteur=user).prefetch_related(
        "structures", "communes", "champs", "pieces_jointes").order_by("cree_le", "pk"))
    elements, fichiers = [], []
    for p in propositions:
        pieces = list(p.pieces_jointes.all())
        elements.append({
            _("Référence"): p.reference, _("Titre"): p.titre, _("Résumé"): p.resume,
            _("Description"): p.description, _("État"): p.get_etat_display(), _("Levier"): p.levier,
            _("Champs d'action"): [str(c) for c in p.champs.all()],
            _("Structures porteuses"): [s.nom for s in p.structures.all()],
            _("Autres porteurs"): p.porteurs_texte, _("Communes"): [c.nom for c in p.communes.all()],
            _("Créée le"): p.cree_le, _("Déposée le"): p.deposee_le, _("Motif public"): p.motif,
            _("Documents joints"): [piece.titre for piece in pieces],
        })
        fichiers += [(piece.titre, piece.fichier) for piece in pieces if piece.fichier]
    suivies = [{_("Référence"): a.proposition.reference, _("Titre"): a.proposition.titre, _("Suivie depuis"): a.cree_le}
               for a in Abonnement.objects.filter(user=user).select_related("proposition").order_by("cree_le")]
    responsable = [{_("Référence"): p.reference, _("Titre"): p.titre, _("État"): p.get_etat_display()}
                   for p in Proposition.objects.filter(responsable_elu=user).order_by("reference")]
    actions = [{
        _("Étapes de parcours enregistrées"): Transition.objects.filter(par=user).count(),
        _("Notes internes écrites"): NoteInterne.objects.filter(auteur=user).count(),
        _("Points de suivi écrits"): PointSuivi.objects.filter(auteur=user).count(),
        _("Structures invitées à porter une proposition"): InvitationPortage.objects.filter(invite_par=user).count(),
        _("Invitations de co-portage acceptées ou refusées"): InvitationPortage.objects.filter(decide_par=user).count(),
    }]
    return [
        Rubrique(_("Mes propositions (brouillons compris)"), elements, fichiers),
        Rubrique(_("Propositions suivies"), suivies),
        Rubrique(_("Propositions dont vous êtes l'élu·e responsable"), responsable),
        Rubrique(_("Actions sur les propositions (nombres)"), actions),
    ]


def effacer(user, par):
    from . import services

    brouillons = services.supprimer_brouillons(user)
    suivis = Abonnement.objects.filter(user=user).delete()[0]
    return {_("brouillons supprimés"): brouillons, _("propositions suivies"): suivis}


def _fichiers(stockage, dossier):
    dossiers, fichiers = stockage.listdir(dossier)
    for nom in fichiers:
        yield f"{dossier}/{nom}"
    for sous_dossier in dossiers:
        yield from _fichiers(stockage, f"{dossier}/{sous_dossier}")


def _modifie_avant(stockage, nom, limite):
    """Whether file ``nom`` was last modified before ``limite``; False if it is gone since it was listed (a draft
    deleted meanwhile removes its files)."""
    try:
        return stockage.get_modified_time(nom) < limite
    except FileNotFoundError:
        return False


def conserver(maintenant, simulation):
    """Remove from disk the attachments of deleted drafts (files that no ``PieceJointe`` names), older than a
    day (a file being uploaded right now is never touched)."""
    stockage = stockage_prive()
    try:
        presents = list(_fichiers(stockage, DOSSIER_PIECES_JOINTES))
    except FileNotFoundError:
        presents = []
    connus = set(PieceJointe.objects.values_list("fichier", flat=True))
    limite = maintenant - timedelta(days=1)
    orphelins = [nom for nom in presents if nom not in connus and _modifie_avant(stockage, nom, limite)]
    if not simulation:
        for nom in orphelins:
            stockage.delete(nom)  # a file already gone is no error (FileSystemStorage.delete)
    return [(_("fichiers de brouillons supprimés retirés du disque"), len(orphelins))]


def enregistrer_partie():
    enregistrer("propositions", gettext_lazy("Propositions"), exporter=exporter, effacer=effacer, conserver=conserver,
                modeles=(Proposition, Transition, NoteInterne, PointSuivi, Abonnement, InvitationPortage),
                ordre=ORDRE_PROPOSITIONS)
