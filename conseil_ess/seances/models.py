"""Séances plénières: the agenda (ordre du jour), attendance (émargement) and votes (scrutins).

Every change goes through ``services.py``; the live page (next session) shows a ``Seance`` whose
``version`` rises with each change it displays, so a client that missed a broadcast notices the gap.

Public scrutins keep one ``Bulletin`` per voter (who voted what is part of the public record). Secret
scrutins keep who took part (``Participation``) apart from what was chosen (``BulletinSecret``): see
the docstring of ``BulletinSecret`` for why nothing links the two.
"""

import os
import secrets
import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from ateliers.models import EXTENSIONS_DOCUMENTS, ThematiqueAnnuelle, stockage_prive
from ateliers.validators import valider_taille_document
from conseil_ess.champs import TexteRiche
from conseil_ess.comptes.models import College, Structure
from conseil_ess.propositions.models import Proposition
from conseil_ess.recherche import normaliser
from evenements.models import Evenement


def nouveau_jeton():
    """Return a fresh, unguessable check-in token (shown in the room as a QR code)."""
    return secrets.token_urlsafe(24)


class SeanceQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """The séances ``user`` may see: the queryset form of the rule ``seances.voir`` (``rules.py``)."""
        import rules

        if user.is_authenticated and rules.has_perm("seances.voir_en_preparation", user):
            return self
        return self.exclude(statut=Seance.Statut.PREPARATION)


class Seance(index.Indexed, models.Model):
    """A plenary (ordinary or exceptional) session of the Conseil; its date and place are its ``Evenement``."""

    class Nature(models.TextChoices):
        ORDINAIRE = "ordinaire", _("Séance plénière ordinaire")
        EXCEPTIONNELLE = "exceptionnelle", _("Séance exceptionnelle")

    class Statut(models.TextChoices):
        PREPARATION = "preparation", _("En préparation")
        ORDRE_DU_JOUR_PUBLIE = "ordre_du_jour_publie", _("Ordre du jour publié")
        EN_COURS = "en_cours", _("En cours")
        TERMINEE = "terminee", _("Terminée")

    evenement = models.OneToOneField(
        Evenement, on_delete=models.PROTECT, related_name="seance", verbose_name=_("événement de l'agenda"),
        limit_choices_to={"type": "seance_pleniere"},
    )
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices, default=Nature.ORDINAIRE)
    motif_exceptionnelle = models.TextField(
        _("motif de la séance exceptionnelle"), blank=True,
        help_text=_("Obligatoire pour une séance exceptionnelle : l'actualité qui justifie sa convocation."),
    )
    presidence = models.CharField(_("présidence"), max_length=200, blank=True,
                                  help_text=_("Qui préside la séance, par exemple « Le Président de "
                                              "l'Eurométropole »."))
    statut = models.CharField(_("statut"), max_length=30, choices=Statut.choices, default=Statut.PREPARATION,
                              db_index=True)
    point_courant = models.ForeignKey("PointOrdreDuJour", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("point en cours"))
    # Raised (F() update, same transaction) by every change the live page shows; broadcasts carry it.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    jeton_emargement = models.CharField(_("jeton d'émargement"), max_length=64, unique=True, default=nouveau_jeton,
                                        editable=False)
    # Members present counted on a paper sheet (séances held without online check-in, archived ones):
    # the attendance figure is the larger of this and the number of online check-ins.
    presents_declares = models.PositiveIntegerField(
        _("présents relevés sur la feuille papier"), null=True, blank=True,
        help_text=_("Pour une séance émargée sur papier ; le chiffre affiché est le plus grand de ce nombre et "
                    "des émargements en ligne."),
    )
    ordre_du_jour_publie_le = models.DateTimeField(_("ordre du jour publié le"), null=True, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("créée par"))
    cree_le = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = SeanceQuerySet.as_manager()

    # The site's search (home/recherche.py): the search view keeps the séances the person may see
    # (``visibles_par``).
    search_fields = [
        index.SearchField("titre_recherche", boost=4),
        index.SearchField("texte_recherche"),
        index.FilterField("id"),  # the search view keeps what the person may see: pk in a subquery
        index.FilterField("statut"),
    ]

    class Meta:
        verbose_name = _("séance plénière")
        verbose_name_plural = _("séances plénières")
        ordering = ["-evenement__debut"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(nature="exceptionnelle") | ~Q(motif_exceptionnelle=""),
                name="seance_exceptionnelle_avec_motif",
            ),
        ]

    def __str__(self):
        return self.evenement.titre

    def get_absolute_url(self):
        return reverse("seances:detail", args=[self.evenement.slug])

    @property
    def slug(self):
        return self.evenement.slug

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().select_related("evenement")

    def titre_recherche(self):
        return normaliser(self.evenement.titre)

    def texte_recherche(self):
        return normaliser(self.evenement.resume, self.evenement.description, self.presidence,
                          self.motif_exceptionnelle)

    @property
    def date(self):
        return timezone.localdate(self.evenement.debut)

    def nombre_presents(self, emargements=None):
        """Members present: online check-ins (``emargements``: their count when already known), or the paper
        sheet's figure when larger."""
        if emargements is None:
            emargements = self.emargements.count()
        return max(emargements, self.presents_declares or 0)


