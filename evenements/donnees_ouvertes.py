"""The open data of the agenda (``/donnees/evenements.csv`` and ``.json``) and each event's schema.org JSON-LD.

Published public events only, with the same filters as ``/agenda/`` in the query string. ``CHAMPS_CSV`` is
the one description of the CSV file (column, type, meaning, example), read by the export and by the
documentation page ``/donnees/``, as for the proposals (``conseil_ess/propositions/donnees_ouvertes.py``).
"""

import datetime
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from conseil_ess.sanitizer import texte_seul

from .models import Accessibilite, Evenement, TypeEvenement


@dataclass(frozen=True)
class Champ:
    nom: str
    type: str
    sens: str
    exemple: str


def date_iso(moment):
    """``moment`` in ISO 8601 with its Paris offset (``2026-11-14T18:30:00+01:00``), or ""."""
    if moment is None:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _dernier_jour(e):
    return (timezone.localtime(e.fin) - datetime.timedelta(microseconds=1)).date()


CHAMPS_CSV = [
    Champ("identifiant", _("texte"), _("Identifiant stable de l'événement (celui de ses flux iCalendar)."),
          "evenement-…@conseil-ess.example.org"),
    Champ("titre", _("texte"), _("Titre."), "Ciné-débat « Les communs »"),
    Champ("resume", _("texte"), _("Résumé."), "Projection suivie d'un débat."),
    Champ("type", _("code"), _("Type d'événement (code stable)."), "projection_debat"),
    Champ("type_libelle", _("texte"), _("Type d'événement, en clair."), "Projection-débat"),
    Champ("debut", _("date et heure ISO 8601"), _("Début (heure de Paris avec son décalage)."),
          "2026-11-14T18:30:00+01:00"),
    Champ("fin", _("date et heure ISO 8601"), _("Fin."), "2026-11-14T21:00:00+01:00"),
    Champ("journee_entiere", _("booléen"), _("Événement sur une ou plusieurs journées entières."), "false"),
    Champ("statut", _("code"), _("confirme, a_confirmer, reporte, complet ou annule."), "confirme"),
    Champ("motif_statut", _("texte"), _("Motif public d'un report, d'une annulation."), ""),
    Champ("mode", _("code"), _("presentiel, en_ligne ou hybride."), "presentiel"),
    Champ("lieu", _("texte"), _("Lieu et précision (salle, adresse)."), "Cinéma Le Lumière"),
    Champ("adresse", _("texte"), _("Adresse du lieu."), "3 place de la Gare"),
    Champ("commune", _("texte"), _("Commune."), "Rivebelle"),
    Champ("code_insee", _("texte"), _("Code INSEE de la commune."), "99001"),
    Champ("latitude", _("nombre décimal"), _("Latitude du lieu (WGS 84)."), "47.2184"),
    Champ("longitude", _("nombre décimal"), _("Longitude du lieu (WGS 84)."), "-1.5536"),
    Champ("programme", _("texte"), _("Programme (Mois de l'ESS, Assises…)."), "Mois de l'ESS 2026"),
    Champ("organisateurs", _("liste"), _("Structures organisatrices et autres organisateurs, séparés par « | »."),
          "La Fabrique solidaire"),
    Champ("publics", _("liste"), _("Publics, séparés par « | »."), "Grand public"),
    Champ("champs_action", _("liste"), _("Champs d'action, séparés par « | »."), "2. Alimentation durable"),
    Champ("gratuit", _("booléen"), _("Gratuit."), "true"),
    Champ("tarif", _("texte"), _("Tarif s'il est payant."), "4 €"),
    Champ("accessibilite_fauteuil", _("code"), _("oui, partiel, non, na (en ligne) ou inconnu."), "oui"),
    Champ("boucle_magnetique", _("booléen"), _("Boucle magnétique."), "false"),
    Champ("lsf", _("booléen"), _("Interprétation en langue des signes française."), "false"),
    Champ("sous_titrage", _("booléen"), _("Sous-titrage ou transcription."), "false"),
    Champ("falc", _("booléen"), _("Supports en FALC (facile à lire et à comprendre)."), "false"),
    Champ("inscription", _("code"), _("libre, conseillee ou obligatoire."), "conseillee"),
    Champ("lien_inscription", _("URL"), _("Page d'inscription tenue par l'organisateur."), ""),
    Champ("capacite", _("entier"), _("Nombre de places, s'il est limité."), "80"),
    Champ("modifie_le", _("date et heure ISO 8601"), _("Dernière modification."), "2026-10-02T10:00:00+02:00"),
    Champ("adresse_web", _("URL"), _("Page publique de l'événement."), "https://…/agenda/cine-debat/"),
]

