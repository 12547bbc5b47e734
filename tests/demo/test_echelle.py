"""``manage.py generer_donnees_echelle``: the counts per unit of ``--facteur``, every state, idempotence."""

import pytest
from django.core.management import call_command
from django.db import connection

from ateliers.models import Atelier, CompteRendu, Reunion
from conseil_ess.comptes.models import User
from conseil_ess.demo import echelle
from conseil_ess.propositions.models import Etat, Indicateur, PointSuivi, Proposition, Transition
from conseil_ess.seances.models import Scrutin, Seance
from evenements.models import Evenement

pytestmark = pytest.mark.django_db


def _compter():
    return {
        "comptes": User.objects.filter(email__endswith=f"@{echelle.DOMAINE_COURRIEL}").count(),
        "publies": Evenement.objects.filter(slug__startswith="echelle-", publication="publie").count(),
        "annules": Evenement.objects.filter(slug__startswith="echelle-", statut="annule").count(),
        "en_ligne": Evenement.objects.filter(slug__startswith="echelle-", mode="en_ligne").count(),
        "journee": Evenement.objects.filter(slug__startswith="echelle-", journee_entiere=True).count(),
        "a_confirmer": Evenement.objects.filter(slug__startswith="echelle-", statut="a_confirmer").count(),
        "ateliers": Atelier.objects.filter(slug__startswith="echelle-").count(),
        "reunions": Reunion.objects.filter(atelier__slug__startswith="echelle-").count(),
        "comptes_rendus": CompteRendu.objects.filter(reunion__atelier__slug__startswith="echelle-").count(),
        "propositions": Proposition.objects.filter(titre__startswith="[É] ").count(),
        "etats": set(Proposition.objects.filter(titre__startswith="[É] ").values_list("etat", flat=True)),
        "transitions": Transition.objects.filter(proposition__titre__startswith="[É] ").count(),
        "points": PointSuivi.objects.filter(proposition__titre__startswith="[É] ").count(),
        "indicateurs": Indicateur.objects.filter(proposition__titre__startswith="[É] ").count(),
        "seances": Seance.objects.filter(evenement__slug__startswith="echelle-").count(),
        "scrutins": Scrutin.objects.filter(seance__evenement__slug__startswith="echelle-").count(),
    }


def test_generer_a_petite_echelle_puis_recommencer():
    call_command("generer_donnees_echelle", "--facteur", "0.2")
    premiers = _compter()
    assert premiers["comptes"] == 100
    assert premiers["publies"] == 60 + 2 * 4 + 1  # events, ateliers' meetings, the séance
    for genre in ("annules", "en_ligne", "journee", "a_confirmer"):
        assert premiers[genre] > 0, genre
    assert premiers["ateliers"] == 2 and premiers["reunions"] == 8
    assert premiers["propositions"] == 20
    assert premiers["etats"] == set(echelle.PARCOURS) and set(echelle.PARCOURS) >= set(Etat) - {Etat.FUSIONNEE}
    assert premiers["transitions"] >= premiers["propositions"]
    assert premiers["points"] > 0 and premiers["indicateurs"] > 0
    assert premiers["seances"] == 1 and premiers["scrutins"] == 3
    # Run again: the same data, not twice as much.
    call_command("generer_donnees_echelle", "--facteur", "0.2")
    assert _compter() == premiers
    call_command("generer_donnees_echelle", "--supprimer")
    assert not any(v for k, v in _compter().items())


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="Statistiques du planificateur : PostgreSQL requis (DATABASE_URL=postgres://…) ; "
                           "2e passe de CI")
def test_les_statistiques_du_planificateur_sont_a_jour_apres_la_generation():
    # Thousands of rows written in bulk: the planner must know at once, not when autovacuum comes by.
    call_command("generer_donnees_echelle", "--facteur", "0.2")
    with connection.cursor() as curseur:
        curseur.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Evenement._meta.db_table])
        (lignes,) = curseur.fetchone()
    assert lignes >= Evenement.objects.count() > 60
