"""Public figures of the ateliers for the home pages' « chiffres calculés » block, registered in
``conseil_ess.comptes.compteurs`` by the app's ``ready()``.

Participation figures come from attendance records (DOMAINE.md §1.5): people with an account are
counted from ``Presence`` rows, the others from the count the animation enters for each meeting.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conseil_ess.prechargement import lecture_comptee
from evenements.models import Evenement


def _reunions_tenues(instant):
    from .models import Reunion

    return Reunion.objects.filter(evenement__fin__lte=instant).exclude(evenement__statut=Evenement.Statut.ANNULE)


def lecture_ateliers_en_cours():
    from .models import Atelier, Cycle

    return lecture_comptee("ateliers_en_cours", lambda: Atelier.objects.filter(cycle__statut=Cycle.Statut.EN_COURS))


def lecture_reunions_tenues():
    return lecture_comptee("reunions_tenues", _reunions_tenues, timezone.now())


def lecture_participations_reunions():
    """Every presence at every held meeting, since the start (a person who came twice counts twice)."""
    return lecture_comptee("participations_reunions", _reunions_tenues, timezone.now(),
                           sommes=("nb_presents", "participants_sans_compte"))


def enregistrer_compteurs():
    from conseil_ess.comptes.compteurs import enregistrer

    enregistrer("ateliers_en_cours", _("ateliers thématiques en cours"), lecture=lecture_ateliers_en_cours)
    enregistrer("reunions_ateliers_tenues", _("réunions d'ateliers tenues"), lecture=lecture_reunions_tenues)
    enregistrer("participations_ateliers", _("participations aux réunions des ateliers depuis le début"),
                lecture=lecture_participations_reunions)
