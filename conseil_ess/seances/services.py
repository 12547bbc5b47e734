"""The one path for everything that happens to a séance: views, the WebSocket consumer, the admin and
the demo command all call these functions; none writes the models directly.

Refusals raise ``ActionImpossible`` with a French message shown as is. Every change the live page
shows raises ``Seance.version`` (an F() update in the same transaction), so the broadcast that follows
the commit carries a version and a client that missed one sees the gap.

Locks: a vote, an opening or a closing locks the scrutin row first (``select_for_update``), then
updates the séance row; nothing locks the séance before a scrutin, so the two orders never cross.
"""

import secrets

import rules
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.models import ThematiqueAnnuelle
from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.models import MembreConseil
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.ecritures import ecrire
from conseil_ess.propositions import workflow
from conseil_ess.propositions.models import Etat
from evenements.models import Evenement, TypeEvenement

from .decompte import decompte_texte, depouiller
from .diffusion import annoncer
from .etats import SCRUTIN, SEANCE
from .models import (
    Bulletin,
    BulletinSecret,
    Choix,
    Emargement,
    Participation,
    PointOrdreDuJour,
    Scrutin,
    Seance,
)
from .rules import oublier, peut_voter, refus_d_emargement, refus_de_vote

CATEGORIE_NOTIFICATIONS = "conseil"


# --- Helpers ----------------------------------------------------------------------------------------

REFUS = {
    "seances.gerer_seance": gettext_lazy("Seul le secrétariat du Conseil peut faire cela."),
}


def _exiger(regle, par, objet=None):
    """Refuse (``ActionImpossible``, French message of ``REFUS``) unless ``par`` holds ``regle`` (``rules.py``)."""
    # The rule itself (``rules.has_perm``): no query of Django's permission tables when there is no object.
    if not (par and par.is_authenticated and rules.has_perm(regle, par, objet)):
        raise ActionImpossible(str(REFUS[regle]))


def _exiger_gestion(par, objet=None):
    """The secrétariat's rule ``seances.gerer_seance`` on a séance or anything of it."""
    _exiger("seances.gerer_seance", par, objet)


def _nouvelle_version(seance_id, **champs):
    """Raise the séance's version (and set ``champs``) in the current transaction; once committed, the live
    page's watchers get the new state (``diffusion.annoncer``, coalesced)."""
    Seance.objects.filter(pk=seance_id).update(version=F("version") + 1, **champs)
    transaction.on_commit(lambda: annoncer(seance_id))


def date_seance(seance):
    """« 12 mars 2026 »: the day of the séance, as the pages and the journal write it."""
    return formats.date_format(timezone.localtime(seance.evenement.debut), "j F Y")


def libelle_scrutin(scrutin):
    """« Scrutin n° 2 de la séance du 12 mars 2026 »: the link a proposal's timeline shows."""
    return _("Scrutin n° %(numero)s de la séance du %(date)s") % {
        "numero": scrutin.numero, "date": date_seance(scrutin.seance)}


