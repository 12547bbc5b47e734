"""Actions on ateliers: membership, meetings, attendance, minutes, cycles. Views, the admin, the demo
and the tests all call these; they check the business rules, the views check who may act (``rules.py``).
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conseil_ess.comptes import roles
from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.ecritures import ecrire
from evenements import services as services_agenda
from evenements.models import Evenement, TypeEvenement

from .etats import COMPTE_RENDU, CYCLE, PARTICIPATION
from .models import (
    Atelier,
    CompteRendu,
    Cycle,
    DocumentCompteRendu,
    Participation,
    Presence,
    Reunion,
    ThematiqueAnnuelle,
)

__all__ = [
    "ActionImpossible", "ajouter_document", "annuler_reunion", "archiver_cycle", "ateliers_de",
    "changer_statut_thematique", "decider_participation", "enregistrer_compte_rendu", "enregistrer_cycle",
    "enregistrer_presences", "enregistrer_reunion_passee", "enregistrer_thematique", "membres", "modifier_reunion",
    "planifier_reunion",
    "publier_compte_rendu", "quitter", "rejoindre", "retirer_compte_rendu", "supprimer_document",
    "synchroniser_groupe_animateur",
]

PS = Participation.Statut


# --- Who ------------------------------------------------------------------------------------------

def ateliers_de(user):
    """Return the ateliers ``user`` belongs to: accepted member or animateur·rice."""
    if not (user and user.is_authenticated):
        return Atelier.objects.none()
    return Atelier.objects.filter(
        Q(pk__in=Participation.objects.filter(user=user, statut=PS.ACCEPTEE).values("atelier"))
        | Q(pk__in=Atelier.animateurs.through.objects.filter(user=user).values("atelier"))
    )


def membres(atelier):
    """Return the active people of an atelier: accepted members and animateur·rice·s."""
    return get_user_model().objects.filter(
        Q(participations_ateliers__atelier=atelier, participations_ateliers__statut=PS.ACCEPTEE)
        | Q(ateliers_animes=atelier),
        is_active=True,
    ).distinct()


def _prevenir_membres(atelier, titre, message="", url="", sauf=None, urgent=False):
    for personne in membres(atelier):
        if sauf is not None and personne.pk == sauf.pk:
            continue
        notifier(personne, titre, message, url=url or atelier.get_absolute_url(), categorie="ateliers",
                 courriel=True, urgent=urgent)


def _verifier_actif(atelier):
    if atelier.cycle.est_archive:
        raise ActionImpossible(_("Le cycle de cet atelier est archivé : il n'est plus possible d'y agir."))


def synchroniser_groupe_animateur(user):
    """Keep the "Animateur·rice" group equal to "runs an atelier of a cycle that is not archived"."""
    groupe, _cree = Group.objects.get_or_create(name=roles.ANIMATEUR)
    if user.ateliers_animes.filter(cycle__statut=Cycle.Statut.EN_COURS).exists():
        user.groups.add(groupe)
    else:
        user.groups.remove(groupe)
    user.__dict__.pop("_noms_groupes", None)


# --- Membership -----------------------------------------------------------------------------------

def rejoindre(atelier, user, message=""):
    """Join an open atelier, or ask to join one on request (its animateur·rice·s are told)."""
    _verifier_actif(atelier)
    if atelier.animateurs.filter(pk=user.pk).exists():
        raise ActionImpossible(_("Vous animez cet atelier : vous en faites déjà partie."))
    existante = Participation.objects.filter(atelier=atelier, user=user).first()
    if existante and existante.statut == PS.ACCEPTEE:
        raise ActionImpossible(_("Vous faites déjà partie de cet atelier."))
    if existante and existante.statut == PS.DEMANDEE:
        raise ActionImpossible(_("Votre demande est déjà en attente de réponse de l'animation."))
    statut = PS.ACCEPTEE if atelier.est_ouvert else PS.DEMANDEE
    maintenant = timezone.now()
    try:
        with transaction.atomic():
            if existante:  # someone who left, or was refused, asks again
                existante.statut, existante.message = statut, message
                existante.cree_le = existante.modifie_le = maintenant
                existante.decide_par = None
                existante.save()
                participation = existante
            else:
                participation = Participation.objects.create(atelier=atelier, user=user, statut=statut,
                                                             message=message, modifie_le=maintenant)
            consigner(participation, "conseil.participation.demandee" if statut == PS.DEMANDEE
                      else "conseil.participation.rejointe", user, atelier_id=atelier.pk, statut=statut)
            if statut == PS.DEMANDEE:
                for animateur in atelier.animateurs.filter(is_active=True):
                    notifier(animateur, _("%(nom)s demande à rejoindre l'atelier « %(atelier)s »")
                             % {"nom": user.nom_public, "atelier": atelier.titre},
                             message, url=reverse("ateliers:gerer", args=[atelier.slug]), categorie="ateliers")
    except IntegrityError as exc:  # a double click raced the check above
        raise ActionImpossible(_("Vous faites déjà partie de cet atelier.")) from exc
    return participation


@transaction.atomic
def quitter(atelier, user):
    """Leave an atelier (or withdraw a pending request); its meetings leave the personal feed."""
    participation = Participation.objects.select_for_update().filter(
        atelier=atelier, user=user, statut__in=[PS.ACCEPTEE, PS.DEMANDEE]).first()
    if participation is None:
        if atelier.animateurs.filter(pk=user.pk).exists():
            raise ActionImpossible(_("Vous animez cet atelier : demandez au secrétariat de vous remplacer."))
        raise ActionImpossible(_("Vous ne faites pas partie de cet atelier."))
    participation.statut = PS.PARTIE
    participation.modifie_le = timezone.now()
    participation.save(update_fields=["statut", "modifie_le"])
    consigner(participation, "conseil.participation.quittee", user, atelier_id=atelier.pk, statut=participation.statut)
    return participation


@transaction.atomic
def decider_participation(participation, par, accepter):
    """Accept or refuse a request to join an atelier on request; the person is told."""
    participation = Participation.objects.select_for_update().select_related("atelier__cycle", "user").get(
        pk=participation.pk)
    _verifier_actif(participation.atelier)
    if not (par and par.has_perm("ateliers.gerer", participation.atelier)):
        raise ActionImpossible(_("Seule l'animation de l'atelier et le secrétariat répondent à cette demande."))
    if participation.statut != PS.DEMANDEE:
        raise ActionImpossible(_("Cette demande a déjà reçu une réponse."))
    PARTICIPATION.verifier(participation.statut, PS.ACCEPTEE if accepter else PS.REFUSEE)
    participation.statut = PS.ACCEPTEE if accepter else PS.REFUSEE
    participation.decide_par = par
    participation.modifie_le = timezone.now()
    participation.save(update_fields=["statut", "decide_par", "modifie_le"])
    consigner(participation, "conseil.participation.acceptee" if accepter else "conseil.participation.refusee", par,
              atelier_id=participation.atelier_id, user_id=participation.user_id)
    if accepter:
        titre = _("Bienvenue dans l'atelier « %(atelier)s »")
    else:
        titre = _("Votre demande pour rejoindre l'atelier « %(atelier)s » n'a pas été acceptée")
    notifier(participation.user, titre % {"atelier": participation.atelier.titre},
             url=participation.atelier.get_absolute_url(), categorie="ateliers", courriel=True)
    return participation


# --- Meetings -------------------------------------------------------------------------------------

def _slug_reunion(atelier, debut):
    base = slugify(f"{atelier.slug}-{timezone.localtime(debut):%Y-%m-%d}")[:180]
    slug, n = base, 2
    while Evenement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _quand(evenement):
    """« mardi 8 décembre 2026 à 9 h 30 », as the pages write times."""
    debut = timezone.localtime(evenement.debut)
    heure = f"{debut.hour} h {debut.minute:02d}" if debut.minute else f"{debut.hour} h"
    return _("%(jour)s à %(heure)s") % {"jour": formats.date_format(debut, "l j F Y"), "heure": heure}


@transaction.atomic
def planifier_reunion(atelier, evenement, par, ordre_du_jour=""):
    """Schedule a meeting: ``evenement`` (unsaved, with its date, place and visibility) joins the agenda
    as a published *réunion d'atelier*; the atelier's members are told (in-app and by e-mail)."""
    _verifier_actif(atelier)
    evenement.type = TypeEvenement.REUNION_ATELIER
    evenement.publication = Evenement.Publication.PUBLIE
    evenement.titre = evenement.titre or _("Réunion de l'atelier « %(atelier)s »") % {"atelier": atelier.titre}
    evenement.slug = evenement.slug or _slug_reunion(atelier, evenement.debut)
    evenement.propose_par = par
    evenement.organisateurs_texte = evenement.organisateurs_texte or _("Atelier « %(atelier)s »") % {
        "atelier": atelier.titre}
    for essai in range(5):  # two meetings of the same atelier on the same day, created at once
        try:
            with transaction.atomic():
                evenement.save()
            break
        except IntegrityError:
            if essai == 4 or not Evenement.objects.filter(slug=evenement.slug).exists():
                raise
            evenement.pk, evenement.uid = None, ""
            evenement.slug = f"{evenement.slug[:170]}-{secrets.token_hex(3)}"
    evenement.champs.set(atelier.champs.all())
    evenement.structures.set(atelier.structures_coanimatrices.all())
    reunion = Reunion.objects.create(atelier=atelier, evenement=evenement, ordre_du_jour=ordre_du_jour,
                                     cree_par=par)
    consigner(reunion, "conseil.reunion.planifiee", par, atelier_id=atelier.pk, evenement_id=evenement.pk)
    _prevenir_membres(
        atelier, _("Nouvelle réunion de l'atelier « %(atelier)s » : %(quand)s")
        % {"atelier": atelier.titre, "quand": _quand(evenement)},
        evenement.resume, url=reunion.get_absolute_url(), sauf=par,
    )
    return reunion


def enregistrer_reunion_passee(atelier, evenement, par, *, presents=(), participants_sans_compte=0,
                               compte_rendu="", interne=False, publier=False, ordre_du_jour=""):
    """Record a meeting that was held without being scheduled here: ``evenement`` (unsaved, in the past)
    joins the agenda as a published *réunion d'atelier*, with its attendance and, if given, its minutes
    (draft, or published when ``publier``). The audit trail marks it « réunion non planifiée enregistrée
    a posteriori »; members are told only about published minutes (no « new meeting » message)."""
    if not (par and par.has_perm("ateliers.gerer", atelier)):
        raise ActionImpossible(_("Seules l'animation de l'atelier et le secrétariat enregistrent ses réunions."))
    if not par.has_perm("ateliers.administrer"):
        _verifier_actif(atelier)
    if evenement.debut is None or evenement.debut > timezone.now():
        raise ActionImpossible(_("Cette réunion n'a pas encore eu lieu : planifiez-la plutôt."))
    with transaction.atomic():
        evenement.type = TypeEvenement.REUNION_ATELIER
        evenement.publication = Evenement.Publication.PUBLIE
        evenement.titre = evenement.titre or _("Réunion de l'atelier « %(atelier)s »") % {"atelier": atelier.titre}
        evenement.slug = evenement.slug or _slug_reunion(atelier, evenement.debut)
        evenement.propose_par = par
        evenement.organisateurs_texte = evenement.organisateurs_texte or _("Atelier « %(atelier)s »") % {
            "atelier": atelier.titre}
        evenement.save()
        evenement.champs.set(atelier.champs.all())
        evenement.structures.set(atelier.structures_coanimatrices.all())
        reunion = Reunion.objects.create(atelier=atelier, evenement=evenement, ordre_du_jour=ordre_du_jour,
                                         cree_par=par)
        consigner(reunion, "conseil.reunion.enregistree_a_posteriori", par, atelier_id=atelier.pk,
                  evenement_id=evenement.pk)
        reunion = enregistrer_presences(reunion, presents, participants_sans_compte, par)
        if compte_rendu.strip():
            minutes = enregistrer_compte_rendu(reunion, compte_rendu, interne, par)
            if publier:
                publier_compte_rendu(minutes, par)
    return reunion


# The fields of a meeting's event that the animation edits; the rest (status, publication, SEQUENCE…)
# is read from the locked row, so an edit never undoes a cancellation made meanwhile.
CHAMPS_MODIFIABLES = ("titre", "debut", "fin", "mode", "lieu_id", "precision_lieu", "lien_en_ligne", "visibilite",
                      "resume", "description")


@transaction.atomic
def modifier_reunion(reunion, evenement, par, ordre_du_jour=None):
    """Save a meeting's edited event; when its time or place changed, members are told it moved."""
    _verifier_actif(reunion.atelier)
    actuel = Evenement.objects.select_for_update().get(pk=evenement.pk)
    if actuel.est_annule:
        raise ActionImpossible(_("Cette réunion est annulée : elle ne peut plus être modifiée."))
    sequence_avant = actuel.sequence
    if actuel.lieu_id != evenement.lieu_id:
        actuel.commune_id = None  # follows the new venue (Evenement.save)
    for champ in CHAMPS_MODIFIABLES:
        setattr(actuel, champ, getattr(evenement, champ))
    actuel.save()
    if ordre_du_jour is not None:
        reunion.ordre_du_jour = ordre_du_jour
        reunion.save(update_fields=["ordre_du_jour"])
    consigner(reunion, "conseil.reunion.modifiee", par, deplacee=actuel.sequence > sequence_avant)
    if actuel.sequence > sequence_avant:
        _prevenir_membres(
            reunion.atelier, _("Réunion déplacée : atelier « %(atelier)s », désormais %(quand)s")
            % {"atelier": reunion.atelier.titre, "quand": _quand(actuel)},
            _("Le lieu ou l'horaire a changé ; votre agenda abonné se met à jour."),
            url=reunion.get_absolute_url(), sauf=par, urgent=True,
        )
    reunion.evenement = actuel
    return reunion