class PointOrdreDuJour(models.Model):
    """One item of a séance's agenda: information only, or a vote (then it has one ``Scrutin``)."""

    class Type(models.TextChoices):
        INFORMATION = "information", _("Information")
        VOTE = "vote", _("Vote")

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="points", verbose_name=_("séance"))
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    titre = models.CharField(_("titre"), max_length=200)
    description = TexteRiche(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.INFORMATION)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("points de l'ordre du jour")
        ordering = ["seance", "ordre", "pk"]

    def __str__(self):
        return self.titre


class Choix(models.TextChoices):
    POUR = "pour", _("Pour")
    CONTRE = "contre", _("Contre")
    ABSTENTION = "abstention", _("Abstention")


class ScrutinQuerySet(models.QuerySet):
    def pour_adresse(self):
        """Load what ``get_absolute_url`` reads (a proposal's timeline links to its scrutins)."""
        return self.select_related("seance__evenement")


class Scrutin(models.Model):
    """The vote of one agenda item, with its rules, its state and, once closed, its stored result."""

    class Objet(models.TextChoices):
        PROPOSITION = "proposition", _("Proposition")
        ORIENTATION = "orientation", _("Orientation stratégique")
        THEMATIQUE = "thematique", _("Thématique annuelle")
        QUESTION = "question", _("Question libre")

    class Statut(models.TextChoices):
        PREPARE = "prepare", _("Préparé")
        OUVERT = "ouvert", _("Ouvert")
        CLOS = "clos", _("Clos")
        RETIRE = "retire", _("Retiré (non voté)")

    class Resultat(models.TextChoices):
        ADOPTE = "adopte", _("Adopté")
        REJETE = "rejete", _("Rejeté")
        RENVOYE = "renvoye", _("Renvoyé en atelier")
        QUORUM_NON_ATTEINT = "quorum_non_atteint", _("Quorum non atteint : pas de décision")

    point = models.OneToOneField(PointOrdreDuJour, on_delete=models.CASCADE, related_name="scrutin",
                                 verbose_name=_("point de l'ordre du jour"))
    # Same as point.seance, kept here so the database can allow one open scrutin per séance.
    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="scrutins", verbose_name=_("séance"))
    numero = models.PositiveSmallIntegerField(_("numéro"))
    objet = models.CharField(_("objet"), max_length=20, choices=Objet.choices)
    proposition = models.ForeignKey(Proposition, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="scrutins", verbose_name=_("proposition"))
    thematique = models.ForeignKey(ThematiqueAnnuelle, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="scrutins", verbose_name=_("thématique annuelle"))
    question = models.CharField(_("question soumise au vote"), max_length=300)
    texte = TexteRiche(_("texte soumis au vote"), blank=True,
                             help_text=_("Le texte de l'orientation ou de la question libre."))
    # Rules.
    secret = models.BooleanField(_("vote secret"), default=False)
    une_voix_par_structure = models.BooleanField(_("une voix par structure"), default=False)
    quorum = models.PositiveIntegerField(_("quorum (membres présents)"), null=True, blank=True,
                                         help_text=_("Nombre minimal de membres émargés ; vide : pas de quorum."))
    ponderation_par_college = models.BooleanField(_("pondération par collège"), default=False)
    changement_de_vote_autorise = models.BooleanField(
        _("changement de vote autorisé"), default=False,
        help_text=_("Tant que le scrutin est ouvert (impossible pour un vote secret)."),
    )
    statut = models.CharField(_("statut"), max_length=10, choices=Statut.choices, default=Statut.PREPARE)
    ouvert_le = models.DateTimeField(_("ouvert le"), null=True, blank=True)
    clos_le = models.DateTimeField(_("clos le"), null=True, blank=True)
    clos_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("clos par"))
    # A show of hands: the secrétariat enters the counts.
    saisie_manuelle = models.BooleanField(_("vote à main levée (saisie manuelle)"), default=False)
    # Stored result (filled on closing).
    pour = models.PositiveIntegerField(_("pour"), null=True, blank=True)
    contre = models.PositiveIntegerField(_("contre"), null=True, blank=True)
    abstention = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    pour_pondere = models.DecimalField(_("pour (pondéré)"), max_digits=10, decimal_places=2, null=True, blank=True)
    contre_pondere = models.DecimalField(_("contre (pondéré)"), max_digits=10, decimal_places=2, null=True,
                                         blank=True)
    abstention_pondere = models.DecimalField(_("abstentions (pondérées)"), max_digits=10, decimal_places=2,
                                             null=True, blank=True)
    poids_appliques = models.JSONField(_("poids appliqués par collège"), default=dict, blank=True)
    presents = models.PositiveIntegerField(_("membres présents à la clôture"), null=True, blank=True)
    quorum_atteint = models.BooleanField(_("quorum atteint"), null=True, blank=True,
                                         help_text=_("Vide quand le scrutin n'exige pas de quorum."))
    resultat = models.CharField(_("résultat"), max_length=20, choices=Resultat.choices, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScrutinQuerySet.as_manager()

    class Meta:
        verbose_name = _("scrutin")
        ordering = ["seance", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "numero"], name="scrutin_numero_par_seance"),
            models.UniqueConstraint(fields=["seance"], condition=Q(statut="ouvert"),
                                    name="scrutin_un_seul_ouvert_par_seance"),
            models.CheckConstraint(condition=~Q(objet="proposition") | Q(proposition__isnull=False),
                                   name="scrutin_proposition_renseignee"),
            models.CheckConstraint(condition=~Q(objet="thematique") | Q(thematique__isnull=False),
                                   name="scrutin_thematique_renseignee"),
            # A secret ballot cannot be found again, hence cannot be changed.
            models.CheckConstraint(condition=~Q(secret=True, changement_de_vote_autorise=True),
                                   name="scrutin_secret_sans_changement_de_vote"),
        ]

    def __str__(self):
        return _("Scrutin n° %(numero)s : %(question)s") % {"numero": self.numero, "question": self.question}

    def get_absolute_url(self):
        return f"{self.seance.get_absolute_url()}#scrutin-{self.pk}"

    @property
    def est_ouvert(self):
        return self.statut == self.Statut.OUVERT

    @property
    def exprimes(self):
        """Votes cast that count for the majority (abstentions are not counted)."""
        if self.pour is None:
            return None
        return self.pour + self.contre


