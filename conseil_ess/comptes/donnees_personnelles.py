"""Personal data: the one registry of what each app holds about a person, and the three rights built on it.

Each app registers its part from its own ``AppConfig.ready()``::

    from conseil_ess.comptes.donnees_personnelles import Rubrique, enregistrer

    enregistrer("propositions", _("Propositions"), exporter=exporter, effacer=effacer,
                conserver=conserver, modeles=(Proposition, Abonnement, …), ordre=ORDRE_PROPOSITIONS)

- ``exporter(user) -> [Rubrique]``: what the part holds about ``user`` (only about them: never another
  person's name or e-mail), with their uploaded files;
- ``effacer(user, par) -> dict``: removes or anonymises it through the app's own services, inside the one
  transaction of ``effacer_compte`` (a failure rolls every part back); returns ``{libellé: nombre}``;
- ``conserver(maintenant, simulation) -> [(libellé, nombre)]`` (optional): the app's retention durations,
  run daily by ``manage.py appliquer_conservation``;
- ``modeles``: the models of the app that point to the user model: ``tests/comptes/test_donnees_personnelles``
  checks that every such model of the project is covered by some part (a new model cannot be forgotten).

The services here: ``exporter_donnees`` (the ZIP of « Mes données »), ``effacer_compte`` (« Supprimer mon
compte », the admin's erasure on request, the retention of inactive accounts) and ``appliquer_conservation``.
Erasure anonymises the user row rather than deleting it: deposited proposals, published minutes and public
votes keep pointing to « Contributeur·rice (compte supprimé) »; the e-mail is freed (a new account may use it).
"""

import io
import json
import os
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import roles
from .journal import consigner

NOM_COMPTE_SUPPRIME = gettext_lazy("Contributeur·rice (compte supprimé)")
DOMAINE_COMPTES_SUPPRIMES = "comptes-supprimes.invalid"

# Places of each app's part in the export (and, reversed, the order of erasure: the higher apps first).
ORDRE_COMPTES = 0
ORDRE_EVENEMENTS = 20
ORDRE_ATELIERS = 30
ORDRE_PROPOSITIONS = 40
ORDRE_SEANCES = 50


@dataclass(frozen=True)
class Rubrique:
    """A titled list of records (``{libellé: valeur}``) and the files that go with them (``(nom, FieldFile)``)."""

    titre: str
    elements: list
    fichiers: list = field(default_factory=list)


@dataclass(frozen=True)
class Partie:
    code: str
    libelle: str
    exporter: Callable
    effacer: Callable
    conserver: Callable | None
    modeles: tuple
    ordre: int


PARTIES = {}


def enregistrer(code, libelle, *, exporter, effacer, conserver=None, modeles=(), ordre=0):
    """Register (or replace) the part ``code`` of the personal data (see the module's docstring)."""
    PARTIES[code] = Partie(code, libelle, exporter, effacer, conserver, tuple(modeles), ordre)


def parties():
    """The registered parts, by ``ordre`` then code."""
    return sorted(PARTIES.values(), key=lambda partie: (partie.ordre, partie.code))


def modeles_couverts():
    return {modele for partie in PARTIES.values() for modele in partie.modeles}


# --- Export -----------------------------------------------------------------------------------------

def _json(valeur):
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, (bool, int, float)) or valeur is None:
        return valeur
    if isinstance(valeur, (list, tuple)):
        return [_json(v) for v in valeur]
    return str(valeur)


def _lisible(valeur):
    if valeur is None or valeur == "":
        return "—"
    if isinstance(valeur, bool):
        return _("oui") if valeur else _("non")
    if isinstance(valeur, datetime):
        return formats.date_format(timezone.localtime(valeur), "j F Y, H:i")
    if isinstance(valeur, date):
        return formats.date_format(valeur, "j F Y")
    if isinstance(valeur, (list, tuple)):
        return ", ".join(str(v) for v in valeur) or "—"
    return str(valeur)


