"""The demo data of the ateliers (DEMO_DATA.md §3–§5): cycles, annual themes, the 8 ateliers, their
23 meetings with minutes and attendance, atelier members, and the membership of the Conseil.

People are named by their persona code of DEMO_DATA.md §3 (U1–U18); ``demo.py`` finds their account
from the comptes demo (``conseil_ess/comptes/demo_donnees.PERSONNES``). Every text is written for the
demo, in French. Times are local (Europe/Paris).
"""

# Persona code → (first name, last name) of the comptes demo; the e-mail is derived the same way.
PERSONAS = {
    "U1": ("Mathilde", "Roussel"),
    "U2": ("Karim", "Haddou"),
    "U3": ("Nadia", "Benarfa"),
    "U4": ("Julien", "Marchetti"),
    "U5": ("Awa", "Sissoko"),
    "U6": ("Romain", "Tessier"),
    "U7": ("Élodie", "Faure"),
    "U8": ("Claire", "Vasseur"),
    "U9": ("Hugo", "Lemaire"),
    "U10": ("Hélène", "Marceau"),
    "U11": ("Bernard", "Oudinot"),
    "U12": ("Sylvie", "Lambertin"),
    "U13": ("Patrick", "Aubertin"),
    "U14": ("Leïla", "Mansour"),
    "U15": ("François", "Guérin"),
    "U16": ("Anne-Sophie", "Perrault"),
    "U17": ("Thomas", "Lefebvre-Adam"),
    "U18": ("Inès", "Moreira"),
}

SAMIR = "Samir Belkacem, chef de projet politique de la ville"

# --- Cycles ---------------------------------------------------------------------------------------

CYCLES = [
    {"slug": "2026", "titre": "Cycle 2026", "debut": (2026, 1, 1), "fin": (2026, 12, 31), "statut": "en_cours",
     "description": "<p>Le cycle 2026 des ateliers thématiques s'ouvre avec les trois thématiques annuelles votées "
                    "à la séance plénière de printemps : la révision du SPASER, un territoire zéro déchet et "
                    "l'ESS au cœur des quartiers.</p>"
                    "<p>Huit ateliers travaillent toute l'année ; leurs propositions remontent au Conseil en "
                    "séance plénière.</p>"},
    {"slug": "2025", "titre": "Cycle 2025", "debut": (2025, 1, 1), "fin": (2025, 12, 31), "statut": "archive",
     "archive_le": (2026, 1, 12, 9, 0),
     "description": "<p>Le cycle 2025 est clos. Ses ateliers et leurs comptes rendus restent consultables.</p>"},
]

# --- Annual themes (DEMO_DATA.md §4), voted at the spring 2026 plenary (§6.1) ------------------------

VOTE_LIBELLE = "Séance plénière de printemps 2026"
VOTE_DATE = (2026, 3, 26)

THEMATIQUES = [
    # code, slug, titre, statut, suite donnée, description
    ("T1", "reviser-le-spaser", "Réviser le SPASER avec les acteurs", "retenue", "",
     "<p>Associer acheteurs, facilitateurs de clauses et structures de l'ESS à la révision du schéma de "
     "promotion des achats socialement et écologiquement responsables.</p>"),
    ("T2", "territoire-zero-dechet", "Vers un territoire zéro déchet", "retenue", "",
     "<p>Construire avec les acteurs du réemploi, de la réparation et de la collecte une trajectoire zéro "
     "déchet pour la métropole.</p>"),
    ("T3", "ess-au-coeur-des-quartiers", "L'ESS au cœur des quartiers", "retenue", "",
     "<p>Faire de l'ESS un moteur d'activité et de services de proximité dans les quartiers prioritaires, avec "
     "les habitant·e·s.</p>"),
    ("T4", "numerique-responsable", "Numérique responsable", "non_retenue", "Renvoyée à 2027",
     "<p>Sobriété numérique, réemploi du matériel informatique et inclusion numérique : la thématique n'a pas "
     "été retenue cette année et sera de nouveau proposée en 2027.</p>"),
]

# --- The 8 ateliers of the 2026 cycle (DEMO_DATA.md §5) -------------------------------------------

