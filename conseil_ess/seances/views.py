"""Public, read-only pages of the séances plénières: the list and each séance's page (agenda,
attendance figures, results). Who sees what is in ``rules.py``; changes go through ``services``."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from . import views_documents
from .models import PointOrdreDuJour, Scrutin, Seance

PAR_PAGE = 20


def liste(request):
    """Upcoming séances (soonest first) then past ones (latest first), paginated together."""
    tout = Seance.objects.select_related("evenement", "evenement__lieu", "evenement__commune")
    seances = tout.visibles_par(request.user)
    voit_preparation = seances is tout  # visibles_par returns the queryset itself to those who see all
    maintenant = timezone.now()
    a_venir = list(seances.filter(evenement__fin__gte=maintenant).order_by("evenement__debut", "pk"))
    passees = Paginator(seances.filter(evenement__fin__lt=maintenant).order_by("-evenement__debut", "-pk"),
                        PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "seances/liste.html", {
        # Upcoming ones are few (a handful a year): shown whole above the paginated past ones.
        "a_venir": a_venir if passees.number == 1 else [],
        "page_obj": passees, "passees": passees.object_list, "voit_preparation": voit_preparation,
    })


def detail(request, slug):
    """A séance: its agenda, who presides, attendance figures once started, every closed scrutin's result."""
    seance = get_object_or_404(
        Seance.objects.select_related("evenement", "evenement__lieu", "evenement__commune")
        .annotate(nb_presents=Count("emargements")),
        evenement__slug=slug,
    )
    if not request.user.has_perm("seances.voir", seance):
        raise Http404
    points = list(PointOrdreDuJour.objects.filter(seance=seance).order_by("ordre", "pk"))
    scrutins = {s.point_id: s for s in Scrutin.objects.filter(seance=seance).select_related(
        "proposition", "thematique", "thematique__cycle")}
    for point in points:
        point.le_scrutin = scrutins.get(point.pk)
    resultats = [p.le_scrutin for p in points if p.le_scrutin and p.le_scrutin.statut == Scrutin.Statut.CLOS]
    return render(request, "seances/detail.html", {
        "seance": seance, "evenement": seance.evenement, "points": points, "resultats": resultats,
        "presents": seance.nombre_presents(seance.nb_presents),  # the paper sheet's figure when larger
        "commencee": seance.statut in (Seance.Statut.EN_COURS, Seance.Statut.TERMINEE),
        "en_preparation": seance.statut == Seance.Statut.PREPARATION,
        **views_documents.contexte_detail(request, seance),
    })
