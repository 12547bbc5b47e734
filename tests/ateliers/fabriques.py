"""Factories and helpers for the ateliers' tests (shared by every test module of ateliers)."""

import datetime

import factory

from ateliers import services
from ateliers.models import Atelier, CompteRendu, Cycle, Participation, Reunion, ThematiqueAnnuelle
from conseil_ess.comptes.models import ChampAction
from evenements.models import Evenement, TypeEvenement
from tests.evenements.fabriques import LieuFactory, dans


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    titre = factory.Sequence(lambda n: f"Cycle {2026 + n}")
    slug = factory.Sequence(lambda n: f"cycle-{2026 + n}")
    date_debut = datetime.date(2026, 1, 1)
    date_fin = datetime.date(2026, 12, 31)


class ThematiqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematiqueAnnuelle

    cycle = factory.SubFactory(CycleFactory)
    titre = factory.Sequence(lambda n: f"Thématique {n}")
    slug = factory.Sequence(lambda n: f"thematique-{n}")
    statut = ThematiqueAnnuelle.Statut.RETENUE


class AtelierFactory(factory.django.DjangoModelFactory):
    """An open atelier of a current cycle, on champ 1. ``animateurs=[user, …]`` names its animation."""

    class Meta:
        model = Atelier
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    titre = factory.Sequence(lambda n: f"Atelier {n}")
    slug = factory.Sequence(lambda n: f"atelier-{n}")
    description = "<p>Un atelier de test.</p>"

    @factory.post_generation
    def champs(self, create, extracted, **kwargs):
        if create:
            self.champs.set(extracted or [ChampAction.objects.get(numero=1)])

    @factory.post_generation
    def animateurs(self, create, extracted, **kwargs):
        if create and extracted:
            self.animateurs.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    atelier = factory.SubFactory(AtelierFactory)
    user = factory.SubFactory("tests.factories.UserFactory")
    statut = Participation.Statut.ACCEPTEE


def creer_reunion(atelier, *, jours=7, duree_heures=2, visibilite=Evenement.Visibilite.PUBLIC, par=None, **champs):
    """Schedule a meeting of ``atelier`` ``jours`` days from now (negative: in the past), as the
    animation does, without notifications to check; return the Reunion."""
    debut = dans(jours)
    evenement = Evenement(
        titre=champs.pop("titre", ""), debut=debut, fin=debut + datetime.timedelta(hours=duree_heures),
        lieu=champs.pop("lieu", None) or LieuFactory(), visibilite=visibilite, type=TypeEvenement.REUNION_ATELIER,
        **champs,
    )
    return services.planifier_reunion(atelier, evenement, par)


def creer_reunion_directe(atelier, *, jours=-7, visibilite=Evenement.Visibilite.PUBLIC):
    """Create a meeting row without the service (e.g. in the past, for attendance and minutes)."""
    debut = dans(jours)
    evenement = Evenement.objects.create(
        titre=f"Réunion {atelier.titre}", slug=f"{atelier.slug}-{debut:%Y%m%d%H%M}-{Reunion.objects.count()}",
        debut=debut, fin=debut + datetime.timedelta(hours=2), type=TypeEvenement.REUNION_ATELIER,
        publication=Evenement.Publication.PUBLIE, visibilite=visibilite, lieu=LieuFactory(),
    )
    return Reunion.objects.create(atelier=atelier, evenement=evenement)


def publier_compte_rendu(reunion, contenu="<p>Compte rendu.</p>", interne=False):
    return CompteRendu.objects.create(reunion=reunion, contenu=contenu, interne=interne,
                                      statut=CompteRendu.Statut.PUBLIE)


def arguments_matrice(cle, user):
    """Return the URL kwargs of an ateliers row of the permission matrix (tests/test_permissions.py).

    The matrix's "animateur" (a user in the Animateur·rice group) animates the row's atelier.
    """
    from django.core.files.base import ContentFile

    from ateliers.models import DocumentCompteRendu
    from tests.factories import UserFactory

    anime = user is not None and user.groups.filter(name="Animateur·rice").exists()
    cycle = CycleFactory(slug=f"cycle-matrice-{cle.replace('_', '-')}")
    if cle == "cycle":
        return {"slug": cycle.slug}
    if cle == "atelier_archive":
        cycle.statut = Cycle.Statut.ARCHIVE
        cycle.save()
    atelier = AtelierFactory(slug="atelier-matrice", cycle=cycle, animateurs=[user] if anime else [])
    if cle in ("atelier", "atelier_archive"):
        return {"slug": atelier.slug}
    if cle == "participation":
        demande = ParticipationFactory(atelier=atelier, user=UserFactory(), statut=Participation.Statut.DEMANDEE)
        return {"slug": atelier.slug, "pk": demande.pk, "decision": "accepter"}
    if cle == "reunion":
        return {"slug": atelier.slug, "pk": creer_reunion_directe(atelier, jours=7).pk}
    if cle == "reunion_reservee":
        return {"slug": atelier.slug,
                "pk": creer_reunion_directe(atelier, jours=7, visibilite=Evenement.Visibilite.MEMBRES).pk}
    if cle == "reunion_passee":
        return {"slug": atelier.slug, "pk": creer_reunion_directe(atelier, jours=-7).pk}
    if cle.startswith("document"):
        reunion = creer_reunion_directe(atelier, jours=-7)
        compte_rendu = publier_compte_rendu(reunion, interne=cle == "document_interne")
        if cle == "document_brouillon":
            compte_rendu.statut = CompteRendu.Statut.BROUILLON
            compte_rendu.save()
        document = DocumentCompteRendu.objects.create(
            compte_rendu=compte_rendu, titre="Diaporama",
            fichier=ContentFile(b"%PDF-1.4 matrice", name="diaporama.pdf"),
        )
        return {"slug": atelier.slug, "pk": reunion.pk, "doc": document.pk}
    raise KeyError(cle)
