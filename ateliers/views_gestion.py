"""The animation's pages of an atelier: requests to join, members, meetings, attendance, minutes, documents.

Reached by the atelier's animateur·rice·s while its cycle is open, and by the secrétariat
(``ateliers.gerer``). Every change goes through ``ateliers.services``; its refusals are shown to the
person (a form error or a message), never as an error page.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conseil_ess.comptes.models import Adhesion

from . import services
from .forms import AnnulationForm, CompteRenduForm, DocumentForm, PresencesForm, ReunionForm, ReunionPasseeForm
from .models import Atelier, CompteRendu, DocumentCompteRendu, Participation, Reunion
from .services import ActionImpossible

PAR_PAGE = 20
PS = Participation.Statut
ORDRE_PERSONNES = ("nom_affiche", "last_name", "first_name", "email")


def _structures(chemin=""):
    """Prefetch the structures a person belongs to (accepted memberships) as ``structures_acceptees``."""
    return Prefetch(
        f"{chemin}adhesions",
        queryset=Adhesion.objects.filter(statut=Adhesion.Statut.ACCEPTEE).select_related("structure")
        .order_by("structure__nom"),
        to_attr="structures_acceptees",
    )


def _atelier_gere(request, slug, avec_structures=False):
    """Return the atelier if ``request.user`` runs it (animation or secrétariat); 404 or 403 otherwise."""
    animateurs = get_user_model().objects.order_by(*ORDRE_PERSONNES)
    if avec_structures:
        animateurs = animateurs.prefetch_related(_structures())
    atelier = get_object_or_404(
        Atelier.objects.select_related("cycle").prefetch_related(Prefetch("animateurs", queryset=animateurs)),
        slug=slug,
    )
    if not request.user.has_perm("ateliers.gerer", atelier):
        raise PermissionDenied
    return atelier


def _reunion(atelier, pk):
    """Return the meeting ``pk`` of ``atelier`` (a meeting of another atelier is a 404)."""
    reunion = get_object_or_404(
        Reunion.objects.select_related("evenement__lieu__commune", "evenement__commune"), pk=pk, atelier=atelier,
    )
    reunion.atelier = atelier
    return reunion


def _paginer(request, queryset, parametre):
    """Return a page of ``queryset`` numbered by the GET ``parametre`` (the links keep the other lists' pages:
    ``includes/pagination.html``)."""
    return Paginator(queryset, PAR_PAGE).get_page(request.GET.get(parametre))


@login_required
def gerer(request, slug):
    """The animation's dashboard: pending requests, members, meetings to come and past ones."""
    atelier = _atelier_gere(request, slug, avec_structures=True)
    maintenant = timezone.now()
    participations = atelier.participations.select_related("user").prefetch_related(_structures("user__"))
    demandes = list(participations.filter(statut=PS.DEMANDEE).order_by("cree_le", "pk"))
    membres = _paginer(
        request,
        participations.filter(statut=PS.ACCEPTEE, user__is_active=True).order_by(
            *(f"user__{champ}" for champ in ORDRE_PERSONNES)),
        "membres",
    )
    reunions = Reunion.objects.filter(atelier=atelier).pour_liste().select_related("evenement__commune")
    a_venir = _paginer(request, reunions.filter(evenement__fin__gt=maintenant).order_by("evenement__debut", "pk"),
                       "a_venir")
    passees = _paginer(request, reunions.filter(evenement__fin__lte=maintenant).order_by("-evenement__debut", "-pk"),
                       "passees")
    return render(request, "ateliers/gestion/gerer.html", {
        "atelier": atelier, "demandes": demandes, "membres": membres, "a_venir": a_venir, "passees": passees,
        "maintenant": maintenant,
        # An archived atelier: only the secrétariat still records a past meeting (checked only then: no query).
        "peut_enregistrer_archive": not atelier.est_actif and request.user.has_perm("ateliers.administrer"),
    })


@login_required
@require_POST
def decider(request, slug, pk, decision):
    """Accept or refuse a request to join (the person is told by the service)."""
    atelier = _atelier_gere(request, slug)
    participation = get_object_or_404(Participation.objects.select_related("user"), pk=pk, atelier=atelier)
    accepter = decision == "accepter"
    try:
        services.decider_participation(participation, request.user, accepter=accepter)
    except ActionImpossible as exc:
        messages.error(request, str(exc))
    else:
        modele = _("%(nom)s fait maintenant partie de l'atelier.") if accepter else _(
            "La demande de %(nom)s est refusée.")
        messages.success(request, modele % {"nom": participation.user.nom_public})
    return redirect("ateliers:gerer", atelier.slug)