ATELIERS = [
    {"code": "A1", "slug": "ess-quartiers", "titre": "ESS et quartiers prioritaires", "champs": [6, 2],
     "thematique": "T3", "elu": "U10", "agent": None, "binome_texte": SAMIR,
     "animateurs": ["U9"], "structures": ["pole-ess-rivebelle"], "rythme": "4 séances par an",
     "resume": "Des activités, des emplois et des services de proximité portés par l'ESS dans les quatre "
               "quartiers prioritaires.",
     "description": "<p>Faire de l'ESS un moteur d'activité, d'emploi et de services de proximité dans les "
                    "quatre quartiers prioritaires de la métropole.</p>"
                    "<p>L'atelier contribue au volet économique du contrat de ville et repère les projets portés "
                    "avec les habitant·e·s : commerces de proximité, groupements d'achat, médiation, garde "
                    "d'enfants.</p>",
     "questions": "<p>Quels besoins ne sont pas couverts dans les quartiers ?</p>"
                  "<p>Comment faciliter l'installation d'activités de l'ESS au pied des immeubles ?</p>"},
    {"code": "A2", "slug": "immobilier-tiers-lieux", "titre": "Immobilier d'entreprises et tiers-lieux",
     "champs": [3], "thematique": None, "elu": "U15", "agent": "U17",
     "animateurs": [], "structures": ["fabrique-des-communs"], "rythme": "3 séances par an",
     "resume": "Des locaux adaptés aux moyens des structures de l'ESS, et le suivi de la pépinière de la Filature.",
     "description": "<p>Aider les structures de l'ESS à trouver des locaux adaptés à leurs moyens : locaux "
                    "vacants, rez-de-chaussée des bailleurs sociaux, pépinières, lieux partagés.</p>"
                    "<p>L'atelier suit le projet de pépinière ESS dans l'ancienne Filature de "
                    "Port-Sainte-Aude.</p>",
     "questions": "<p>Quelle grille de loyers pour les associations ?</p>"
                  "<p>Quels lieux vacants mobiliser à titre temporaire ?</p>"},
    {"code": "A3", "slug": "achats-responsables-spaser", "titre": "Achats publics responsables et SPASER",
     "champs": [5], "thematique": "T1", "elu": "U10", "agent": "U18",
     "animateurs": ["U9"], "structures": ["pole-ess-rivebelle"], "rythme": "5 séances par an",
     "resume": "La commande publique comme levier d'emploi et de développement de l'ESS ; la révision du SPASER.",
     "description": "<p>Faire de la commande publique un levier d'emploi et de développement de l'ESS.</p>"
                    "<p>Acheteurs, facilitateurs de clauses et structures d'insertion préparent ensemble la "
                    "révision du schéma de promotion des achats responsables, développent les lots réservés et "
                    "font mieux connaître l'offre locale.</p>",
     "questions": "<p>Quels objectifs chiffrés inscrire dans le SPASER ?</p>"
                  "<p>Quelles familles d'achats ouvrir aux structures de l'ESS ?</p>"},
    {"code": "A4", "slug": "creation-accompagnement",
     "titre": "Création d'entreprises et parcours d'accompagnement", "champs": [1, 2], "thematique": None,
     "elu": "U10", "agent": "U17", "animateurs": ["U6"], "structures": ["cooperative-ouvrage", "lere-active"],
     "rythme": "3 séances par an",
     "resume": "Un parcours lisible pour les porteurs de projet de l'ESS, de l'idée jusqu'au financement.",
     "description": "<p>Rendre lisible le parcours d'un porteur de projet de l'ESS, de l'idée jusqu'au "
                    "financement.</p>"
                    "<p>Structures d'accompagnement, financeurs solidaires et coopératives d'activité repèrent "
                    "les manques et organisent l'orientation des porteurs.</p>",
     "questions": "<p>Où un porteur de projet doit-il frapper en premier ?</p>"
                  "<p>Comment éviter les doublons entre dispositifs ?</p>"},
    {"code": "A5", "slug": "initiatives-habitants",
     "titre": "Initiatives collectives et expérimentations des habitants", "champs": [6, 2], "thematique": "T3",
     "elu": "U10", "agent": None, "binome_texte": SAMIR, "animateurs": ["U9"],
     "structures": ["pole-ess-rivebelle", "fondation-rives-solidaires"], "rythme": "4 séances par an",
     "resume": "Repérer, financer vite et valoriser les initiatives collectives nées dans les quartiers et les "
               "communes.",
     "description": "<p>Soutenir les initiatives collectives nées dans les quartiers et les communes : repérage, "
                    "petits financements rapides, accompagnement et valorisation.</p>"
                    "<p>L'atelier associe directement des collectifs d'habitant·e·s.</p>",
     "questions": "<p>Comment financer vite et simplement une initiative de quelques centaines d'euros ?</p>"
                  "<p>Qui décide ?</p>"},
    {"code": "A6", "slug": "zero-dechet", "titre": "Territoire zéro déchet, zéro gaspillage", "champs": [4, 5],
     "thematique": "T2", "elu": "U13", "agent": "U17", "animateurs": ["U3"], "structures": ["ressourcerie-lere"],
     "rythme": "4 séances par an",
     "resume": "Une trajectoire zéro déchet pour la métropole, avec les acteurs du réemploi, de la réparation "
               "et de la collecte.",
     "description": "<p>Construire avec les acteurs du réemploi, de la réparation et de la collecte une "
                    "trajectoire zéro déchet pour la métropole : textiles, encombrants, biodéchets, gaspillage "
                    "alimentaire.</p>",
     "questions": "<p>Quelles filières de réemploi confier à des structures de l'ESS ?</p>"
                  "<p>Comment réduire le gaspillage dans la restauration collective ?</p>"},
    {"code": "A7", "slug": "commerce-equitable", "titre": "Commerce équitable et consommation responsable",
     "champs": [5, 6], "thematique": None, "elu": "U16", "agent": "U18", "animateurs": [],
     "structures": ["terre-et-echanges"], "rythme": "3 séances par an",
     "resume": "Le commerce équitable, international comme local, dans les achats de la collectivité et auprès "
               "des habitant·e·s.",
     "description": "<p>Promouvoir le commerce équitable, international comme local, dans les achats de la "
                    "collectivité et auprès des habitant·e·s.</p>"
                    "<p>L'atelier étudie l'engagement de la métropole dans une démarche de labellisation.</p>",
     "questions": "<p>Quels produits équitables dans les cantines et les réceptions ?</p>"
                  "<p>Quelle démarche de label engager ?</p>"},
    {"code": "A8", "slug": "innovation-sociale-evaluation", "titre": "Innovation sociale, R&D et évaluation d'impact",
     "champs": [4], "thematique": None, "elu": "U10", "agent": "U17", "animateurs": [],
     "structures": ["lere-active"], "coanimation_texte": "un laboratoire universitaire",
     "rythme": "3 séances par an", "sur_demande": True,
     "resume": "Expérimenter avec des chercheurs et construire des indicateurs d'impact simples pour les petites "
               "structures.",
     "description": "<p>Rapprocher structures de l'ESS, chercheurs et services métropolitains pour expérimenter, "
                    "diffuser les innovations sociales et construire des indicateurs d'impact simples, que les "
                    "petites structures peuvent renseigner sans s'épuiser.</p>"
                    "<p>L'atelier prépare l'évaluation concertée de la politique ESS. Il travaille sur des "
                    "données de structures : l'animation valide les demandes pour le rejoindre.</p>",
     "questions": "<p>Quels trois indicateurs communs pour toutes les propositions ?</p>"
                  "<p>Comment simplifier la mesure d'impact ?</p>"},
]

