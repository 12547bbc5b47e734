"""Proposals of the Conseil, from submission to evaluation, and their memory.

Every state change goes through ``workflow.changer_etat``, which writes a ``Transition`` row: the
journal is the public timeline ("la suite donnée") and is never deleted. A proposal is never
hard-deleted by normal actions (withdrawal and abandonment are states).
"""

import os
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from ateliers.models import EXTENSIONS_DOCUMENTS, Atelier, ThematiqueAnnuelle, stockage_prive
from ateliers.validators import valider_taille_document
from conseil_ess.champs import TexteRiche
from conseil_ess.comptes.models import ChampAction, Commune, Structure
from conseil_ess.prechargement import instances_filtrees, lecture_prechargement, lire_ensemble
from conseil_ess.recherche import normaliser
from evenements.models import Evenement


class Etat(models.TextChoices):
    """The lifecycle of DESIGN.md §3 / DOMAINE.md §6, plus withdrawal by the author and merging of duplicates."""

    BROUILLON = "brouillon", _("Brouillon")
    DEPOSEE = "deposee", _("Déposée")
    EN_INSTRUCTION = "en_instruction", _("En instruction")
    REORIENTEE = "reorientee", _("Réorientée")
    EN_ATELIER = "en_atelier", _("En travail en atelier")
    SOUMISE_PLENIERE = "soumise_pleniere", _("Inscrite en séance plénière")
    ADOPTEE = "adoptee", _("Adoptée par le Conseil")
    NON_RETENUE = "non_retenue", _("Non retenue")
    EN_OEUVRE = "en_oeuvre", _("En cours de mise en œuvre")
    REALISEE = "realisee", _("Réalisée")
    EVALUEE = "evaluee", _("Évaluée")
    ABANDONNEE = "abandonnee", _("Abandonnée")
    RETIREE = "retiree", _("Retirée par son auteur·rice")
    FUSIONNEE = "fusionnee", _("Fusionnée avec une autre proposition")


ETATS_FINAUX = frozenset({Etat.REORIENTEE, Etat.NON_RETENUE, Etat.EVALUEE, Etat.ABANDONNEE, Etat.RETIREE,
                          Etat.FUSIONNEE})
# States where the proposal waits for an answer of the Conseil (the dashboard flags the old ones).
ETATS_EN_ATTENTE = frozenset({Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE})
ETATS_ADOPTES = frozenset({Etat.ADOPTEE, Etat.EN_OEUVRE, Etat.REALISEE, Etat.EVALUEE})


class CompteurReference(models.Model):
    """The last number given per year: locked while a reference is drawn (safe under concurrent submissions)."""

    annee = models.PositiveSmallIntegerField(primary_key=True)
    dernier = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de références")

    def __str__(self):
        return f"{self.annee} : {self.dernier}"


class PropositionQuerySet(models.QuerySet):
    def publiques(self):
        """Everything but drafts: a proposal is public from its submission on."""
        return self.exclude(etat=Etat.BROUILLON)

    def cartes(self, debut, fin):
        """The proposals ``debut`` to ``fin`` of this queryset (filtered, in ``Meta.ordering``) with what a card of
        the public list shows (``templatetags/propositions.carte_proposition``), nothing more: as
        ``select_related("atelier").only(*CHAMPS_CARTE, "atelier__titre")`` would read them, by a query written
        around the ORM's WHERE (``instances_filtrees``): compiling the list's query cost a tenth of the public
        list. Their champs and structures then come from ``precharger_cartes``."""
        return instances_filtrees(self, CHAMPS_CARTE, self.model._meta.ordering,
                                  lies=(("a", Atelier, ("titre",), "atelier"),), tranche=(debut, fin))


# The fields of a proposal that its card shows.
CHAMPS_CARTE = ("reference", "titre", "resume", "etat", "porteurs_texte", "deposee_le")


def precharger_cartes(propositions):
    """Give ``propositions`` (a list from ``cartes``) the champs and structures their cards show: one plain
    query each (``conseil_ess.prechargement``), in place of two ``prefetch_related``, sent together
    (``lire_ensemble``)."""
    lire_ensemble(lecture_prechargement(propositions, "champs", ["numero", "libelle_court"]),
                  lecture_prechargement(propositions, "structures", ["nom"]))


