"""The séance's page reads its séance (event, place, commune, minutes, check-ins) and its agenda items (scrutin,
proposal, theme and cycle) by two plain queries (``views.seance_de_la_page``, ``views.points_de_la_page``): the
same objects, field for field, as the ORM's ``select_related`` queries they replace, and the page with them."""

import pytest
from django.db.models import Count
from django.urls import reverse

from ateliers.models import ThematiqueAnnuelle
from conseil_ess.seances import proces_verbal, services, views
from conseil_ess.seances.models import PointOrdreDuJour, ProcesVerbal, Scrutin, Seance
from evenements.models import Evenement
from tests.ateliers.fabriques import ThematiqueFactory
from tests.evenements.fabriques import LieuFactory
from tests.factories import CommuneFactory
from tests.lecture_sql import valeurs_chargees

from .fabriques import nouvelle_seance, presents, proposition_soumise, un_agent

pytestmark = pytest.mark.django_db


def _seance_complete():
    """A séance held in a place with a commune, three items (a proposal's scrutin, a theme's scrutin, no scrutin),
    two check-ins and its minutes (a draft)."""
    agent = un_agent()
    seance = nouvelle_seance(agent, precision_lieu="Salle des Conseils")
    Evenement.objects.filter(pk=seance.evenement_id).update(lieu=LieuFactory(), commune=CommuneFactory())
    proposition = proposition_soumise(seance)
    thematique = ThematiqueFactory(statut=ThematiqueAnnuelle.Statut.PROPOSEE, titre="Alimentation durable")
    services.ajouter_point(seance, agent, "Accueil", "<p>Mot d'accueil.</p>")
    services.ajouter_point(seance, agent, "Vote de la proposition", scrutin={
        "objet": Scrutin.Objet.PROPOSITION, "proposition": proposition})
    services.ajouter_point(seance, agent, "Thématique de l'année", scrutin={
        "objet": Scrutin.Objet.THEMATIQUE, "thematique": thematique})
    seance = services.publier_ordre_du_jour(seance, agent)
    presents(seance, 2, agent)
    # Set-up only: minutes are generated once the séance is over; the page reads them as they are.
    ProcesVerbal.objects.create(seance=seance, contenu="<p>Procès-verbal.</p>")
    return Seance.objects.get(pk=seance.pk)


def _par_l_orm(slug):
    seance = (Seance.objects.select_related("evenement__lieu", "evenement__commune", "proces_verbal")
              .annotate(nb_presents=Count("emargements")).get(evenement__slug=slug))
    points = list(PointOrdreDuJour.objects.filter(seance=seance).select_related(
        "scrutin__proposition", "scrutin__thematique__cycle").order_by("ordre", "pk"))
    return seance, points


def _comparer(slug):
    seance = views.seance_de_la_page(slug)
    points = views.points_de_la_page(seance)
    attendue, points_attendus = _par_l_orm(slug)
    assert seance.nb_presents == attendue.nb_presents
    for champ, valeur in valeurs_chargees(seance).items():
        assert valeur == getattr(attendue, champ), champ
    for lu, reference in ((seance.evenement, attendue.evenement), (seance.evenement.lieu, attendue.evenement.lieu),
                          (seance.evenement.commune, attendue.evenement.commune)):
        for champ, valeur in (valeurs_chargees(lu) or {}).items():
            assert valeur == getattr(reference, champ), champ
        assert (lu is None) == (reference is None)
    pv = getattr(seance, "proces_verbal", None)
    assert (pv is None) == (not hasattr(attendue, "proces_verbal"))
    if pv is not None:
        assert (pv.pk, pv.statut, pv.publie_le, pv.seance_id) == (
            attendue.proces_verbal.pk, attendue.proces_verbal.statut, attendue.proces_verbal.publie_le, seance.pk)
    assert [p.pk for p in points] == [p.pk for p in points_attendus]
    for point, reference in zip(points, points_attendus, strict=True):
        assert valeurs_chargees(point) == valeurs_chargees(reference)
        scrutin_attendu = getattr(reference, "scrutin", None) if hasattr(reference, "scrutin") else None
        assert valeurs_chargees(point.le_scrutin) == valeurs_chargees(scrutin_attendu)
        if scrutin_attendu is None:
            with pytest.raises(Scrutin.DoesNotExist):
                point.scrutin  # noqa: B018 - as the ORM's descriptor
            continue
        assert point.scrutin is point.le_scrutin and point.scrutin.point is point
        for nom, champs in (("proposition", ("reference", "titre", "etat")), ("thematique", ("titre", "cycle_id"))):
            lu, reference_liee = getattr(point.scrutin, nom), getattr(scrutin_attendu, nom)
            assert (lu is None) == (reference_liee is None)
            if lu is not None:
                noms = ("pk", *champs)
                assert [getattr(lu, c) for c in noms] == [getattr(reference_liee, c) for c in noms]
        if point.scrutin.thematique is not None:
            assert point.scrutin.thematique.cycle.slug == scrutin_attendu.thematique.cycle.slug
    return seance, points


def test_une_seance_complete_lue_comme_par_l_orm(django_assert_num_queries):
    seance = _seance_complete()
    slug = seance.evenement.slug
    lue, points = _comparer(slug)
    assert lue.nb_presents == 2 and lue.proces_verbal is not None
    assert [p.le_scrutin.objet if p.le_scrutin else None for p in points] == [
        None, Scrutin.Objet.PROPOSITION, Scrutin.Objet.THEMATIQUE]
    # Read without a query: the relations the page shows.
    lue = views.seance_de_la_page(slug)
    with django_assert_num_queries(1):
        points = views.points_de_la_page(lue)
        assert lue.evenement.lieu.nom and lue.evenement.commune.nom and lue.proces_verbal.statut
        assert points[2].scrutin.thematique.cycle.slug and points[1].scrutin.proposition.reference


def test_une_seance_sans_lieu_ni_points_ni_proces_verbal():
    seance = nouvelle_seance(un_agent())
    lue, points = _comparer(seance.evenement.slug)
    assert points == [] and lue.evenement.lieu is None and lue.evenement.commune is None
    assert lue.nb_presents == 0 and getattr(lue, "proces_verbal", None) is None


def test_un_slug_inconnu_donne_une_404(client):
    from django.http import Http404

    with pytest.raises(Http404):
        views.seance_de_la_page("aucune-seance")
    assert client.get(reverse("seances:detail", args=["aucune-seance"])).status_code == 404


def test_la_page_montre_ce_qui_est_lu(client):
    seance = _seance_complete()
    proces_verbal.publier(seance.proces_verbal, un_agent())
    html = client.get(reverse("seances:detail", args=[seance.evenement.slug])).content.decode()
    assert "Alimentation durable" in html and "Vote de la proposition" in html
    assert seance.evenement.lieu.nom in html