def _mandat_actif(user):
    """Return the valid mandate of ``user`` (with its structure and collège), or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    return MembreConseil.objects.valides().filter(user=user).select_related("structure", "college").first()


# --- Séance and agenda ------------------------------------------------------------------------------

def _slug_libre(titre, debut):
    base = slugify(f"{titre}-{timezone.localtime(debut):%Y-%m-%d}")[:180] or "seance"
    slug, n = base, 2
    while Evenement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def creer_seance(par, *, titre, debut, fin, nature=Seance.Nature.ORDINAIRE, motif_exceptionnelle="",
                 presidence="", slug="", **champs_evenement):
    """Create a séance and its ``Evenement`` (type *séance plénière*, published in the agenda).

    ``champs_evenement``: the event's other fields (``lieu``, ``precision_lieu``, ``resume``, …).
    """
    _exiger_gestion(par)
    if nature == Seance.Nature.EXCEPTIONNELLE and not motif_exceptionnelle.strip():
        raise ActionImpossible(_("Indiquez le motif de la séance exceptionnelle : il est affiché publiquement."))
    if fin <= debut:
        raise ActionImpossible(_("La fin de la séance doit venir après son début."))
    champs_evenement.setdefault("intervenants", presidence)
    champs_evenement.setdefault("organisateurs_texte", _("Conseil de l'ESS"))
    evenement = Evenement(titre=titre, debut=debut, fin=fin, type=TypeEvenement.SEANCE_PLENIERE,
                          publication=Evenement.Publication.PUBLIE, propose_par=par, **champs_evenement)
    evenement.slug = slug or _slug_libre(titre, debut)
    evenement.save()
    seance = Seance.objects.create(
        evenement=evenement, nature=nature, motif_exceptionnelle=motif_exceptionnelle.strip(),
        presidence=presidence, cree_par=par,
    )
    consigner(seance, "conseil.seance.creee", par, evenement_id=evenement.pk, nature=nature)
    return seance


def _question_par_defaut(objet, titre, proposition, thematique):
    if objet == Scrutin.Objet.PROPOSITION:
        return _("Adoption de la proposition %(reference)s : %(titre)s") % {
            "reference": proposition.reference, "titre": proposition.titre}
    if objet == Scrutin.Objet.THEMATIQUE:
        return _("Retenir la thématique annuelle « %(titre)s »") % {"titre": thematique.titre}
    return titre


def _verifier_pleniere(proposition, seance):
    """A proposal is voted on only in the séance of the plenary it is inscribed to (``Proposition.pleniere``)."""
    if proposition.pleniere_id != seance.evenement_id:
        raise ActionImpossible(
            _("La proposition %(reference)s est inscrite à une autre séance plénière (%(pleniere)s) : elle ne peut "
              "être soumise au vote que dans celle-ci.")
            % {"reference": proposition.reference,
               "pleniere": proposition.pleniere.titre if proposition.pleniere_id else _("aucune")})


def _verifier_objet(objet, proposition, thematique, seance):
    if objet not in Scrutin.Objet.values:
        raise ActionImpossible(_("Choisissez l'objet du scrutin."))
    if objet == Scrutin.Objet.PROPOSITION:
        if proposition is None:
            raise ActionImpossible(_("Choisissez la proposition soumise au vote."))
        if proposition.etat != Etat.SOUMISE_PLENIERE:
            raise ActionImpossible(
                _("La proposition %(reference)s n'est pas inscrite en séance plénière (elle est « %(etat)s ») : "
                  "elle ne peut pas être soumise au vote.")
                % {"reference": proposition.reference, "etat": proposition.get_etat_display()})
        _verifier_pleniere(proposition, seance)
    if objet == Scrutin.Objet.THEMATIQUE:
        if thematique is None:
            raise ActionImpossible(_("Choisissez la thématique annuelle soumise au vote."))
        if thematique.statut == ThematiqueAnnuelle.Statut.RETENUE:
            raise ActionImpossible(_("La thématique « %(titre)s » est déjà retenue.") % {"titre": thematique.titre})


def ajouter_point(seance, par, titre, description="", *, scrutin=None):
    """Add an item at the end of the agenda; return it.

    ``scrutin``: None for an information item, or a dict of the vote's fields: ``objet`` (required),
    ``proposition`` / ``thematique`` / ``texte``, ``question`` (made up from the object when left out)
    and the rules ``secret``, ``une_voix_par_structure``, ``quorum``, ``ponderation_par_college``,
    ``changement_de_vote_autorise``, ``saisie_manuelle``.
    """
    _exiger_gestion(par, seance)
    if not titre.strip():
        raise ActionImpossible(_("Indiquez le titre du point."))
    with transaction.atomic():
        seance = Seance.objects.select_for_update().get(pk=seance.pk)
        if seance.statut == Seance.Statut.TERMINEE:
            raise ActionImpossible(_("La séance est terminée : son ordre du jour ne peut plus changer."))
        ordre = (seance.points.aggregate(m=Max("ordre"))["m"] or 0) + 1
        cloture = _point_de_cloture(seance)
        if cloture is not None:  # a new item comes before the closing item, which stays last
            ordre = cloture.ordre
            seance.points.filter(ordre__gte=ordre).update(ordre=F("ordre") + 1)
        point = PointOrdreDuJour.objects.create(
            seance=seance, ordre=ordre, titre=titre.strip(), description=description,
            type=PointOrdreDuJour.Type.VOTE if scrutin is not None else PointOrdreDuJour.Type.INFORMATION,
        )
        if scrutin is not None:
            regles = dict(scrutin)
            objet = regles.pop("objet", None)
            proposition, thematique = regles.get("proposition"), regles.get("thematique")
            _verifier_objet(objet, proposition, thematique, seance)
            if regles.get("secret") and regles.get("changement_de_vote_autorise"):
                raise ActionImpossible(_("Un vote secret ne peut pas être changé : décochez « changement de vote "
                                         "autorisé » ou le vote secret."))
            if regles.get("quorum") is not None and int(regles["quorum"]) < 1:
                raise ActionImpossible(_("Le quorum doit être d'au moins un membre présent, ou laissé vide."))
            regles["question"] = (regles.get("question") or "").strip() or _question_par_defaut(
                objet, point.titre, proposition, thematique)
            numero = (seance.scrutins.aggregate(m=Max("numero"))["m"] or 0) + 1
            Scrutin.objects.create(point=point, seance=seance, numero=numero, objet=objet, **regles)
        _nouvelle_version(seance.pk)
        consigner(seance, "conseil.seance.point_ajoute", par, point_id=point.pk, type=point.type)
    return point


def _point_de_cloture(seance):
    """The closing item (« Clôture… », an information item) when it is the agenda's last one, else None."""
    dernier = seance.points.order_by("-ordre", "-pk").first()
    if dernier is not None and dernier.type == PointOrdreDuJour.Type.INFORMATION and (
            dernier.titre.strip().lower().startswith(("clôture", "cloture"))):
        return dernier
    return None


