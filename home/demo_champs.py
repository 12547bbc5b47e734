"""Demo content: « Nos six champs d'action » and its six champ pages.

Names and leviers follow DOMAINE.md §7 exactly (canonical name = chapter heading, secondary label and
leviers = synthesis table). The « À Rivebelle » paragraphs are written for the demo.
"""

from .demo_blocs import texte

INDEX = {
    "slug": "champs-d-action",
    "title": "Nos six champs d'action",
    "menu": True,
    "intro": (
        "La politique ESS de Rivebelle Métropole s'organise en six champs d'action. Dans chacun, la Métropole "
        "dispose de leviers concrets, que le Conseil de l'ESS aide à choisir et à mettre en œuvre."
    ),
    "body": [
        texte(
            "<h2>Un cadre commun</h2>"
            "<p>Ces six champs reprennent un cadre d'analyse partagé par de nombreuses métropoles françaises "
            "pour décrire leur action en faveur de l'ESS. Ils permettent de situer chaque proposition déposée "
            "sur la plateforme : une proposition se rattache à un ou plusieurs champs, et peut préciser le "
            "levier qu'elle mobilise.</p>"
        ),
    ],
}

CHAMPS = [
    {
        "numero": 1,
        "slug": "accompagnement-et-financement",
        "nom_canonique": "Appui à l'écosystème de l'accompagnement et du financement",
        "libelle_secondaire": "Appui à la chaîne de l'accompagnement et du financement",
        "intro": (
            "Aider les porteurs de projet à trouver, au bon moment, le conseil et le financement dont ils ont "
            "besoin, en soutenant les structures qui les accompagnent."
        ),
        "leviers": [
            "Impulser un dispositif d'accompagnement et de financement",
            "Soutenir financièrement les acteurs de l'accompagnement et du financement",
            "Créer un parcours d'accompagnement intégré",
            "Participer activement dans les réseaux de l'ESS",
        ],
        "body": [
            texte(
                "<h2>À Rivebelle</h2>"
                "<p>C'est le champ le plus investi par les métropoles. Sur notre territoire, un financeur "
                "solidaire, une coopérative d'activité et d'emploi, des incubateurs et le dispositif local "
                "d'accompagnement se partagent l'appui aux porteurs de projet. Encore faut-il que ceux-ci "
                "sachent à quelle porte frapper.</p>"
                "<p>L'atelier « Création d'entreprises et parcours d'accompagnement » travaille à rendre ce "
                "parcours lisible. Une proposition de guichet unique d'orientation des porteurs de projet ESS "
                "est en cours d'instruction.</p>"
            ),
        ],
    },
    {
        "numero": 2,
        "slug": "soutien-aux-structures",
        "nom_canonique": "Soutien direct aux structures de l'ESS",
        "libelle_secondaire": "Soutien direct aux structures de l'ESS",
        "intro": (
            "Soutenir directement les structures de l'ESS : subventions, entrée au capital de coopératives, "
            "appels à projets, prix et financement participatif."
        ),
        "leviers": [
            "Subventionner les structures de l'ESS",
            "Développer la prise de participation dans les SCIC",
            "Organiser des concours et des prix",
            "Lancer des appels à projets",
            "Lancer des campagnes de financement participatif",
        ],
        "body": [
            texte(
                "<h2>À Rivebelle</h2>"
                "<p>Une collectivité peut détenir jusqu'à la moitié du capital d'une société coopérative "
                "d'intérêt collectif (SCIC). La Métropole est ainsi associée, à hauteur de 10 %, à La Fabrique "
                "des Communs, le tiers-lieu coopératif installé dans l'ancienne Filature de "
                "Port-Sainte-Aude.</p>"
                "<p>Chaque année, le Prix de l'innovation sociale de Rivebelle, organisé avec une mutuelle du "
                "territoire, distingue des projets autour d'un thème ; en 2026, « bien vieillir chez soi ». "
                "Depuis 2026, un fonds de micro-subventions, issu d'une proposition du Conseil, finance "
                "rapidement les initiatives collectives des habitant·e·s.</p>"
            ),
        ],
    },
    {
        "numero": 3,
        "slug": "foncier-et-tiers-lieux",
        "nom_canonique": "Accès au foncier et tiers-lieux",
        "libelle_secondaire": "Aide à l'installation de projets et accès au foncier",
        "intro": (
            "Aider les structures de l'ESS à trouver des locaux adaptés à leurs moyens et soutenir les lieux "
            "partagés où elles travaillent ensemble."
        ),
        "leviers": [
            "Prêter des locaux",
            "Mettre à disposition de locaux à loyers très modérés",
            "Soutenir la création et financer des lieux mutualisés",
            "Mettre en relation des entrepreneurs avec les acteurs spécialisés du territoire (pépinières, bailleurs "
            "sociaux, sociétés d'économie mixte, etc.)",
            "Animer ou financer l'animation d'espaces de coworking ou lieux partagés",
        ],
        "body": [
            texte(
                "<h2>À Rivebelle</h2>"
                "<p>L'immobilier d'entreprises est une compétence de la Métropole : zones d'activités, "
                "pépinières, locaux vacants. Pour les associations et les jeunes entreprises de l'ESS, le coût "
                "d'un local reste pourtant un frein majeur.</p>"
                "<p>En mars 2026, le Conseil a adopté le projet d'une pépinière ESS dans l'ancienne Filature de "
                "Port-Sainte-Aude ; une étude de faisabilité est en cours. L'atelier « Immobilier d'entreprises "
                "et tiers-lieux » étudie aussi la mobilisation des rez-de-chaussée vacants des bailleurs sociaux "
                "à loyers modérés.</p>"
            ),
        ],
    },
    {
        "numero": 4,
        "slug": "rd-sociale-et-innovation",
        "nom_canonique": "Développement de la R&D sociale et des dynamiques collaboratives innovantes",
        "libelle_secondaire": "Développer la R&D sociale et des dynamiques collaboratives innovantes",
        "intro": (
            "Favoriser l'innovation sociale : des réponses nouvelles à des besoins mal couverts, imaginées avec "
            "les personnes concernées, expérimentées puis diffusées."
        ),
        "leviers": [
            "Ouvrir l'accès de financements classiques de l'innovation à l'innovation sociale",
            "Accompagner les acteurs de l'innovation sociale dans leurs recherches de financement",
            "Encourager des démarches convergentes et pluridisciplinaires",
            "Favoriser l'échange de bonnes pratiques",
            "Valoriser et diffuser les innovations sociales existantes",
            "Mesurer les impacts sociaux des projets développés",
        ],
        "body": [
            texte(
                "<h2>À Rivebelle</h2>"
                "<p>L'atelier « Innovation sociale, R&amp;D et évaluation d'impact » rapproche structures de "
                "l'ESS, chercheurs de l'université et services métropolitains. Il travaille notamment à une "
                "méthode simplifiée de mesure d'impact, à la portée des petites associations.</p>"
                "<p>Les filières du réemploi sont un autre terrain d'expérimentation : la collecte et le "
                "réemploi des textiles, confiés à des structures de l'ESS dans le cadre d'un service d'intérêt "
                "économique général, sont en cours de mise en œuvre.</p>"
            ),
        ],
    },
    {
        "numero": 5,
        "slug": "achats-responsables",
        "nom_canonique": "Développement des achats socialement responsables",
        "libelle_secondaire": (
            "Faire de la commande publique un levier pour développer les achats socialement responsables"
        ),
        "intro": (
            "Faire de la commande publique un levier pour l'emploi et pour l'ESS : clauses sociales, marchés "
            "réservés, accès facilité des petites structures aux marchés."
        ),
        "leviers": [
            "Développer les clauses sociales et environnementales dans les marchés de la Métropole",
            "Réserver des marchés ou des lots à des entreprises de l'insertion par l'activité économique ou des "
            "entreprises adaptées",
            "Réserver des marchés de services de santé",
            "Favoriser l'accès des acteurs de l'ESS aux marchés publics (allotissements, marchés négociés, "
            "utilisation de labels, etc.)",
            "Référencer les entreprises sociales et solidaires",
            "Encourager l'échange de bonnes pratiques entre collectivités sur le développement des achats "
            "responsables",
            "Mettre en place des outils facilitateurs (plateformes en ligne, démarche qualité des marchés "
            "d'insertion, etc.) pour améliorer la pertinence des marchés publics (adéquation entre offre et "
            "demande)",
        ],
        "body": [
            texte(
                "<h2>À Rivebelle</h2>"
                "<p>Les achats de la Métropole représentent un levier considérable. Son schéma de promotion "
                "des achats responsables (SPASER) est en cours de révision avec les acteurs ; le Conseil a "
                "demandé qu'il comporte des objectifs chiffrés d'achats auprès des structures de l'ESS.</p>"
                "<p>Plusieurs propositions du Conseil ont déjà porté leurs fruits : la formation des acheteurs "
                "aux clauses d'insertion, un annuaire en ligne des fournisseurs de l'ESS et, depuis 2025, des "
                "lots d'entretien des espaces verts réservés aux structures d'insertion.</p>"
            ),
        ],
    },
    {
        "numero": 6,
        "slug": "animation-et-sensibilisation",
        "nom_canonique": "Animation de la dynamique locale et sensibilisation à l'ESS et l'innovation sociale",
        "libelle_secondaire": "Mettre en réseau les acteurs pour favoriser les coopérations",
        "intro": (
            "Faire se rencontrer les acteurs, construire avec eux la politique publique et faire connaître l'ESS "
            "au plus grand nombre."
        ),
        "leviers": [
            "Mettre en réseau des acteurs pour favoriser les coopérations",
            "Se concerter régulièrement avec les acteurs sur leurs besoins et leur vision pour développer l'ESS",
            "Créer et animer des espaces de dialogue et de co-construction de la politique publique, et y intégrer "
            "les acteurs de l'ESS",
            "Sensibiliser à l'ESS et l'innovation sociale auprès des acteurs publics et privés, du grand public, "
            "etc.",
            "Créer et animer des labels ESS et d'innovation sociale",
        ],
        "body": [
            texte(
                "<h2>À Rivebelle</h2>"
                "<p>Le Conseil de l'ESS est lui-même la traduction de ce champ : un espace permanent de dialogue "
                "et de co-construction de la politique publique, ouvert à tous les acteurs. Chaque novembre, le "
                "<a href=\"page:mois-de-l-ess\">Mois de l'ESS</a> fait découvrir l'économie sociale et "
                "solidaire au grand public.</p>"
                "<p>L'exposition itinérante « L'ESS près de chez vous » a circulé dans les médiathèques et les "
                "mairies de la métropole. L'atelier « Commerce équitable et consommation responsable » prépare "
                "l'engagement de la Métropole dans une démarche de label « territoire de commerce "
                "équitable ».</p>"
            ),
        ],
    },
]
