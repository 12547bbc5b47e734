"""The accessibility statement (RGAA 4.1), in one place: ``/accessibilite/`` and the footer's
« Accessibilité : … » label are generated from ``DECLARATION``. Update it after each audit."""

import datetime

from django.utils.translation import gettext_lazy as _

DECLARATION = {
    "etat": _("partiellement conforme"),
    "referentiel": "RGAA 4.1",
    "date": datetime.date(2026, 12, 6),
    "entite": _("Rivebelle Métropole"),
    "site": _("Conseil de l'ESS de Rivebelle"),
    # Pages checked at every build by the browser journeys (tests/e2e): axe-core audit of each page reached,
    # keyboard-only journeys (visible focus, skip link, no keyboard trap).
    "pages_auditees": [
        (_("Accueil"), "/"),
        (_("Connexion et création de compte"), "/compte/signup/"),
        (_("Mon espace"), "/mon-espace/"),
        (_("Agenda et fiche d'un événement, inscription et liste d'attente"), "/agenda/"),
        (_("Ateliers thématiques"), "/ateliers/"),
        (_("Propositions : liste, fiche et dépôt"), "/propositions/"),
        (_("Séances plénières : émargement et vote en direct"), "/seances/"),
        (_("Annuaire des structures"), "/structures/"),
        (_("Recherche"), "/recherche/"),
        (_("Données personnelles"), "/donnees-personnelles/"),
        (_("Déclaration d'accessibilité"), "/accessibilite/"),
    ],
    "resultats": _("Chaque page listée ci-dessous est auditée automatiquement avec axe-core dans Chromium à chaque "
                   "intégration : aucune violation « grave » ou « critique ». Les tests automatiques ne couvrent "
                   "qu'une partie des critères du RGAA ; l'audit manuel complet reste à réaliser."),
    "non_conformites": [
        _("L'audit manuel des 106 critères du RGAA n'a pas encore été réalisé : seuls les tests automatiques "
          "et la navigation au clavier sont vérifiés."),
        _("Les documents PDF déposés par des structures partenaires ne sont pas toujours balisés (critère 13.3)."),
        _("Les images publiées par les contributeur·rice·s peuvent manquer d'une alternative textuelle pertinente "
          "(critère 1.3)."),
        _("L'espace d'administration (Wagtail) n'a pas été évalué."),
    ],
    "derogations": [],
    "non_soumis": [
        _("Les contenus de tiers qui ne sont ni financés ni développés par la Métropole, ni sous son contrôle."),
    ],
    "technologies": ["HTML5", "CSS", "JavaScript"],
    "environnement": _("Chromium (Debian) piloté par Playwright, axe-core ; navigation au clavier seul ; "
                       "affichage à 375 et 320 pixels de large."),
    "contact": {
        "courriel": "accessibilite@rivebelle-metropole.example",
        "courrier": _("Rivebelle Métropole, secrétariat du Conseil de l'ESS, 1 place de la Métropole, "
                      "00000 Rivebelle"),
    },
    "defenseur_des_droits": {
        "formulaire": "https://formulaire.defenseurdesdroits.fr/",
        "delegues": "https://www.defenseurdesdroits.fr/carte-des-delegues",
        "courrier": "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
    },
}


def libelle_pied_de_page():
    """« Accessibilité : partiellement conforme » (the mention the footer of every page must carry)."""
    return _("Accessibilité : %(etat)s") % {"etat": DECLARATION["etat"]}
