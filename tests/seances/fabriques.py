"""Factories and helpers for the séances' tests: séances built through the services, members in office."""

import datetime

from conseil_ess.comptes import roles
from conseil_ess.propositions.models import Etat, Proposition
from conseil_ess.seances import services
from conseil_ess.seances.models import Scrutin, Seance
from tests.comptes.fabriques import MembreConseilFactory, college
from tests.evenements.fabriques import dans
from tests.factories import StructureFactory, UserFactory
from tests.propositions.fabriques import PropositionFactory, amener_a, proposition_en


def un_agent():
    return UserFactory(roles=[roles.AGENT])


def membre_en_exercice(structure=None, college_=None, **kwargs):
    """Return a person with a valid mandate (group « Membre du Conseil »), for ``structure`` in ``college_``."""
    user = UserFactory(roles=[roles.ACTEUR, roles.MEMBRE], **kwargs)
    MembreConseilFactory(user=user, structure=structure or StructureFactory(), college=college_ or college())
    return user


def nouvelle_seance(agent=None, jours=10, **kwargs):
    """A séance in preparation, ``jours`` days from now (created by ``services.creer_seance``)."""
    agent = agent or un_agent()
    debut = dans(jours, heure=17)
    kwargs.setdefault("titre", "Séance plénière de printemps")
    return services.creer_seance(agent, debut=debut, fin=debut + datetime.timedelta(hours=3), **kwargs)


def seance_avec_scrutin(agent=None, ouvrir=True, **regles):
    """A published séance with one scrutin (a free question unless ``regles`` says otherwise), opened.

    Return (séance, scrutin, agent).
    """
    agent = agent or un_agent()
    seance = nouvelle_seance(agent)
    if regles.get("proposition") is not None:
        inscrire_a(regles["proposition"], seance)
    services.ajouter_point(seance, agent, "Accueil et informations")
    regles.setdefault("objet", Scrutin.Objet.QUESTION)
    point = services.ajouter_point(seance, agent, "Question soumise au vote", scrutin=regles)
    services.publier_ordre_du_jour(seance, agent)
    scrutin = point.scrutin
    if ouvrir:
        services.ouvrir_scrutin(scrutin, agent)
    scrutin.refresh_from_db()
    seance.refresh_from_db()
    return seance, scrutin, agent


def presents(seance, nombre, agent, **kwargs):
    """Return ``nombre`` members in office, checked in at ``seance`` by ``agent``."""
    membres = [membre_en_exercice(**kwargs) for _ in range(nombre)]
    for membre in membres:
        services.emarger(seance, membre, par=agent)
    return membres


def seance_avec_votants(nombre):
    """A published séance with an open scrutin and ``nombre`` members checked in, each logged in.

    Return (séance, scrutin, agent, the members' session cookie values). One transaction (SQLite would
    otherwise sync the file at each of the thousands of writes), and ten structures for the members (one
    vote per structure is not asked).
    """
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    with transaction.atomic():
        seance, scrutin, agent = seance_avec_scrutin()
        structures = StructureFactory.create_batch(10)
        membres = [membre_en_exercice(structure=structures[i % 10]) for i in range(nombre)]
        for membre in membres:
            services.emarger(seance, membre, par=agent)
        sessions = []
        for membre in membres:
            client = Client()
            client.force_login(membre)
            sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return seance, scrutin, agent, sessions


def proposition_soumise(seance=None, **kwargs):
    """A proposal inscribed (through the workflow) to ``seance``'s plenary, or to a plenary of its own."""
    if seance is None:
        return proposition_en(Etat.SOUMISE_PLENIERE, **kwargs)
    return amener_a(PropositionFactory(**kwargs), Etat.SOUMISE_PLENIERE, pleniere=seance.evenement)


def inscrire_a(proposition, seance):
    """Set-up only: move a proposal already inscribed to another plenary onto ``seance``'s (a scrutin on it is
    allowed in that séance only), for tests that make the proposal before the séance."""
    Proposition.objects.filter(pk=proposition.pk).update(pleniere=seance.evenement)
    proposition.pleniere = seance.evenement


def version(seance):
    return Seance.objects.values_list("version", flat=True).get(pk=seance.pk)


def arguments_matrice(cle, user=None):
    """Return the URL kwargs of a séances row of the permission matrix (tests/test_permissions.py).

    ``cle``: ``seance`` (agenda published) or ``seance_preparation`` (agenda not published yet);
    ``seance_document`` / ``seance_document_preparation``: a document of a séance, agenda published or not;
    ``seance_pv`` / ``seance_pv_brouillon``: a finished séance whose minutes are published, or a draft;
    ``seance_emargement``: a published séance and the check-in token of its room's QR code;
    ``seance_pk``: a published séance by its primary key (the back office's pages);
    ``seance_point``: a séance in preparation and one of its agenda items (its edit and delete pages).
    """
    if cle in ("seance_document", "seance_document_preparation", "seance_pv", "seance_pv_brouillon"):
        return _arguments_documents(cle)
    agent = un_agent()
    seance = nouvelle_seance(agent)
    point = services.ajouter_point(seance, agent, "Accueil et informations")
    if cle == "seance_point":  # an agenda item of a séance in preparation (its edit and delete pages)
        return {"pk": seance.pk, "point": point.pk}
    if cle in ("seance", "seance_emargement", "seance_pk"):
        services.publier_ordre_du_jour(seance, agent)
        if cle == "seance_emargement":
            return {"slug": seance.slug, "jeton": seance.jeton_emargement}
        if cle == "seance_pk":
            return {"pk": seance.pk}
    elif cle != "seance_preparation":
        raise KeyError(cle)
    return {"slug": seance.slug}


def _arguments_documents(cle):
    from django.core.files.base import ContentFile

    from conseil_ess.seances import documents, proces_verbal

    agent = un_agent()
    seance = nouvelle_seance(agent)
    services.ajouter_point(seance, agent, "Accueil et informations")
    if cle != "seance_document_preparation":
        services.publier_ordre_du_jour(seance, agent)
    if cle.startswith("seance_document"):
        document = documents.ajouter_document(seance, agent, "Note", ContentFile(b"%PDF-1.4", name="note.pdf"))
        return {"slug": seance.slug, "pk": document.pk}
    services.terminer_seance(seance, agent)
    pv = proces_verbal.generer(seance, agent)
    if cle == "seance_pv":
        proces_verbal.publier(pv, agent)
    return {"slug": seance.slug}
