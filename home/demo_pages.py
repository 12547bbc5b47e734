"""Demo content (DEMO_DATA.md §10): the home page and the policy pages of Rivebelle Métropole (fictional).

Written for the demo, in paraphrase; nothing is copied from the source documents.
"""

from .demo_blocs import appel, chiffres, chiffres_calcules, citation, etapes, texte

ACCUEIL = {
    "accroche": "Construire ensemble l'économie sociale et solidaire de Rivebelle Métropole",
    "intro": (
        "Le Conseil de l'ESS réunit les structures de l'économie sociale et solidaire, les élu·e·s et les "
        "services de la Métropole pour imaginer, décider et suivre ensemble les actions en faveur d'une "
        "économie utile à toutes et à tous."
    ),
    "body": [
        texte(
            "<p>Associations, coopératives, mutuelles, fondations et entreprises sociales emploient près d'un "
            "salarié sur neuf dans les 28 communes de la métropole. Depuis 2013, le Conseil de l'ESS leur donne "
            "une place à la table où se prépare la politique métropolitaine : chacun peut y déposer une "
            "proposition, la travailler en atelier, la voir débattue en séance plénière et en suivre la mise "
            "en œuvre.</p>"
            "<p>Ce site rassemble les informations sur la démarche, les six champs d'action de la Métropole, "
            "les actualités du Conseil et, chaque automne, le programme du Mois de l'ESS.</p>"
        ),
        appel(
            "Participer au Conseil de l'ESS",
            "Le Conseil est ouvert à toute structure de l'ESS du territoire. Découvrez comment il fonctionne "
            "et comment y prendre part.",
            "le-conseil",
            "Découvrir le Conseil de l'ESS",
        ),
        texte(
            "<h2>À découvrir aussi</h2>"
            "<ul>"
            "<li><a href=\"page:mois-de-l-ess\">Le Mois de l'ESS</a>, chaque année en novembre ;</li>"
            "<li><a href=\"page:assises\">Les Assises métropolitaines de l'ESS</a> du 4 février 2027 ;</li>"
            "<li><a href=\"page:documents-cadres\">les documents-cadres</a> de la politique ESS ;</li>"
            "<li><a href=\"page:suivi-et-evaluation\">le suivi et l'évaluation</a> des propositions.</li>"
            "</ul>"
        ),
    ],
}

