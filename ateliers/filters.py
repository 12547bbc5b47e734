"""Which ateliers a page lists, and what their cards count, in a fixed number of queries.

The cards show each atelier's member count and next meeting: both come from correlated subqueries
(no per-atelier query, no row multiplication), and the next meeting is one the visitor may see, so
a meeting reserved to members never leaks its date to other people.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conseil_ess.comptes.models import ChampAction
from conseil_ess.prechargement import precharger
from conseil_ess.widgets import FiltreModeleRapide
from evenements.filters import evenements_visibles
from evenements.models import Evenement

from .models import Atelier, Participation

Animation = Atelier.animateurs.through
User = get_user_model()


def _compte(qs, cle):
    """Return a subquery counting the rows of ``qs`` that share ``cle`` with the outer row (0 if none)."""
    nombre = qs.order_by().values(cle).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(nombre, output_field=IntegerField()), Value(0))


def avec_nombre_membres(ateliers):
    """Annotate ``nb_membres``: active accepted members and animateur·rice·s, each person once."""
    animateurs = Animation.objects.filter(atelier=OuterRef("pk"), user__is_active=True)
    # An accepted member later named animateur·rice is counted once, with the animation.
    membres = Participation.objects.filter(
        atelier=OuterRef("pk"), statut=Participation.Statut.ACCEPTEE, user__is_active=True,
    ).exclude(Exists(Animation.objects.filter(atelier=OuterRef("atelier"), user=OuterRef("user"))))
    return ateliers.annotate(nb_membres=_compte(animateurs, "atelier") + _compte(membres, "atelier"))


def reunions_a_venir_visibles(user):
    """Return the events of the upcoming meetings ``user`` may see (cancelled ones left out)."""
    return (
        evenements_visibles(user).filter(reunion_atelier__isnull=False, fin__gt=timezone.now())
        .exclude(statut=Evenement.Statut.ANNULE)
    )


def avec_prochaine_reunion(ateliers, user):
    """Annotate ``prochaine_reunion`` (start of the next meeting ``user`` may see) and its ``prochaine_reunion_pk``."""
    prochaines = reunions_a_venir_visibles(user).filter(reunion_atelier__atelier=OuterRef("pk")).order_by("debut", "pk")
    return ateliers.annotate(
        prochaine_reunion=Subquery(prochaines.values("debut")[:1]),
        prochaine_reunion_pk=Subquery(prochaines.values("reunion_atelier__pk")[:1]),
    )


def pour_cartes(ateliers, user):
    """Return ``ateliers`` with the counts a card shows, for ``user``: its member count and its next meeting.
    Once read, give them their champs and animation with ``precharger_cartes``."""
    return avec_prochaine_reunion(avec_nombre_membres(ateliers), user)


def precharger_cartes(ateliers):
    """Give ``ateliers`` (a list) what their cards show of their champs and their animation (the public name's
    fields only): one plain query each, in place of two ``prefetch_related``."""
    precharger(ateliers, "champs", ["numero", "libelle_court"])
    precharger(ateliers, "animateurs", ["nom_affiche", "first_name", "last_name"])


class AtelierFilter(django_filters.FilterSet):
    """The filter of the ateliers' pages: a champ d'action by its number (``?champ=3``).

    A malformed value is a form error and the filter is then ignored (django-filter only applies
    the fields that validated).
    """

    champ = FiltreModeleRapide(
        label=_("Champ d'action"), field_name="champs", queryset=ChampAction.objects.all(), to_field_name="numero",
        empty_label=_("Tous les champs d'action"), colonnes=("numero", "libelle_court"),
        libelle=ChampAction.libelle_de,
    )

    class Meta:
        model = Atelier
        fields = []

    @property
    def champ_choisi(self):
        """Return the valid chosen champ, or None."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.form.cleaned_data.get("champ")