def deplacer_point(point, par, sens):
    """Move an agenda item one place up (``sens`` = -1) or down (+1), until the séance starts."""
    _exiger_gestion(par, point.seance)
    with transaction.atomic():
        seance = Seance.objects.select_for_update().get(pk=point.seance_id)
        if seance.statut not in (Seance.Statut.PREPARATION, Seance.Statut.ORDRE_DU_JOUR_PUBLIE):
            raise ActionImpossible(_("La séance a commencé : l'ordre de ses points ne peut plus changer."))
        points = list(seance.points.order_by("ordre", "pk"))
        for rang, p in enumerate(points, start=1):  # renumber 1..n (older agendas may have gaps or ties)
            if p.ordre != rang:
                PointOrdreDuJour.objects.filter(pk=p.pk).update(ordre=rang)
                p.ordre = rang
        i = next((i for i, p in enumerate(points) if p.pk == point.pk), None)
        j = None if i is None else i + (1 if sens > 0 else -1)
        if i is None or not 0 <= j < len(points):
            raise ActionImpossible(_("Ce point est déjà en tête de l'ordre du jour.") if sens < 0
                                   else _("Ce point est déjà le dernier de l'ordre du jour."))
        a, b = points[i], points[j]
        PointOrdreDuJour.objects.filter(pk=a.pk).update(ordre=b.ordre)
        PointOrdreDuJour.objects.filter(pk=b.pk).update(ordre=a.ordre)
        _nouvelle_version(seance.pk)
        consigner(seance, "conseil.seance.point_deplace", par, point_id=a.pk, rang=b.ordre)
    return b.ordre


def _seance_pas_commencee(seance_id, message):
    """Lock and return the séance of an agenda item; refuse with ``message`` once it has started."""
    seance = Seance.objects.select_for_update().get(pk=seance_id)
    if seance.statut not in (Seance.Statut.PREPARATION, Seance.Statut.ORDRE_DU_JOUR_PUBLIE):
        raise ActionImpossible(message)
    return seance


def modifier_point(point, par, titre, description="", *, question=None):
    """Change an agenda item's title and description (and the question of its prepared scrutin), until the
    séance starts."""
    _exiger_gestion(par, point.seance)
    if not titre.strip():
        raise ActionImpossible(_("Indiquez le titre du point."))
    with transaction.atomic():
        _seance_pas_commencee(point.seance_id, _("La séance a commencé : ses points ne peuvent plus être "
                                                  "modifiés."))
        point = PointOrdreDuJour.objects.select_for_update().get(pk=point.pk)
        point.titre, point.description = titre.strip(), description.strip()
        ecrire(point, ["titre", "description"])
        scrutin = Scrutin.objects.select_for_update().filter(point=point).first()
        if scrutin is not None and question is not None and question.strip():
            if scrutin.statut != Scrutin.Statut.PREPARE:
                raise ActionImpossible(_("Le scrutin de ce point n'est plus préparé : sa question ne change plus."))
            scrutin.question = question.strip()
            ecrire(scrutin, ["question"])
        _nouvelle_version(point.seance_id)
        consigner(point.seance, "conseil.seance.point_modifie", par, point_id=point.pk)
    return point