@login_required
def reunion_nouvelle(request, slug):
    """Schedule a meeting: it joins the agenda as a published event and the members are told."""
    atelier = _atelier_gere(request, slug)
    form = ReunionForm(request.POST or None)
    if request.method == "POST" and atelier.est_actif and form.is_valid():
        try:
            reunion = services.planifier_reunion(atelier, form.save(commit=False), request.user,
                                                 ordre_du_jour=form.cleaned_data["ordre_du_jour"])
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _(
                "La réunion est planifiée et publiée dans l'agenda ; les membres de l'atelier sont prévenu·e·s."))
            return redirect("ateliers:reunion", atelier.slug, reunion.pk)
    return render(request, "ateliers/gestion/reunion_formulaire.html", {
        "atelier": atelier, "form": form, "creation": True,
    })


@login_required
def reunion_passee(request, slug):
    """Record a meeting that was held without being scheduled here, with its attendance and minutes."""
    atelier = _atelier_gere(request, slug)
    possible = atelier.est_actif or request.user.has_perm("ateliers.administrer")
    personnes = services.membres(atelier).order_by(*ORDRE_PERSONNES)
    form = ReunionPasseeForm(request.POST or None, personnes=personnes)
    if request.method == "POST" and possible and form.is_valid():
        donnees = form.cleaned_data
        try:
            reunion = services.enregistrer_reunion_passee(
                atelier, form.save(commit=False), request.user, presents=donnees["presents"],
                participants_sans_compte=donnees["participants_sans_compte"], compte_rendu=donnees["compte_rendu"],
                interne=donnees["interne"], publier=donnees["publier"], ordre_du_jour=donnees["ordre_du_jour"])
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("La réunion du %(date)s est enregistrée, avec ses présences.")
                             % {"date": services._quand(reunion.evenement)})
            return redirect("ateliers:reunion", atelier.slug, reunion.pk)
    return render(request, "ateliers/gestion/reunion_passee.html", {
        "atelier": atelier, "form": form, "possible": possible,
    })


@login_required
def reunion_modifier(request, slug, pk):
    """Edit a meeting; when its time or place changes, the members are told it moved."""
    atelier = _atelier_gere(request, slug)
    reunion = _reunion(atelier, pk)
    if reunion.evenement.est_annule:
        messages.error(request, _("Cette réunion est annulée : elle ne peut plus être modifiée."))
        return redirect("ateliers:gerer", atelier.slug)
    titre = reunion.evenement.titre  # the form changes the event in memory while it validates
    form = ReunionForm(request.POST or None, instance=reunion.evenement, reunion=reunion)
    if request.method == "POST" and atelier.est_actif and form.is_valid():
        try:
            services.modifier_reunion(reunion, form.save(commit=False), request.user,
                                      ordre_du_jour=form.cleaned_data["ordre_du_jour"])
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Les modifications de la réunion sont enregistrées."))
            return redirect("ateliers:reunion", atelier.slug, reunion.pk)
    return render(request, "ateliers/gestion/reunion_formulaire.html", {
        "atelier": atelier, "reunion": reunion, "titre": titre, "form": form,
    })


@login_required
def reunion_annuler(request, slug, pk):
    """Cancel a meeting with a public reason: it stays in the agenda and the feeds, marked cancelled."""
    atelier = _atelier_gere(request, slug)
    reunion = _reunion(atelier, pk)
    if reunion.evenement.est_annule:
        messages.info(request, _("Cette réunion est déjà annulée."))
        return redirect("ateliers:gerer", atelier.slug)
    form = AnnulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.annuler_reunion(reunion, request.user, form.cleaned_data["motif"])
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _(
                "La réunion est annulée. Elle reste dans l'agenda, marquée annulée ; les membres sont prévenu·e·s."))
            return redirect("ateliers:gerer", atelier.slug)
    return render(request, "ateliers/gestion/reunion_annuler.html", {
        "atelier": atelier, "reunion": reunion, "form": form,
    })


