"""Actions on events: proposing and editing, moderation, status, registration. Views, the admin and the demo
all call these; no view or admin form saves an event or a registration itself.

Scarce places are guarded as pretix does: the event row is locked (``select_for_update``) once,
late, and the ``nb_confirmes <= capacite`` check constraint backs the lock.
"""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conseil_ess.comptes import roles
from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.models import Structure
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.ecritures import ecrire

from .courriels import prevenir_inscription
from .etats import PUBLICATION, STATUT
from .models import Evenement, Inscription

P = Evenement.Publication
# What moderation, the status and the registrations write: never an edit form.
CHAMPS_DES_SERVICES = ("publication", "message_moderation", "statut", "motif_statut", "nb_confirmes", "uid",
                       "sequence", "propose_par", "cree_le", "modifie_le", "is_demo", "identifiant_externe")

__all__ = [
    "ActionImpossible", "annuler_inscription", "changer_statut", "creer_evenement", "demander_modifications",
    "importer_evenements", "inscrire", "modifier_evenement", "promouvoir_liste_attente", "proposer_evenement",
    "publier",
    "publier_en_masse", "refuser", "renouveler_jeton_agenda", "soumettre",
]


def moderateurs():
    """Return the people who moderate submitted events (agents, and those given the right)."""
    return get_user_model().objects.filter(
        Q(groups__name__in=[roles.AGENT, roles.ADMINISTRATEUR])
        | Q(user_permissions__codename="moderer_evenement")
        | Q(groups__permissions__codename="moderer_evenement"),
        is_active=True,
    ).distinct()


def _verrouiller(evenement):
    return Evenement.objects.select_for_update().get(pk=evenement.pk)


def _prevenir_proposant(evenement, titre, message=""):
    if evenement.propose_par_id:
        notifier(evenement.propose_par, titre, message, url=evenement.get_absolute_url(), categorie="evenements")


def _exiger(par, regle, evenement, message):
    if not (par and par.has_perm(regle, evenement)):
        raise ActionImpossible(message)


def proposer_evenement(evenement, relations=None, *, par):
    """Save an event an actor proposes as their draft (``soumettre`` then sends it to moderation)."""
    _exiger(par, "evenements.proposer", None, _("Connectez-vous pour proposer un événement."))
    evenement.propose_par = par
    evenement.publication = P.BROUILLON
    evenement = ecrire(evenement, relations=relations)
    consigner(evenement, "conseil.evenement.propose", par, publication=evenement.publication)
    return evenement


def creer_evenement(evenement, relations=None, *, par):
    """Save an event written in the back office (a draft, published from its moderation buttons)."""
    _exiger(par, "evenements.moderer", None, _("Seule l'équipe de modération crée un événement ici."))
    evenement.publication = P.BROUILLON
    return ecrire(evenement, relations=relations)


@transaction.atomic
def modifier_evenement(evenement, champs, relations=None, *, par):
    """Save an event's edited ``champs`` and ``relations`` on its locked row, never its moderation, status or
    counter (they may have moved since the form was opened); a raised capacity serves the waiting list."""
    _exiger(par, "evenements.modifier", _verrouiller(evenement), _("Vous ne pouvez pas modifier cet événement."))
    ecrire(evenement, champs, relations, proteges=CHAMPS_DES_SERVICES)
    promouvoir_liste_attente(evenement)
    evenement.refresh_from_db()
    return evenement


def renouveler_jeton_agenda(user):
    """Give ``user`` a new personal feed token: the old link stops working at once."""
    user.jeton_agenda = secrets.token_urlsafe()
    user.save(update_fields=["jeton_agenda"])
    return user.jeton_agenda


@transaction.atomic
def soumettre(evenement, par):
    """Send a draft (or an event sent back for changes, or an edited published one) to moderation."""
    evenement = _verrouiller(evenement)
    if evenement.publication == P.REFUSE:
        raise ActionImpossible(_("Cet événement a été refusé : il ne peut plus être soumis."))
    _exiger(par, "evenements.modifier", evenement, _("Vous ne pouvez pas soumettre cet événement."))
    if evenement.publication != P.A_MODERER:
        PUBLICATION.verifier(evenement.publication, P.A_MODERER)
    evenement.publication = P.A_MODERER
    evenement.save(update_fields=["publication"])
    consigner(evenement, "conseil.evenement.soumis", par, publication=evenement.publication)
    for moderateur in moderateurs():
        notifier(moderateur, _("Événement à modérer : %(titre)s") % {"titre": evenement.titre},
                 url="/admin/", categorie="moderation")
    return evenement