def annuler_reunion(reunion, par, motif):
    """Cancel a meeting: it stays in the agenda and the feeds marked cancelled; members are told."""
    _verifier_actif(reunion.atelier)
    with transaction.atomic():
        if Evenement.objects.select_for_update().get(pk=reunion.evenement_id).est_annule:
            raise ActionImpossible(_("Cette réunion est déjà annulée."))
        evenement = services_agenda.changer_statut(reunion.evenement, Evenement.Statut.ANNULE, par, motif)
        consigner(reunion, "conseil.reunion.annulee", par, motif=motif)
        _prevenir_membres(
            reunion.atelier, _("Réunion annulée : atelier « %(atelier)s » du %(quand)s")
            % {"atelier": reunion.atelier.titre, "quand": _quand(evenement)},
            motif, url=reunion.get_absolute_url(), sauf=par, urgent=True,
        )
    reunion.evenement.refresh_from_db()
    return reunion


@transaction.atomic
def enregistrer_presences(reunion, presents, participants_sans_compte, par):
    """Record who attended (people with an account, by their membership) and how many others came."""
    reunion = Reunion.objects.select_for_update().select_related("evenement").get(pk=reunion.pk)
    if reunion.evenement.debut > timezone.now():
        raise ActionImpossible(_("La réunion n'a pas encore commencé : les présences se saisissent le jour même "
                                 "ou après."))
    if reunion.evenement.est_annule:
        raise ActionImpossible(_("Cette réunion a été annulée : aucune présence à saisir."))
    # Anyone with an account may be recorded (a public meeting welcomes non-members); the page offers
    # the atelier's members and those already recorded.
    ids = {p.pk for p in presents}
    reunion.presences.exclude(user_id__in=ids).delete()
    deja = set(reunion.presences.values_list("user_id", flat=True))
    Presence.objects.bulk_create(
        [Presence(reunion=reunion, user_id=pk, enregistree_par=par) for pk in ids - deja]
    )
    reunion.nb_presents = len(ids)
    reunion.participants_sans_compte = participants_sans_compte
    reunion.presences_saisies_le = timezone.now()
    reunion.save(update_fields=["nb_presents", "participants_sans_compte", "presences_saisies_le"])
    consigner(reunion, "conseil.reunion.presences", par, nb_presents=reunion.nb_presents,
              participants_sans_compte=participants_sans_compte)
    return reunion


