"""Controlled vocabulary of the agenda, created after every migrate (idempotent).

A transactional test flushes the database; post_migrate runs again after each flush, so the
publics are always there, as the role groups and champs d'action are (``comptes.setup``).
"""

# code, libellé. The codes are those of DEMO_DATA.md §8 (filters and feeds use them in URLs).
PUBLICS = [
    ("grand_public", "Grand public"),
    ("porteurs", "Porteur·se·s de projet"),
    ("professionnels", "Professionnel·le·s"),
    ("structures_ess", "Structures de l'ESS"),
    ("jeunes", "Jeunes"),
    ("elus_agents", "Élu·e·s et agent·e·s des collectivités"),
]


def assurer_publics(**kwargs):
    """Create the publics an event can be for; never rename one an agent has edited."""
    from .models import Public

    for code, libelle in PUBLICS:
        Public.objects.get_or_create(code=code, defaults={"libelle": libelle})
