"""``charger_demo``'s options: reloading moves nothing, ``--reset`` tells the story again, ``--annee-reference``
pins its year; a bad year is refused in French before anything is loaded."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from ateliers.models import CompteRendu, Reunion
from conseil_ess.propositions.models import Proposition, Transition
from conseil_ess.seances.models import ProcesVerbal, Scrutin, Seance
from evenements.models import Evenement, Inscription, Programme

from .conftest import a_paris, charger

pytestmark = [pytest.mark.django_db]

D = datetime.date


def photo():
    """What the demo holds, as comparable values (dates, states, versions, numbers of rows)."""
    return {
        "evenements": sorted(Evenement.objects.filter(is_demo=True).values_list(
            "slug", "debut", "fin", "publication", "inscription_sur_plateforme", "nb_confirmes")),
        "programmes": sorted(Programme.objects.filter(is_demo=True).values_list("slug", "date_debut", "date_fin")),
        "seances": sorted(Seance.objects.filter(is_demo=True).values_list(
            "evenement__slug", "statut", "version", "ordre_du_jour_publie_le", "presents_declares")),
        "scrutins": sorted(Scrutin.objects.filter(is_demo=True).values_list(
            "seance__evenement__slug", "numero", "statut", "pour", "contre", "abstention", "clos_le")),
        "proces_verbaux": sorted(ProcesVerbal.objects.filter(seance__is_demo=True).values_list(
            "seance__evenement__slug", "statut", "publie_le")),
        "propositions": sorted(Proposition.objects.filter(is_demo=True).values_list(
            "titre", "reference", "etat", "deposee_le")),
        "transitions": Transition.objects.filter(proposition__is_demo=True).count(),
        "reunions": sorted(Reunion.objects.filter(is_demo=True).values_list(
            "evenement__slug", "nb_presents", "presences_saisies_le")),
        "comptes_rendus": sorted(CompteRendu.objects.filter(is_demo=True).values_list(
            "reunion__evenement__slug", "statut", "publie_le")),
        "inscriptions": Inscription.objects.filter(evenement__is_demo=True).count(),
        "comptes": get_user_model().objects.filter(is_demo=True).count(),
        "revisions": Revision.objects.count(),
    }


def test_recharger_ne_deplace_rien_et_reset_raconte_l_histoire_a_nouveau():
    mars = a_paris(D(2027, 3, 1))
    sortie, _ = charger(mars)
    assert "Démo chargée (2026, au 1er mars 2027)" in sortie
    avant = photo()
    assert avant["evenements"] and avant["seances"] and avant["propositions"]

    # The same day: nothing changes, not even a séance's version (a live page would reload) or a page revision.
    charger(mars)
    assert photo() == avant

    # Months later: the demo keeps its year and its dates.
    novembre = a_paris(D(2027, 11, 10))
    sortie, _ = charger(novembre)
    assert "Démo chargée (2026," in sortie
    apres = photo()
    for cle in ("evenements", "programmes", "propositions"):
        assert [ligne[:3] for ligne in apres[cle]] == [ligne[:3] for ligne in avant[cle]], cle
    assert not Programme.objects.filter(slug="mois-ess-2028").exists()

    # Another year without --reset: refused, nothing modified.
    with pytest.raises(CommandError, match=r"raconte l'année 2026 ; relancez avec --reset.*Rien n'a été modifié"):
        charger(novembre, "--annee-reference", "2030")
    assert photo() == apres

    # --reset with a pinned year: the story of 2028, told on 2027-11-10 (all of it still to come).
    sortie, _ = charger(novembre, "--reset", "--annee-reference", "2028")
    assert "Démo chargée (2028," in sortie
    assert set(Programme.objects.filter(is_demo=True, type=Programme.Type.MOIS_ESS).values_list("slug", flat=True)) \
        == {"mois-ess-2028", "mois-ess-2029"}
    # References follow the story's years; those of 2028 are not drawn yet (nothing of 2028 has happened).
    references = set(Proposition.objects.filter(is_demo=True).exclude(reference=None).values_list("reference",
                                                                                                 flat=True))
    assert "P-2023-003" in references and any(r.startswith("P-2027-") for r in references)
    assert {r[2:6] for r in references} <= {"2023", "2024", "2025", "2026", "2027"}
    assert Proposition.objects.filter(is_demo=True, reference=None).count() >= 2
    decembre = Evenement.objects.get(slug="pleniere-2028-12")
    assert (decembre.debut.year, decembre.debut.month) == (2028, 12)
    assert Seance.objects.get(evenement=decembre).statut == Seance.Statut.PREPARATION

    # --reset alone tells the story of the present: 2027 on 2027-11-10, the same rows as the first load.
    sortie, _ = charger(novembre, "--reset")
    assert "Démo chargée (2027, au 10 novembre 2027)" in sortie
    assert Programme.objects.filter(is_demo=True, slug="mois-ess-2027").exists()
    assert not Programme.objects.filter(is_demo=True, slug__in=["mois-ess-2026", "mois-ess-2029"]).exists()
    assert Proposition.objects.filter(is_demo=True, reference="P-2027-014").exists()
    assert Evenement.objects.filter(slug="pleniere-2027-12", debut__month=12).exists()
    reset = photo()
    for cle in ("evenements", "seances", "propositions", "reunions"):
        assert len(reset[cle]) == len(avant[cle]), cle
    assert reset["comptes"] == avant["comptes"]


@pytest.mark.parametrize(("valeur", "message"), [
    ("abc", "« abc » n'est pas une année"),
    ("20.5", "« 20.5 » n'est pas une année"),
    ("", "«  » n'est pas une année"),
    ("1999", "1999 est hors de 2000–2100"),
    ("2101", "2101 est hors de 2000–2100"),
    ("-2026", "-2026 est hors de 2000–2100"),
])
def test_une_annee_de_reference_invalide_est_refusee_sans_rien_charger(valeur, message):
    with pytest.raises(CommandError) as erreur:
        call_command("charger_demo", f"--annee-reference={valeur}")
    assert message in str(erreur.value)
    assert "Rien n'a été chargé." in str(erreur.value)
    assert not get_user_model().objects.filter(is_demo=True).exists()
    assert not Evenement.objects.filter(is_demo=True).exists()
    assert not Programme.objects.filter(is_demo=True).exists()


@pytest.mark.parametrize("valeur", ["2000", "2100"])
def test_les_bornes_sont_des_annees_valides(valeur):
    from django.core.management import load_command_class

    commande = load_command_class("conseil_ess.demo", "charger_demo")
    assert commande.__module__.endswith("charger_demo")
    from conseil_ess.demo.management.commands.charger_demo import annee_reference

    assert annee_reference(valeur) == int(valeur)
