"""Factories and helpers for the agenda's tests (events, places, programmes, slots, many events at once)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from evenements.models import Creneau, Evenement, Lieu, Programme, Public
from tests.factories import CommuneFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(annee, mois, jour, heure=0, minute=0):
    """Return an aware datetime in Europe/Paris."""
    return datetime.datetime(annee, mois, jour, heure, minute, tzinfo=PARIS)


MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]
JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def mois_francais(jour):
    """Return a month as the pages write it: "décembre 2026"."""
    return f"{MOIS[jour.month - 1]} {jour.year}"


def jour_francais(jour):
    """Return a day as the pages write it: "jeudi 3 décembre 2026", "mardi 1er décembre 2026"."""
    numero = "1er" if jour.day == 1 else str(jour.day)
    return f"{JOURS[jour.weekday()]} {numero} {mois_francais(jour)}"


def mois_suivant(jour=None):
    """Return the first day of the month after ``jour`` (today in Paris by default)."""
    jour = jour or timezone.localdate(timezone=PARIS)
    return (jour.replace(day=1) + datetime.timedelta(days=31)).replace(day=1)


def dans(jours, heure=18):
    """Return a Paris datetime ``jours`` days from today at ``heure`` o'clock."""
    jour = timezone.localdate(timezone=PARIS) + datetime.timedelta(days=jours)
    return paris(jour.year, jour.month, jour.day, heure)


class LieuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lieu

    nom = factory.Sequence(lambda n: f"Salle {n}")
    slug = factory.Sequence(lambda n: f"salle-{n}")
    adresse = factory.Sequence(lambda n: f"{n} rue de la Lère")
    commune = factory.SubFactory(CommuneFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    titre = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    date_debut = factory.LazyFunction(lambda: timezone.localdate(timezone=PARIS))
    date_fin = factory.LazyAttribute(lambda o: o.date_debut + datetime.timedelta(days=29))


class CreneauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creneau

    programme = factory.SubFactory(ProgrammeFactory)
    libelle = factory.Sequence(lambda n: f"Ateliers {n}")
    debut = factory.LazyFunction(lambda: dans(10, 10))
    fin = factory.LazyAttribute(lambda o: o.debut + datetime.timedelta(hours=2))


class EvenementFactory(factory.django.DjangoModelFactory):
    """A published public event in ten days, 18 h – 20 h, at a place of the list."""

    class Meta:
        model = Evenement
        skip_postgeneration_save = True

    titre = factory.Sequence(lambda n: f"Événement {n}")
    slug = factory.Sequence(lambda n: f"evenement-{n}")
    type = "conference"
    debut = factory.LazyFunction(lambda: dans(10))
    fin = factory.LazyAttribute(lambda o: o.debut + datetime.timedelta(hours=2))
    lieu = factory.SubFactory(LieuFactory)
    publication = Evenement.Publication.PUBLIE

    @factory.post_generation
    def structures(self, create, extracted, **kwargs):
        if create and extracted:
            self.structures.set(extracted)

    @factory.post_generation
    def publics(self, create, extracted, **kwargs):
        if create and extracted:
            self.publics.set(extracted)

    @factory.post_generation
    def champs(self, create, extracted, **kwargs):
        if create and extracted:
            self.champs.set(extracted)


def public(code, libelle=None):
    return Public.objects.get_or_create(code=code, defaults={"libelle": libelle or code.replace("-", " ")})[0]


def creer_en_masse(n, premier_jour, *, structures=(), publics=(), champs=()):
    """Create ``n`` published events from ``premier_jour`` (bulk, with their M2M), spread over 28 days."""
    lieux = [LieuFactory() for _ in range(3)]
    debut = paris(premier_jour.year, premier_jour.month, premier_jour.day, 9)
    evenements = Evenement.objects.bulk_create([
        Evenement(
            titre=f"Événement en masse {i}", slug=f"masse-{i}", uid=f"masse-{i}@test", type="atelier",
            debut=debut + datetime.timedelta(days=i % 28, hours=i % 8),
            fin=debut + datetime.timedelta(days=i % 28, hours=i % 8 + 2),
            journee_entiere=False, lieu=lieu, commune_id=lieu.commune_id,
            publication=Evenement.Publication.PUBLIE,
            mode=Evenement.Mode.EN_LIGNE if i % 5 == 0 else Evenement.Mode.PRESENTIEL,
        )
        for i, lieu in zip(range(n), itertools.cycle(lieux), strict=False)
    ])
    for relation, valeurs in (("structures", structures), ("publics", publics), ("champs", champs)):
        if not valeurs:
            continue
        through = getattr(Evenement, relation).through
        cible = getattr(Evenement, relation).field.m2m_reverse_field_name()
        through.objects.bulk_create([
            through(evenement_id=e.pk, **{f"{cible}_id": v.pk}) for e in evenements for v in valeurs
        ])
    return evenements


def arguments_matrice(cle):
    """Return the URL kwargs of a row of the permission matrix (tests/test_permissions.py)."""
    from evenements.models import Inscription
    from tests.factories import UserFactory

    if cle == "evenement":
        return {"slug": EvenementFactory(slug="evenement-matrice").slug}
    if cle == "evenement_brouillon":
        return {"slug": EvenementFactory(slug="brouillon-matrice", publication=Evenement.Publication.BROUILLON,
                                         propose_par=UserFactory()).slug}
    if cle == "evenement_reserve":
        return {"slug": EvenementFactory(slug="reserve-matrice", visibilite=Evenement.Visibilite.MEMBRES).slug}
    if cle == "evenement_inscriptions":
        return {"slug": EvenementFactory(slug="inscriptions-matrice", inscription_sur_plateforme=True).slug}
    if cle == "programme":
        return {"slug": ProgrammeFactory(slug="programme-matrice").slug}
    if cle == "inscription":
        evenement = EvenementFactory(inscription_sur_plateforme=True)
        return {"pk": Inscription.objects.create(evenement=evenement, user=UserFactory(),
                                                 statut=Inscription.Statut.CONFIRMEE).pk}
    if cle == "inscription_scan":
        from evenements.inscrits import code_emargement

        evenement = EvenementFactory(inscription_sur_plateforme=True)
        inscription = Inscription.objects.create(evenement=evenement, user=UserFactory(),
                                                 statut=Inscription.Statut.CONFIRMEE)
        return {"slug": evenement.slug, "code": code_emargement(inscription)}
    if cle == "jeton":
        return {"token": UserFactory().jeton_agenda}
    raise KeyError(cle)


def arguments_revision(cle, proprietaire):
    """URL kwargs of the matrix rows of a pending revision (issue 18); ``revision_mienne``: ``proprietaire``'s."""
    from evenements.models import RevisionEvenement
    from tests.factories import UserFactory

    evenement = EvenementFactory()
    auteur = proprietaire if cle == "revision_mienne" and proprietaire is not None else UserFactory()
    revision = RevisionEvenement.objects.create(evenement=evenement, auteur=auteur, valeurs={"titre": "Autre titre"},
                                                valeurs_base={"titre": evenement.titre},
                                                base_modifie_le=evenement.modifie_le)
    if cle == "revision_pk":
        return {"pk": revision.pk}
    return {"slug": evenement.slug, "pk": revision.pk}