class Emargement(models.Model):
    """A member's check-in at a séance, with the structure and collège they represented that day."""

    class Mode(models.TextChoices):
        LISTE = "liste", _("Sur la liste, par le secrétariat")
        QR = "qr", _("Par le QR code de la salle")

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="emargements",
                               verbose_name=_("séance"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emargements",
                             verbose_name=_("membre"))
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("structure représentée"))
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="+", verbose_name=_("collège"))
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+", verbose_name=_("enregistré par"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    le = models.DateTimeField(_("émargé le"), default=timezone.now)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("émargement")
        ordering = ["seance", "le", "pk"]
        constraints = [models.UniqueConstraint(fields=["seance", "user"], name="emargement_unique_par_seance")]

    def __str__(self):
        return f"{self.user} – {self.seance}"


class Bulletin(models.Model):
    """A ballot of a public scrutin: who voted what is public.

    ``structure_unique`` holds the voter's structure only when the scrutin allows one vote per structure
    (NULL otherwise, and NULLs never collide), so the database backs that rule as well as the service.
    """

    scrutin = models.ForeignKey(Scrutin, on_delete=models.CASCADE, related_name="bulletins",
                                verbose_name=_("scrutin"))
    votant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulletins",
                               verbose_name=_("votant·e"))
    choix = models.CharField(_("choix"), max_length=12, choices=Choix.choices)
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("structure représentée"))
    structure_unique = models.ForeignKey(Structure, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", editable=False)
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="+", verbose_name=_("collège"))
    le = models.DateTimeField(_("voté le"), default=timezone.now)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("bulletin")
        ordering = ["scrutin", "le", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scrutin", "votant"], name="bulletin_une_voix_par_votant"),
            models.UniqueConstraint(fields=["scrutin", "structure_unique"], name="bulletin_une_voix_par_structure"),
        ]

    def __str__(self):
        return f"{self.votant} : {self.get_choix_display()}"