# Members of the ateliers (accepted), by persona (DEMO_DATA.md §3); animateur·rice·s are named on the
# atelier itself. Agents and élu·e·s see every atelier anyway.
MEMBRES = {
    "U3": ["A7"],  # animates A6
    "U4": ["A2"],
    "U5": ["A1", "A5"],
    "U7": ["A6", "A7"],
    "U8": ["A3", "A8"],
}
ADHESION_DEPUIS = (2026, 2, 3, 10, 0)

# A pending request on the atelier "sur demande", for the animation to answer.
DEMANDES = [
    ("U4", "A8", "Bâti-Coop mesure déjà l'impact de ses chantiers d'éco-rénovation ; nous aimerions partager "
                 "nos indicateurs et tester ceux de l'atelier.", (2026, 11, 9, 17, 40)),
]

# --- The 23 meetings (DEMO_DATA.md §5.1) ----------------------------------------------------------
# Held meetings: "total" people present (9–28) and minutes (3–5 points). Upcoming: an agenda.
# "mois": the meeting IS an event of the agenda demo (E16): it is linked, not created again.
# "reservee": reserved to the atelier's members (the agenda hides it from others).

REUNIONS = [
    # A1 – ESS et quartiers prioritaires
    {"atelier": "A1", "date": (2026, 4, 21), "heures": ("18:00", "20:00"), "lieu": "maison-quartier-tanneurs",
     "sujet": "les besoins non couverts dans les quartiers", "total": 18,
     "compte_rendu": [
         "Tour d'horizon des quatre quartiers prioritaires à partir du diagnostic du contrat de ville : "
         "commerces fermés, garde d'enfants en horaires décalés, accès aux droits.",
         "Le Panier Commun présente son groupement d'achat des Tanneurs : 140 foyers adhérents et une forte "
         "demande de produits frais à prix accessibles.",
         "Les bailleurs sociaux signalent une dizaine de rez-de-chaussée vacants qui pourraient accueillir des "
         "activités de l'ESS.",
         "Décision : une carte partagée des besoins et des locaux vacants, tenue par le Pôle ESS Rivebelle, "
         "d'ici l'été.",
     ]},
    {"atelier": "A1", "date": (2026, 9, 22), "heures": ("18:00", "20:00"), "lieu": "centre-social-moulin-neuf",
     "sujet": "installer des activités au pied des immeubles", "total": 22,
     "compte_rendu": [
         "Présentation de la carte des besoins : 37 besoins recensés, dont 12 jugés prioritaires par les "
         "habitant·e·s.",
         "Retour d'expérience d'une conciergerie de quartier portée par une entreprise d'insertion : conditions "
         "de réussite et points de vigilance.",
         "Discussion sur des loyers progressifs pendant les trois premières années d'activité dans les locaux "
         "des bailleurs.",
         "Le Moulin-Neuf est retenu comme quartier pilote pour 2027 ; une rencontre avec les bailleurs est "
         "prévue en novembre.",
     ]},
    {"atelier": "A1", "date": (2027, 1, 12), "heures": ("18:00", "20:00"), "lieu": "maison-quartier-tanneurs",
     "sujet": "préparer le quartier pilote du Moulin-Neuf",
     "ordre_du_jour": [
         "Compte rendu de la rencontre avec les bailleurs sociaux",
         "Choix des deux premières activités à installer au Moulin-Neuf",
         "Contribution de l'atelier aux Assises du 4 février 2027",
         "Calendrier des réunions de 2027",
     ]},
    # A2 – Immobilier d'entreprises et tiers-lieux
    {"atelier": "A2", "date": (2026, 5, 13), "heures": ("17:30", "19:30"), "lieu": "fabrique-des-communs",
     "sujet": "la pépinière ESS de la Filature", "total": 14,
     "compte_rendu": [
         "Visite des espaces de l'ancienne Filature réservés à la future pépinière, environ 800 m² sur deux "
         "niveaux.",
         "La Fabrique des Communs présente le calendrier des travaux depuis l'adoption de la proposition en "
         "plénière de mars.",
         "Premiers échanges sur une grille de loyers adaptée aux associations, en trois paliers selon le budget "
         "de la structure.",
         "À faire avant septembre : recenser les structures intéressées par un bureau ou un poste de travail "
         "partagé.",
     ]},
    {"atelier": "A2", "date": (2026, 10, 6), "heures": ("17:30", "19:30"), "lieu": "fabrique-des-communs",
     "sujet": "grille de loyers et occupations temporaires", "total": 12,
     "compte_rendu": [
         "23 structures ont répondu au recensement : 9 cherchent un local d'activité, les autres un poste de "
         "travail partagé.",
         "Grille proposée : loyer réduit de 40 % la première année, puis remontée progressive jusqu'au prix "
         "du marché.",
         "Deux locaux vacants de la Métropole pourraient être prêtés à titre temporaire pendant les travaux.",
         "La grille sera présentée au conseil d'administration de la Fabrique des Communs, puis au service "
         "immobilier de la Métropole.",
     ]},
    {"atelier": "A2", "date": (2026, 12, 15), "heures": ("17:30", "19:30"), "lieu": "hotel-metropole",
     "sujet": "bilan de l'année et locaux temporaires",
     "ordre_du_jour": [
         "Avis du service immobilier sur la grille de loyers",
         "Conventions d'occupation temporaire : le modèle proposé",
         "Programme de l'atelier en 2027",
     ]},
    # A3 – Achats publics responsables et SPASER
    {"atelier": "A3", "date": (2026, 4, 14), "heures": ("09:30", "12:00"), "lieu": "hotel-metropole",
     "sujet": "lancement de la révision du SPASER", "total": 24,
     "compte_rendu": [
         "Bilan du SPASER en cours par la direction de la commande publique : les heures d'insertion "
         "progressent, les lots réservés restent rares.",
         "Les structures d'insertion demandent de connaître les marchés à venir au moins six mois à l'avance.",
         "Trois groupes de travail sont créés : objectifs chiffrés, lots réservés, connaissance de l'offre "
         "locale.",
         "Prochaine étape : une proposition d'objectifs chiffrés pour la réunion de juin.",
     ]},
    {"atelier": "A3", "date": (2026, 6, 9), "heures": ("09:30", "12:00"), "lieu": "hotel-metropole",
     "sujet": "objectifs chiffrés et familles d'achats", "total": 19, "reservee": True, "interne": True,
     "compte_rendu": [
         "Le groupe « objectifs » propose que 10 % des marchés de services comportent une clause sociale d'ici "
         "2028.",
         "Familles d'achats repérées pour des lots réservés : entretien des espaces verts, nettoyage, traiteur, "
         "reprographie.",
         "Les acheteurs ont besoin de connaître les structures en amont : un annuaire de l'offre locale est "
         "demandé.",
         "Ces chiffres restent provisoires : ils seront arbitrés avec les directions concernées.",
     ]},
    {"atelier": "A3", "date": (2026, 9, 29), "heures": ("09:30", "12:00"), "lieu": "hotel-metropole",
     "sujet": "rencontre entre acheteurs et structures de l'ESS", "total": 21,
     "compte_rendu": [
         "Rencontres express entre huit acheteurs publics et quatorze structures de l'ESS.",
         "La CRESS présente l'annuaire de l'offre locale, qui référence 85 structures.",
         "Les structures demandent des lots plus petits et des délais de réponse plus longs.",
         "Une rencontre entre acheteurs et fournisseurs de l'ESS aura lieu pendant le Mois de l'ESS.",
     ]},
    {"atelier": "A3", "date": (2026, 12, 8), "heures": ("09:30", "12:00"), "lieu": "hotel-metropole",
     "sujet": "le projet de SPASER révisé",
     "ordre_du_jour": [
         "Présentation du projet de SPASER révisé, avant la plénière du 10 décembre",
         "Retour sur les rencontres du Mois de l'ESS",
         "Indicateurs de suivi à publier chaque année",
     ]},
    # A4 – Création d'entreprises et parcours d'accompagnement
    {"atelier": "A4", "date": (2026, 5, 19), "heures": ("14:00", "16:30"), "lieu": "campus-rivebelle",
     "sujet": "cartographier le parcours du porteur de projet", "total": 16,
     "compte_rendu": [
         "Chaque structure présente son offre : accueil, formation, hébergement en coopérative d'activité, prêts "
         "d'honneur et garanties.",
         "La carte du parcours fait apparaître deux manques : l'amorçage des projets collectifs et le suivi "
         "après la création.",
         "Les porteurs présents ont été orientés vers quatre interlocuteurs en moyenne avant de trouver le bon.",
         "Piste retenue : une porte d'entrée commune, avec une fiche de premier accueil partagée.",
     ]},
    {"atelier": "A4", "date": (2026, 10, 13), "heures": ("14:00", "16:30"), "lieu": "campus-rivebelle",
     "sujet": "une porte d'entrée commune pour les porteurs", "total": 13, "reservee": True,
     "compte_rendu": [
         "Présentation de la fiche de premier accueil, testée par trois structures pendant l'été.",
         "Lère Active propose un comité d'orientation mensuel qui réunit les accompagnateurs.",
         "La fiche doit rester courte : le porteur ne raconte son projet qu'une seule fois.",
         "Un café-création commun présentera le parcours pendant le Mois de l'ESS.",
     ]},
    {"atelier": "A4", "date": (2027, 1, 19), "heures": ("14:00", "16:30"), "lieu": "campus-rivebelle",
     "sujet": "bilan du test et comité d'orientation",
     "ordre_du_jour": [
         "Bilan du test de la fiche de premier accueil",
         "Fonctionnement du comité d'orientation mensuel",
         "Retour sur le café-création du Mois de l'ESS",
     ]},
    # A5 – Initiatives collectives et expérimentations des habitants
    {"atelier": "A5", "date": (2026, 4, 30), "heures": ("18:30", "20:30"), "lieu": "mediatheque-lanvallon",
     "sujet": "repérer et financer les petites initiatives", "total": 15,
     "compte_rendu": [
         "Cinq collectifs d'habitant·e·s présentent leurs projets : jardin partagé, café de réparation, fête de "
         "quartier, aide aux devoirs, troc de vêtements.",
         "Constat partagé : les besoins sont souvent inférieurs à 1 000 €, mais les délais de réponse dépassent "
         "trois mois.",
         "La Fondation Rives Solidaires présente son fonds de soutien aux initiatives d'habitant·e·s.",
         "Idée à approfondir : un fonds de petites initiatives décidé par un jury d'habitant·e·s.",
     ]},
    {"atelier": "A5", "date": (2026, 9, 17), "heures": ("18:30", "20:30"), "lieu": "maison-quartier-tanneurs",
     "sujet": "un jury d'habitant·e·s pour décider", "total": 20,
     "compte_rendu": [
         "Projet de règlement du fonds : jusqu'à 800 € par projet, une réponse en quatre semaines au plus.",
         "Le jury réunirait des habitant·e·s tiré·e·s au sort et des représentant·e·s de collectifs.",
         "Les participant·e·s demandent un dossier d'une page et un accompagnement pour les personnes qui "
         "montent un projet pour la première fois.",
         "Le projet sera déposé comme proposition au Conseil d'ici la fin de l'année.",
     ]},
    {"atelier": "A5", "date": (2027, 1, 14), "heures": ("18:30", "20:30"), "lieu": "mediatheque-lanvallon",
     "sujet": "le règlement du fonds de petites initiatives",
     "ordre_du_jour": [
         "Relecture du règlement du fonds de petites initiatives",
         "Composition du premier jury d'habitant·e·s",
         "Communication dans les quartiers et les communes",
     ]},
    # A6 – Territoire zéro déchet, zéro gaspillage
    {"atelier": "A6", "date": (2026, 5, 5), "heures": ("18:00", "20:00"), "lieu": "ressourcerie-lere",
     "sujet": "quelles filières de réemploi ?", "total": 17,
     "compte_rendu": [
         "Visite de l'atelier de réparation et de la boutique de la Ressourcerie de la Lère.",
         "État des lieux : l'ESS est déjà présente sur les textiles, le mobilier et l'électroménager ; les "
         "biodéchets restent à organiser.",
         "Les déchèteries de la Métropole pourraient réserver une zone de dépôt pour le réemploi.",
         "Décision : la séance ouverte du Mois de l'ESS portera sur le gaspillage dans la restauration "
         "collective.",
     ]},
    {"atelier": "A6", "date": (2026, 11, 16), "heures": ("18:00", "20:00"), "lieu": "salle-fetes-villeneuve",
     "mois": "atelier-zero-dechet-gaspillage-cantines", "total": 28,
     "compte_rendu": [
         "Séance ouverte au public : parents d'élèves, cuisinier·e·s, agents et élu·e·s ont partagé leurs "
         "constats.",
         "Les cantines de Villeneuve-des-Coteaux présentent leurs pesées : le gaspillage a baissé d'un tiers en "
         "un an grâce à des portions adaptées.",
         "Repas Solidaires propose de transformer les excédents en conserves pour l'aide alimentaire.",
         "Pistes retenues : des pesées régulières dans les cantines volontaires et un guide commun pour les "
         "communes.",
     ]},
    {"atelier": "A6", "date": (2027, 1, 26), "heures": ("18:00", "20:00"), "lieu": "ressourcerie-lere",
     "sujet": "les suites de la séance ouverte sur les cantines",
     "ordre_du_jour": [
         "Suites de la séance ouverte du 16 novembre sur le gaspillage dans les cantines",
         "Projet de guide commun pour les communes",
         "Zone de réemploi dans les déchèteries : point d'étape",
     ]},
    # A7 – Commerce équitable et consommation responsable
    {"atelier": "A7", "date": (2026, 6, 3), "heures": ("18:00", "20:00"), "lieu": "hotel-metropole",
     "sujet": "produits équitables dans les achats de la collectivité", "total": 11,
     "compte_rendu": [
         "Terre & Échanges présente les produits équitables disponibles localement : café, thé, chocolat, "
         "sucre, textiles.",
         "Les réceptions de la Métropole servent déjà du café équitable ; les cantines, pas encore.",
         "Présentation des démarches de label « territoire de commerce équitable » et de leurs critères.",
         "Un petit groupe prépare une proposition pour la plénière d'automne.",
     ]},
    {"atelier": "A7", "date": (2026, 10, 20), "heures": ("18:00", "20:00"), "lieu": "hotel-metropole",
     "sujet": "préparer la démarche de label", "total": 9,
     "compte_rendu": [
         "Relecture de la proposition sur la démarche de label, soumise au vote de la plénière du 10 décembre.",
         "Repas Solidaires et Terre & Échanges testent un goûter équitable et local dans deux accueils de "
         "loisirs.",
         "Les participant·e·s souhaitent associer les commerçant·e·s du centre-ville à la démarche.",
     ]},
    # A8 – Innovation sociale, R&D et évaluation d'impact
    {"atelier": "A8", "date": (2026, 5, 26), "heures": ("14:00", "16:30"), "lieu": "campus-rivebelle",
     "sujet": "trois indicateurs communs", "total": 10,
     "compte_rendu": [
         "Le laboratoire universitaire partenaire présente les méthodes de mesure d'impact adaptées aux petites "
         "structures.",
         "Les structures présentes consacrent plusieurs jours par an à des bilans différents selon chaque "
         "financeur.",
         "Trois indicateurs sont retenus pour un test : emplois créés ou maintenus, personnes accompagnées, "
         "partenariats locaux.",
         "Cinq structures volontaires testeront ces indicateurs à l'automne.",
     ]},
    {"atelier": "A8", "date": (2027, 1, 21), "heures": ("14:00", "16:30"), "lieu": "campus-rivebelle",
     "sujet": "bilan du test des indicateurs", "reservee": True,
     "ordre_du_jour": [
         "Bilan du test des trois indicateurs par les cinq structures volontaires",
         "Temps de saisie constaté et simplifications proposées",
         "Contribution à l'évaluation concertée de la politique ESS",
     ]},
]

