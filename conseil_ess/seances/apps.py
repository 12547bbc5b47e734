from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeancesConfig(AppConfig):
    name = "conseil_ess.seances"
    label = "seances"
    verbose_name = _("Séances plénières")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conseil_ess.comptes.setup import confier_aux_agents

        from .donnees_personnelles import enregistrer_partie

        confier_aux_agents(self.label)
        enregistrer_partie()  # check-ins and public votes in « Mes données » (kept on erasure: the minutes)
        _declarer_traitements()


def _declarer_traitements():
    """The séances' processing in the register (``/donnees-personnelles/``)."""
    from conseil_ess.comptes.traitements import MISSION_INTERET_PUBLIC, declarer

    declarer(
        "seances", ordre=70, app="seances",
        finalite=_("Tenir les séances plénières du Conseil : émargement des membres, votes en direct, "
                   "procès-verbaux."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Membres du Conseil"),
        donnees=[_("émargement (présence, heure)"), _("vote à main levée : le choix exprimé, nominatif"),
                 _("scrutin secret : seulement le fait d'avoir voté, jamais le choix (bulletin séparé de la "
                   "personne)")],
        destinataires=[_("secrétariat du Conseil de l'ESS"), _("public : procès-verbaux publiés, votes "
                                                                 "nominatifs compris")],
        conservation=[_("procès-verbaux et votes publics qu'ils reprennent : archive publique du Conseil, "
                        "conservés sans limite (document administratif)"),
                      _("émargements : jusqu'à la suppression du compte")],
        remarques=_("Un vote publié dans un procès-verbal n'est pas effacé avec le compte : il fait partie d'un "
                    "document administratif."),
    )
