"""The follow-up dashboard of élu·e·s and agents (``/suivi/``), its CSV export, the engagement of an
élu·e on an adopted proposal, and the open data (``/donnees/``).

The figures come from ``statistiques`` and the open files from ``donnees_ouvertes``; each page runs a
fixed number of queries, whatever the number of proposals.
"""

import csv
import datetime
import json
from functools import wraps

import django_filters
import rules
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from ateliers.models import Atelier
from conseil_ess.comptes import roles, tableurs
from conseil_ess.comptes.admin_views import neutraliser_formule
from conseil_ess.comptes.middleware import MFARequiseMiddleware
from conseil_ess.comptes.models import ChampAction
from conseil_ess.comptes.predicates import est_elu
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.widgets import FiltreModeleRapide
from evenements import donnees_ouvertes as donnees_evenements

from . import donnees_ouvertes, services, statistiques, workflow
from .forms import IndicateurForm, PointSuiviForm, ValeurForm
from .models import MAX_INDICATEURS, Etat, Indicateur, Proposition

PAR_PAGE = 50


class SuiviFilter(django_filters.FilterSet):
    """The dashboard's filters (``?champ=2&atelier=<slug>&etat=adoptee&annee=2026``), shared by its CSV."""

    # Options read as rows (``FiltreModeleRapide``), no model instance per option.
    champ = FiltreModeleRapide(
        label=gettext_lazy("Champ d'action"), field_name="champs", queryset=ChampAction.objects.all(),
        to_field_name="numero", empty_label=gettext_lazy("Tous"), colonnes=("numero", "libelle_court"),
        libelle=ChampAction.libelle_de)
    atelier = FiltreModeleRapide(
        label=gettext_lazy("Atelier"), queryset=Atelier.objects.order_by("titre"), to_field_name="slug",
        empty_label=gettext_lazy("Tous"), colonnes=("titre",))
    etat = django_filters.ChoiceFilter(
        label=gettext_lazy("État"), choices=[(e.value, e.label) for e in statistiques.ETATS_PUBLICS],
        empty_label=gettext_lazy("Tous"))
    annee = django_filters.ChoiceFilter(
        label=gettext_lazy("Année de dépôt"), field_name="deposee_le", lookup_expr="year", choices=[],
        empty_label=gettext_lazy("Toutes"))

    class Meta:
        model = Proposition
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        annees = Proposition.objects.publiques().dates("deposee_le", "year", order="DESC")
        self.filters["annee"].extra["choices"] = [(str(d.year), str(d.year)) for d in annees]


def _filtrees(request):
    """Return the filter and the filtered public proposals, one row each (a clean base for the figures)."""
    filtre = SuiviFilter(request.GET or None, queryset=Proposition.objects.publiques())
    # The champ filter joins the champs: counting on a subquery keeps the figures' own joins apart.
    return filtre, Proposition.objects.filter(pk__in=filtre.qs.values("pk"))


class _MFAQuelleQueSoitLAdresse(MFARequiseMiddleware):
    def _bloque(self, request):
        return self._mfa_manquante(request)


def mfa_requise(vue):
    """Apply the two-factor rule of staff pages to a staff view outside their URL prefixes."""

    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        return _MFAQuelleQueSoitLAdresse(lambda req: vue(req, *args, **kwargs))(request)

    return enveloppe


@login_required
@permission_required("propositions.tableau_de_bord", raise_exception=True)
@require_safe
def tableau_de_bord(request):
    """Show the figures of the proposals, those waiting too long first, and the follow-up of adopted ones."""
    filtre, propositions = _filtrees(request)
    maintenant = timezone.now()
    attente = Paginator(statistiques.en_attente(propositions, maintenant), PAR_PAGE).get_page(request.GET.get("page"))
    for p in attente:
        p.jours_dans_l_etat = statistiques.jours_depuis(p.etat_depuis, maintenant)
    parametres = request.GET.copy()
    parametres.pop("page", None)
    adoptees = statistiques.adoptees_par_responsable(propositions)
    return render(request, "propositions/suivi/tableau_de_bord.html", {
        "filtre": filtre,
        "synthese": statistiques.synthese(propositions),
        "par_champ": statistiques.comptes_par_etat_et_champ(propositions),
        "par_atelier": statistiques.comptes_par_etat_et_atelier(propositions),
        "attente": attente,
        "nb_en_retard": propositions.filter(statistiques.q_en_attente_trop_longtemps(maintenant)).count(),
        "delai_jours": statistiques.delai_alerte().days,
        "adoptees": adoptees,
        "nb_sans_engagement": sum(bool(p.engagement_manquant) for g in adoptees for p in g["propositions"]),
        "parametres": parametres.urlencode(),
    })


