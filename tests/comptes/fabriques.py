"""Factories and helpers for the Conseil's membership (collèges, mandates)."""

import factory

from conseil_ess.comptes.models import Adhesion, College, MembreConseil
from tests.factories import AdhesionFactory, StructureFactory, UserFactory


def college(slug="associations"):
    """Return one of the default collèges (created after migrate by ``comptes.setup``)."""
    return College.objects.get(slug=slug)


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = College

    nom = factory.Sequence(lambda n: f"Collège {n}")
    slug = factory.Sequence(lambda n: f"college-{n}")
    ordre = factory.Sequence(lambda n: 100 + n)


class MembreConseilFactory(factory.django.DjangoModelFactory):
    """A mandate row written directly (status given), for pages and lists; actions go through the services."""

    class Meta:
        model = MembreConseil

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    college = factory.LazyFunction(college)
    statut = MembreConseil.Statut.VALIDE


def acteur_de(structure=None, user=None):
    """Return a person (``user`` or a new acteur) who is an accepted member of ``structure`` (a new
    validated one by default)."""
    adhesion = AdhesionFactory(user=user or UserFactory(), structure=structure or StructureFactory(),
                               statut=Adhesion.Statut.ACCEPTEE)
    return adhesion.user
