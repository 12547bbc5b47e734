"""What an event card shows, loaded as rows rather than model instances (agenda list and month).

A month holds a hundred cards or more: building each event, its place, communes, programme and structures
as model instances (and a prefetch queryset per event) cost more than rendering the cards. ``charger``
reads the card's columns with ``values()`` in one query, and the structures' names in a second one, into
light ``Carte`` objects that ``{% carte_evenement %}`` (``templatetags/agenda.py``) renders like events.
"""

from collections import defaultdict
from types import SimpleNamespace

from django.db.models import F

from .models import Evenement

# The event's own columns a card reads (``carte_evenement``, ``lieu_court``, the status and access badges),
# plus its dates for the month's grouping by day.
CHAMPS = (
    "pk", "slug", "titre", "resume", "type", "debut", "fin", "journee_entiere", "mode", "precision_lieu",
    "gratuit", "tarif", "organisateurs_texte", "statut", "motif_statut", "visibilite", "accessibilite",
    "boucle_magnetique", "interpretation_lsf", "sous_titrage", "facile_a_lire", "lieu_id", "commune_id",
    "programme_id",
)
# Columns of related rows, renamed so that they do not clash with the event's own.
LIES = {"lieu__nom": "lieu_nom", "lieu__en_ligne": "lieu_en_ligne", "commune__nom": "commune_nom",
        "programme__titre": "programme_titre"}


class Carte(SimpleNamespace):
    """An event as its card reads it: the same attribute names as ``Evenement`` for what a card shows;
    ``lieu``, ``commune`` and ``programme`` are small objects with the card's fields (or ``None``)."""

    @classmethod
    def depuis_ligne(cls, ligne, noms_structures):
        lieu_nom, lieu_en_ligne = ligne.pop("lieu_nom"), ligne.pop("lieu_en_ligne")
        commune_nom, programme_titre = ligne.pop("commune_nom"), ligne.pop("programme_titre")
        return cls(
            **ligne,
            id=ligne["pk"],
            lieu=SimpleNamespace(nom=lieu_nom, en_ligne=lieu_en_ligne) if ligne["lieu_id"] else None,
            commune=SimpleNamespace(nom=commune_nom) if ligne["commune_id"] else None,
            programme=SimpleNamespace(titre=programme_titre) if ligne["programme_id"] else None,
            noms_structures=noms_structures,
        )


def charger(qs):
    """Return the cards of the events of ``qs`` (filtered, ordered, sliced if need be), in its order:
    two queries whatever their number."""
    lignes = list(qs.values(*CHAMPS, **{nom: F(chemin) for chemin, nom in LIES.items()}))
    noms = defaultdict(list)
    if lignes:
        liens = (
            Evenement.structures.through.objects.filter(evenement_id__in=[ligne["pk"] for ligne in lignes])
            .order_by("structure__nom", "structure_id").values_list("evenement_id", "structure__nom")
        )
        for evenement_id, nom in liens:
            noms[evenement_id].append(nom)
    return [Carte.depuis_ligne(ligne, noms.get(ligne["pk"], [])) for ligne in lignes]

