"""Create the role groups and give the back-office ones their permissions (idempotent).

Run after every migrate (post_migrate), so a fresh database, and a test database flushed by a
transactional test, always have them.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connections

from . import roles

# Django model permissions given to agents in the Wagtail admin, by app label: comptes' own, and those of
# each later app that hands its models to the secrétariat from its ready() (``confier_aux_agents``).
APPS_GEREES_PAR_AGENTS = ["comptes"]


def confier_aux_agents(app_label):
    """Give agents every model permission of ``app_label`` (at the next migrate); call it from ``ready()``."""
    if app_label not in APPS_GEREES_PAR_AGENTS:
        APPS_GEREES_PAR_AGENTS.append(app_label)


def apres_migration_complete(sender, kwargs, modele):
    """Return True once per migrate (or flush): for the last app with models, when ``modele``'s table exists.

    post_migrate is sent once per app that has models; the last one comes when every table,
    content type and permission exists. Each app's handler uses this so its set-up runs once.
    """
    derniere = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not derniere:
        return False
    return modele._meta.db_table in connections[kwargs.get("using", "default")].introspection.table_names()


AGREMENTS = [
    ("esus", "Agrément ESUS (entreprise solidaire d'utilité sociale)"),
    ("siae-aci", "SIAE – atelier et chantier d'insertion (ACI)"),
    ("siae-ei", "SIAE – entreprise d'insertion (EI)"),
    ("siae-etti", "SIAE – entreprise de travail temporaire d'insertion (ETTI)"),
    ("siae-ai", "SIAE – association intermédiaire (AI)"),
    ("geiq", "GEIQ"),
    ("ea", "Entreprise adaptée (EA)"),
    ("esat", "ESAT"),
    ("ptce", "PTCE – pôle territorial de coopération économique"),
    ("cjs", "Porte une coopérative jeunesse de services (CJS)"),
    ("tete-de-reseau", "Tête de réseau"),
    ("financeur-solidaire", "Financeur solidaire"),
]


CHAMPS_ACTION = [
    (1, "Appui à l'écosystème de l'accompagnement et du financement", "Accompagnement et financement"),
    (2, "Soutien direct aux structures de l'ESS", "Soutien aux structures"),
    (3, "Accès au foncier et tiers-lieux", "Foncier et tiers-lieux"),
    (4, "Développement de la R&D sociale et des dynamiques collaboratives innovantes", "R&D sociale"),
    (5, "Développement des achats socialement responsables", "Achats responsables"),
    (6, "Animation de la dynamique locale et sensibilisation à l'ESS et l'innovation sociale",
     "Animation et sensibilisation"),
]


# The Conseil's collèges by default (DOMAINE.md §1.2); the secrétariat edits them in the admin.
COLLEGES = [
    ("associations", "Associations et fondations"),
    ("cooperatives-mutuelles", "Coopératives et mutuelles"),
    ("entreprises-ess", "Entreprises de l'ESS"),
    ("reseaux-cress", "Réseaux et CRESS"),
    ("collectivites-elus", "Collectivités et élu·e·s"),
    ("partenaires-institutionnels", "Partenaires institutionnels"),
]


def assurer_vocabulaire(**kwargs):
    """Create the controlled vocabularies: approvals (DOMAINE.md §8), the six champs d'action (§7), and
    the default collèges when there are none yet (they are configurable, so never re-added one by one)."""
    from .models import Agrement, ChampAction, College

    if not College.objects.exists():
        for ordre, (slug, nom) in enumerate(COLLEGES, start=1):
            College.objects.get_or_create(slug=slug, defaults={"nom": nom, "ordre": ordre})

    for code, libelle in AGREMENTS:
        Agrement.objects.get_or_create(code=code, defaults={"libelle": libelle})
    for numero, nom, court in CHAMPS_ACTION:
        ChampAction.objects.get_or_create(numero=numero, defaults={"nom": nom, "libelle_court": court})


def assurer_groupes(**kwargs):
    groupes = {nom: Group.objects.get_or_create(name=nom)[0] for nom in roles.TOUS}
    acces_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    agents = groupes[roles.AGENT]
    admins = groupes[roles.ADMINISTRATEUR]
    agents.permissions.add(*acces_admin)
    agents.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS_GEREES_PAR_AGENTS))
    agents.permissions.add(*Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"],
        codename__regex=r"^(add|change|choose)_",
    ))
    admins.permissions.add(*Permission.objects.all())
    return groupes


def permissions_wagtail():
    """Give agents and administrators their Wagtail page and collection permissions (idempotent).

    Called by home's post_migrate handler after it has made sure the page tree exists.
    """
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # a flush removes the root collection too
        Collection.add_root(name="Root")
    agents = Group.objects.get(name=roles.AGENT)
    admins = Group.objects.get(name=roles.ADMINISTRATEUR)
    _permissions_pages(agents, ["add_page", "change_page", "publish_page"])
    _permissions_pages(admins, ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page",
                                "unlock_page"])
    medias = ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"]
    _permissions_collections(agents, medias)
    _permissions_collections(admins, medias)


def _permissions_pages(groupe, codenames):
    from wagtail.models import GroupPagePermission, Page

    racine = Page.get_first_root_node()
    if racine is None:
        return
    for perm in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
        GroupPagePermission.objects.get_or_create(group=groupe, page=racine, permission=perm)


def _permissions_collections(groupe, codenames):
    from wagtail.models import Collection, GroupCollectionPermission

    racine = Collection.get_first_root_node()
    if racine is None:
        return
    for perm in Permission.objects.filter(codename__in=codenames,
                                          content_type__app_label__in=["wagtailimages", "wagtaildocs"]):
        GroupCollectionPermission.objects.get_or_create(group=groupe, collection=racine, permission=perm)
