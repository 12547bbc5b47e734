"""Ateliers thématiques: cycles, annual themes, ateliers, their members, meetings, attendance and minutes.

A meeting (``Reunion``) is an ``evenements.Evenement`` of type *réunion d'atelier*: the agenda and the
iCal feeds have one source. Everything that changes state goes through ``ateliers.services``.
"""

import os

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from conseil_ess.champs import TexteRiche
from conseil_ess.comptes.models import ChampAction, Structure
from conseil_ess.recherche import normaliser
from evenements.models import Evenement

from .validators import valider_taille_document


class CycleQuerySet(models.QuerySet):
    def en_cours(self):
        return self.filter(statut=Cycle.Statut.EN_COURS)

    def courant(self):
        """Return the current cycle: the latest one that is not archived (None if there is none)."""
        return self.en_cours().order_by("-date_debut", "-pk").first()


class Cycle(models.Model):
    """A year of work of the ateliers (e.g. "Cycle 2026"), opened by the annual themes voted in plenary."""

    class Statut(models.TextChoices):
        EN_COURS = "en_cours", _("En cours")
        ARCHIVE = "archive", _("Archivé")

    titre = models.CharField(_("titre"), max_length=120)
    slug = models.SlugField(_("identifiant d'adresse"), unique=True, max_length=60)
    date_debut = models.DateField(_("début"))
    date_fin = models.DateField(_("fin"))
    description = TexteRiche(_("présentation"), blank=True)
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.EN_COURS)
    archive_le = models.DateTimeField(_("archivé le"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle des ateliers")
        verbose_name_plural = _("cycles des ateliers")
        ordering = ["-date_debut"]
        constraints = [
            models.CheckConstraint(condition=Q(date_fin__gte=models.F("date_debut")), name="cycle_dates"),
        ]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("ateliers:cycle", args=[self.slug])

    @property
    def est_archive(self):
        return self.statut == self.Statut.ARCHIVE


class ThematiqueAnnuelle(models.Model):
    """An annual theme (thématique annuelle) of a cycle, voted in plenary.

    The vote itself lives in the Séances app (a scrutin points to the theme it is about); until then
    ``vote_libelle`` and ``vote_date`` record which séance voted it, so the page can say so.
    """

    class Statut(models.TextChoices):
        PROPOSEE = "proposee", _("Proposée")
        RETENUE = "retenue", _("Retenue")
        NON_RETENUE = "non_retenue", _("Non retenue")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="thematiques", verbose_name=_("cycle"))
    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=100)
    description = TexteRiche(_("description"), blank=True)
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.PROPOSEE)
    vote_libelle = models.CharField(_("séance qui l'a votée"), max_length=200, blank=True,
                                    help_text=_("Par exemple « Séance plénière de printemps 2026 »."))
    vote_date = models.DateField(_("date du vote"), null=True, blank=True)
    vote_commentaire = models.CharField(_("suite donnée (public)"), max_length=300, blank=True,
                                        help_text=_("Par exemple « Renvoyée à 2027 »."))
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("thématique annuelle")
        verbose_name_plural = _("thématiques annuelles")
        ordering = ["cycle", "ordre", "titre"]
        constraints = [models.UniqueConstraint(fields=["cycle", "slug"], name="thematique_slug_par_cycle")]

    def __str__(self):
        return f"{self.titre} ({self.cycle})"


class AtelierQuerySet(models.QuerySet):
    def pour_liste(self):
        """Prefetch what a list of ateliers shows, so query counts stay flat."""
        return self.select_related("cycle", "thematique").prefetch_related(
            "champs", "animateurs", "structures_coanimatrices",
        )