class Proposition(index.Indexed, models.Model):
    reference = models.CharField(_("référence"), max_length=20, unique=True, null=True, blank=True,
                                 help_text=_("Donnée au dépôt, par exemple P-2026-014 ; elle ne change plus."))
    titre = models.CharField(_("titre"), max_length=200)
    resume = models.CharField(_("résumé"), max_length=400,
                              help_text=_("Deux ou trois phrases : ce que la proposition change, pour qui."))
    description = TexteRiche(_("description"), blank=True)
    champs = models.ManyToManyField(ChampAction, related_name="propositions", verbose_name=_("champs d'action"))
    levier = models.CharField(_("levier"), max_length=300, blank=True)
    atelier_suggere = models.ForeignKey(Atelier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                        verbose_name=_("atelier suggéré"))
    atelier = models.ForeignKey(Atelier, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="propositions", verbose_name=_("atelier"))
    thematique = models.ForeignKey(ThematiqueAnnuelle, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="propositions", verbose_name=_("thématique annuelle"))
    communes = models.ManyToManyField(Commune, blank=True, related_name="propositions",
                                      verbose_name=_("communes concernées"))
    structures = models.ManyToManyField(Structure, blank=True, related_name="propositions",
                                        verbose_name=_("structures porteuses"))
    porteurs_texte = models.CharField(_("autres porteurs"), max_length=300, blank=True,
                                      help_text=_("Collectif, partenaire ou service qui n'est pas sur la plateforme."))
    directions = models.CharField(_("directions concernées"), max_length=300, blank=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="propositions",
                               verbose_name=_("auteur·rice"))
    etat = models.CharField(_("état"), max_length=20, choices=Etat.choices, default=Etat.BROUILLON, db_index=True)
    etat_depuis = models.DateTimeField(_("dans cet état depuis"), default=timezone.now, db_index=True)
    motif = models.TextField(_("motif public"), blank=True,
                             help_text=_("Raison publique d'une réorientation, d'une non-adoption, d'un abandon "
                                         "ou d'un retrait."))
    dispositif_reorientation = models.CharField(_("dispositif vers lequel elle est réorientée"), max_length=300,
                                                blank=True)
    fusionnee_dans = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="fusionnees", verbose_name=_("fusionnée dans"))
    pleniere = models.ForeignKey(Evenement, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="propositions_inscrites", verbose_name=_("séance plénière"),
                                 limit_choices_to={"type": "seance_pleniere"})
    # Implementation
    responsable_elu = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="propositions_suivies_comme_elu",
                                        verbose_name=_("élu·e responsable"))
    service_responsable = models.CharField(_("service responsable"), max_length=200, blank=True)
    date_prevue = models.DateField(_("réalisation prévue le"), null=True, blank=True)
    avancement = models.PositiveSmallIntegerField(_("avancement (%)"), null=True, blank=True,
                                                  validators=[MaxValueValidator(100)])
    deliberation = models.CharField(_("référence de délibération"), max_length=120, blank=True)
    nature_realisation = models.CharField(_("nature de la réalisation"), max_length=120, blank=True)
    # Evaluation
    constats = TexteRiche(_("constats de l'évaluation"), blank=True)
    recommandations = TexteRiche(_("recommandations"), blank=True)
    proposition_suite = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="issue_de", verbose_name=_("proposition de suite"))
    # Milestones (set by the workflow; the dashboard's medians read them)
    cree_le = models.DateTimeField(_("créée le"), default=timezone.now)
    deposee_le = models.DateTimeField(_("déposée le"), null=True, blank=True, db_index=True)
    decidee_le = models.DateTimeField(_("décision le"), null=True, blank=True)
    adoptee_le = models.DateTimeField(_("adoptée le"), null=True, blank=True)
    realisee_le = models.DateTimeField(_("réalisée le"), null=True, blank=True)
    modifie_le = models.DateTimeField(_("modifiée le"), default=timezone.now)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = PropositionQuerySet.as_manager()

    # The site's search (home/recherche.py): normalised copies of the public text (conseil_ess/recherche.py);
    # the search view keeps public proposals only. Internal notes are another model, never indexed.
    search_fields = [
        index.SearchField("titre_recherche", boost=4),
        index.SearchField("texte_recherche"),
        index.FilterField("id"),  # the search view keeps what the person may see: pk in a subquery
        index.AutocompleteField("titre"),
        index.FilterField("etat"),
    ]

    class Meta:
        verbose_name = _("proposition")
        ordering = ["-deposee_le", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(avancement__isnull=True) | models.Q(avancement__lte=100),
                                   name="proposition_avancement_max_100"),
            models.CheckConstraint(condition=models.Q(etat="brouillon") | models.Q(reference__isnull=False),
                                   name="proposition_reference_des_le_depot"),
        ]
        permissions = [("instruire_proposition", _("Peut instruire les propositions (secrétariat)"))]

    def __str__(self):
        return f"{self.reference} – {self.titre}" if self.reference else self.titre

    def save(self, *args, **kwargs):
        self.modifie_le = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "modifie_le"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.reference:
            return reverse("propositions:detail", args=[self.reference])
        return reverse("propositions:brouillon", args=[self.pk])

    @property
    def est_publique(self):
        return self.etat != Etat.BROUILLON

    def titre_recherche(self):
        return normaliser(self.reference, self.titre)

    def texte_recherche(self):
        """The public text: carriers and follow-up points included (apps.py reindexes when they change)."""
        morceaux = [self.resume, self.description, self.levier, self.porteurs_texte, self.motif,
                    self.nature_realisation, self.constats, self.recommandations]
        if self.pk:
            morceaux += list(self.structures.values_list("nom", flat=True))
            morceaux += list(self.points_suivi.values_list("texte", flat=True))
        return normaliser(*morceaux)

    @property
    def est_finale(self):
        return self.etat in ETATS_FINAUX

    @property
    def est_adoptee(self):
        return self.etat in ETATS_ADOPTES