def jours_locaux(evenement):
    """The first and last local days of ``evenement`` (its ``fin`` is exclusive)."""
    debut = timezone.localtime(evenement.debut).date()
    fin = timezone.localtime(evenement.fin - datetime.timedelta(microseconds=1)).date()
    return debut, max(debut, fin)


def hors_du_programme(evenement, programme):
    """True when ``evenement`` does not fall within ``programme``'s days."""
    debut, fin = jours_locaux(evenement)
    return debut < programme.date_debut or fin > programme.date_fin


def problemes_de_publication(evenement):
    """Why ``evenement`` may not be published now (French sentences; empty when it may): it is over, it
    falls outside its programme's days, or one of its organising structures is not validated."""
    problemes = []
    if evenement.fin <= timezone.now():
        problemes.append(_("« %(titre)s » est déjà passé : un événement passé ne se publie pas.")
                         % {"titre": evenement.titre})
    programme = evenement.programme
    if programme is not None and hors_du_programme(evenement, programme):
        problemes.append(_(
            "« %(titre)s » a lieu hors des dates du programme « %(programme)s » (du %(du)s au %(au)s) : "
            "corrigez sa date ou retirez-le du programme.") % {
            "titre": evenement.titre, "programme": programme.titre,
            "du": date_format(programme.date_debut, "j F Y"), "au": date_format(programme.date_fin, "j F Y")})
    en_attente = [s.nom for s in evenement.structures.all() if s.statut != Structure.Statut.VALIDEE]
    if en_attente:
        problemes.append(ngettext(
            "La structure « %(noms)s » n'est pas encore validée par le secrétariat : seules les structures "
            "validées organisent un événement publié.",
            "Les structures « %(noms)s » ne sont pas encore validées par le secrétariat : seules les structures "
            "validées organisent un événement publié.", len(en_attente)) % {"noms": " », « ".join(en_attente)})
    return problemes


@transaction.atomic
def publier(evenement, par):
    evenement = _verrouiller(evenement)
    _exiger(par, "evenements.moderer", evenement, _("Seule l'équipe de modération publie un événement."))
    if evenement.publication == P.PUBLIE:
        raise ActionImpossible(_("Cet événement est déjà publié."))
    problemes = problemes_de_publication(evenement)
    if problemes:
        raise ActionImpossible(" ".join(problemes))
    PUBLICATION.verifier(evenement.publication, P.PUBLIE)
    evenement.publication = P.PUBLIE
    evenement.message_moderation = ""
    evenement.save(update_fields=["publication", "message_moderation"])
    consigner(evenement, "conseil.evenement.publie", par, publication=evenement.publication)
    _prevenir_proposant(evenement, _("Votre événement « %(titre)s » est publié") % {"titre": evenement.titre},
                        _("Il apparaît dans l'agenda et dans les flux iCal."))
    return evenement


def publier_en_masse(evenements, par):
    """Publish every event of ``evenements`` awaiting moderation that may be published; return how many were.
    The others stay in the queue, where publishing one alone says why it may not be."""
    n = 0
    for evenement in evenements:
        if evenement.publication in PUBLICATION.etats_ou("en_attente"):
            try:
                publier(evenement, par)
            except ActionImpossible:
                continue
            n += 1
    return n


def _message_requis(message):
    if not (message or "").strip():
        raise ActionImpossible(_("Écrivez un message : il est transmis à la personne qui a proposé l'événement."))


def refuser(evenement, par, message):
    """Refuse a submitted event; the proposer receives the moderator's message."""
    return _renvoyer(evenement, P.REFUSE, message,
                     _("Votre événement « %(titre)s » n'a pas été retenu"), par=par)


def demander_modifications(evenement, par, message):
    """Send a submitted event back to its proposer with the changes asked for."""
    return _renvoyer(evenement, P.MODIFICATIONS, message,
                     _("Modifications demandées pour « %(titre)s »"), par=par)


