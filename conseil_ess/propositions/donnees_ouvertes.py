"""The open data of the proposals (``/donnees/``): public fields only, never drafts nor private notes.

``CHAMPS_CSV`` is the one description of the CSV file: its columns, their type, meaning and example,
read both by the export and by the documentation page, so the two cannot drift apart.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from evenements.donnees_ouvertes import Champ, date_iso  # one description of a field, one date format

from .models import Indicateur, Proposition, Transition, resoudre_liens

CHAMPS_CSV = [
    Champ("reference", _("texte"), _("Référence stable de la proposition, utilisée dans son adresse."), "P-2026-014"),
    Champ("titre", _("texte"), _("Titre de la proposition."), "Une légumerie solidaire"),
    Champ("resume", _("texte"), _("Résumé en deux ou trois phrases."), "Créer une légumerie…"),
    Champ("etat", _("code"), _("État actuel (code stable)."), "en_oeuvre"),
    Champ("etat_libelle", _("texte"), _("État actuel, en clair."), "En cours de mise en œuvre"),
    Champ("champs_action", _("liste"), _("Champs d'action, séparés par « | » (numéro. libellé)."),
          "2. Alimentation durable"),
    Champ("levier", _("texte"), _("Levier de la politique ESS visé, s'il est indiqué."), ""),
    Champ("atelier", _("texte"), _("Atelier thématique qui a travaillé la proposition."), "Alimentation"),
    Champ("communes", _("liste"), _("Communes concernées, séparées par « | »."), "Rivebelle | Port-Aval"),
    Champ("porteurs", _("liste"), _("Structures porteuses et autres porteurs, séparés par « | »."),
          "La Fabrique solidaire"),
    Champ("deposee_le", _("date et heure ISO 8601"), _("Dépôt de la proposition."), "2026-01-12T09:30:00+01:00"),
    Champ("decidee_le", _("date et heure ISO 8601"),
          _("Décision (adoption, non-adoption ou réorientation), vide sinon."), "2026-06-20T18:00:00+02:00"),
    Champ("adoptee_le", _("date et heure ISO 8601"), _("Adoption par le Conseil, vide sinon."),
          "2026-06-20T18:00:00+02:00"),
    Champ("realisee_le", _("date et heure ISO 8601"), _("Réalisation, vide sinon."), ""),
    Champ("etat_depuis", _("date et heure ISO 8601"), _("Date du dernier changement d'état."),
          "2026-07-01T10:00:00+02:00"),
    Champ("motif", _("texte"), _("Motif public d'une réorientation, d'une non-adoption, d'un abandon ou d'un retrait."),
          ""),
    Champ("reorientee_vers", _("texte"), _("Dispositif vers lequel la proposition est réorientée."), ""),
    Champ("fusionnee_dans", _("texte"), _("Référence de la proposition dans laquelle elle a été fusionnée."), ""),
    Champ("elu_responsable", _("texte"), _("Élu·e responsable de la mise en œuvre."), "Nadia Benali"),
    Champ("service_responsable", _("texte"), _("Service chargé de la mise en œuvre."), "Direction de l'ESS"),
    Champ("date_prevue", _("date ISO 8601"), _("Réalisation prévue le."), "2027-03-31"),
    Champ("avancement", _("entier (0 à 100)"), _("Avancement en pourcentage, s'il est renseigné."), "40"),
    Champ("adresse", _("URL"), _("Page publique de la proposition et de son parcours."),
          "https://…/propositions/P-2026-014/"),
]

# The JSON adds, for each proposal, its description and three lists (documented on /donnees/).
CHAMPS_JSON_SUPPLEMENTAIRES = [
    Champ("description", _("texte HTML"), _("Description (HTML nettoyé)."), "<p>…</p>"),
    Champ("parcours", _("liste"), _("Chaque étape : date (ISO 8601 avec décalage horaire), de, vers (codes d'état), "
                                     "instance, commentaire public, lien (libellé et adresse) ou null."),
          '[{"date": "2026-01-12T09:30:00+01:00", "de": "brouillon", "vers": "deposee", …}]'),
    Champ("points_suivi", _("liste"), _("Points de suivi datés : date, texte (HTML nettoyé)."),
          '[{"date": "2026-09-01", "texte": "<p>…</p>"}]'),
    Champ("indicateurs", _("liste"), _("Indicateurs : libellé, unité, valeur de référence, cible, cible en texte, "
                                       "valeurs datées (date, valeur, commentaire)."),
          '[{"libelle": "Repas servis", "valeurs": [{"date": "2026-12-31", "valeur": "1200.00"}]}]'),
]


def propositions_publiques():
    """Return the public proposals with everything the files show, in a fixed number of queries."""
    return (
        Proposition.objects.publiques()
        .select_related("atelier", "responsable_elu", "fusionnee_dans")
        .prefetch_related(
            "champs", "communes", "structures", "points_suivi",
            Prefetch("transitions", queryset=Transition.objects.select_related("atelier", "pleniere")),
            Prefetch("indicateurs", queryset=Indicateur.objects.prefetch_related("valeurs")),
        )
        .order_by("deposee_le", "pk")
    )


def propositions_avec_parcours():
    """Return the public proposals (``propositions_publiques``) with the objects their timelines link to loaded."""
    propositions = list(propositions_publiques())
    resoudre_liens([t for p in propositions for t in p.transitions.all()])
    return propositions


def _porteurs(p):
    porteurs = [s.nom for s in p.structures.all()]
    if p.porteurs_texte:
        porteurs.append(p.porteurs_texte)
    return porteurs


def champs_publics(p, base_url):
    """Return the public fields of ``p`` (the CSV columns), as strings, dates or numbers."""
    return {
        "reference": p.reference,
        "titre": p.titre,
        "resume": p.resume,
        "etat": p.etat,
        "etat_libelle": str(p.get_etat_display()),
        "champs_action": [str(c) for c in p.champs.all()],
        "levier": p.levier,
        "atelier": p.atelier.titre if p.atelier else "",
        "communes": [c.nom for c in p.communes.all()],
        "porteurs": _porteurs(p),
        "deposee_le": date_iso(p.deposee_le),
        "decidee_le": date_iso(p.decidee_le),
        "adoptee_le": date_iso(p.adoptee_le),
        "realisee_le": date_iso(p.realisee_le),
        "etat_depuis": date_iso(p.etat_depuis),
        "motif": p.motif,
        "reorientee_vers": p.dispositif_reorientation,
        "fusionnee_dans": p.fusionnee_dans.reference if p.fusionnee_dans else "",
        "elu_responsable": p.responsable_elu.nom_public if p.responsable_elu else "",
        "service_responsable": p.service_responsable,
        "date_prevue": p.date_prevue.isoformat() if p.date_prevue else "",
        "avancement": p.avancement,
        "adresse": base_url + p.get_absolute_url(),
    }


def _lien(t, base_url):
    """Return what decided the step (a scrutin, an atelier, a plenary) as {libelle, url}, or None."""
    url = t.adresse_lien
    if t.lien_libelle or url:
        if url.startswith("/"):
            url = base_url + url
        return {"libelle": t.lien_libelle, "url": url}
    if t.pleniere is not None:
        return {"libelle": t.pleniere.titre, "url": base_url + t.pleniere.get_absolute_url()}
    if t.atelier is not None:
        return {"libelle": t.atelier.titre, "url": base_url + t.atelier.get_absolute_url()}
    return None


def en_json(p, base_url):
    """Return ``p`` for the JSON file: its public fields, description, timeline, follow-up and indicators."""
    donnees = champs_publics(p, base_url)
    donnees["description"] = p.description
    donnees["parcours"] = [
        {"date": date_iso(t.le), "de": t.de or None, "vers": t.vers, "instance": t.instance,
         "instance_libelle": str(t.get_instance_display()), "commentaire": t.commentaire, "lien": _lien(t, base_url)}
        for t in p.transitions.all()
    ]
    donnees["points_suivi"] = [{"date": s.date.isoformat(), "texte": s.texte} for s in p.points_suivi.all()]
    donnees["indicateurs"] = [
        {"libelle": i.libelle, "unite": i.unite, "valeur_reference": i.valeur_reference, "cible": i.cible,
         "cible_texte": i.cible_texte,
         "valeurs": [{"date": v.date.isoformat(), "valeur": v.valeur, "commentaire": v.commentaire}
                     for v in i.valeurs.all()]}
        for i in p.indicateurs.all()
    ]
    return donnees


def ligne_csv(p, base_url):
    """Return the CSV row of ``p``, in the order of ``CHAMPS_CSV``."""
    donnees = champs_publics(p, base_url)
    ligne = []
    for champ in CHAMPS_CSV:
        valeur = donnees[champ.nom]
        if isinstance(valeur, list):
            valeur = " | ".join(valeur)
        ligne.append("" if valeur is None else valeur)
    return ligne
