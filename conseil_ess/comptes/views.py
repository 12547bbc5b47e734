import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from conseil_ess.ecritures import champs_du_formulaire
from conseil_ess.pagination import page_comptee
from conseil_ess.prechargement import instances, lecture, precharger, relier, sql_colonne, sql_jointure, sql_table

from . import services
from .forms import (
    AffichageMandatForm,
    DemandeAdhesionForm,
    DemandeMandatForm,
    PreferencesNotificationsForm,
    ProfilForm,
    StructureForm,
)
from .models import Adhesion, College, Commune, MembreConseil, Structure
from .notifications import fenetre_regroupement, marquer_lues, serialiser


@login_required
def mon_espace(request):
    user = request.user
    notifications = Paginator(user.notifications.all(), 20).get_page(request.GET.get("page"))
    adhesions = user.adhesions.select_related("structure").order_by("structure__nom")
    demandes = (
        Adhesion.objects.filter(
            statut=Adhesion.Statut.DEMANDEE,
            structure__adhesions__user=user,
            structure__adhesions__role=Adhesion.Role.REFERENT,
            structure__adhesions__statut=Adhesion.Statut.ACCEPTEE,
        )
        .select_related("user", "structure")
        .distinct()
    )
    return render(request, "comptes/mon_espace.html", {
        "notifications": notifications,
        "adhesions": adhesions,
        "demandes": demandes,
    })


@login_required
def profil(request):
    form = ProfilForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil a été enregistré."))
        return redirect("comptes:profil")
    adhesions = request.user.adhesions.select_related("structure").order_by("structure__nom")
    return render(request, "comptes/profil.html", {"form": form, "adhesions": adhesions})


@login_required
def notifications_json(request):
    """Return the latest notifications: the page refetches them after a socket reconnects."""
    qs = request.user.notifications.all()[:20]
    return JsonResponse({
        "non_lues": request.user.notifications.non_lues().count(),
        "notifications": [serialiser(n) for n in qs],
    })


@login_required
@require_POST
def notifications_lues(request):
    marquer_lues(request.user)
    messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("comptes:mon_espace")


