"""Bulk import of events from a CSV file or an iCalendar (.ics) file: read, check, preview, then write.

A small dedicated module rather than django-import-export: the preview must show every error with its
line, its column and a French reason, accept the valid rows while listing the others, recognise
near-duplicates and go through ``services`` (``par=``, rules, audit trail) for every write, which
django-import-export's resources (they save models themselves) do not fit without overriding most of them.

``analyser(contenu, nom_fichier, programme)`` reads the file and returns an ``Analyse``: file-level
errors (encoding, size, not a CSV, too many occurrences: nothing may be imported) and one ``Ligne``
per event, each with its errors or, when valid, what the import will do (create, update, leave
unchanged, or flag as a near-duplicate). ``services.importer_evenements`` writes the valid rows.
"""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from stdnum.fr import siret as stdnum_siret

from conseil_ess.comptes.models import ChampAction, Commune, Structure
from conseil_ess.sanitizer import texte_seul

from .models import Accessibilite, Evenement, Lieu, Public, TypeEvenement

PARIS = ZoneInfo("Europe/Paris")

COLONNES = [
    "identifiant_externe", "titre", "resume", "description", "type", "debut", "fin", "journee_entiere", "lieu",
    "adresse", "commune", "lien_en_ligne", "structures", "publics", "champs", "gratuit", "tarif",
    "accessibilite_fauteuil", "boucle_magnetique", "lsf", "sous_titrage", "falc", "inscription",
    "lien_inscription", "capacite",
]
OBLIGATOIRES = ("titre", "debut")
EXEMPLE = {
    "identifiant_externe": "cress-2026-001", "titre": "Ciné-débat « Les communs »", "resume": "Projection suivie "
    "d'un débat.", "description": "Un film, puis un échange avec les coopératrices.", "type": "projection_debat",
    "debut": "14/11/2026 18:30", "fin": "14/11/2026 21:00", "journee_entiere": "non", "lieu": "Cinéma Le Lumière",
    "adresse": "3 place de la Gare", "commune": "Rivebelle", "lien_en_ligne": "",
    "structures": "12345678900011;La Fabrique solidaire", "publics": "grand-public", "champs": "2;5",
    "gratuit": "non", "tarif": "4 €", "accessibilite_fauteuil": "oui", "boucle_magnetique": "oui", "lsf": "non",
    "sous_titrage": "oui", "falc": "non", "inscription": "conseillee", "lien_inscription": "https://exemple.org/",
    "capacite": "80",
}
FORMATS_DATE_HEURE = ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S",
                      "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
FORMATS_DATE = ("%Y-%m-%d", "%d/%m/%Y")
VRAI = {"oui", "o", "vrai", "true", "1", "x", "yes", "y"}
FAUX = {"non", "n", "faux", "false", "0", "no", ""}
# Spreadsheet formulas (CSV injection): a cell starting with one of these is refused.
DEBUTS_FORMULE = ("=", "+", "@", "\t", "\r")
SIGNATURES_BINAIRES = {
    b"PK\x03\x04": "une archive ZIP (ou un classeur Excel/LibreOffice)",
    b"%PDF": "un document PDF",
    b"\xd0\xcf\x11\xe0": "un document Office ancien (.xls, .doc)",
    b"\x1f\x8b": "une archive gzip",
    b"\x89PNG": "une image PNG",
    b"\xff\xd8\xff": "une image JPEG",
}


def taille_max():
    return getattr(settings, "IMPORT_EVENEMENTS_TAILLE_MAX", 5 * 1024 * 1024)


def occurrences_max():
    return getattr(settings, "IMPORT_EVENEMENTS_OCCURRENCES_MAX", 2000)


@dataclass
class Erreur:
    ligne: int
    colonne: str
    message: str


@dataclass
class Ligne:
    """One event read from the file: its values (model fields and relations), or its errors."""

    numero: int
    identifiant_externe: str = ""
    champs: dict = field(default_factory=dict)
    relations: dict = field(default_factory=dict)
    erreurs: list = field(default_factory=list)
    action: str = ""  # "creation", "mise_a_jour", "inchange", "doublon" (set by ``preparer``)
    existant: Evenement | None = None
    doublon_de: Evenement | None = None
    note: str = ""  # why a row is flagged as a near-duplicate of another row of the file

    @property
    def valide(self):
        return not self.erreurs

    @property
    def titre(self):
        return self.champs.get("titre", "")

    def erreur(self, colonne, message):
        self.erreurs.append(Erreur(self.numero, colonne, message))

    @property
    def action_libelle(self):
        return {"creation": _("À créer"), "mise_a_jour": _("À mettre à jour"), "inchange": _("Déjà à jour"),
                "doublon": _("Doublon probable : non créé")}.get(self.action, "")