def _nom_fichier(code, fichier, deja):
    base = f"fichiers/{code}/{os.path.basename(fichier.name)}"
    nom, n = base, 1
    while nom in deja:
        racine, extension = os.path.splitext(base)
        nom, n = f"{racine}-{n}{extension}", n + 1
    deja.add(nom)
    return nom


def contenu_export(user):
    """Return (the data as a JSON-ready dict, the same for the HTML page, [(name in the ZIP, FieldFile)])."""
    maintenant = timezone.now()
    donnees = {"genere_le": _json(maintenant), "compte": user.pk, "parties": []}
    page = []
    fichiers, noms = [], set()
    for partie in parties():
        rubriques_json, rubriques_html = [], []
        for rubrique in partie.exporter(user):
            noms_fichiers = []
            for titre_fichier, fichier in rubrique.fichiers:
                nom = _nom_fichier(partie.code, fichier, noms)
                fichiers.append((nom, fichier))
                noms_fichiers.append({"titre": str(titre_fichier), "fichier": nom})
            rubriques_json.append({
                "titre": str(rubrique.titre),
                "elements": [{str(cle): _json(v) for cle, v in element.items()} for element in rubrique.elements],
                "fichiers": noms_fichiers,
            })
            rubriques_html.append({
                "titre": str(rubrique.titre),
                "elements": [[(str(cle), _lisible(v)) for cle, v in element.items()] for element in rubrique.elements],
                "fichiers": noms_fichiers,
            })
        donnees["parties"].append({"code": partie.code, "libelle": str(partie.libelle), "rubriques": rubriques_json})
        page.append({"code": partie.code, "libelle": str(partie.libelle), "rubriques": rubriques_html})
    return donnees, page, fichiers


def exporter_donnees(user, *, par):
    """Return (file name, ZIP bytes) of everything the platform holds about ``user``; recorded in the audit
    trail. ``par``: the person asking (``user`` themselves: rule ``comptes.exporter_donnees``)."""
    from .services import ActionImpossible

    if not (par and par.has_perm("comptes.exporter_donnees", user)):
        raise ActionImpossible(_("Seule la personne concernée peut télécharger ses données."))
    donnees, page, fichiers = contenu_export(user)
    html = render_to_string("comptes/donnees_personnelles/export.html", {
        "parties": page, "genere_le": timezone.now(), "personne": user,
    })
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mes-donnees.json", json.dumps(donnees, ensure_ascii=False, indent=2))
        archive.writestr("mes-donnees.html", html)
        for nom, fichier in fichiers:
            try:
                with fichier.open("rb") as lu:
                    archive.writestr(nom, lu.read())
            except FileNotFoundError:
                archive.writestr(nom + ".absent.txt", _("Ce fichier n'a pas été retrouvé sur le serveur."))
    with transaction.atomic():
        consigner(user, "conseil.donnees.exportees", par, fichiers=len(fichiers))
    nom = f"mes-donnees-conseil-ess-{timezone.localdate():%Y-%m-%d}.zip"
    return nom, tampon.getvalue()


# --- Erasure ----------------------------------------------------------------------------------------

def administrateurs_actifs():
    """The active people able to administer the site: superusers, administrators and agents."""
    return get_user_model().objects.filter(is_active=True, supprime_le__isnull=True).filter(
        Q(is_superuser=True) | Q(groups__name__in=[roles.ADMINISTRATEUR, roles.AGENT])).distinct()


def raison_de_refus(user):
    """Why ``user``'s account may not be erased now (a French sentence), or None."""
    if user.supprime_le is not None:
        return _("Ce compte est déjà supprimé.")
    administrateurs = administrateurs_actifs()
    if administrateurs.filter(pk=user.pk).exists() and not administrateurs.exclude(pk=user.pk).exists():
        return _("Ce compte est le seul compte actif qui peut administrer le site : nommez d'abord une autre "
                 "personne agent·e ou administrateur·rice, puis recommencez.")
    return None


