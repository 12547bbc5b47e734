"""The one calendar of the platform: every dated thing is an Evenement.

Mois de l'ESS events, Assises workshops, and later atelier meetings and plenary sessions all live
here, so the agenda and the iCal feeds have a single source.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from conseil_ess.champs import TexteRiche
from conseil_ess.comptes.models import ChampAction, Commune, Structure
from conseil_ess.recherche import normaliser


class Accessibilite(models.TextChoices):
    OUI = "oui", _("Accessible en fauteuil roulant")
    PARTIEL = "partiel", _("Partiellement accessible")
    NON = "non", _("Non accessible en fauteuil roulant")
    NON_CONCERNE = "na", _("Sans objet (en ligne)")
    INCONNU = "inconnu", _("Non renseigné")


class Lieu(models.Model):
    nom = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(unique=True, max_length=200)
    adresse = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="lieux",
                                verbose_name=_("commune"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    capacite = models.PositiveIntegerField(_("capacité"), null=True, blank=True)
    accessibilite = models.CharField(_("accès en fauteuil roulant"), max_length=10, choices=Accessibilite.choices,
                                     default=Accessibilite.INCONNU)
    infos_accessibilite = models.TextField(_("informations d'accessibilité"), blank=True)
    en_ligne = models.BooleanField(_("lieu en ligne"), default=False)
    # A renamed or moved venue changes the LOCATION of its events: feeds' ETags include this date.
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("lieu")
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom} ({self.commune})" if self.commune else self.nom


class Programme(models.Model):
    """An edition of the Mois de l'ESS, an Assises day, or another programme of events."""

    class Type(models.TextChoices):
        MOIS_ESS = "mois_ess", _("Mois de l'ESS")
        ASSISES = "assises", _("Assises de l'ESS")
        AUTRE = "autre", _("Autre programme")

    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(unique=True, max_length=100)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.AUTRE)
    date_debut = models.DateField(_("premier jour"))
    date_fin = models.DateField(_("dernier jour"))
    description = TexteRiche(_("présentation"), blank=True)
    coordination = models.ForeignKey(Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("structure coordinatrice"))
    ouvert_aux_propositions = models.BooleanField(
        _("ouvert aux propositions d'événements"), default=False,
        help_text=_("Les acteurs peuvent proposer des événements pour ce programme (soumis à modération)."),
    )
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("programme")
        ordering = ["-date_debut"]
        constraints = [models.CheckConstraint(condition=Q(date_fin__gte=F("date_debut")), name="programme_dates")]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("evenements:programme", args=[self.slug])