@dataclass
class Analyse:
    format: str = ""
    erreurs_fichier: list = field(default_factory=list)
    lignes: list = field(default_factory=list)

    @property
    def valides(self):
        return [ligne for ligne in self.lignes if ligne.valide] if not self.erreurs_fichier else []

    @property
    def invalides(self):
        return [ligne for ligne in self.lignes if not ligne.valide]

    @property
    def erreurs(self):
        return [e for ligne in self.lignes for e in ligne.erreurs]

    def nombre(self, action):
        return sum(1 for ligne in self.valides if ligne.action == action)


# --- Reading the file -----------------------------------------------------------------------------


def _lire_texte(contenu, analyse):
    """Decode ``contenu`` (bytes) as UTF-8 with or without BOM; a file-level error otherwise."""
    if len(contenu) > taille_max():
        analyse.erreurs_fichier.append(_(
            "Le fichier pèse %(taille)s Mo : la limite est de %(max)s Mo. Découpez-le en plusieurs fichiers.")
            % {"taille": round(len(contenu) / 1048576, 1), "max": round(taille_max() / 1048576, 1)})
        return None
    if not contenu.strip():
        analyse.erreurs_fichier.append(_("Le fichier est vide."))
        return None
    for signature, nature in SIGNATURES_BINAIRES.items():
        if contenu.startswith(signature):
            analyse.erreurs_fichier.append(_(
                "Ce fichier est %(nature)s, pas un fichier CSV ou iCalendar : enregistrez votre tableau au format "
                "« CSV UTF-8 » puis réessayez.") % {"nature": nature})
            return None
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ligne = contenu[:exc.start].count(b"\n") + 1
        analyse.erreurs_fichier.append(_(
            "Le fichier n'est pas encodé en UTF-8 (caractère illisible à la ligne %(ligne)d) : enregistrez-le au "
            "format « CSV UTF-8 » (LibreOffice : jeu de caractères Unicode UTF-8).") % {"ligne": ligne})
        return None
    if "\x00" in texte:
        analyse.erreurs_fichier.append(_("Le fichier contient des caractères nuls : ce n'est pas un fichier texte."))
        return None
    return texte


def analyser(contenu, nom_fichier="", programme=None):
    """Read ``contenu`` (bytes of a CSV or ICS file) and return its ``Analyse`` (nothing is written)."""
    analyse = Analyse()
    texte = _lire_texte(contenu, analyse)
    if texte is None:
        return analyse
    if nom_fichier.lower().endswith((".ics", ".ical", ".ifb")) or texte.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        analyse.format = "ics"
        _lire_ics(texte, analyse, programme)
    else:
        analyse.format = "csv"
        _lire_csv(texte, analyse, programme)
    if not analyse.erreurs_fichier:
        preparer(analyse)
    return analyse


def _separateur(entete):
    return ";" if entete.count(";") > entete.count(",") else ","


def _lire_csv(texte, analyse, programme):
    premiere = texte.split("\n", 1)[0]
    try:
        lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=_separateur(premiere), strict=True)
        entete = [c.strip().lower() for c in next(lecteur)]
    except (csv.Error, StopIteration):
        analyse.erreurs_fichier.append(_("La première ligne du fichier (l'en-tête) est illisible."))
        return
    inconnues = [c for c in entete if c and c not in COLONNES]
    manquantes = [c for c in OBLIGATOIRES if c not in entete]
    if inconnues or manquantes:
        if inconnues:
            analyse.erreurs_fichier.append(_("Colonnes inconnues : %(colonnes)s. Les colonnes possibles sont : "
                                             "%(possibles)s.") % {"colonnes": ", ".join(inconnues),
                                                                  "possibles": ", ".join(COLONNES)})
        if manquantes:
            analyse.erreurs_fichier.append(_("Colonnes obligatoires absentes : %(colonnes)s.")
                                           % {"colonnes": ", ".join(manquantes)})
        return
    references = References()
    try:
        for valeurs in lecteur:
            numero = lecteur.line_num
            if not any(v.strip() for v in valeurs):
                continue
            if len(analyse.lignes) >= occurrences_max():
                analyse.erreurs_fichier.append(_(
                    "Le fichier compte plus de %(max)d événements : la limite d'un import est %(max)d. Découpez-le.")
                    % {"max": occurrences_max()})
                return
            ligne = Ligne(numero)
            if len(valeurs) > len(entete):
                ligne.erreur("", _("Cette ligne a %(n)d cellules pour %(m)d colonnes : vérifiez le séparateur et "
                                   "les guillemets.") % {"n": len(valeurs), "m": len(entete)})
            brut = {c: v.strip() for c, v in zip(entete, valeurs, strict=False) if c}
            _convertir(ligne, brut, references, programme)
            analyse.lignes.append(ligne)
    except csv.Error as exc:
        analyse.erreurs_fichier.append(_("Le fichier CSV est mal formé à la ligne %(ligne)d (%(detail)s).")
                                       % {"ligne": lecteur.line_num, "detail": exc})


