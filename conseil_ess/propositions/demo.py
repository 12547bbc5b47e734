"""Load and remove the proposals part of the demo data (DEMO_DATA.md §6–§7). Called by ``manage.py
charger_demo`` after the ateliers (proposals are worked in their ateliers and decided in plenaries).

What it loads:

- the plenary sessions of the Conseil as agenda events (type ``seance_pleniere``): the spring 2026 one
  (held), the autumn 2026 one (upcoming), and the archived plenaries of §6.4 that decided the older
  proposals. They are looked up by slug and only created when missing (the Séances issue attaches its
  séances to them and may own them later);
- the 25 proposals of §7, each walked through the one workflow service (``workflow.changer_etat``) step
  by step, every step dated in the past by the person who would make it (the author submits, the
  secrétariat instructs, assigns and records decisions, the responsible élu·e opens implementation);
- follow-up points, indicators with their target, baseline and dated values, private notes, followers.

References: the workflow draws them at submission. To give the references of DEMO_DATA (the numbers have
gaps: other proposals of those years are not in the demo), the counter of the year is raised to the number
just below before the submission, never lowered; proposals of a year are submitted in the order of their
numbers. On a site that already has real proposals of those years, the demo ones simply get the next
numbers.

No notification and no e-mail: proposals are created with ``is_demo=True`` before their first step, and
the workflow and the follow-up services tell nobody about demo proposals.

``charger`` is idempotent: a demo proposal is found by its title; one that is still in its demo state is
kept (its texts are refreshed), one that someone moved while trying the demo is rebuilt with the same
reference. Without demo accounts (``--sans-utilisateurs``) only the plenaries load: a proposal needs an
author.
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from ateliers.demo import personnes_demo
from ateliers.models import Atelier, ThematiqueAnnuelle
from conseil_ess.comptes.models import ChampAction, Commune, Structure
from evenements.demo import uid_demo
from evenements.models import Evenement, Lieu, Public, TypeEvenement

from . import services, workflow
from .models import Abonnement, CompteurReference, Etat, Indicateur, NoteInterne, PointSuivi, Proposition, Transition

PARIS = ZoneInfo("Europe/Paris")
E = Etat
SECRETARIAT = "U17"  # Thomas Lefebvre-Adam, chargé de mission ESS: instructs and records the decisions
ACHATS = "U18"  # Inès Moreira: the agent of the atelier "achats responsables" (A3)

CODES_ATELIERS = {
    "A1": "ess-quartiers", "A2": "immobilier-tiers-lieux", "A3": "achats-responsables-spaser",
    "A4": "creation-accompagnement", "A5": "initiatives-habitants", "A6": "zero-dechet",
    "A7": "commerce-equitable", "A8": "innovation-sociale-evaluation",
}
CODES_THEMATIQUES = {"T1": "reviser-le-spaser", "T2": "territoire-zero-dechet", "T3": "ess-au-coeur-des-quartiers"}
JOURS_FERIES = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}

PRESIDENCE = ("Présidence : Bernard Oudinot, président de Rivebelle Métropole, et Sylvie Lambertin, maire de "
              "Rivebelle. Animation : Hélène Marceau, vice-présidente en charge de l'ESS, et Claire Vasseur "
              "(CRESS Val-de-Lère). Secrétariat : Thomas Lefebvre-Adam.")

# --- Plenary sessions (DEMO_DATA.md §6.1, §6.3, §6.4) ----------------------------------------------------

PLENIERES = [
    # slug, date, lieu, titre, résumé, description (HTML), présent·e·s (None: upcoming)
    ("pleniere-2021-12", (2021, 12, 9), "hotel-metropole", "Séance plénière du Conseil de l'ESS – décembre 2021",
     "Séance plénière annuelle du Conseil de l'ESS.", "", 97),
    ("pleniere-2022-12", (2022, 12, 8), "hotel-metropole", "Séance plénière du Conseil de l'ESS – décembre 2022",
     "Séance plénière annuelle du Conseil de l'ESS.", "", 112),
    ("pleniere-2023-12", (2023, 12, 7), "hotel-metropole", "Séance plénière du Conseil de l'ESS – décembre 2023",
     "Séance plénière annuelle du Conseil de l'ESS.", "", 103),
    ("pleniere-2024-03", (2024, 3, 28), "hotel-metropole", "Séance plénière du Conseil de l'ESS – mars 2024",
     "Séance plénière de printemps du Conseil de l'ESS.", "", 99),
    ("pleniere-2024-12", (2024, 12, 12), "hotel-metropole", "Séance plénière du Conseil de l'ESS – décembre 2024",
     "Séance plénière d'automne du Conseil de l'ESS.", "", 121),
    ("pleniere-2025-03", (2025, 3, 27), "hotel-metropole", "Séance plénière du Conseil de l'ESS – mars 2025",
     "Séance plénière de printemps du Conseil de l'ESS.", "", 108),
    ("pleniere-2025-12", (2025, 12, 11), "hotel-metropole", "Séance plénière du Conseil de l'ESS – décembre 2025",
     "Séance plénière d'automne du Conseil de l'ESS.", "", 115),
    ("pleniere-2026-03", (2026, 3, 26), "hotel-metropole", "Séance plénière de printemps 2026",
     "Orientations stratégiques 2026–2028, thématiques annuelles et trois propositions soumises au vote.",
     "<p>Au programme : bilan 2025 des propositions et des ateliers, lancement de la révision du SPASER, vote des "
     "orientations stratégiques 2026–2028 et des thématiques annuelles, puis vote sur trois propositions : la "
     "pépinière ESS de la Filature, des objectifs chiffrés d'achats auprès de l'ESS dans le SPASER révisé et la "
     "gratuité des salles métropolitaines pour les associations.</p>"
     "<p>Les votes ont lieu à main levée des participant·e·s présent·e·s.</p>", 104),
    ("pleniere-2026-12", (2026, 12, 10), "halle-aux-grains", "Séance plénière d'automne 2026",
     "Bilan du Mois de l'ESS, point d'étape sur les propositions et vote sur deux propositions de commerce "
     "équitable.",
     "<p>Au programme : bilan du Mois de l'ESS 2026, point d'étape sur les propositions en cours de mise en "
     "œuvre, présentation du projet de SPASER révisé, vote sur la démarche de label « territoire de commerce "
     "équitable » et sur les produits équitables et locaux en restauration collective, préparation des Assises "
     "du 4 février 2027 et premières idées de thématiques 2027.</p>"
     "<p>Séance ouverte à toutes et tous ; l'inscription aide à préparer l'accueil (180 places).</p>", None),
]
PLENIERE_HEURES = ((17, 30), (20, 30))
PUBLICS_PLENIERE = ["structures_ess", "elus_agents", "grand_public"]

# Votes of the spring 2026 plenary (§6.1): pour, contre, abstention.
VOTES = {"P09": (79, 6, 14), "P10": (93, 0, 6), "P11": (21, 58, 20)}

# --- The 25 proposals (DEMO_DATA.md §7) ----------------------------------------------------------------
#
# Dates are (year, month, day) or (year, month, day, hour, minute), local time. Missing intermediate steps are
# filled in as §7 says: instruction one week after submission, atelier one month after, inscription three
# weeks before the plenary. "decision" is the plenary's slug. Texts may name another proposal as {P17}: it
# is replaced by that proposal's reference once drawn.

PROPOSITIONS = [
    {"code": "P01", "ref": (2021, 3), "etat": E.EVALUEE, "auteur": "U8", "structures": ["cress-val-de-lere"],
     "titre": "Exposition itinérante « L'ESS près de chez vous »", "champs": [6], "atelier": "A1",
     "resume": "Une exposition légère, montée en une heure, qui présente des structures de l'ESS de chaque commune "
               "et circule dans les médiathèques, les mairies et les centres sociaux de la métropole.",
     "description": "<p>Beaucoup d'habitant·e·s utilisent chaque jour les services de structures de l'ESS sans "
                    "le savoir. L'exposition présente, commune par commune, des structures proches de chez soi "
                    "et ce qu'elles apportent.</p><p>Proposition issue des échanges de la séance plénière de "
                    "2021 ; l'atelier a précisé le format et le circuit.</p>",
     "communes": ["rivebelle", "lanvallon", "saint-ormel", "montval-sur-lere"], "nature": "Sensibilisation",
     "directions": "Direction de la communication ; service emploi et économie solidaire",
     "depot": (2021, 9, 14, 10, 0), "decision": "pleniere-2021-12",
     "oeuvre": (2022, 2, 1), "responsable": "U10", "service": "Service emploi et économie solidaire",
     "date_prevue": (2024, 6, 30), "realisee": (2024, 6, 30),
     "evaluee": (2025, 3, 27),
     "constats": "<p>L'exposition a circulé dans 19 communes et a été vue par environ 6 400 personnes. La "
                 "fréquentation a été bonne dans les médiathèques, faible dans les mairies.</p>",
     "recommandations": "<p>Privilégier les médiathèques et les événements du Mois de l'ESS ; mettre à jour les "
                        "panneaux tous les deux ans.</p>"},
    {"code": "P02", "ref": (2022, 2), "etat": E.EVALUEE, "auteur": "U9", "structures": ["pole-ess-rivebelle"],
     "porteurs": "Direction de la commande publique (Rivebelle Métropole)",
     "titre": "Former les acheteurs publics aux clauses d'insertion", "champs": [5], "atelier": "A3",
     "agent": ACHATS,
     "resume": "Un module de formation d'une journée pour les acheteurs de la Métropole et des communes : écrire "
               "une clause d'insertion, connaître l'offre locale des structures d'insertion, suivre les heures.",
     "description": "<p>Les clauses d'insertion restent concentrées sur les marchés de travaux. Les acheteurs "
                    "disent manquer de méthode pour les marchés de services. La formation, co-animée par le "
                    "facilitateur de clauses et des structures d'insertion, s'appuie sur des cas réels.</p>",
     "communes": [], "nature": "Formation des agents", "directions": "Direction de la commande publique",
     "depot": (2022, 4, 5, 9, 30), "decision": "pleniere-2022-12",
     "oeuvre": (2023, 1, 16), "responsable": "U10", "service": "Direction de la commande publique",
     "date_prevue": (2024, 12, 31), "realisee": (2024, 12, 13),
     "evaluee": (2025, 12, 11), "suite": "P10",
     "constats": "<p>92 agents formés pour une cible de 80. Les heures d'insertion dans les marchés "
                 "métropolitains sont passées de 118 000 en 2022 à 151 000 en 2025.</p>",
     "recommandations": "<p>Inscrire des objectifs chiffrés d'achats auprès de l'ESS dans le SPASER révisé : "
                        "c'est l'objet de la proposition {P10}.</p>"},
    {"code": "P03", "ref": (2023, 4), "etat": E.REALISEE, "auteur": "U9",
     "structures": ["pole-ess-rivebelle", "cress-val-de-lere"],
     "titre": "Annuaire en ligne des fournisseurs de l'ESS pour les acheteurs", "champs": [5], "atelier": "A3",
     "agent": ACHATS,
     "resume": "Un annuaire en ligne, tenu à jour par la CRESS, où les acheteurs publics trouvent les structures "
               "de l'ESS du territoire par famille d'achats, avec leurs références et leurs agréments.",
     "description": "<p>Les acheteurs ne connaissent pas l'offre locale. L'annuaire recense les structures par "
                    "famille d'achats et indique leurs agréments (SIAE, entreprise adaptée, ESUS).</p>",
     "communes": [], "nature": "Outil", "directions": "Direction de la commande publique",
     "depot": (2023, 3, 14, 11, 0), "decision": "pleniere-2023-12",
     "oeuvre": (2024, 2, 5), "responsable": "U10", "service": "Direction de la commande publique",
     "date_prevue": (2025, 6, 30), "realisee": (2025, 9, 15)},
    {"code": "P04", "ref": (2024, 1), "etat": E.REALISEE, "auteur": "U8", "structures": ["cress-val-de-lere"],
     "titre": "Une place pour la CRESS au comité de pilotage de la stratégie économique", "champs": [6],
     "atelier": "A8",
     "resume": "Que la chambre régionale de l'ESS siège au comité de pilotage de la stratégie de développement "
               "économique de la Métropole, pour que l'ESS y soit prise en compte dès le départ.",
     "description": "<p>Proposition issue de la séance plénière de décembre 2023 ; l'atelier a précisé le rôle "
                    "attendu de la CRESS et la fréquence des comités.</p>",
     "communes": [], "nature": "Gouvernance",
     "directions": "Direction du développement économique et de l'attractivité",
     "depot": (2024, 1, 10, 10, 0), "decision": "pleniere-2024-03",
     "oeuvre": (2024, 5, 2), "responsable": "U11",
     "service": "Direction du développement économique et de l'attractivité", "date_prevue": (2024, 10, 31),
     "realisee": (2024, 10, 1), "deliberation": "Délibération n° 2024-10-117 du conseil métropolitain"},
    {"code": "P05", "ref": (2024, 7), "etat": E.EN_OEUVRE, "auteur": "U5", "structures": ["panier-commun"],
     "titre": "Groupement d'achat alimentaire aux Tanneurs", "champs": [6, 2], "atelier": "A1",
     "thematique": "T3", "atelier_le": (2024, 10, 1),
     "resume": "Permettre aux familles du quartier des Tanneurs d'acheter ensemble des produits de qualité à prix "
               "coûtant, avec des permanences tenues par des habitants bénévoles et un local prêté par le bailleur.",
     "description": "<p>Le Panier Commun réunit déjà une trentaine de foyers. Pour grandir, le groupement a "
                    "besoin d'un local au pied des immeubles, d'une aide au démarrage et d'un lien avec les "
                    "producteurs de la ceinture maraîchère.</p>",
     "communes": ["rivebelle"], "nature": "Dispositif", "directions": "Direction de la politique de la ville",
     "depot": (2024, 9, 17, 18, 30), "decision": "pleniere-2024-12",
     "oeuvre": (2025, 3, 3), "responsable": "U10", "service": "Direction de la politique de la ville",
     "date_prevue": (2026, 12, 31)},
    {"code": "P06", "ref": (2025, 1), "etat": E.EN_OEUVRE, "auteur": ACHATS, "structures": ["tremplin-services"],
     "porteurs": "Direction de la commande publique (Rivebelle Métropole)",
     "titre": "Réserver des lots d'entretien des espaces verts aux structures d'insertion", "champs": [5],
     "atelier": "A3", "agent": ACHATS, "thematique": "T1",
     "resume": "Dans le prochain marché d'entretien des espaces verts, réserver des lots aux structures "
               "d'insertion par l'activité économique, avec des lots à la taille de leurs équipes.",
     "description": "<p>Le marché d'entretien des espaces verts arrive à échéance fin 2025. Des lots réservés "
                    "permettraient à des structures d'insertion comme Tremplin Services d'y répondre.</p>",
     "communes": ["lanvallon", "sablons-la-riviere"], "nature": "Marché public",
     "directions": "Commande publique ; espaces verts",
     "depot": (2025, 1, 20, 14, 0), "decision": "pleniere-2025-03",
     "oeuvre": (2025, 6, 2), "responsable": "U10", "service": "Direction de la commande publique",
     "date_prevue": (2026, 12, 31)},
    {"code": "P07", "ref": (2024, 9), "etat": E.EN_OEUVRE, "auteur": "U3", "structures": ["ressourcerie-lere"],
     "titre": "Collecte et réemploi des textiles en service d'intérêt économique général", "champs": [5, 4],
     "atelier": "A6", "thematique": "T2", "atelier_le": (2024, 11, 5),
     "resume": "Confier la collecte et le réemploi des textiles de la métropole à des structures de l'ESS, dans "
               "le cadre d'un service d'intérêt économique général, plutôt que par un marché classique.",
     "description": "<p>Le service d'intérêt économique général permet de rémunérer une mission de service "
                    "public tout en reconnaissant son utilité sociale : emplois en insertion, réemploi local.</p>",
     "communes": ["bois-clair"], "nature": "Dispositif", "directions": "Direction de la gestion des déchets",
     "depot": (2024, 10, 8, 10, 30), "decision": "pleniere-2025-03",
     "oeuvre": (2025, 11, 3), "responsable": "U13", "service": "Direction de la gestion des déchets",
     "date_prevue": (2027, 6, 30)},
    {"code": "P08", "ref": (2025, 2), "etat": E.EN_OEUVRE, "auteur": "U9",
     "structures": ["fondation-rives-solidaires", "pole-ess-rivebelle"],
     "titre": "Fonds de micro-subventions pour les initiatives d'habitants", "champs": [2, 6], "atelier": "A5",
     "atelier_le": (2025, 3, 3),
     "resume": "Un petit fonds, abondé par la Métropole et la Fondation Rives Solidaires, qui finance en moins "
               "d'un mois des initiatives collectives d'habitant·e·s de quelques centaines d'euros.",
     "description": "<p>Les collectifs d'habitants renoncent souvent faute d'un financement rapide et simple. "
                    "Un comité mixte d'habitants et de structures décide sur un dossier d'une page.</p>",
     "communes": ["rivebelle", "lanvallon", "port-sainte-aude"], "nature": "Dispositif de financement",
     "directions": "Service emploi et économie solidaire ; direction de la politique de la ville",
     "depot": (2025, 2, 11, 9, 0), "decision": "pleniere-2025-12",
     "oeuvre": (2026, 2, 2), "responsable": "U10", "service": "Service emploi et économie solidaire",
     "date_prevue": (2026, 12, 31)},
    {"code": "P09", "ref": (2025, 5), "etat": E.ADOPTEE, "auteur": "U9", "structures": ["fabrique-des-communs"],
     "titre": "Pépinière ESS dans l'ancienne Filature de Port-Sainte-Aude", "champs": [3], "atelier": "A2",
     "atelier_le": (2025, 6, 10), "soumise": (2026, 3, 2),
     "resume": "Aménager dans l'ancienne Filature une pépinière pour les jeunes structures de l'ESS : bureaux à "
               "loyer progressif, accompagnement et services partagés avec le tiers-lieu.",
     "description": "<p>La Fabrique des Communs occupe déjà une partie de la Filature. Une aile reste vacante : "
                    "elle pourrait accueillir une dizaine de structures pendant leurs trois premières années.</p>",
     "communes": ["port-sainte-aude"], "directions": "Service immobilier d'entreprises",
     "depot": (2025, 5, 12, 10, 0), "decision": "pleniere-2026-03"},
    {"code": "P10", "ref": (2025, 9), "etat": E.ADOPTEE, "auteur": "U9", "structures": ["pole-ess-rivebelle"],
     "titre": "Objectifs chiffrés d'achats auprès de l'ESS dans le SPASER révisé", "champs": [5],
     "atelier": "A3", "agent": ACHATS, "thematique": "T1", "atelier_le": (2025, 10, 14), "soumise": (2026, 3, 2),
     "resume": "Inscrire dans le schéma de promotion des achats responsables révisé des objectifs chiffrés et "
               "suivis chaque année : part des achats auprès de l'ESS, lots réservés, heures d'insertion.",
     "description": "<p>Le SPASER actuel affiche des intentions sans objectifs mesurables. L'atelier propose "
                    "trois objectifs, suivis chaque année et présentés en séance plénière.</p>",
     "communes": [], "nature": "Document-cadre (SPASER)", "directions": "Direction de la commande publique",
     "depot": (2025, 9, 23, 11, 0), "decision": "pleniere-2026-03"},
    {"code": "P11", "ref": (2025, 11), "etat": E.NON_RETENUE, "auteur": "U3", "structures": [],
     "porteurs": "Collectif associatif de Rivebelle",
     "titre": "Gratuité des salles métropolitaines pour toutes les associations", "champs": [3], "atelier": "A2",
     "atelier_le": (2025, 12, 9), "soumise": (2026, 3, 2),
     "resume": "Rendre gratuites, pour toutes les associations, les salles de réunion et de réception gérées "
               "par la Métropole.",
     "description": "<p>Le collectif demande la gratuité des salles pour toutes les associations, quel que soit "
                    "l'usage, afin de ne pas pénaliser les plus petites.</p>",
     "communes": ["rivebelle"], "directions": "Direction du patrimoine",
     "depot": (2025, 11, 4, 20, 0), "decision": "pleniere-2026-03",
     "motif": "Coût jugé non soutenable ; l'atelier travaille plutôt sur une grille de loyers modérés "
              "(voir {P17})."},
    {"code": "P12", "ref": (2026, 2), "etat": E.SOUMISE_PLENIERE, "auteur": "U8",
     "structures": ["terre-et-echanges"],
     "titre": "Engager la Métropole dans une démarche de label « territoire de commerce équitable »",
     "champs": [6], "atelier": "A7", "atelier_le": (2026, 6, 3), "soumise": (2026, 11, 20),
     "resume": "Engager la Métropole dans la démarche de labellisation « territoire de commerce équitable » : "
               "achats de la collectivité, sensibilisation des habitant·e·s et soutien aux boutiques.",
     "description": "<p>La démarche de label fixe des critères progressifs : produits équitables dans les "
                    "achats, actions de sensibilisation, comité de pilotage avec les acteurs.</p>",
     "communes": [], "directions": "Direction de la commande publique ; direction de la communication",
     "depot": (2026, 2, 16, 10, 0), "pleniere": "pleniere-2026-12"},
    {"code": "P13", "ref": (2026, 3), "etat": E.SOUMISE_PLENIERE, "auteur": "U7",
     "structures": ["terre-et-echanges", "repas-solidaires"], "thematique": "T1",
     "titre": "Des produits équitables et locaux dans la restauration collective", "champs": [5],
     "atelier": "A7", "atelier_le": (2026, 6, 3), "soumise": (2026, 11, 20),
     "resume": "Introduire des produits issus du commerce équitable, international et local, dans les cantines "
               "et les restaurants administratifs, avec un objectif progressif sur trois ans.",
     "description": "<p>Café, chocolat, sucre et bananes pour le commerce équitable international ; légumes et "
                    "produits laitiers des filières locales équitables.</p>",
     "communes": ["rivebelle", "villeneuve-des-coteaux"], "directions": "Éducation ; restauration collective",
     "depot": (2026, 3, 2, 14, 0), "pleniere": "pleniere-2026-12"},
    {"code": "P14", "ref": (2026, 4), "etat": E.EN_ATELIER, "auteur": "U1",
     "structures": ["fondation-rives-solidaires"], "porteurs": "Collectif d'habitants des Hauts-de-Lanvallon",
     "titre": "Un budget participatif « ESS de quartier » à Lanvallon", "champs": [6], "atelier": "A5",
     "thematique": "T3", "atelier_le": (2026, 4, 30),
     "resume": "Un budget participatif réservé aux projets d'ESS portés par des habitant·e·s des "
               "Hauts-de-Lanvallon, choisis par un vote ouvert aux habitant·e·s du quartier.",
     "description": "<p>Le collectif d'habitants propose une première édition de 30 000 euros, avec un "
                    "accompagnement des porteurs de projets par la Fondation Rives Solidaires.</p>",
     "communes": ["lanvallon"], "directions": "Direction de la politique de la ville",
     "depot": (2026, 4, 7, 19, 0)},
    {"code": "P15", "ref": (2026, 5), "etat": E.EN_ATELIER, "auteur": "U7", "structures": ["repas-solidaires"],
     "titre": "Zéro gaspillage dans les cantines scolaires", "champs": [4], "atelier": "A6", "thematique": "T2",
     "instruction": (2026, 4, 30), "atelier_le": (2026, 5, 5),
     "resume": "Mesurer le gaspillage dans les cantines scolaires, adapter les portions et les menus avec les "
               "enfants, et donner les surplus à des structures de l'aide alimentaire.",
     "description": "<p>Une pesée des restes dans trois écoles pilotes, puis des menus ajustés et un circuit de "
                    "dons. La proposition a été discutée lors de la séance ouverte du 16 novembre 2026.</p>",
     "communes": ["villeneuve-des-coteaux"], "directions": "Éducation ; restauration",
     "depot": (2026, 4, 28, 11, 0)},
    {"code": "P16", "ref": (2026, 6), "etat": E.EN_ATELIER, "auteur": "U8", "structures": ["lere-active"],
     "porteurs": "Laboratoire d'économie sociale de l'université de Rivebelle",
     "titre": "Une méthode simplifiée de mesure d'impact pour les petites associations", "champs": [4],
     "atelier": "A8", "atelier_le": (2026, 5, 26),
     "resume": "Construire avec des chercheurs une méthode de mesure d'impact en trois indicateurs, que les "
               "petites associations peuvent renseigner en moins d'une heure par an.",
     "description": "<p>Les méthodes existantes demandent des moyens que les petites structures n'ont pas. "
                    "Lère Active et le laboratoire testeront la méthode avec dix associations.</p>",
     "communes": [], "directions": "Service emploi et économie solidaire", "depot": (2026, 5, 12, 9, 30)},
    {"code": "P17", "ref": (2026, 7), "etat": E.EN_ATELIER, "auteur": "U9", "structures": ["pole-ess-rivebelle"],
     "titre": "Loyers modérés dans les rez-de-chaussée vacants des bailleurs sociaux", "champs": [3],
     "atelier": "A2", "atelier_le": (2026, 5, 13),
     "resume": "Ouvrir aux structures de l'ESS les rez-de-chaussée vacants des bailleurs sociaux, avec une "
               "grille de loyers modérés et des baux adaptés aux jeunes structures.",
     "description": "<p>Piste retenue par l'atelier après la proposition de gratuité des salles, non retenue : "
                    "une grille de loyers modérés plutôt qu'une gratuité générale.</p>",
     "communes": ["rivebelle", "port-sainte-aude"], "directions": "Direction de l'habitat",
     "depot": (2026, 4, 14, 17, 0)},
    {"code": "P18", "ref": (2026, 10), "etat": E.EN_INSTRUCTION, "auteur": "U6",
     "structures": ["lere-active", "cooperative-ouvrage"],
     "titre": "Un guichet unique d'orientation des porteurs de projet ESS", "champs": [1],
     "atelier_suggere": "A4", "instruction": (2026, 10, 13),
     "resume": "Un point d'entrée unique, physique et en ligne, qui oriente chaque porteur de projet de l'ESS "
               "vers le bon accompagnement et le bon financement, sans doublon entre dispositifs.",
     "description": "<p>Les porteurs de projet frappent à plusieurs portes avant de trouver le bon "
                    "interlocuteur. Le guichet s'appuierait sur les structures d'accompagnement existantes.</p>",
     "communes": ["rivebelle"], "directions": "Direction du développement économique et de l'attractivité",
     "depot": (2026, 10, 5, 10, 0)},
    {"code": "P19", "ref": (2026, 12), "etat": E.EN_INSTRUCTION, "auteur": "U8",
     "structures": ["cress-val-de-lere"], "atelier_suggere": "A8",
     "titre": "Un·e référent·e ESS dans chaque direction de la Métropole", "champs": [6],
     "instruction": (2026, 11, 2),
     "resume": "Désigner dans chaque direction de la Métropole une personne référente pour l'ESS, formée et "
               "réunie deux fois par an, pour que l'ESS ne dépende plus du seul service dédié.",
     "description": "<p>La politique ESS repose sur un petit service. Des référent·e·s dans chaque direction "
                    "diffuseraient les réflexes : achats, locaux, emploi.</p>",
     "communes": [], "directions": "Direction générale des services", "depot": (2026, 10, 30, 15, 0)},
    {"code": "P20", "ref": (2026, 9), "etat": E.REORIENTEE, "auteur": "U7", "structures": ["repas-solidaires"],
     "titre": "Aide au démarrage d'une conserverie solidaire", "champs": [2], "atelier_suggere": "A4",
     "reorientee": (2026, 9, 30),
     "resume": "Une aide de la Métropole au démarrage de la conserverie solidaire de Repas Solidaires : "
               "équipement de l'atelier et premiers mois de fonctionnement.",
     "description": "<p>La conserverie transformerait les invendus des maraîchers en bocaux vendus localement, "
                    "avec quatre postes en insertion.</p>",
     "communes": ["port-sainte-aude"], "depot": (2026, 9, 8, 10, 0),
     "motif": "Demande de financement d'un projet individuel, traitée par les dispositifs existants.",
     "dispositif": "Appel à projets métropolitain « Entreprendre solidaire » et dispositif local "
                   "d'accompagnement (Lère Active)"},
    {"code": "P21", "ref": (2026, 14), "etat": E.DEPOSEE, "auteur": "U6", "structures": ["cooperative-ouvrage"],
     "titre": "Une coopérative jeunesse de services l'été aux Aubiers", "champs": [6],
     "resume": "Permettre à une quinzaine de jeunes des Aubiers de créer et gérer leur coopérative de services "
               "pendant l'été, accompagnés par la Coopérative Ouvrage et le centre de jeunesse.",
     "description": "<p>Une coopérative jeunesse de services fait découvrir l'entrepreneuriat coopératif à des "
                    "jeunes de 16 à 18 ans : ils proposent des services aux habitants et aux entreprises.</p>",
     "communes": ["les-aubiers"], "depot": (2026, 11, 10, 16, 0)},
    {"code": "P22", "ref": (2026, 15), "etat": E.DEPOSEE, "auteur": "U6",
     "structures": ["cooperative-ouvrage", "lere-active"],
     "titre": "Des cafés de la création d'entreprise au Moulin-Neuf", "champs": [1, 6], "thematique": "T3",
     "resume": "Un café de la création chaque mois au centre social du Moulin-Neuf, pour répondre aux questions "
               "des habitant·e·s qui veulent créer leur activité, seul·e·s ou en collectif.",
     "description": "<p>Idée née du café-création du Mois de l'ESS 2026 : plusieurs participant·e·s du "
                    "Moulin-Neuf ont demandé un rendez-vous régulier près de chez eux.</p>",
     "communes": ["port-sainte-aude"], "depot": (2026, 11, 12, 11, 0)},
    {"code": "P23", "ref": (2026, 16), "etat": E.DEPOSEE, "auteur": "U2", "structures": ["velo-cite-atelier"],
     "titre": "Réemploi des vélos abandonnés dans un atelier solidaire", "champs": [4], "thematique": "T2",
     "resume": "Confier à un atelier vélo solidaire les vélos abandonnés enlevés sur la voie publique, pour les "
               "remettre en état et les proposer à petit prix aux personnes qui reprennent un emploi.",
     "description": "<p>Idée née de l'atelier réparation vélo du Mois de l'ESS 2026 : des centaines de vélos "
                    "enlevés chaque année finissent à la déchetterie.</p>",
     "communes": ["saint-ormel"], "depot": (2026, 11, 9, 18, 0)},
    {"code": "P24", "ref": (2024, 4), "etat": E.ABANDONNEE, "auteur": "U8", "structures": ["interim-lere-solidaire"],
     "titre": "Navette solidaire vers la zone d'activités des Coteaux", "champs": [6], "atelier": "A1",
     "atelier_le": (2024, 5, 21),
     "resume": "Une navette à la demande, conduite par des salarié·e·s en insertion, pour que les habitant·e·s "
               "des quartiers sans voiture puissent accepter un emploi dans la zone d'activités des Coteaux.",
     "description": "<p>Des postes restent vacants dans la zone d'activités faute de transport aux horaires "
                    "décalés.</p>",
     "communes": ["villeneuve-des-coteaux"], "depot": (2024, 4, 16, 10, 0), "abandonnee": (2025, 6, 30),
     "motif": "Une nouvelle ligne de bus desservira la zone à partir de septembre 2025, aux horaires de "
              "l'équipe du matin et du soir : le besoin est couvert."},
    {"code": "P25", "ref": None, "etat": E.BROUILLON, "auteur": "U9", "structures": ["tremplin-services"],
     "titre": "Une conciergerie solidaire pour les agents de la Métropole", "champs": [5],
     "atelier_suggere": "A3", "cree": (2026, 11, 20, 15, 0),
     "resume": "Une conciergerie tenue par une entreprise d'insertion pour les agents de la Métropole : "
               "pressing, retouches, petites réparations, paniers de légumes.",
     "description": "<p>Brouillon en cours de rédaction avec Tremplin Services.</p>",
     "communes": ["rivebelle"]},
]

# Follow-up (§7): indicators (libellé, unité, référence, cible, cible en texte, [(date, valeur)]) and points
# (date, auteur, texte, avancement).
INDICATEURS = {
    "P01": [("Communes ayant accueilli l'exposition", "communes", 0, 28, "",
             [((2022, 12, 31), 7), ((2023, 12, 31), 14), ((2024, 6, 30), 19)]),
            ("Visiteurs", "personnes", None, None, "", [((2024, 6, 30), 6400)])],
    "P02": [("Agents formés", "agents", 0, 80, "", [((2023, 12, 31), 41), ((2024, 12, 31), 92)]),
            ("Heures d'insertion dans les marchés métropolitains", "heures", 118000, None, "+20 %",
             [((2022, 12, 31), 118000), ((2025, 12, 31), 151000)])],
    "P03": [("Structures référencées", "structures", 0, 120, "", [((2025, 9, 30), 146)])],
    "P04": [("Comités de pilotage avec la CRESS", "réunions", 0, 3, "", [((2025, 12, 31), 3)])],
    "P05": [("Foyers adhérents", "foyers", 30, 150, "", [((2025, 9, 30), 80), ((2026, 4, 30), 135)])],
    "P06": [("Salariés en insertion sur les lots réservés", "salarié·e·s", 0, 12, "", [((2026, 6, 30), 14)])],
    "P07": [("Textiles collectés", "tonnes par an", 260, 400, "400 t/an", [])],
    "P08": [("Initiatives soutenues", "initiatives", 0, 20, "", [((2026, 6, 30), 17)]),
            ("Montant moyen par initiative", "€", None, None, "", [((2026, 6, 30), 1200)])],
}
POINTS_SUIVI = {
    "P01": [((2022, 3, 15), SECRETARIAT, "Première étape de l'exposition à la médiathèque de Lanvallon.", 20),
            ((2025, 3, 27), SECRETARIAT, "Évaluation : bonne fréquentation en médiathèques, faible en mairies.",
             None)],
    "P02": [((2023, 6, 20), ACHATS, "Deux premières sessions de formation ; 41 agents formés en 2023.", 50),
            ((2025, 12, 11), ACHATS, "Restitution de l'évaluation en séance plénière.", None)],
    "P03": [((2024, 11, 4), SECRETARIAT, "Cahier des charges de l'annuaire validé avec la CRESS.", 60),
            ((2025, 9, 15), SECRETARIAT, "Mise en ligne de l'annuaire : 146 structures référencées.", None)],
    "P04": [((2024, 10, 1), SECRETARIAT, "La délibération n° 2024-10-117 donne un siège à la CRESS au comité de "
                                         "pilotage de la stratégie économique.", None)],
    "P05": [((2025, 9, 30), "U5", "80 foyers adhérents ; le bailleur prête un local au pied de la tour B.", 50),
            ((2026, 4, 14), "U5", "Deux permanences par semaine, tenues par des habitantes bénévoles.", 80)],
    "P06": [((2026, 6, 2), ACHATS, "Deux lots réservés dans le marché d'entretien des espaces verts 2026–2029.",
             70)],
    "P07": [((2025, 11, 3), SECRETARIAT, "Étude juridique terminée : le service d'intérêt économique général est "
                                         "possible.", 20),
            ((2026, 10, 6), "U3", "Convention en préparation avec la Ressourcerie de la Lère.", 35)],
    "P08": [((2026, 6, 22), "U9", "Premier appel clos : 17 initiatives soutenues, 1 200 € en moyenne.", 50)],
    "P09": [((2026, 9, 30), SECRETARIAT, "Étude de faisabilité lancée par le service immobilier d'entreprises.",
             None)],
}
NOTES_INTERNES = {
    "P07": [((2025, 10, 20), SECRETARIAT, "Vérifier avec la direction juridique la durée possible du mandat "
                                          "avant de répondre à la Ressourcerie.")],
    "P11": [((2026, 2, 18), SECRETARIAT, "Chiffrage du service du patrimoine : environ 140 000 € de recettes "
                                         "en moins par an. À présenter avant le vote.")],
    "P18": [((2026, 10, 14), SECRETARIAT, "Recouvre en partie le projet de maison de la création de la Région : "
                                          "prendre contact avant l'affectation à l'atelier.")],
    "P20": [((2026, 9, 29), SECRETARIAT, "Lère Active d'accord pour recevoir Élodie Faure en rendez-vous DLA.")],
}
# Who follows what (persona → proposals), besides the authors.
ABONNEMENTS = {
    "U7": ["P13", "P15"],
    "U5": ["P14", "P08"],
    "U3": ["P15", "P23"],
    "U1": ["P05", "P14", "P15"],
    "U2": ["P21", "P22"],
    "U10": ["P06", "P09", "P10", "P12", "P13"],
    "U4": ["P09", "P17"],
}


def _moment(valeurs, heure=(10, 0)):
    """(année, mois, jour[, heure, minute]) in Europe/Paris → aware datetime."""
    if len(valeurs) == 3:
        valeurs = (*valeurs, *heure)
    return datetime.datetime(*valeurs, tzinfo=PARIS)


def _jour_ouvre(jour):
    """Move a computed date off week-ends and public holidays."""
    while jour.weekday() >= 5 or (jour.month, jour.day) in JOURS_FERIES:
        jour += datetime.timedelta(days=1)
    return jour


def _a(jour, heure):
    return datetime.datetime.combine(jour, datetime.time(*heure), tzinfo=PARIS)


def _plus_un_mois(jour):
    mois = jour.month % 12 + 1
    annee = jour.year + (jour.month == 12)
    return jour.replace(year=annee, month=mois, day=min(jour.day, 28))


def _date_francaise(jour):
    mois = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
            "novembre", "décembre"][jour.month - 1]
    return f"{jour.day} {mois} {jour.year}"


class _Chargeur:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.personnes = personnes_demo()
        self.structures = {s.slug: s for s in Structure.objects.filter(slug__in=self._slugs_structures())}
        self.champs = {c.numero: c for c in ChampAction.objects.all()}
        self.communes = {c.slug: c for c in Commune.objects.all()}
        self.ateliers = {a.slug: a for a in Atelier.objects.filter(slug__in=CODES_ATELIERS.values())}
        self.thematiques = {t.slug: t for t in ThematiqueAnnuelle.objects.filter(
            cycle__slug="2026", slug__in=CODES_THEMATIQUES.values())}
        self.plenieres = {}
        self.propositions = {}  # code → Proposition

    def ecrire(self, texte):
        if self.stdout is not None:
            self.stdout.write(texte)

    @staticmethod
    def _slugs_structures():
        return {s for spec in PROPOSITIONS for s in spec["structures"]}

    def personne(self, code):
        return self.personnes.get(code)

    def atelier(self, code):
        return self.ateliers.get(CODES_ATELIERS[code]) if code else None

    def charger(self):
        self.plenieres = {slug: self.charger_pleniere(slug, *reste) for slug, *reste in PLENIERES}
        if self.personne(SECRETARIAT) is None:
            self.ecrire(f"Propositions : {len(self.plenieres)} séances plénières ; sans comptes de démonstration, "
                        "pas de propositions (une proposition a toujours un·e auteur·rice).")
            return {"plenieres": self.plenieres, "propositions": {}}
        # Proposals of a year are submitted in the order of their numbers; a later year first, so that an
        # evaluation can name its follow-on proposal and a reason can cite a later proposal.
        ordre = sorted(PROPOSITIONS, key=lambda s: (-(s["ref"] or (9999, 0))[0], (s["ref"] or (0, 0))[1]))
        crees = 0
        for spec in ordre:
            proposition, cree = self.charger_proposition(spec)
            self.propositions[spec["code"]] = proposition
            crees += cree
        etats = len({p.etat for p in self.propositions.values()})
        nb_transitions = Transition.objects.filter(proposition__in=self.propositions.values()).count()
        nb_points = PointSuivi.objects.filter(proposition__in=self.propositions.values()).count()
        self.ecrire(f"Propositions : {len(self.propositions)} propositions ({crees} créées) dans {etats} états, "
                    f"{nb_transitions} étapes de parcours, {nb_points} points de suivi, "
                    f"{len(self.plenieres)} séances plénières.")
        return {"plenieres": self.plenieres, "propositions": self.propositions}

    # --- Plenaries ------------------------------------------------------------------------------------

    def charger_pleniere(self, slug, jour, lieu, titre, resume, description, presents):
        jour = datetime.date(*jour)
        lieu = Lieu.objects.filter(slug=lieu).first()
        a_venir = presents is None
        evenement, cree = Evenement.objects.get_or_create(slug=slug, defaults={
            "titre": titre, "resume": resume,
            "description": description or f"<p>{resume} {presents} participant·e·s présent·e·s.</p>",
            "type": TypeEvenement.SEANCE_PLENIERE, "debut": _a(jour, PLENIERE_HEURES[0]),
            "fin": _a(jour, PLENIERE_HEURES[1]), "mode": Evenement.Mode.PRESENTIEL, "lieu": lieu,
            "commune": lieu.commune if lieu else None, "organisateurs_texte": "Conseil de l'ESS de Rivebelle",
            "intervenants": PRESIDENCE, "gratuit": True,
            "accessibilite": lieu.accessibilite if lieu else "inconnu",
            "inscription": Evenement.Inscription.CONSEILLEE if a_venir else Evenement.Inscription.LIBRE,
            "inscription_sur_plateforme": a_venir, "capacite": 180 if a_venir else None,
            "publication": Evenement.Publication.PUBLIE, "statut": Evenement.Statut.CONFIRME,
            "uid": uid_demo(slug), "is_demo": True,
        })
        if cree:
            evenement.structures.set([s for s in Structure.objects.filter(
                slug__in=["rivebelle-metropole", "ville-de-rivebelle", "cress-val-de-lere"])])
            evenement.publics.set(Public.objects.filter(code__in=PUBLICS_PLENIERE))
            evenement.champs.set(ChampAction.objects.all())
        return evenement

    # --- Proposals ------------------------------------------------------------------------------------

    def etapes(self, spec):
        """Return the steps of ``spec``: [(vers, when, persona, public comment, data)] in date order."""
        agent = spec.get("agent", SECRETARIAT)
        depot = _moment(spec["depot"]) if "depot" in spec else None
        etat = spec["etat"]
        if etat == E.BROUILLON:
            return []
        etapes = [(E.DEPOSEE, depot, spec["auteur"], "Proposition déposée.", {})]
        if etat == E.DEPOSEE:
            return etapes
        atelier_le = _moment(spec["atelier_le"], (14, 0)) if "atelier_le" in spec else None
        if "instruction" in spec:
            instruction = _moment(spec["instruction"], (9, 30))
        else:
            instruction = _a(_jour_ouvre(depot.date() + datetime.timedelta(days=7)), (9, 30))
        etapes.append((E.EN_INSTRUCTION, instruction, agent,
                       "Proposition recevable : le secrétariat l'examine avec les services concernés.", {}))
        if etat == E.EN_INSTRUCTION:
            return etapes
        if etat == E.REORIENTEE:
            etapes.append((E.REORIENTEE, _moment(spec["reorientee"], (11, 0)), agent,
                           "Proposition réorientée vers un dispositif existant, mieux adapté à la demande.",
                           {"motif": self.texte(spec["motif"]), "dispositif": spec["dispositif"]}))
            return etapes
        atelier = self.atelier(spec["atelier"])
        if atelier_le is None:
            atelier_le = _a(_jour_ouvre(_plus_un_mois(depot.date())), (14, 0))
        etapes.append((E.EN_ATELIER, atelier_le, agent,
                       f"Proposition confiée à l'atelier « {atelier.titre} », qui l'approfondit avec ses porteurs.",
                       {"atelier": atelier}))
        if etat == E.EN_ATELIER:
            return etapes
        if etat == E.ABANDONNEE:
            etapes.append((E.ABANDONNEE, _moment(spec["abandonnee"], (11, 0)), agent,
                           "Proposition abandonnée d'un commun accord avec ses porteurs.",
                           {"motif": self.texte(spec["motif"])}))
            return etapes
        pleniere = self.plenieres[spec.get("decision") or spec["pleniere"]]
        jour_pleniere = timezone.localtime(pleniere.debut).date()
        soumise = (_moment(spec["soumise"], (11, 0)) if "soumise" in spec
                   else _a(jour_pleniere - datetime.timedelta(weeks=3), (11, 0)))
        etapes.append((E.SOUMISE_PLENIERE, soumise, SECRETARIAT,
                       f"Inscrite à l'ordre du jour de la séance plénière du {_date_francaise(jour_pleniere)}.",
                       {"pleniere": pleniere}))
        if etat == E.SOUMISE_PLENIERE:
            return etapes
        decision = _a(jour_pleniere, (19, 30))
        vote = VOTES.get(spec["code"])
        detail = (f" Vote à main levée des participant·e·s présent·e·s : {vote[0]} pour, {vote[1]} contre, "
                  f"{vote[2]} abstentions." if vote else " Vote à main levée des participant·e·s présent·e·s.")
        if etat == E.NON_RETENUE:
            etapes.append((E.NON_RETENUE, decision, SECRETARIAT, "Proposition non retenue par le Conseil." + detail,
                           {"motif": self.texte(spec["motif"])}))
            return etapes
        etapes.append((E.ADOPTEE, decision, SECRETARIAT, "Proposition adoptée par le Conseil." + detail, {}))
        if etat == E.ADOPTEE:
            return etapes
        responsable = self.personne(spec["responsable"])
        etapes.append((E.EN_OEUVRE, _moment(spec["oeuvre"], (10, 0)), spec["responsable"],
                       f"La Métropole s'engage : mise en œuvre confiée à « {spec['service']} », sous la "
                       f"responsabilité de {responsable.get_full_name()}.",
                       {"responsable_elu": responsable, "service_responsable": spec["service"],
                        "date_prevue": datetime.date(*spec["date_prevue"])}))
        if etat == E.EN_OEUVRE:
            return etapes
        etapes.append((E.REALISEE, _moment(spec["realisee"], (16, 0)), agent,
                       "Réalisation achevée." + (f" {spec['deliberation']}." if spec.get("deliberation") else ""),
                       {}))
        if etat == E.REALISEE:
            return etapes
        donnees = {"constats": spec["constats"], "recommandations": self.texte(spec["recommandations"])}
        if spec.get("suite"):
            donnees["proposition_suite"] = self.propositions[spec["suite"]]
        etapes.append((E.EVALUEE, _moment(spec["evaluee"], (18, 0)), agent,
                       "Évaluation présentée en séance plénière : constats et recommandations ci-dessous.", donnees))
        return etapes

    def texte(self, texte):
        """Replace {P17}-like codes by the reference of that (already loaded) proposal."""
        return re.sub(r"\{(P\d\d)\}", lambda m: self.propositions[m.group(1)].reference, texte)

    def champs_proposition(self, spec):
        return {
            "titre": spec["titre"], "resume": spec["resume"], "description": spec["description"],
            "porteurs_texte": spec.get("porteurs", ""), "directions": spec.get("directions", ""),
            "nature_realisation": spec.get("nature", ""), "deliberation": spec.get("deliberation", ""),
            "atelier_suggere": self.atelier(spec.get("atelier_suggere") or spec.get("atelier")),
        }

    def charger_proposition(self, spec):
        """Return (proposal, created): kept if still in its demo state, else (re)built through the workflow."""
        existante = Proposition.objects.filter(is_demo=True, titre=spec["titre"]).first()
        etapes = self.etapes(spec)
        if existante is not None:
            intacte = (existante.etat == spec["etat"]
                       and existante.transitions.count() == len(etapes))
            if intacte:
                self.rafraichir(existante, spec)
                return existante, False
            reference = existante.reference
            try:
                with transaction.atomic():
                    supprimer_propositions(Proposition.objects.filter(pk=existante.pk))
            except ProtectedError as erreur:  # a scrutin, or a real proposal merged into it, points to it
                liens = ", ".join(sorted({str(objet._meta.verbose_name) for objet in erreur.protected_objects}))
                self.ecrire(f"Propositions : {existante} est référencée ({liens}) ; laissée en l'état ici.")
                return existante, False
        else:
            reference = None
        cree_le = (_moment(spec["cree"]) if "cree" in spec
                   else etapes[0][1] - datetime.timedelta(days=2, hours=3))
        proposition = Proposition(
            reference=reference, auteur=self.personne(spec["auteur"]), etat=E.BROUILLON, etat_depuis=cree_le,
            cree_le=cree_le, is_demo=True, **self.champs_proposition(spec))
        with transaction.atomic():
            proposition.save()
            self.relations(proposition, spec)
            self.parcourir(proposition, spec, etapes)
            self.rafraichir(proposition, spec)
            self.suivi(proposition, spec)
        return proposition, True

    def relations(self, proposition, spec):
        proposition.champs.set([self.champs[n] for n in spec["champs"]])
        proposition.communes.set([self.communes[c] for c in spec["communes"] if c in self.communes])
        proposition.structures.set([self.structures[s] for s in spec["structures"] if s in self.structures])

    def parcourir(self, proposition, spec, etapes):
        """Walk the proposal through the workflow, each step dated and made by its person."""
        maintenant = timezone.now()
        precedent = proposition.cree_le
        for vers, le, code, commentaire, donnees in etapes:
            if not precedent < le < maintenant:
                raise ValueError(f"{spec['code']} : étape « {vers} » du {le} hors de l'ordre chronologique.")
            precedent = le
            if vers == E.DEPOSEE and proposition.reference is None:
                self.reserver_numero(*spec["ref"])
            workflow.changer_etat(proposition, vers, self.personne(code), commentaire=commentaire, le=le,
                                  forcer_role=True, **donnees)
        if spec["ref"] is not None and proposition.reference is None:
            raise ValueError(f"{spec['code']} : pas de référence après le dépôt.")

    @staticmethod
    def reserver_numero(annee, numero):
        """Raise the counter of ``annee`` so that the next reference drawn is ``numero`` (never lowered)."""
        compteur, _ = CompteurReference.objects.select_for_update().get_or_create(annee=annee)
        if compteur.dernier < numero - 1:
            compteur.dernier = numero - 1
            compteur.save(update_fields=["dernier"])

    def rafraichir(self, proposition, spec):
        """Put back the descriptive fields (the workflow copies the atelier's theme; §7 gives its own)."""
        champs = self.champs_proposition(spec)
        champs["thematique"] = self.thematiques.get(CODES_THEMATIQUES.get(spec.get("thematique")))
        if "motif" in spec and spec["etat"] in (E.NON_RETENUE, E.REORIENTEE, E.ABANDONNEE):
            champs["motif"] = self.texte(spec["motif"])
        for nom, valeur in champs.items():
            setattr(proposition, nom, valeur)
        proposition.save()
        self.relations(proposition, spec)

    def suivi(self, proposition, spec):
        """Indicators, follow-up points, private notes and followers of a freshly built proposal."""
        code = spec["code"]
        for libelle, unite, reference, cible, cible_texte, valeurs in INDICATEURS.get(code, []):
            indicateur = services.ajouter_indicateur(
                proposition, libelle, self.personne(SECRETARIAT), unite=unite, cible_texte=cible_texte,
                cible=Decimal(cible) if cible is not None else None,
                valeur_reference=Decimal(reference) if reference is not None else None)
            Indicateur.objects.filter(pk=indicateur.pk).update(is_demo=True)
            for jour, valeur in valeurs:
                services.ajouter_valeur(indicateur, datetime.date(*jour), Decimal(valeur), self.personne(SECRETARIAT))
        termine = proposition.etat in (E.REALISEE, E.EVALUEE)  # the workflow set the progress to 100 %
        for jour, auteur, texte, avancement in POINTS_SUIVI.get(code, []):
            point = services.ajouter_point_suivi(proposition, texte, self.personne(auteur), date=datetime.date(*jour),
                                                 avancement=None if termine else avancement)
            PointSuivi.objects.filter(pk=point.pk).update(is_demo=True, cree_le=_moment(jour, (17, 0)))
        for jour, auteur, texte in NOTES_INTERNES.get(code, []):
            note = services.ajouter_note_interne(proposition, texte, self.personne(auteur))
            NoteInterne.objects.filter(pk=note.pk).update(cree_le=_moment(jour, (12, 0)))
        if proposition.est_publique:
            depuis = proposition.deposee_le
            for persona, codes in ABONNEMENTS.items():
                user = self.personne(persona)
                if user is not None and code in codes:
                    Abonnement.objects.get_or_create(proposition=proposition, user=user,
                                                     defaults={"cree_le": depuis + datetime.timedelta(days=1)})
        proposition.refresh_from_db()


def supprimer_propositions(propositions):
    """Delete proposals with their journal (PROTECT) and everything attached to them."""
    ids = list(propositions.values_list("pk", flat=True))
    Proposition.objects.filter(proposition_suite_id__in=ids).update(proposition_suite=None)
    Transition.objects.filter(proposition_id__in=ids).delete()
    Proposition.objects.filter(pk__in=ids).delete()


def _remettre_compteurs(annees):
    """After removing demo proposals, each year's counter goes back to the highest reference still in use."""
    for annee in annees:
        numeros = [int(r.rsplit("-", 1)[1]) for r in Proposition.objects.filter(
            reference__startswith=f"P-{annee}-").values_list("reference", flat=True)]
        CompteurReference.objects.filter(annee=annee).update(dernier=max(numeros, default=0))


def charger(stdout=None):
    """Create or update the proposals demo data and the plenaries they go to; return what was loaded."""
    with transaction.atomic():
        return _Chargeur(stdout).charger()


def supprimer():
    """Remove only the demo objects of this part: demo proposals (journal, follow-up, notes, followers with
    them) and the demo plenaries no real proposal is scheduled for."""
    with transaction.atomic():
        demo = Proposition.objects.filter(is_demo=True)
        annees = {int(r.split("-")[1]) for r in demo.exclude(reference=None).values_list("reference", flat=True)}
        supprimer_propositions(demo)
        _remettre_compteurs(annees)
        slugs = [slug for slug, *_reste in PLENIERES]
        try:
            Evenement.objects.filter(slug__in=slugs, is_demo=True, propositions_inscrites__isnull=True).delete()
        except ProtectedError:  # a séance of the Séances issue still points to it: the agenda removes it later
            pass