@transaction.atomic
def _renvoyer(evenement, publication, message, titre, par=None):
    _message_requis(message)
    evenement = _verrouiller(evenement)
    _exiger(par, "evenements.moderer", evenement, _("Seule l'équipe de modération répond à une proposition."))
    if evenement.publication != publication:
        PUBLICATION.verifier(evenement.publication, publication)
    evenement.publication = publication
    evenement.message_moderation = message
    evenement.save(update_fields=["publication", "message_moderation"])
    consigner(evenement, "conseil.evenement.refuse" if publication == P.REFUSE else "conseil.evenement.a_modifier",
              par, publication=publication, motif=message)
    _prevenir_proposant(evenement, titre % {"titre": evenement.titre}, message)
    return evenement


@transaction.atomic
def changer_statut(evenement, statut, par, motif=""):
    """Mark an event confirmed, to be confirmed, postponed, full or cancelled; tell registered people."""
    _exiger(par, "evenements.changer_statut", evenement,
            _("Seules les personnes qui organisent cet événement et l'équipe de modération en changent le statut."))
    if statut not in Evenement.Statut.values:
        raise ActionImpossible(_("Statut inconnu."))
    if statut in STATUT.etats_ou("inscriptions_fermees") and not (motif or "").strip():
        raise ActionImpossible(_("Indiquez le motif : il est affiché publiquement et envoyé aux inscrit·e·s."))
    evenement = _verrouiller(evenement)
    ancien = evenement.statut
    if statut != ancien:
        STATUT.verifier(ancien, statut)
    evenement.statut = statut
    evenement.motif_statut = motif
    evenement.save(update_fields=["statut", "motif_statut"])
    consigner(evenement, "conseil.evenement.statut", par, statut=statut, ancien_statut=ancien, motif=motif)
    if statut != ancien and statut in STATUT.etats_ou("inscriptions_fermees"):
        libelle = evenement.get_statut_display().lower()
        inscrits = Inscription.objects.filter(evenement=evenement, user__isnull=False).exclude(
            statut=Inscription.Statut.ANNULEE).select_related("user")
        for inscription in inscrits:
            notifier(inscription.user,
                     _("« %(titre)s » est %(statut)s") % {"titre": evenement.titre, "statut": libelle},
                     motif, url=evenement.get_absolute_url(), categorie="evenements")
    return evenement


def inscrire(evenement, user):
    """Register ``user``: a confirmed place while places remain, else the waiting list (FIFO)."""
    try:
        with transaction.atomic():
            inscription = _inscrire(evenement, user)
    except IntegrityError as exc:
        # The partial unique constraints caught a concurrent double registration.
        raise ActionImpossible(_("Vous êtes déjà inscrit·e à cet événement ou à un atelier du même créneau.")) from exc
    # Once the event's row is unlocked: the .ics and the QR code of the confirmation take ~20 ms that the next
    # people registering at the opening of the registrations would otherwise wait for, one after the other.
    prevenir_inscription(inscription)
    return inscription


def _inscrire(evenement, user):
    evenement = _verrouiller(evenement)
    if not evenement.est_publie or not evenement.inscription_sur_plateforme:
        raise ActionImpossible(_("Les inscriptions ne sont pas ouvertes pour cet événement."))
    if evenement.statut in STATUT.etats_ou("inscriptions_fermees"):
        raise ActionImpossible(_("Cet événement est %(statut)s : les inscriptions sont fermées.")
                               % {"statut": evenement.get_statut_display().lower()})
    if evenement.fin <= timezone.now():
        raise ActionImpossible(_("Cet événement est passé."))
    actives = Inscription.objects.exclude(statut=Inscription.Statut.ANNULEE).filter(user=user)
    if actives.filter(evenement=evenement).exists():
        raise ActionImpossible(_("Vous êtes déjà inscrit·e à cet événement."))
    if evenement.creneau_id:
        autre = actives.filter(creneau_id=evenement.creneau_id).select_related("evenement").first()
        if autre:
            raise ActionImpossible(
                _("Vous êtes déjà inscrit·e à « %(atelier)s » sur ce créneau : un seul atelier par créneau. "
                  "Annulez d'abord cette inscription pour en choisir un autre.") % {"atelier": autre.evenement.titre}
            )
    confirmee = evenement.capacite is None or evenement.nb_confirmes < evenement.capacite
    inscription = Inscription.objects.create(
        evenement=evenement, user=user, creneau_id=evenement.creneau_id,
        statut=Inscription.Statut.CONFIRMEE if confirmee else Inscription.Statut.ATTENTE,
    )
    if confirmee:
        Evenement.objects.filter(pk=evenement.pk).update(nb_confirmes=F("nb_confirmes") + 1)
    consigner(inscription, "conseil.inscription.enregistree", user, evenement_id=evenement.pk,
              statut=inscription.statut)
    return inscription