CHAMPS_JSON_SUPPLEMENTAIRES = [
    Champ("description", _("texte HTML"), _("Description (HTML nettoyé)."), "<p>…</p>"),
]


def pour_donnees(qs):
    """The events with what the files show, in a fixed number of queries."""
    return qs.select_related("lieu__commune", "commune", "programme").prefetch_related(
        "structures", "publics", "champs").order_by("debut", "pk")


def _organisateurs(e):
    noms = [s.nom for s in e.structures.all()]
    if e.organisateurs_texte:
        noms.append(e.organisateurs_texte)
    return noms


def champs_publics(e, base_url, types=None):
    lieu = e.lieu
    commune = e.commune or (lieu.commune if lieu else None)
    return {
        "identifiant": e.uid,
        "titre": e.titre,
        "resume": e.resume,
        "type": e.type,
        "type_libelle": (types or {}).get(e.type) or str(TypeEvenement(e.type).label),
        "debut": date_iso(e.debut),
        "fin": date_iso(e.fin),
        "journee_entiere": e.journee_entiere,
        "statut": e.statut,
        "motif_statut": e.motif_statut,
        "mode": e.mode,
        "lieu": ", ".join(v for v in ((lieu.nom if lieu else ""), e.precision_lieu) if v),
        "adresse": lieu.adresse if lieu else "",
        "commune": commune.nom if commune else "",
        "code_insee": commune.code_insee if commune else "",
        "latitude": str(lieu.latitude) if lieu and lieu.latitude is not None else "",
        "longitude": str(lieu.longitude) if lieu and lieu.longitude is not None else "",
        "programme": e.programme.titre if e.programme else "",
        "organisateurs": _organisateurs(e),
        "publics": [p.libelle for p in e.publics.all()],
        "champs_action": [str(c) for c in e.champs.all()],
        "gratuit": e.gratuit,
        "tarif": e.tarif,
        "accessibilite_fauteuil": e.accessibilite,
        "boucle_magnetique": e.boucle_magnetique,
        "lsf": e.interpretation_lsf,
        "sous_titrage": e.sous_titrage,
        "falc": e.facile_a_lire,
        "inscription": e.inscription,
        "lien_inscription": e.lien_inscription,
        "capacite": e.capacite,
        "modifie_le": date_iso(e.modifie_le),
        "adresse_web": base_url + e.get_absolute_url(),
    }


def libelles_types():
    """The event types' labels resolved once (lazy labels are slow to hash on every row)."""
    return {code: str(libelle) for code, libelle in TypeEvenement.choices}


def ligne_csv(e, base_url, types):
    donnees = champs_publics(e, base_url, types)
    ligne = []
    for champ in CHAMPS_CSV:
        valeur = donnees[champ.nom]
        if isinstance(valeur, list):
            valeur = " | ".join(valeur)
        elif isinstance(valeur, bool):
            valeur = "true" if valeur else "false"
        ligne.append("" if valeur is None else valeur)
    return ligne


def en_json(e, base_url, types):
    donnees = champs_publics(e, base_url, types)
    donnees["description"] = e.description
    return donnees


# --- schema.org ------------------------------------------------------------------------------------

