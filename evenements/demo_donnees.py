"""The demo data of the agenda (DEMO_DATA.md §1.2, §8, §9): venues, the Mois de l'ESS 2026, the Assises 2027.

Plain data, loaded by ``evenements.demo``. Times are local (Europe/Paris). Addresses and coordinates
are invented around a fictional Rivebelle (about 47.2° N, 1.5° E).
"""

# slug, nom, commune, adresse, latitude, longitude, capacité, accès fauteuil, informations d'accessibilité
LIEUX = [
    ("hotel-metropole", "Hôtel de la Métropole – salle du Conseil", "rivebelle", "1 place de la Lère",
     "47.201420", "1.498730", 200, "oui", "Entrée de plain-pied par le parvis ; boucle magnétique dans la salle."),
    ("halle-aux-grains", "Halle aux Grains", "rivebelle", "12 quai des Tanneurs",
     "47.198650", "1.504120", 400, "oui", "Accès de plain-pied ; toilettes adaptées au rez-de-chaussée."),
    ("campus-rivebelle", "Campus universitaire – amphithéâtre B", "rivebelle", "45 avenue de l'Université",
     "47.214380", "1.486950", 250, "oui", "Ascenseur depuis le hall principal ; places réservées au premier rang."),
    ("maison-quartier-tanneurs", "Maison de quartier des Tanneurs", "rivebelle", "8 rue des Mégissiers",
     "47.196210", "1.509870", 60, "oui", "Salle au rez-de-chaussée."),
    ("fabrique-des-communs", "La Fabrique des Communs (ancienne Filature)", "port-sainte-aude",
     "3 rue de la Filature", "47.183940", "1.552310", 150, "oui",
     "Rampe d'accès côté cour ; ascenseur vers la mezzanine."),
    ("centre-social-moulin-neuf", "Centre social du Moulin-Neuf", "port-sainte-aude", "27 allée du Moulin-Neuf",
     "47.180570", "1.559480", 40, "oui", "Salle au rez-de-chaussée ; stationnement réservé devant l'entrée."),
    ("cinema-le-lumiere", "Cinéma Le Lumière", "lanvallon", "5 place de la République",
     "47.232760", "1.441290", 180, "oui", "Emplacements pour fauteuils roulants au dernier rang ; boucle magnétique."),
    ("mediatheque-lanvallon", "Médiathèque de Lanvallon", "lanvallon", "14 rue Jules-Ferry",
     "47.234110", "1.438640", 80, "oui", "Exposition au rez-de-chaussée ; livrets en FALC à l'accueil."),
    ("mediatheque-saint-ormel", "Médiathèque de Saint-Ormel", "saint-ormel", "2 avenue de la Gare",
     "47.168420", "1.472950", 70, "oui", "Auditorium accessible par ascenseur."),
    ("marche-couvert-montval", "Marché couvert", "montval-sur-lere", "Place du Marché",
     "47.245930", "1.531170", None, "oui", "Allées larges, sol plat."),
    ("ressourcerie-lere", "Ressourcerie de la Lère", "bois-clair", "18 rue de l'Industrie, zone d'activités",
     "47.189860", "1.525640", 120, "partiel",
     "Boutique de plain-pied ; l'atelier de réparation est à l'étage, sans ascenseur."),
    ("salle-fetes-villeneuve", "Salle des fêtes", "villeneuve-des-coteaux", "9 chemin des Vignes",
     "47.221540", "1.563820", 150, "oui", "Accès de plain-pied."),
    ("mairie-haute-fontaine", "Mairie – salle des mariages", "haute-fontaine", "1 place de la Mairie",
     "47.257380", "1.468210", 50, "oui", "Ascenseur à gauche de l'entrée principale."),
    ("en-ligne", "En ligne (visioconférence)", None, "", None, None, 300, "na",
     "Sous-titrage automatique proposé ; transcription envoyée après la séance."),
]

MOIS = {
    "slug": "mois-ess-2026",
    "titre": "Mois de l'ESS 2026 à Rivebelle Métropole",
    "type": "mois_ess",
    "date_debut": (2026, 11, 1),
    "date_fin": (2026, 11, 30),
    "coordination": "cress-val-de-lere",
    "ouvert_aux_propositions": True,
    "description": (
        "<p>Tout au long du mois de novembre, les entreprises et associations de l'économie sociale et solidaire "
        "ouvrent leurs portes aux habitant·e·s de la métropole. Visites, débats, formations, marchés et fêtes : "
        "une trentaine de rendez-vous montrent comment l'ESS crée des emplois et rend des services près de chez "
        "vous. La CRESS Val-de-Lère coordonne cette édition, avec le soutien de Rivebelle Métropole.</p>"
    ),
}