class Atelier(index.Indexed, models.Model):
    """An atelier thématique: a group working all year on a theme, run by its animateur·rice·s."""

    class Adhesion(models.TextChoices):
        OUVERT = "ouvert", _("Ouvert : chacun·e rejoint librement")
        SUR_DEMANDE = "sur_demande", _("Sur demande, validée par l'animation")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="ateliers", verbose_name=_("cycle"))
    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), unique=True, max_length=100)
    resume = models.CharField(_("résumé"), max_length=300, blank=True)
    description = TexteRiche(_("description"), blank=True)
    questions = TexteRiche(_("questions de travail"), blank=True)
    champs = models.ManyToManyField(ChampAction, related_name="ateliers", verbose_name=_("champs d'action"))
    thematique = models.ForeignKey(ThematiqueAnnuelle, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="ateliers", verbose_name=_("thématique annuelle"))
    mode_adhesion = models.CharField(_("adhésion"), max_length=20, choices=Adhesion.choices,
                                     default=Adhesion.OUVERT)
    animateurs = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="ateliers_animes",
                                        verbose_name=_("animateur·rice·s"))
    binome_elu = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("élu·e du binôme"))
    binome_agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("agent·e du binôme"))
    binome_texte = models.CharField(_("binôme (autres personnes)"), max_length=200, blank=True,
                                    help_text=_("Personne sans compte, par exemple « Samir Belkacem, chef de "
                                                "projet politique de la ville »."))
    structures_coanimatrices = models.ManyToManyField(Structure, blank=True, related_name="ateliers_coanimes",
                                                      verbose_name=_("structures co-animatrices"))
    coanimation_texte = models.CharField(_("co-animation (autres)"), max_length=200, blank=True)
    rythme = models.CharField(_("rythme"), max_length=120, blank=True, help_text=_("Par exemple « 4 séances par an »."))
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    cree_le = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = AtelierQuerySet.as_manager()

    # The site's search (home/recherche.py): normalised copies of the text (conseil_ess/recherche.py).
    search_fields = [
        index.SearchField("titre_recherche", boost=4),
        index.SearchField("texte_recherche"),
        index.FilterField("id"),  # the search view keeps what the person may see: pk in a subquery
        index.AutocompleteField("titre"),
    ]

    class Meta:
        verbose_name = _("atelier thématique")
        verbose_name_plural = _("ateliers thématiques")
        ordering = ["cycle", "ordre", "titre"]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("ateliers:detail", args=[self.slug])

    @property
    def est_ouvert(self):
        return self.mode_adhesion == self.Adhesion.OUVERT

    def titre_recherche(self):
        return normaliser(self.titre)

    def texte_recherche(self):
        return normaliser(self.resume, self.description, self.questions, self.coanimation_texte)

    @property
    def est_actif(self):
        """An atelier of an archived cycle is read-only: no joining, no new meetings."""
        return not self.cycle.est_archive


class Participation(models.Model):
    """A person's membership of an atelier (asked, accepted, refused, or left). Animateur·rice·s are
    named on the atelier itself (``Atelier.animateurs``) and count as members."""

    class Statut(models.TextChoices):
        DEMANDEE = "demandee", _("Demande en attente")
        ACCEPTEE = "acceptee", _("Membre")
        REFUSEE = "refusee", _("Demande refusée")
        PARTIE = "partie", _("A quitté l'atelier")

    atelier = models.ForeignKey(Atelier, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations_ateliers")
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.DEMANDEE,
                              db_index=True)
    message = models.TextField(_("message"), blank=True)
    cree_le = models.DateTimeField(_("demandée le"), default=timezone.now)
    modifie_le = models.DateTimeField(_("modifiée le"), default=timezone.now)
    decide_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("participation à un atelier")
        verbose_name_plural = _("participations aux ateliers")
        ordering = ["-cree_le"]
        constraints = [models.UniqueConstraint(fields=["atelier", "user"], name="participation_unique")]

    def __str__(self):
        return f"{self.user} – {self.atelier} ({self.get_statut_display()})"


class ReunionQuerySet(models.QuerySet):
    def pour_liste(self):
        return self.select_related("evenement__lieu__commune", "evenement__commune", "atelier", "compte_rendu")


class Reunion(models.Model):
    """A meeting of an atelier: its dated part is an ``Evenement`` of type *réunion d'atelier*."""

    atelier = models.ForeignKey(Atelier, on_delete=models.PROTECT, related_name="reunions")
    evenement = models.OneToOneField(Evenement, on_delete=models.PROTECT, related_name="reunion_atelier")
    ordre_du_jour = TexteRiche(_("ordre du jour"), blank=True)
    participants_sans_compte = models.PositiveIntegerField(
        _("autres participant·e·s (sans compte)"), default=0,
        help_text=_("Personnes présentes qui n'ont pas de compte sur la plateforme."),
    )
    nb_presents = models.PositiveIntegerField(_("présent·e·s avec un compte"), default=0, editable=False)
    presences_saisies_le = models.DateTimeField(_("présences saisies le"), null=True, blank=True, editable=False)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ReunionQuerySet.as_manager()

    class Meta:
        verbose_name = _("réunion d'atelier")
        verbose_name_plural = _("réunions d'atelier")
        ordering = ["evenement__debut"]

    def __str__(self):
        return self.evenement.titre

    def get_absolute_url(self):
        return reverse("ateliers:reunion", args=[self.atelier.slug, self.pk])

    @property
    def nb_participants(self):
        """Everyone present: people with an account (attendance records) and the others counted."""
        return self.nb_presents + self.participants_sans_compte

    @property
    def est_passee(self):
        return self.evenement.fin <= timezone.now()


