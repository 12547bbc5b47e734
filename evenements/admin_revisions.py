"""*Agenda › Modifications à valider* (issue 18): the pending revisions of published events, oldest first,
and for each the side-by-side difference with the published version, the conflicts, and the decision
(accept, with « remplacer les champs en conflit » when needed; refuse with a reason sent to the organiser)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from . import differences, revisions
from .models import RevisionEvenement
from .services import ActionImpossible

NS_REVISIONS = "evenements_revisions"
R = RevisionEvenement.Statut


class AccepterForm(forms.Form):
    remplacer = forms.BooleanField(
        label=gettext_lazy("Remplacer les champs en conflit par la version proposée"),
        required=False,
        help_text=gettext_lazy("Sans cette case, une proposition en conflit n'est pas appliquée."),
    )


class RefuserForm(forms.Form):
    motif = forms.CharField(
        label=gettext_lazy("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("Il est envoyé à la personne qui a proposé la modification."),
    )


class ModerateurRequisMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("evenements.moderer"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RevisionsIndexView(ModerateurRequisMixin, WagtailAdminTemplateMixin, TemplateView):
    """The pending revisions, oldest first; a flag when the event changed since, or another one waits."""

    template_name = "evenements/revisions/admin_index.html"
    page_title = gettext_lazy("Modifications à valider")
    header_icon = "edit"

    def get_context_data(self, **kwargs):
        autres = (
            RevisionEvenement.objects.filter(evenement=OuterRef("evenement"), statut=R.EN_ATTENTE)
            .order_by()
            .values("evenement")
            .annotate(n=Count("pk"))
            .values("n")
        )
        qs = (
            RevisionEvenement.objects.filter(statut=R.EN_ATTENTE)
            .select_related("evenement", "auteur")
            .annotate(en_attente_sur_l_evenement=Subquery(autres))
            .order_by("cree_le", "pk")
        )
        page = Paginator(qs, 50).get_page(self.request.GET.get("p"))
        for revision in page.object_list:
            revision.modifie_depuis = revision.evenement.modifie_le > revision.base_modifie_le
        return super().get_context_data(page_obj=page, revisions=page.object_list, **kwargs)


class RevisionDetailView(ModerateurRequisMixin, WagtailAdminTemplateMixin, TemplateView):
    """One revision: the difference, the conflicts, and the two decisions (POST ``action``)."""

    template_name = "evenements/revisions/admin_detail.html"
    page_title = gettext_lazy("Modification d'un événement publié")
    header_icon = "edit"

    def dispatch(self, request, pk):
        self.revision = get_object_or_404(RevisionEvenement.objects.select_related("evenement", "auteur"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.revision.evenement.titre

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{NS_REVISIONS}:index"), "label": _("Modifications à valider")},
            {"url": "", "label": self.revision.evenement.titre},
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form_accepter", AccepterForm())
        kwargs.setdefault("form_refuser", RefuserForm())
        return super().get_context_data(
            **differences.contexte(self.revision), evenement=self.revision.evenement, **kwargs
        )

    def post(self, request, pk):
        action = request.POST.get("action")
        form = (AccepterForm if action == "accepter" else RefuserForm)(request.POST)
        form.is_valid()
        try:
            if action == "accepter":
                revisions.accepter_revision(
                    self.revision, par=request.user, remplacer=form.cleaned_data.get("remplacer", False)
                )
                messages.success(
                    request,
                    _("La modification de « %(titre)s » est publiée.") % {"titre": self.revision.evenement.titre},
                )
            elif action == "refuser":
                revisions.refuser_revision(self.revision, par=request.user, motif=form.cleaned_data.get("motif"))
                messages.success(
                    request,
                    _("La modification de « %(titre)s » est refusée ; la personne qui l'a proposée est prévenue.")
                    % {"titre": self.revision.evenement.titre},
                )
            else:
                raise ActionImpossible(_("Choisissez d'accepter ou de refuser la modification."))
        except ActionImpossible as exc:
            vide = action == "refuser" and not (form.cleaned_data.get("motif") or "").strip()
            form.add_error("motif" if vide else None, str(exc))
            self.revision.refresh_from_db()
            cle = "form_accepter" if action == "accepter" else "form_refuser"
            return self.render_to_response(self.get_context_data(**{cle: form}), status=200)
        return redirect(reverse(f"{NS_REVISIONS}:index"))


class RevisionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("evenements.moderer")


class RevisionsViewSet(ViewSet):
    name = NS_REVISIONS
    url_prefix = "agenda/revisions"
    icon = "edit"
    menu_label = gettext_lazy("Modifications à valider")
    menu_item_class = RevisionsMenuItem

    def get_urlpatterns(self):
        return [
            path("", RevisionsIndexView.as_view(), name="index"),
            path("<int:pk>/", RevisionDetailView.as_view(), name="detail"),
        ]
