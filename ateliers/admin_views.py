"""Admin views of the ateliers that call the services: archiving a cycle, answering a request to join.

Registered on the viewsets of ``wagtail_hooks.py``; built on ``comptes.admin_views.ActionAdminView``
(confirmation page, right checked with the object, ``ActionImpossible`` shown as a form error).
"""

from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conseil_ess.comptes.admin_views import ActionAdminView

from . import services
from .models import Cycle, Participation

# The viewset names (URL namespaces) of wagtail_hooks.py.
NS_CYCLES = "ateliers_cycles"
NS_ATELIERS = "ateliers_ateliers"
NS_PARTICIPATIONS = "ateliers_participations"
NS_REUNIONS = "ateliers_reunions"


def url_action(namespace, action, objet):
    return reverse(f"{namespace}:{action}", args=[quote(objet.pk)])


class ArchiverCycleView(ActionAdminView):
    model = Cycle
    permission = "ateliers.administrer"
    index_url_name = f"{NS_CYCLES}:index"
    edit_url_name = f"{NS_CYCLES}:edit"
    header_icon = "lock"
    page_title = gettext_lazy("Archiver le cycle")
    bouton = gettext_lazy("Archiver")
    explication = gettext_lazy(
        "Ses ateliers, leurs réunions et leurs comptes rendus restent consultables, mais plus personne ne peut "
        "les rejoindre ni y planifier de réunion. Les animateur·rice·s qui n'animent plus d'atelier d'un cycle "
        "en cours perdent le rôle « Animateur·rice ». L'archivage est définitif.")
    serieux = True

    def executer(self, form):
        services.archiver_cycle(self.objet, par=self.request.user)

    def message_succes(self):
        return _("Le cycle « %(cycle)s » est archivé.") % {"cycle": self.objet.titre}


class DeciderParticipationView(ActionAdminView):
    model = Participation
    permission = "ateliers.gerer"
    index_url_name = f"{NS_PARTICIPATIONS}:index"
    edit_url_name = f"{NS_PARTICIPATIONS}:edit"
    header_icon = "user"
    accepter = True

    def get_queryset(self):
        return Participation.objects.select_related("user", "atelier__cycle")

    def get_context_data(self, **kwargs):
        return super().get_context_data(resume_template="ateliers/admin/_resume_participation.html",
                                        participation=self.objet, **kwargs)

    def executer(self, form):
        services.decider_participation(self.objet, par=self.request.user, accepter=self.accepter)


class AccepterParticipationView(DeciderParticipationView):
    page_title = gettext_lazy("Accepter la demande")
    bouton = gettext_lazy("Accepter")
    explication = gettext_lazy("La personne devient membre de l'atelier ; elle est prévenue par notification et "
                               "par e-mail.")

    def message_succes(self):
        return _("%(personne)s fait désormais partie de l'atelier « %(atelier)s ».") % {
            "personne": self.objet.user.nom_public, "atelier": self.objet.atelier.titre}


class RefuserParticipationView(DeciderParticipationView):
    page_title = gettext_lazy("Refuser la demande")
    bouton = gettext_lazy("Refuser et prévenir")
    explication = gettext_lazy("La personne est prévenue que sa demande n'a pas été acceptée ; elle pourra en "
                               "refaire une.")
    serieux = True
    accepter = False

    def message_succes(self):
        return _("La demande de %(personne)s est refusée ; la personne est prévenue.") % {
            "personne": self.objet.user.nom_public}