@login_required
def notifications_preferences(request):
    """Let the person choose, per category, how notifications reach them by e-mail."""
    form = PreferencesNotificationsForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos préférences de notification ont été enregistrées."))
        return redirect("comptes:notifications_preferences")
    return render(request, "comptes/notifications_preferences.html", {
        "form": form, "fenetre_minutes": int(fenetre_regroupement().total_seconds() // 60),
    })


def structure_liste(request):
    # Only what the cards show (the list holds 20 structures of some forty columns each); the page and the list's
    # length read by one query (``page_comptee``), the cards' agréments by plain SQL (``precharger``, in place of
    # a prefetch costlier to build than to run), the communes of the filter as their two columns.
    qs = (Structure.objects.publiques().select_related("commune")
          .only("nom", "slug", "forme_juridique", "commune__nom", "commune__slug"))
    commune = request.GET.get("commune") or ""
    requete = (request.GET.get("q") or "").strip()[:100]
    if commune:
        qs = qs.filter(commune__slug=commune)
    if requete:
        qs = qs.filter(nom__icontains=requete)
    page, structures = page_comptee(qs, request.GET.get("page"), 20)
    precharger(structures, "agrements", ["libelle"])
    return render(request, "comptes/structure_liste.html", {
        "page_obj": page, "structures": structures, "communes": Commune.objects.values("slug", "nom"),
        "commune": commune, "requete": requete,
    })


def _structure_visible(request, slug):
    structure = get_object_or_404(Structure.objects.select_related("commune"), slug=slug)
    if not request.user.has_perm("comptes.voir_structure", structure):
        raise Http404
    return structure


def structure_detail(request, slug):
    structure = _structure_visible(request, slug)
    membres = structure.adhesions.filter(statut=Adhesion.Statut.ACCEPTEE).select_related("user")
    mon_adhesion = None
    if request.user.is_authenticated:
        mon_adhesion = structure.adhesions.filter(user=request.user).first()
    return render(request, "comptes/structure_detail.html", {
        "structure": structure,
        "membres": membres,
        "mon_adhesion": mon_adhesion,
        "form_adhesion": DemandeAdhesionForm(),
        "peut_modifier": request.user.has_perm("comptes.modifier_structure", structure),
        "agrements": structure.agrements.all(),
    })


@login_required
def structure_creer(request):
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _champs, relations = champs_du_formulaire(form)
        structure = services.creer_structure(form.structure(), par=request.user, relations=relations)
        messages.success(request, _(
            "La structure « %(nom)s » est créée. Vous en êtes le ou la référent·e. Le secrétariat "
            "la validera avant qu'elle soit visible publiquement."
        ) % {"nom": structure.nom})
        return redirect(structure)
    return render(request, "comptes/structure_form.html", {"form": form, "creation": True})


@login_required
def structure_modifier(request, slug):
    structure = get_object_or_404(Structure, slug=slug)
    if not request.user.has_perm("comptes.modifier_structure", structure):
        raise Http404
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        champs, relations = champs_du_formulaire(form)
        try:
            services.modifier_structure(form.structure(), champs, relations, par=request.user)
        except services.ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Les informations de la structure sont enregistrées."))
            return redirect(structure)
    return render(request, "comptes/structure_form.html", {"form": form, "structure": structure})


@login_required
@require_POST
def structure_rejoindre(request, slug):
    structure = _structure_visible(request, slug)
    form = DemandeAdhesionForm(request.POST)
    if form.is_valid():
        try:
            services.demander_adhesion(request.user, structure, form.cleaned_data["message"])
        except services.ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Votre demande a été transmise aux référent·e·s de la structure."))
    return redirect(structure)


@login_required
@require_POST
def structure_quitter(request, slug):
    structure = get_object_or_404(Structure, slug=slug)
    try:
        services.quitter_structure(request.user, structure)
    except services.ActionImpossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Vous ne faites plus partie de « %(nom)s ».") % {"nom": structure.nom})
    return redirect("comptes:profil")


def _adhesion(request, pk, **kwargs):
    return get_object_or_404(Adhesion.objects.select_related("structure"), pk=pk)


@login_required
@require_POST
@permission_required("comptes.decider_adhesion", fn=_adhesion, raise_exception=True)
def adhesion_decider(request, pk, decision):
    adhesion = _adhesion(request, pk)
    try:
        services.decider_adhesion(adhesion, par=request.user, accepter=decision == "accepter")
    except services.ActionImpossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Votre réponse a été enregistrée et transmise."))
    return redirect("comptes:mon_espace")


# --- Membership of the Conseil --------------------------------------------------------------------


# The public list of members runs two queries with no variable part: the members shown (their person's public name
# and structure) and the count of valid mandates per collège. Their SQL is written once per process, around the
# ORM's own querysets of the rules (``publics()``, ``valides()``, compiled then and kept as text); the members are
# read into instances (``conseil_ess.prechargement``). Building the two querysets at each view cost more CPU than
# the rest of the page's data.
_PARTIES_MEMBRES = (
    ("m", MembreConseil, ("user", "structure", "college"), None),
    ("u", get_user_model(), ("nom_affiche", "first_name", "last_name", "fonction"), "user"),
    ("s", Structure, ("nom", "slug", "statut"), "structure"),
)


@functools.lru_cache(maxsize=4)
def _sql_membres(_vendor):
    """The members shown (``MembreConseil.objects.publics()``, as a subquery) by collège (its order), then name;
    the count of valid mandates per collège, and of those not shown. Constants: (SQL, parameters) of each."""
    User = get_user_model()  # noqa: N806 - a model
    publics, parametres = MembreConseil.objects.publics().order_by().values("pk").query.sql_with_params()
    # Table and column names come from the models, quoted; the rule's subquery and its values from the ORM.
    membres = (
        f"SELECT {lecture(_PARTIES_MEMBRES, _vendor)[0]} FROM {sql_table('m', MembreConseil)}"  # noqa: S608
        f"{sql_jointure('u', User, 'm', MembreConseil, 'user')}"
        f"{sql_jointure('s', Structure, 'm', MembreConseil, 'structure')}"
        f"{sql_jointure('c', College, 'm', MembreConseil, 'college')}"
        f" WHERE m.{connection.ops.quote_name('id')} IN ({publics})"
        f" ORDER BY {sql_colonne('c', College, 'ordre')}, {sql_colonne('c', College, 'nom')},"
        f" {sql_colonne('u', User, 'last_name')}, {sql_colonne('u', User, 'first_name')},"
        f" {sql_colonne('u', User, 'email')}"
    )
    effectifs = MembreConseil.objects.valides().order_by().values("college").annotate(
        total=Count("pk"), discrets=Count("pk", filter=Q(affichage_public=False))).query.sql_with_params()
    return (membres, parametres), effectifs


def conseil_membres(request):
    """The public list of members of the Conseil, by collège: three queries whatever the number."""
    (sql_membres, parametres), (sql_effectifs, parametres_effectifs) = _sql_membres(connection.vendor)
    par_college = {}
    with connection.cursor() as curseur:
        curseur.execute(sql_membres, parametres)
        for ligne in curseur.fetchall():
            membre, user, structure = instances(_PARTIES_MEMBRES, ligne)
            relier(membre, "user", user)
            relier(membre, "structure", structure)
            par_college.setdefault(membre.college_id, []).append(membre)
        curseur.execute(sql_effectifs, parametres_effectifs)
        effectifs = {college: {"total": total, "discrets": discrets}
                     for college, total, discrets in curseur.fetchall()}
    colleges = []
    for college in College.objects.all():
        effectif = effectifs.get(college.pk, {"total": 0, "discrets": 0})
        if college.actif or effectif["total"]:
            colleges.append({"college": college, "membres": par_college.get(college.pk, []),
                             "total": effectif["total"], "discrets": effectif["discrets"]})
    return render(request, "comptes/conseil_membres.html", {
        "colleges": colleges, "total": sum(c["total"] for c in colleges),
    })


def _mandat_actif(user):
    return (MembreConseil.objects.filter(user=user, statut__in=MembreConseil.ACTIFS)
            .select_related("structure", "college").first())


@permission_required("comptes.demander_mandat")
def conseil_demande(request):
    """My membership of the Conseil: ask for it, follow the request, choose whether I appear publicly."""
    mandat = _mandat_actif(request.user)
    contexte = {"mandat": mandat}
    if mandat is None:
        form = DemandeMandatForm(request.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.demander_mandat_conseil(request.user, **form.cleaned_data)
            except services.ActionImpossible as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Votre demande est transmise au secrétariat du Conseil. Vous serez "
                                            "prévenu·e de sa réponse."))
                return redirect("comptes:conseil_demande")
        contexte.update(
            form=form,
            dernier_refus=request.user.mandats_conseil.filter(statut=MembreConseil.Statut.REFUSE)
            .select_related("structure").order_by("-decide_le", "-pk").first(),
        )
    return render(request, "comptes/conseil_demande.html", contexte)