class Creneau(models.Model):
    """A time slot of a programme holding parallel workshops (Assises): one workshop per person per slot."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="creneaux")
    libelle = models.CharField(_("libellé"), max_length=200)
    debut = models.DateTimeField(_("début"))
    fin = models.DateTimeField(_("fin"))

    class Meta:
        verbose_name = _("créneau d'ateliers parallèles")
        verbose_name_plural = _("créneaux d'ateliers parallèles")
        ordering = ["debut"]

    def __str__(self):
        return f"{self.programme} – {self.libelle}"


class Public(models.Model):
    """Who an event is for (vocabulary: grand public, porteurs de projet, professionnels…)."""

    code = models.SlugField(unique=True)
    libelle = models.CharField(_("libellé"), max_length=120)

    class Meta:
        verbose_name = _("public")
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class TypeEvenement(models.TextChoices):
    """Event types found in the sources (DOMAINE.md §4.3)."""

    CONFERENCE = "conference", _("Conférence")
    TABLE_RONDE = "table_ronde", _("Table ronde")
    FORUM = "forum", _("Forum")
    ATELIER = "atelier", _("Atelier")
    ATELIER_ASSISES = "atelier_assises", _("Atelier des Assises")
    REUNION_ATELIER = "reunion_atelier", _("Réunion d'atelier thématique")
    SEANCE_PLENIERE = "seance_pleniere", _("Séance du Conseil")
    FORMATION = "formation", _("Formation")
    FETE = "fete", _("Fête, festival")
    SALON = "salon", _("Salon, stands")
    RENCONTRE_AFFAIRES = "rencontre_affaires", _("Rencontre d'affaires")
    CONCOURS = "concours", _("Concours, remise de prix")
    CAFE_CREATION = "cafe_creation", _("Café-création")
    VISITE = "visite", _("Visite, itinéraire")
    EXPOSITION = "exposition", _("Exposition")
    PROJECTION_DEBAT = "projection_debat", _("Projection-débat")
    MARCHE = "marche", _("Marché solidaire")
    PORTES_OUVERTES = "portes_ouvertes", _("Portes ouvertes")
    WEBINAIRE = "webinaire", _("Webinaire")
    REUNION_PUBLIQUE = "reunion_publique", _("Réunion publique")
    PLENIERE_PROGRAMME = "sequence", _("Séquence de programme")
    AUTRE = "autre", _("Autre")


# Words taken by fixed routes under /agenda/: an event with one of these slugs would be unreachable.
SLUGS_RESERVES = frozenset({"proposer", "programmes", "perso", "inscriptions", "integrer"})


class EvenementQuerySet(models.QuerySet):
    def publies(self):
        return self.filter(publication=Evenement.Publication.PUBLIE)

    def a_venir(self, maintenant=None):
        return self.filter(fin__gte=maintenant or timezone.now())

    def pour_liste(self):
        """Prefetch what a list or a feed shows, so query counts stay flat."""
        return self.select_related("lieu__commune", "commune", "programme").prefetch_related(
            "structures", "publics", "champs",
        )


class Evenement(index.Indexed, models.Model):
    """A dated thing of the platform's calendar."""

    class Publication(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        A_MODERER = "a_moderer", _("À modérer")
        MODIFICATIONS = "modifications", _("Modifications demandées")
        PUBLIE = "publie", _("Publié")
        REFUSE = "refuse", _("Refusé")

    class Statut(models.TextChoices):
        CONFIRME = "confirme", _("Confirmé")
        A_CONFIRMER = "a_confirmer", _("À confirmer")
        REPORTE = "reporte", _("Reporté")
        COMPLET = "complet", _("Complet")
        ANNULE = "annule", _("Annulé")

    class Mode(models.TextChoices):
        PRESENTIEL = "presentiel", _("Sur place")
        EN_LIGNE = "en_ligne", _("En ligne")
        HYBRIDE = "hybride", _("Sur place et en ligne")

    class Inscription(models.TextChoices):
        LIBRE = "libre", _("Entrée libre")
        CONSEILLEE = "conseillee", _("Inscription conseillée")
        OBLIGATOIRE = "obligatoire", _("Inscription obligatoire")

    class Visibilite(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBRES = "membres", _("Réservé aux membres")

    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), unique=True, max_length=200)
    resume = models.CharField(_("résumé"), max_length=300, blank=True)
    description = TexteRiche(_("description"), blank=True)
    type = models.CharField(_("type d'événement"), max_length=30, choices=TypeEvenement.choices,
                            default=TypeEvenement.AUTRE)
    # Times: `fin` is exclusive. For an all-day event they are local midnights (Europe/Paris).
    debut = models.DateTimeField(_("début"), db_index=True)
    fin = models.DateTimeField(_("fin"), db_index=True)
    journee_entiere = models.BooleanField(_("journée(s) entière(s)"), default=False)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.PRESENTIEL)
    lieu = models.ForeignKey(Lieu, on_delete=models.PROTECT, null=True, blank=True, related_name="evenements",
                             verbose_name=_("lieu"))
    precision_lieu = models.CharField(_("précision sur le lieu"), max_length=300, blank=True,
                                      help_text=_("Salle, point de rendez-vous, ou adresse si le lieu n'est pas "
                                                  "dans la liste."))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="evenements",
                                verbose_name=_("commune"))
    lien_en_ligne = models.URLField(_("lien de connexion"), blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="evenements", verbose_name=_("programme"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="sequences",
                               verbose_name=_("événement parent"))
    creneau = models.ForeignKey(Creneau, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="evenements", verbose_name=_("créneau"))
    structures = models.ManyToManyField(Structure, blank=True, related_name="evenements",
                                        verbose_name=_("structures organisatrices"))
    organisateurs_texte = models.CharField(_("autres organisateurs"), max_length=300, blank=True)
    intervenants = models.TextField(_("intervenant·e·s, présidence"), blank=True)
    publics = models.ManyToManyField(Public, blank=True, related_name="evenements", verbose_name=_("publics"))
    champs = models.ManyToManyField(ChampAction, blank=True, related_name="evenements",
                                    verbose_name=_("champs d'action"))
    gratuit = models.BooleanField(_("gratuit"), default=True)
    tarif = models.CharField(_("tarif"), max_length=120, blank=True,
                             help_text=_("Par exemple « 4 € », « prix libre »."))
    accessibilite = models.CharField(_("accès en fauteuil roulant"), max_length=10, choices=Accessibilite.choices,
                                     default=Accessibilite.INCONNU)
    boucle_magnetique = models.BooleanField(_("boucle magnétique"), default=False)
    interpretation_lsf = models.BooleanField(_("interprétation en langue des signes (LSF)"), default=False)
    sous_titrage = models.BooleanField(_("sous-titrage ou transcription"), default=False)
    facile_a_lire = models.BooleanField(_("supports en FALC (facile à lire et à comprendre)"), default=False)
    infos_accessibilite = models.TextField(_("autres informations d'accessibilité"), blank=True)
    inscription = models.CharField(_("inscription"), max_length=20, choices=Inscription.choices,
                                   default=Inscription.LIBRE)
    inscription_sur_plateforme = models.BooleanField(
        _("inscriptions sur la plateforme"), default=False,
        help_text=_("Les personnes s'inscrivent ici ; une capacité limite les places confirmées."),
    )
    capacite = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    lien_inscription = models.URLField(_("lien d'inscription"), blank=True, max_length=500,
                                       help_text=_("Page d'inscription tenue ailleurs (billetterie, formulaire)."))
    nb_confirmes = models.PositiveIntegerField(_("places confirmées"), default=0, editable=False)
    visibilite = models.CharField(_("visibilité"), max_length=10, choices=Visibilite.choices,
                                  default=Visibilite.PUBLIC)
    publication = models.CharField(_("publication"), max_length=20, choices=Publication.choices,
                                   default=Publication.BROUILLON, db_index=True)
    message_moderation = models.TextField(_("message de modération"), blank=True)
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices, default=Statut.CONFIRME)
    motif_statut = models.CharField(_("motif (public)"), max_length=300, blank=True,
                                    help_text=_("Affiché pour un événement reporté, complet ou annulé."))
    propose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="evenements_proposes", verbose_name=_("proposé par"))
    uid = models.CharField(_("identifiant iCalendar"), max_length=200, unique=True, editable=False)
    # The organiser's own identifier (CSV ``identifiant_externe``, ICS ``UID``): a new import of the same row
    # updates this event instead of creating another one.
    identifiant_externe = models.CharField(_("identifiant externe (import)"), max_length=300, blank=True,
                                           editable=False)
    sequence = models.PositiveIntegerField(_("séquence iCalendar"), default=0, editable=False)
    cree_le = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    modifie_le = models.DateTimeField(_("modifié le"), default=timezone.now, editable=False, db_index=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = EvenementQuerySet.as_manager()

    # The site's search (home/recherche.py): normalised copies of the text (conseil_ess/recherche.py);
    # the search view keeps the events the person may see (filters.evenements_visibles).
    search_fields = [
        index.SearchField("titre_recherche", boost=4),
        index.SearchField("texte_recherche"),
        index.FilterField("id"),  # the search view keeps what the person may see: pk in a subquery
        index.AutocompleteField("titre"),
        index.FilterField("publication"),
        index.FilterField("debut"),
    ]

    # Fields whose change makes calendar apps update the event (RFC 5545 SEQUENCE).
    CHAMPS_SEQUENCE = ("debut", "fin", "journee_entiere", "lieu_id", "precision_lieu", "lien_en_ligne", "statut",
                       "mode")

    class Meta:
        verbose_name = _("événement")
        ordering = ["debut", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fin__gt=F("debut")), name="evenement_fin_apres_debut"),
            models.CheckConstraint(
                condition=Q(capacite__isnull=True) | Q(nb_confirmes__lte=F("capacite")),
                name="evenement_places_confirmees_max_capacite",
            ),
            models.UniqueConstraint(fields=["identifiant_externe"], condition=~Q(identifiant_externe=""),
                                    name="evenement_identifiant_externe_unique"),
        ]
        indexes = [models.Index(fields=["publication", "debut"], name="evenement_pub_debut")]
        permissions = [("moderer_evenement", _("Peut modérer les événements proposés (ex. coordination CRESS)"))]

    def __str__(self):
        return self.titre

    def save(self, *args, **kwargs):
        """Keep the UID stable, and raise SEQUENCE when time, place or status changes."""
        if not self.uid:
            domaine = getattr(settings, "ICAL_DOMAINE_UID", "conseil-ess.example.org")
            self.uid = f"evenement-{uuid.uuid4()}@{domaine}"
        if self.lieu_id and not self.commune_id:
            self.commune_id = Lieu.objects.filter(pk=self.lieu_id).values_list("commune_id", flat=True).first()
        if self.pk:
            ancien = Evenement.objects.filter(pk=self.pk).values(*self.CHAMPS_SEQUENCE).first()
            if ancien and any(ancien[c] != getattr(self, c) for c in self.CHAMPS_SEQUENCE):
                self.sequence += 1
        self.modifie_le = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "modifie_le", "sequence", "commune"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("evenements:detail", args=[self.slug])

    def clean(self):
        if self.slug in SLUGS_RESERVES:
            raise ValidationError({"slug": _("« %(slug)s » est réservé par une page de l'agenda : choisissez un "
                                             "autre identifiant d'adresse.") % {"slug": self.slug}})

    @property
    def est_publie(self):
        return self.publication == self.Publication.PUBLIE

    def titre_recherche(self):
        return normaliser(self.titre)

    def texte_recherche(self):
        return normaliser(self.resume, self.description, self.organisateurs_texte, self.intervenants,
                          self.precision_lieu)

    @property
    def est_annule(self):
        return self.statut == self.Statut.ANNULE

    @property
    def places_restantes(self):
        if self.capacite is None:
            return None
        return max(self.capacite - self.nb_confirmes, 0)


