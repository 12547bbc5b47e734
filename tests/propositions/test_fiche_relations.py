"""The page of a proposal reads its small relations (fields of action, communes, carriers, attachments,
follow-up points, indicators and their values, pending invitations, merged proposals) by one UNION ALL query
(``views._precharger_relations``) instead of nine prefetches: same page as with Django's prefetches."""

import datetime
import decimal

import pytest
from django.core.files.base import ContentFile
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from conseil_ess.comptes.models import ChampAction, Structure
from conseil_ess.propositions import services, views
from conseil_ess.propositions.models import (
    Etat,
    Indicateur,
    InvitationPortage,
    PieceJointe,
    PointSuivi,
    Proposition,
    Transition,
    ValeurIndicateur,
)
from tests.conftest import creer_utilisateur
from tests.factories import CommuneFactory, StructureFactory

from .fabriques import PropositionFactory, amener_a

pytestmark = pytest.mark.django_db


def proposition_par_l_orm(relations=(), **filtre):
    """The former way of reading the proposal of its page: joined to its five relations (``select_related``), its
    timeline prefetched (and ``relations`` joined too)."""
    return Proposition.objects.select_related(
        "atelier", "atelier_suggere", "thematique", "auteur", "responsable_elu", *relations,
    ).prefetch_related(
        Prefetch("transitions", queryset=Transition.objects.select_related("atelier", "pleniere", "par")),
    ).get(**filtre)


def _prefetches_de_django(proposition):
    """The former way: Django's prefetches of the same relations (the reference the new query must match)."""
    prefetch_related_objects(
        [proposition], "champs", "communes", "structures", "pieces_jointes", "points_suivi",
        Prefetch("indicateurs", queryset=Indicateur.objects.prefetch_related("valeurs")),
        Prefetch("invitations_portage", to_attr="invitees", queryset=InvitationPortage.objects.filter(
            etat__in=[InvitationPortage.Etat.INVITEE, InvitationPortage.Etat.A_INVITER])
            .select_related("structure").order_by("structure__nom")),
        Prefetch("fusionnees", queryset=Proposition.objects.publiques().order_by("reference"),
                 to_attr="fusionnees_publiques"),
    )


def _proposition_riche(settings):
    """A proposal being implemented with every relation the page shows, and rows it must leave out."""
    settings.PIECES_JOINTES_MAX_PAR_OBJET = settings.PIECES_JOINTES_MAX_PAR_JOUR = 100
    agent = creer_utilisateur("agent")
    structures = [StructureFactory(nom="Zèbre & Cie"), StructureFactory(nom="Atelier <b>"),
                  StructureFactory(nom="Brouillon", statut=Structure.Statut.EN_ATTENTE)]
    p = PropositionFactory(champs=list(ChampAction.objects.filter(numero__in=[3, 1])),
                           communes=[CommuneFactory(nom="Wasselonne"), CommuneFactory(nom="Achenheim")],
                           structures=structures)
    for titre in ("Annexe 2", "Annexe « 1 »"):
        PieceJointe.objects.create(proposition=p, titre=titre, fichier=ContentFile(b"%PDF-1.4", name="a.pdf"))
    for etat, nom in ((InvitationPortage.Etat.INVITEE, "Zinc"), (InvitationPortage.Etat.A_INVITER, "Ami"),
                      (InvitationPortage.Etat.REFUSEE, "Refus")):
        InvitationPortage.objects.create(proposition=p, structure=StructureFactory(nom=nom), etat=etat)
    amener_a(p, Etat.EN_OEUVRE)
    for i, jour in enumerate((datetime.date(2026, 3, 1), datetime.date(2026, 1, 1))):
        PointSuivi.objects.create(proposition=p, date=jour, texte=f"<p>Point <strong>{i}</strong> &amp; suite</p>")
    premier = services.ajouter_indicateur(p, "Emplois", agent, unite="ETP", cible=decimal.Decimal("12.5"),
                                          valeur_reference=0)
    services.ajouter_indicateur(p, "Surface", agent, cible_texte="+20 %")
    for jour, valeur in ((datetime.date(2026, 2, 1), decimal.Decimal("3.25")), (datetime.date(2025, 2, 1), 7)):
        services.ajouter_valeur(premier, jour, valeur, agent, commentaire="vu <ici>")
    # Merged into it: a public proposal (shown) and a draft pointing at it (left out).
    fusionnee = amener_a(PropositionFactory(), Etat.DEPOSEE)
    Proposition.objects.filter(pk=fusionnee.pk).update(fusionnee_dans=p, etat=Etat.FUSIONNEE)
    Proposition.objects.filter(pk=PropositionFactory().pk).update(fusionnee_dans=p)
    return p


def test_la_page_est_celle_des_prefetches_de_django(client, settings, monkeypatch):
    p = _proposition_riche(settings)
    adresse = reverse("propositions:detail", args=[p.reference])
    nouvelle = client.get(adresse).content.decode()
    monkeypatch.setattr(views, "_precharger_relations", _prefetches_de_django)
    ancienne = client.get(adresse).content.decode()
    assert nouvelle == ancienne
    for attendu in ("Annexe « 1 »", "Zèbre &amp; Cie", "Wasselonne", "Ami", "Zinc", "vu &lt;ici&gt;", "12,5",
                    "Points de suivi", "Propositions fusionnées dans celle-ci", "+20 %"):
        assert attendu in nouvelle, attendu
    assert "Refus" not in nouvelle


