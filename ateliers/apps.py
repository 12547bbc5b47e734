from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AteliersConfig(AppConfig):
    verbose_name = _("Ateliers thématiques")
    name = "ateliers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models import Q
        from django.db.models.signals import m2m_changed

        from conseil_ess.comptes.emplacements import MON_ESPACE, ORDRE_MES_ATELIERS, enregistrer_bloc
        from conseil_ess.comptes.setup import confier_aux_agents
        from evenements.extensions import (
            enregistrer_gestionnaire,
            enregistrer_regle_visibilite,
            enregistrer_source_agenda_personnel,
        )

        from .blocs import mes_ateliers
        from .compteurs import enregistrer_compteurs
        from .donnees_personnelles import enregistrer_partie
        from .models import Atelier

        confier_aux_agents(self.label)
        enregistrer_compteurs()
        enregistrer_partie()  # memberships and attendances in « Mes données », erasure
        _enregistrer_categorie_notifications()
        enregistrer_bloc(MON_ESPACE, "ateliers/includes/mes_ateliers.html", mes_ateliers, ordre=ORDRE_MES_ATELIERS)
        _declarer_traitements()
        enregistrer_regle_visibilite(Q(reunion_atelier__isnull=True), _reunions_reservees_visibles)
        enregistrer_source_agenda_personnel(_reunions_de_mes_ateliers)
        enregistrer_gestionnaire(_gere_la_reunion)
        m2m_changed.connect(_animateurs_changes, sender=Atelier.animateurs.through,
                            dispatch_uid="ateliers_groupe_animateur")


def _enregistrer_categorie_notifications():
    from django.utils.translation import ngettext_lazy

    from conseil_ess.comptes.categories_notifications import ORDRE_ATELIERS, enregistrer

    enregistrer(
        "ateliers", _("Ateliers"),
        _("Demandes de participation, réunions planifiées, déplacées ou annulées, comptes rendus."),
        ngettext_lazy("%(nombre)s nouveauté dans vos ateliers",
                      "%(nombre)s nouveautés dans vos ateliers", "nombre"),
        ordre=ORDRE_ATELIERS,
    )


def _reunions_reservees_visibles(user):
    """A meeting reserved to members: the atelier's members and animateur·rice·s, élu·e·s and agents."""
    import rules
    from django.db.models import Q

    from .services import ateliers_de

    if rules.has_perm("ateliers.voir_reunions_reservees", user):  # the rule itself: no permission-table query
        return Q(pk__isnull=False)  # every governed event (an empty Q() would be dropped by `|`)
    return Q(reunion_atelier__atelier__in=ateliers_de(user).values("pk"))


def _reunions_de_mes_ateliers(user):
    from django.db.models import Q

    from .services import ateliers_de, derniere_modification_participations

    return Q(reunion_atelier__atelier__in=ateliers_de(user).values("pk")), derniere_modification_participations(user)


def _animateurs_changes(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Naming or removing an animateur·rice (admin, demo, tests) keeps their role group in step."""
    from django.contrib.auth import get_user_model

    from .services import synchroniser_groupe_animateur

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    User = get_user_model()
    if reverse:  # user.ateliers_animes.add(...)
        users = [instance]
    elif action == "post_clear":
        users = list(User.objects.filter(groups__name="Animateur·rice"))
    else:
        users = list(User.objects.filter(pk__in=pk_set or []))
    for user in users:
        synchroniser_groupe_animateur(user)


def _gere_la_reunion(user, evenement):
    """The animation of an atelier (and the secrétariat) manage its meetings' events (``ateliers.gerer``)."""
    from evenements.models import TypeEvenement

    from .models import Reunion

    if evenement.type != TypeEvenement.REUNION_ATELIER:  # no query for the other events
        return False
    reunion = Reunion.objects.filter(evenement_id=evenement.pk).select_related("atelier").first()
    return reunion is not None and user.has_perm("ateliers.gerer", reunion.atelier)


def _declarer_traitements():
    """The ateliers' processing in the register (``/donnees-personnelles/``)."""
    from conseil_ess.comptes.traitements import MISSION_INTERET_PUBLIC, declarer

    declarer(
        "ateliers", ordre=50, app="ateliers",
        finalite=_("Organiser les ateliers thématiques : participations, animation, réunions, présences et "
                   "comptes rendus."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Participant·e·s et animateur·rice·s des ateliers"),
        donnees=[_("participation à un atelier et son statut"), _("présence aux réunions"),
                 _("comptes rendus rédigés")],
        destinataires=[_("animateur·rice·s de l'atelier, secrétariat du Conseil de l'ESS"),
                       _("membres de l'atelier (liste des participant·e·s)")],
        conservation=[_("participations et présences : jusqu'à la suppression du compte"),
                      _("comptes rendus publiés : mémoire publique des ateliers")],
    )