# --- Minutes --------------------------------------------------------------------------------------

@transaction.atomic
def enregistrer_compte_rendu(reunion, contenu, interne, par):
    """Create or update a meeting's minutes (cleaned by its ``TexteRiche`` field). Published minutes stay published."""
    if not (contenu or "").strip():
        raise ActionImpossible(_("Le compte rendu est vide."))
    compte_rendu, _cree = CompteRendu.objects.select_for_update().get_or_create(
        reunion=reunion, defaults={"contenu": contenu, "interne": interne, "redige_par": par})
    if not _cree:
        compte_rendu.contenu, compte_rendu.interne = contenu, interne
        compte_rendu.save()
    consigner(compte_rendu, "conseil.compte_rendu.enregistre", par, reunion_id=reunion.pk, interne=interne)
    return compte_rendu


@transaction.atomic
def publier_compte_rendu(compte_rendu, par):
    """Publish minutes; the atelier's members are told (in-app and by e-mail)."""
    compte_rendu = CompteRendu.objects.select_for_update().select_related("reunion__atelier__cycle",
                                                                         "reunion__evenement").get(pk=compte_rendu.pk)
    if compte_rendu.est_publie:
        raise ActionImpossible(_("Ce compte rendu est déjà publié."))
    if compte_rendu.reunion.evenement.debut > timezone.now():
        raise ActionImpossible(_("La réunion n'a pas encore eu lieu : son compte rendu ne peut pas être publié."))
    COMPTE_RENDU.verifier(compte_rendu.statut, CompteRendu.Statut.PUBLIE)
    compte_rendu.statut = CompteRendu.Statut.PUBLIE
    compte_rendu.publie_le = timezone.now()
    compte_rendu.save()
    consigner(compte_rendu, "conseil.compte_rendu.publie", par, reunion_id=compte_rendu.reunion_id)
    reunion = compte_rendu.reunion
    _prevenir_membres(
        reunion.atelier, _("Compte rendu publié : atelier « %(atelier)s », réunion du %(quand)s")
        % {"atelier": reunion.atelier.titre, "quand": _quand(reunion.evenement)},
        url=reunion.get_absolute_url(), sauf=par,
    )
    return compte_rendu


