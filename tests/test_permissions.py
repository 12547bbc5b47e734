"""Permission matrix: every URL of the project's own apps × every role → the expected status.

The test ``test_chaque_route_a_sa_ligne`` enumerates the URL patterns of our apps and fails when a
route has no row here: a new view cannot ship without saying who may reach it. Staff roles (agent,
élu·e) have two-factor authentication set up.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conseil_ess.comptes.models import Adhesion
from tests.ateliers import fabriques as fabriques_ateliers
from tests.conftest import ROLES, creer_utilisateur
from tests.evenements import fabriques
from tests.factories import AdhesionFactory, StructureFactory
from tests.propositions import fabriques as fabriques_propositions
from tests.seances import fabriques as fabriques_seances

# Namespaces of the project's own apps (later issues add theirs).
ESPACES_DE_NOMS = {"comptes", "evenements", "evenements_revisions", "ateliers", "home", "propositions", "seances",
                   "seances_admin", "donnees_admin", "registre_traitements"}
# Entry points of allauth and the admin that the matrix also covers.
ROUTES_SUPPLEMENTAIRES = {
    "account_login", "account_signup", "account_logout", "account_reset_password", "account_email",
    "account_change_password", "mfa_index", "mfa_activate_totp", "wagtailadmin_home", "wagtail_serve",
    "sante", "redaction_apercu",
}

A, AC, M, AN, AG, E = "anonyme", "acteur", "membre", "animateur", "agent", "elu"


def tous(code):
    return dict.fromkeys(ROLES, code)


def connecte(code, anonyme=302):
    return {A: anonyme, AC: code, M: code, AN: code, AG: code, E: code}


def animation(code):
    """Pages of an atelier's animation: its animateur·rice (the "animateur" of the matrix) and agents."""
    return {A: 302, AC: 403, M: 403, AN: code, AG: code, E: 403}


# Reserved to the atelier's members (the animateur), élu·e·s and agents; others get 404 (not revealed).
MEMBRES_ATELIER = {A: 404, AC: 404, M: 404, AN: 200, AG: 200, E: 200}


# A séance in preparation (or its draft minutes): the secrétariat and the élu·e·s; others are not told it exists.
RESERVE_SEANCES = {A: 404, AC: 404, M: 404, AN: 404, AG: 200, E: 200}


# The back office of the secrétariat (Wagtail admin): anonymous people are sent to the login; a logged-in
# person without access gets the page saying the back office is the secrétariat's (never the login again,
# which would send them back: a redirect loop).
SECRETARIAT = {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}


