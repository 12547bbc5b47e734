"""The public state of a séance as the live page shows it: one dict, JSON-serialisable, read in a constant
number of queries, the same for the first render (HTML), the HTTP fallback (``direct/etat/``) and every
WebSocket broadcast. While a scrutin is open it never carries the counts (only how many have voted).
"""

from django.db.models import Count, Q

from .decompte import decompte_texte, nombre_votants
from .models import Scrutin, Seance


def _scrutin_public(scrutin):
    donnees = {
        "id": scrutin.pk,
        "numero": scrutin.numero,
        "question": scrutin.question,
        "statut": scrutin.statut,
        "statut_libelle": str(scrutin.get_statut_display()),
        "secret": scrutin.secret,
        "saisie_manuelle": scrutin.saisie_manuelle,
        "changement_de_vote_autorise": scrutin.changement_de_vote_autorise,
        "votants": nombre_votants(scrutin),
    }
    if scrutin.statut == Scrutin.Statut.CLOS:
        donnees.update({
            "resultat": scrutin.resultat,
            "resultat_libelle": str(scrutin.get_resultat_display()),
            "pour": scrutin.pour,
            "contre": scrutin.contre,
            "abstention": scrutin.abstention,
            "quorum_atteint": scrutin.quorum_atteint,
            "decompte": str(decompte_texte(scrutin)) if scrutin.pour is not None else "",
        })
    return donnees


def scrutin_affiche(seance):
    """The scrutin the live page shows: the open one, else the one of the current item, else None."""
    filtre = Q(statut=Scrutin.Statut.OUVERT)
    if seance.point_courant_id:
        filtre |= Q(point_id=seance.point_courant_id)
    scrutins = list(Scrutin.objects.filter(filtre, seance_id=seance.pk))
    ouverts = [s for s in scrutins if s.statut == Scrutin.Statut.OUVERT]
    return (ouverts or scrutins or [None])[0]


def etat_public(seance):
    """Return the public state of ``seance`` (a ``Seance`` or its primary key), read afresh from the database.

    Keys: version, statut, statut_libelle, presidence, presents, point_courant ({id, ordre, titre} or None),
    scrutin (see ``_scrutin_public``, or None). Four queries at most, whatever the number of members or votes.
    """
    pk = seance.pk if isinstance(seance, Seance) else seance
    seance = (Seance.objects.select_related("point_courant").annotate(nb_emargements=Count("emargements"))
              .get(pk=pk))
    point = seance.point_courant
    scrutin = scrutin_affiche(seance)
    return {
        "version": seance.version,
        "statut": seance.statut,
        "statut_libelle": str(seance.get_statut_display()),
        "presidence": seance.presidence,
        "presents": seance.nombre_presents(seance.nb_emargements),
        "point_courant": {"id": point.pk, "ordre": point.ordre, "titre": point.titre} if point else None,
        "scrutin": _scrutin_public(scrutin) if scrutin else None,
    }