def suppression_possible(point):
    """Return (possible, scrutin): a point whose scrutin is open or closed stays; a prepared one goes with it."""
    scrutin = Scrutin.objects.filter(point=point).first()
    return scrutin is None or scrutin.statut == Scrutin.Statut.PREPARE, scrutin


def supprimer_point(point, par):
    """Delete an agenda item (and its prepared scrutin) until the séance starts; return its title."""
    _exiger_gestion(par, point.seance)
    with transaction.atomic():
        seance = _seance_pas_commencee(point.seance_id, _("La séance a commencé : ses points ne peuvent plus "
                                                          "être supprimés."))
        point = PointOrdreDuJour.objects.select_for_update().filter(pk=point.pk).first()
        if point is None:
            raise ActionImpossible(_("Ce point n'existe plus."))
        scrutin = Scrutin.objects.select_for_update().filter(point=point).first()
        if scrutin is not None and scrutin.statut != Scrutin.Statut.PREPARE:
            raise ActionImpossible(_("Le scrutin n° %(numero)s de ce point est « %(statut)s » : le point ne peut "
                                     "pas être supprimé.") % {"numero": scrutin.numero,
                                                               "statut": scrutin.get_statut_display()})
        titre, pk, numero = point.titre, point.pk, scrutin.numero if scrutin is not None else None
        point.delete()  # the prepared scrutin goes with it (cascade)
        _nouvelle_version(seance.pk)
        consigner(seance, "conseil.seance.point_supprime", par, point_id=pk, titre=titre, scrutin=numero)
    return titre


def publier_ordre_du_jour(seance, par):
    """Publish the agenda; every member of the Conseil in office is told (in-app and by e-mail)."""
    _exiger_gestion(par, seance)
    with transaction.atomic():
        seance = Seance.objects.select_for_update().select_related("evenement").get(pk=seance.pk)
        if seance.statut != Seance.Statut.PREPARATION:
            raise ActionImpossible(_("L'ordre du jour de cette séance est déjà publié."))
        if not seance.points.exists():
            raise ActionImpossible(_("Ajoutez au moins un point à l'ordre du jour avant de le publier."))
        SEANCE.verifier(seance.statut, Seance.Statut.ORDRE_DU_JOUR_PUBLIE)
        maintenant = timezone.now()
        _nouvelle_version(seance.pk, statut=Seance.Statut.ORDRE_DU_JOUR_PUBLIE, ordre_du_jour_publie_le=maintenant)
        consigner(seance, "conseil.seance.ordre_du_jour_publie", par, statut=Seance.Statut.ORDRE_DU_JOUR_PUBLIE)
        titre = _("Ordre du jour publié : %(seance)s du %(date)s") % {
            "seance": seance.evenement.titre, "date": date_seance(seance)}
        # One mandate in office per person (database constraint on MembreConseil).
        mandats = MembreConseil.objects.valides().filter(user__is_active=True).select_related("user")
        for mandat in mandats:
            if mandat.user_id == par.pk:
                continue
            notifier(mandat.user, titre, _("Consultez l'ordre du jour et les documents de la séance."),
                     url=seance.get_absolute_url(), categorie=CATEGORIE_NOTIFICATIONS, courriel=True)
    seance.refresh_from_db()
    return seance


def passer_au_point(seance, point, par):
    """Show ``point`` as the current item of the séance (which is then in progress)."""
    _exiger_gestion(par, seance)
    if point.seance_id != seance.pk:
        raise ActionImpossible(_("Ce point n'appartient pas à cette séance."))
    with transaction.atomic():
        seance = Seance.objects.select_for_update().get(pk=seance.pk)
        if seance.statut == Seance.Statut.PREPARATION:
            raise ActionImpossible(_("La séance n'est pas ouverte : publiez l'ordre du jour d'abord."))
        if seance.statut == Seance.Statut.TERMINEE:
            raise ActionImpossible(_("La séance est terminée."))
        if seance.statut != Seance.Statut.EN_COURS:
            SEANCE.verifier(seance.statut, Seance.Statut.EN_COURS)
        _nouvelle_version(seance.pk, statut=Seance.Statut.EN_COURS, point_courant=point)
        consigner(seance, "conseil.seance.ouverte" if seance.statut != Seance.Statut.EN_COURS
                  else "conseil.seance.point_courant", par, point_id=point.pk)


