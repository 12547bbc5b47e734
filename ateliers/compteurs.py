"""Public figures of the ateliers for the home pages' « chiffres calculés » block, registered in
``conseil_ess.comptes.compteurs`` by the app's ``ready()``.

Participation figures come from attendance records (DOMAINE.md §1.5): people with an account are
counted from ``Presence`` rows, the others from the count the animation enters for each meeting.
"""

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evenements.models import Evenement


def _reunions_tenues():
    from .models import Reunion

    return Reunion.objects.filter(evenement__fin__lte=timezone.now()).exclude(evenement__statut=Evenement.Statut.ANNULE)


def ateliers_en_cours():
    from .models import Atelier, Cycle

    return Atelier.objects.filter(cycle__statut=Cycle.Statut.EN_COURS).count()


def reunions_tenues():
    return _reunions_tenues().count()


def participations_reunions():
    """Every presence at every held meeting, since the start (a person who came twice counts twice)."""
    totaux = _reunions_tenues().aggregate(comptes=Sum("nb_presents"), autres=Sum("participants_sans_compte"))
    return (totaux["comptes"] or 0) + (totaux["autres"] or 0)


def enregistrer_compteurs():
    from conseil_ess.comptes.compteurs import enregistrer

    enregistrer("ateliers_en_cours", _("ateliers thématiques en cours"), ateliers_en_cours)
    enregistrer("reunions_ateliers_tenues", _("réunions d'ateliers tenues"), reunions_tenues)
    enregistrer("participations_ateliers", _("participations aux réunions des ateliers depuis le début"),
                participations_reunions)