def test_les_relations_sont_celles_des_prefetches(settings):
    p = _proposition_riche(settings)
    nouvelle, ancienne = (Proposition.objects.get(pk=p.pk) for _ in range(2))
    views._precharger_relations(nouvelle)
    _prefetches_de_django(ancienne)

    def lire(objets, *champs):
        return [tuple(getattr(o, c) for c in champs) for o in objets]

    for relation, champs in (("champs", ("pk", "numero", "nom")), ("communes", ("pk", "nom")),
                             ("structures", ("pk", "nom", "slug", "statut", "est_publique")),
                             ("pieces_jointes", ("pk", "titre")), ("points_suivi", ("pk", "date", "texte")),
                             ("indicateurs", ("pk", "libelle", "unite", "valeur_reference", "cible", "cible_texte"))):
        assert lire(getattr(nouvelle, relation).all(), *champs) == lire(getattr(ancienne, relation).all(), *champs)
    for i_nouveau, i_ancien in zip(nouvelle.indicateurs.all(), ancienne.indicateurs.all(), strict=True):
        assert (lire(i_nouveau.valeurs.all(), "pk", "date", "valeur", "commentaire")
                == lire(i_ancien.valeurs.all(), "pk", "date", "valeur", "commentaire"))
    assert ([(i.pk, i.etat, i.structure.nom) for i in nouvelle.invitees]
            == [(i.pk, i.etat, i.structure.nom) for i in ancienne.invitees])
    assert ([(f.pk, f.etat, str(f), f.get_absolute_url()) for f in nouvelle.fusionnees_publiques]
            == [(f.pk, f.etat, str(f), f.get_absolute_url()) for f in ancienne.fusionnees_publiques])
    assert type(nouvelle.points_suivi.all()[0].texte) is type(ancienne.points_suivi.all()[0].texte)
    # A filter on a relation still runs its own query (as after a prefetch).
    assert list(nouvelle.structures.filter(statut=Structure.Statut.VALIDEE)) == list(
        ancienne.structures.filter(statut=Structure.Statut.VALIDEE))


def test_une_requete_pour_toutes_les_relations(settings, django_assert_num_queries):
    p = _proposition_riche(settings)
    p = Proposition.objects.get(pk=p.pk)
    with django_assert_num_queries(1):
        views._precharger_relations(p)
        assert len(p.champs.all()) == 2 and len(p.indicateurs.all()[0].valeurs.all()) == 2
        assert [s.nom for s in p.structures.all()] == ["Atelier <b>", "Brouillon", "Zèbre & Cie"]


def test_un_brouillon_et_une_proposition_sans_relations(client, settings, monkeypatch):
    p = PropositionFactory(champs=[ChampAction.objects.get(numero=2)])
    client.force_login(p.auteur)
    adresse = reverse("propositions:brouillon", args=[p.pk])
    nouvelle = client.get(adresse)
    monkeypatch.setattr(views, "_precharger_relations", _prefetches_de_django)
    ancienne = client.get(adresse)
    assert nouvelle.status_code == 200
    retirer_jeton = __import__("re").compile(r'name="csrfmiddlewaretoken" value="[^"]+"').sub
    assert retirer_jeton("", nouvelle.content.decode()) == retirer_jeton("", ancienne.content.decode())
    assert ValeurIndicateur.objects.count() == 0


def test_fusionnee_dans_suite_et_pleniere_lues_avec_les_petites_relations(client, monkeypatch,
                                                                         django_assert_num_queries):
    cible = amener_a(PropositionFactory(titre="Une cible commune"), Etat.DEPOSEE)
    suite = amener_a(PropositionFactory(titre="Une suite donnée"), Etat.DEPOSEE)
    fusionnee = amener_a(PropositionFactory(), Etat.DEPOSEE)
    Proposition.objects.filter(pk=fusionnee.pk).update(fusionnee_dans=cible, etat=Etat.FUSIONNEE)
    suivie = amener_a(PropositionFactory(), Etat.EVALUEE)
    Proposition.objects.filter(pk=suivie.pk).update(proposition_suite=suite)
    sans = amener_a(PropositionFactory(), Etat.DEPOSEE)
    adoptee = amener_a(PropositionFactory(), Etat.ADOPTEE)
    assert adoptee.pleniere is not None and suivie.pleniere is not None
    proposees = (fusionnee, suivie, sans, adoptee)
    adresses = [reverse("propositions:detail", args=[p.reference]) for p in proposees]
    reponses = [client.get(adresse) for adresse in adresses]
    assert [r.status_code for r in reponses] == [200] * 4
    nouvelles = [r.content.decode() for r in reponses]
    assert "Une cible commune" in nouvelles[0] and "Une suite donnée" in nouvelles[1]
    # The former way: both joined to the proposal (select_related), the small relations prefetched.
    monkeypatch.setattr(views, "_proposition_lue", lambda colonne, valeur: proposition_par_l_orm(
        **{colonne: valeur}, relations=("fusionnee_dans", "proposition_suite", "pleniere")))
    monkeypatch.setattr(views, "_precharger_relations", _prefetches_de_django)
    assert [client.get(adresse).content.decode() for adresse in adresses] == nouvelles
    monkeypatch.undo()
    # Read by the small relations' query, none of their own; what the page reads of them, as select_related.
    def lire(fusion, suite, pleniere):
        return ([None if o is None else (o.pk, o.reference, o.titre, o.etat, str(o), o.get_absolute_url(),
                                         o.est_publique) for o in (fusion, suite)],
                None if pleniere is None else (pleniere.pk, pleniere.titre, pleniere.statut, pleniere.debut))

    for p, attendu in ((fusionnee, (cible, None, None)), (suivie, (None, suite, suivie.pleniere)),
                       (sans, (None, None, None)), (adoptee, (None, None, adoptee.pleniere))):
        objet = Proposition.objects.get(pk=p.pk)
        with django_assert_num_queries(1):
            views._precharger_relations(objet)
            lus = lire(objet.fusionnee_dans, objet.proposition_suite, objet.pleniere)
        assert lus == lire(*attendu)
