"""iCal feed of an atelier: its published public meetings, cancelled ones included (STATUS:CANCELLED).

Meetings reserved to members never appear here (a public URL anyone may subscribe to); members get
them in their personal feed (``/agenda/perso/<jeton>.ics``). Built by the agenda's one path.
"""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from evenements.feeds import evenements_publics, reponse_ics

from .models import Atelier


@require_safe
def flux_atelier(request, slug):
    """Return the feed of the atelier's public meetings; 404 for an unknown atelier."""
    atelier = get_object_or_404(Atelier.objects.only("titre", "slug", "resume"), slug=slug)
    return reponse_ics(
        request, evenements_publics().filter(reunion_atelier__atelier=atelier), nom=atelier.titre,
        nom_fichier=f"{atelier.slug}.ics", description=atelier.resume,
    )
