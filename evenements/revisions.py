"""Pending revisions of published events (issue 18): an organiser's change to a published event waits for a
moderator while the agenda, the event's page and the feeds keep the published version (same UID, same
SEQUENCE). Accepting writes what the organiser changed through ``conseil_ess.ecritures.ecrire``, so
``Evenement.save`` raises SEQUENCE when time, place or status changed. Minor fields
(``EVENEMENTS_CHAMPS_MINEURS``) may go live at once when ``EVENEMENTS_MODIFICATIONS_MINEURES_DIRECTES`` is on.

A revision keeps the published values it was based on (``valeurs_base``): a field changed on the event since
then and also changed, differently, by the revision is a conflict; the moderator is told and must confirm to
replace it. Nothing is overwritten silently: every revision is kept, with its state.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.ecritures import ecrire

from .models import Evenement, RevisionEvenement

R = RevisionEvenement.Statut
# Text fields a typo fix touches: the default of EVENEMENTS_CHAMPS_MINEURS (none of them changes SEQUENCE).
CHAMPS_MINEURS_PAR_DEFAUT = ("resume", "description", "intervenants", "infos_accessibilite")


def champs_mineurs():
    return tuple(getattr(settings, "EVENEMENTS_CHAMPS_MINEURS", CHAMPS_MINEURS_PAR_DEFAUT))


def mineures_directes():
    return bool(getattr(settings, "EVENEMENTS_MODIFICATIONS_MINEURES_DIRECTES", False))


def _champ(nom):
    return Evenement._meta.get_field(nom)


def _serialiser(valeur):
    if isinstance(valeur, datetime.datetime):
        return valeur.isoformat()
    return valeur


def _deserialiser(champ, valeur):
    if champ.get_internal_type() == "DateTimeField" and isinstance(valeur, str):
        return parse_datetime(valeur)
    return valeur


def _egales(champ, a, b):
    """Compare two stored values (dates compared as instants, whatever their offset)."""
    return _deserialiser(champ, a) == _deserialiser(champ, b)


def valeurs_actuelles(evenement, noms):
    """The event's current values of ``noms``, in the revisions' form (ids, sorted id lists, ISO dates)."""
    valeurs = {}
    for nom in noms:
        champ = _champ(nom)
        if champ.many_to_many:
            valeurs[nom] = sorted(o.pk for o in getattr(evenement, nom).all())
        else:
            valeurs[nom] = _serialiser(getattr(evenement, champ.attname))
    return valeurs


def valeurs_du_formulaire(form):
    """The values a valid ``EvenementForm`` proposes (its instance is changed in memory, never saved here)."""
    evenement, champs, relations = form.ecritures()
    valeurs = {nom: _serialiser(getattr(evenement, _champ(nom).attname)) for nom in champs}
    valeurs.update({nom: sorted(o.pk for o in objets) for nom, objets in relations.items()})
    return valeurs


def appliquer_en_memoire(evenement, valeurs):
    """Put a revision's values on ``evenement`` (not saved), to prefill the edit form; return the many-to-many
    values as the form's ``initial``."""
    initial = {}
    for nom, valeur in valeurs.items():
        champ = _champ(nom)
        if champ.many_to_many:
            initial[nom] = valeur
        else:
            setattr(evenement, champ.attname, _deserialiser(champ, valeur))
    return initial


def changements(valeurs, actuelles):
    """The fields of ``valeurs`` that differ from ``actuelles``."""
    return [nom for nom, valeur in valeurs.items() if not _egales(_champ(nom), valeur, actuelles.get(nom))]


def modifies_depuis(revision, actuelles):
    """The fields changed on the event since the revision was based on it."""
    return [
        nom
        for nom, base in revision.valeurs_base.items()
        if nom in actuelles and not _egales(_champ(nom), base, actuelles[nom])
    ]


def conflits(revision, actuelles):
    """The fields changed on the event since the revision's base AND changed differently by the revision."""
    return [
        nom
        for nom in modifies_depuis(revision, actuelles)
        if not _egales(_champ(nom), revision.valeurs.get(nom), revision.valeurs_base[nom])
        and not _egales(_champ(nom), revision.valeurs.get(nom), actuelles[nom])
    ]


def a_ecrire(revision, actuelles):
    """What accepting writes: the fields the organiser changed from their base that the event does not hold
    yet. A field changed on the event meanwhile and left alone by the revision is kept."""
    base = revision.valeurs_base
    return {
        nom: valeur
        for nom, valeur in revision.valeurs.items()
        if (nom not in base or not _egales(_champ(nom), valeur, base[nom]))
        and not _egales(_champ(nom), valeur, actuelles.get(nom))
    }