# --- The archived 2025 cycle (light: 2 ateliers, 3 held meetings) ---------------------------------

ATELIERS_2025 = [
    {"code": "B1", "slug": "clauses-sociales-2025", "titre": "Clauses sociales dans les marchés publics (2025)",
     "champs": [5], "elu": "U10", "agent": "U18", "animateurs": ["U9"], "structures": ["pole-ess-rivebelle"],
     "rythme": "2 séances par an",
     "resume": "Bilan des clauses sociales et préparation de la révision du SPASER.",
     "description": "<p>L'atelier a fait le bilan des clauses sociales dans les marchés de la Métropole et "
                    "préparé la révision du SPASER, devenue thématique annuelle en 2026.</p>",
     "questions": "<p>Quels marchés se prêtent le mieux aux clauses sociales ?</p>"},
    {"code": "B2", "slug": "mobilites-solidaires-2025", "titre": "Mobilités solidaires (2025)", "champs": [6],
     "elu": "U14", "agent": "U17", "animateurs": [], "structures": ["velo-cite-atelier"],
     "rythme": "1 séance par an",
     "resume": "Le vélo et les mobilités solidaires pour l'accès à l'emploi.",
     "description": "<p>L'atelier a réuni les acteurs des mobilités solidaires autour de l'accès à l'emploi : "
                    "ateliers vélo, prêt de véhicules, apprentissage.</p>",
     "questions": "<p>Comment aider les personnes sans moyen de transport à se rendre au travail ?</p>"},
]

