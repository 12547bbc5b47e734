"""Users, territory, ESS organisations (structures) and notifications."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from conseil_ess.champs import TexteRiche
from conseil_ess.recherche import normaliser, sans_accents

from .validators import valider_siret


class UserManager(BaseUserManager):
    """Manager for a user identified by e-mail."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: identified by e-mail, no username."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    nom_affiche = models.CharField(
        _("nom affiché"), max_length=120, blank=True,
        help_text=_("Le nom que les autres personnes voient sur la plateforme."),
    )
    fonction = models.CharField(_("fonction"), max_length=200, blank=True)
    jeton_agenda = models.CharField(
        _("jeton du flux d'agenda personnel"), max_length=64, unique=True, default=secrets.token_urlsafe,
        editable=False,
    )
    is_demo = models.BooleanField(default=False, editable=False)
    # Personal data (``donnees_personnelles.py``): when the retention warning e-mail left (inactive account),
    # and when the account was erased (the row stays, anonymised, for what must remain public).
    avertissement_conservation_le = models.DateTimeField(
        _("averti·e de la suppression pour inactivité le"), null=True, blank=True, editable=False)
    supprime_le = models.DateTimeField(_("compte supprimé le"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rice·s")
        ordering = ["email"]

    def __str__(self):
        return self.nom_public

    @property
    def nom_public(self):
        """Return the name shown to others: display name, else full name, else « Membre » (never a part of
        the e-mail address, which others must not learn)."""
        from django.utils.translation import gettext

        return self.nom_affiche or self.get_full_name() or gettext("Membre")

    def a_le_role(self, role):
        return self.groups.filter(name=role).exists()

    def has_perm(self, perm, obj=None):
        """The project's rules answer their own names alone: their staff predicates hold the two-factor rule
        (``predicates.mfa_validee``). A person whose role requires two-factor authentication and whose
        login did not go through it acts as an ordinary acteur: no model permission of their groups, no
        superuser shortcut."""
        import rules

        from .predicates import pouvoirs_suspendus

        if not self.is_active:
            return False
        if rules.perm_exists(perm) and not self.is_superuser:
            return rules.has_perm(perm, self, obj)
        if pouvoirs_suspendus(self):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        from .predicates import pouvoirs_suspendus

        if self.is_active and pouvoirs_suspendus(self):
            return False
        return super().has_module_perms(app_label)


class Commune(models.Model):
    """A commune of the métropole."""

    nom = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    code_insee = models.CharField(_("code INSEE"), max_length=5, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("commune")
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class QuartierPrioritaire(models.Model):
    """A quartier prioritaire de la politique de la ville (QPV)."""

    nom = models.CharField(_("nom"), max_length=120)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="qpv", verbose_name=_("commune"))
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["commune__nom", "nom"]
        constraints = [models.UniqueConstraint(fields=["commune", "nom"], name="qpv_unique_par_commune")]

    def __str__(self):
        return f"{self.nom} ({self.commune})"


class ChampAction(models.Model):
    """One of the six champs d'action of the ESS policy (DOMAINE.md §7): the shared theme vocabulary."""

    numero = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    nom = models.CharField(_("nom"), max_length=200)
    libelle_court = models.CharField(_("libellé court"), max_length=80)

    class Meta:
        verbose_name = _("champ d'action")
        verbose_name_plural = _("champs d'action")
        ordering = ["numero"]

    def __str__(self):
        return self.libelle_de(self.numero, self.libelle_court)

    @staticmethod
    def libelle_de(numero, libelle_court):
        """The text of ``str(champ)`` from its columns (menus read as rows)."""
        return f"{numero}. {libelle_court}"


class FormeJuridique(models.TextChoices):
    """Legal forms (DOMAINE.md §8): kept apart from approvals."""

    ASSOCIATION = "association", _("Association loi 1901")
    MUTUELLE = "mutuelle", _("Mutuelle")
    FONDATION = "fondation", _("Fondation")
    SCOP = "scop", _("SCOP – société coopérative et participative")
    SCIC = "scic", _("SCIC – société coopérative d'intérêt collectif")
    CAE = "cae", _("Coopérative d'activité et d'emploi (CAE)")
    COOPERATIVE = "cooperative", _("Autre coopérative")
    SAS = "sas", _("SAS – société par actions simplifiée")
    SARL = "sarl", _("SARL – société à responsabilité limitée")
    SA = "sa", _("SA – société anonyme")
    SOCIETE_ESS = "societe_ess", _("Société commerciale de l'ESS")
    COLLECTIVITE = "collectivite", _("Collectivité ou établissement public")
    AUTRE = "autre", _("Autre")


class Agrement(models.Model):
    """An approval or label (ESUS, SIAE types, EA, PTCE…): not a legal form."""

    code = models.SlugField(_("code"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=160)

    class Meta:
        verbose_name = _("agrément ou label")
        verbose_name_plural = _("agréments et labels")
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class StructureQuerySet(models.QuerySet):
    def publiques(self):
        return self.filter(statut=Structure.Statut.VALIDEE)


def nom_pour_recherche(texte):
    """A name as ``Structure.nom_recherche`` stores it, and as a typed query is compared with it."""
    return " ".join(sans_accents(texte).lower().split())


class Structure(index.Indexed, models.Model):
    """An ESS organisation (or an institutional partner)."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente de validation")
        VALIDEE = "validee", _("Validée")
        REFUSEE = "refusee", _("Refusée")

    class Categorie(models.TextChoices):
        ACTEUR_ESS = "acteur_ess", _("Structure de l'ESS")
        PARTENAIRE = "partenaire", _("Partenaire institutionnel")

    nom = models.CharField(_("nom"), max_length=200)
    # The name lower-cased, accents and ligatures folded (``nom_pour_recherche``): what the carriers' picker
    # searches, the same on SQLite and PostgreSQL (« economie » finds « Économie »). Kept by ``save()``.
    nom_recherche = models.CharField(_("nom (pour la recherche)"), max_length=250, blank=True, editable=False)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200, unique=True)
    categorie = models.CharField(_("catégorie"), max_length=20, choices=Categorie.choices, default=Categorie.ACTEUR_ESS)
    forme_juridique = models.CharField(_("forme juridique"), max_length=30, choices=FormeJuridique.choices)
    precision_forme = models.CharField(
        _("précision sur la forme juridique"), max_length=200, blank=True,
        help_text=_("Par exemple « SCIC SAS à capital variable »."),
    )
    agrements = models.ManyToManyField(
        Agrement, blank=True, related_name="structures", verbose_name=_("agréments et labels"),
    )
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, validators=[valider_siret],
        help_text=_("14 chiffres, sans espace. Facultatif pour les collectifs non immatriculés."),
    )
    secteur = models.CharField(_("secteur d'activité"), max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="structures", verbose_name=_("commune"),
    )
    site_web = models.URLField(_("site web"), blank=True)
    description = TexteRiche(_("description"), blank=True)
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    motif_refus = models.TextField(_("motif du refus"), blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("créée par"),
    )
    cree_le = models.DateTimeField(_("créée le"), default=timezone.now)
    valide_le = models.DateTimeField(_("validée le"), null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = StructureQuerySet.as_manager()

    # The site's search (home/recherche.py): normalised copies of the text (conseil_ess/recherche.py);
    # the search view shows validated structures only.
    search_fields = [
        index.SearchField("titre_recherche", boost=4),
        index.SearchField("texte_recherche"),
        index.FilterField("id"),  # the search view keeps what the person may see: pk in a subquery
        index.AutocompleteField("nom"),
        index.FilterField("statut"),
    ]

    class Meta:
        verbose_name = _("structure")
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def save(self, *args, **kwargs):
        self.nom_recherche = nom_pour_recherche(self.nom)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "nom" in update_fields:
            kwargs["update_fields"] = {*update_fields, "nom_recherche"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comptes:structure_detail", args=[self.slug])

    @property
    def est_publique(self):
        return self.statut == self.Statut.VALIDEE

    def titre_recherche(self):
        return normaliser(self.nom)

    def texte_recherche(self):
        return normaliser(self.precision_forme, self.secteur, self.description)


class Adhesion(models.Model):
    """A person's membership of a structure (asked, then accepted by a referent or the secrétariat)."""

    class Role(models.TextChoices):
        REFERENT = "referent", _("Référent·e")
        MEMBRE = "membre", _("Membre")

    class Statut(models.TextChoices):
        DEMANDEE = "demandee", _("Demandée")
        ACCEPTEE = "acceptee", _("Acceptée")
        REFUSEE = "refusee", _("Refusée")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adhesions")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="adhesions")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBRE)
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.DEMANDEE)
    message = models.TextField(_("message"), blank=True)
    cree_le = models.DateTimeField(_("demandée le"), default=timezone.now)
    decide_le = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("adhésion à une structure")
        verbose_name_plural = _("adhésions aux structures")
        ordering = ["-cree_le"]
        constraints = [models.UniqueConstraint(fields=["user", "structure"], name="adhesion_unique")]

    def __str__(self):
        return f"{self.user} – {self.structure} ({self.get_statut_display()})"


class NotificationQuerySet(models.QuerySet):
    def non_lues(self):
        return self.filter(lue_le__isnull=True)


class Notification(models.Model):
    """Something that happened for a person; pushed live over /ws/notifications/.

    ``courriel_statut`` follows its e-mail: none, sent (alone or in a summary at ``courriel_envoye_le``),
    or waiting for the next summary (``envoyer_resumes`` command).
    """

    class CourrielStatut(models.TextChoices):
        AUCUN = "aucun", _("pas de courriel")
        EN_ATTENTE = "en_attente", _("en attente du prochain résumé")
        ENVOYE = "envoye", _("envoyé")

    destinataire = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    categorie = models.CharField(_("catégorie"), max_length=40, default="general")
    titre = models.CharField(_("titre"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    cree_le = models.DateTimeField(_("créée le"), default=timezone.now, db_index=True)
    lue_le = models.DateTimeField(_("lue le"), null=True, blank=True)
    courriel_statut = models.CharField(
        _("courriel"), max_length=12, choices=CourrielStatut.choices, default=CourrielStatut.AUCUN,
    )
    courriel_envoye_le = models.DateTimeField(_("courriel envoyé le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        ordering = ["-cree_le", "-pk"]
        indexes = [
            models.Index(fields=["destinataire", "lue_le"], name="notif_dest_lue"),
            # The grouping window: the last e-mail of one person for one category.
            models.Index(fields=["destinataire", "categorie", "courriel_envoye_le"], name="notif_dest_cat_courriel"),
            # The summaries to send: few rows, so a partial index.
            models.Index(fields=["destinataire", "categorie"], condition=Q(courriel_statut="en_attente"),
                         name="notif_courriel_en_attente"),
        ]

    def __str__(self):
        return self.titre

    @property
    def est_lue(self):
        return self.lue_le is not None


class PreferenceNotification(models.Model):
    """How one person wants the e-mails of one notification category (see categories_notifications.py).

    No row means the default, ``groupe``. The in-app notification is always created.
    """

    class Frequence(models.TextChoices):
        IMMEDIAT = "immediat", _("Un courriel à chaque nouveauté")
        GROUPE = "groupe", _("Un courriel tout de suite, puis au plus un résumé par heure")
        JAMAIS = "jamais", _("Jamais par courriel (seulement dans « Mon espace »)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences_notifications",
    )
    categorie = models.CharField(_("catégorie"), max_length=40)
    frequence = models.CharField(_("courriels"), max_length=10, choices=Frequence.choices, default=Frequence.GROUPE)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [models.UniqueConstraint(fields=["user", "categorie"], name="preference_notification_unique")]

    def __str__(self):
        return f"{self.user} – {self.categorie} : {self.get_frequence_display()}"


class College(models.Model):
    """A collège of the Conseil: the families of members (configurable by the secrétariat).

    ``poids`` serves votes weighted by collège (Séances issue); 1 everywhere means no weighting.
    """

    nom = models.CharField(_("nom"), max_length=160, unique=True)
    slug = models.SlugField(unique=True, max_length=100)
    description = models.TextField(_("description"), blank=True)
    ordre = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    poids = models.DecimalField(
        _("poids dans les votes pondérés"), max_digits=5, decimal_places=2, default=1,
        help_text=_("Utilisé seulement par les scrutins pondérés par collège."),
    )
    actif = models.BooleanField(_("ouvert aux nouvelles demandes"), default=True)

    class Meta:
        verbose_name = _("collège")
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom


class MembreConseilQuerySet(models.QuerySet):
    def valides(self):
        return self.filter(statut=MembreConseil.Statut.VALIDE)

    def publics(self):
        return self.valides().filter(affichage_public=True)


class MembreConseil(models.Model):
    """Membership of the Conseil: an acteur representing a structure, in a collège, validated by the secrétariat.

    One row per request; a person has at most one request that is pending, valid or suspended
    (database constraint). Refused requests stay as history. Only ``comptes.services`` changes the
    status, and it keeps the "Membre du Conseil" group in step.
    """

    class Statut(models.TextChoices):
        DEMANDE = "demande", _("Demande en attente")
        VALIDE = "valide", _("Membre")
        REFUSE = "refuse", _("Demande refusée")
        SUSPENDU = "suspendu", _("Suspendu·e")
        TERMINE = "termine", _("Mandat terminé")

    ACTIFS = (Statut.DEMANDE, Statut.VALIDE, Statut.SUSPENDU)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mandats_conseil",
                             verbose_name=_("personne"))
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="membres_conseil",
                                  verbose_name=_("structure représentée"))
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="membres", verbose_name=_("collège"))
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.DEMANDE,
                              db_index=True)
    motivation = models.TextField(_("motivation"), blank=True)
    affichage_public = models.BooleanField(
        _("apparaître dans la liste publique des membres"), default=True,
        help_text=_("Votre nom, votre structure et votre collège sont affichés sur la page des membres."),
    )
    motif = models.TextField(_("motif (refus ou suspension)"), blank=True)
    demande_le = models.DateTimeField(_("demandé le"), default=timezone.now)
    decide_le = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decide_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("décidé par"))
    is_demo = models.BooleanField(default=False, editable=False)

    objects = MembreConseilQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre du Conseil")
        verbose_name_plural = _("membres du Conseil")
        ordering = ["college__ordre", "user__last_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(statut__in=["demande", "valide", "suspendu"]),
                name="membre_conseil_un_mandat_actif",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.structure} ({self.college})"