# name: (method, kwargs builder name, expected status by role)
MATRICE = {
    "comptes:mon_espace": ("get", None, connecte(200)),
    "comptes:profil": ("get", None, connecte(200)),
    "comptes:notifications_json": ("get", None, connecte(200)),
    "comptes:notifications_lues": ("post", None, connecte(302)),
    "comptes:notifications_preferences": ("get", None, connecte(200)),
    # Personal data: one's own (the page; the POST returns the ZIP), erasure asks for the password first.
    "comptes:mes_donnees": ("get", None, connecte(200)),
    "comptes:mes_donnees@zip": ("post", None, connecte(200)),
    "comptes:supprimer_mon_compte": ("get", None, connecte(200)),
    "comptes:compte_supprime": ("get", None, tous(200)),
    "comptes:adhesion_decider": ("post", "adhesion", {A: 302, AC: 403, M: 403, AN: 403, AG: 302, E: 403}),
    "comptes:structure_liste": ("get", None, tous(200)),
    "comptes:structure_creer": ("get", None, connecte(200)),
    "comptes:structure_detail": ("get", "structure", tous(200)),
    "comptes:structure_detail@en_attente": ("get", "structure_en_attente",
                                            {A: 404, AC: 404, M: 404, AN: 404, AG: 200, E: 404}),
    "comptes:structure_modifier": ("get", "structure", {A: 302, AC: 404, M: 404, AN: 404, AG: 200, E: 404}),
    "comptes:structure_rejoindre": ("post", "structure", connecte(302)),
    "comptes:structure_quitter": ("post", "structure", connecte(302)),
    "evenements:agenda": ("get", None, tous(200)),
    "evenements:agenda_ics": ("get", None, tous(200)),
    "evenements:programme_pdf": ("get", "programme", tous(200)),
    "evenements:integrer": ("get", None, tous(200)),
    "evenements:donnees_csv": ("get", None, tous(200)),
    "evenements:donnees_json": ("get", None, tous(200)),
    "evenements:proposer": ("get", None, connecte(200)),
    "evenements:programme": ("get", "programme", tous(200)),
    "evenements:programme_ics": ("get", "programme", tous(200)),
    "evenements:detail": ("get", "evenement", tous(200)),
    "evenements:detail@brouillon": ("get", "evenement_brouillon", {A: 404, AC: 404, M: 404, AN: 404, AG: 200, E: 404}),
    "evenements:detail@reserve": ("get", "evenement_reserve", connecte(200)),
    "evenements:detail_ics": ("get", "evenement", tous(200)),
    "evenements:detail_ics@brouillon": ("get", "evenement_brouillon", tous(404)),
    "evenements:inscrire": ("post", "evenement_inscriptions", connecte(302)),
    "evenements:modifier": ("get", "evenement", {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    "evenements:statut": ("post", "evenement", {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    # A pending revision of a published event (issue 18): its author and the moderators; others are not told.
    "evenements:revision": ("get", "revision", {A: 302, AC: 404, M: 404, AN: 404, AG: 200, E: 404}),
    "evenements:revision@mienne": ("get", "revision_mienne", connecte(200)),
    # A moderator may see it but only its author withdraws it (a French message, back to the event).
    "evenements:revision_retirer": ("post", "revision", {A: 302, AC: 404, M: 404, AN: 404, AG: 302, E: 404}),
    "evenements:revision_retirer@mienne": ("post", "revision_mienne", connecte(302)),
    "evenements_revisions:index": ("get", None, SECRETARIAT),
    "evenements_revisions:detail": ("get", "revision_pk", SECRETARIAT),
    "evenements:annuler_inscription": ("post", "inscription", connecte(404, anonyme=302)),
    # The organisers' pages (evenements.gerer_inscrits): the event of the matrix has no organiser, so the
    # moderation team (agent) alone; the organisers themselves: tests/evenements/test_organisateurs.py.
    "evenements:organisateurs": ("get", "evenement", {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    "evenements:organisateurs_export": ("get", "evenement", {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    "evenements:organisateurs_message": ("get", "evenement", {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    "evenements:organisateurs_emargement": ("get", "evenement",
                                            {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    "evenements:organisateurs_scan": ("get", "inscription_scan", {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    "evenements:organisateurs_scan@post": ("post", "inscription_scan",
                                           {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    "evenements:flux_personnel": ("get", "jeton", tous(200)),
    "evenements:regenerer_jeton": ("post", None, connecte(302)),
    "ateliers:index": ("get", None, tous(200)),
    "ateliers:cycle": ("get", "cycle", tous(200)),
    "ateliers:ics": ("get", "atelier", tous(200)),
    "ateliers:detail": ("get", "atelier", tous(200)),
    "ateliers:rejoindre": ("post", "atelier", connecte(302)),
    "ateliers:quitter": ("post", "atelier", connecte(302)),
    "ateliers:reunion": ("get", "reunion", tous(200)),
    "ateliers:reunion@reservee": ("get", "reunion_reservee", MEMBRES_ATELIER),
    "ateliers:document": ("get", "document", tous(200)),
    "ateliers:document@interne": ("get", "document_interne", MEMBRES_ATELIER),
    "ateliers:document@brouillon": ("get", "document_brouillon", {A: 404, AC: 404, M: 404, AN: 200, AG: 200, E: 404}),
    "ateliers:gerer": ("get", "atelier", animation(200)),
    "ateliers:gerer@archive": ("get", "atelier_archive", {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 403}),
    "ateliers:decider": ("post", "participation", animation(302)),
    "ateliers:reunion_nouvelle": ("get", "atelier", animation(200)),
    "ateliers:reunion_passee": ("get", "atelier", animation(200)),
    "ateliers:reunion_modifier": ("get", "reunion", animation(200)),
    "ateliers:reunion_annuler": ("get", "reunion", animation(200)),
    "ateliers:presences": ("get", "reunion_passee", animation(200)),
    "ateliers:compte_rendu": ("get", "reunion_passee", animation(200)),
    "ateliers:document_supprimer": ("post", "document", animation(302)),
    "comptes:conseil_membres": ("get", None, tous(200)),
    "comptes:conseil_demande": ("get", None, connecte(200)),
    # Without a mandate: a clear message, back to the mandate page.
    "comptes:conseil_affichage": ("post", None, connecte(302)),
    "propositions:liste": ("get", None, tous(200)),
    "propositions:nouvelle": ("get", None, connecte(200)),
    # Drafts: their author and the secrétariat only; others are not told they exist.
    "propositions:brouillon": ("get", "brouillon", {A: 404, AC: 404, M: 404, AN: 404, AG: 200, E: 404}),
    "propositions:brouillon@mien": ("get", "brouillon_mien", connecte(200, anonyme=404)),
    "propositions:deposer": ("post", "brouillon", connecte(404, anonyme=302)),
    "propositions:deposer@mien": ("post", "brouillon_mien", connecte(302)),
    "propositions:modifier": ("get", "deposee_pk", connecte(403)),
    "propositions:modifier@mien": ("get", "deposee_pk_mien", connecte(200)),
    "propositions:structures_json": ("get", None, tous(200)),
    "propositions:decider_portage": ("post", "invitation", connecte(403)),
    "propositions:decider_portage@mien": ("post", "invitation_mien", connecte(302)),
    "propositions:piece_jointe": ("get", "piece", tous(200)),
    "propositions:piece_jointe@brouillon": ("get", "piece_brouillon", {A: 404, AC: 404, M: 404, AN: 404, AG: 200,
                                                                       E: 404}),
    "propositions:detail": ("get", "deposee", tous(200)),
    "propositions:suivre": ("post", "deposee", connecte(302)),
    "propositions:retirer": ("get", "deposee", connecte(403)),
    "propositions:retirer@mien": ("get", "deposee_mien", connecte(200)),
    "propositions:engagement": ("get", "adoptee", {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 200}),
    # The follow-up of an adopted proposal: the élu·e in charge and the secrétariat are led to the engagement
    # page's forms; another élu·e, or anyone else, gets the French refusal.
    "propositions:avancement": ("get", "en_oeuvre", {A: 302, AC: 403, M: 403, AN: 403, AG: 302, E: 403}),
    "propositions:avancement@mien": ("get", "en_oeuvre_mien", {A: 302, AC: 403, M: 403, AN: 403, AG: 302, E: 302}),
    "propositions:avancement@adoptee": ("get", "adoptee", {A: 302, AC: 403, M: 403, AN: 403, AG: 302, E: 403}),
    "propositions:tableau_de_bord": ("get", None, {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 200}),
    "propositions:tableau_de_bord_csv": ("get", None, {A: 302, AC: 403, M: 403, AN: 403, AG: 200, E: 200}),
    "propositions:donnees": ("get", None, tous(200)),
    "propositions:donnees_csv": ("get", None, tous(200)),
    "propositions:donnees_json": ("get", None, tous(200)),
    "seances:liste": ("get", None, tous(200)),
    "seances:detail": ("get", "seance", tous(200)),
    # Before its agenda is published: the secrétariat and the élu·e·s only; others are not told it exists.
    "seances:detail@preparation": ("get", "seance_preparation", RESERVE_SEANCES),
    "seances:direct": ("get", "seance", tous(200)),
    "seances:direct@preparation": ("get", "seance_preparation", RESERVE_SEANCES),
    "seances:direct_etat": ("get", "seance", tous(200)),
    "seances:direct_etat@preparation": ("get", "seance_preparation", RESERVE_SEANCES),
    # An empty vote form is refused for all (whether one may vote is the service's answer: test_direct.py).
    "seances:voter": ("post", "seance", tous(400)),
    # The secrétariat only (with MFA); an agent's empty form is refused with its message.
    "seances:piloter": ("post", "seance", {A: 403, AC: 403, M: 403, AN: 403, AG: 400, E: 403}),
    "seances:emarger": ("get", "seance_emargement", connecte(200)),
    "seances:document": ("get", "seance_document", tous(200)),
    "seances:document@preparation": ("get", "seance_document_preparation", RESERVE_SEANCES),
    "seances:proces_verbal": ("get", "seance_pv", tous(200)),
    "seances:proces_verbal@brouillon": ("get", "seance_pv_brouillon", RESERVE_SEANCES),
    "seances:proces_verbal_pdf": ("get", "seance_pv", tous(200)),
    "seances:proces_verbal_pdf@brouillon": ("get", "seance_pv_brouillon", RESERVE_SEANCES),
    # The secrétariat's back office (Wagtail admin): agents only.
    "seances_admin:index": ("get", None, SECRETARIAT),
    "donnees_admin:effacer": ("get", None, SECRETARIAT),
    "seances_admin:ajouter": ("get", None, SECRETARIAT),
    "seances_admin:preparer": ("get", "seance_pk", SECRETARIAT),
    "seances_admin:modifier_point": ("get", "seance_point", SECRETARIAT),
    "seances_admin:supprimer_point": ("get", "seance_point", SECRETARIAT),
    "seances_admin:emargement": ("get", "seance_pk", SECRETARIAT),
    "seances_admin:qr_code": ("get", "seance_pk", SECRETARIAT),
    "seances_admin:proces_verbal": ("get", "seance_pk", SECRETARIAT),
    "registre_traitements:index": ("get", None, SECRETARIAT),
    "registre_traitements:csv": ("get", None, SECRETARIAT),
    "home:recherche": ("get", None, tous(200)),
    "home:donnees_personnelles": ("get", None, tous(200)),
    "home:accessibilite": ("get", None, tous(200)),
    "wagtail_serve": ("get", "racine", tous(200)),
    # Health endpoint of the load balancers: public, no login rule, nothing personal (conseil_ess/sante.py).
    "sante": ("get", None, tous(200)),
    # Preview of the Markdown editor (conseil_ess/redaction.py): any logged-in person, nothing stored.
    "redaction_apercu": ("post", None, connecte(200)),
    "wagtailadmin_home": ("get", None, SECRETARIAT),
    "account_login": ("get", None, connecte(302, anonyme=200)),
    "account_signup": ("get", None, connecte(302, anonyme=200)),
    "account_logout": ("get", None, connecte(200)),
    "account_reset_password": ("get", None, tous(200)),
    "account_email": ("get", None, connecte(200)),
    "account_change_password": ("get", None, connecte(200)),
    "mfa_index": ("get", None, connecte(200)),
    "mfa_activate_totp": ("get", None, {A: 302, AC: 302, M: 302, AN: 302, AG: 302, E: 302}),
}


def _routes(patterns, prefixe=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefixe}{p.namespace}:" if p.namespace else prefixe
            yield from _routes(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefixe}{p.name}"


def routes_du_projet():
    noms = set(_routes(get_resolver().url_patterns))
    return {n for n in noms if n.split(":")[0] in ESPACES_DE_NOMS and ":" in n} | (noms & ROUTES_SUPPLEMENTAIRES)


def test_chaque_route_a_sa_ligne():
    couvertes = {nom.split("@")[0] for nom in MATRICE}
    manquantes = routes_du_projet() - couvertes
    assert not manquantes, f"Routes sans ligne dans la matrice de permissions : {sorted(manquantes)}"
    assert routes_du_projet() >= ROUTES_SUPPLEMENTAIRES


ARGUMENTS_ATELIERS = {"cycle", "atelier", "atelier_archive", "reunion", "reunion_reservee", "reunion_passee",
                      "participation", "document", "document_interne", "document_brouillon"}


def _arguments(cle, proprietaire):
    if cle is None:
        return {}
    if cle == "structure":
        return {"slug": StructureFactory(slug="structure-matrice").slug}
    if cle == "structure_en_attente":
        return {"slug": StructureFactory(slug="en-attente", statut="en_attente").slug}
    if cle == "adhesion":
        structure = StructureFactory()
        AdhesionFactory(structure=structure, role=Adhesion.Role.REFERENT, user=creer_utilisateur("acteur"))
        demande = AdhesionFactory(structure=structure, statut=Adhesion.Statut.DEMANDEE,
                                  user=creer_utilisateur("acteur"))
        return {"pk": demande.pk, "decision": "accepter"}
    if cle.startswith("revision"):
        return fabriques.arguments_revision(cle, proprietaire)
    if cle.startswith(("evenement", "programme", "inscription", "jeton")):
        return fabriques.arguments_matrice(cle)
    if cle.startswith(("brouillon", "deposee", "adoptee", "piece", "invitation", "en_oeuvre")):
        return fabriques_propositions.arguments_matrice(cle, proprietaire)
    if cle.startswith("seance"):
        return fabriques_seances.arguments_matrice(cle, proprietaire)
    if cle in ARGUMENTS_ATELIERS:
        return fabriques_ateliers.arguments_matrice(cle, proprietaire)
    raise KeyError(cle)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("ligne", list(MATRICE))
def test_matrice(client, ligne, role):
    methode, cle, attendus = MATRICE[ligne]
    user = creer_utilisateur(role)
    if user is not None:
        client.force_login(user)
    nom = ligne.split("@")[0]
    url = "/" if nom == "wagtail_serve" else reverse(nom, kwargs=_arguments(cle, user))
    reponse = getattr(client, methode)(url)
    assert reponse.status_code == attendus[role], f"{methode.upper()} {url} en tant que {role}"


# An agent·e or élu·e who has not set up two-factor authentication has none of the powers of their role:
# they get what an acteur gets, and the staff pages send them to set it up (issue 19: with a password alone an
# agent read others' drafts and their attachments, internal minutes' documents, and ran every atelier).
# The few rows where they differ from the acteur of the matrix, and why:
SANS_MFA_DIFFERENT = {
    # Sent to set up two-factor authentication (allauth then asks the password again), not refused.
    "mfa_activate_totp": 302,
    # A staff view outside the staff prefixes, behind ``mfa_requise``: sent to set it up too.
    "propositions:engagement": 302,
    "propositions:avancement": 302,
    "propositions:avancement@mien": 302,
    "propositions:avancement@adoptee": 302,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [AG, E])
@pytest.mark.parametrize("ligne", list(MATRICE))
def test_matrice_sans_double_authentification(client, ligne, role, settings):
    methode, cle, attendus = MATRICE[ligne]
    user = creer_utilisateur(role, mfa=False)
    client.force_login(user)
    nom = ligne.split("@")[0]
    url = "/" if nom == "wagtail_serve" else reverse(nom, kwargs=_arguments(cle, user))
    reponse = getattr(client, methode)(url)
    if any(url.startswith(p) for p in settings.PREFIXES_PAGES_PERSONNEL):
        assert reponse.status_code == 302, f"{methode.upper()} {url} en tant que {role} sans MFA"
        assert reponse["Location"].startswith(reverse("mfa_activate_totp"))
        return
    attendu = SANS_MFA_DIFFERENT.get(ligne, attendus[AC])
    assert reponse.status_code == attendu, f"{methode.upper()} {url} en tant que {role} sans MFA"