class Transition(models.Model):
    """One line of a proposal's journal: its public timeline. Never deleted, never edited by normal actions."""

    class Instance(models.TextChoices):
        AUTEUR = "auteur", _("Auteur·rice")
        SECRETARIAT = "secretariat", _("Secrétariat du Conseil")
        ATELIER = "atelier", _("Atelier thématique")
        SEANCE = "seance", _("Séance plénière")
        ELU = "elu", _("Élu·e")

    proposition = models.ForeignKey(Proposition, on_delete=models.PROTECT, related_name="transitions")
    de = models.CharField(_("de"), max_length=20, choices=Etat.choices, blank=True)
    vers = models.CharField(_("vers"), max_length=20, choices=Etat.choices)
    le = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+", verbose_name=_("par"))
    instance = models.CharField(_("instance"), max_length=20, choices=Instance.choices)
    commentaire = models.TextField(_("commentaire public"), blank=True)
    atelier = models.ForeignKey(Atelier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    pleniere = models.ForeignKey(Evenement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What decided it, when not one of the above (e.g. the scrutin of a séance): its label, and the object
    # itself, whose page is found when the timeline is shown (``adresse_lien``). ``lien_url``: an address
    # stored as text, for rows written before the object was kept (and links that are no object).
    lien_libelle = models.CharField(_("décidé par (libellé)"), max_length=200, blank=True)
    lien_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("décidé par (type d'objet)"))
    lien_id = models.PositiveBigIntegerField(_("décidé par (identifiant)"), null=True, blank=True)
    lien = GenericForeignKey("lien_type", "lien_id")
    lien_url = models.CharField(_("décidé par (adresse)"), max_length=300, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("étape du parcours")
        verbose_name_plural = _("journal des propositions")
        ordering = ["le", "pk"]

    def __str__(self):
        return f"{self.proposition} : {self.get_de_display() or '—'} → {self.get_vers_display()}"

    @property
    def adresse_lien(self):
        """The page of what decided the step, built now (so it follows a renamed séance); the stored address
        when no object is linked, or when it no longer exists."""
        objet = self.__dict__["objet_lien"] if "objet_lien" in self.__dict__ else self.lien
        return objet.get_absolute_url() if objet is not None else self.lien_url


def resoudre_liens(transitions):
    """Load the objects linked from ``transitions`` (one query per kind of object) for ``adresse_lien``.

    A linked model may give its queryset a ``pour_adresse()`` method that also loads what its
    ``get_absolute_url`` reads (a scrutin: its séance and the séance's event). Return ``transitions``.
    """
    par_type = defaultdict(list)
    for transition in transitions:
        if transition.lien_type_id is not None:
            par_type[transition.lien_type_id].append(transition)
    for type_id, lignes in par_type.items():
        modele = ContentType.objects.get_for_id(type_id).model_class()
        objets = modele._default_manager.all() if modele is not None else None
        if objets is not None and hasattr(objets, "pour_adresse"):
            objets = objets.pour_adresse()
        trouves = objets.in_bulk({t.lien_id for t in lignes}) if objets is not None else {}
        for transition in lignes:
            transition.objet_lien = trouves.get(transition.lien_id)
    return transitions


class NoteInterne(models.Model):
    """A private note of the staff about a proposal: never shown publicly."""

    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="notes_internes")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    texte = models.TextField(_("note interne"))
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["-cree_le"]

    def __str__(self):
        return self.texte[:60]


class PointSuivi(models.Model):
    """A dated, public follow-up note on an adopted proposal."""

    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="points_suivi")
    date = models.DateField(_("date"))
    texte = TexteRiche(_("point de suivi"))
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("auteur·rice"))
    cree_le = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("point de suivi")
        verbose_name_plural = _("points de suivi")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date} – {self.texte[:60]}"


