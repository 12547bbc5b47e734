"""factory_boy factories shared by the whole suite."""

import functools

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from conseil_ess.comptes import roles
from conseil_ess.comptes.models import Adhesion, Commune, Notification, Structure, User

MOT_DE_PASSE = "Motdepasse-de-test-2026"


@functools.cache
def _mot_de_passe_chiffre():
    return make_password(MOT_DE_PASSE)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    # Hashed once for the whole run (the test settings' MD5 hasher; every user has the same password): the row is
    # written once, with its password, instead of being saved again after ``set_password``.
    password = factory.LazyFunction(_mot_de_passe_chiffre)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        noms = extracted if extracted is not None else [roles.ACTEUR]
        # A new user: no group and no e-mail address yet, so they are added without being read first.
        groupes = {g.name: g for g in Group.objects.filter(name__in=noms)}
        self.groups.add(*(groupes.get(nom) or Group.objects.create(name=nom) for nom in noms))
        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("slug",)

    nom = factory.Sequence(lambda n: f"Commune {n}")
    slug = factory.Sequence(lambda n: f"commune-{n}")


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    nom = factory.Sequence(lambda n: f"Structure {n}")
    slug = factory.Sequence(lambda n: f"structure-{n}")
    forme_juridique = "association"
    statut = Structure.Statut.VALIDEE
    commune = factory.SubFactory(CommuneFactory)


class AdhesionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adhesion

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Adhesion.Role.MEMBRE
    statut = Adhesion.Statut.ACCEPTEE


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    destinataire = factory.SubFactory(UserFactory)
    titre = factory.Sequence(lambda n: f"Notification {n}")