# One line per event of DEMO_DATA.md §8. Keys:
#   jour (November 2026), heures ("HH:MM", "HH:MM") or None for an all-day span with "jusqu_au" (inclusive);
#   lieu (slug) or None with "precision" and "commune"; structures (slugs of comptes/demo_donnees.py);
#   inscription: "libre" | "conseillee" | "obligatoire"; "plateforme": registrations taken here, with "places".
EVENEMENTS_MOIS = [
    {"n": 1, "slug": "lancement-mois-ess-2026", "jour": 3, "heures": ("18:30", "21:00"), "type": "conference",
     "titre": "Soirée de lancement du Mois de l'ESS", "lieu": "halle-aux-grains",
     "structures": ["cress-val-de-lere", "rivebelle-metropole"], "publics": ["grand_public"],
     "inscription": "conseillee", "plateforme": True, "places": 400, "champs": [6], "lsf": True,
     "resume": "Ouverture du mois : présentation du programme et témoignages d'entrepreneur·e·s de l'ESS.",
     "description": "<p>La soirée ouvre le Mois de l'ESS : présentation des trente rendez-vous de novembre, "
                    "témoignages de structures du territoire et verre de l'amitié préparé par un traiteur "
                    "solidaire.</p>"},
    {"n": 2, "slug": "exposition-l-ess-pres-de-chez-vous", "jour": 3, "jusqu_au": 27, "type": "exposition",
     "titre": "Exposition « L'ESS près de chez vous »", "lieu": "mediatheque-lanvallon",
     "structures": ["cress-val-de-lere"], "publics": ["grand_public"], "inscription": "libre", "champs": [6],
     "falc": True,
     "resume": "Portraits et cartes des structures de l'ESS de la métropole, aux heures d'ouverture de la "
               "médiathèque.",
     "description": "<p>Vingt portraits photographiques et une grande carte présentent les coopératives, "
                    "associations et mutuelles de la métropole. Livret en facile à lire et à comprendre "
                    "disponible à l'accueil.</p>"},
    {"n": 3, "slug": "petit-dejeuner-des-acheteurs", "jour": 4, "heures": ("08:30", "10:30"),
     "type": "rencontre_affaires",
     "titre": "Petit-déjeuner des acheteurs : rencontrer les fournisseurs de l'ESS", "lieu": "hotel-metropole",
     "structures": ["rivebelle-metropole", "pole-ess-rivebelle"],
     "organisateurs": "Direction de la commande publique de Rivebelle Métropole", "publics": ["professionnels"],
     "inscription": "obligatoire", "plateforme": True, "places": 80, "champs": [5], "boucle": True,
     "resume": "Acheteurs publics et privés rencontrent les fournisseurs de l'ESS du territoire.",
     "description": "<p>Un format court pour que les acheteurs découvrent l'offre des structures d'insertion, "
                    "des entreprises adaptées et des coopératives : rendez-vous de dix minutes autour d'un "
                    "petit-déjeuner.</p>"},
    {"n": 4, "slug": "visite-ressourcerie-de-la-lere", "jour": 5, "heures": ("14:00", "16:00"), "type": "visite",
     "titre": "Visite de la Ressourcerie de la Lère", "lieu": "ressourcerie-lere",
     "structures": ["ressourcerie-lere"], "publics": ["grand_public"], "inscription": "obligatoire",
     "plateforme": True, "places": 20, "champs": [4, 6],
     "resume": "De la collecte à la revente : les coulisses d'un atelier et chantier d'insertion.",
     "description": "<p>Suivez le parcours d'un objet, de la collecte à la boutique, et rencontrez les salarié·e·s "
                    "en insertion qui trient, réparent et revendent. Visite limitée à vingt personnes.</p>"},
    {"n": 5, "slug": "cine-debat-travailler-en-cooperative", "jour": 5, "heures": ("20:00", "22:30"),
     "type": "projection_debat", "titre": "Ciné-débat : travailler autrement en coopérative",
     "lieu": "cinema-le-lumiere", "structures": ["bati-coop"], "organisateurs": "Cinéma Le Lumière",
     "publics": ["grand_public"], "inscription": "libre", "gratuit": False, "tarif": "4 €", "champs": [6, 2],
     "boucle": True,
     "resume": "Un documentaire sur une SCOP, suivi d'un débat avec des coopérateurs du bâtiment.",
     "description": "<p>Projection d'un documentaire sur la reprise d'une entreprise par ses salarié·e·s, puis "
                    "échange avec les co-gérants de Bâti-Coop Rivebelle sur la vie d'une SCOP.</p>"},
    {"n": 6, "slug": "formation-repondre-a-un-marche-public", "jour": 6, "heures": ("09:00", "17:00"),
     "type": "formation", "titre": "Répondre à un marché public quand on est une structure de l'ESS",
     "lieu": "hotel-metropole", "structures": ["cress-val-de-lere"], "publics": ["structures_ess"],
     "inscription": "obligatoire", "plateforme": True, "places": 30, "champs": [5, 2], "boucle": True,
     "resume": "Une journée pour lire un dossier de consultation et construire une réponse.",
     "description": "<p>Clauses sociales, lots réservés, groupements : une journée de formation pratique, à partir "
                    "de dossiers de consultation réels de la Métropole. Repas offert.</p>"},
    {"n": 7, "slug": "marche-producteurs-artisans-solidaires", "jour": 7, "heures": ("08:00", "13:00"),
     "type": "marche", "titre": "Marché des producteurs et artisans solidaires", "lieu": "marche-couvert-montval",
     "structures": ["panier-commun"], "organisateurs": "Producteurs et artisans du territoire",
     "publics": ["grand_public"], "inscription": "libre", "champs": [5, 6],
     "resume": "Produits locaux, artisanat et commerce équitable sous la halle de Montval.",
     "description": "<p>Une vingtaine d'étals réunissent producteurs en circuit court, artisans et structures "
                    "de l'ESS. Le Panier Commun présente son groupement d'achat.</p>"},
    {"n": 8, "slug": "atelier-reparation-velo", "jour": 7, "heures": ("14:00", "17:00"), "type": "atelier",
     "titre": "Atelier réparation vélo : apprenez à entretenir votre vélo", "lieu": None,
     "precision": "Place de la gare, Saint-Ormel", "commune": "saint-ormel", "acces": "oui",
     "structures": ["velo-cite-atelier"], "publics": ["grand_public"], "inscription": "libre",
     "gratuit": False, "tarif": "Prix libre", "champs": [6],
     "resume": "Crevaison, freins, dérailleur : on répare ensemble, outils fournis.",
     "description": "<p>Les bénévoles de Vélo-Cité Atelier installent leur atelier mobile devant la gare : venez "
                    "avec votre vélo et apprenez les réglages de base.</p>"},
    {"n": 9, "slug": "cafe-creation-entreprendre-en-cooperative", "jour": 9, "heures": ("18:00", "20:00"),
     "type": "cafe_creation", "titre": "Café-création : entreprendre en coopérative",
     "lieu": "centre-social-moulin-neuf", "structures": ["cooperative-ouvrage", "lere-active"],
     "publics": ["porteurs"], "inscription": "conseillee", "plateforme": True, "places": 40, "champs": [1],
     "resume": "Porteurs de projet : découvrez la coopérative d'activité et les financements solidaires.",
     "description": "<p>Autour d'un café, la Coopérative Ouvrage et Lère Active répondent aux questions des "
                    "porteurs de projet : statut d'entrepreneur salarié, prêt d'honneur, premiers pas.</p>"},
    {"n": 10, "slug": "webinaire-agrement-esus", "jour": 10, "heures": ("12:30", "13:30"), "type": "webinaire",
     "titre": "L'agrément ESUS : pour qui, pour quoi ?", "lieu": "en-ligne", "mode": "en_ligne",
     "lien": "https://visio.example.org/cress-val-de-lere/agrement-esus",
     "structures": ["cress-val-de-lere"], "publics": ["structures_ess"], "inscription": "obligatoire",
     "plateforme": True, "places": 300, "champs": [2, 1], "sous_titrage": True,
     "resume": "Une heure pour comprendre l'agrément « entreprise solidaire d'utilité sociale ».",
     "description": "<p>Conditions, démarches et effets de l'agrément ESUS, avec le témoignage d'une entreprise "
                    "agréée. Le lien de connexion est rappelé aux inscrit·e·s la veille.</p>"},
    {"n": 11, "slug": "forum-creation-reprise-entreprises", "jour": 12, "heures": ("09:00", "17:00"),
     "type": "forum", "titre": "Forum de la création et de la reprise d'entreprises", "lieu": "campus-rivebelle",
     "structures": ["rivebelle-metropole", "lere-active", "cooperative-ouvrage", "cci-chambre-des-metiers"],
     "publics": ["porteurs"], "inscription": "libre", "champs": [1],
     "resume": "Tous les accompagnateurs et financeurs de la création d'entreprise réunis sur une journée.",
     "description": "<p>Stands, ateliers courts et rendez-vous individuels : le forum réunit les réseaux "
                    "d'accompagnement, les financeurs solidaires et les coopératives d'activité.</p>"},
    {"n": 12, "slug": "table-ronde-ess-dans-les-quartiers", "jour": 12, "heures": ("18:30", "20:30"),
     "type": "table_ronde", "titre": "L'ESS dans les quartiers : qui fait quoi ?",
     "lieu": "maison-quartier-tanneurs", "structures": ["pole-ess-rivebelle"],
     "organisateurs": "Atelier « ESS et quartiers prioritaires » du Conseil de l'ESS",
     "publics": ["grand_public", "elus_agents"], "inscription": "conseillee", "plateforme": True, "places": 60,
     "champs": [6, 2],
     "resume": "Habitant·e·s, associations et élu·e·s dressent la carte des initiatives des Tanneurs.",
     "description": "<p>Qui fait quoi dans les quartiers prioritaires ? Une table ronde ouverte aux "
                    "habitant·e·s, pour repérer les besoins et les projets portés par l'ESS.</p>"},
    {"n": 13, "slug": "journee-entrepreneuriat-etudiant-ess", "jour": 13, "heures": ("13:30", "18:00"),
     "type": "concours", "titre": "Journée de l'entrepreneuriat étudiant en ESS", "lieu": "campus-rivebelle",
     "structures": ["cress-val-de-lere"], "organisateurs": "Université de Rivebelle", "publics": ["jeunes"],
     "inscription": "obligatoire", "champs": [1, 6],
     "resume": "Des équipes d'étudiant·e·s présentent leur projet d'entreprise sociale devant un jury.",
     "description": "<p>Concours de projets étudiants en ESS : les équipes s'inscrivent auprès de la CRESS "
                    "Val-de-Lère ; le public assiste librement aux présentations et à la remise des prix.</p>"},
    {"n": 14, "slug": "portes-ouvertes-fabrique-des-communs", "jour": 14, "heures": ("10:00", "18:00"),
     "type": "portes_ouvertes", "titre": "Portes ouvertes de La Fabrique des Communs",
     "lieu": "fabrique-des-communs", "structures": ["fabrique-des-communs"], "publics": ["grand_public"],
     "inscription": "libre", "champs": [3],
     "resume": "Coworking, café et ateliers : visitez le tiers-lieu coopératif de l'ancienne Filature.",
     "description": "<p>Visites guidées toutes les heures, rencontres avec les coopérateurs de la SCIC et "
                    "présentation du projet de pépinière ESS.</p>"},
    {"n": 15, "slug": "itineraire-ess-centre-ville", "jour": 14, "heures": ("14:00", "16:30"), "type": "visite",
     "titre": "Itinéraire de l'ESS en centre-ville : balade à la rencontre des structures", "lieu": None,
     "precision": "Départ : parvis de l'Hôtel de la Métropole, 1 place de la Lère", "commune": "rivebelle",
     "acces": "partiel", "infos_acces": "Parcours à pied d'environ 3 km, avec deux passages pavés.",
     "structures": ["pole-ess-rivebelle"], "publics": ["grand_public"], "inscription": "obligatoire",
     "plateforme": True, "places": 25, "champs": [6],
     "resume": "Une balade commentée de deux heures et demie, de l'épicerie coopérative au café associatif.",
     "description": "<p>Le Pôle ESS Rivebelle vous emmène à la rencontre de six structures du centre-ville. "
                    "Groupe limité à vingt-cinq personnes.</p>"},
    {"n": 16, "slug": "atelier-zero-dechet-gaspillage-cantines", "jour": 16, "heures": ("18:00", "20:00"),
     "type": "reunion_atelier",
     "titre": "Séance ouverte de l'atelier « Territoire zéro déchet » : le gaspillage dans les cantines",
     "lieu": "salle-fetes-villeneuve", "structures": ["rivebelle-metropole", "ressourcerie-lere"],
     "organisateurs": "Conseil de l'ESS – atelier « Territoire zéro déchet, zéro gaspillage »",
     "publics": ["grand_public"], "inscription": "conseillee", "plateforme": True, "places": 150,
     "champs": [4, 5],
     "resume": "Parents, cuisiniers et élu·e·s cherchent ensemble comment réduire le gaspillage à la cantine.",
     "description": "<p>Séance ouverte à toutes et tous, en particulier aux parents d'élèves : retours "
                    "d'expérience des cantines de Villeneuve-des-Coteaux et pistes pour la restauration "
                    "collective.</p>"},
    {"n": 17, "slug": "matinee-elus-agents-ess-communes", "jour": 17, "heures": ("09:00", "12:30"),
     "type": "formation", "titre": "Matinée des élus et des agents : l'ESS dans nos communes",
     "lieu": "mairie-haute-fontaine", "structures": ["rivebelle-metropole", "cress-val-de-lere"],
     "publics": ["elus_agents"], "inscription": "obligatoire", "plateforme": True, "places": 50, "champs": [6],
     "resume": "Ce qu'une commune peut faire pour l'ESS : achats, locaux, subventions, coopération.",
     "description": "<p>Une matinée d'échanges entre élu·e·s et agent·e·s des communes de la métropole, avec "
                    "des exemples concrets de coopération avec les structures de l'ESS.</p>"},
    {"n": 18, "slug": "conference-commerce-equitable", "jour": 17, "heures": ("19:00", "21:00"),
     "type": "conference", "titre": "Le commerce équitable, d'ici et d'ailleurs", "lieu": "hotel-metropole",
     "structures": ["terre-et-echanges"], "publics": ["grand_public"], "inscription": "libre",
     "champs": [5, 6], "boucle": True,
     "resume": "Du café d'Amérique latine au lait de nos campagnes : ce que garantit le commerce équitable.",
     "description": "<p>Terre &amp; Échanges invite une productrice et un chercheur pour parler de commerce "
                    "équitable international et local.</p>"},
    {"n": 19, "slug": "atelier-jeunes-cooperative-de-services", "jour": 18, "heures": ("14:00", "17:00"),
     "type": "atelier", "titre": "Atelier jeunes : créer sa coopérative de services", "lieu": None,
     "precision": "Espace jeunes, 4 rue des Écoles, Les Aubiers", "commune": "les-aubiers", "acces": "oui",
     "structures": ["cooperative-ouvrage"], "publics": ["jeunes"], "inscription": "obligatoire",
     "plateforme": True, "places": 15, "champs": [1, 6],
     "resume": "Pour les 16–25 ans : découvrir la coopérative jeunesse de services de l'été prochain.",
     "description": "<p>Un après-midi pour comprendre comment des jeunes de 16 à 25 ans créent et gèrent "
                    "ensemble une coopérative de services pendant l'été. Quinze places.</p>"},
    {"n": 20, "slug": "cafe-affaires-zone-bois-clair", "jour": 19, "heures": ("08:30", "10:00"),
     "type": "rencontre_affaires", "titre": "Café d'affaires : structures de l'ESS et entreprises de la zone",
     "lieu": None, "precision": "Zone d'activités de Bois-Clair, maison des entreprises, 2 rue de l'Industrie",
     "commune": "bois-clair", "acces": "oui",
     "structures": ["cress-val-de-lere", "cci-chambre-des-metiers"],
     "organisateurs": "Rives Coopératives (pôle territorial de coopération économique)",
     "publics": ["professionnels"], "inscription": "obligatoire", "plateforme": True, "places": 40,
     "champs": [5],
     "resume": "Entreprises de la zone et structures de l'ESS se rencontrent pour travailler ensemble.",
     "description": "<p>Sous-traitance, recyclage des déchets, services aux salarié·e·s : un café d'affaires pour "
                    "nouer des partenariats locaux.</p>"},
    {"n": 21, "slug": "prix-innovation-sociale-2026", "jour": 19, "heures": ("18:00", "20:00"),
     "type": "concours",
     "titre": "Remise du Prix de l'innovation sociale de Rivebelle (thème 2026 : bien vieillir chez soi)",
     "lieu": "hotel-metropole", "structures": ["rivebelle-metropole", "mutuelle-des-coteaux"],
     "publics": ["grand_public"], "inscription": "conseillee", "plateforme": True, "places": 200, "champs": [4],
     "boucle": True,
     "resume": "Les lauréats du prix présentent leurs projets pour bien vieillir chez soi.",
     "description": "<p>La Métropole et la Mutuelle des Coteaux récompensent trois projets d'innovation sociale "
                    "consacrés au maintien à domicile des personnes âgées.</p>"},
    {"n": 22, "slug": "visite-chantier-insertion-espaces-verts", "jour": 20, "heures": ("09:30", "12:00"),
     "type": "visite", "titre": "Visite d'un chantier d'insertion en espaces verts", "lieu": None,
     "precision": "Parc des Sablons, entrée rue du Bac", "commune": "sablons-la-riviere", "acces": "partiel",
     "infos_acces": "Chemins stabilisés ; certaines parties du chantier sont en pente.",
     "structures": ["tremplin-services"], "publics": ["professionnels", "elus_agents"],
     "inscription": "obligatoire", "champs": [2, 5],
     "statut": "annule", "motif": "Reporté au printemps – conditions météo",
     "resume": "Acheteurs et élu·e·s découvrent un chantier d'insertion en espaces verts.",
     "description": "<p>Tremplin Services présente un chantier d'entretien du parc des Sablons et le parcours "
                    "des salarié·e·s en insertion.</p>"},
    {"n": 23, "slug": "concert-solidaire-soiree-festive", "jour": 20, "heures": ("20:00", "23:30"),
     "type": "fete", "titre": "Concert solidaire et soirée festive", "lieu": "cinema-le-lumiere",
     "precision": "Hall du cinéma", "structures": [],
     "organisateurs": "Collectif d'associations de Lanvallon", "publics": ["grand_public"],
     "inscription": "libre", "gratuit": False, "tarif": "Prix libre", "champs": [6],
     "resume": "Trois groupes locaux et une buvette solidaire dans le hall du cinéma.",
     "description": "<p>Le collectif d'associations de Lanvallon fête l'ESS en musique. Recettes reversées aux "
                    "actions solidaires du collectif.</p>"},
    {"n": 24, "slug": "salon-seconde-main-reemploi", "jour": 21, "heures": ("10:00", "17:00"), "type": "marche",
     "titre": "Salon de la seconde main et du réemploi", "lieu": "ressourcerie-lere",
     "structures": ["ressourcerie-lere"], "publics": ["grand_public"], "inscription": "libre", "champs": [6, 4],
     "resume": "Vêtements, meubles, vélos : une journée pour acheter d'occasion et apprendre à réparer.",
     "description": "<p>Exposants du réemploi, démonstrations de réparation et grande braderie solidaire.</p>"},
    {"n": 25, "slug": "projection-debat-habitat-participatif", "jour": 23, "heures": ("18:30", "20:30"),
     "type": "projection_debat", "titre": "Habiter ensemble : projection-débat sur l'habitat participatif",
     "lieu": "mediatheque-saint-ormel", "structures": ["bati-coop"], "publics": ["grand_public"],
     "inscription": "libre", "champs": [3],
     "resume": "Un film sur un habitat partagé, puis un débat sur les projets possibles dans la métropole.",
     "description": "<p>Après la projection, des habitant·e·s d'un habitat participatif et Bâti-Coop Rivebelle "
                    "répondent aux questions : montage juridique, chantier, vie collective.</p>"},
    {"n": 26, "slug": "atelier-mesurer-son-impact-social", "jour": 24, "heures": ("14:00", "17:00"),
     "type": "atelier", "titre": "Mesurer son impact social sans s'épuiser", "lieu": "campus-rivebelle",
     "structures": ["lere-active"],
     "organisateurs": "Atelier « Innovation sociale, R&D et évaluation d'impact » du Conseil de l'ESS",
     "publics": ["structures_ess"], "inscription": "obligatoire", "plateforme": True, "places": 30, "champs": [4],
     "resume": "Trois indicateurs simples pour rendre compte de son utilité sociale.",
     "description": "<p>Un atelier pratique pour les petites structures : choisir trois indicateurs, les "
                    "renseigner sans y passer ses soirées, et les présenter aux financeurs.</p>"},
    {"n": 27, "slug": "decouverte-epicerie-panier-commun", "jour": 25, "heures": ("10:00", "12:00"),
     "type": "visite", "titre": "Découverte de l'épicerie coopérative Le Panier Commun", "lieu": None,
     "precision": "Le Panier Commun, 21 rue des Tanneurs (quartier des Tanneurs)", "commune": "rivebelle",
     "acces": "oui", "structures": ["panier-commun"], "publics": ["grand_public"], "inscription": "libre",
     "champs": [6, 2],
     "resume": "Comment fonctionne une épicerie coopérative de quartier ? Visite et dégustation.",
     "description": "<p>Les bénévoles présentent le groupement d'achat, les prix et l'organisation de "
                    "l'épicerie, puis proposent une dégustation de produits locaux.</p>"},
    {"n": 28, "slug": "visite-atelier-du-port", "jour": 26, "heures": ("14:00", "16:00"), "type": "visite",
     "titre": "Visite de L'Atelier du Port, entreprise adaptée", "lieu": None,
     "precision": "L'Atelier du Port, 6 quai de la Filature", "commune": "port-sainte-aude", "acces": "oui",
     "structures": ["atelier-du-port"], "publics": ["professionnels", "grand_public"],
     "inscription": "obligatoire", "plateforme": True, "places": 15, "champs": [5, 2],
     "resume": "Conditionnement et blanchisserie : une entreprise adaptée ouvre ses ateliers.",
     "description": "<p>Découvrez les métiers d'une entreprise adaptée, où travaillent majoritairement des "
                    "personnes en situation de handicap. Quinze places.</p>"},
    {"n": 29, "slug": "marathon-competences-benevoles", "jour": 27, "heures": ("09:00", "13:00"),
     "type": "atelier", "titre": "Marathon de compétences bénévoles au service d'une association",
     "lieu": "fabrique-des-communs", "structures": ["fabrique-des-communs"],
     "organisateurs": "Entreprises mécènes du territoire", "publics": ["professionnels"],
     "inscription": "obligatoire", "plateforme": True, "places": 30, "champs": [2], "statut": "a_confirmer",
     "motif": "Date à confirmer avec l'association bénéficiaire.",
     "resume": "Des salarié·e·s d'entreprises mettent leurs compétences au service d'une association.",
     "description": "<p>Une matinée pour aider une association sur un besoin précis : communication, "
                    "comptabilité, site web. L'association bénéficiaire sera annoncée prochainement.</p>"},
    {"n": 30, "slug": "fete-cloture-village-des-initiatives", "jour": 28, "heures": ("10:00", "18:00"),
     "type": "fete", "titre": "Fête de clôture du Mois de l'ESS : village des initiatives",
     "lieu": "halle-aux-grains", "structures": ["cress-val-de-lere", "rivebelle-metropole"],
     "publics": ["grand_public"], "inscription": "libre", "champs": [6], "lsf": True,
     "resume": "Stands, animations et concerts pour clore le mois à la Halle aux Grains.",
     "description": "<p>Un village de quarante stands, des animations pour les enfants et un concert de clôture. "
                    "Interprétation en langue des signes pour les prises de parole.</p>"},
]

