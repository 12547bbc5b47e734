"""The secrétariat's back office for séances, in the Wagtail admin (menu « Séances », namespace
``seances_admin``; the viewset is in ``wagtail_hooks.py``).

- ``ListeView``: every séance, upcoming ones first (soonest first), then past ones (latest first), paginated.
- ``NouvelleSeanceView``: the creation form → ``services.creer_seance``.
- ``PreparerView``: the agenda (add an information item or a vote → ``services.ajouter_point``), the agenda's
  publication (``services.publier_ordre_du_jour``), the documents (``documents.ajouter_document`` /
  ``supprimer_document``), the paper attendance figure (``documents.declarer_presents``), and the link to the
  live page where the séance is driven (next item, votes).
- ``EmargementView``: the members in office, searchable and paginated, each checked in with one button
  (``services.emarger(…, par=agent)``); ``QrCodeView``: the room's QR code of the check-in link.
- ``ProcesVerbalView``: generate, edit, publish or withdraw the minutes (``proces_verbal``).

Access: the rule ``seances.gerer_seance`` (agents), on top of Wagtail's own admin access check. Every write
goes through a service; its French refusal (``ActionImpossible``) comes back next to the field it is about,
with what was typed kept.
"""


import qrcode
import qrcode.image.svg
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from conseil_ess.comptes.models import MembreConseil
from conseil_ess.comptes.services import ActionImpossible

from . import documents, proces_verbal, services
from .etats import SEANCE
from .forms_admin import (
    DocumentForm,
    FormulaireAccessible,
    ModifierPointForm,
    PointForm,
    PresentsForm,
    ProcesVerbalForm,
    SeanceForm,
    ajouter_erreur,
)
from .models import DocumentSeance, Emargement, PointOrdreDuJour, ProcesVerbal, Scrutin, Seance
from .views_documents import taille_fichier

NS = "seances_admin"
PERMISSION = "seances.gerer_seance"
PAR_PAGE = 20
MEMBRES_PAR_PAGE = 50


def url_admin(nom, seance=None):
    return reverse(f"{NS}:{nom}", args=[seance.pk] if seance is not None else [])


def url_direct(seance):
    """The live page (``seances:direct``), or None while that route does not exist."""
    try:
        return reverse("seances:direct", args=[seance.slug])
    except NoReverseMatch:
        return None


def url_emargement_qr(request, seance):
    """The absolute check-in link the room's QR code holds (``seances:emarger``, slug and token)."""
    try:
        chemin = reverse("seances:emarger", args=[seance.slug, seance.jeton_emargement])
    except NoReverseMatch:  # the route's documented path, should the live module not be loaded
        chemin = f"/seances/{seance.slug}/emarger/{seance.jeton_emargement}/"
    return request.build_absolute_uri(chemin)