class Presence(models.Model):
    """One person's attendance at an atelier meeting (the public figures of participation come from these)."""

    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presences_ateliers")
    enregistree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+")
    enregistree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("présence")
        constraints = [models.UniqueConstraint(fields=["reunion", "user"], name="presence_unique")]

    def __str__(self):
        return f"{self.user} – {self.reunion}"


class CompteRenduQuerySet(models.QuerySet):
    def lisibles_par(self, user):
        """The published minutes ``user`` may read: the queryset form of the rule ``ateliers.voir_compte_rendu``
        for published minutes (public ones; internal ones for the atelier's members and animation, the
        élu·e·s and the secrétariat)."""
        import rules

        publies = self.filter(statut=CompteRendu.Statut.PUBLIE)
        if not (user and user.is_authenticated):
            return publies.filter(interne=False)
        if rules.has_perm("ateliers.voir_reunions_reservees", user):
            return publies
        mes_ateliers = Atelier.objects.filter(
            Q(animateurs=user) | Q(participations__user=user, participations__statut=Participation.Statut.ACCEPTEE),
        ).values("pk")
        return publies.filter(Q(interne=False) | Q(reunion__atelier__in=mes_ateliers))


class CompteRendu(index.Indexed, models.Model):
    """The minutes of a meeting: rich text (sanitized), draft then published.

    Published minutes are public, even for a meeting reserved to members, unless marked internal
    (then only the atelier's members and the staff read them).
    """

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        PUBLIE = "publie", _("Publié")

    reunion = models.OneToOneField(Reunion, on_delete=models.CASCADE, related_name="compte_rendu")
    contenu = TexteRiche(_("compte rendu"))
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    interne = models.BooleanField(
        _("réservé aux membres de l'atelier"), default=False,
        help_text=_("Sinon, le compte rendu publié est public."),
    )
    redige_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("rédigé par"))
    publie_le = models.DateTimeField(_("publié le"), null=True, blank=True)
    modifie_le = models.DateTimeField(_("modifié le"), default=timezone.now)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = CompteRenduQuerySet.as_manager()

    # The site's search (home/recherche.py): the search view keeps the minutes the person may read
    # (``lisibles_par``); drafts and internal minutes are in the index but never in its results.
    search_fields = [
        index.SearchField("titre_recherche", boost=4),
        index.SearchField("texte_recherche"),
        index.FilterField("id"),  # the search view keeps what the person may see: pk in a subquery
        index.FilterField("statut"),
    ]

    class Meta:
        verbose_name = _("compte rendu")
        verbose_name_plural = _("comptes rendus")

    def __str__(self):
        return str(_("Compte rendu – %(reunion)s") % {"reunion": self.reunion})

    def save(self, *args, **kwargs):
        self.modifie_le = timezone.now()
        super().save(*args, **kwargs)

    @property
    def est_publie(self):
        return self.statut == self.Statut.PUBLIE

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().select_related("reunion__evenement", "reunion__atelier")

    def titre_recherche(self):
        return normaliser(self.reunion.evenement.titre, self.reunion.atelier.titre)

    def texte_recherche(self):
        return normaliser(self.contenu)


EXTENSIONS_DOCUMENTS = ["pdf", "odt", "ods", "odp", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "csv", "txt",
                        "png", "jpg", "jpeg"]


def stockage_prive():
    """Files outside MEDIA_ROOT: never served directly, only through a view that checks the reader."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.FICHIERS_PRIVES_ROOT, base_url=None)


def chemin_document(instance, nom):
    return f"ateliers/comptes-rendus/{timezone.now():%Y}/{os.path.basename(nom)}"


class DocumentCompteRendu(models.Model):
    """A file attached to minutes; served through a view that checks who may read the minutes."""

    compte_rendu = models.ForeignKey(CompteRendu, on_delete=models.CASCADE, related_name="documents")
    titre = models.CharField(_("titre du document"), max_length=200)
    fichier = models.FileField(
        _("fichier"), upload_to=chemin_document, storage=stockage_prive, max_length=255,
        validators=[FileExtensionValidator(EXTENSIONS_DOCUMENTS), valider_taille_document],
    )
    ajoute_le = models.DateTimeField(default=timezone.now)
    ajoute_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("document du compte rendu")
        verbose_name_plural = _("documents des comptes rendus")
        ordering = ["ajoute_le", "pk"]

    def __str__(self):
        return self.titre

    @property
    def extension(self):
        return os.path.splitext(self.fichier.name)[1].lstrip(".").upper()