def _nom_fichier(prefixe, extension):
    return f"{prefixe}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _date_locale(moment):
    if not moment:
        return ""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return moment.isoformat()


COLONNES_EXPORT = [
    gettext_lazy("Référence"), gettext_lazy("Titre"), gettext_lazy("État"), gettext_lazy("Champs d'action"),
    gettext_lazy("Atelier"), gettext_lazy("Déposée le"), gettext_lazy("Décision le"), gettext_lazy("Adoptée le"),
    gettext_lazy("Réalisée le"), gettext_lazy("Dans cet état depuis"), gettext_lazy("Jours dans l'état"),
    gettext_lazy("En attente au-delà du délai"), gettext_lazy("Élu·e responsable"),
    gettext_lazy("Service responsable"), gettext_lazy("Réalisation prévue le"), gettext_lazy("Avancement (%)"),
    gettext_lazy("Points de suivi"), gettext_lazy("Dernier point de suivi"), gettext_lazy("Adresse"),
]


@login_required
@permission_required("propositions.tableau_de_bord", raise_exception=True)
@require_safe
@cache_control(private=True, no_store=True)
def export_csv(request):
    """Return the dashboard's proposals (same filters) as CSV, those waiting too long first.

    For French offices, like the admin's exports: ``;``-separated UTF-8 with a BOM (``comptes.tableurs``);
    every cell goes through ``neutraliser_formule``.
    """
    _filtre, propositions = _filtrees(request)
    maintenant = timezone.now()
    qs = (statistiques.avec_alerte(propositions, maintenant)
          .annotate(nb_points=Count("points_suivi"), dernier_point=Max("points_suivi__date"))
          .select_related("atelier", "responsable_elu").prefetch_related("champs")
          .order_by("-en_retard", "deposee_le", "pk"))
    reponse = HttpResponse(content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = content_disposition_header(True, _nom_fichier("suivi-propositions", "csv"))
    ecrivain = tableurs.ecrivain_bureautique(reponse)
    ecrivain.writerow([str(c) for c in COLONNES_EXPORT])
    base_url = _base_url(request)
    for p in qs:  # one prefetch for all rows: the query count does not grow with the export
        ecrivain.writerow([neutraliser_formule(v) for v in (
            p.reference, p.titre, p.get_etat_display(), ", ".join(str(c) for c in p.champs.all()),
            p.atelier.titre if p.atelier else "", _date_locale(p.deposee_le), _date_locale(p.decidee_le),
            _date_locale(p.adoptee_le), _date_locale(p.realisee_le), _date_locale(p.etat_depuis),
            statistiques.jours_depuis(p.etat_depuis, maintenant), _("oui") if p.en_retard else _("non"),
            p.responsable_elu.nom_public if p.responsable_elu else "", p.service_responsable,
            _date_locale(p.date_prevue), "" if p.avancement is None else p.avancement, p.nb_points,
            _date_locale(p.dernier_point), base_url + p.get_absolute_url(),
        )])
    return reponse


class EngagementForm(forms.Form):
    """The engagement of an élu·e on an adopted proposal: who, which service, for when."""

    responsable_elu = forms.ModelChoiceField(
        label=gettext_lazy("Élu·e responsable"), queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("Choisissez l'élu·e"))
    service_responsable = forms.CharField(
        label=gettext_lazy("Service responsable"), max_length=200,
        help_text=gettext_lazy("Par exemple « Direction de l'économie sociale et solidaire »."))
    date_prevue = forms.DateField(
        label=gettext_lazy("Réalisation prévue le"), required=False,
        help_text=gettext_lazy("Facultatif : la date à laquelle la réalisation est attendue."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    commentaire = forms.CharField(
        label=gettext_lazy("Commentaire public"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Il apparaît dans le parcours public de la proposition."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        elus = (get_user_model().objects.filter(groups__name=roles.ELU, is_active=True)
                .order_by("last_name", "first_name", "pk").distinct())
        if not rules.has_perm("propositions.designer_tout_elu", user):
            # An élu·e takes the engagement for themselves; the secrétariat may name any élu·e.
            elus = elus.filter(pk=user.pk)
        self.fields["responsable_elu"].queryset = elus
        self.fields["responsable_elu"].label_from_instance = lambda elu: elu.nom_public

    def clean_date_prevue(self):
        date_prevue = self.cleaned_data.get("date_prevue")
        if date_prevue and date_prevue < timezone.localdate():
            raise forms.ValidationError(_("La date prévue de réalisation ne peut pas être déjà passée."))
        return date_prevue


def _proposition_suivie(reference):
    return get_object_or_404(
        Proposition.objects.publiques().select_related("responsable_elu").prefetch_related(
            "points_suivi", Prefetch("indicateurs", queryset=Indicateur.objects.prefetch_related("valeurs"))),
        reference=reference)


def _formulaires_avancement(proposition, lies=None):
    """The three follow-up forms of the engagement page, the bound one (with its errors) in ``lies``."""
    lies = lies or {}
    return {
        "point": lies.get("point") or PointSuiviForm(prefix="point"),
        "indicateur": lies.get("indicateur") or IndicateurForm(prefix="indicateur"),
        "valeur": lies.get("valeur") or ValeurForm(prefix="valeur", proposition=proposition),
    }


def _page_engagement(request, proposition, form=None, statut=200, lies=None):
    peut_avancer = request.user.has_perm("propositions.enregistrer_avancement", proposition)
    indicateurs = list(proposition.indicateurs.all())
    return render(request, "propositions/suivi/engagement.html", {
        "proposition": proposition, "form": form,
        "points": list(proposition.points_suivi.all()), "indicateurs": indicateurs,
        "peut_avancer": peut_avancer, "max_indicateurs": MAX_INDICATEURS,
        "avancement": _formulaires_avancement(proposition, lies) if peut_avancer else None,
    }, status=statut)


@login_required
@mfa_requise
@permission_required("propositions.tableau_de_bord", raise_exception=True)
def engagement(request, reference):
    """Record (adopted proposal) or show (implementation opened) the engagement of the responsible élu·e;
    the élu·e in charge and the secrétariat record the follow-up there too (``avancement``).

    The engagement is the transition ``adoptee → en_oeuvre`` of ``workflow`` (élu·e·s and agents).
    """
    proposition = _proposition_suivie(reference)
    form, statut = None, 200
    if proposition.etat == Etat.ADOPTEE:
        initial = {"service_responsable": proposition.service_responsable, "date_prevue": proposition.date_prevue,
                   "responsable_elu": proposition.responsable_elu_id or (
                       request.user.pk if est_elu(request.user) else None)}
        form = EngagementForm(request.POST or None, user=request.user, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    workflow.changer_etat(proposition, Etat.EN_OEUVRE, request.user, **form.cleaned_data)
                except ActionImpossible as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Engagement enregistré : la proposition %(reference)s est en cours "
                                                "de mise en œuvre.") % {"reference": proposition.reference})
                    return redirect("propositions:engagement", proposition.reference)
            statut = 400
    elif request.method == "POST":
        messages.error(request, _("Cette proposition n'attend pas d'engagement : elle est « %(etat)s ».")
                       % {"etat": proposition.get_etat_display()})
        statut = 400
    return _page_engagement(request, proposition, form, statut)


def _enregistrer_avancement(action, form, proposition, user):
    """Save one valid follow-up form through the services; return the French confirmation."""
    d = form.cleaned_data
    if action == "point":
        services.ajouter_point_suivi(proposition, d["texte"], user, date=d["date"], avancement=d["avancement"])
        return _("Point de suivi ajouté ; les personnes qui suivent la proposition sont prévenues.")
    if action == "indicateur":
        indicateur = services.ajouter_indicateur(
            proposition, d["libelle"], user, unite=d["unite"], cible=d["cible"], cible_texte=d["cible_texte"],
            valeur_reference=d["valeur_reference"])
        return _("Indicateur « %(libelle)s » ajouté ; les personnes qui suivent la proposition sont prévenues.") % {
            "libelle": indicateur.libelle}
    services.ajouter_valeur(d["indicateur"], d["date"], d["valeur"], user, commentaire=d["commentaire"])
    return _("Valeur enregistrée pour « %(libelle)s » ; les personnes qui suivent la proposition sont "
             "prévenues.") % {"libelle": d["indicateur"].libelle}


FORMULAIRES_AVANCEMENT = {"point": PointSuiviForm, "indicateur": IndicateurForm, "valeur": ValeurForm}


@login_required
@mfa_requise
def avancement(request, reference):
    """The élu·e in charge of an adopted proposal, or the secrétariat, adds a dated follow-up point (with the
    progress), an indicator or an indicator's value (rule ``propositions.enregistrer_avancement``); the forms
    are on the engagement page, which a GET leads back to. Anyone else gets a French 403 page."""
    proposition = _proposition_suivie(reference)
    if not request.user.has_perm("propositions.enregistrer_avancement", proposition):
        if not proposition.est_adoptee:
            message = _("Le suivi commence quand la proposition est adoptée : elle est « %(etat)s ».") % {
                "etat": proposition.get_etat_display()}
        else:
            message = _("Seul·e l'élu·e responsable de la mise en œuvre de cette proposition, ou le secrétariat "
                        "du Conseil, enregistre son avancement. Pour signaler une avancée, écrivez au "
                        "secrétariat du Conseil.")
        return render(request, "propositions/refus.html", {"proposition": proposition, "message": message},
                      status=403)
    url = reverse("propositions:engagement", args=[proposition.reference]) + "#avancement"
    if request.method != "POST":
        return redirect(url)
    action = request.POST.get("action")
    if action not in FORMULAIRES_AVANCEMENT:
        messages.error(request, _("Choisissez ce que vous enregistrez : un point de suivi, un indicateur ou une "
                                  "valeur."))
        return redirect(url)
    classe = FORMULAIRES_AVANCEMENT[action]
    options = {"proposition": proposition} if action == "valeur" else {}
    form = classe(request.POST, prefix=action, **options)
    if form.is_valid():
        try:
            message = _enregistrer_avancement(action, form, proposition, request.user)
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(url)
    # Invalid or refused: the engagement page again, the form with what was typed and the French reasons.
    return _page_engagement(request, _proposition_suivie(reference), statut=400, lies={action: form})


@require_safe
def donnees(request):
    """Document the open data of the proposals: files, fields, licence, frequency."""
    return render(request, "propositions/donnees/index.html", {
        "champs_csv": donnees_ouvertes.CHAMPS_CSV,
        "champs_json": donnees_ouvertes.CHAMPS_JSON_SUPPLEMENTAIRES,
        "champs_evenements": donnees_evenements.CHAMPS_CSV,
        "champs_evenements_json": donnees_evenements.CHAMPS_JSON_SUPPLEMENTAIRES,
    })


def _base_url(request):
    return f"{request.scheme}://{request.get_host()}"


@require_safe
@cache_control(public=True, max_age=300)
def donnees_csv(request):
    """Return one row per public proposal, public fields only: open data, RFC 4180 (UTF-8 without BOM,
    comma-separated), unlike the office exports."""
    reponse = HttpResponse(content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = content_disposition_header(True, "propositions.csv")
    ecrivain = csv.writer(reponse)
    ecrivain.writerow([c.nom for c in donnees_ouvertes.CHAMPS_CSV])
    base_url = _base_url(request)
    for p in donnees_ouvertes.propositions_publiques():
        ecrivain.writerow([neutraliser_formule(v) for v in donnees_ouvertes.ligne_csv(p, base_url)])
    return reponse


@require_safe
@cache_control(public=True, max_age=300)
def donnees_json(request):
    """Return the list of public proposals with their public fields, timeline, follow-up and indicators."""
    base_url = _base_url(request)
    contenu = [donnees_ouvertes.en_json(p, base_url) for p in donnees_ouvertes.propositions_avec_parcours()]
    reponse = HttpResponse(json.dumps(contenu, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
                           content_type="application/json; charset=utf-8")
    reponse["Content-Disposition"] = content_disposition_header(False, "propositions.json")
    return reponse