def terminer_seance(seance, par):
    """End the séance: its open scrutin is closed and counted (``clore_scrutin``), its prepared ones are
    withdrawn (« retiré », never voted: a proposal they concerned stays inscribed in plenary). Return
    (closed scrutins, withdrawn scrutins).

    Locks in the usual order: each scrutin before the séance row."""
    _exiger_gestion(par, seance)
    with transaction.atomic():
        statut = Seance.objects.filter(pk=seance.pk).values_list("statut", flat=True).get()
        if statut == Seance.Statut.TERMINEE:
            raise ActionImpossible(_("La séance est déjà terminée."))
        SEANCE.verifier(statut, Seance.Statut.TERMINEE)
        clos = []
        for ouvert in Scrutin.objects.filter(seance_id=seance.pk, statut=Scrutin.Statut.OUVERT).order_by("numero"):
            if ouvert.saisie_manuelle:
                raise ActionImpossible(_("Le scrutin n° %(numero)s se vote à main levée : saisissez son résultat "
                                         "avant de terminer la séance.") % {"numero": ouvert.numero})
            clos.append(clore_scrutin(ouvert, par))
        retires = list(Scrutin.objects.select_for_update().filter(seance_id=seance.pk, statut=Scrutin.Statut.PREPARE)
                       .order_by("numero"))
        for s in retires:
            SCRUTIN.verifier(s.statut, Scrutin.Statut.RETIRE)
            s.statut = Scrutin.Statut.RETIRE
            s.save(update_fields=["statut"])
            consigner(s, "conseil.scrutin.retire", par, seance_id=seance.pk, statut=s.statut)
        seance = Seance.objects.select_for_update().get(pk=seance.pk)
        if seance.statut == Seance.Statut.TERMINEE:
            raise ActionImpossible(_("La séance est déjà terminée."))
        SEANCE.verifier(seance.statut, Seance.Statut.TERMINEE)
        _nouvelle_version(seance.pk, statut=Seance.Statut.TERMINEE, point_courant=None)
        consigner(seance, "conseil.seance.terminee", par, statut=Seance.Statut.TERMINEE,
                  scrutins_clos=[c.numero for c in clos], scrutins_retires=[r.numero for r in retires])
    return clos, retires


# --- Attendance -------------------------------------------------------------------------------------

def emarger(seance, user, *, par=None, jeton=None):
    """Check ``user`` in at ``seance``; return the ``Emargement`` (the existing one if already there).

    Either ``par`` (an agent ticking the list) or ``jeton`` (the member scanned the room's QR code).
    Only members of the Conseil in office may check in; their structure and collège are recorded as
    they are that day.
    """
    if par is not None:
        _exiger_gestion(par, seance)
        mode = Emargement.Mode.LISTE
    else:
        if not (user and user.is_authenticated):
            raise ActionImpossible(_("Connectez-vous pour émarger."))
        if not jeton or not secrets.compare_digest(str(jeton), seance.jeton_emargement):
            raise ActionImpossible(_("Ce QR code d'émargement n'est pas valable pour cette séance."))
        mode = Emargement.Mode.QR
    oublier(user)
    if not rules.has_perm("seances.emarger", user, seance):  # the person checked in: in office, séance open
        raise ActionImpossible(refus_d_emargement(user, seance))
    mandat = _mandat_actif(user)
    if mandat is None:
        raise ActionImpossible(_("Seuls les membres du Conseil en exercice peuvent émarger."))
    existant = Emargement.objects.filter(seance=seance, user=user).first()
    if existant is not None:
        return existant
    try:
        with transaction.atomic():
            emargement = Emargement.objects.create(seance=seance, user=user, structure=mandat.structure,
                                                   college=mandat.college, par=par, mode=mode)
            _nouvelle_version(seance.pk)
            consigner(seance, "conseil.seance.emargement", par or user, user_id=user.pk, mode=mode)
    except IntegrityError:  # the same person checked in twice at the same instant
        return Emargement.objects.get(seance=seance, user=user)
    return emargement


# --- Scrutins ---------------------------------------------------------------------------------------

def _verrouiller(scrutin):
    return Scrutin.objects.select_for_update().get(pk=scrutin.pk)


