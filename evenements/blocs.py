"""The agenda's block on « Mon espace » (comptes), registered by ``EvenementsConfig.ready()``."""

from django.urls import reverse
from django.utils import timezone

from .filters import inscriptions_avec_position
from .models import Creneau, Evenement, Inscription, Programme
from .templatetags.agenda import webcal


def programmes_personnels(inscriptions):
    """Return, per Assises programme, each time slot with the workshop ``inscriptions`` hold in it (or None)."""
    par_creneau = {i.creneau_id: i for i in inscriptions if i.creneau_id}
    programmes = {
        i.evenement.programme_id for i in inscriptions
        if i.evenement.programme_id and i.evenement.programme.type == Programme.Type.ASSISES
    }
    if not programmes:
        return []
    creneaux = Creneau.objects.filter(programme_id__in=programmes).select_related("programme").order_by("debut")
    resultat = {}
    for creneau in creneaux:
        ligne = resultat.setdefault(creneau.programme_id, {"programme": creneau.programme, "creneaux": []})
        ligne["creneaux"].append({"creneau": creneau, "inscription": par_creneau.get(creneau.pk)})
    return list(resultat.values())


def mon_agenda(context):
    """Return the context of the agenda block of « Mon espace »: my events, my registrations, my Assises
    programme, my personal feed."""
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"user": user}
    proposes = (
        Evenement.objects.filter(propose_par=user).select_related("programme").order_by("-cree_le")
    )
    inscriptions = list(inscriptions_avec_position(
        Inscription.objects.filter(user=user, evenement__fin__gt=timezone.now())
        .exclude(statut=Inscription.Statut.ANNULEE)
        .select_related("evenement__lieu__commune", "evenement__programme", "evenement__creneau")
        .order_by("evenement__debut", "pk")
    ))
    flux = request.build_absolute_uri(reverse("evenements:flux_personnel", args=[user.jeton_agenda]))
    return {
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "proposes": proposes,
        "inscriptions": inscriptions,
        "programmes_personnels": programmes_personnels(inscriptions),
        "flux": flux,
        "flux_webcal": webcal(flux),
    }