@login_required
def presences(request, slug, pk):
    """Record who attended a meeting that has started: members ticked, and a count of people without an account."""
    atelier = _atelier_gere(request, slug)
    reunion = _reunion(atelier, pk)
    personnes = get_user_model().objects.filter(
        Q(pk__in=services.membres(atelier).values("pk")) | Q(pk__in=reunion.presences.values("user_id"))
    ).order_by(*ORDRE_PERSONNES)
    form = PresencesForm(request.POST or None, personnes=personnes, initial={
        "presents": list(reunion.presences.values_list("user_id", flat=True)),
        "participants_sans_compte": reunion.participants_sans_compte,
    })
    if request.method == "POST" and form.is_valid():
        try:
            reunion = services.enregistrer_presences(reunion, form.cleaned_data["presents"],
                                                     form.cleaned_data["participants_sans_compte"], request.user)
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Les présences sont enregistrées : %(n)s participant·e·s au total.")
                             % {"n": reunion.nb_participants})
            return redirect("ateliers:presences", atelier.slug, reunion.pk)
    return render(request, "ateliers/gestion/presences.html", {
        "atelier": atelier, "reunion": reunion, "form": form,
        "commencee": reunion.evenement.debut <= timezone.now(),
    })


def _enregistrer_compte_rendu(request, reunion, form, action):
    """Save the minutes, then publish them if asked; return True when done (a redirect follows)."""
    try:
        compte_rendu = services.enregistrer_compte_rendu(
            reunion, form.cleaned_data["contenu"], form.cleaned_data["interne"], request.user)
    except ActionImpossible as exc:
        form.add_error("contenu", str(exc))
        return False
    if action != "publier" or compte_rendu.est_publie:
        messages.success(request, _("Le compte rendu est enregistré.") if compte_rendu.est_publie
                         else _("Le brouillon du compte rendu est enregistré. Il n'est pas public."))
        return True
    try:
        services.publier_compte_rendu(compte_rendu, request.user)
    except ActionImpossible as exc:
        messages.warning(request, _("Le brouillon est enregistré, mais il n'est pas publié : %(raison)s")
                         % {"raison": exc})
    else:
        messages.success(request, _("Le compte rendu est publié ; les membres de l'atelier sont prévenu·e·s."))
    return True


@login_required
def compte_rendu(request, slug, pk):
    """Write the minutes (draft, publish, back to draft) and attach documents to them."""
    atelier = _atelier_gere(request, slug)
    reunion = _reunion(atelier, pk)
    existant = CompteRendu.objects.filter(reunion=reunion).first()
    form = CompteRenduForm(instance=existant)
    form_document = DocumentForm(prefix="document")
    action = request.POST.get("action")
    if request.method == "POST":
        if action in ("brouillon", "publier"):
            form = CompteRenduForm(request.POST, instance=existant)
            if form.is_valid() and _enregistrer_compte_rendu(request, reunion, form, action):
                return redirect("ateliers:compte_rendu", atelier.slug, reunion.pk)
        elif action == "retirer" and existant is not None:
            try:
                services.retirer_compte_rendu(existant, request.user)
            except ActionImpossible as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Le compte rendu est repassé en brouillon : il n'est plus public."))
            return redirect("ateliers:compte_rendu", atelier.slug, reunion.pk)
        elif action == "document" and existant is not None:
            form_document = DocumentForm(request.POST, request.FILES, prefix="document")
            if form_document.is_valid():
                services.ajouter_document(existant, form_document.cleaned_data["titre"],
                                          form_document.cleaned_data["fichier"], request.user)
                messages.success(request, _("Le document « %(titre)s » est joint au compte rendu.")
                                 % {"titre": form_document.cleaned_data["titre"]})
                return redirect("ateliers:compte_rendu", atelier.slug, reunion.pk)
        else:
            messages.error(request, _("Enregistrez d'abord le compte rendu (en brouillon) pour y joindre des "
                                      "documents.") if action == "document" else _("Action inconnue."))
            return redirect("ateliers:compte_rendu", atelier.slug, reunion.pk)
    documents = list(existant.documents.all()) if existant else []
    return render(request, "ateliers/gestion/compte_rendu.html", {
        "atelier": atelier, "reunion": reunion, "compte_rendu": existant, "form": form,
        "form_document": form_document, "documents": documents, "action": action,
    })


@login_required
@require_POST
def document_supprimer(request, slug, pk, doc):
    """Remove a document from the minutes (its file is deleted)."""
    atelier = _atelier_gere(request, slug)
    reunion = _reunion(atelier, pk)
    document = get_object_or_404(DocumentCompteRendu, pk=doc, compte_rendu__reunion=reunion)
    services.supprimer_document(document, request.user)
    messages.success(request, _("Le document « %(titre)s » est supprimé.") % {"titre": document.titre})
    return redirect("ateliers:compte_rendu", atelier.slug, reunion.pk)