STATUTS_SCHEMA = {
    Evenement.Statut.ANNULE: "https://schema.org/EventCancelled",
    Evenement.Statut.REPORTE: "https://schema.org/EventPostponed",
}
MODES_SCHEMA = {
    Evenement.Mode.PRESENTIEL: "https://schema.org/OfflineEventAttendanceMode",
    Evenement.Mode.EN_LIGNE: "https://schema.org/OnlineEventAttendanceMode",
    Evenement.Mode.HYBRIDE: "https://schema.org/MixedEventAttendanceMode",
}


def schema_org(e, base_url):
    """The schema.org ``Event`` of ``e`` as a dict (https://schema.org/Event)."""
    url = base_url + e.get_absolute_url()
    if e.journee_entiere:
        debut, fin = timezone.localtime(e.debut).date().isoformat(), _dernier_jour(e).isoformat()
    else:
        debut, fin = date_iso(e.debut), date_iso(e.fin)
    donnees = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.titre,
        "startDate": debut,
        "endDate": fin,
        "eventStatus": STATUTS_SCHEMA.get(e.statut, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": MODES_SCHEMA.get(e.mode, MODES_SCHEMA[Evenement.Mode.PRESENTIEL]),
        "url": url,
        "isAccessibleForFree": e.gratuit,
    }
    description = " ".join(texte_seul(e.description or e.resume).split())
    if description:
        donnees["description"] = description.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    lieux = []
    if e.mode != Evenement.Mode.EN_LIGNE:
        lieu, commune = e.lieu, e.commune or (e.lieu.commune if e.lieu else None)
        adresse = {"@type": "PostalAddress", "addressCountry": "FR"}
        if lieu and lieu.adresse:
            adresse["streetAddress"] = lieu.adresse
        elif e.precision_lieu:
            adresse["streetAddress"] = e.precision_lieu
        if commune:
            adresse["addressLocality"] = commune.nom
        place = {"@type": "Place", "name": (lieu.nom if lieu else e.precision_lieu or (commune.nom if commune else "")),
                 "address": adresse}
        if lieu and lieu.latitude is not None and lieu.longitude is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": float(lieu.latitude),
                            "longitude": float(lieu.longitude)}
        if lieu and lieu.accessibilite == Accessibilite.OUI:
            place["amenityFeature"] = {"@type": "LocationFeatureSpecification", "name": "wheelchairAccessible",
                                       "value": True}
        lieux.append(place)
    if e.mode != Evenement.Mode.PRESENTIEL:
        # The connection link is for registered people only: the event page stands for it.
        lieux.append({"@type": "VirtualLocation", "url": url})
    donnees["location"] = lieux[0] if len(lieux) == 1 else lieux
    organisateurs = [{"@type": "Organization", "name": s.nom,
                      **({"url": base_url + s.get_absolute_url()} if s.est_publique else {})}
                     for s in e.structures.all()]
    if e.organisateurs_texte:
        organisateurs.append({"@type": "Organization", "name": e.organisateurs_texte})
    if organisateurs:
        donnees["organizer"] = organisateurs[0] if len(organisateurs) == 1 else organisateurs
    if not e.gratuit:
        offre = {"@type": "Offer", "url": e.lien_inscription or url, "priceCurrency": "EUR",
                 "description": e.tarif}
        prix = _prix(e.tarif)
        if prix is not None:
            offre["price"] = prix
        donnees["offers"] = offre
    return donnees


def _prix(tarif):
    import re

    nombre = re.search(r"\d+(?:[.,]\d+)?", tarif or "")
    return nombre.group().replace(",", ".") if nombre else None


def balise_json_ld(e, base_url):
    """The ``<script type="application/ld+json">`` of ``e``: <, > and & escaped so no text closes the tag."""
    texte = json.dumps(schema_org(e, base_url), ensure_ascii=False)
    texte = texte.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{texte}</script>')  # noqa: S308 — escaped above