# Submitted by an actor (U3) for the Mois, waiting in the moderation queue.
PROPOSES_PAR = "nadia.benarfa@example.org"
EVENEMENTS_A_MODERER = [
    {"slug": "atelier-couture-reparer-ses-vetements", "jour": 26, "heures": ("14:00", "17:00"), "type": "atelier",
     "titre": "Atelier couture : réparer ses vêtements au lieu de les jeter", "lieu": "ressourcerie-lere",
     "structures": ["ressourcerie-lere"], "publics": ["grand_public"], "inscription": "obligatoire",
     "plateforme": True, "places": 12, "champs": [4, 6],
     "resume": "Ourlets, boutons, accrocs : les couturières de la Ressourcerie transmettent leurs gestes.",
     "description": "<p>Apportez un vêtement à réparer : machines et fournitures sont prêtées. Douze places.</p>"},
    {"slug": "collecte-solidaire-jouets", "jour": 28, "heures": ("10:00", "16:00"), "type": "autre",
     "titre": "Grande collecte solidaire de jouets", "lieu": "ressourcerie-lere",
     "structures": ["ressourcerie-lere"], "publics": ["grand_public"], "inscription": "libre", "champs": [4],
     "resume": "Déposez les jouets dont vos enfants ne se servent plus : ils seront vérifiés et revendus.",
     "description": "<p>Les jouets collectés sont nettoyés et vérifiés par l'équipe en insertion, puis revendus "
                    "à petit prix avant les fêtes.</p>"},
]