def _promouvoir(evenement, nombre):
    """Confirm the first ``nombre`` people waiting (FIFO) and tell them (with the ``.ics``); the event row is
    locked."""
    promues = list(Inscription.objects.select_for_update()
                   .filter(evenement=evenement, statut=Inscription.Statut.ATTENTE, user__isnull=False)
                   .select_related("user").order_by("cree_le", "pk")[:nombre])
    for promue in promues:
        promue.statut = Inscription.Statut.CONFIRMEE
        promue.promue_le = timezone.now()
        promue.save(update_fields=["statut", "promue_le"])
        consigner(promue, "conseil.inscription.promue", evenement_id=evenement.pk, statut=promue.statut)
        promue.evenement = evenement
        prevenir_inscription(promue, promue=True)
    return promues


@transaction.atomic
def promouvoir_liste_attente(evenement):
    """After the capacity was raised (or removed), give the new places to the people waiting, in order."""
    evenement = _verrouiller(evenement)
    if evenement.capacite is None:
        libres = Inscription.objects.filter(evenement=evenement, statut=Inscription.Statut.ATTENTE).count()
    else:
        libres = max(evenement.capacite - evenement.nb_confirmes, 0)
    promues = _promouvoir(evenement, libres) if libres else []
    if promues:
        Evenement.objects.filter(pk=evenement.pk).update(nb_confirmes=F("nb_confirmes") + len(promues))
    return promues


@transaction.atomic
def annuler_inscription(inscription, par):
    """Cancel a registration; a freed place goes to the first person waiting, who is told."""
    evenement = _verrouiller(inscription.evenement)
    inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
    if inscription.statut == Inscription.Statut.ANNULEE:
        raise ActionImpossible(_("Cette inscription est déjà annulée."))
    etait_confirmee = inscription.statut == Inscription.Statut.CONFIRMEE
    inscription.statut = Inscription.Statut.ANNULEE
    inscription.annulee_le = timezone.now()
    inscription.save(update_fields=["statut", "annulee_le"])
    consigner(inscription, "conseil.inscription.annulee", par, evenement_id=evenement.pk, statut=inscription.statut)
    promue = None
    if etait_confirmee:
        promues = _promouvoir(evenement, 1)
        if promues:
            promue = promues[0]
        else:
            Evenement.objects.filter(pk=evenement.pk).update(nb_confirmes=F("nb_confirmes") - 1)
    return promue


# --- Bulk import (``importation.analyser`` reads and checks the file; this writes its valid rows) ----------


def _slug_libre(titre, debut, pris):
    """A free slug for a new event; ``pris``: the slugs taken (read once per import, completed here)."""
    from django.utils.text import slugify

    from .models import SLUGS_RESERVES

    base = (slugify(titre)[:170].strip("-") or "evenement") + "-" + timezone.localtime(debut).strftime("%Y-%m-%d")
    slug, n = base, 1
    while slug in SLUGS_RESERVES or slug in pris:
        n += 1
        slug = f"{base}-{n}"
    pris.add(slug)
    return slug


def _prevenir_organisateurs(evenement, structures, titre, message, personnes_par_structures):
    """Tell the accepted members of the organising ``structures`` (one notification each)."""
    from conseil_ess.comptes.models import Adhesion

    if not structures:
        return
    cle = tuple(sorted(s.pk for s in structures))
    if cle not in personnes_par_structures:
        personnes_par_structures[cle] = list(get_user_model().objects.filter(
            adhesions__structure__in=structures, adhesions__statut=Adhesion.Statut.ACCEPTEE, is_active=True)
            .distinct())
    for personne in personnes_par_structures[cle]:
        notifier(personne, titre % {"titre": evenement.titre}, message, url=evenement.get_absolute_url(),
                 categorie="evenements")