def ouvrir_scrutin(scrutin, par):
    """Open the vote; the séance moves to its item. One open scrutin per séance (database constraint)."""
    _exiger_gestion(par, scrutin)
    with transaction.atomic():
        s = _verrouiller(scrutin)
        if s.statut == Scrutin.Statut.OUVERT:
            raise ActionImpossible(_("Ce scrutin est déjà ouvert."))
        if s.statut == Scrutin.Statut.CLOS:
            raise ActionImpossible(_("Ce scrutin est clos : il ne peut pas être rouvert."))
        if s.statut == Scrutin.Statut.RETIRE:
            raise ActionImpossible(_("Ce scrutin a été retiré à la fin de la séance : il ne peut plus être ouvert."))
        seance = Seance.objects.get(pk=s.seance_id)
        if seance.statut not in SEANCE.etats_ou("emargement_ouvert"):
            raise ActionImpossible(_("Le scrutin ne peut être ouvert que pendant la séance, une fois l'ordre du "
                                     "jour publié."))
        if s.objet == Scrutin.Objet.PROPOSITION and s.proposition.etat != Etat.SOUMISE_PLENIERE:
            raise ActionImpossible(_("La proposition %(reference)s n'est plus inscrite en séance plénière (elle est "
                                     "« %(etat)s ») : le vote n'a plus d'objet.")
                                   % {"reference": s.proposition.reference, "etat": s.proposition.get_etat_display()})
        if s.objet == Scrutin.Objet.PROPOSITION:
            _verifier_pleniere(s.proposition, seance)
        autre = Scrutin.objects.filter(seance_id=s.seance_id, statut=Scrutin.Statut.OUVERT).first()
        deja_ouvert = _("Le scrutin n° %(numero)s est encore ouvert : clôturez-le avant d'en ouvrir un autre.")
        if autre is not None:
            raise ActionImpossible(deja_ouvert % {"numero": autre.numero})
        SCRUTIN.verifier(s.statut, Scrutin.Statut.OUVERT)
        s.statut, s.ouvert_le = Scrutin.Statut.OUVERT, timezone.now()
        try:
            with transaction.atomic():
                s.save(update_fields=["statut", "ouvert_le"])
        except IntegrityError:  # another one opened at the same instant
            autre = Scrutin.objects.filter(seance_id=s.seance_id, statut=Scrutin.Statut.OUVERT).first()
            raise ActionImpossible(deja_ouvert % {"numero": autre.numero if autre else "?"})
        _nouvelle_version(s.seance_id, statut=Seance.Statut.EN_COURS, point_courant=s.point_id)
        consigner(s, "conseil.scrutin.ouvert", par, seance_id=s.seance_id, statut=s.statut)
    return s


def voter(scrutin, user, choix):
    """Record ``user``'s vote (``pour`` / ``contre`` / ``abstention``) in the open ``scrutin``.

    Only while the scrutin is open, only by a member in office checked in at the séance, one vote per
    voter (and per structure when the scrutin says so), backed by unique constraints. A public vote may
    be changed while the scrutin is open if it allows it; a secret one never. Return the ``Bulletin``
    of a public scrutin, None for a secret one.
    """
    if not (user and user.is_authenticated):
        raise ActionImpossible(_("Connectez-vous pour voter : seuls les membres du Conseil émargés votent."))
    if choix not in Choix.values:
        raise ActionImpossible(_("Choisissez « pour », « contre » ou « abstention »."))
    with transaction.atomic():
        s = _verrouiller(scrutin)
        oublier(user)  # the mandate as it is now, even for a WebSocket's long-lived user
        if not peut_voter(user, s):  # the rule ``seances.voter``, as the live page and the socket ask it
            raise ActionImpossible(refus_de_vote(user, s))
        # The structure's name is in the refusal below: read with the check-in (one query, not two).
        emargement = Emargement.objects.filter(seance_id=s.seance_id, user=user).select_related("structure").first()
        structure_unique = emargement.structure if s.une_voix_par_structure else None
        structure_a_vote = _("La structure « %(structure)s » a déjà voté à ce scrutin (une voix par structure).") % {
            "structure": emargement.structure.nom}
        try:
            with transaction.atomic():
                bulletin = _enregistrer(s, user, choix, emargement, structure_unique, structure_a_vote)
        except IntegrityError:  # constraint-backed: the lock makes this a last resort
            raise ActionImpossible(_("Votre vote a déjà été enregistré."))
        _nouvelle_version(s.seance_id)
    return bulletin


