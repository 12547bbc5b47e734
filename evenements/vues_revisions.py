"""The organiser's side of the revisions of published events (issue 18): propose a change from the edit
page (``views.modifier`` hands published events over here), see it, withdraw it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import differences, revisions
from .forms import EvenementForm
from .models import Evenement, RevisionEvenement
from .services import ActionImpossible


def modifier_publie(request, evenement):
    """The edit form of a published event for an organiser: saving records a pending revision (or updates the
    person's own); the published version stays online until a moderator accepts it."""
    if not request.user.has_perm("evenements.reviser", evenement):
        raise PermissionDenied
    revision = revisions.en_attente_de(evenement, request.user)
    brouillon = Evenement.objects.get(pk=evenement.pk)  # changed in memory by the form, never saved
    initial = revisions.appliquer_en_memoire(brouillon, revision.valeurs) if revision else {}
    form = EvenementForm(request.POST or None, instance=brouillon, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            revision, directes = revisions.proposer_revision(
                evenement, revisions.valeurs_du_formulaire(form), par=request.user
            )
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            _annoncer(request, revision, directes)
            return redirect(evenement)
    return render(
        request,
        "evenements/formulaire.html",
        {
            "form": form,
            "evenement": evenement,
            "etait_publie": True,
            "moderateur": False,
            "revision": revision,
        },
    )


def _annoncer(request, revision, directes):
    if directes:
        messages.success(
            request, _("Vos corrections (%(champs)s) sont en ligne.") % {"champs": revisions.libelles(directes)}
        )
    if revision is not None:
        messages.success(
            request,
            _(
                "Votre modification est enregistrée : modification en attente de validation par l'équipe de "
                "modération. D'ici là, l'agenda et les flux d'agenda montrent la version publiée."
            ),
        )
    elif not directes:
        messages.info(request, _("Aucune modification par rapport à la version publiée : rien n'a été envoyé."))


def _revision(request, slug, pk):
    """The revision ``pk`` of the event ``slug`` if the person may see it; 404 otherwise (never revealed)."""
    revision = get_object_or_404(
        RevisionEvenement.objects.select_related("evenement", "auteur"), pk=pk, evenement__slug=slug
    )
    if not request.user.has_perm("evenements.voir_revision", revision):
        raise Http404
    return revision


@login_required
def revision(request, slug, pk):
    """A revision as its author (or a moderator) sees it: its state, and what it changes in the published
    version, side by side."""
    objet = _revision(request, slug, pk)
    return render(
        request,
        "evenements/revisions/detail.html",
        {
            **differences.contexte(objet),
            "evenement": objet.evenement,
            "peut_retirer": request.user.has_perm("evenements.retirer_revision", objet),
        },
    )


@login_required
@require_POST
def retirer(request, slug, pk):
    """Its author withdraws a pending revision; the published version stays."""
    objet = _revision(request, slug, pk)
    try:
        revisions.retirer_revision(objet, par=request.user)
    except ActionImpossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Votre modification est retirée : la version publiée reste en ligne."))
    return redirect(objet.evenement)