def _motif_import():
    return _("Annulé par l'organisateur (mis à jour par import).")
CHAMPS_IMPORTES = ("titre", "resume", "description", "type", "debut", "fin", "journee_entiere", "mode", "lieu",
                   "commune", "precision_lieu", "lien_en_ligne", "programme", "gratuit", "tarif", "accessibilite",
                   "boucle_magnetique", "interpretation_lsf", "sous_titrage", "facile_a_lire", "inscription",
                   "lien_inscription", "capacite")


@transaction.atomic
def importer_evenements(analyse, *, par, publier_aussi=False):
    """Write the valid rows of ``analyse`` (``evenements.importation``): create new events (in the moderation
    queue, or published when ``publier_aussi`` and they may be), update those with the same external
    identifier (SEQUENCE rises with time, place or status), skip unchanged rows and near-duplicates.

    Return a report {"crees", "mis_a_jour", "inchanges", "doublons", "non_publies", "invalides"}. A file with a
    file-level error writes nothing (``ActionImpossible``).
    """
    _exiger(par, "evenements.importer", None, _("Seule l'équipe de modération importe des événements."))
    if analyse.erreurs_fichier:
        raise ActionImpossible(" ".join(str(e) for e in analyse.erreurs_fichier))
    rapport = {"crees": [], "mis_a_jour": [], "inchanges": 0, "doublons": 0, "non_publies": [],
               "invalides": len(analyse.invalides)}
    slugs_pris = set(Evenement.objects.values_list("slug", flat=True)) if analyse.nombre("creation") else set()
    personnes_par_structures = {}
    for ligne in analyse.valides:
        if ligne.action in ("inchange", "doublon"):
            rapport["inchanges" if ligne.action == "inchange" else "doublons"] += 1
            continue
        champs = {nom: ligne.champs[nom] for nom in CHAMPS_IMPORTES}
        statut = ligne.champs.get("statut", Evenement.Statut.CONFIRME)
        if ligne.action == "creation":
            evenement = Evenement(**champs, slug=_slug_libre(champs["titre"], champs["debut"], slugs_pris),
                                  identifiant_externe=ligne.identifiant_externe, publication=P.A_MODERER,
                                  statut=statut,
                                  motif_statut=_motif_import() if statut == Evenement.Statut.ANNULE else "")
            # A new event has no relations yet: only the non-empty ones are written.
            evenement = ecrire(evenement, relations={nom: v for nom, v in ligne.relations.items() if v})
            consigner(evenement, "conseil.evenement.importe", par, publication=evenement.publication,
                      identifiant_externe=ligne.identifiant_externe)
            rapport["crees"].append(evenement)
        else:
            evenement = _verrouiller(ligne.existant)
            for nom, valeur in champs.items():
                setattr(evenement, nom, valeur)
            ecrire(evenement, list(champs), ligne.relations, proteges=CHAMPS_DES_SERVICES)
            if statut != evenement.statut:
                changer_statut(evenement, statut, par,
                               motif=_motif_import() if statut in STATUT.etats_ou("inscriptions_fermees")
                               else "")
            evenement.refresh_from_db()
            consigner(evenement, "conseil.evenement.importe_maj", par, identifiant_externe=ligne.identifiant_externe,
                      sequence=evenement.sequence)
            rapport["mis_a_jour"].append(evenement)
        if publier_aussi and evenement.publication != P.PUBLIE:
            problemes = problemes_de_publication(evenement)
            if problemes:
                rapport["non_publies"].append((evenement, problemes))
            else:
                evenement = publier(evenement, par)
        _prevenir_organisateurs(
            evenement, ligne.relations.get("structures"),
            _("Votre événement « %(titre)s » a été ajouté à l'agenda") if ligne.action == "creation"
            else _("Votre événement « %(titre)s » a été mis à jour"),
            _("Il est publié dans l'agenda.") if evenement.publication == P.PUBLIE
            else _("Il sera publié après relecture par l'équipe de modération."), personnes_par_structures)
    return rapport
