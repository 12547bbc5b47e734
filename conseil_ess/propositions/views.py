"""Public and authors' pages of the proposals. State changes go through ``workflow.changer_etat``,
the other actions through ``services``; who may do what is in ``rules.py``."""

import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ateliers.models import Atelier, ThematiqueAnnuelle
from conseil_ess.comptes.models import ChampAction, Commune, Structure, nom_pour_recherche
from conseil_ess.fichiers_prives import telecharger
from conseil_ess.prechargement import (
    conversions,
    convertir,
    instances,
    lecture,
    lire_ensemble,
    mettre_en_cache,
    relier,
    sql_colonne,
    sql_jointure,
    sql_table,
)
from evenements.models import Evenement

from . import services, statistiques, workflow
from .filters import PropositionFilter
from .forms import PropositionForm, RetraitForm
from .models import (
    Abonnement,
    Etat,
    Indicateur,
    InvitationPortage,
    PieceJointe,
    PointSuivi,
    Proposition,
    Transition,
    ValeurIndicateur,
    precharger_cartes,
    resoudre_liens,
)
from .services import ActionImpossible

PAR_PAGE = 20


class PaginatorCompte(Paginator):
    """A paginator told how many objects there are (already counted by the page), instead of counting them."""

    def __init__(self, object_list, per_page, nombre, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = nombre  # ``count`` is a cached property


def liste(request):
    """Public proposals, filtered by GET parameters, with the counts per state of the other filters."""
    base = Proposition.objects.publiques()
    filtre = PropositionFilter(request.GET or None, queryset=base)
    # The counts per state (they validate the filters: cleaned_data holds the valid ones), the public figures and
    # the form's menus: one round trip (``lire_ensemble``).
    comptes, synthese, _menus = lire_ensemble(
        filtre.lecture_comptes_par_etat(base), statistiques.lecture_synthese(), filtre.lecture_menus())
    etat_choisi = filtre.form.cleaned_data.get("etat", "") if filtre.is_bound else ""
    # The counts per state already hold the list's length (every public proposal has one state): no COUNT query.
    nombre = sum(n for code, _libelle, n in comptes if not etat_choisi or code == etat_choisi)
    # The paginator only numbers the pages (it is told the count); the page's cards are read by ``cartes``.
    page = PaginatorCompte(filtre.qs, PAR_PAGE, nombre).get_page(request.GET.get("page"))
    page.object_list = filtre.qs.cartes((page.number - 1) * PAR_PAGE, page.number * PAR_PAGE)
    precharger_cartes(page.object_list)
    requete = request.GET.copy()
    for cle in ("page", "etat"):
        requete.pop(cle, None)
    return render(request, "propositions/liste.html", {
        "filtre": filtre, "page_obj": page, "propositions": page.object_list,
        "comptes": comptes, "requete_sans_etat": requete.urlencode(), "synthese": synthese,
        "etat_choisi": etat_choisi,
    })


# The page of a proposal reads the proposal with what it shows of five joined models (their links, names and what
# the permission rules read, not their whole rows), then its timeline (each step with its atelier, plenary and
# author), by two plain queries written once from the models' names (``conseil_ess.prechargement``): the ORM
# compiled them (six and four joined tables) in about 3 ms of CPU a view, more than the database took to run them.
# The proposals it was merged into and that follow it, and its plenary (often unset), are read with the small
# relations (with them, eight joins cost PostgreSQL 2.5 to 7 ms of planning for 0.3 ms of execution). Each
# ``_PARTIES`` entry: (table alias, model, field names read, the relation that joins it or None). Who may see the
# proposal stays the rule ``propositions.voir``.
_NOM_PUBLIC = ("nom_affiche", "first_name", "last_name")
_PARTIES_PROPOSITION = (
    ("p", Proposition, tuple(f.name for f in Proposition._meta.concrete_fields), None),
    ("a", Atelier, ("titre", "slug"), "atelier"),
    ("s", Atelier, ("titre",), "atelier_suggere"),
    ("t", ThematiqueAnnuelle, ("titre",), "thematique"),
    ("u", get_user_model(), _NOM_PUBLIC, "auteur"),
    ("e", get_user_model(), _NOM_PUBLIC, "responsable_elu"),
)
_PARTIES_TRANSITIONS = (
    ("r", Transition, tuple(f.name for f in Transition._meta.concrete_fields), None),
    ("a", Atelier, ("titre", "slug"), "atelier"),
    ("v", Evenement, ("titre", "slug", "publication"), "pleniere"),
    ("u", get_user_model(), _NOM_PUBLIC, "par"),
)


def _jointures(alias, modele, parties):
    """The LEFT JOINs of ``parties`` (after the first) on ``alias`` (``modele``'s table), by their relations."""
    return "".join(sql_jointure(alias_lie, modele_lie, alias, modele, relation)
                   for alias_lie, modele_lie, _noms, relation in parties[1:])


@functools.lru_cache(maxsize=8)
def _sql_proposition(_vendor, colonne):
    """The proposal whose field ``colonne`` (``reference`` or ``id``) is a parameter, with its atelier, suggested
    atelier, annual theme, author and responsible élu·e. A constant."""
    # Table and column names come from the models, quoted; the value is a parameter.
    return (
        f"SELECT {lecture(_PARTIES_PROPOSITION, _vendor)[0]} FROM {sql_table('p', Proposition)}"  # noqa: S608
        f"{_jointures('p', Proposition, _PARTIES_PROPOSITION)} WHERE {sql_colonne('p', Proposition, colonne)} = %s"
    )


@functools.lru_cache(maxsize=4)
def _sql_transitions(_vendor):
    """The timeline of a proposal (a parameter), in its order (``Transition.Meta.ordering``), each step with its
    atelier, plenary and author. A constant."""
    # Table and column names come from the models, quoted; the proposal's id is a parameter.
    return (
        f"SELECT {lecture(_PARTIES_TRANSITIONS, _vendor)[0]} FROM {sql_table('r', Transition)}"  # noqa: S608
        f"{_jointures('r', Transition, _PARTIES_TRANSITIONS)}"
        f" WHERE {sql_colonne('r', Transition, 'proposition')} = %s"
        f" ORDER BY {sql_colonne('r', Transition, 'le')}, r.{connection.ops.quote_name('id')}"
    )


def _proposition_lue(colonne, valeur):
    """The proposal whose ``colonne`` is ``valeur`` (404 if none), its five relations set as ``select_related``
    sets them and its timeline where ``prefetch_related("transitions")`` leaves it (``.all()``: no query)."""
    try:
        with connection.cursor() as curseur:
            curseur.execute(_sql_proposition(connection.vendor, colonne), [valeur])
            ligne = curseur.fetchone()
    except (ValueError, OverflowError):  # an id PostgreSQL cannot take
        ligne = None
    if ligne is None:
        raise Http404
    proposition, *lies = instances(_PARTIES_PROPOSITION, ligne)
    for (_alias, _modele, _noms, relation), lie in zip(_PARTIES_PROPOSITION[1:], lies, strict=True):
        relier(proposition, relation, lie)
    with connection.cursor() as curseur:
        curseur.execute(_sql_transitions(connection.vendor), [proposition.pk])
        lignes = curseur.fetchall()
    transitions = []
    for ligne in lignes:
        transition, *lies = instances(_PARTIES_TRANSITIONS, ligne)
        for (_alias, _modele, _noms, relation), lie in zip(_PARTIES_TRANSITIONS[1:], lies, strict=True):
            relier(transition, relation, lie)
        relier(transition, "proposition", proposition)
        transitions.append(transition)
    mettre_en_cache(proposition, {"transitions": transitions})
    return proposition


# The small relations of a proposal's page, read by one query (UNION ALL) instead of nine prefetches: each
# prefetch cost several times more to build than to run. One SELECT per relation, every one with the same
# generic columns: (relation, rank, id, parent id, three texts, two numbers, a date, an instant); ``_COLONNES``
# says which model field each generic column holds. The rank is the row's place in its relation, in the order the
# prefetch gave (the models' ``Meta.ordering``, the pk breaking ties).
_GENERIQUES = ("parent", "t1", "t2", "t3", "n1", "n2", "jour", "instant")
_TYPES = {"parent": "INTEGER", "t1": "VARCHAR", "t2": "VARCHAR", "t3": "VARCHAR",
          "n1": "NUMERIC", "n2": "NUMERIC", "jour": "DATE", "instant": "TIMESTAMP WITH TIME ZONE"}
_COLONNES = {
    # relation: (model, {generic column: field})
    "champs": (ChampAction, {"n1": "numero", "t1": "nom"}),
    "communes": (Commune, {"t1": "nom"}),
    "structures": (Structure, {"t1": "nom", "t2": "slug", "t3": "statut"}),
    "pieces_jointes": (PieceJointe, {"parent": "proposition", "t1": "titre"}),
    "points_suivi": (PointSuivi, {"parent": "proposition", "jour": "date", "t1": "texte"}),
    "indicateurs": (Indicateur, {"parent": "proposition", "t1": "libelle", "t2": "unite", "t3": "cible_texte",
                                 "n1": "valeur_reference", "n2": "cible"}),
    "valeurs": (ValeurIndicateur, {"parent": "indicateur", "jour": "date", "n1": "valeur", "t1": "commentaire"}),
    # Invitations still pending (« à inviter »: a draft's), with their structure's name (t2), by that name.
    "invitees": (InvitationPortage, {"parent": "structure", "t1": "etat"}),
    # Public proposals merged into this one, by reference.
    "fusionnees_publiques": (Proposition, {"t1": "reference", "t2": "titre", "t3": "etat"}),
    # The proposal this one was merged into, the one that follows it (foreign keys: no row or one).
    "fusionnee_dans": (Proposition, {"t1": "reference", "t2": "titre", "t3": "etat"}),
    "proposition_suite": (Proposition, {"t1": "reference", "t2": "titre", "t3": "etat"}),
    # Its plenary (what the rules read of it: its start and status).
    "pleniere": (Evenement, {"t1": "titre", "t2": "statut", "instant": "debut"}),
}
# The foreign keys among them, set in the proposal's cache as select_related sets them (None: not set).
_CLES_ETRANGERES = ("fusionnee_dans", "proposition_suite", "pleniere")


@functools.lru_cache(maxsize=4)
def _sql_relations(_vendor):
    """The UNION ALL query of ``_COLONNES`` (table and column names from the models, quoted; the proposal's id
    and the states are parameters) and the number of times the id is needed. A constant, built once."""
    q = connection.ops.quote_name

    def colonnes(nom, alias="m", **autres):
        modele, champs = _COLONNES[nom]
        valeurs = {g: f"{alias}.{q(modele._meta.get_field(c).column)}" for g, c in champs.items()} | autres
        return ", ".join(valeurs.get(g, f"CAST(NULL AS {_TYPES[g]})") for g in _GENERIQUES)

    def m2m(numero, nom, tri):
        lien = Proposition._meta.get_field(nom)
        table = q(lien.related_model._meta.db_table)
        return (f"SELECT {numero}, ROW_NUMBER() OVER (ORDER BY {tri}, m.{q('id')}), m.{q('id')}, {colonnes(nom)}"  # noqa: S608
                f" FROM {table} AS m INNER JOIN {q(lien.remote_field.through._meta.db_table)} AS t"
                f" ON t.{q(lien.m2m_reverse_name())} = m.{q('id')} WHERE t.{q(lien.m2m_column_name())} = %s")

    def fk(numero, nom, tri, ou=None):
        table = q(_COLONNES[nom][0]._meta.db_table)
        ou = ou or f"m.{q('proposition_id')} = %s"
        return (f"SELECT {numero}, ROW_NUMBER() OVER (ORDER BY {tri}, m.{q('id')}), m.{q('id')}, {colonnes(nom)}"  # noqa: S608
                f" FROM {table} AS m WHERE {ou}")

    indicateurs = q(Indicateur._meta.db_table)
    structures = q(Structure._meta.db_table)
    invitations = q(InvitationPortage._meta.db_table)
    nom_structure = f"s.{q('nom')}"
    requetes = (
        m2m(0, "champs", f"m.{q('numero')}"),
        m2m(1, "communes", f"m.{q('nom')}"),
        m2m(2, "structures", f"m.{q('nom')}"),
        fk(3, "pieces_jointes", f"m.{q('ajoute_le')}"),
        fk(4, "points_suivi", f"m.{q('date')}"),
        fk(5, "indicateurs", f"m.{q('ordre')}"),
        fk(6, "valeurs", f"m.{q('date')}", f"m.{q('indicateur_id')} IN (SELECT i.{q('id')} FROM {indicateurs}"  # noqa: S608
                                          f" AS i WHERE i.{q('proposition_id')} = %s)"),
        (f"SELECT 7, ROW_NUMBER() OVER (ORDER BY s.{q('nom')}, m.{q('id')}), m.{q('id')},"  # noqa: S608
         f" {colonnes('invitees', t2=nom_structure)} FROM {invitations} AS m INNER JOIN {structures} AS s"
         f" ON s.{q('id')} = m.{q('structure_id')} WHERE m.{q('proposition_id')} = %s"
         f" AND m.{q('etat')} IN (%s, %s)"),
        fk(8, "fusionnees_publiques", f"m.{q('reference')}",
           f"m.{q('fusionnee_dans_id')} = %s AND m.{q('etat')} <> %s"),
        *(fk(9 + i, nom, f"m.{q('id')}", f"m.{q('id')} = (SELECT p.{q(Proposition._meta.get_field(nom).column)}"  # noqa: S608
                                          f" FROM {q(Proposition._meta.db_table)} AS p WHERE p.{q('id')} = %s)")
          for i, nom in enumerate(_CLES_ETRANGERES)),
    )
    return " UNION ALL ".join(requetes) + " ORDER BY 1, 2"


@functools.lru_cache(maxsize=64)
def _convertisseurs(_vendor, nom):
    """For ``nom``'s model: the attribute names ``from_db`` is given (the id and the fields of ``_COLONNES``, in
    the model's order, as ``from_db`` wants them), the generic column each comes from (``None``: the id), and the
    ORM's conversions of their database values (``conseil_ess.prechargement.conversions``: dates and decimals on
    SQLite, ``TexteRiche``'s cleaned-HTML marker). Constants of the models, built once."""
    modele, champs = _COLONNES[nom]
    generiques = {modele._meta.get_field(champ).attname: g for g, champ in champs.items()}
    lus = [champ for champ in modele._meta.concrete_fields if champ.primary_key or champ.attname in generiques]
    sources = [None if champ.primary_key else generiques[champ.attname] for champ in lus]
    return [champ.attname for champ in lus], sources, conversions(modele, lus, connection)


def _objet(nom, pk, valeurs):
    """A model instance of relation ``nom`` from its id and generic row (``valeurs``), as the ORM builds one."""
    attributs, sources, fonctions = _convertisseurs(connection.vendor, nom)
    donnees = [pk if generique is None else valeurs[generique] for generique in sources]
    convertir(donnees, fonctions, connection)
    return _COLONNES[nom][0].from_db(connection.alias, attributs, donnees)


def _precharger_relations(proposition):
    """Give ``proposition`` its small relations as Django's prefetches did, from one query: ``champs``,
    ``communes``, ``structures``, ``pieces_jointes``, ``points_suivi`` and ``indicateurs`` (each with its
    ``valeurs``) read from the prefetch cache (``.all()`` costs no query; a ``filter()`` still runs its own),
    ``invitees`` (pending invitations, with their structure's name) and ``fusionnees_publiques`` as lists,
    ``fusionnee_dans``, ``proposition_suite`` (reference, title, state) and ``pleniere`` (title, status, start) as
    ``select_related`` would."""
    lignes = {nom: [] for nom in _COLONNES}
    noms = list(_COLONNES)
    pk = proposition.pk
    parametres = ([pk] * 8 + [InvitationPortage.Etat.INVITEE, InvitationPortage.Etat.A_INVITER, pk, Etat.BROUILLON]
                  + [pk] * len(_CLES_ETRANGERES))
    with connection.cursor() as curseur:
        curseur.execute(_sql_relations(connection.vendor), parametres)
        for numero, _rang, ident, *valeurs in curseur.fetchall():
            lignes[noms[numero]].append((ident, dict(zip(_GENERIQUES, valeurs, strict=True))))
    objets = {nom: [_objet(nom, ident, valeurs) for ident, valeurs in rangees] for nom, rangees in lignes.items()}
    for invitation, (_ident, valeurs) in zip(objets["invitees"], lignes["invitees"], strict=True):
        structure = Structure.from_db(connection.alias, ["id", "nom"], [invitation.structure_id, valeurs["t2"]])
        invitation.structure = structure
    valeurs_par_indicateur = {}
    for valeur in objets["valeurs"]:
        valeurs_par_indicateur.setdefault(valeur.indicateur_id, []).append(valeur)
    for indicateur in objets["indicateurs"]:
        mettre_en_cache(indicateur, {"valeurs": valeurs_par_indicateur.get(indicateur.pk, [])})
    mettre_en_cache(proposition, {nom: objets[nom] for nom in (
        "champs", "communes", "structures", "pieces_jointes", "points_suivi", "indicateurs")})
    proposition.invitees = objets["invitees"]
    proposition.fusionnees_publiques = objets["fusionnees_publiques"]
    for nom in _CLES_ETRANGERES:
        relier(proposition, nom, objets[nom][0] if objets[nom] else None)


def _contexte(request, proposition, apercu=False):
    user = request.user
    suit = user.is_authenticated and not apercu and Abonnement.objects.filter(
        proposition=proposition, user=user).exists()
    possibles = workflow.transitions_possibles(proposition, user) if user.is_authenticated else []
    return {
        "proposition": proposition,
        "apercu": apercu,
        "suit": suit,
        "peut_retirer": Etat.RETIREE in possibles,
        "peut_deposer": Etat.DEPOSEE in possibles,  # the rule propositions.deposer_brouillon: the author
        "peut_modifier": user.has_perm("propositions.modifier", proposition),
        "transitions": resoudre_liens(list(proposition.transitions.all())),
    }


def detail(request, reference):
    """The public page of a proposal: carriers, timeline, implementation and evaluation."""
    proposition = _proposition_lue("reference", reference)
    if not request.user.has_perm("propositions.voir", proposition):
        raise Http404
    if not proposition.est_publique:
        return redirect("propositions:brouillon", proposition.pk)
    _precharger_relations(proposition)
    return render(request, "propositions/detail.html", _contexte(request, proposition))


def brouillon(request, pk):
    """The preview of a draft, exactly as the public page will show it (its author and the staff only)."""
    proposition = _proposition_lue("id", pk)
    if not request.user.has_perm("propositions.voir", proposition):
        raise Http404
    if proposition.est_publique:
        return redirect(proposition)
    _precharger_relations(proposition)
    return render(request, "propositions/detail.html", _contexte(request, proposition, apercu=True))


@require_POST
@login_required
def deposer(request, pk):
    proposition = get_object_or_404(Proposition, pk=pk)
    if proposition.auteur_id != request.user.pk:
        raise Http404
    try:
        workflow.changer_etat(proposition, Etat.DEPOSEE, request.user)
    except ActionImpossible as exc:
        messages.error(request, str(exc))
        return redirect(proposition)
    messages.success(request, _("Votre proposition est déposée sous la référence %(reference)s. Le secrétariat "
                                "du Conseil va l'instruire ; vous serez prévenu·e de chaque étape.")
                     % {"reference": proposition.reference})
    return redirect(proposition)


@require_POST
@login_required
def decider_portage(request, pk):
    """A référent·e of an invited structure accepts or refuses to carry the proposal (from « Mon espace »)."""
    invitation = get_object_or_404(InvitationPortage.objects.select_related("structure", "proposition"), pk=pk)
    if not request.user.has_perm("propositions.decider_portage", invitation):
        raise PermissionDenied
    accepter = request.POST.get("decision") == "accepter"
    try:
        services.decider_invitation(invitation, request.user, accepter=accepter)
    except ActionImpossible as exc:
        messages.error(request, str(exc))
    else:
        message = (_("%(structure)s porte désormais la proposition « %(titre)s ».") if accepter
                   else _("Vous avez décliné l'invitation : %(structure)s ne porte pas la proposition « %(titre)s »."))
        messages.success(request, message % {"structure": invitation.structure.nom,
                                             "titre": invitation.proposition.titre})
    return redirect("comptes:mon_espace")


def _enregistrer(form, proposition, user, creation):
    """Save the form through the services (a new draft, or the author's edits) with its attachment."""
    with transaction.atomic():
        if creation:
            services.creer_brouillon(proposition, user, champs=form.cleaned_data["champs"],
                                     communes=form.cleaned_data["communes"], structures=form.structures_choisies())
        else:
            services.enregistrer(proposition, user, champs=form.cleaned_data["champs"],
                                 communes=form.cleaned_data["communes"], structures=form.structures_choisies())
        if form.cleaned_data.get("piece_fichier"):
            services.ajouter_piece_jointe(proposition, form.cleaned_data["piece_titre"].strip(),
                                          form.cleaned_data["piece_fichier"], user)
    return proposition


def _formulaire(request, proposition, creation):
    if request.method == "POST":
        form = PropositionForm(request.POST, request.FILES, instance=proposition, user=request.user)
        if form.is_valid():
            try:
                _enregistrer(form, form.save(commit=False), request.user, creation)
            except ActionImpossible as exc:
                if creation:
                    proposition.pk = None  # the draft's saving was rolled back
                form.add_error(None, str(exc))
            else:
                if proposition.est_publique:
                    messages.success(request, _("Vos modifications sont enregistrées."))
                else:
                    messages.success(request, _("Votre brouillon est enregistré. Relisez-le ci-dessous, puis "
                                                "déposez-le quand il est prêt."))
                return redirect(proposition)
    else:
        form = PropositionForm(instance=proposition, user=request.user)
    return render(request, "propositions/formulaire.html", {
        "form": form, "proposition": proposition, "creation": creation,
        "pieces": list(proposition.pieces_jointes.all()) if proposition.pk else [],
    })


MAX_STRUCTURES_JSON = 20


def structures_json(request):
    """The validated structures whose name contains ``?q=`` (at most 20, by name), for the carriers' picker of
    the proposal form: id, name and town only (public data, one query). Case, accents and ligatures are
    ignored (« economie » finds « Économie »): the query is folded like the stored ``Structure.nom_recherche``."""
    q = nom_pour_recherche((request.GET.get("q") or "")[:100])
    structures = Structure.objects.publiques().select_related("commune").order_by("nom", "pk")
    if q:
        structures = structures.filter(nom_recherche__contains=q)
    resultats = [{"id": s.pk, "nom": s.nom, "commune": s.commune.nom if s.commune_id else ""}
                 for s in structures[:MAX_STRUCTURES_JSON]]
    return JsonResponse({"resultats": resultats})


@login_required
def nouvelle(request):
    if not request.user.has_perm("propositions.deposer"):
        raise PermissionDenied
    return _formulaire(request, Proposition(), creation=True)


def _refus(request, proposition, message):
    """Answer 403 with the French reason (and a way back to the proposal)."""
    return render(request, "propositions/refus.html", {"proposition": proposition, "message": message}, status=403)


@login_required
def modifier(request, pk):
    proposition = get_object_or_404(Proposition, pk=pk)
    if not request.user.has_perm("propositions.voir", proposition):
        raise Http404
    if proposition.auteur_id != request.user.pk:
        return _refus(request, proposition, _("Seul·e l'auteur·rice d'une proposition peut la modifier."))
    if not request.user.has_perm("propositions.modifier", proposition):
        return _refus(request, proposition, _(
            "Cette proposition est en instruction : elle ne peut plus être modifiée. Écrivez au secrétariat du "
            "Conseil pour la compléter."))
    return _formulaire(request, proposition, creation=False)


def piece_jointe(request, pk):
    """Serve an attachment to those who may see its proposal (private storage, never from MEDIA)."""
    piece = get_object_or_404(PieceJointe.objects.select_related("proposition"), pk=pk)
    if not request.user.has_perm("propositions.voir", piece.proposition):
        raise Http404
    return telecharger(piece.fichier)


def _publique(reference):
    proposition = get_object_or_404(Proposition, reference=reference)
    if not proposition.est_publique:
        raise Http404
    return proposition


@require_POST
def suivre(request, reference):
    """Follow a proposal, or stop following it (a toggle)."""
    proposition = _publique(reference)
    if not request.user.is_authenticated:
        return redirect_to_login(proposition.get_absolute_url())
    if Abonnement.objects.filter(proposition=proposition, user=request.user).exists():
        services.ne_plus_suivre(proposition, request.user)
        messages.success(request, _("Vous ne suivez plus cette proposition."))
    else:
        try:
            services.suivre(proposition, request.user)
        except ActionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Vous suivez cette proposition : chaque étape vous sera signalée."))
    return redirect(proposition)


@login_required
def retirer(request, reference):
    """The author withdraws their proposal before adoption, with a public reason."""
    proposition = _publique(reference)
    if Etat.RETIREE not in workflow.transitions_possibles(proposition, request.user):
        if proposition.auteur_id != request.user.pk:
            return _refus(request, proposition, _("Seul·e l'auteur·rice d'une proposition peut la retirer."))
        return _refus(request, proposition, _(
            "Cette proposition ne peut plus être retirée : une proposition se retire avant la décision du Conseil."))
    form = RetraitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.changer_etat(proposition, Etat.RETIREE, request.user, motif=form.cleaned_data["motif"],
                                  commentaire=form.cleaned_data["motif"])
        except ActionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Votre proposition est retirée. Elle reste consultable avec son parcours."))
            return redirect(proposition)
    return render(request, "propositions/retirer.html", {"proposition": proposition, "form": form})
