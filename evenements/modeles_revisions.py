"""A proposed change to a published event (issue 18): the published version stays online until a moderator
accepts it. Imported by ``evenements.models``; the services are in ``evenements.revisions``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RevisionEvenement(models.Model):
    """The values an organiser proposes for a published event, with the published values they were based on
    (``valeurs_base``, its SEQUENCE and last change): accepting writes only what the organiser changed, and a
    change made to the event meanwhile is shown to the moderator as a conflict, never silently undone."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente de validation")
        ACCEPTEE = "acceptee", _("Acceptée")
        REFUSEE = "refusee", _("Refusée")
        RETIREE = "retiree", _("Retirée")

    evenement = models.ForeignKey(
        "evenements.Evenement", on_delete=models.CASCADE, related_name="revisions", verbose_name=_("événement")
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions_evenements",
        verbose_name=_("auteur·rice"),
    )
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    # {field name: value} of the edit form (foreign keys as ids, many-to-many as sorted id lists, dates ISO).
    valeurs = models.JSONField(_("valeurs proposées"), default=dict)
    valeurs_base = models.JSONField(_("valeurs publiées au moment de la proposition"), default=dict)
    base_sequence = models.PositiveIntegerField(_("séquence iCalendar de départ"), default=0)
    base_modifie_le = models.DateTimeField(_("version de départ (modifiée le)"))
    cree_le = models.DateTimeField(_("proposée le"), default=timezone.now)
    modifie_le = models.DateTimeField(_("modifiée le"), default=timezone.now)
    decidee_le = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decidee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    motif = models.TextField(_("motif du refus"), blank=True)

    class Meta:
        verbose_name = _("modification d'événement publié")
        verbose_name_plural = _("modifications d'événements publiés")
        ordering = ["cree_le", "pk"]
        constraints = [
            # One pending revision per person and event: editing again updates it.
            models.UniqueConstraint(
                fields=["evenement", "auteur"],
                condition=Q(statut="en_attente"),
                name="revision_evenement_une_en_attente_par_auteur",
            ),
        ]
        indexes = [models.Index(fields=["statut", "cree_le"], name="revision_evenement_statut")]

    def __str__(self):
        return _("Modification de « %(titre)s »") % {"titre": self.evenement.titre}

    @property
    def en_attente(self):
        return self.statut == self.Statut.EN_ATTENTE