class References:
    """The vocabularies rows refer to, loaded once per import (flat query count)."""

    def __init__(self):
        self.communes = {}
        for c in Commune.objects.all():
            for cle in (c.nom, c.slug, c.code_insee):
                if cle:
                    self.communes[normaliser(cle)] = c
        # A code (or a number) wins over a label that would normalise to the same words.
        publics = list(Public.objects.order_by("pk"))
        self.publics = {normaliser(p.libelle): p for p in publics}
        self.publics.update({normaliser(p.code): p for p in publics})
        champs = list(ChampAction.objects.order_by("pk"))
        self.champs = {normaliser(cle): c for c in champs for cle in (c.nom, c.libelle_court)}
        self.champs.update({str(c.numero): c for c in champs})
        self.lieux = {(normaliser(lieu.nom), lieu.commune_id): lieu for lieu in Lieu.objects.all()}
        self.structures_siret = {}
        self.structures_nom = {}
        for s in Structure.objects.exclude(statut=Structure.Statut.REFUSEE):
            if s.siret:
                self.structures_siret[s.siret] = s
            self.structures_nom.setdefault(normaliser(s.nom), s)
        self.types = {}
        for code, libelle in TypeEvenement.choices:
            self.types[normaliser(code)] = code
            self.types[normaliser(str(libelle))] = code

    def commune_dans(self, texte):
        """Return the commune whose name appears in ``texte`` (an ICS LOCATION), longest name first."""
        mots = f" {normaliser(texte)} "
        for cle in sorted(self.communes, key=len, reverse=True):
            if len(cle) > 2 and f" {cle} " in mots:
                return self.communes[cle]
        return None


