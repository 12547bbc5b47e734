"""Demo content: the « Actualités » page and three news of 2026 (DEMO_DATA.md §6 and §8), written for the demo."""

from .demo_blocs import texte

ACTUALITES = {
    "slug": "actualites",
    "title": "Actualités",
    "menu": True,
    "intro": "Les nouvelles du Conseil de l'ESS de Rivebelle : séances, ateliers, événements et réalisations.",
    "enfants": [
        {
            "slug": "pleniere-de-printemps-2026",
            "title": "Plénière de printemps : des orientations pour 2026-2028",
            "date": "2026-03-27",
            "intro": (
                "Réunie le 26 mars à l'Hôtel de la Métropole, la séance plénière a adopté les orientations "
                "stratégiques du Conseil pour les trois prochaines années et retenu trois thématiques pour 2026."
            ),
            "body": [
                texte(
                    "<p>Cent quatre personnes ont participé à la séance plénière de printemps, ouverte par le "
                    "Président de la Métropole et la Maire de Rivebelle. Après le bilan 2025 des propositions et "
                    "des ateliers, les participant·e·s ont adopté quatre orientations stratégiques pour "
                    "2026-2028 : ancrer l'ESS dans la stratégie de développement économique, faire de la "
                    "commande publique un levier pour l'emploi, soutenir les initiatives des habitant·e·s en "
                    "priorité dans les quartiers, et évaluer ensemble la politique ESS.</p>"
                    "<h2>Trois thématiques pour 2026</h2>"
                    "<p>La révision du SPASER avec les acteurs, la trajectoire vers un territoire zéro déchet et "
                    "la place de l'ESS dans les quartiers seront travaillées en atelier cette année. La "
                    "thématique « numérique responsable » n'a pas été retenue ; elle sera de nouveau proposée "
                    "en 2027.</p>"
                    "<h2>Deux propositions adoptées</h2>"
                    "<p>La séance a adopté le projet de pépinière ESS dans l'ancienne Filature de "
                    "Port-Sainte-Aude et l'inscription d'objectifs chiffrés d'achats auprès de l'ESS dans le "
                    "SPASER révisé. La proposition de gratuité des salles métropolitaines pour toutes les "
                    "associations n'a pas été retenue, son coût ayant été jugé trop élevé : l'atelier "
                    "« Immobilier d'entreprises et tiers-lieux » travaille désormais à une grille de loyers "
                    "modérés.</p>"
                ),
            ],
        },
        {
            "slug": "seance-exceptionnelle-forum-europeen",
            "title": "Séance exceptionnelle : Rivebelle accueillera le Forum européen des territoires solidaires",
            "date": "2026-06-24",
            "intro": (
                "Choisie pour accueillir le Forum européen des territoires solidaires en 2027, la Métropole a réuni "
                "le Conseil de l'ESS en séance exceptionnelle pour préparer l'événement avec les acteurs."
            ),
            "body": [
                texte(
                    "<p>Soixante-seize personnes se sont retrouvées le 23 juin à La Fabrique des Communs, à "
                    "Port-Sainte-Aude. Après la présentation du calendrier et le témoignage d'une ville qui a "
                    "accueilli une précédente édition, six groupes ont travaillé sur une question : quelles "
                    "actions pour faire rayonner l'ESS de Rivebelle en Europe ?</p>"
                    "<p>Vingt-quatre idées ont été recueillies, des visites de structures à l'accueil de "
                    "délégations dans les quartiers. Le Conseil a décidé de créer un groupe de travail "
                    "temporaire « Forum 2027 », ouvert à toutes et à tous, pour les approfondir.</p>"
                ),
            ],
        },
        {
            "slug": "mois-de-l-ess-2026-programme",
            "title": "Mois de l'ESS 2026 : trente rendez-vous dans dix communes",
            "date": "2026-10-15",
            "intro": (
                "Du 1er au 30 novembre, le Mois de l'ESS revient à Rivebelle Métropole avec une trentaine "
                "d'événements pour découvrir l'économie sociale et solidaire près de chez soi."
            ),
            "body": [
                texte(
                    "<p>Visites de structures, ciné-débats, marchés solidaires, formations, forum de la création "
                    "d'entreprise : le programme 2026, coordonné par la CRESS Val-de-Lère, s'adresse à tous les "
                    "publics. La soirée de lancement aura lieu le 3 novembre à la Halle aux Grains, la fête de "
                    "clôture le 28 novembre au même endroit.</p>"
                    "<p>Certaines animations demandent une inscription, car les places sont limitées. Retrouvez "
                    "la présentation de l'édition sur la page <a href=\"page:mois-de-l-ess\">Le Mois de "
                    "l'ESS</a>.</p>"
                ),
            ],
        },
    ],
}