def _enregistrer(s, user, choix, emargement, structure_unique, structure_a_vote):
    if s.secret:
        if Participation.objects.filter(scrutin=s, votant=user).exists():
            raise ActionImpossible(_("Vous avez déjà voté à ce scrutin secret ; un vote secret ne peut pas être "
                                     "changé."))
        if structure_unique and Participation.objects.filter(scrutin=s, structure_unique=structure_unique).exists():
            raise ActionImpossible(structure_a_vote)
        Participation.objects.create(scrutin=s, votant=user, structure_unique=structure_unique)
        BulletinSecret.objects.create(scrutin=s, choix=choix,
                                      college_id=emargement.college_id if s.ponderation_par_college else None)
        return None
    bulletin = Bulletin.objects.filter(scrutin=s, votant=user).first()
    if bulletin is not None:
        if not s.changement_de_vote_autorise:
            raise ActionImpossible(_("Vous avez déjà voté à ce scrutin ; il ne permet pas de changer de vote."))
        bulletin.choix, bulletin.le = choix, timezone.now()
        bulletin.save(update_fields=["choix", "le"])
        return bulletin
    if structure_unique and Bulletin.objects.filter(scrutin=s, structure_unique=structure_unique).exists():
        raise ActionImpossible(structure_a_vote)
    return Bulletin.objects.create(scrutin=s, votant=user, choix=choix, structure=emargement.structure,
                                   structure_unique=structure_unique, college_id=emargement.college_id)


def clore_scrutin(scrutin, par, *, renvoi=False, motif=""):
    """Close the open vote, count it, store the result and apply it (proposal workflow, annual theme).

    ``renvoi``: the séance sends the proposal back to its atelier (only for a proposal).
    ``motif``: the public reason of a rejection (one is written from the counts when left empty).
    """
    _exiger_gestion(par, scrutin)
    with transaction.atomic():
        s = _verrouiller(scrutin)
        if s.statut != Scrutin.Statut.OUVERT:
            raise ActionImpossible(_("Ce scrutin n'est pas ouvert : il ne peut pas être clos."))
        if s.saisie_manuelle:
            raise ActionImpossible(_("Ce scrutin se vote à main levée : saisissez son résultat."))
        SCRUTIN.verifier(s.statut, Scrutin.Statut.CLOS)
        _conclure(s, par, renvoi, motif)
    return s


def saisir_resultat_manuel(scrutin, par, *, pour, contre, abstention, renvoi=False, motif=""):
    """Record a show of hands: the counts entered by the secrétariat close the scrutin like a vote."""
    _exiger_gestion(par, scrutin)
    try:
        pour, contre, abstention = int(pour), int(contre), int(abstention)
    except (TypeError, ValueError):
        raise ActionImpossible(_("Indiquez des nombres de voix entiers."))
    if min(pour, contre, abstention) < 0:
        raise ActionImpossible(_("Les nombres de voix ne peuvent pas être négatifs."))
    with transaction.atomic():
        s = _verrouiller(scrutin)
        if s.statut == Scrutin.Statut.CLOS:
            raise ActionImpossible(_("Ce scrutin est déjà clos."))
        if s.statut == Scrutin.Statut.RETIRE:
            raise ActionImpossible(_("Ce scrutin a été retiré à la fin de la séance : il n'a pas de résultat."))
        if s.ponderation_par_college:
            raise ActionImpossible(_("Un scrutin pondéré par collège ne peut pas se voter à main levée."))
        if s.objet == Scrutin.Objet.PROPOSITION:
            _verifier_pleniere(s.proposition, s.seance)
        if Bulletin.objects.filter(scrutin=s).exists() or Participation.objects.filter(scrutin=s).exists():
            raise ActionImpossible(_("Des votes ont déjà été enregistrés en ligne pour ce scrutin : clôturez-le."))
        SCRUTIN.verifier(s.statut, Scrutin.Statut.CLOS)
        presents = Seance.objects.get(pk=s.seance_id).nombre_presents()
        if pour + contre + abstention > presents:
            raise ActionImpossible(_("Le total des voix (%(total)s) dépasse le nombre de membres présents "
                                     "(%(presents)s).") % {"total": pour + contre + abstention, "presents": presents})
        s.saisie_manuelle = True
        s.pour, s.contre, s.abstention = pour, contre, abstention
        s.ouvert_le = s.ouvert_le or timezone.now()
        _conclure(s, par, renvoi, motif)
    return s