def _anonymiser(user):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"supprime-{user.pk}-{secrets.token_hex(4)}@{DOMAINE_COMPTES_SUPPRIMES}"
    user.nom_affiche = str(NOM_COMPTE_SUPPRIME)
    user.first_name = user.last_name = user.fonction = ""
    user.set_unusable_password()
    user.jeton_agenda = secrets.token_urlsafe()
    user.is_active = user.is_staff = user.is_superuser = False
    user.avertissement_conservation_le = None
    user.supprime_le = timezone.now()
    user.save()  # through the ORM: the signals on ``is_active`` (closing the person's sockets) fire


def effacer_compte(user, *, par, motif=""):
    """Erase ``user``'s account in one transaction: every registered part (higher apps first), then the row
    itself anonymised (e-mail freed). ``par``: the person themselves, an agent (a request by post, with a
    ``motif``) or None (the platform: retention). Returns {code: {libellé: nombre}}."""
    from .services import ActionImpossible

    if par is not None and not par.has_perm("comptes.effacer_compte", user):
        raise ActionImpossible(_("Vous ne pouvez pas supprimer ce compte."))
    if par is not None and par.pk != user.pk and not (motif or "").strip():
        raise ActionImpossible(_("Indiquez le motif de la suppression (la demande reçue)."))
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        raison = raison_de_refus(user)
        if raison:
            raise ActionImpossible(raison)
        bilan = {}
        for partie in reversed(parties()):
            bilan[partie.code] = partie.effacer(user, par) or {}
        _anonymiser(user)
        donnees = {"motif": motif} if motif else {}
        consigner(user, "conseil.compte.efface", par, demande=_demande(user, par), **donnees)
    return bilan


def _demande(user, par):
    if par is None:
        return "conservation"
    return "personne" if par.pk == user.pk else "secretariat"


# --- Retention --------------------------------------------------------------------------------------

def _comptes_non_verifies(maintenant):
    from allauth.account.models import EmailAddress

    limite = maintenant - timedelta(days=settings.CONSERVATION_COMPTE_NON_VERIFIE_JOURS)
    verifies = EmailAddress.objects.filter(verified=True).values("user_id")
    return get_user_model().objects.filter(
        last_login__isnull=True, date_joined__lt=limite, supprime_le__isnull=True, is_staff=False,
        is_superuser=False, emailaddress__isnull=False,
    ).exclude(pk__in=verifies).distinct()


def _derniere_activite():
    return Coalesce("last_login", "date_joined")


