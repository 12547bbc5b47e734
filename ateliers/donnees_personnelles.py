"""The ateliers' part of the personal data (registry ``conseil_ess/comptes/donnees_personnelles.py``):
memberships, attendances and animation in the export; on erasure, memberships left through the service then
removed, the animation and the élu·e/agent pairing given up. Attendances stay (counted in the minutes), on
the anonymised account."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conseil_ess.comptes.donnees_personnelles import ORDRE_ATELIERS, Rubrique, enregistrer

from .models import Atelier, CompteRendu, DocumentCompteRendu, Participation, Presence, Reunion


def exporter(user):
    participations = [{
        _("Atelier"): p.atelier.titre, _("Statut"): p.get_statut_display(), _("Message"): p.message,
        _("Demandée le"): p.cree_le, _("Modifiée le"): p.modifie_le,
    } for p in Participation.objects.filter(user=user).select_related("atelier").order_by("cree_le", "pk")]
    presences = [{
        _("Atelier"): p.reunion.atelier.titre, _("Réunion"): p.reunion.evenement.titre,
        _("Date"): p.reunion.evenement.debut,
    } for p in Presence.objects.filter(user=user).select_related("reunion__atelier", "reunion__evenement")
        .order_by("reunion__evenement__debut")]
    animation = [{_("Atelier"): a.titre, _("Rôle"): _("animateur·rice")}
                 for a in user.ateliers_animes.order_by("titre")]
    animation += [{_("Atelier"): a.titre, _("Rôle"): _("binôme élu·e")}
                  for a in Atelier.objects.filter(binome_elu=user).order_by("titre")]
    animation += [{_("Atelier"): a.titre, _("Rôle"): _("binôme agent·e")}
                  for a in Atelier.objects.filter(binome_agent=user).order_by("titre")]
    actions = [{
        _("Réunions planifiées"): Reunion.objects.filter(cree_par=user).count(),
        _("Présences saisies"): Presence.objects.filter(enregistree_par=user).count(),
        _("Comptes rendus rédigés"): CompteRendu.objects.filter(redige_par=user).count(),
        _("Documents ajoutés"): DocumentCompteRendu.objects.filter(ajoute_par=user).count(),
    }]
    return [
        Rubrique(_("Participations aux ateliers"), participations),
        Rubrique(_("Présences aux réunions d'atelier"), presences),
        Rubrique(_("Animation d'ateliers"), animation),
        Rubrique(_("Actions d'animation (nombres)"), actions),
    ]


def effacer(user, par):
    from . import services

    quittees = 0
    for participation in Participation.objects.filter(
            user=user, statut__in=[Participation.Statut.ACCEPTEE, Participation.Statut.DEMANDEE]).select_related(
            "atelier"):
        services.quitter(participation.atelier, user)
        quittees += 1
    supprimees = Participation.objects.filter(user=user).delete()[0]
    user.ateliers_animes.clear()
    Atelier.objects.filter(binome_elu=user).update(binome_elu=None)
    Atelier.objects.filter(binome_agent=user).update(binome_agent=None)
    services.synchroniser_groupe_animateur(user)
    return {_("ateliers quittés"): quittees, _("participations supprimées"): supprimees}


def enregistrer_partie():
    enregistrer("ateliers", gettext_lazy("Ateliers thématiques"), exporter=exporter, effacer=effacer,
                modeles=(Atelier, Participation, Reunion, Presence, CompteRendu, DocumentCompteRendu),
                ordre=ORDRE_ATELIERS)