def _conclure(s, par, renvoi, motif):
    """Store the count and the result of the locked scrutin ``s``, then apply it."""
    if renvoi and s.objet != Scrutin.Objet.PROPOSITION:
        raise ActionImpossible(_("Seule une proposition peut être renvoyée en atelier."))
    d = depouiller(s)
    s.pour, s.contre, s.abstention, s.presents, s.quorum_atteint = (
        d.pour, d.contre, d.abstention, d.presents, d.quorum_atteint)
    s.pour_pondere, s.contre_pondere, s.abstention_pondere = d.pour_pondere, d.contre_pondere, d.abstention_pondere
    s.poids_appliques = d.poids_appliques or {}
    if d.quorum_atteint is False:
        s.resultat = Scrutin.Resultat.QUORUM_NON_ATTEINT
    elif renvoi:
        s.resultat = Scrutin.Resultat.RENVOYE
    else:
        s.resultat = Scrutin.Resultat.ADOPTE if d.adopte else Scrutin.Resultat.REJETE
    s.statut, s.clos_le, s.clos_par = Scrutin.Statut.CLOS, timezone.now(), par
    s.save()
    _nouvelle_version(s.seance_id)
    consigner(s, "conseil.scrutin.clos", par, seance_id=s.seance_id, resultat=s.resultat, pour=s.pour,
              contre=s.contre, abstention=s.abstention, saisie_manuelle=s.saisie_manuelle)
    if s.objet == Scrutin.Objet.PROPOSITION:
        _appliquer_a_la_proposition(s, par, motif)
    elif s.objet == Scrutin.Objet.THEMATIQUE:
        _appliquer_a_la_thematique(s)


def _appliquer_a_la_proposition(s, par, motif):
    if s.resultat == Scrutin.Resultat.QUORUM_NON_ATTEINT:
        return  # no decision: the proposal stays on the plenary's list for another séance
    proposition = s.proposition
    proposition.refresh_from_db()
    if proposition.etat != Etat.SOUMISE_PLENIERE or proposition.pleniere_id != s.seance.evenement_id:
        return  # withdrawn (or moved) while the vote was open: the result is recorded, the proposal keeps its state
    decompte = decompte_texte(s)
    lien = {"lien_libelle": libelle_scrutin(s), "lien": s, "le": s.clos_le}
    if s.resultat == Scrutin.Resultat.ADOPTE:
        workflow.changer_etat(proposition, Etat.ADOPTEE, par,
                              commentaire=_("Adoptée par le Conseil : %(decompte)s.") % {"decompte": decompte}, **lien)
    elif s.resultat == Scrutin.Resultat.REJETE:
        motif = motif.strip() or _("Non retenue par le Conseil : %(decompte)s.") % {"decompte": decompte}
        workflow.changer_etat(proposition, Etat.NON_RETENUE, par, motif=motif, commentaire=motif, **lien)
    else:
        commentaire = motif.strip() or _("Renvoyée en atelier par le Conseil pour être retravaillée.")
        workflow.changer_etat(proposition, Etat.EN_ATELIER, par, commentaire=commentaire, **lien)


def _appliquer_a_la_thematique(s):
    if s.resultat == Scrutin.Resultat.QUORUM_NON_ATTEINT:
        return
    thematique = ThematiqueAnnuelle.objects.select_for_update().get(pk=s.thematique_id)
    thematique.statut = (ThematiqueAnnuelle.Statut.RETENUE if s.resultat == Scrutin.Resultat.ADOPTE
                         else ThematiqueAnnuelle.Statut.NON_RETENUE)
    thematique.vote_libelle = str(s.seance)[:200]
    thematique.vote_date = s.seance.date
    etiquette = _("Retenue") if s.resultat == Scrutin.Resultat.ADOPTE else _("Non retenue")
    thematique.vote_commentaire = f"{etiquette} ({decompte_texte(s)})"[:300]
    thematique.save(update_fields=["statut", "vote_libelle", "vote_date", "vote_commentaire"])
    consigner(thematique, "conseil.thematique.statut", s.clos_par, statut=thematique.statut, scrutin_id=s.pk)