ASSISES = {
    "slug": "assises-2027",
    "titre": "Assises métropolitaines de l'ESS 2027",
    "type": "assises",
    "date_debut": (2027, 2, 4),
    "date_fin": (2027, 2, 4),
    "coordination": "rivebelle-metropole",
    "ouvert_aux_propositions": False,
    "description": (
        "<p>Une journée pour faire de l'ESS une partenaire des politiques métropolitaines : bilan du Conseil de "
        "l'ESS, quatre ateliers thématiques présidés par les vice-présidences concernées, puis des engagements "
        "pour 2027. Chaque participant·e choisit un atelier.</p>"
    ),
}

JOURNEE_ASSISES = {
    "slug": "assises-2027-journee", "titre": "L'ESS, partenaire des politiques métropolitaines",
    "type": "forum", "heures": ("08:45", "17:00"), "lieu": "halle-aux-grains",
    "structures": ["rivebelle-metropole", "cress-val-de-lere"], "organisateurs": "Conseil de l'ESS de Rivebelle",
    "publics": ["structures_ess", "elus_agents", "grand_public"], "inscription": "obligatoire", "places": 250,
    "champs": [1, 2, 3, 4, 5, 6], "inscrits": 96,
    "resume": "Les Assises 2027 : plénière, quatre ateliers parallèles, restitution et engagements.",
    "description": "<p>Les Assises réunissent acteurs de l'ESS, élu·e·s et services de la Métropole. Le déjeuner "
                   "est préparé par Repas Solidaires, traiteur solidaire agréé ESUS.</p>",
}