def appliquer_conservation(maintenant=None, simulation=False):
    """Apply the retention durations (settings ``CONSERVATION_*``); idempotent. Returns [(libellé, nombre)].

    ``simulation``: count what would be done, change nothing."""
    from .notifications import notifier
    from .services import ActionImpossible

    maintenant = maintenant or timezone.now()
    User = get_user_model()
    bilan = []

    non_verifies = list(_comptes_non_verifies(maintenant))
    if not simulation:
        for user in non_verifies:
            with transaction.atomic():
                consigner(user, "conseil.compte.efface", None, demande="non_verifie")
                user.delete()  # nothing else can point to it: the person never logged in
    bilan.append((_("comptes jamais vérifiés supprimés"), len(non_verifies)))

    actifs = User.objects.filter(is_active=True, supprime_le__isnull=True)
    revenus = actifs.filter(avertissement_conservation_le__isnull=False,
                            last_login__gt=F("avertissement_conservation_le"))
    nb_revenus = revenus.count()
    if not simulation:
        revenus.update(avertissement_conservation_le=None)
    bilan.append((_("avertissements levés (personne revenue)"), nb_revenus))

    limite_preavis = maintenant - timedelta(days=settings.CONSERVATION_PREAVIS_SUPPRESSION_JOURS)
    a_supprimer = actifs.filter(avertissement_conservation_le__lte=limite_preavis).exclude(
        last_login__gt=F("avertissement_conservation_le"))
    supprimes, refuses = 0, 0
    for user in list(a_supprimer):
        if simulation:
            supprimes += raison_de_refus(user) is None
            refuses += raison_de_refus(user) is not None
            continue
        try:
            effacer_compte(user, par=None)
            supprimes += 1
        except ActionImpossible:
            refuses += 1
    bilan.append((_("comptes inactifs supprimés après le préavis"), supprimes))
    if refuses:
        bilan.append((_("comptes inactifs non supprimés (seul·e administrateur·rice)"), refuses))

    limite_inactivite = maintenant - timedelta(days=settings.CONSERVATION_INACTIVITE_JOURS)
    a_avertir = list(actifs.filter(avertissement_conservation_le__isnull=True).annotate(
        activite=_derniere_activite()).filter(activite__lt=limite_inactivite))
    if not simulation:
        jours = settings.CONSERVATION_PREAVIS_SUPPRESSION_JOURS
        echeance = formats.date_format(timezone.localtime(maintenant + timedelta(days=jours)), "j F Y")
        for user in a_avertir:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).update(avertissement_conservation_le=maintenant)
                notifier(
                    user, _("Votre compte sur la plateforme du Conseil de l'ESS sera supprimé le %(date)s")
                    % {"date": echeance},
                    _("Vous ne vous êtes pas connecté·e depuis longtemps. Sans connexion de votre part d'ici le "
                      "%(date)s, votre compte et vos données personnelles seront supprimés. Pour le garder, il "
                      "suffit de vous connecter. Vous pouvez aussi télécharger vos données avant.")
                    % {"date": echeance},
                    url=reverse("comptes:mes_donnees"), courriel=True, obligatoire=True,
                )
                consigner(user, "conseil.compte.averti", None, jours=jours)
    bilan.append((_("comptes inactifs avertis par e-mail"), len(a_avertir)))

    for partie in parties():
        if partie.conserver is not None:
            bilan.extend(partie.conserver(maintenant, simulation))
    return bilan



# --- The part of the comptes app (registered by its ready()) ----------------------------------------

