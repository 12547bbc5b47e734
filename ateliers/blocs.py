"""The ateliers' block on « Mon espace » (comptes), registered by ``AteliersConfig.ready()``."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from . import services
from .filters import Animation, avec_prochaine_reunion
from .models import Cycle, Participation


def mes_ateliers(context):
    """Return the context of the ateliers block of « Mon espace »: my ateliers with their next meeting, my
    pending requests."""
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"user": user}
    ateliers = avec_prochaine_reunion(
        services.ateliers_de(user).select_related("cycle").annotate(
            anime=Exists(Animation.objects.filter(atelier=OuterRef("pk"), user=user)),
        ),
        user,
    ).order_by("-cycle__statut", "-cycle__date_debut", "ordre", "titre", "pk")
    demandes = (
        Participation.objects.filter(user=user, statut=Participation.Statut.DEMANDEE,
                                     atelier__cycle__statut=Cycle.Statut.EN_COURS)
        .select_related("atelier").order_by("-cree_le")
    )
    return {
        "user": user,
        "ateliers": list(ateliers),
        "demandes": list(demandes),
        "url_flux": reverse("comptes:mon_espace") + "#mon-flux",
    }
