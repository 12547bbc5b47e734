"""The platform's roles, as Django groups. One place names them; ``rules.py`` says what each may do."""

from django.utils.translation import gettext_lazy as _

ACTEUR = "Acteur"
MEMBRE = "Membre du Conseil"
ANIMATEUR = "Animateur·rice"
AGENT = "Agent·e"
ELU = "Élu·e"
ADMINISTRATEUR = "Administrateur"

TOUS = [ACTEUR, MEMBRE, ANIMATEUR, AGENT, ELU, ADMINISTRATEUR]

DESCRIPTIONS = {
    ACTEUR: _("Compte vérifié : propose, s'inscrit, rejoint des structures et des ateliers."),
    MEMBRE: _("Membre du Conseil validé par le secrétariat, dans un collège ; vote en plénière."),
    ANIMATEUR: _("Anime un atelier thématique : réunions, comptes rendus."),
    AGENT: _("Secrétariat et services : modère, instruit, suit la mise en œuvre."),
    ELU: _("Élu·e : suit le tableau de bord, préside les séances."),
    ADMINISTRATEUR: _("Administre toute la plateforme, y compris le CMS."),
}

# Roles that reach the Wagtail admin (the one back office).
ROLES_ADMIN_WAGTAIL = [AGENT, ADMINISTRATEUR]
