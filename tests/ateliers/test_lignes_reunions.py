"""The meetings' lines of an atelier's page, written in Python (``templatetags/ateliers.lignes_reunions``), give
the HTML of the included template they replace (kept in ``anciens_gabarits/reunion_ligne.html``), read by the
page's plain query (``views._reunions_de_la_page``)."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.utils import timezone

from ateliers.views import _atelier, _reunions_de_la_page
from evenements.models import Evenement
from tests.evenements.fabriques import LieuFactory

from .fabriques import AtelierFactory, creer_reunion_directe, publier_compte_rendu

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

# The former loop of detail.html around the former included template (its text, inlined).
ANCIEN = (
    '{% for reunion in reunions %}<li class="reunion-ligne{% if reunion.evenement.est_annule %} evenement--annule'
    '{% endif %}">{% with passee=passee %}'
    + (Path(__file__).parent / "anciens_gabarits" / "reunion_ligne.html").read_text()
    + "{% endwith %}</li>{% endfor %}"
)
NOUVEAU = "{% load ateliers %}{% lignes_reunions reunions slug passee=passee %}"


def _reunion(atelier, jours, **evenement):
    reunion = creer_reunion_directe(atelier, jours=jours, visibilite=evenement.pop("visibilite", "public"))
    Evenement.objects.filter(pk=reunion.evenement_id).update(**evenement)
    return reunion


def _rendu(gabarit, reunions, slug, passee):
    return engines["django"].from_string(gabarit).render({"reunions": reunions, "slug": slug, "passee": passee})


def test_lignes_comme_le_gabarit_inclus():
    atelier = AtelierFactory(slug="0")  # a slug "0": the meeting's URL keeps it
    lieu = LieuFactory(nom='Salle "A" & <B>')
    _reunion(atelier, 3, lieu=lieu)
    _reunion(atelier, 4, statut="annule", motif_statut="Grève & <pluie>")
    _reunion(atelier, 5, visibilite="membres", statut="reporte", motif_statut="Date à revoir")
    _reunion(atelier, 6, mode="en_ligne", lieu=None)
    _reunion(atelier, 8, mode="hybride", lieu=None, precision_lieu="Chez l'habitant")
    _reunion(atelier, 9, journee_entiere=True, statut="a_confirmer")
    lue = _reunion(atelier, -3)
    Evenement.objects.filter(pk=lue.evenement_id).update(statut="confirme", motif_statut="Sans effet")
    type(lue).objects.filter(pk=lue.pk).update(presences_saisies_le=timezone.now(), nb_presents=1)
    publier_compte_rendu(lue)
    publier_compte_rendu(_reunion(atelier, -4, statut="annule"))
    _reunion(atelier, -5, statut="annule")
    comptee = _reunion(atelier, -6)
    type(comptee).objects.filter(pk=comptee.pk).update(participants_sans_compte=12)
    _reunion(atelier, -7)  # attendance not yet recorded
    publier_compte_rendu(_reunion(atelier, -8, visibilite="membres"), interne=True)

    atelier = _atelier("0")
    maintenant = timezone.now() + datetime.timedelta(seconds=1)
    reunions = _reunions_de_la_page(atelier, AnonymousUser(), maintenant)
    assert len(reunions) == 10  # the reserved ones left out (the past one's minutes are internal)
    for lisible in (False, True):
        for reunion in reunions:
            reunion.compte_rendu_lisible = lisible and getattr(reunion, "compte_rendu", None) is not None
        for passee in (False, True):
            nouveau = _rendu(NOUVEAU, reunions, atelier.slug, passee)
            assert nouveau == _rendu(ANCIEN, reunions, atelier.slug, passee)
    assert "/ateliers/0/reunions/" in nouveau and "Lire le compte rendu" in nouveau
    assert "&lt;pluie&gt;" in nouveau and "Salle &quot;A&quot; &amp; &lt;B&gt;" in nouveau


def test_reunions_de_la_page_selon_la_personne(django_assert_num_queries):
    atelier = AtelierFactory()
    publique = _reunion(atelier, 3)
    reservee = _reunion(atelier, 4, visibilite="membres")
    atelier = _atelier(atelier.slug)
    with django_assert_num_queries(1):
        reunions = _reunions_de_la_page(atelier, AnonymousUser(), timezone.now())
        assert [r.pk for r in reunions] == [publique.pk]
        assert reunions[0].evenement.lieu.nom and getattr(reunions[0], "compte_rendu", None) is None
    assert reservee.pk not in [r.pk for r in reunions]