def libelle(nom):
    champ = _champ(nom)
    texte = str(champ.verbose_name)
    return texte[:1].upper() + texte[1:]


def libelles(noms):
    return ", ".join(f"« {libelle(nom)} »" for nom in noms)


def _verrouiller(evenement):
    return Evenement.objects.select_for_update().get(pk=evenement.pk)


def _exiger(par, regle, objet, message):
    if not (par and par.has_perm(regle, objet)):
        raise ActionImpossible(message)


def _ecrire(evenement, valeurs):
    """Write ``valeurs`` on the (locked) event through ``ecrire``; serve the waiting list if places were added."""
    from .services import CHAMPS_DES_SERVICES, promouvoir_liste_attente

    champs, relations = [], {}
    for nom, valeur in valeurs.items():
        champ = _champ(nom)
        if champ.many_to_many:
            relations[nom] = list(champ.related_model.objects.filter(pk__in=valeur))
        else:
            setattr(evenement, champ.attname, _deserialiser(champ, valeur))
            champs.append(nom)
    ecrire(evenement, champs, relations, proteges=CHAMPS_DES_SERVICES)
    if "capacite" in champs:
        promouvoir_liste_attente(evenement)
    evenement.refresh_from_db()
    return evenement


def en_attente_de(evenement, user):
    """``user``'s pending revision of ``evenement``, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return RevisionEvenement.objects.filter(evenement=evenement, auteur=user, statut=R.EN_ATTENTE).first()


def _prevenir_moderateurs(revision):
    from django.urls import reverse

    from .services import moderateurs

    url = reverse("evenements_revisions:detail", args=[revision.pk])
    for moderateur in moderateurs():
        notifier(
            moderateur,
            _("Modification d'un événement publié à valider : %(titre)s") % {"titre": revision.evenement.titre},
            url=url,
            categorie="moderation",
        )


def _prevenir_auteur(revision, titre, message=""):
    if revision.auteur_id:
        notifier(
            revision.auteur,
            titre % {"titre": revision.evenement.titre},
            message,
            url=revision.evenement.get_absolute_url(),
            categorie="evenements",
        )


@transaction.atomic
def proposer_revision(evenement, valeurs, *, par):
    """Record ``par``'s proposed ``valeurs`` for the published ``evenement``; return (the pending revision or
    None, the minor fields that went live at once).

    The person's pending revision of the event, if any, is updated (its base is kept); a revision of another
    organiser stays as it is. A revision left with nothing to change is withdrawn.
    """
    evenement = _verrouiller(evenement)
    _exiger(
        par,
        "evenements.reviser",
        evenement,
        _("Seules les personnes qui organisent cet événement publié proposent une modification."),
    )
    actuelles = valeurs_actuelles(evenement, valeurs)
    directes = []
    if mineures_directes():
        mineurs = champs_mineurs()
        directes = [nom for nom in changements(valeurs, actuelles) if nom in mineurs]
    if directes:
        evenement = _ecrire(evenement, {nom: valeurs[nom] for nom in directes})
        consigner(
            evenement, "conseil.evenement.modification_mineure", par, champs=directes, sequence=evenement.sequence
        )
        actuelles = valeurs_actuelles(evenement, valeurs)
    restants = changements(valeurs, actuelles)
    revision = (
        RevisionEvenement.objects.select_for_update()
        .filter(evenement=evenement, auteur=par, statut=R.EN_ATTENTE)
        .first()
    )
    maintenant = timezone.now()
    if not restants:
        if revision is not None:
            revision.statut, revision.decidee_le = R.RETIREE, maintenant
            revision.save(update_fields=["statut", "decidee_le"])
            consigner(evenement, "conseil.evenement.revision_retiree", par, revision=revision.pk)
        return None, directes
    nouvelle = revision is None
    if nouvelle:
        revision = RevisionEvenement(
            evenement=evenement,
            auteur=par,
            valeurs_base=actuelles,
            base_sequence=evenement.sequence,
            base_modifie_le=evenement.modifie_le,
        )
    revision.valeurs, revision.modifie_le = valeurs, maintenant
    revision.save()
    consigner(evenement, "conseil.evenement.revision_proposee", par, revision=revision.pk, champs=restants)
    if nouvelle:
        _prevenir_moderateurs(revision)
    return revision, directes


def _revision_en_attente(revision):
    revision = (
        RevisionEvenement.objects.select_for_update(of=("self",))
        .select_related("evenement", "auteur")
        .get(pk=revision.pk)
    )
    if revision.statut != R.EN_ATTENTE:
        raise ActionImpossible(
            _("Cette modification n'est plus en attente (état : %(etat)s).")
            % {"etat": revision.get_statut_display().lower()}
        )
    return revision


def _verifier_ecriture(evenement, valeurs):
    """Refuse, in French, values that no longer fit the event (places taken, a venue deleted, end before start)."""
    capacite = valeurs.get("capacite", evenement.capacite)
    if capacite is not None and capacite < evenement.nb_confirmes:
        raise ActionImpossible(
            _(
                "La proposition prévoit %(capacite)s places mais %(n)s sont déjà confirmées : refusez-la en "
                "demandant un nombre de places suffisant."
            )
            % {"capacite": capacite, "n": evenement.nb_confirmes}
        )
    for nom, valeur in valeurs.items():
        champ = _champ(nom)
        if champ.many_to_one and valeur is not None and not champ.related_model.objects.filter(pk=valeur).exists():
            raise ActionImpossible(
                _("« %(champ)s » proposé n'existe plus : refusez la proposition en le disant.")
                % {"champ": libelle(nom)}
            )
    debut = _deserialiser(_champ("debut"), valeurs["debut"]) if "debut" in valeurs else evenement.debut
    fin = _deserialiser(_champ("fin"), valeurs["fin"]) if "fin" in valeurs else evenement.fin
    if fin <= debut:
        raise ActionImpossible(
            _(
                "Avec les dates modifiées entre-temps, la fin proposée tombe avant le début : "
                "refusez la proposition en expliquant pourquoi."
            )
        )


@transaction.atomic
def accepter_revision(revision, *, par, remplacer=False):
    """Apply a pending revision: only what its author changed is written (SEQUENCE rises with time, place or
    status). A field the event changed meanwhile that the revision also changes is a conflict: refused unless
    ``remplacer`` (the moderator saw it)."""
    _exiger(par, "evenements.moderer", None, _("Seule l'équipe de modération valide une modification."))
    revision = _revision_en_attente(revision)
    evenement = _verrouiller(revision.evenement)
    actuelles = valeurs_actuelles(evenement, revision.valeurs)
    en_conflit = conflits(revision, actuelles)
    if en_conflit and not remplacer:
        raise ActionImpossible(
            _(
                "Conflit : l'événement a été modifié depuis cette proposition (%(champs)s). Cochez « Remplacer les "
                "champs en conflit » pour appliquer la proposition à ces champs, ou refusez-la."
            )
            % {"champs": libelles(en_conflit)}
        )
    valeurs = a_ecrire(revision, actuelles)
    _verifier_ecriture(evenement, valeurs)
    sequence = evenement.sequence
    evenement = _ecrire(evenement, valeurs) if valeurs else evenement
    revision.statut, revision.decidee_le, revision.decidee_par = R.ACCEPTEE, timezone.now(), par
    revision.save(update_fields=["statut", "decidee_le", "decidee_par"])
    consigner(
        evenement,
        "conseil.evenement.revision_acceptee",
        par,
        revision=revision.pk,
        champs=list(valeurs),
        conflits=en_conflit,
        sequence=evenement.sequence,
        ancienne_sequence=sequence,
    )
    _prevenir_auteur(
        revision,
        _("Votre modification de « %(titre)s » est publiée"),
        _("Elle apparaît dans l'agenda et dans les flux iCal."),
    )
    return revision


@transaction.atomic
def refuser_revision(revision, *, par, motif):
    """Refuse a pending revision; the published version stays; its author receives the reason."""
    _exiger(par, "evenements.moderer", None, _("Seule l'équipe de modération refuse une modification."))
    if not (motif or "").strip():
        raise ActionImpossible(
            _("Écrivez le motif du refus : il est transmis à la personne qui a proposé la modification.")
        )
    revision = _revision_en_attente(revision)
    revision.statut, revision.decidee_le, revision.decidee_par = R.REFUSEE, timezone.now(), par
    revision.motif = motif.strip()
    revision.save(update_fields=["statut", "decidee_le", "decidee_par", "motif"])
    consigner(revision.evenement, "conseil.evenement.revision_refusee", par, revision=revision.pk, motif=revision.motif)
    _prevenir_auteur(revision, _("Votre modification de « %(titre)s » n'a pas été retenue"), revision.motif)
    return revision


@transaction.atomic
def retirer_revision(revision, *, par):
    """Its author withdraws a pending revision: the published version stays as it is."""
    revision = _revision_en_attente(revision)
    _exiger(
        par,
        "evenements.retirer_revision",
        revision,
        _("Seule la personne qui l'a proposée retire une modification en attente."),
    )
    revision.statut, revision.decidee_le = R.RETIREE, timezone.now()
    revision.save(update_fields=["statut", "decidee_le"])
    consigner(revision.evenement, "conseil.evenement.revision_retiree", par, revision=revision.pk)
    return revision
