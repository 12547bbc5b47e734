"""Demo content: the three legal pages (mentions légales, données personnelles, déclaration d'accessibilité).

The publisher, addresses and e-mails are those of the fictional Rivebelle Métropole; a real deployment
replaces them in the admin.
"""

from .demo_blocs import texte

AVERTISSEMENT_DEMO = (
    "<p><strong>Site de démonstration.</strong> Rivebelle Métropole, ses communes, les personnes et les "
    "structures citées sur ce site sont fictives. Les adresses électroniques en « example.org » ne sont pas "
    "lues.</p>"
)

PAGES_LEGALES = [
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "mis_a_jour_le": "2026-05-15",
        "etat_conformite": "",
        "body": [
            texte(
                AVERTISSEMENT_DEMO,
                "<h2>Éditeur du site</h2>"
                "<p>Rivebelle Métropole, Hôtel de la Métropole, place de la Lère, Rivebelle.<br/>"
                "Le site est animé par le secrétariat du Conseil de l'ESS : service emploi et économie "
                "solidaire, direction du développement économique et de l'attractivité.<br/>"
                "Courriel : conseil-ess@rivebelle.example.org</p>"
                "<h2>Directeur de la publication</h2>"
                "<p>Le Président de Rivebelle Métropole.</p>"
                "<h2>Hébergement</h2>"
                "<p>Le site est hébergé par la direction du numérique de Rivebelle Métropole, sur des serveurs "
                "situés en France.</p>"
                "<h2>Réutilisation des contenus</h2>"
                "<p>Sauf mention contraire, les textes publiés sur ce site peuvent être réutilisés librement, à "
                "condition d'en citer la source et la date de mise à jour. Les images, logos et documents des "
                "structures partenaires restent la propriété de leurs auteurs.</p>"
                "<h2>Contributions des utilisateurs</h2>"
                "<p>Les propositions, événements, commentaires et comptes rendus publiés par les utilisateurs "
                "engagent leurs auteurs. Le secrétariat du Conseil peut retirer tout contenu contraire à la loi "
                "ou étranger à l'objet de la plateforme.</p>"
                "<h2>Liens vers d'autres sites</h2>"
                "<p>Le site peut renvoyer vers d'autres sites, dont le contenu n'engage pas Rivebelle "
                "Métropole. Tout site public ou privé peut créer un lien vers les pages de ce site sans "
                "autorisation préalable.</p>"
            ),
        ],
    },
    {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "mis_a_jour_le": "2026-05-15",
        "etat_conformite": "",
        "body": [
            texte(
                AVERTISSEMENT_DEMO,
                "<h2>Responsable du traitement</h2>"
                "<p>Rivebelle Métropole est responsable des traitements de données réalisés sur cette "
                "plateforme. Vous pouvez joindre son délégué à la protection des données à l'adresse "
                "dpo@rivebelle.example.org.</p>"
                "<h2>Pourquoi nous traitons vos données</h2>"
                "<ul>"
                "<li>gérer votre compte et votre rattachement à une ou plusieurs structures ;</li>"
                "<li>vous permettre de participer au Conseil de l'ESS : déposer et suivre des propositions, "
                "rejoindre des ateliers, prendre part aux séances et aux votes ;</li>"
                "<li>gérer vos inscriptions aux événements de l'agenda ;</li>"
                "<li>vous envoyer les notifications que vous avez choisies.</li>"
                "</ul>"
                "<p>Ces traitements sont nécessaires à la mission d'intérêt public de la Métropole en matière de "
                "développement économique et de participation des acteurs (article 6, paragraphe 1, e du "
                "règlement général sur la protection des données).</p>"
                "<h2>Les données concernées</h2>"
                "<p>Votre adresse électronique, le nom que vous choisissez d'afficher, votre fonction "
                "facultative, les structures auxquelles vous êtes rattaché·e et vos contributions. Lors d'un "
                "scrutin secret, la plateforme enregistre que vous avez voté, sans jamais relier votre vote à "
                "votre personne.</p>"
                "<h2>Qui y a accès ?</h2>"
                "<p>Le secrétariat du Conseil de l'ESS et, pour les ateliers qu'ils animent, les animateurs et "
                "animatrices d'atelier. Vos données ne sont ni vendues ni cédées.</p>"
                "<h2>Combien de temps ?</h2>"
                "<p>Votre compte est conservé tant que vous l'utilisez, et supprimé après trois ans sans "
                "connexion. Les propositions publiques et les résultats des séances constituent la mémoire "
                "publique du Conseil : ils restent en ligne, mais sans votre nom si vous supprimez votre "
                "compte.</p>"
                "<h2>Vos droits</h2>"
                "<p>Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation, "
                "d'opposition et de portabilité. Depuis votre espace personnel, vous pouvez télécharger vos "
                "données et supprimer votre compte. Pour toute autre demande, écrivez au délégué à la "
                "protection des données. Si vous estimez que vos droits ne sont pas respectés, vous pouvez "
                "adresser une réclamation à la Commission nationale de l'informatique et des libertés "
                "(CNIL).</p>"
                "<h2>Cookies</h2>"
                "<p>Le site utilise uniquement les cookies nécessaires à son fonctionnement : maintien de la "
                "connexion et protection des formulaires. Il ne dépose aucun cookie de mesure d'audience ni de "
                "publicité ; aucun consentement n'est donc demandé.</p>"
            ),
        ],
    },
    {
        "slug": "accessibilite",
        "title": "Déclaration d'accessibilité",
        "mis_a_jour_le": "2026-05-15",
        "etat_conformite": "partielle",
        "body": [
            texte(
                AVERTISSEMENT_DEMO,
                "<p>Rivebelle Métropole s'engage à rendre ses sites internet, intranet, extranet et ses "
                "progiciels accessibles, conformément à l'article 47 de la loi n° 2005-102 du 11 février "
                "2005.</p>"
                "<p>Cette déclaration d'accessibilité s'applique au site du Conseil de l'ESS de Rivebelle.</p>"
                "<h2>État de conformité</h2>"
                "<p>Le site du Conseil de l'ESS de Rivebelle est <strong>partiellement conforme</strong> avec "
                "le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1.2, en raison des "
                "non-conformités et des dérogations énumérées ci-dessous.</p>"
                "<h2>Résultats des tests</h2>"
                "<p>L'audit de conformité réalisé en mai 2026 par le service numérique de la Métropole révèle "
                "que 82 % des critères du RGAA applicables sont respectés.</p>"
                "<h2>Contenus non accessibles</h2>"
                "<h3>Non-conformités</h3>"
                "<ul>"
                "<li>Certains documents PDF transmis par des structures partenaires ne sont pas balisés et ne "
                "sont pas accessibles aux lecteurs d'écran (critère 13.3).</li>"
                "<li>Sur la page de suivi en direct d'une séance, la mise à jour des résultats d'un vote "
                "n'est pas toujours annoncée par les technologies d'assistance (critère 7.5).</li>"
                "<li>Quelques images publiées dans les actualités les plus anciennes n'ont pas d'alternative "
                "textuelle pertinente (critère 1.3).</li>"
                "</ul>"
                "<h3>Dérogations pour charge disproportionnée</h3>"
                "<p>Aucune.</p>"
                "<h3>Contenus non soumis à l'obligation d'accessibilité</h3>"
                "<ul>"
                "<li>Les documents bureautiques publiés avant le 23 septembre 2018.</li>"
                "<li>Les contenus de tiers qui ne sont ni financés ni développés par la Métropole, ni sous son "
                "contrôle.</li>"
                "</ul>"
                "<h2>Établissement de cette déclaration d'accessibilité</h2>"
                "<p>Cette déclaration a été établie le 15 mai 2026.</p>"
                "<h3>Technologies utilisées pour la réalisation du site</h3>"
                "<ul><li>HTML5</li><li>CSS</li><li>JavaScript</li></ul>"
                "<h3>Environnement de test</h3>"
                "<p>Les vérifications ont été réalisées avec les combinaisons suivantes : NVDA et Firefox, JAWS "
                "et Chrome, VoiceOver et Safari, ainsi qu'avec la navigation au clavier seul et un zoom à "
                "400 %.</p>"
                "<h3>Outils pour évaluer l'accessibilité</h3>"
                "<ul><li>axe-core</li><li>Colour Contrast Analyser</li><li>validateur HTML du W3C</li></ul>"
                "<h3>Pages du site ayant fait l'objet de la vérification de conformité</h3>"
                "<ul>"
                "<li>Accueil</li><li>Le Conseil de l'ESS</li><li>Nos six champs d'action</li>"
                "<li>Actualités</li><li>Recherche</li><li>Mentions légales</li>"
                "<li>Déclaration d'accessibilité</li><li>Connexion et création de compte</li>"
                "<li>Annuaire des structures</li><li>Agenda</li><li>Liste et détail des propositions</li>"
                "</ul>"
                "<h2>Retour d'information et contact</h2>"
                "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le "
                "secrétariat du Conseil de l'ESS pour être orienté·e vers une alternative accessible ou obtenir "
                "le contenu sous une autre forme :</p>"
                "<ul>"
                "<li>par courriel : accessibilite@rivebelle.example.org ;</li>"
                "<li>par courrier : Rivebelle Métropole, secrétariat du Conseil de l'ESS, Hôtel de la "
                "Métropole, place de la Lère, Rivebelle.</li>"
                "</ul>"
                "<h2>Voies de recours</h2>"
                "<p>Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du "
                "site un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à l'un des services, "
                "et vous n'avez pas obtenu de réponse satisfaisante.</p>"
                "<ul>"
                "<li>Écrire un message au Défenseur des droits, à l'aide du "
                "<a href=\"https://formulaire.defenseurdesdroits.fr/\">formulaire en ligne du Défenseur des "
                "droits</a> ;</li>"
                "<li>contacter le délégué ou la déléguée du Défenseur des droits dans votre région, dont les "
                "coordonnées figurent sur <a href=\"https://www.defenseurdesdroits.fr/carte-des-delegues\">la "
                "carte des délégués du Défenseur des droits</a> ;</li>"
                "<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des "
                "droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>"
                "</ul>"
            ),
        ],
    },
]
