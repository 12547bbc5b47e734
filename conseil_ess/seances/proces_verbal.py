"""The one path for the minutes (procès-verbal) of a séance: generate the draft from the recorded data,
edit it, publish it (members in office are told), withdraw it. Views, the admin and the demo call these.

When may the minutes be generated? When the séance is over (``Seance.Statut.TERMINEE``), or, for a séance
recorded after the fact (an archived séance loaded by the demo, or one the secrétariat never "ended" on the
live page), when its end time has passed and none of its scrutins is still prepared or open: the minutes
only ever describe results that are final.

Refusals raise ``ActionImpossible`` with a French message shown as is.
"""

import re

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.models import College, MembreConseil
from conseil_ess.comptes.notifications import notifier
from conseil_ess.comptes.services import ActionImpossible
from conseil_ess.sanitizer import nettoyer_html, texte_seul

from . import services
from .etats import PROCES_VERBAL
from .models import PointOrdreDuJour, ProcesVerbal, Scrutin, Seance

CATEGORIE_NOTIFICATIONS = services.CATEGORIE_NOTIFICATIONS


def peut_generer(seance, maintenant=None):
    """True when the séance's results are final (see the module's docstring)."""
    if seance.statut == Seance.Statut.TERMINEE:
        return True
    maintenant = maintenant or timezone.now()
    if seance.evenement.fin >= maintenant:
        return False
    return not seance.scrutins.exclude(statut=Scrutin.Statut.CLOS).exists()


def _contexte(seance):
    """Everything the draft says, read from the recorded data (one query per table, whatever the size)."""
    points = list(PointOrdreDuJour.objects.filter(seance=seance).order_by("ordre", "pk"))
    scrutins = {s.point_id: s for s in Scrutin.objects.filter(seance=seance).select_related(
        "proposition", "thematique")}
    slugs = set()
    for point in points:
        point.le_scrutin = scrutins.get(point.pk)
        if point.le_scrutin and point.le_scrutin.poids_appliques:
            slugs.update(point.le_scrutin.poids_appliques)
    noms_colleges = dict(College.objects.filter(slug__in=slugs).values_list("slug", "nom")) if slugs else {}
    for point in points:
        s = point.le_scrutin
        if s is not None:
            s.poids_lisibles = [(noms_colleges.get(slug, slug), poids)
                                for slug, poids in (s.poids_appliques or {}).items()]
    evenement = seance.evenement
    return {
        "seance": seance, "evenement": evenement, "points": points,
        "debut": timezone.localtime(evenement.debut), "fin": timezone.localtime(evenement.fin),
        "presents": seance.nombre_presents(),
        "emargements_en_ligne": seance.emargements.count(),
    }


def contenu_brouillon(seance):
    """The draft's HTML, built from the recorded data (its ``TexteRiche`` field cleans it)."""
    seance = Seance.objects.select_related("evenement", "evenement__lieu", "evenement__commune").get(pk=seance.pk)
    with timezone.override("Europe/Paris"):
        html = render_to_string("seances/proces_verbal_brouillon.html", _contexte(seance))
    # No blank lines: the secrétariat edits this text in a plain text area.
    return re.sub(r"\n\s*\n", "\n", html).strip() + "\n"


def generer(seance, par):
    """Create the draft minutes of ``seance`` from its recorded data, or regenerate the existing draft.

    A published procès-verbal is never overwritten (withdraw it first with ``depublier``).
    """
    services._exiger_gestion(par, seance)
    seance = Seance.objects.select_related("evenement").get(pk=seance.pk)
    if not peut_generer(seance):
        raise ActionImpossible(_("Le procès-verbal ne peut être généré qu'après la séance, une fois tous ses "
                                 "scrutins clos."))
    contenu = contenu_brouillon(seance)
    maintenant = timezone.now()
    with transaction.atomic():
        pv = ProcesVerbal.objects.select_for_update().filter(seance=seance).first()
        if pv is not None and pv.est_publie:
            raise ActionImpossible(_("Le procès-verbal est publié : il ne peut pas être régénéré. Modifiez-le, ou "
                                     "retirez sa publication avant de le régénérer."))
        if pv is None:
            pv = ProcesVerbal(seance=seance)
        pv.contenu, pv.genere_le, pv.modifie_le, pv.modifie_par = contenu, maintenant, maintenant, par
        pv.statut = ProcesVerbal.Statut.BROUILLON
        pv.save()
        consigner(pv, "conseil.proces_verbal.genere", par, seance_id=seance.pk)
    return pv


def enregistrer(pv, par, contenu):
    """Save the text edited by the secrétariat (draft or published minutes)."""
    services._exiger_gestion(par, pv)
    if not texte_seul(nettoyer_html(contenu)).strip():
        raise ActionImpossible(_("Le procès-verbal ne peut pas être vide."))
    with transaction.atomic():
        pv = ProcesVerbal.objects.select_for_update().get(pk=pv.pk)
        pv.contenu, pv.modifie_le, pv.modifie_par = contenu, timezone.now(), par
        pv.save()
        consigner(pv, "conseil.proces_verbal.modifie", par, seance_id=pv.seance_id)
    return pv


def publier(pv, par):
    """Publish the minutes: public on the séance's page; members in office are told (in-app and e-mail)."""
    services._exiger_gestion(par, pv)
    with transaction.atomic():
        pv = ProcesVerbal.objects.select_for_update().select_related("seance__evenement").get(pk=pv.pk)
        if pv.est_publie:
            raise ActionImpossible(_("Le procès-verbal est déjà publié."))
        if not texte_seul(pv.contenu).strip():
            raise ActionImpossible(_("Le procès-verbal est vide : générez-le ou rédigez-le avant de le publier."))
        PROCES_VERBAL.verifier(pv.statut, ProcesVerbal.Statut.PUBLIE)
        maintenant = timezone.now()
        pv.statut, pv.publie_le, pv.modifie_le, pv.modifie_par = ProcesVerbal.Statut.PUBLIE, maintenant, maintenant, par
        pv.save()
        consigner(pv, "conseil.proces_verbal.publie", par, seance_id=pv.seance_id)
        seance = pv.seance
        titre = _("Procès-verbal publié : %(seance)s du %(date)s") % {
            "seance": seance.evenement.titre, "date": services.date_seance(seance)}
        mandats = MembreConseil.objects.valides().filter(user__is_active=True).select_related("user")
        for mandat in mandats:
            if mandat.user_id == par.pk:
                continue
            notifier(mandat.user, titre, _("Le procès-verbal de la séance est en ligne."),
                     url=seance.get_absolute_url() + "#proces-verbal", categorie=CATEGORIE_NOTIFICATIONS,
                     courriel=True)
    return pv


def depublier(pv, par):
    """Withdraw the publication (back to a draft, e.g. to correct and regenerate it)."""
    services._exiger_gestion(par, pv)
    with transaction.atomic():
        pv = ProcesVerbal.objects.select_for_update().get(pk=pv.pk)
        if not pv.est_publie:
            raise ActionImpossible(_("Le procès-verbal n'est pas publié."))
        PROCES_VERBAL.verifier(pv.statut, ProcesVerbal.Statut.BROUILLON)
        pv.statut, pv.publie_le, pv.modifie_le, pv.modifie_par = (
            ProcesVerbal.Statut.BROUILLON, None, timezone.now(), par)
        pv.save()
        consigner(pv, "conseil.proces_verbal.retire", par, seance_id=pv.seance_id)
    return pv
