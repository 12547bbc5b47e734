"""The addresses of the demo's walkthroughs (README), for the story loaded in the database."""

from django.urls import reverse
from django.utils import timezone

from conseil_ess.seances.models import Seance
from evenements.models import Evenement, Programme


def adresses_a_essayer(maintenant=None):
    """Return [(label, path)] of what the README invites to try: the next plenary and its live page, the
    coming Mois de l'ESS, the Assises, the moderation queue."""
    maintenant = maintenant or timezone.now()
    adresses = []
    seance = (Seance.objects.filter(is_demo=True, evenement__fin__gte=maintenant)
              .select_related("evenement").order_by("evenement__debut").first())
    if seance is not None:
        adresses.append(("Prochaine séance plénière", seance.get_absolute_url()))
        adresses.append(("  sa page en direct", reverse("seances:direct", args=[seance.evenement.slug])))
    mois = (Programme.objects.filter(is_demo=True, type=Programme.Type.MOIS_ESS, date_fin__gte=maintenant.date())
            .order_by("date_debut").first())
    if mois is not None:
        adresses.append(("Programme du prochain Mois de l'ESS", mois.get_absolute_url()))
    assises = (Programme.objects.filter(is_demo=True, type=Programme.Type.ASSISES).order_by("-date_debut").first())
    if assises is not None:
        adresses.append(("Programme des Assises", assises.get_absolute_url()))
    if Evenement.objects.filter(is_demo=True, publication=Evenement.Publication.A_MODERER).exists():
        adresses.append(("File de modération (administration)", reverse("evenements_moderation:index")))
    adresses.append(("Propositions", reverse("propositions:liste")))
    return adresses