MAX_INDICATEURS = 3


class Indicateur(models.Model):
    """One of the 0–3 indicators of a proposal (few and light, DOMAINE.md §5)."""

    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField(_("indicateur"), max_length=200)
    unite = models.CharField(_("unité"), max_length=40, blank=True)
    valeur_reference = models.DecimalField(_("valeur de référence"), max_digits=14, decimal_places=2, null=True,
                                           blank=True)
    cible = models.DecimalField(_("cible"), max_digits=14, decimal_places=2, null=True, blank=True)
    cible_texte = models.CharField(_("cible (texte)"), max_length=60, blank=True,
                                   help_text=_("Si la cible ne s'écrit pas en nombre, par exemple « +20 % »."))
    ordre = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("indicateur")
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.libelle


class ValeurIndicateur(models.Model):
    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs")
    date = models.DateField(_("date"))
    valeur = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    commentaire = models.CharField(_("commentaire"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateur")
        ordering = ["date", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicateur", "date"], name="valeur_indicateur_par_date")]

    def __str__(self):
        return f"{self.indicateur} : {self.valeur} ({self.date})"


def chemin_piece_jointe(instance, nom):
    return f"propositions/{timezone.now():%Y}/{os.path.basename(nom)}"


class PieceJointe(models.Model):
    """A file attached to a proposal; public once the proposal is (served by a view, never from MEDIA)."""

    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="pieces_jointes")
    titre = models.CharField(_("titre du document"), max_length=200)
    fichier = models.FileField(_("fichier"), upload_to=chemin_piece_jointe, storage=stockage_prive, max_length=255,
                               validators=[FileExtensionValidator(EXTENSIONS_DOCUMENTS), valider_taille_document])
    ajoute_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["ajoute_le", "pk"]

    def __str__(self):
        return self.titre


class Abonnement(models.Model):
    """A person follows a proposal: each step reaches them (live, and by e-mail per their preference)."""

    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="abonnements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="abonnements")
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("abonnement à une proposition")
        verbose_name_plural = _("abonnements aux propositions")
        constraints = [models.UniqueConstraint(fields=["proposition", "user"], name="abonnement_unique")]

    def __str__(self):
        return f"{self.user} suit {self.proposition}"


class InvitationPortage(models.Model):
    """A structure named as co-carrier by someone who is not its member: kept « à inviter » while the proposal
    is a draft (nobody told), invited from its deposit until one of its référent·e·s accepts (it then joins
    ``Proposition.structures``, the carriers) or refuses (``portage``).
    The states and who decides: ``etats.INVITATION``."""

    class Etat(models.TextChoices):
        A_INVITER = "a_inviter", _("À inviter au dépôt")
        INVITEE = "invitee", _("Invitée")
        ACCEPTEE = "acceptee", _("Acceptée")
        REFUSEE = "refusee", _("Refusée")

    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="invitations_portage")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="invitations_portage")
    etat = models.CharField(_("état"), max_length=20, choices=Etat.choices, default=Etat.INVITEE)
    invite_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("invitée par"))
    cree_le = models.DateTimeField(_("invitée le"), default=timezone.now)
    decide_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("décidée par"))
    decide_le = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation à porter une proposition")
        verbose_name_plural = _("invitations à porter des propositions")
        ordering = ["cree_le", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposition", "structure"], name="invitation_portage_unique")]

    def __str__(self):
        return f"{self.structure} – {self.proposition} ({self.get_etat_display()})"
