from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropositionsConfig(AppConfig):
    name = "conseil_ess.propositions"
    label = "propositions"
    verbose_name = _("Propositions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import ngettext_lazy

        from ateliers.extensions import PAGE_ATELIER
        from conseil_ess.comptes import categories_notifications, compteurs
        from conseil_ess.comptes.emplacements import (
            MON_ESPACE,
            ORDRE_MES_PROPOSITIONS,
            enregistrer_bloc,
            enregistrer_lien,
        )
        from conseil_ess.comptes.setup import confier_aux_agents

        from .blocs import invitations_portage, mes_propositions, propositions_de_l_atelier
        from .donnees_personnelles import enregistrer_partie
        from .statistiques import lecture_adoptees, lecture_deposees, lecture_realisees

        confier_aux_agents(self.label)
        enregistrer_partie()  # proposals and follows in « Mes données », erasure, retention of files
        # The figures editors may show in the « chiffres calculés » block of the home pages.
        compteurs.enregistrer("propositions_deposees", _("propositions déposées au Conseil"),
                              lecture=lecture_deposees)
        compteurs.enregistrer("propositions_adoptees", _("propositions adoptées par le Conseil"),
                              lecture=lecture_adoptees)
        compteurs.enregistrer("propositions_realisees", _("propositions réalisées"), lecture=lecture_realisees)
        # The notifications of the workflow, to authors and followers.
        categories_notifications.enregistrer(
            "propositions", _("Propositions que je suis"),
            _("Changements d'état des propositions que vous avez déposées ou que vous suivez."),
            ngettext_lazy("%(nombre)s nouveauté sur les propositions que vous suivez",
                          "%(nombre)s nouveautés sur les propositions que vous suivez", "nombre"),
            ordre=categories_notifications.ORDRE_PROPOSITIONS,
        )
        categories_notifications.enregistrer(
            "portage_propositions", _("Co-portage des propositions"),
            _("Invitations de vos structures à porter une proposition, et réponses à vos invitations."),
            ngettext_lazy("%(nombre)s nouvelle sur le co-portage des propositions",
                          "%(nombre)s nouvelles sur le co-portage des propositions", "nombre"),
            ordre=categories_notifications.ORDRE_PROPOSITIONS + 1,
        )
        # « Mon espace »: the invitations my structures must answer (first), my proposals and those I follow;
        # the follow-up dashboard for who may see it.
        enregistrer_bloc(MON_ESPACE, "propositions/includes/invitations_portage.html", invitations_portage,
                         ordre=ORDRE_MES_PROPOSITIONS - 1)
        enregistrer_bloc(MON_ESPACE, "propositions/includes/mes_propositions.html", mes_propositions,
                         ordre=ORDRE_MES_PROPOSITIONS)
        enregistrer_lien(MON_ESPACE, _("Suivi des propositions"), "propositions:tableau_de_bord",
                         permission="propositions.tableau_de_bord")
        # An atelier's page: the public proposals it works on.
        enregistrer_bloc(PAGE_ATELIER, "propositions/includes/atelier.html", propositions_de_l_atelier, ordre=10)
        _indexer_avec_leurs_porteurs_et_points()
        _declarer_traitements()


def _porteurs_changes(sender, instance, action, reverse, pk_set, **kwargs):
    from wagtail.search.index import insert_or_update_object

    from .models import Proposition

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        insert_or_update_object(instance)
    elif pk_set:
        for proposition in Proposition.objects.filter(pk__in=pk_set):
            insert_or_update_object(proposition)


def _point_change(sender, instance, **kwargs):
    from wagtail.search.index import insert_or_update_object

    from .models import Proposition

    proposition = Proposition.objects.filter(pk=instance.proposition_id).first()
    if proposition is not None:
        insert_or_update_object(proposition)


def _indexer_avec_leurs_porteurs_et_points():
    """A proposal's indexed text names its carrier structures and its public follow-up points: Wagtail
    reindexes the proposal when it is saved; these signals do it when its carriers or points change."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import PointSuivi, Proposition

    m2m_changed.connect(_porteurs_changes, sender=Proposition.structures.through, dispatch_uid="recherche_porteurs")
    post_save.connect(_point_change, sender=PointSuivi, dispatch_uid="recherche_point_suivi")
    post_delete.connect(_point_change, sender=PointSuivi, dispatch_uid="recherche_point_suivi_supprime")


def _declarer_traitements():
    """The proposals' processing in the register (``/donnees-personnelles/``)."""
    from conseil_ess.comptes.traitements import MISSION_INTERET_PUBLIC, declarer

    declarer(
        "propositions", ordre=60, app="propositions",
        finalite=_("Recevoir, instruire et suivre les propositions déposées au Conseil ; prévenir les personnes "
                   "qui les suivent."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Auteur·rice·s des propositions et personnes qui les suivent"),
        donnees=[_("propositions (brouillons compris) et pièces jointes"), _("structures porteuses"),
                 _("abonnements aux propositions"), _("historique des changements d'état")],
        destinataires=[_("public : propositions déposées, avec le nom affiché de leur auteur·rice et leurs "
                         "structures"), _("secrétariat, élu·e·s et animateur·rice·s chargés de leur instruction")],
        conservation=[_("brouillons : jusqu'à leur suppression ou celle du compte"),
                      _("propositions déposées : mémoire publique du Conseil ; à la suppression du compte, "
                        "l'auteur·rice n'est plus nommé·e")],
    )