REUNIONS_2025 = [
    {"atelier": "B1", "date": (2025, 3, 18), "heures": ("09:30", "12:00"), "lieu": "hotel-metropole",
     "sujet": "bilan des clauses sociales 2024", "total": 15,
     "compte_rendu": [
         "Les clauses sociales ont représenté environ 60 000 heures d'insertion en 2024.",
         "Les marchés de travaux concentrent l'essentiel des heures ; les services restent peu concernés.",
         "Les structures demandent un interlocuteur unique pour les clauses à la Métropole.",
     ]},
    {"atelier": "B1", "date": (2025, 10, 14), "heures": ("09:30", "12:00"), "lieu": "hotel-metropole",
     "sujet": "préparer la révision du SPASER", "total": 19,
     "compte_rendu": [
         "Le SPASER arrive à échéance : l'atelier propose d'associer les acteurs à sa révision.",
         "Premières pistes : objectifs chiffrés, lots réservés, meilleure connaissance de l'offre locale.",
         "La révision du SPASER sera proposée comme thématique annuelle 2026.",
     ]},
    {"atelier": "B2", "date": (2025, 5, 22), "heures": ("18:00", "20:00"), "lieu": "mediatheque-saint-ormel",
     "sujet": "le vélo pour aller au travail", "total": 12,
     "compte_rendu": [
         "Vélo-Cité Atelier présente ses séances d'apprentissage du vélo pour adultes.",
         "Les structures d'insertion évoquent les salarié·e·s qui refusent un poste faute de transport.",
         "Piste : un prêt de vélos de trois mois pour les personnes qui reprennent un emploi.",
         "L'atelier ne sera pas reconduit en 2026 ; le sujet rejoint les Assises de 2027.",
     ]},
]