class Participation(models.Model):
    """Who took part in a secret scrutin (never what they chose: see ``BulletinSecret``).

    No timestamp and a random primary key: the table does not even record in which order people voted.
    ``structure_unique`` backs "one vote per structure" as on ``Bulletin``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scrutin = models.ForeignKey(Scrutin, on_delete=models.CASCADE, related_name="participations",
                                verbose_name=_("scrutin"))
    votant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("votant·e"))
    structure_unique = models.ForeignKey(Structure, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", editable=False)

    class Meta:
        verbose_name = _("participation à un scrutin secret")
        verbose_name_plural = _("participations aux scrutins secrets")
        constraints = [
            models.UniqueConstraint(fields=["scrutin", "votant"], name="participation_une_voix_par_votant"),
            models.UniqueConstraint(fields=["scrutin", "structure_unique"],
                                    name="participation_une_voix_par_structure"),
        ]

    def __str__(self):
        return f"{self.votant} – {self.scrutin}"


class BulletinSecret(models.Model):
    """A ballot of a secret scrutin: a choice, and nothing that points back to whoever cast it.

    Why nothing links a voter to a choice:
    - no column names a person, a structure, a check-in or a participation (no foreign key but the
      scrutin's; the collège only when the scrutin is weighted by collège, since the count needs it);
    - no timestamp: the only time attached to a secret ballot is the scrutin's own (opened / closed),
      shared by every ballot, so ballots cannot be matched with votes seen on the live page or in logs;
      ``Participation`` has no timestamp either;
    - the primary key is a random UUID (version 4) on both tables, so ordering either by key says
      nothing about the order of the votes, unlike an auto-incremented id;
    - a secret vote cannot be changed (database constraint on ``Scrutin``), which would need a way to
      find one's ballot again.
    The participation and the ballot are written in the same transaction, so nobody sees one without
    the other. What remains is outside the application's tables: the database's physical row order and
    its write-ahead log (only the operator of the server sees those), and, in a scrutin weighted by
    collège, the inherent case of a collège with a single voter (its count is that person's choice).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scrutin = models.ForeignKey(Scrutin, on_delete=models.CASCADE, related_name="bulletins_secrets",
                                verbose_name=_("scrutin"))
    choix = models.CharField(_("choix"), max_length=12, choices=Choix.choices)
    college = models.ForeignKey(College, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("collège (scrutin pondéré seulement)"))

    class Meta:
        verbose_name = _("bulletin secret")
        verbose_name_plural = _("bulletins secrets")

    def __str__(self):
        return self.get_choix_display()


def chemin_document_seance(instance, nom):
    return f"seances/documents/{timezone.now():%Y}/{os.path.basename(nom)}"


class DocumentSeance(models.Model):
    """A document of a séance (convocation, notes, slides): public once the agenda is published, served
    through a view that checks ``seances.voir``."""

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="documents", verbose_name=_("séance"))
    titre = models.CharField(_("titre du document"), max_length=200)
    fichier = models.FileField(
        _("fichier"), upload_to=chemin_document_seance, storage=stockage_prive, max_length=255,
        validators=[FileExtensionValidator(EXTENSIONS_DOCUMENTS), valider_taille_document],
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    ajoute_le = models.DateTimeField(default=timezone.now)
    ajoute_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("document de séance")
        verbose_name_plural = _("documents de séance")
        ordering = ["seance", "ordre", "ajoute_le", "pk"]

    def __str__(self):
        return self.titre

    @property
    def extension(self):
        return os.path.splitext(self.fichier.name)[1].lstrip(".").upper()


class ProcesVerbal(index.Indexed, models.Model):
    """The minutes of a séance: generated from the recorded data as a draft, edited by the secrétariat,
    then published (public on the séance's page and as a printable page)."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        PUBLIE = "publie", _("Publié")

    seance = models.OneToOneField(Seance, on_delete=models.CASCADE, related_name="proces_verbal",
                                  verbose_name=_("séance"))
    contenu = TexteRiche(_("contenu"), blank=True)
    statut = models.CharField(_("statut"), max_length=10, choices=Statut.choices, default=Statut.BROUILLON)
    genere_le = models.DateTimeField(_("généré le"), default=timezone.now)
    modifie_le = models.DateTimeField(_("modifié le"), default=timezone.now)
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("modifié par"))
    publie_le = models.DateTimeField(_("publié le"), null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    # The site's search (home/recherche.py): drafts are in the index, the search view shows published ones.
    search_fields = [
        index.SearchField("titre_recherche", boost=4),
        index.SearchField("texte_recherche"),
        index.FilterField("id"),  # the search view keeps what the person may see: pk in a subquery
        index.FilterField("statut"),
    ]

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")

    def __str__(self):
        return _("Procès-verbal : %(seance)s") % {"seance": self.seance}

    @property
    def est_publie(self):
        return self.statut == self.Statut.PUBLIE

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().select_related("seance__evenement")

    def titre_recherche(self):
        return normaliser(str(_("procès-verbal")), self.seance.evenement.titre)

    def texte_recherche(self):
        return normaliser(self.contenu)