def qr_svg(texte):
    """An SVG QR code of ``texte`` (path image: one element, scales without blur), ready for the template.

    Safe to insert as is: the markup is the library's own (one ``<svg>`` with one ``<path>``); ``texte`` is
    only encoded in the path's geometry, never written into the markup.
    """
    image = qrcode.make(texte, image_factory=qrcode.image.svg.SvgPathImage, box_size=20, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (generated markup, see above)


class SecretariatMixin(WagtailAdminTemplateMixin):
    """Agents only (``seances.gerer_seance``); loads ``self.seance`` when the URL has its pk."""

    header_icon = "group"
    seance = None

    def dispatch(self, request, *args, **kwargs):
        self.formulaires = {}
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        if "pk" in kwargs:
            self.seance = get_object_or_404(
                Seance.objects.select_related("evenement", "evenement__lieu", "evenement__commune"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.seance) if self.seance is not None else ""

    def onglets(self):
        if self.seance is None:
            return []
        return [
            (url_admin("preparer", self.seance), _("Préparer")),
            (url_admin("emargement", self.seance), _("Émargement")),
            (url_admin("proces_verbal", self.seance), _("Procès-verbal")),
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("seance", self.seance)
        kwargs.setdefault("onglets", self.onglets())
        kwargs.setdefault("url_liste", url_admin("index"))
        if self.seance is not None:
            kwargs.setdefault("url_direct", url_direct(self.seance))
        for valeur in kwargs.values():
            if isinstance(valeur, FormulaireAccessible) and valeur.is_bound:
                valeur.marquer_erreurs()
        return super().get_context_data(**kwargs)


class ListeView(SecretariatMixin, TemplateView):
    template_name = "seances/admin/index.html"
    page_title = gettext_lazy("Séances plénières")

    def get_context_data(self, **kwargs):
        maintenant = timezone.now()
        seances = (
            Seance.objects.select_related("evenement", "evenement__lieu", "proces_verbal")
            .annotate(nb_points=Count("points", distinct=True), nb_emargements=Count("emargements", distinct=True),
                      passee=Case(When(evenement__fin__lt=maintenant, then=Value(1)), default=Value(0),
                                  output_field=IntegerField()),
                      debut_a_venir=Case(When(evenement__fin__gte=maintenant, then=F("evenement__debut")),
                                         default=None))
            .order_by("passee", F("debut_a_venir").asc(nulls_last=True), "-evenement__debut", "-pk")
        )
        page = Paginator(seances, PAR_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, seances=page.object_list,
                                        url_nouvelle=url_admin("ajouter"), **kwargs)


class FormulairesMixin:
    """POST dispatch by ``action``: each ``_<action>`` returns a success message, or raises ``Invalide`` (the
    bound form kept in ``self.formulaires`` comes back with its errors)."""

    ACTIONS = ()

    class Invalide(Exception):
        pass

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            messages.error(request, _("Action inconnue."))
            return redirect(request.get_full_path())
        try:
            message = getattr(self, f"_{action}")()
        except self.Invalide:
            messages.error(request, _("Corrigez les erreurs du formulaire."))
            return self.render_to_response(self.get_context_data())
        except ActionImpossible as exc:  # a refusal with no form to show it on
            messages.error(request, str(exc))
            return self.render_to_response(self.get_context_data())
        messages.success(request, message)
        return redirect(self.url_apres(action))

    def url_apres(self, action):
        return self.request.get_full_path()

    def verifier(self, form, appel):
        """Validate ``form`` then run ``appel(cleaned_data)``; a service refusal goes onto the form."""
        if not form.is_valid():
            raise self.Invalide
        try:
            return appel(form.cleaned_data)
        except ActionImpossible as exc:
            ajouter_erreur(form, exc, getattr(form, "CHAMPS_PAR_MOT", []))
            raise self.Invalide from exc


class NouvelleSeanceView(SecretariatMixin, FormulairesMixin, TemplateView):
    template_name = "seances/admin/nouvelle.html"
    page_title = gettext_lazy("Nouvelle séance")
    ACTIONS = ("creer",)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.formulaires.get("creer") or SeanceForm(), **kwargs)

    def _creer(self):
        form = self.formulaires["creer"] = SeanceForm(self.request.POST)

        def creer(d):
            return services.creer_seance(
                self.request.user, titre=d["titre"], debut=d["debut"], fin=d["fin"], nature=d["nature"],
                motif_exceptionnelle=d["motif_exceptionnelle"], presidence=d["presidence"], lieu=d["lieu"],
                precision_lieu=d["precision_lieu"], resume=d["resume"])

        self.nouvelle = self.verifier(form, creer)
        return _("Séance « %(titre)s » créée : préparez son ordre du jour.") % {"titre": self.nouvelle}

    def url_apres(self, action):
        return url_admin("preparer", self.nouvelle)


class PreparerView(SecretariatMixin, FormulairesMixin, TemplateView):
    template_name = "seances/admin/preparer.html"
    page_title = gettext_lazy("Préparer la séance")
    ACTIONS = ("point", "deplacer", "publier", "document", "supprimer_document", "presents")

    def get_context_data(self, **kwargs):
        seance = self.seance
        points = list(PointOrdreDuJour.objects.filter(seance=seance).order_by("ordre", "pk"))
        scrutins = {s.point_id: s for s in Scrutin.objects.filter(seance=seance).select_related("proposition",
                                                                                                 "thematique")}
        for point in points:
            point.le_scrutin = scrutins.get(point.pk)
        docs = list(DocumentSeance.objects.filter(seance=seance))
        for doc in docs:
            doc.taille = taille_fichier(doc)
        return super().get_context_data(
            points=points,
            documents=docs,
            point_form=self.formulaires.get("point") or PointForm(prefix="point", seance=seance),
            document_form=self.formulaires.get("document") or DocumentForm(prefix="document"),
            presents_form=self.formulaires.get("presents") or PresentsForm(
                prefix="presents", initial={"presents_declares": seance.presents_declares}),
            modifiable=seance.statut != Seance.Statut.TERMINEE,
            ordonnable=seance.statut in (Seance.Statut.PREPARATION, Seance.Statut.ORDRE_DU_JOUR_PUBLIE),
            publiable=seance.statut == Seance.Statut.PREPARATION,
            nb_emargements=seance.emargements.count(),
            **kwargs,
        )

    def _point(self):
        form = self.formulaires["point"] = PointForm(self.request.POST, prefix="point", seance=self.seance)

        def ajouter(d):
            titre, description, scrutin = form.arguments_service()
            return services.ajouter_point(self.seance, self.request.user, titre, description, scrutin=scrutin)

        point = self.verifier(form, ajouter)
        return _("Point « %(titre)s » ajouté à l'ordre du jour.") % {"titre": point.titre}

    def _deplacer(self):
        """« Monter » / « Descendre »: a plain form per item and direction (keyboard and no JavaScript)."""
        try:
            pk = int(self.request.POST.get("point", ""))
        except ValueError:
            raise ActionImpossible(_("Point inconnu.")) from None
        point = PointOrdreDuJour.objects.filter(pk=pk, seance=self.seance).first()
        if point is None:
            raise ActionImpossible(_("Point inconnu."))
        sens = -1 if self.request.POST.get("sens") == "monter" else 1
        rang = services.deplacer_point(point, self.request.user, sens)
        return _("Point « %(titre)s » déplacé en position %(rang)s.") % {"titre": point.titre, "rang": rang}

    def _publier(self):
        services.publier_ordre_du_jour(self.seance, self.request.user)
        return _("Ordre du jour publié : les membres du Conseil sont prévenus.")

    def _document(self):
        form = self.formulaires["document"] = DocumentForm(self.request.POST, self.request.FILES, prefix="document")
        document = self.verifier(form, lambda d: documents.ajouter_document(self.seance, self.request.user,
                                                                            d["titre"], d["fichier"]))
        return _("Document « %(titre)s » ajouté.") % {"titre": document.titre}

    def _supprimer_document(self):
        try:
            pk = int(self.request.POST.get("document", ""))
        except ValueError:
            pk = None
        document = DocumentSeance.objects.filter(seance=self.seance, pk=pk).first()
        if document is None:
            raise ActionImpossible(_("Ce document n'existe plus."))
        titre = document.titre
        documents.supprimer_document(document, self.request.user)
        return _("Document « %(titre)s » supprimé.") % {"titre": titre}

    def _presents(self):
        form = self.formulaires["presents"] = PresentsForm(self.request.POST, prefix="presents")
        self.verifier(form, lambda d: documents.declarer_presents(self.seance, self.request.user,
                                                                  d["presents_declares"]))
        return _("Nombre de présents enregistré.")


class PointMixin(SecretariatMixin):
    """An agenda item of the séance (``point`` in the URL), editable or deletable until the séance starts."""

    def dispatch(self, request, *args, **kwargs):
        self.point_id = kwargs.get("point")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.point = get_object_or_404(PointOrdreDuJour, pk=self.point_id, seance=self.seance)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.point = get_object_or_404(PointOrdreDuJour, pk=self.point_id, seance=self.seance)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("point", None)  # the URL's pk of the item
        self.scrutin = Scrutin.objects.filter(point=self.point).first()
        return super().get_context_data(
            point=self.point, scrutin=self.scrutin, url_preparer=url_admin("preparer", self.seance),
            commencee=self.seance.statut not in (Seance.Statut.PREPARATION, Seance.Statut.ORDRE_DU_JOUR_PUBLIE),
            **kwargs)

    def url_apres(self, action):
        return url_admin("preparer", self.seance)


class ModifierPointView(PointMixin, FormulairesMixin, TemplateView):
    template_name = "seances/admin/modifier_point.html"
    page_title = gettext_lazy("Modifier un point de l'ordre du jour")
    ACTIONS = ("modifier",)

    def _avec_question(self):
        return Scrutin.objects.filter(point=self.point, statut=Scrutin.Statut.PREPARE).exists()

    def get_context_data(self, **kwargs):
        form = self.formulaires.get("modifier") or ModifierPointForm(
            prefix="point", avec_question=self._avec_question(),
            initial={"titre": self.point.titre, "description": self.point.description})
        return super().get_context_data(form=form, **kwargs)

    def _modifier(self):
        form = self.formulaires["modifier"] = ModifierPointForm(self.request.POST, prefix="point",
                                                                avec_question=self._avec_question())
        point = self.verifier(form, lambda d: services.modifier_point(
            self.point, self.request.user, d["titre"], d["description"], question=d.get("question")))
        return _("Point « %(titre)s » modifié.") % {"titre": point.titre}


class SupprimerPointView(PointMixin, FormulairesMixin, TemplateView):
    """Asks once (a plain page, no JavaScript): says whether the item's prepared scrutin goes with it, or why
    the item stays (its scrutin is open or closed, or the séance has started)."""

    template_name = "seances/admin/supprimer_point.html"
    page_title = gettext_lazy("Supprimer un point de l'ordre du jour")
    ACTIONS = ("supprimer",)

    def get_context_data(self, **kwargs):
        possible, _scrutin = services.suppression_possible(self.point)
        return super().get_context_data(suppression_possible=possible, **kwargs)

    def _supprimer(self):
        titre = services.supprimer_point(self.point, self.request.user)
        return _("Point « %(titre)s » supprimé de l'ordre du jour.") % {"titre": titre}


class EmargementView(SecretariatMixin, FormulairesMixin, TemplateView):
    template_name = "seances/admin/emargement.html"
    page_title = gettext_lazy("Émargement")
    ACTIONS = ("emarger",)

    def get_context_data(self, **kwargs):
        seance = self.seance
        recherche = (self.request.GET.get("q") or "").strip()
        mandats = MembreConseil.objects.valides().select_related("user", "structure", "college").order_by(
            "user__last_name", "user__first_name", "user__email", "pk")
        if recherche:
            mandats = mandats.filter(
                Q(user__first_name__icontains=recherche) | Q(user__last_name__icontains=recherche)
                | Q(user__nom_affiche__icontains=recherche) | Q(user__email__icontains=recherche)
                | Q(structure__nom__icontains=recherche))
        page = Paginator(mandats, MEMBRES_PAR_PAGE).get_page(self.request.GET.get("page"))
        emargements = {e.user_id: e for e in Emargement.objects.filter(
            seance=seance, user_id__in=[m.user_id for m in page.object_list])}
        for mandat in page.object_list:
            mandat.emargement = emargements.get(mandat.user_id)
        nb_emargements = seance.emargements.count()
        return super().get_context_data(
            page_obj=page, mandats=page.object_list, recherche=recherche, nb_emargements=nb_emargements,
            nb_presents=seance.nombre_presents(nb_emargements),
            ouvert=seance.statut in SEANCE.etats_ou("emargement_ouvert"),
            url_qr=url_admin("qr_code", seance),
            **kwargs,
        )

    def _emarger(self):
        mandat = MembreConseil.objects.valides().select_related("user").filter(
            user_id=self.request.POST.get("user") if (self.request.POST.get("user") or "").isdigit() else None).first()
        if mandat is None:
            raise ActionImpossible(_("Seuls les membres du Conseil en exercice peuvent émarger."))
        services.emarger(self.seance, mandat.user, par=self.request.user)
        return _("%(nom)s est émargé·e.") % {"nom": mandat.user.nom_public}


class QrCodeView(SecretariatMixin, TemplateView):
    template_name = "seances/admin/qr_code.html"
    page_title = gettext_lazy("QR code d'émargement de la salle")

    def get_context_data(self, **kwargs):
        lien = url_emargement_qr(self.request, self.seance)
        return super().get_context_data(
            lien=lien, svg=qr_svg(lien),
            ouvert=self.seance.statut in SEANCE.etats_ou("emargement_ouvert"), **kwargs)


class ProcesVerbalView(SecretariatMixin, FormulairesMixin, TemplateView):
    template_name = "seances/admin/proces_verbal.html"
    page_title = gettext_lazy("Procès-verbal")
    ACTIONS = ("generer", "enregistrer", "publier", "depublier")

    @property
    def pv(self):
        return ProcesVerbal.objects.filter(seance=self.seance).select_related("modifie_par").first()

    def get_context_data(self, **kwargs):
        pv = self.pv
        form = self.formulaires.get("enregistrer")
        if form is None and pv is not None:
            form = ProcesVerbalForm(prefix="pv", initial={"contenu": pv.contenu})
        try:
            url_public = reverse("seances:proces_verbal", args=[self.seance.slug])
        except NoReverseMatch:
            url_public = None
        return super().get_context_data(pv=pv, form=form, peut_generer=proces_verbal.peut_generer(self.seance),
                                        url_public=url_public, **kwargs)

    def _pv_existant(self):
        pv = self.pv
        if pv is None:
            raise ActionImpossible(_("Générez d'abord le procès-verbal."))
        return pv

    def _generer(self):
        existait = self.pv is not None
        proces_verbal.generer(self.seance, self.request.user)
        if existait:
            return _("Brouillon du procès-verbal régénéré à partir des données enregistrées.")
        return _("Brouillon du procès-verbal généré : relisez-le, complétez-le, puis publiez-le.")

    def _enregistrer(self):
        pv = self._pv_existant()
        form = self.formulaires["enregistrer"] = ProcesVerbalForm(self.request.POST, prefix="pv")
        self.verifier(form, lambda d: proces_verbal.enregistrer(pv, self.request.user, d["contenu"]))
        return _("Procès-verbal enregistré.")

    def _publier(self):
        proces_verbal.publier(self._pv_existant(), self.request.user)
        return _("Procès-verbal publié : les membres du Conseil sont prévenus.")

    def _depublier(self):
        proces_verbal.depublier(self._pv_existant(), self.request.user)
        return _("Publication du procès-verbal retirée : il redevient un brouillon.")