class Inscription(models.Model):
    """A person's registration for an event: confirmed, on the waiting list (FIFO), or cancelled."""

    class Statut(models.TextChoices):
        CONFIRMEE = "confirmee", _("Confirmée")
        ATTENTE = "attente", _("En liste d'attente")
        ANNULEE = "annulee", _("Annulée")

    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="inscriptions")
    # Empty once anonymised (account erased, or event ended long ago: ``donnees_personnelles.py``): the count stays.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="inscriptions")
    # Copied from the event: one active registration per person per slot (Assises) is a DB constraint.
    creneau = models.ForeignKey(Creneau, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    statut = models.CharField(_("statut"), max_length=20, choices=Statut.choices)
    cree_le = models.DateTimeField(_("inscrit·e le"), default=timezone.now, db_index=True)
    promue_le = models.DateTimeField(_("promu·e le"), null=True, blank=True)
    annulee_le = models.DateTimeField(_("annulée le"), null=True, blank=True)
    # Check-in at the door (``evenements/inscrits.py``): set once, by a conditional update (never counted twice);
    # kept on anonymised rows so the number of people present stays for the statistics.
    present_le = models.DateTimeField(_("présent·e le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        ordering = ["cree_le", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evenement", "user"], condition=~Q(statut="annulee"), name="inscription_active_unique",
            ),
            models.UniqueConstraint(
                fields=["creneau", "user"], condition=Q(creneau__isnull=False) & ~Q(statut="annulee"),
                name="inscription_un_atelier_par_creneau",
            ),
        ]

    def __str__(self):
        personne = self.user if self.user_id else _("personne anonymisée")
        return f"{personne} – {self.evenement} ({self.get_statut_display()})"



from .modeles_revisions import RevisionEvenement  # noqa: E402, F401  (issue 18: pending edits of published events)