CRENEAU_ATELIERS = {"libelle": "Ateliers parallèles", "heures": ("10:45", "12:30")}

# heures, slug, titre, type, salle, intervenant·e·s, structures
SEQUENCES_ASSISES = [
    (("08:45", "09:30"), "assises-2027-accueil", "Accueil café", "sequence", "Hall", "Repas Solidaires",
     ["repas-solidaires"]),
    (("09:30", "10:30"), "assises-2027-pleniere-ouverture",
     "Plénière d'ouverture : bilan du Conseil de l'ESS et enjeux 2027", "sequence", "Grande salle",
     "Bernard Oudinot, président de la Métropole ; Hélène Marceau, vice-présidente en charge de l'ESS et de "
     "l'économie circulaire ; la présidence de la CRESS Val-de-Lère", []),
    (("12:30", "14:00"), "assises-2027-dejeuner", "Déjeuner", "sequence", "Hall", "Repas Solidaires",
     ["repas-solidaires"]),
    (("14:00", "15:00"), "assises-2027-restitution", "Restitution des quatre ateliers", "sequence",
     "Grande salle", "Les quatre rapporteur·e·s des ateliers", []),
    (("15:00", "16:15"), "assises-2027-table-ronde",
     "Table ronde : co-construire les politiques publiques avec l'ESS", "table_ronde", "Grande salle",
     "Hélène Marceau (Métropole), Claire Vasseur (CRESS Val-de-Lère), Nadia Benarfa (Ressourcerie de la Lère), "
     "Sylvie Lambertin (maire de Rivebelle)", []),
    (("16:15", "17:00"), "assises-2027-cloture", "Engagements et clôture", "sequence", "Grande salle",
     "Hélène Marceau, vice-présidente en charge de l'ESS et de l'économie circulaire", []),
]

