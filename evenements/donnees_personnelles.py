"""The agenda's part of the personal data (registry ``conseil_ess/comptes/donnees_personnelles.py``):
registrations and proposed events in the export; on erasure, active registrations cancelled through the
service (the waiting list is promoted) and every registration anonymised; registrations to events ended more
than ``CONSERVATION_INSCRIPTIONS_JOURS`` ago anonymised (the counts stay for statistics)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conseil_ess.comptes.donnees_personnelles import ORDRE_EVENEMENTS, Rubrique, enregistrer

from .models import Evenement, Inscription, RevisionEvenement


def exporter(user):
    inscriptions = [{
        _("Événement"): i.evenement.titre, _("Début"): i.evenement.debut, _("Statut"): i.get_statut_display(),
        _("Inscrit·e le"): i.cree_le, _("Promu·e le"): i.promue_le, _("Annulée le"): i.annulee_le,
        _("Présent·e le"): i.present_le,
    } for i in Inscription.objects.filter(user=user).select_related("evenement").order_by("cree_le", "pk")]
    proposes = [{
        _("Événement"): e.titre, _("Début"): e.debut, _("Publication"): e.get_publication_display(),
        _("Statut"): e.get_statut_display(), _("Proposé le"): e.cree_le,
    } for e in Evenement.objects.filter(propose_par=user).order_by("cree_le", "pk")]
    modifications = [{
        _("Événement"): r.evenement.titre, _("État"): r.get_statut_display(), _("Proposée le"): r.cree_le,
        _("Décidée le"): r.decidee_le, _("Motif du refus"): r.motif,
    } for r in RevisionEvenement.objects.filter(auteur=user).select_related("evenement").order_by("cree_le", "pk")]
    return [
        Rubrique(_("Inscriptions aux événements"), inscriptions),
        Rubrique(_("Événements proposés à l'agenda"), proposes),
        Rubrique(_("Modifications proposées d'événements publiés"), modifications),
    ]


def effacer(user, par):
    from . import services

    actives = Inscription.objects.filter(user=user, evenement__fin__gt=timezone.now()).exclude(
        statut=Inscription.Statut.ANNULEE)
    annulees = 0
    for inscription in actives:
        services.annuler_inscription(inscription, par)
        annulees += 1
    anonymisees = Inscription.objects.filter(user=user).update(user=None)
    # Revisions of published events: the pending ones are withdrawn, all lose their author (the history stays).
    RevisionEvenement.objects.filter(auteur=user, statut=RevisionEvenement.Statut.EN_ATTENTE).update(
        statut=RevisionEvenement.Statut.RETIREE, decidee_le=timezone.now())
    revisions = RevisionEvenement.objects.filter(auteur=user).update(auteur=None)
    RevisionEvenement.objects.filter(decidee_par=user).update(decidee_par=None)
    return {_("inscriptions annulées"): annulees, _("inscriptions anonymisées"): anonymisees,
            _("modifications d'événements anonymisées"): revisions}


def conserver(maintenant, simulation):
    limite = maintenant - timedelta(days=settings.CONSERVATION_INSCRIPTIONS_JOURS)
    anciennes = Inscription.objects.filter(evenement__fin__lt=limite, user__isnull=False)
    nombre = anciennes.count() if simulation else anciennes.update(user=None)
    return [(_("inscriptions à des événements terminés anonymisées"), nombre)]


def enregistrer_partie():
    enregistrer("evenements", gettext_lazy("Agenda et inscriptions"), exporter=exporter, effacer=effacer,
                conserver=conserver,
                modeles=(Evenement, Inscription, RevisionEvenement), ordre=ORDRE_EVENEMENTS)