@transaction.atomic
def retirer_compte_rendu(compte_rendu, par):
    """Put published minutes back to draft (e.g. published by mistake)."""
    if not compte_rendu.est_publie:
        raise ActionImpossible(_("Ce compte rendu n'est pas publié."))
    COMPTE_RENDU.verifier(compte_rendu.statut, CompteRendu.Statut.BROUILLON)
    compte_rendu.statut = CompteRendu.Statut.BROUILLON
    compte_rendu.publie_le = None
    compte_rendu.save()
    consigner(compte_rendu, "conseil.compte_rendu.retire", par, reunion_id=compte_rendu.reunion_id)
    return compte_rendu


def ajouter_document(compte_rendu, titre, fichier, par):
    """Attach a file to minutes; its type and size are checked here too, whoever calls."""
    from datetime import timedelta

    from .validators import verifier_plafonds_pieces_jointes

    document = DocumentCompteRendu(compte_rendu=compte_rendu, titre=titre, fichier=fichier, ajoute_par=par)
    try:
        verifier_plafonds_pieces_jointes(
            DocumentCompteRendu.objects.filter(compte_rendu=compte_rendu).count(),
            DocumentCompteRendu.objects.filter(ajoute_par=par,
                                               ajoute_le__gte=timezone.now() - timedelta(days=1)).count() if par else 0)
        document.full_clean()
    except ValidationError as exc:
        raise ActionImpossible(" ".join(exc.messages)) from exc
    with transaction.atomic():
        document.save()
        consigner(compte_rendu, "conseil.compte_rendu.document_ajoute", par, document_id=document.pk)
    return document


