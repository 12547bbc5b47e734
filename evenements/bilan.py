"""The coordinator's report of a programme (*bilan du Mois de l'ESS*): its published events counted by
commune, type, champ d'action and public; accessibility; online or in person; registrations and fill rate;
organisers and structures involved. A fixed number of queries whatever the number of events.

``bilan(programme)`` returns the figures; the admin page draws them as tables and server-rendered SVG bars
(no script), and ``lignes_csv`` gives the same figures as CSV rows.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from .models import Accessibilite, Evenement, Inscription, TypeEvenement

LARGEUR_BARRE = 300  # SVG units of the longest bar


@dataclass
class Rubrique:
    code: str
    titre: str
    valeurs: list = field(default_factory=list)  # (libellé, nombre)

    @property
    def barres(self):
        """Each value with its bar's width and vertical position, for the SVG chart."""
        plus_grand = max((n for _l, n in self.valeurs), default=0) or 1
        barres = []
        for i, (libelle, n) in enumerate(self.valeurs):
            largeur = round(LARGEUR_BARRE * n / plus_grand, 1)
            barres.append({"libelle": libelle, "nombre": n, "largeur": largeur, "x_nombre": largeur + 266,
                           "y": i * 26})
        return barres

    @property
    def hauteur(self):
        return max(len(self.valeurs), 1) * 26


def _pourcentage(n, total):
    return round(100 * n / total) if total else 0


def bilan(programme):
    evenements = Evenement.objects.publies().filter(programme=programme)
    total = evenements.count()
    types = dict(TypeEvenement.choices)
    rubriques = [
        Rubrique("commune", _("Événements par commune"), [
            (x["commune__nom"] or _("En ligne ou non précisée"), x["n"])
            for x in evenements.values("commune__nom").annotate(n=Count("pk")).order_by("-n", "commune__nom")]),
        Rubrique("type", _("Événements par type"), [
            (str(types.get(x["type"], x["type"])), x["n"])
            for x in evenements.values("type").annotate(n=Count("pk")).order_by("-n", "type")]),
        Rubrique("champ", _("Événements par champ d'action"), [
            (f"{x['champs__numero']}. {x['champs__libelle_court']}" if x["champs__numero"]
             else _("Sans champ d'action"), x["n"])
            for x in evenements.values("champs__numero", "champs__libelle_court").annotate(n=Count("pk", distinct=True))
            .order_by("-n", "champs__numero")]),
        Rubrique("public", _("Événements par public"), [
            (x["publics__libelle"] or _("Sans public précisé"), x["n"])
            for x in evenements.values("publics__libelle").annotate(n=Count("pk", distinct=True))
            .order_by("-n", "publics__libelle")]),
    ]
    chiffres = evenements.aggregate(
        fauteuil=Count("pk", filter=Q(accessibilite=Accessibilite.OUI)),
        lsf=Count("pk", filter=Q(interpretation_lsf=True)),
        falc=Count("pk", filter=Q(facile_a_lire=True)),
        boucle=Count("pk", filter=Q(boucle_magnetique=True)),
        sur_place=Count("pk", filter=Q(mode=Evenement.Mode.PRESENTIEL)),
        en_ligne=Count("pk", filter=Q(mode=Evenement.Mode.EN_LIGNE)),
        hybride=Count("pk", filter=Q(mode=Evenement.Mode.HYBRIDE)),
        annules=Count("pk", filter=Q(statut=Evenement.Statut.ANNULE)),
        gratuits=Count("pk", filter=Q(gratuit=True)),
        places=Sum("capacite", filter=Q(inscription_sur_plateforme=True, capacite__isnull=False)),
        confirmes_limites=Sum("nb_confirmes", filter=Q(inscription_sur_plateforme=True, capacite__isnull=False)),
    )
    inscriptions = Inscription.objects.filter(evenement__in=evenements).aggregate(
        confirmees=Count("pk", filter=Q(statut=Inscription.Statut.CONFIRMEE)),
        attente=Count("pk", filter=Q(statut=Inscription.Statut.ATTENTE)),
        presents=Count("pk", filter=Q(present_le__isnull=False)),
    )
    structures = list(evenements.filter(structures__isnull=False).values_list("structures__nom", flat=True)
                      .distinct().order_by("structures__nom"))
    organisateurs = evenements.exclude(organisateurs_texte="").values("organisateurs_texte").distinct().count()
    acces = Rubrique("acces", _("Accessibilité"), [
        (_("Accessibles en fauteuil roulant"), chiffres["fauteuil"]), (_("Avec interprétation LSF"), chiffres["lsf"]),
        (_("Avec supports FALC"), chiffres["falc"]), (_("Avec boucle magnétique"), chiffres["boucle"])])
    modes = Rubrique("mode", _("Sur place ou en ligne"), [
        (_("Sur place"), chiffres["sur_place"]), (_("En ligne"), chiffres["en_ligne"]),
        (_("Sur place et en ligne"), chiffres["hybride"])])
    places = chiffres["places"] or 0
    return {
        "total": total,
        "rubriques": [*rubriques, acces, modes],
        "parts": [
            (_("Part accessible en fauteuil roulant"), _pourcentage(chiffres["fauteuil"], total)),
            (_("Part avec interprétation LSF"), _pourcentage(chiffres["lsf"], total)),
            (_("Part avec supports FALC"), _pourcentage(chiffres["falc"], total)),
            (_("Part en ligne (entièrement ou en partie)"),
             _pourcentage(chiffres["en_ligne"] + chiffres["hybride"], total)),
        ],
        "annules": chiffres["annules"],
        "gratuits": chiffres["gratuits"],
        "inscriptions_confirmees": inscriptions["confirmees"],
        "inscriptions_attente": inscriptions["attente"],
        "presents": inscriptions["presents"],
        "places": places,
        "taux_remplissage": _pourcentage(chiffres["confirmes_limites"] or 0, places),
        "structures": structures,
        "autres_organisateurs": organisateurs,
    }


def lignes_csv(donnees):
    """The report as CSV rows: (rubrique, libellé, valeur)."""
    lignes = [(_("Total"), _("Événements publiés"), donnees["total"])]
    for rubrique in donnees["rubriques"]:
        lignes += [(rubrique.titre, libelle, n) for libelle, n in rubrique.valeurs]
    lignes += [(_("Parts (%)"), libelle, n) for libelle, n in donnees["parts"]]
    lignes += [
        (_("Inscriptions"), _("Inscriptions confirmées"), donnees["inscriptions_confirmees"]),
        (_("Inscriptions"), _("En liste d'attente"), donnees["inscriptions_attente"]),
        (_("Inscriptions"), _("Présent·e·s (émargement à l'accueil)"), donnees["presents"]),
        (_("Inscriptions"), _("Places offertes (inscription sur la plateforme)"), donnees["places"]),
        (_("Inscriptions"), _("Taux de remplissage (%)"), donnees["taux_remplissage"]),
        (_("Organisation"), _("Structures organisatrices"), len(donnees["structures"])),
        (_("Organisation"), _("Autres organisateurs"), donnees["autres_organisateurs"]),
        (_("Statut"), _("Événements annulés"), donnees["annules"]),
        (_("Tarif"), _("Événements gratuits"), donnees["gratuits"]),
    ]
    lignes += [(_("Structures organisatrices"), nom, "") for nom in donnees["structures"]]
    return lignes