# slug, titre, salle, présidence et animation, structures, champs, questions
ATELIERS_ASSISES = [
    ("assises-2027-atelier-dechets", "Atelier 1 – Déchets ménagers : réduire, réemployer, recycler avec l'ESS",
     "Salle A",
     "Présidence : Patrick Aubertin, vice-président gestion des déchets et propreté ; co-animation : Nadia "
     "Benarfa (Ressourcerie de la Lère) ; rapport : un·e agent·e de la direction des déchets",
     ["ressourcerie-lere"], [4, 5],
     ["Quelles filières de réemploi confier à l'ESS d'ici 2030 ?",
      "Comment associer les habitant·e·s au tri et à la réparation ?"]),
    ("assises-2027-atelier-mobilite", "Atelier 2 – Mobilité : se déplacer autrement, pour tous", "Salle B",
     "Présidence : Leïla Mansour, vice-présidente mobilités ; co-animation : Vélo-Cité Atelier ; rapport : "
     "Thomas Lefebvre-Adam (service emploi et économie solidaire)",
     ["velo-cite-atelier"], [2, 6],
     ["Comment améliorer l'accès des habitant·e·s des quartiers aux zones d'emploi ?",
      "Quelle place pour les ateliers vélo et le covoiturage solidaire ?"]),
    ("assises-2027-atelier-logement", "Atelier 3 – Logement : habiter, rénover, coopérer", "Salle C",
     "Présidence : François Guérin, vice-président habitat et logement ; co-animation : Julien Marchetti "
     "(Bâti-Coop Rivebelle) ; rapport : un·e agent·e de la direction de l'habitat",
     ["bati-coop"], [3, 2],
     ["Comment développer l'habitat participatif et coopératif ?",
      "Comment mobiliser les SCOP du bâtiment pour la rénovation énergétique ?"]),
    ("assises-2027-atelier-alimentation", "Atelier 4 – Alimentation : mieux manger sur tout le territoire",
     "Salle D",
     "Présidence : Anne-Sophie Perrault, vice-présidente agriculture périurbaine et alimentation ; co-animation : "
     "Awa Sissoko (Le Panier Commun) ; rapport : Inès Moreira (direction de la commande publique)",
     ["panier-commun"], [5, 6],
     ["Comment rendre une alimentation de qualité accessible à tous ?",
      "Comment relier producteurs périurbains et restauration collective ?"]),
]
PLACES_ATELIER = 60
# Of the 96 registered for the day, how many chose each workshop (the rest have not chosen yet).
INSCRITS_ATELIERS = [22, 18, 15, 20]

# Registered people at load: these demo accounts first (when they exist), then generated participants.
INSCRITS_NOMMES = [("mathilde.roussel@example.org", 3), ("karim.haddou@example.org", 1)]
PRENOMS = ["Camille", "Louise", "Hugo", "Chloé", "Lucas", "Inès", "Jules", "Emma", "Nathan", "Léa", "Yanis",
           "Manon", "Adam", "Sarah", "Théo", "Zoé"]
NOMS = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Michel", "Garcia",
        "Roux", "Fournier", "Girard", "Bonnet", "Dupuis", "Lambert"]