def exporter_comptes(user):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from .categories_notifications import categorie
    from .models import Adhesion, MembreConseil, PreferenceNotification, Structure

    compte = {
        _("Adresse e-mail"): user.email, _("Nom affiché"): user.nom_affiche, _("Prénom"): user.first_name,
        _("Nom"): user.last_name, _("Fonction"): user.fonction, _("Inscrit·e le"): user.date_joined,
        _("Dernière connexion"): user.last_login, _("Compte actif"): user.is_active,
        _("Rôles"): sorted(user.groups.values_list("name", flat=True)),
        _("Flux d'agenda personnel"): _("configuré (adresse secrète, régénérable dans « Mon espace »)"),
    }
    adresses = [{_("Adresse"): a.email, _("Vérifiée"): a.verified, _("Principale"): a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("email")]
    mfa = [{_("Type"): a.get_type_display(), _("Ajoutée le"): a.created_at, _("Dernière utilisation"): a.last_used_at}
           for a in Authenticator.objects.filter(user=user).order_by("created_at")]
    adhesions = [{
        _("Structure"): a.structure.nom, _("Rôle"): a.get_role_display(), _("Statut"): a.get_statut_display(),
        _("Message"): a.message, _("Demandée le"): a.cree_le, _("Décidée le"): a.decide_le,
    } for a in Adhesion.objects.filter(user=user).select_related("structure").order_by("cree_le")]
    creees = [{_("Structure"): s.nom, _("Statut"): s.get_statut_display(), _("Créée le"): s.cree_le}
              for s in Structure.objects.filter(cree_par=user).order_by("cree_le")]
    mandats = [{
        _("Structure"): m.structure.nom, _("Collège"): m.college.nom, _("Statut"): m.get_statut_display(),
        _("Motivation"): m.motivation, _("Affiché·e dans la liste publique"): m.affichage_public,
        _("Demandé le"): m.demande_le, _("Décidé le"): m.decide_le, _("Motif"): m.motif,
    } for m in MembreConseil.objects.filter(user=user).select_related("structure", "college").order_by("demande_le")]
    notifications = [{
        _("Titre"): n.titre, _("Message"): n.message, _("Lien"): n.url,
        _("Rubrique"): str(categorie(n.categorie).libelle),
        _("Reçue le"): n.cree_le, _("Lue le"): n.lue_le,
    } for n in user.notifications.order_by("cree_le")]
    preferences = [{_("Rubrique"): str(categorie(p.categorie).libelle), _("Courriels"): p.get_frequence_display()}
                   for p in PreferenceNotification.objects.filter(user=user).order_by("categorie")]
    return [
        Rubrique(_("Compte et profil"), [compte]),
        Rubrique(_("Adresses e-mail"), adresses),
        Rubrique(_("Double authentification (sans les secrets)"), mfa),
        Rubrique(_("Structures et rôles"), adhesions),
        Rubrique(_("Structures que vous avez déclarées"), creees),
        Rubrique(_("Mandat au Conseil"), mandats),
        Rubrique(_("Notifications"), notifications),
        Rubrique(_("Préférences de notification"), preferences),
    ]


def effacer_comptes(user, par):
    """Memberships removed (a structure left without a référent is flagged to the secrétariat), mandates
    ended, notifications and preferences removed."""
    from wagtail.users.models import UserProfile

    from .models import Adhesion, PreferenceNotification
    from .notifications import notifier
    from .services import _agents, terminer_mandats

    orphelines = []
    for adhesion in Adhesion.objects.select_for_update().filter(user=user).select_related("structure"):
        if adhesion.statut == Adhesion.Statut.ACCEPTEE:
            consigner(adhesion, "conseil.adhesion.quittee", par, structure_id=adhesion.structure_id)
            if adhesion.role == Adhesion.Role.REFERENT and not adhesion.structure.adhesions.filter(
                    role=Adhesion.Role.REFERENT, statut=Adhesion.Statut.ACCEPTEE).exclude(pk=adhesion.pk).exists():
                orphelines.append(adhesion.structure)
    nb_adhesions = Adhesion.objects.filter(user=user).delete()[0]
    for structure in orphelines:
        for agent in _agents().exclude(pk=user.pk):
            notifier(agent, _("La structure « %(nom)s » n'a plus de référent·e") % {"nom": structure.nom},
                     _("Le compte de sa ou son seul·e référent·e a été supprimé : désignez une autre personne "
                       "référente (Structures et territoire › Adhésions)."),
                     url=reverse("wagtailadmin_home"), categorie="structures", courriel=True, urgent=True)
    mandats = terminer_mandats(user, par)
    nb_notifications = user.notifications.all().delete()[0]
    PreferenceNotification.objects.filter(user=user).delete()
    UserProfile.objects.filter(user=user).delete()
    return {_("adhésions"): nb_adhesions, _("structures sans référent·e signalées"): len(orphelines),
            _("mandats terminés"): mandats, _("notifications"): nb_notifications}


def conserver_comptes(maintenant, simulation):
    from .models import Notification

    limite = maintenant - timedelta(days=settings.CONSERVATION_NOTIFICATIONS_LUES_JOURS)
    lues = Notification.objects.filter(lue_le__isnull=False, cree_le__lt=limite)
    nombre = lues.count() if simulation else lues.delete()[0]
    return [(_("notifications lues anciennes supprimées"), nombre)]


def enregistrer_partie_des_comptes():
    """The part of ``comptes`` itself (called by its ``ready()``)."""
    from .models import Adhesion, MembreConseil, Notification, PreferenceNotification, Structure

    enregistrer("comptes", gettext_lazy("Compte, structures et notifications"), exporter=exporter_comptes,
                effacer=effacer_comptes, conserver=conserver_comptes,
                modeles=(Structure, Adhesion, Notification, PreferenceNotification, MembreConseil),
                ordre=ORDRE_COMPTES)