# --- Membership of the Conseil (DEMO_DATA.md §3; collèges of ``comptes.setup.COLLEGES``) ------------

SECRETARIAT = "U17"
MANDATS = [
    # persona, structure (slug), collège (slug), statut, public, demandé le, décidé le, motivation
    ("U3", "ressourcerie-lere", "associations", "valide", True, (2026, 1, 8, 9, 15), (2026, 1, 20, 14, 0),
     "Représenter les acteurs du réemploi et de l'insertion."),
    ("U5", "panier-commun", "associations", "valide", False, (2026, 1, 12, 20, 30), (2026, 1, 20, 14, 5),
     "Porter la voix des habitant·e·s des Tanneurs et des épiceries solidaires."),
    ("U4", "bati-coop", "cooperatives-mutuelles", "valide", True, (2026, 1, 9, 11, 0), (2026, 1, 20, 14, 10),
     "Contribuer aux questions de logement et d'éco-rénovation."),
    ("U6", "cooperative-ouvrage", "cooperatives-mutuelles", "demande", True, (2026, 11, 4, 16, 20), None,
     "La Coopérative Ouvrage souhaite participer aux votes du Conseil et suivre les propositions sur "
     "l'accompagnement des créateurs."),
    ("U7", "repas-solidaires", "entreprises-ess", "valide", True, (2026, 1, 14, 8, 45), (2026, 1, 20, 14, 15),
     "Représenter les entreprises de l'ESS agréées ESUS."),
    ("U8", "cress-val-de-lere", "reseaux-cress", "valide", True, (2026, 1, 6, 10, 0), (2026, 1, 15, 9, 30),
     "Représenter la CRESS Val-de-Lère, cofondatrice du Conseil."),
    ("U9", "pole-ess-rivebelle", "reseaux-cress", "valide", True, (2026, 1, 6, 10, 30), (2026, 1, 15, 9, 35),
     "Représenter le Pôle ESS Rivebelle, tête de réseau locale."),
    ("U10", "rivebelle-metropole", "collectivites-elus", "valide", True, (2026, 1, 5, 9, 0), (2026, 1, 15, 9, 0),
     "Vice-présidente en charge de l'ESS : co-préside les séances."),
    ("U11", "rivebelle-metropole", "collectivites-elus", "valide", True, (2026, 1, 5, 9, 5), (2026, 1, 15, 9, 5),
     "Président de la Métropole, cofondatrice du Conseil."),
    ("U12", "ville-de-rivebelle", "collectivites-elus", "valide", True, (2026, 1, 5, 9, 10), (2026, 1, 15, 9, 10),
     "Maire de Rivebelle, cofondatrice du Conseil."),
]
