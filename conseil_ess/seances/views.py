"""Public, read-only pages of the séances plénières: the list and each séance's page (agenda,
attendance figures, results). Who sees what is in ``rules.py``; changes go through ``services``."""

from types import SimpleNamespace

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from conseil_ess.pagination import colonne_total, page_comptee

from . import views_documents
from .models import Emargement, PointOrdreDuJour, ProcesVerbal, Scrutin, Seance

PAR_PAGE = 20


# What a séance's card reads (``{% carte_seance %}``: title, dates, place, nature, status), under the lookup
# names of ``values()``: the cards are read as rows, not as séances with three joined models (forty columns to
# compile and build per card).
_CHAMPS_CARTE = (
    "pk", "nature", "statut", "motif_exceptionnelle", "evenement__slug", "evenement__titre", "evenement__debut",
    "evenement__fin", "evenement__journee_entiere", "evenement__mode", "evenement__precision_lieu",
    "evenement__lieu_id", "evenement__lieu__nom", "evenement__lieu__en_ligne", "evenement__commune_id",
    "evenement__commune__nom",
)


def _cartes(qs, *, avec_total=False):
    """The cards of the séances of ``qs`` (filtered, ordered, sliced), light objects with the attributes of a
    ``Seance`` and its event that a card reads. ``avec_total``: each also carries the number of rows of ``qs``
    before its slicing, as ``total`` (``conseil_ess.pagination``)."""
    colonnes = {"total": colonne_total()} if avec_total else {}
    cartes = []
    for ligne in qs.values(*_CHAMPS_CARTE, **colonnes):
        lieu_id, commune_id = ligne["evenement__lieu_id"], ligne["evenement__commune_id"]
        evenement = SimpleNamespace(
            slug=ligne["evenement__slug"], titre=ligne["evenement__titre"], debut=ligne["evenement__debut"],
            fin=ligne["evenement__fin"], journee_entiere=ligne["evenement__journee_entiere"],
            mode=ligne["evenement__mode"], precision_lieu=ligne["evenement__precision_lieu"],
            lieu=SimpleNamespace(nom=ligne["evenement__lieu__nom"], en_ligne=ligne["evenement__lieu__en_ligne"])
            if lieu_id else None,
            commune=SimpleNamespace(nom=ligne["evenement__commune__nom"]) if commune_id else None,
        )
        cartes.append(SimpleNamespace(pk=ligne["pk"], nature=ligne["nature"], statut=ligne["statut"],
                                      motif_exceptionnelle=ligne["motif_exceptionnelle"], evenement=evenement,
                                      total=ligne.get("total")))
    return cartes


def liste(request):
    """Upcoming séances (soonest first) then past ones (latest first), paginated together."""
    tout = Seance.objects.all()
    seances = tout.visibles_par(request.user)
    voit_preparation = seances is tout  # visibles_par returns the queryset itself to those who see all
    maintenant = timezone.now()
    passees, cartes_passees = page_comptee(
        seances.filter(evenement__fin__lt=maintenant).order_by("-evenement__debut", "-pk"), request.GET.get("page"),
        PAR_PAGE, lire=_cartes)
    # Upcoming ones are few (a handful a year): shown whole above the paginated past ones, on the first page.
    a_venir = (_cartes(seances.filter(evenement__fin__gte=maintenant).order_by("evenement__debut", "pk"))
               if passees.number == 1 else [])
    return render(request, "seances/liste.html", {
        "a_venir": a_venir, "page_obj": passees, "passees": cartes_passees, "voit_preparation": voit_preparation,
    })


# What the séance's page reads of its event, place and commune (title, summary, dates, place, link) and of its
# minutes: the event alone has forty columns, and compiling them was a large part of the page.
_CHAMPS_DETAIL = (
    *(f.name for f in Seance._meta.concrete_fields),
    "evenement__slug", "evenement__titre", "evenement__resume", "evenement__debut", "evenement__fin",
    "evenement__journee_entiere", "evenement__mode", "evenement__precision_lieu", "evenement__lien_en_ligne",
    "evenement__statut", "evenement__lieu", "evenement__commune",
    "evenement__lieu__nom", "evenement__lieu__adresse", "evenement__lieu__en_ligne", "evenement__commune__nom",
    "proces_verbal__seance", "proces_verbal__statut", "proces_verbal__publie_le",
)
# The agenda items with their scrutin (if any), its proposal or annual theme and the theme's cycle: the
# columns the page reads, one query.
_CHAMPS_POINTS = (
    *(f.name for f in PointOrdreDuJour._meta.concrete_fields),
    *(f"scrutin__{f.name}" for f in Scrutin._meta.concrete_fields),
    "scrutin__proposition__reference", "scrutin__proposition__titre", "scrutin__proposition__etat",
    "scrutin__thematique__titre", "scrutin__thematique__cycle__slug",
)


def detail(request, slug):
    """A séance: its agenda, who presides, attendance figures once started, every closed scrutin's result."""
    emargements = connection.ops.quote_name(Emargement._meta.db_table)
    seance = get_object_or_404(
        Seance.objects.select_related("evenement__lieu", "evenement__commune", "proces_verbal")
        .only(*_CHAMPS_DETAIL)
        # Its check-ins counted by a subquery (plain SQL: a ``Count`` grouped the joined columns, a
        # ``Subquery`` costs more to build than to run).
        .annotate(nb_presents=RawSQL(  # noqa: S611 - names from the models, quoted; no parameter
            f"SELECT COUNT(*) FROM {emargements} AS e WHERE e.{connection.ops.quote_name('seance_id')} = "  # noqa: S608
            f"{connection.ops.quote_name(Seance._meta.db_table)}.{connection.ops.quote_name('id')}", (),
            output_field=IntegerField())),
        evenement__slug=slug,
    )
    if not request.user.has_perm("seances.voir", seance):
        raise Http404
    points = list(PointOrdreDuJour.objects.filter(seance=seance).select_related(
        "scrutin__proposition", "scrutin__thematique__cycle").only(*_CHAMPS_POINTS).order_by("ordre", "pk"))
    for point in points:
        try:
            point.le_scrutin = point.scrutin
        except Scrutin.DoesNotExist:
            point.le_scrutin = None
    resultats = [p.le_scrutin for p in points if p.le_scrutin and p.le_scrutin.statut == Scrutin.Statut.CLOS]
    try:
        pv = seance.proces_verbal
    except ProcesVerbal.DoesNotExist:
        pv = None
    return render(request, "seances/detail.html", {
        "seance": seance, "evenement": seance.evenement, "points": points, "resultats": resultats,
        "presents": seance.nombre_presents(seance.nb_presents),  # the paper sheet's figure when larger
        "commencee": seance.statut in (Seance.Statut.EN_COURS, Seance.Statut.TERMINEE),
        "en_preparation": seance.statut == Seance.Statut.PREPARATION,
        **views_documents.contexte_detail(request, seance, pv),
    })
