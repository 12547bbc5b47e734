"""iCal feeds of the agenda: one event, a programme, a person's registrations, and the helper they share.

Subscribed calendars poll every few hours, so a feed answers a conditional GET with 304 from one
cheap aggregate, without loading the events: the ETag sums up what the bytes depend on (which
events, their last change, the feed's name and address). The bytes themselves come from
``evenements.ical``, the one builder.
"""

import hashlib

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Max, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from conseil_ess.comptes.models import User

from . import ical
from .extensions import q_agenda_personnel, q_visibles
from .models import Evenement, Inscription, Programme

# Raise when the builder's output changes for the same data, so clients do not keep a stale copy.
VERSION_FORMAT = "1"
INSCRIPTIONS_ACTIVES = (Inscription.Statut.CONFIRMEE, Inscription.Statut.ATTENTE)


def evenements_publics():
    """Return the events every public feed may show: published and public, cancelled ones included."""
    return Evenement.objects.publies().filter(visibilite=Evenement.Visibilite.PUBLIC)


def _requete_sql(qs):
    """Return the SQL of ``qs`` without its parameters (a moving "since" date must not change the ETag)."""
    try:
        return qs.query.sql_with_params()[0]
    except EmptyResultSet:  # e.g. `pk__in=[]`: the query matches nothing
        return "vide"


def _validateurs(request, qs, *, nom, description, base_url, derniere_modification):
    """Return (ETag, Last-Modified) of the feed of ``qs`` from aggregates, without loading the events."""
    resume = qs.order_by().aggregate(
        nombre=Count("pk"), somme=Sum("pk"), modifie=Max("modifie_le"), sequence=Max("sequence"),
        lieu=Max("lieu__modifie_le"), programme=Max("programme__modifie_le"),
    )
    parties = [
        VERSION_FORMAT, base_url, request.get_full_path(), nom, description, get_language() or "",
        _requete_sql(qs), resume["nombre"], resume["somme"], resume["modifie"], resume["sequence"],
        resume["lieu"], resume["programme"],
    ]
    if not resume["nombre"]:
        # An empty feed's VTIMEZONE covers today.
        parties.append(timezone.localdate(timezone=ical.PARIS))
    etag = quote_etag(hashlib.sha256("\x1f".join(map(str, parties)).encode()).hexdigest()[:32])
    # Last-Modified serves clients that send If-Modified-Since alone. The newest change of ANY event
    # (not only those shown) also covers an event that left the feed (unpublished, moved elsewhere).
    dates = [Evenement.objects.aggregate(m=Max("modifie_le"))["m"], derniere_modification,
             resume["lieu"], resume["programme"]]
    dates = [d for d in dates if d]
    return etag, (max(dates) if dates else None)


def reponse_ics(request, evenements_qs, *, nom, nom_fichier, description="", derniere_modification=None,
                prive=False):
    """Return the iCal response of ``evenements_qs``, or a 304 when the client's copy is current.

    ``nom`` becomes X-WR-CALNAME, ``nom_fichier`` the name in Content-Disposition.
    ``derniere_modification``: a date that also changes the feed (e.g. a registration cancelled).
    ``prive``: the feed is one person's, shared caches must not keep it.
    """
    base_url = request.build_absolute_uri("/").rstrip("/")
    etag, modifie = _validateurs(
        request, evenements_qs, nom=nom, description=description, base_url=base_url,
        derniere_modification=derniere_modification,
    )
    reponse = get_conditional_response(
        request, etag=etag, last_modified=int(modifie.timestamp()) if modifie else None,
    )
    if reponse is None:
        # Rows, not instances: the builder reads columns of the event, its place, commune and programme.
        evenements = ical.colonnes(evenements_qs.prefetch_related(None).order_by("debut", "pk"))
        calendrier = ical.construire_calendrier(evenements, nom=nom, base_url=base_url, description=description)
        reponse = HttpResponse(calendrier.to_ical(), content_type="text/calendar; charset=utf-8")
        reponse["Content-Disposition"] = content_disposition_header(False, nom_fichier)
    if reponse.status_code in (200, 304):
        reponse["ETag"] = etag
        if modifie:
            reponse["Last-Modified"] = http_date(modifie.timestamp())
    if prive:
        patch_cache_control(reponse, private=True)
        reponse["X-Robots-Tag"] = "noindex"
    return reponse


@require_safe
def flux_evenement(request, slug):
    """Return the one-event calendar of a published event the visitor may see; 404 otherwise."""
    qs = Evenement.objects.publies().filter(slug=slug).filter(q_visibles(request.user))
    evenement = qs.only("titre", "visibilite").first()
    if evenement is None:
        raise Http404
    return reponse_ics(
        request, qs, nom=evenement.titre, nom_fichier=f"{slug}.ics",
        prive=evenement.visibilite != Evenement.Visibilite.PUBLIC,
    )


@require_safe
def flux_programme(request, slug):
    """Return the feed of a programme's public events, cancelled ones included (STATUS:CANCELLED)."""
    programme = get_object_or_404(Programme, slug=slug)
    return reponse_ics(
        request, evenements_publics().filter(programme=programme), nom=programme.titre,
        nom_fichier=f"{programme.slug}.ics", description=ical.texte_brut(programme.description),
    )


@require_safe
def flux_personnel(request, token):
    """Return a person's feed, found by their token: the events they registered for (confirmed or
    waiting), and the events they follow through other apps (e.g. their ateliers' meetings)."""
    user = get_object_or_404(User, jeton_agenda=token, is_active=True)
    inscriptions = Inscription.objects.filter(user=user)
    actives = inscriptions.filter(statut__in=INSCRIPTIONS_ACTIVES).values("evenement")
    suivis, date_suivis = q_agenda_personnel(user)
    # Reserved events too: the person registered while logged in, or follows them as a member.
    qs = Evenement.objects.publies().filter(Q(pk__in=actives) | suivis).filter(q_visibles(user))
    dates = inscriptions.aggregate(a=Max("cree_le"), b=Max("promue_le"), c=Max("annulee_le"))
    dates = [d for d in [*dates.values(), date_suivis] if d]
    return reponse_ics(
        request, qs, nom=_("Mon agenda – Conseil ESS"), nom_fichier="mon-agenda.ics",
        derniere_modification=max(dates) if dates else None, prive=True,
    )


def flux_agenda_depuis_queryset(request, qs, nom, nom_fichier="agenda.ics"):
    """Return the feed of an already filtered queryset of the agenda, restricted to public events."""
    public = qs.filter(publication=Evenement.Publication.PUBLIE, visibilite=Evenement.Visibilite.PUBLIC)
    return reponse_ics(request, public, nom=nom, nom_fichier=nom_fichier)
