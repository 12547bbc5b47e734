from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvenementsConfig(AppConfig):
    verbose_name = _("Agenda")
    name = "evenements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from conseil_ess.comptes.emplacements import MON_ESPACE, ORDRE_MON_AGENDA, enregistrer_bloc
        from conseil_ess.comptes.setup import confier_aux_agents

        from .blocs import mon_agenda
        from .donnees_personnelles import enregistrer_partie

        post_migrate.connect(_apres_migration, dispatch_uid="evenements_assurer_publics")
        confier_aux_agents(self.label)
        _enregistrer_categories_notifications()
        enregistrer_bloc(MON_ESPACE, "evenements/includes/mon_agenda.html", mon_agenda, ordre=ORDRE_MON_AGENDA)
        from .inscrits import bloc_mon_espace

        # The organisers' block: their events with the counts of registered people (evenements/inscrits.py).
        enregistrer_bloc(MON_ESPACE, "evenements/includes/mes_evenements_organises.html", bloc_mon_espace,
                         ordre=ORDRE_MON_AGENDA + 1)
        enregistrer_partie()  # registrations in « Mes données », erasure and retention
        _declarer_traitements()


def _enregistrer_categories_notifications():
    from django.utils.translation import ngettext_lazy

    from conseil_ess.comptes.categories_notifications import ORDRE_EVENEMENTS, enregistrer

    enregistrer(
        "evenements", _("Agenda et inscriptions"),
        _("Vos événements proposés à l'agenda et vos inscriptions (liste d'attente, annulation)."),
        ngettext_lazy("%(nombre)s nouveauté sur l'agenda et vos inscriptions",
                      "%(nombre)s nouveautés sur l'agenda et vos inscriptions", "nombre"),
        ordre=ORDRE_EVENEMENTS,
    )
    enregistrer(
        "moderation", _("Modération de l'agenda"),
        _("Événements proposés qui attendent une modération."),
        ngettext_lazy("%(nombre)s événement à modérer",
                      "%(nombre)s événements à modérer", "nombre"),
        ordre=ORDRE_EVENEMENTS + 1,
    )


def _apres_migration(sender, **kwargs):
    from conseil_ess.comptes.setup import apres_migration_complete

    from .models import Public
    from .setup import assurer_publics

    if apres_migration_complete(sender, kwargs, Public):
        assurer_publics()


def _declarer_traitements():
    """The agenda's processing in the register (``/donnees-personnelles/``)."""
    from conseil_ess.comptes.traitements import MISSION_INTERET_PUBLIC, declarer, duree_reglage

    declarer(
        "inscriptions", ordre=40, app="evenements",
        finalite=_("Gérer les inscriptions aux événements de l'agenda : places, liste d'attente, confirmations "
                   "et rappels ; proposer des événements à l'agenda."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Personnes inscrites à un événement ; personnes qui proposent un événement"),
        donnees=[_("événement, statut de l'inscription (confirmée, liste d'attente, annulée) et ses dates"),
                 _("présence à l'événement (heure de l'émargement à l'accueil)"),
                 _("événements proposés et leur auteur·rice")],
        destinataires=[_("secrétariat du Conseil de l'ESS"), _("organisateur·rice·s de l'événement")],
        conservation=[duree_reglage("CONSERVATION_INSCRIPTIONS_JOURS",
                                    _("inscriptions : anonymisées %(duree)s après la fin de l'événement (seuls "
                                      "les nombres sont gardés pour les statistiques)"))],
    )