@transaction.atomic
def supprimer_document(document, par):
    """Remove a document; its file goes once the removal is committed."""
    fichier, stockage = document.fichier.name, document.fichier.storage
    consigner(document.compte_rendu, "conseil.compte_rendu.document_supprime", par, document_id=document.pk)
    document.delete()
    transaction.on_commit(lambda: stockage.delete(fichier))


# --- Cycles and annual themes ---------------------------------------------------------------------

def _exiger_secretariat(par, objet):
    if not (par and par.has_perm("ateliers.administrer", objet)):
        raise ActionImpossible(_("Seul le secrétariat du Conseil gère les cycles et les thématiques."))


def enregistrer_cycle(cycle, champs, *, par):
    """Save a cycle written in the back office (a new one is in progress); its archiving is ``archiver_cycle``."""
    _exiger_secretariat(par, cycle)
    return ecrire(cycle, champs, proteges=("statut", "archive_le", "is_demo"))


def enregistrer_thematique(thematique, champs, *, par):
    """Save an annual theme written in the back office (a new one is proposed); its status is
    ``changer_statut_thematique`` (or the closing of its scrutin in plenary)."""
    _exiger_secretariat(par, thematique)
    return ecrire(thematique, champs, proteges=("statut", "is_demo"))


@transaction.atomic
def changer_statut_thematique(thematique, statut, *, par):
    """Record by hand that an annual theme was retained or not (e.g. a vote held before the platform)."""
    _exiger_secretariat(par, thematique)
    if statut not in ThematiqueAnnuelle.Statut.values:
        raise ActionImpossible(_("Statut inconnu."))
    thematique = ThematiqueAnnuelle.objects.select_for_update().get(pk=thematique.pk)
    thematique.statut = statut
    thematique.save(update_fields=["statut"])
    consigner(thematique, "conseil.thematique.statut", par, statut=statut)
    return thematique


@transaction.atomic
def archiver_cycle(cycle, par):
    """Archive a cycle: its ateliers stay readable, nobody joins them or schedules meetings any more."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.est_archive:
        raise ActionImpossible(_("Ce cycle est déjà archivé."))
    CYCLE.verifier(cycle.statut, Cycle.Statut.ARCHIVE)
    cycle.statut = Cycle.Statut.ARCHIVE
    cycle.archive_le = timezone.now()
    cycle.save(update_fields=["statut", "archive_le"])
    consigner(cycle, "conseil.cycle.archive", par, statut=cycle.statut)
    for user in get_user_model().objects.filter(ateliers_animes__cycle=cycle).distinct():
        synchroniser_groupe_animateur(user)
    return cycle


def derniere_modification_participations(user):
    """Return when ``user`` last joined or left an atelier (None for nobody, or an anonymous visitor)."""
    if not (user and user.is_authenticated):
        return None
    return Participation.objects.filter(user=user).aggregate(m=Max("modifie_le"))["m"]