def normaliser(texte):
    """Lower-case, accent-free, punctuation-free words separated by single spaces (comparisons, duplicates)."""
    texte = unicodedata.normalize("NFKD", str(texte or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", texte))


def _booleen(ligne, brut, colonne, defaut=False):
    valeur = brut.get(colonne, "").strip().lower()
    if valeur in VRAI:
        return True
    if valeur in FAUX:
        return defaut if valeur == "" else False
    ligne.erreur(colonne, _("« %(valeur)s » n'est ni oui ni non.") % {"valeur": brut[colonne]})
    return defaut


def _moment(ligne, colonne, valeur, journee_entiere):
    """Parse a Paris date and time (or a date for an all-day event); return an aware datetime or a date."""
    valeur = " ".join(valeur.split())
    for fmt in FORMATS_DATE_HEURE:
        try:
            return datetime.datetime.strptime(valeur, fmt).replace(tzinfo=PARIS)
        except ValueError:
            pass
    for fmt in FORMATS_DATE:
        try:
            return datetime.datetime.strptime(valeur, fmt).date()
        except ValueError:
            pass
    ligne.erreur(colonne, _("Date invalide « %(valeur)s » : écrivez 2026-11-14 18:30 ou 14/11/2026 18:30 (heure "
                            "de Paris).") % {"valeur": valeur})
    return None


def _url(ligne, colonne, valeur):
    if not valeur:
        return ""
    if "://" not in valeur:
        valeur = "https://" + valeur
    try:
        URLValidator(schemes=["http", "https"])(valeur)
    except ValidationError:
        ligne.erreur(colonne, _("Adresse web invalide « %(valeur)s ».") % {"valeur": valeur})
        return ""
    return valeur


def _liste(valeur):
    return [v.strip() for v in re.split(r"[;|]", valeur or "") if v.strip()]


def _texte(ligne, colonne, valeur, longueur):
    """Plain text: markup removed by the one sanitizer, length checked."""
    propre = " ".join(texte_seul(valeur).split()) if valeur else ""
    propre = propre.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    if len(propre) > longueur:
        ligne.erreur(colonne, _("Texte trop long : %(n)d caractères pour %(max)d au plus.")
                     % {"n": len(propre), "max": longueur})
    return propre


def minuit(jour):
    return datetime.datetime.combine(jour, datetime.time(), tzinfo=PARIS)


def _convertir(ligne, brut, references, programme):
    """Fill ``ligne`` from the raw cells of a CSV row (``brut``: column → text)."""
    for colonne, valeur in brut.items():
        if valeur.startswith(DEBUTS_FORMULE):
            ligne.erreur(colonne, _("Cette cellule commence par « %(car)s » : une formule de tableur n'est pas "
                                    "acceptée.") % {"car": valeur[0].replace("\t", "tabulation")})
            brut[colonne] = ""
    ch = ligne.champs
    ligne.identifiant_externe = brut.get("identifiant_externe", "")[:300]
    ch["titre"] = _texte(ligne, "titre", brut.get("titre", ""), 200)
    if not ch["titre"]:
        ligne.erreur("titre", _("Le titre est obligatoire."))
    ch["resume"] = _texte(ligne, "resume", brut.get("resume", ""), 300)
    ch["description"] = brut.get("description", "")
    type_brut = brut.get("type", "")
    ch["type"] = TypeEvenement.AUTRE
    if type_brut:
        ch["type"] = references.types.get(normaliser(type_brut))
        if ch["type"] is None:
            ligne.erreur("type", _("Type d'événement inconnu « %(valeur)s ».") % {"valeur": type_brut})
    journee = _booleen(ligne, brut, "journee_entiere")
    debut = _moment(ligne, "debut", brut["debut"], journee) if brut.get("debut") else None
    if not brut.get("debut"):
        ligne.erreur("debut", _("La date de début est obligatoire."))
    fin = _moment(ligne, "fin", brut["fin"], journee) if brut.get("fin") else None
    if isinstance(debut, datetime.date) and not isinstance(debut, datetime.datetime):
        journee = True
    if journee:
        debut = debut.date() if isinstance(debut, datetime.datetime) else debut
        fin = fin.date() if isinstance(fin, datetime.datetime) else fin
        if debut is not None:
            # The CSV gives the last day (inclusive); the model keeps the exclusive midnight after it.
            fin = minuit((fin or debut) + datetime.timedelta(days=1))
            debut = minuit(debut)
    elif debut is not None and fin is None and "fin" not in {e.colonne for e in ligne.erreurs}:
        ligne.erreur("fin", _("La date de fin est obligatoire (sauf pour une journée entière)."))
    elif isinstance(fin, datetime.date) and not isinstance(fin, datetime.datetime):
        ligne.erreur("fin", _("Indiquez l'heure de fin, ou « oui » dans journee_entiere."))
        fin = None
    _dates(ligne, debut, fin, journee, programme, "fin")
    # Place: a venue of the list when its name matches in the commune, else the text kept as precision.
    commune = None
    if brut.get("commune"):
        commune = references.communes.get(normaliser(brut["commune"]))
        if commune is None:
            ligne.erreur("commune", _("Commune inconnue « %(valeur)s » : écrivez son nom tel qu'il figure dans "
                                      "l'agenda, ou son code INSEE.") % {"valeur": brut["commune"]})
    lien = _url(ligne, "lien_en_ligne", brut.get("lien_en_ligne", ""))
    lieu = references.lieux.get((normaliser(brut.get("lieu", "")), commune.pk if commune else None))
    precision = ", ".join(v for v in (brut.get("lieu", ""), brut.get("adresse", "")) if v) if lieu is None else \
        brut.get("adresse", "") if brut.get("adresse", "") and brut.get("adresse") != lieu.adresse else ""
    sur_place = bool(commune or lieu or precision)
    if not sur_place and not lien and "commune" not in {e.colonne for e in ligne.erreurs}:
        ligne.erreur("commune", _("Indiquez la commune (événement sur place) ou le lien en ligne."))
    elif sur_place and not commune and not lieu:
        ligne.erreur("commune", _("La commune est obligatoire pour un événement sur place."))
    ch["lieu"] = lieu
    ch["commune"] = commune or (lieu.commune if lieu else None)
    ch["precision_lieu"] = _texte(ligne, "adresse", precision, 300)
    ch["lien_en_ligne"] = lien
    ch["mode"] = (Evenement.Mode.HYBRIDE if sur_place else Evenement.Mode.EN_LIGNE) if lien \
        else Evenement.Mode.PRESENTIEL
    ch["programme"] = programme
    # Organisers, publics, champs d'action.
    structures = []
    for valeur in _liste(brut.get("structures", "")):
        compact = re.sub(r"[\s.]", "", valeur)
        if compact.isdigit():
            if len(compact) != 14 or not stdnum_siret.is_valid(compact):
                ligne.erreur("structures", _("SIRET invalide « %(valeur)s » (14 chiffres, clé de contrôle).")
                             % {"valeur": valeur})
                continue
            structure = references.structures_siret.get(compact)
        else:
            structure = references.structures_nom.get(normaliser(valeur))
        if structure is None:
            ligne.erreur("structures", _("Structure inconnue « %(valeur)s » : elle doit d'abord être inscrite sur "
                                         "la plateforme.") % {"valeur": valeur})
        elif structure not in structures:
            structures.append(structure)
    ligne.relations["structures"] = structures
    for colonne, table, libelle in (("publics", references.publics, _("Public inconnu")),
                                    ("champs", references.champs, _("Champ d'action inconnu"))):
        trouves = []
        for valeur in _liste(brut.get(colonne, "")):
            objet = table.get(normaliser(valeur))
            if objet is None:
                ligne.erreur(colonne, f"{libelle} « {valeur} ».")
            elif objet not in trouves:
                trouves.append(objet)
        ligne.relations[colonne] = trouves
    # Price, accessibility, registration.
    ch["gratuit"] = _booleen(ligne, brut, "gratuit", defaut=not brut.get("tarif"))
    ch["tarif"] = _texte(ligne, "tarif", brut.get("tarif", ""), 120)
    acces = normaliser(brut.get("accessibilite_fauteuil", ""))
    ch["accessibilite"] = {"": Accessibilite.INCONNU,
                           "oui": Accessibilite.OUI, "vrai": Accessibilite.OUI, "1": Accessibilite.OUI,
                           "partiel": Accessibilite.PARTIEL, "partielle": Accessibilite.PARTIEL,
                           "non": Accessibilite.NON, "faux": Accessibilite.NON, "0": Accessibilite.NON,
                           "inconnu": Accessibilite.INCONNU, "na": Accessibilite.NON_CONCERNE}.get(acces)
    if ch["accessibilite"] is None:
        ligne.erreur("accessibilite_fauteuil", _("Écrivez oui, partiel, non ou inconnu."))
        ch["accessibilite"] = Accessibilite.INCONNU
    if not sur_place and lien and not acces:
        ch["accessibilite"] = Accessibilite.NON_CONCERNE
    ch["boucle_magnetique"] = _booleen(ligne, brut, "boucle_magnetique")
    ch["interpretation_lsf"] = _booleen(ligne, brut, "lsf")
    ch["sous_titrage"] = _booleen(ligne, brut, "sous_titrage")
    ch["facile_a_lire"] = _booleen(ligne, brut, "falc")
    inscription = normaliser(brut.get("inscription", ""))
    codes = {normaliser(c): c for c in Evenement.Inscription.values}
    codes.update({normaliser(str(lib)): c for c, lib in Evenement.Inscription.choices})
    codes.update({"": Evenement.Inscription.LIBRE, "conseillee": Evenement.Inscription.CONSEILLEE})
    ch["inscription"] = codes.get(inscription)
    if ch["inscription"] is None:
        ligne.erreur("inscription", _("Écrivez libre, conseillee ou obligatoire."))
        ch["inscription"] = Evenement.Inscription.LIBRE
    ch["lien_inscription"] = _url(ligne, "lien_inscription", brut.get("lien_inscription", ""))
    ch["capacite"] = None
    if brut.get("capacite"):
        try:
            ch["capacite"] = int(brut["capacite"].replace(" ", ""))
            if ch["capacite"] < 1:
                raise ValueError
        except ValueError:
            ligne.erreur("capacite", _("Nombre de places invalide « %(valeur)s » : un nombre entier positif.")
                         % {"valeur": brut["capacite"]})
            ch["capacite"] = None
    ch.setdefault("statut", Evenement.Statut.CONFIRME)


def _dates(ligne, debut, fin, journee, programme, colonne_fin):
    ligne.champs["journee_entiere"] = journee
    ligne.champs["debut"], ligne.champs["fin"] = debut, fin
    if debut is None or fin is None:
        return
    if fin <= debut:
        ligne.erreur(colonne_fin, _("La fin est avant le début (ou à la même heure)."))
    if programme is not None:
        jour_debut = debut.astimezone(PARIS).date()
        jour_fin = (fin - datetime.timedelta(microseconds=1)).astimezone(PARIS).date()
        if jour_debut < programme.date_debut or jour_fin > programme.date_fin:
            ligne.erreur("debut", _("Hors des dates du programme « %(programme)s » (du %(du)s au %(au)s).") % {
                "programme": programme.titre, "du": programme.date_debut.strftime("%d/%m/%Y"),
                "au": programme.date_fin.strftime("%d/%m/%Y")})


# --- ICS ------------------------------------------------------------------------------------------


def _numeros_vevent(texte):
    """The line numbers where each VEVENT begins (for error messages)."""
    return [i for i, ligne in enumerate(texte.splitlines(), start=1) if ligne.strip().upper() == "BEGIN:VEVENT"]


def _en_paris(valeur):
    """An ICS DTSTART/DTEND value → (aware datetime, is a date). Floating times are read as Paris time."""
    if isinstance(valeur, datetime.datetime):
        if valeur.tzinfo is None:
            valeur = valeur.replace(tzinfo=PARIS)
        return valeur.astimezone(PARIS), False
    return minuit(valeur), True


def _lire_ics(texte, analyse, programme):
    import icalendar

    try:
        calendrier = icalendar.Calendar.from_ical(texte)
        vevents = list(calendrier.walk("VEVENT"))
    except Exception as exc:  # icalendar raises ValueError, KeyError… on a malformed file
        analyse.erreurs_fichier.append(_("Le fichier iCalendar est mal formé : %(detail)s")
                                       % {"detail": str(exc)[:200]})
        return
    if not vevents:
        analyse.erreurs_fichier.append(_("Le fichier iCalendar ne contient aucun événement (VEVENT)."))
        return
    numeros = _numeros_vevent(texte)
    references = References()
    remplacements = {}  # (uid, occurrence start) → VEVENT with a RECURRENCE-ID
    for index, vevent in enumerate(vevents):
        if vevent.get("recurrence-id") is not None:
            moment = vevent.get("recurrence-id").dt
            if isinstance(moment, datetime.date):
                remplacements[(str(vevent.get("uid", "")), _en_paris(moment)[0])] = (index, vevent)
    for index, vevent in enumerate(vevents):
        if vevent.get("recurrence-id") is not None:
            continue
        numero = numeros[index] if index < len(numeros) else index + 1
        for ligne in _lire_vevent(vevent, numero, references, programme, remplacements, numeros, analyse):
            if len(analyse.lignes) >= occurrences_max():
                analyse.erreurs_fichier.append(_(
                    "Le fichier donne plus de %(max)d événements ou occurrences : la limite d'un import est "
                    "%(max)d. Réduisez la règle de répétition (RRULE) ou découpez le fichier.")
                    % {"max": occurrences_max()})
                return
            analyse.lignes.append(ligne)


def _developper(regle, depart, borne):
    """The occurrences of ``regle`` from ``borne`` on, as aware Paris datetimes. An UNTIL written as a local
    time or a date (common, though RFC 5545 wants UTC with a zoned DTSTART) is read on the Paris wall clock."""
    try:
        for moment in rrulestr(regle, dtstart=depart).xafter(borne - datetime.timedelta(microseconds=1), inc=True):
            yield moment.astimezone(PARIS)
    except ValueError:
        local = depart.astimezone(PARIS).replace(tzinfo=None)
        borne_locale = borne.astimezone(PARIS).replace(tzinfo=None)
        for moment in rrulestr(regle, dtstart=local).xafter(borne_locale - datetime.timedelta(microseconds=1),
                                                             inc=True):
            yield moment.replace(tzinfo=PARIS)


def _lire_vevent(vevent, numero, references, programme, remplacements, numeros, analyse):
    uid = str(vevent.get("uid", "")).strip()
    try:
        debut, jour = _en_paris(vevent.get("dtstart").dt)
    except Exception:  # noqa: BLE001
        ligne = Ligne(numero, uid)
        ligne.erreur("DTSTART", _("Date de début absente ou invalide."))
        yield ligne
        return
    try:
        if vevent.get("dtend") is not None:
            fin, _j = _en_paris(vevent.get("dtend").dt)
        elif vevent.get("duration") is not None:
            fin = debut + vevent.get("duration").dt
        else:
            fin = debut + (datetime.timedelta(days=1) if jour else datetime.timedelta(0))
    except Exception:  # noqa: BLE001
        fin = None
    duree = (fin - debut) if fin is not None else None
    regle = vevent.get("rrule")
    if regle is None:
        yield _ligne_vevent(vevent, numero, uid, debut, fin, jour, references, programme)
        return
    try:
        depart = vevent.get("dtstart").dt
        if isinstance(depart, datetime.datetime) and depart.tzinfo is None:
            depart = depart.replace(tzinfo=PARIS)
        elif not isinstance(depart, datetime.datetime):
            depart = minuit(depart)
        regles = regle if isinstance(regle, list) else [regle]
        exclues = set()
        for liste in (vevent.get("exdate") or []) if isinstance(vevent.get("exdate"), list) else \
                [vevent.get("exdate")] if vevent.get("exdate") is not None else []:
            for d in liste.dts:
                exclues.add(_en_paris(d.dt)[0])
        if programme is not None:
            borne_debut, borne_fin = minuit(programme.date_debut), minuit(programme.date_fin + datetime.timedelta(1))
        else:
            borne_debut, borne_fin = debut, debut + datetime.timedelta(days=366)
        limite = occurrences_max() + 1
        occurrences = []
        for r in regles:
            for moment in _developper(r.to_ical().decode(), depart, borne_debut):
                if moment >= borne_fin or len(occurrences) >= limite:
                    break
                occurrences.append(moment)
    except Exception as exc:  # noqa: BLE001
        ligne = Ligne(numero, uid)
        ligne.erreur("RRULE", _("Règle de répétition illisible : %(detail)s") % {"detail": str(exc)[:200]})
        yield ligne
        return
    for moment in sorted(set(occurrences)):
        if moment in exclues:
            continue
        cle = f"{uid}#{moment.astimezone(datetime.UTC).strftime('%Y%m%dT%H%M%SZ')}"
        if (uid, moment) in remplacements:
            index, autre = remplacements[(uid, moment)]
            try:
                a_debut, a_jour = _en_paris(autre.get("dtstart").dt)
                a_fin = _en_paris(autre.get("dtend").dt)[0] if autre.get("dtend") is not None else a_debut + duree
            except Exception:  # noqa: BLE001
                a_debut, a_jour, a_fin = moment, jour, moment + duree
            yield _ligne_vevent(autre, numeros[index] if index < len(numeros) else numero, cle, a_debut, a_fin,
                                a_jour, references, programme, identifiant=cle)
        else:
            yield _ligne_vevent(vevent, numero, uid, moment, moment + duree if duree is not None else None, jour,
                                references, programme, identifiant=cle)


def _ligne_vevent(vevent, numero, uid, debut, fin, jour, references, programme, identifiant=None):
    ligne = Ligne(numero, (identifiant or uid)[:300])
    if not uid:
        ligne.erreur("UID", _("Cet événement n'a pas d'UID : il ne pourrait pas être mis à jour par un import "
                              "suivant."))
    ch = ligne.champs
    ch["titre"] = _texte(ligne, "SUMMARY", str(vevent.get("summary", "")), 200)
    if not ch["titre"]:
        ligne.erreur("SUMMARY", _("Le titre (SUMMARY) est obligatoire."))
    ch["resume"] = ""
    description = str(vevent.get("description", ""))
    ch["description"] = description
    ch["type"] = TypeEvenement.AUTRE
    categories = vevent.get("categories")
    if categories is not None:
        for liste in categories if isinstance(categories, list) else [categories]:
            for cat in getattr(liste, "cats", []):
                code = references.types.get(normaliser(cat))
                if code:
                    ch["type"] = code
                    break
    if fin is None:
        ligne.erreur("DTEND", _("Date de fin invalide."))
    _dates(ligne, debut, fin, jour, programme, "DTEND")
    lieu_texte = _texte(ligne, "LOCATION", str(vevent.get("location", "")), 300)
    commune = references.commune_dans(lieu_texte) if lieu_texte else None
    url = str(vevent.get("url", "")).strip()
    conference = str(vevent.get("conference", "") or vevent.get("x-google-conference", "")).strip()
    lien = _url(ligne, "CONFERENCE", conference) if conference else ""
    if lieu_texte and commune is None:
        ligne.erreur("LOCATION", _("Commune inconnue dans le lieu « %(lieu)s » : le lieu doit citer une commune "
                                   "de l'agenda.") % {"lieu": lieu_texte})
    elif not lieu_texte and not lien:
        ligne.erreur("LOCATION", _("Le lieu (LOCATION) est obligatoire pour un événement sur place."))
    ch["lieu"] = None
    ch["commune"] = commune
    ch["precision_lieu"] = lieu_texte
    ch["lien_en_ligne"] = lien
    ch["mode"] = (Evenement.Mode.HYBRIDE if lieu_texte else Evenement.Mode.EN_LIGNE) if lien \
        else Evenement.Mode.PRESENTIEL
    ch["programme"] = programme
    ch["gratuit"], ch["tarif"] = True, ""
    ch["accessibilite"] = Accessibilite.NON_CONCERNE if lien and not lieu_texte else Accessibilite.INCONNU
    ch["boucle_magnetique"] = ch["interpretation_lsf"] = ch["sous_titrage"] = ch["facile_a_lire"] = False
    ch["inscription"] = Evenement.Inscription.LIBRE
    ch["lien_inscription"] = _url(ligne, "URL", url) if url else ""
    ch["capacite"] = None
    statut = str(vevent.get("status", "")).upper()
    ch["statut"] = {"CANCELLED": Evenement.Statut.ANNULE, "TENTATIVE": Evenement.Statut.A_CONFIRMER}.get(
        statut, Evenement.Statut.CONFIRME)
    ligne.relations = {"structures": [], "publics": [], "champs": []}
    return ligne


# --- Duplicates and what each row will do ---------------------------------------------------------

CHAMPS_COMPARES = ("titre", "resume", "type", "debut", "fin", "journee_entiere", "mode", "lieu", "commune",
                   "precision_lieu", "lien_en_ligne", "programme", "gratuit", "tarif", "accessibilite",
                   "boucle_magnetique", "interpretation_lsf", "sous_titrage", "facile_a_lire", "inscription",
                   "lien_inscription", "capacite", "statut")


def _differe(evenement, ligne):
    for nom in CHAMPS_COMPARES:
        valeur = ligne.champs.get(nom)
        actuel = getattr(evenement, nom)
        if hasattr(actuel, "pk") or hasattr(valeur, "pk"):
            if getattr(actuel, "pk", None) != getattr(valeur, "pk", None):
                return True
        elif actuel != valeur:
            return True
    if normaliser(texte_seul(evenement.description)) != normaliser(texte_seul(ligne.champs.get("description", ""))):
        return True
    for nom, objets in ligne.relations.items():
        if {o.pk for o in getattr(evenement, nom).all()} != {o.pk for o in objets}:
            return True
    return False


def preparer(analyse):
    """Decide what each valid row does: update the event with its identifier, leave it unchanged, flag a
    near-duplicate (same normalised title, start within one hour, same commune), or create it."""
    vues = {}
    for ligne in analyse.lignes:
        if ligne.identifiant_externe:
            if ligne.identifiant_externe in vues:
                ligne.erreur("identifiant_externe" if analyse.format == "csv" else "UID", _(
                    "Identifiant « %(id)s » déjà utilisé à la ligne %(ligne)d du fichier.")
                    % {"id": ligne.identifiant_externe, "ligne": vues[ligne.identifiant_externe]})
            else:
                vues[ligne.identifiant_externe] = ligne.numero
    valides = [ligne for ligne in analyse.lignes if ligne.valide]
    if not valides:
        return
    existants = {
        e.identifiant_externe: e for e in Evenement.objects.filter(
            identifiant_externe__in=[ligne.identifiant_externe for ligne in valides if ligne.identifiant_externe])
        .prefetch_related("structures", "publics", "champs")
    }
    heure = datetime.timedelta(hours=1)
    debuts = [ligne.champs["debut"] for ligne in valides]
    candidats = list(Evenement.objects.filter(debut__gte=min(debuts) - heure, debut__lte=max(debuts) + heure)
                     .exclude(publication=Evenement.Publication.REFUSE).only("pk", "titre", "slug", "debut",
                                                                             "commune_id", "identifiant_externe"))
    titres = {}
    for e in candidats:
        titres.setdefault(normaliser(e.titre), []).append(e)
    deja = []  # rows of this file that will be created (near-duplicates within the file)
    for ligne in valides:
        existant = existants.get(ligne.identifiant_externe) if ligne.identifiant_externe else None
        if existant is not None:
            ligne.existant = existant
            ligne.action = "mise_a_jour" if _differe(existant, ligne) else "inchange"
            continue
        titre = normaliser(ligne.titre)
        commune_id = ligne.champs["commune"].pk if ligne.champs.get("commune") else None
        proche = next((e for e in titres.get(titre, []) if e.commune_id == commune_id
                       and abs(e.debut - ligne.champs["debut"]) <= heure), None)
        if proche is None:
            proche_ligne = next((autre for autre in deja if normaliser(autre.titre) == titre
                                 and (autre.champs["commune"].pk if autre.champs.get("commune") else None) == commune_id
                                 and abs(autre.champs["debut"] - ligne.champs["debut"]) <= heure), None)
            if proche_ligne is not None:
                ligne.action = "doublon"
                ligne.note = _("Même titre, même commune et début à moins d'une heure que la ligne "
                                       "%(ligne)d.") % {"ligne": proche_ligne.numero}
                continue
        if proche is not None:
            ligne.action, ligne.doublon_de = "doublon", proche
            continue
        ligne.action = "creation"
        deja.append(ligne)


def modele_csv():
    """The CSV template offered for download: the header and one example row (UTF-8 with BOM, ``;``)."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(COLONNES)
    ecrivain.writerow([EXEMPLE[c] for c in COLONNES])
    return "\ufeff" + tampon.getvalue()


__all__ = ["COLONNES", "Analyse", "Erreur", "Ligne", "analyser", "modele_csv", "normaliser", "preparer"]
