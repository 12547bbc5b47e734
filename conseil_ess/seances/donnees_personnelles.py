"""The séances' part of the personal data (registry ``conseil_ess/comptes/donnees_personnelles.py``): check-ins
and public votes in the export; for a secret ballot, only that the person took part (by design nothing links
them to a choice). Erasure keeps them: public votes and attendance belong to the published minutes, a legal
record; they stay on the anonymised account (« Contributeur·rice (compte supprimé) »)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conseil_ess.comptes.donnees_personnelles import ORDRE_SEANCES, Rubrique, enregistrer

from .models import Bulletin, DocumentSeance, Emargement, Participation, ProcesVerbal, Scrutin, Seance


def exporter(user):
    emargements = [{
        _("Séance"): e.seance.evenement.titre, _("Date"): e.seance.evenement.debut,
        _("Structure représentée"): e.structure.nom, _("Collège"): e.college.nom, _("Mode"): e.get_mode_display(),
        _("Émargé·e le"): e.le,
    } for e in Emargement.objects.filter(user=user).select_related("seance__evenement", "structure", "college")
        .order_by("le")]
    votes = [{
        _("Séance"): b.scrutin.seance.evenement.titre, _("Scrutin"): b.scrutin.question,
        _("Vote"): b.get_choix_display(), _("Structure"): b.structure.nom, _("Voté le"): b.le,
    } for b in Bulletin.objects.filter(votant=user).select_related("scrutin__seance__evenement", "structure")
        .order_by("le")]
    secrets = [{
        _("Séance"): p.scrutin.seance.evenement.titre, _("Scrutin"): p.scrutin.question,
        _("Participation"): _("a pris part au vote (le choix est secret et n'est relié à personne)"),
    } for p in Participation.objects.filter(votant=user).select_related("scrutin__seance__evenement")
        .order_by("scrutin__seance__evenement__debut", "scrutin__numero")]
    actions = [{
        _("Séances créées"): Seance.objects.filter(cree_par=user).count(),
        _("Scrutins clos"): Scrutin.objects.filter(clos_par=user).count(),
        _("Émargements saisis pour d'autres"): Emargement.objects.filter(par=user).exclude(user=user).count(),
        _("Documents de séance ajoutés"): DocumentSeance.objects.filter(ajoute_par=user).count(),
        _("Procès-verbaux modifiés"): ProcesVerbal.objects.filter(modifie_par=user).count(),
    }]
    return [
        Rubrique(_("Présences aux séances plénières"), emargements),
        Rubrique(_("Votes publics"), votes),
        Rubrique(_("Scrutins secrets auxquels vous avez pris part"), secrets),
        Rubrique(_("Actions du secrétariat (nombres)"), actions),
    ]


def effacer(user, par):
    """Nothing is removed: the minutes are a legal record (the account behind them is anonymised)."""
    return {_("votes publics conservés dans les procès-verbaux"): Bulletin.objects.filter(votant=user).count()}


def enregistrer_partie():
    enregistrer("seances", gettext_lazy("Séances plénières et votes"), exporter=exporter, effacer=effacer,
                modeles=(Seance, Scrutin, Emargement, Bulletin, Participation, DocumentSeance, ProcesVerbal),
                ordre=ORDRE_SEANCES)