# Each entry: slug, title, menu (show_in_menus), intro, body. All are StandardPage under the home page.
PAGES_STANDARD = [
    {
        "slug": "quest-ce-que-less",
        "title": "Qu'est-ce que l'ESS ?",
        "menu": True,
        "intro": (
            "L'économie sociale et solidaire rassemble des entreprises qui placent l'utilité sociale avant le "
            "profit et qui se gouvernent de façon démocratique. Voici l'essentiel pour s'y retrouver."
        ),
        "body": [
            texte(
                "<h2>Une façon d'entreprendre reconnue par la loi</h2>"
                "<p>La loi du 31 juillet 2014 relative à l'économie sociale et solidaire a donné pour la première "
                "fois une définition commune à des organisations très diverses. Elle ne crée pas un secteur "
                "d'activité : on trouve l'ESS dans l'aide à domicile comme dans le bâtiment, la culture, "
                "l'alimentation, la finance ou le recyclage. Ce qui la distingue, c'est la manière "
                "d'entreprendre.</p>"
                "<h2>Quatre principes partagés</h2>"
                "<ol>"
                "<li>Le but poursuivi ne se limite pas au partage des bénéfices.</li>"
                "<li>La gouvernance est démocratique : le pouvoir de décision ne dépend pas seulement du "
                "capital apporté.</li>"
                "<li>Les bénéfices servent d'abord à maintenir et à développer l'activité.</li>"
                "<li>Une partie des résultats est mise en réserve ; ces réserves obligatoires ne peuvent être "
                "ni partagées ni distribuées.</li>"
                "</ol>"
                "<h2>Qui fait partie de l'ESS ?</h2>"
                "<p>La loi distingue deux familles. D'un côté, les structures qui appartiennent à l'ESS du fait "
                "de leur statut : <strong>associations, coopératives, mutuelles et fondations</strong>. Les "
                "coopératives prennent elles-mêmes plusieurs formes : coopératives de salariés (SCOP), "
                "coopératives d'intérêt collectif qui associent salariés, usagers et collectivités (SCIC), "
                "coopératives d'activité et d'emploi (CAE)…</p>"
                "<p>De l'autre, des <strong>sociétés commerciales</strong> qui poursuivent un objectif d'utilité "
                "sociale, appliquent les quatre principes et les inscrivent dans leurs statuts. La chambre "
                "régionale de l'ESS, la CRESS Val-de-Lère, tient à jour la liste des entreprises de l'ESS de "
                "la région.</p>"
                "<h2>L'agrément « entreprise solidaire d'utilité sociale »</h2>"
                "<p>L'agrément ESUS n'est pas un statut juridique : c'est une reconnaissance accordée par les "
                "services de l'État à une entreprise de l'ESS dont l'utilité sociale est l'objectif principal, "
                "dont la rentabilité est sensiblement affectée par cet objectif et dont la politique de "
                "rémunération est encadrée. Il ouvre l'accès à l'épargne salariale solidaire et à certains "
                "financements publics.</p>"
            ),
            chiffres(
                "L'ESS à Rivebelle Métropole",
                [
                    ("2 300", "établissements employeurs environ"),
                    ("31 000", "salariés"),
                    ("11 %", "de l'emploi salarié du territoire"),
                    ("28", "communes concernées"),
                ],
            ),
            texte(
                "<p>Sur le territoire, l'ESS est particulièrement présente dans l'action sociale, l'insertion "
                "par l'activité économique, le réemploi, l'alimentation et la culture. Elle compte de grandes "
                "structures employeuses comme de petites associations portées par des bénévoles. Vous pouvez "
                "parcourir <a href=\"/structures/\">l'annuaire des structures de l'ESS</a> référencées sur "
                "cette plateforme.</p>"
            ),
            appel(
                "Et si votre structure rejoignait le Conseil ?",
                "Toute structure de l'ESS du territoire peut participer aux travaux du Conseil de l'ESS.",
                "le-conseil",
                "Comprendre le rôle du Conseil de l'ESS",
            ),
        ],
    },
    {
        "slug": "le-conseil",
        "title": "Le Conseil de l'ESS",
        "menu": True,
        "intro": (
            "Depuis 2013, le Conseil de l'ESS de Rivebelle réunit les acteurs de l'économie sociale et solidaire, "
            "les élu·e·s et les services publics pour construire ensemble la politique métropolitaine d'ESS."
        ),
        "body": [
            texte(
                "<h2>Une instance de co-construction née en 2013</h2>"
                "<p>Le Conseil a été créé en 2013 par la Ville de Rivebelle, Rivebelle Métropole et la CRESS "
                "Val-de-Lère. Il oriente la stratégie métropolitaine en faveur de l'ESS et prépare, avec celles et "
                "ceux qui la font vivre, les actions que la Métropole conduit.</p>"
                "<p>Il poursuit deux ambitions : faire travailler ensemble acteurs publics et privés, par-delà "
                "les frontières entre services et entre institutions ; et rendre plus visibles les projets "
                "d'ESS du territoire.</p>"
                "<h2>Qui y participe ?</h2>"
                "<ul>"
                "<li>les structures de l'ESS : associations, coopératives, mutuelles, fondations, entreprises "
                "sociales ;</li>"
                "<li>les têtes de réseau de l'ESS et la CRESS Val-de-Lère ;</li>"
                "<li>des élu·e·s et des agent·e·s de la Ville, de la Métropole et des communes membres ;</li>"
                "<li>des partenaires institutionnels : État, Région Val-de-Lère, Département, Caisse des Dépôts "
                "et chambres consulaires.</li>"
                "</ul>"
                "<p>Le Conseil est ouvert à tout acteur de l'ESS : il n'y a pas de liste fermée de membres. Il "
                "suffit de créer un compte sur cette plateforme et d'y rattacher sa structure.</p>"
                "<h2>Comment il fonctionne</h2>"
                "<ul>"
                "<li><strong>Les séances plénières</strong>, une à deux fois par an, ouvertes à toutes et à "
                "tous, en présence du Président de la Métropole et de la Maire de Rivebelle. Les orientations "
                "stratégiques et les thématiques de l'année y sont débattues et votées, de même que les "
                "propositions prêtes à être adoptées.</li>"
                "<li><strong>Les ateliers thématiques</strong>, qui se réunissent tout au long de l'année pour "
                "travailler les thématiques votées et faire mûrir les propositions.</li>"
                "<li><strong>Les séances exceptionnelles</strong>, convoquées lorsqu'un événement important "
                "touche ou pourrait toucher la politique ESS du territoire.</li>"
                "</ul>"
            ),
            chiffres_calcules("Le Conseil en chiffres", []),
            texte(
                "<h2>Un fonctionnement sobre</h2>"
                "<p>Le Conseil coûte environ 18 000 € par an à la Métropole, principalement en temps "
                "d'animation et en frais de séance. Il ne dispose pas d'un budget dédié : les propositions "
                "adoptées sont financées par les politiques auxquelles elles se rattachent.</p>"
                "<h2>Ce qui fait réussir la co-construction</h2>"
                "<p>Dix ans de travail en commun ont mis en évidence trois conditions :</p>"
                "<ol>"
                "<li>une culture partagée de l'ESS et de l'intérêt général, qui se construit au fil des "
                "rencontres autant qu'elle les rend possibles ;</li>"
                "<li>l'écoute et la bienveillance : chacun cherche à comprendre les contraintes, les attentes et "
                "les blocages des autres, tout en travaillant pour le bien commun ;</li>"
                "<li>l'engagement réel des pouvoirs publics : les propositions sont intégrées aux décisions, et "
                "la suite qui leur est donnée est rendue publique.</li>"
                "</ol>"
            ),
            citation(
                "Le Conseil n'est pas un guichet : c'est l'endroit où nous décidons, avec celles et ceux qui font "
                "l'ESS au quotidien, de ce que la Métropole peut faire mieux.",
                "Hélène Marceau",
                "vice-présidente de Rivebelle Métropole chargée de l'ESS et de l'économie circulaire",
            ),
            appel(
                "Comment naît une proposition ?",
                "Du dépôt d'une idée à son évaluation, chaque proposition suit un parcours public.",
                "co-construction",
                "Découvrir le parcours d'une proposition",
            ),
        ],
    },
    {
        "slug": "co-construction",
        "title": "La co-construction, comment ça marche ?",
        "menu": True,
        "intro": (
            "Co-construire une politique publique, c'est associer les personnes concernées à chacune de ses "
            "étapes : la préparer, la mettre en œuvre, la suivre et l'évaluer."
        ),
        "body": [
            texte(
                "<h2>Une définition</h2>"
                "<p>La co-construction désigne un processus organisé et durable par lequel des acteurs "
                "nombreux et divers participent à l'élaboration, à la mise en œuvre, au suivi et à l'évaluation "
                "d'une politique publique. Elle se situe entre la démocratie représentative, où les élu·e·s "
                "décident, et la démocratie participative, où les habitant·e·s donnent leur avis. La loi de "
                "2014 sur l'ESS a été l'une des premières à en affirmer le principe.</p>"
                "<p>Elle change la posture de chacun : les structures de l'ESS ne viennent plus seulement "
                "demander un soutien, elles apportent une vision du territoire ; les élu·e·s ne sont plus "
                "seulement des décideurs, ils et elles deviennent aussi des facilitateurs qui rendent les "
                "projets possibles.</p>"
            ),
            etapes(
                "Les quatre temps de la co-construction",
                [
                    ("Un diagnostic partagé",
                     "Acteurs, élu·e·s et services dressent ensemble l'état des lieux des besoins et des ressources."),
                    ("La mise en débat des priorités",
                     "Les priorités du territoire sont discutées publiquement, puis votées en séance plénière."),
                    ("Des instances et des plans d'action",
                     "Les ateliers thématiques transforment les priorités en propositions concrètes."),
                    ("Une évaluation concertée",
                     "Les résultats sont mesurés à l'aide d'indicateurs choisis en commun."),
                ],
            ),
            texte(
                "<h2>Le parcours d'une proposition</h2>"
                "<p>Toute personne disposant d'un compte peut déposer une proposition, pour elle-même ou au nom "
                "d'une structure dont elle est membre. Chaque changement d'étape est daté, motivé et rendu "
                "public : on peut toujours savoir où en est une proposition et quelle suite lui a été "
                "donnée.</p>"
            ),
            etapes(
                "Les étapes du parcours principal",
                [
                    ("Brouillon", "La proposition est en cours de rédaction ; elle n'est visible que de son auteur."),
                    ("Déposée", "Elle est transmise au secrétariat du Conseil."),
                    ("En instruction",
                     "Le secrétariat vérifie qu'elle relève du Conseil, cherche d'éventuels doublons et "
                     "l'oriente vers un atelier."),
                    ("En atelier", "Un atelier thématique la travaille collectivement et l'enrichit."),
                    ("Soumise en plénière", "Elle est inscrite à l'ordre du jour d'une séance plénière."),
                    ("Adoptée", "La séance plénière la soutient : elle est transmise aux élu·e·s et aux services."),
                    ("En œuvre", "Un·e élu·e et un service s'engagent à la mettre en œuvre."),
                    ("Réalisée", "L'action prévue est menée à bien."),
                    ("Évaluée", "Ses effets sont mesurés avec les indicateurs retenus, et les enseignements publiés."),
                ],
            ),
            texte(
                "<h3>Les autres issues possibles</h3>"
                "<ul>"
                "<li><strong>Réorientée</strong> : la demande relève d'un dispositif existant (appel à projets, "
                "accompagnement, financement) vers lequel elle est dirigée.</li>"
                "<li><strong>Non retenue</strong> : la séance plénière ne la soutient pas ; le motif est "
                "publié, et elle peut être renvoyée en atelier pour être retravaillée.</li>"
                "<li><strong>Abandonnée</strong> : elle est arrêtée en cours de route, par exemple parce que le "
                "besoin a été couvert autrement ; le motif est publié.</li>"
                "<li><strong>Retirée</strong> : son auteur la retire avant son adoption.</li>"
                "</ul>"
                "<p>Après l'adoption, des points de suivi datés et, le cas échéant, quelques indicateurs "
                "permettent de rendre compte de l'avancement. Voir la page "
                "<a href=\"page:suivi-et-evaluation\">Suivi et évaluation</a>.</p>"
            ),
        ],
    },
    {
        "slug": "documents-cadres",
        "title": "Documents-cadres",
        "menu": False,
        "intro": (
            "Trois documents fixent le cadre de l'action de Rivebelle Métropole en faveur de l'ESS. Le Conseil "
            "contribue à leur préparation et à leur suivi."
        ),
        "body": [
            texte(
                "<h2>Le schéma de promotion des achats responsables (SPASER)</h2>"
                "<p>Les collectivités qui achètent pour plus de 100 millions d'euros par an doivent adopter un "
                "schéma de promotion des achats socialement et écologiquement responsables. Celui de la "
                "Métropole fixe la place des clauses sociales et environnementales, des marchés réservés aux "
                "structures d'insertion et aux entreprises adaptées, et de l'accès des petites structures de "
                "l'ESS à la commande publique.</p>"
                "<p>Sa révision a été lancée au printemps 2026 avec l'atelier « Achats publics responsables et "
                "SPASER ». En mars 2026, la séance plénière a adopté la proposition d'y inscrire des objectifs "
                "chiffrés d'achats auprès des structures de l'ESS. Le projet de schéma révisé sera présenté à "
                "la séance plénière de décembre 2026.</p>"
                "<h2>Le contrat de ville et son volet économique</h2>"
                "<p>Le contrat de ville concerne les quatre quartiers prioritaires de la métropole : Les "
                "Tanneurs et La Croix-Verte à Rivebelle, Le Moulin-Neuf à Port-Sainte-Aude et Les "
                "Hauts-de-Lanvallon. Son volet consacré au développement économique et à l'emploi fait une "
                "large place à l'ESS : commerces et services de proximité, groupements d'achat, insertion. "
                "L'atelier « ESS et quartiers prioritaires » contribue à en définir les objectifs et à repérer "
                "les projets.</p>"
                "<h2>La stratégie de développement économique</h2>"
                "<p>Depuis 2024, à la suite d'une proposition adoptée par le Conseil, la CRESS Val-de-Lère siège "
                "au comité de pilotage de la stratégie de développement économique de la Métropole. Cette "
                "stratégie alimente à son tour le schéma régional de développement économique de la Région "
                "Val-de-Lère.</p>"
                "<p>Les documents adoptés seront mis en ligne sur cette page.</p>"
            ),
        ],
    },
    {
        "slug": "suivi-et-evaluation",
        "title": "Suivi et évaluation",
        "menu": False,
        "intro": (
            "Une proposition adoptée n'est pas une fin en soi : le Conseil suit sa mise en œuvre et en évalue les "
            "effets, avec des indicateurs choisis ensemble."
        ),
        "body": [
            texte(
                "<h2>Des indicateurs choisis ensemble</h2>"
                "<p>Chaque proposition adoptée reçoit au plus trois indicateurs, définis avec ses porteurs : "
                "une unité, une cible, des valeurs datées. Ils restent volontairement peu nombreux et simples, "
                "pour que les petites structures puissent les renseigner sans s'épuiser. Le service chargé de "
                "la mise en œuvre publie régulièrement des points de suivi qui expliquent où en est "
                "l'action.</p>"
                "<p>L'évaluation intervient une fois l'action réalisée. Elle confronte les résultats aux "
                "objectifs, recueille l'avis des personnes concernées et formule des recommandations. Elle "
                "sert aussi de mémoire à la politique ESS : ses conclusions nourrissent les propositions "
                "suivantes.</p>"
                "<h2>Deux évaluations récentes</h2>"
                "<h3>L'exposition itinérante « L'ESS près de chez vous »</h3>"
                "<p>Adoptée fin 2021, l'exposition a circulé dans 19 des 28 communes de la métropole et "
                "accueilli environ 6 400 visiteurs en 2024. L'évaluation, présentée en mars 2025, relève une "
                "bonne fréquentation dans les médiathèques et une fréquentation faible dans les mairies.</p>"
                "<h3>La formation des acheteurs publics aux clauses d'insertion</h3>"
                "<p>La cible de 80 agents formés a été dépassée. Dans le même temps, les heures de travail "
                "confiées à des personnes en insertion dans les marchés de la Métropole sont passées de "
                "118 000 en 2022 à 151 000 en 2025.</p>"
            ),
            chiffres(
                "Quelques résultats mesurés",
                [
                    ("19 / 28", "communes ont accueilli l'exposition"),
                    ("92", "acheteurs publics formés aux clauses d'insertion"),
                    ("+ 28 %", "d'heures d'insertion dans les marchés entre 2022 et 2025"),
                ],
            ),
            texte(
                "<h2>Rejoindre l'atelier « Innovation sociale, R&amp;D et évaluation d'impact »</h2>"
                "<p>Cet atelier rapproche structures de l'ESS, chercheurs et services métropolitains. Il prépare "
                "l'évaluation concertée de la politique ESS et cherche à simplifier la mesure d'impact pour les "
                "petites associations. Il est ouvert à toute personne intéressée : rendez-vous dans l'espace "
                "des ateliers thématiques de la plateforme pour y prendre part.</p>"
            ),
        ],
    },
    {
        "slug": "mois-de-l-ess",
        "title": "Le Mois de l'ESS",
        "menu": False,
        "intro": (
            "Chaque année en novembre, le Mois de l'ESS fait découvrir l'économie sociale et solidaire partout sur "
            "le territoire : visites, forums, projections, marchés, ateliers et fêtes."
        ),
        "body": [
            texte(
                "<p>Le Mois de l'ESS est une initiative nationale du réseau des chambres régionales de l'ESS. "
                "À Rivebelle Métropole, il est coordonné par la CRESS Val-de-Lère avec le soutien de la "
                "Métropole : la CRESS recense les manifestations proposées par les structures, les vérifie et "
                "les fait connaître.</p>"
                "<h2>L'édition 2026</h2>"
                "<p>Du 1er au 30 novembre 2026, une trentaine de rendez-vous sont prévus dans dix communes, "
                "pour le grand public, les porteurs de projet, les professionnels, les jeunes et les élu·e·s. "
                "Parmi les temps forts :</p>"
                "<ul>"
                "<li>la soirée de lancement, le mardi 3 novembre à la Halle aux Grains de Rivebelle ;</li>"
                "<li>le forum de la création et de la reprise d'entreprises, le jeudi 12 novembre sur le "
                "campus universitaire ;</li>"
                "<li>la remise du Prix de l'innovation sociale, consacré cette année au thème « bien vieillir "
                "chez soi », le jeudi 19 novembre ;</li>"
                "<li>la fête de clôture et son village des initiatives, le samedi 28 novembre à la Halle aux "
                "Grains.</li>"
                "</ul>"
                "<p><a href=\"/agenda/programmes/mois-ess-2026/\">Le programme complet est dans l'agenda du "
                "site</a>, avec un calendrier auquel vous pouvez vous abonner depuis votre agenda "
                "personnel.</p>"
            ),
            chiffres(
                "Le Mois de l'ESS 2026 en bref",
                [("30", "rendez-vous environ"), ("10", "communes"), ("1er – 30 nov.", "toute la durée du mois")],
            ),
            texte(
                "<h2>Proposer un événement</h2>"
                "<p>Toute structure de l'ESS du territoire peut <a href=\"/agenda/proposer/\">proposer un "
                "événement</a>. Il suffit d'avoir un compte sur la plateforme : la proposition est ensuite relue "
                "par l'équipe de la CRESS avant sa publication dans l'agenda.</p>"
            ),
        ],
    },
    {
        "slug": "assises",
        "title": "Les Assises de l'ESS",
        "menu": False,
        "intro": (
            "Le jeudi 4 février 2027, les Assises métropolitaines de l'ESS réuniront acteurs, élu·e·s et services "
            "autour d'une question : comment l'ESS peut-elle contribuer aux grandes politiques de la Métropole ?"
        ),
        "body": [
            texte(
                "<h2>« L'ESS, partenaire des politiques métropolitaines »</h2>"
                "<p>Les Assises se tiendront à la Halle aux Grains de Rivebelle, de 8 h 45 à 17 h. Après une "
                "séance plénière d'ouverture consacrée au bilan du Conseil de l'ESS, quatre ateliers se "
                "dérouleront en parallèle, chacun présidé par le ou la vice-présidente de la Métropole chargée "
                "du sujet. Chaque participant·e choisit un seul atelier au moment de son inscription.</p>"
                "<ul>"
                "<li><strong>Déchets ménagers</strong> : réduire, réemployer, recycler avec l'ESS ;</li>"
                "<li><strong>Mobilité</strong> : se déplacer autrement, pour tous ;</li>"
                "<li><strong>Logement</strong> : habiter, rénover, coopérer ;</li>"
                "<li><strong>Alimentation</strong> : mieux manger sur tout le territoire.</li>"
                "</ul>"
                "<p>Les pistes issues des ateliers pourront ensuite être déposées comme propositions auprès du "
                "Conseil de l'ESS, qui en assurera le suivi.</p>"
            ),
            etapes(
                "Le déroulé de la journée",
                [
                    ("8 h 45 – Accueil café", "Servi par un traiteur solidaire du territoire."),
                    ("9 h 30 – Plénière d'ouverture", "Bilan du Conseil de l'ESS et enjeux pour 2027."),
                    ("10 h 45 – Quatre ateliers en parallèle", "Déchets, mobilité, logement, alimentation."),
                    ("14 h – Restitution des ateliers", "Les rapporteurs présentent les pistes retenues."),
                    ("15 h – Table ronde", "Co-construire les politiques publiques avec l'ESS."),
                    ("16 h 15 – Engagements et clôture", ""),
                ],
            ),
            texte(
                "<p><a href=\"/agenda/programmes/assises-2027/\">Le programme et les inscriptions sont dans "
                "l'agenda du site</a> ; le nombre de places est limité dans "
                "chaque atelier.</p>"
            ),
        ],
    },
]

PIED_DE_PAGE = {
    "intro": (
        "Le Conseil de l'ESS de Rivebelle est une instance de co-construction créée en 2013 par la Ville de "
        "Rivebelle, Rivebelle Métropole et la CRESS Val-de-Lère. Site de démonstration : le territoire, les "
        "personnes et les structures citées sont fictifs."
    ),
    "liens": ["le-conseil", "documents-cadres", "suivi-et-evaluation", "mentions-legales", "donnees-personnelles",
              "accessibilite"],
}