@permission_required("comptes.demander_mandat")
@require_POST
def conseil_affichage(request):
    form = AffichageMandatForm(request.POST)
    if form.is_valid():
        try:
            services.changer_affichage_mandat(request.user, form.cleaned_data["affichage_public"])
        except services.ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            if form.cleaned_data["affichage_public"]:
                messages.success(request, _("Vous apparaissez dans la liste publique des membres du Conseil."))
            else:
                messages.success(request, _("Vous n'apparaissez plus dans la liste publique des membres du "
                                            "Conseil."))
    return redirect("comptes:conseil_demande")


# --- Personal data: download, erasure ---------------------------------------------------------------

@login_required
def mes_donnees(request):
    """Explain what « Mes données » holds; a POST returns the ZIP (JSON, readable HTML page, uploaded files)."""
    from django.http import HttpResponse

    from .donnees_personnelles import exporter_donnees, parties

    if not request.user.has_perm("comptes.exporter_donnees", request.user):
        raise Http404
    if request.method == "POST":
        nom, contenu = exporter_donnees(request.user, par=request.user)
        reponse = HttpResponse(contenu, content_type="application/zip")
        reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
        return reponse
    return render(request, "comptes/donnees_personnelles/mes_donnees.html", {"parties": parties()})


@login_required
def supprimer_mon_compte(request):
    """Explain the consequences, ask for the password (and the two-factor code), erase, log out."""
    from django.contrib.auth import logout
    from django.db import transaction

    from .donnees_personnelles import effacer_compte, raison_de_refus
    from .forms import ConfirmationIdentiteForm

    user = request.user
    if not user.has_perm("comptes.effacer_compte", user):
        raise Http404
    raison = raison_de_refus(user)
    form = ConfirmationIdentiteForm(user, request.POST or None)
    if request.method == "POST":
        with transaction.atomic():  # a recovery code is checked under a row lock (allauth)
            valide = form.is_valid()
        if valide and raison is None:
            try:
                effacer_compte(user, par=user)
            except services.ActionImpossible as exc:
                form.add_error(None, str(exc))
            else:
                logout(request)
                return redirect("comptes:compte_supprime")
    return render(request, "comptes/donnees_personnelles/supprimer_mon_compte.html", {
        "form": form, "raison": raison,
    }, status=400 if request.method == "POST" else 200)


def compte_supprime(request):
    return render(request, "comptes/donnees_personnelles/compte_supprime.html")
