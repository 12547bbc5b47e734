"""The secrétariat's instruction of the proposals in the Wagtail admin: the listing (filters, search,
export, no deletion), the instruction page (every transition through the workflow, notes, follow-up
points, indicators), the bulk actions, who gets in, and flat query counts."""

import datetime
import html
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from conseil_ess.comptes.models import ChampAction
from conseil_ess.propositions.models import Etat, Indicateur, NoteInterne, PointSuivi, Proposition, Transition
from evenements.models import TypeEvenement
from tests.ateliers.fabriques import AtelierFactory
from tests.conftest import creer_utilisateur
from tests.evenements.fabriques import EvenementFactory
from tests.factories import CommuneFactory
from tests.tableurs import lire_export

from .fabriques import PropositionFactory, amener_a, proposition_en

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
E = Etat
LISTE = reverse("propositions_admin:index")


def instruire(p):
    return reverse("propositions_admin:instruire", args=[p.pk])


def en_masse(action, propositions):
    ids = "&".join(f"id={p.pk}" for p in propositions)
    return reverse("wagtail_bulk_action", args=["propositions", "proposition", action]) + f"?{ids}&next={LISTE}"


def messages_de(reponse):
    """The admin messages of the page, as read (Wagtail renders them as escaped HTML)."""
    return [html.unescape(str(m)).strip() for m in reponse.context["messages"]] if reponse.context else []


def poster(client, p, vers, **champs):
    """Post the transition form of ``p`` to ``vers`` (fields are named with the form's prefix)."""
    donnees = {"action": "transition", "vers": vers}
    donnees.update({f"t-{vers}-{nom}": valeur for nom, valeur in champs.items()})
    return client.post(instruire(p), donnees)


def dernier_pas(p):
    return p.transitions.order_by("-le", "-pk").first()


@pytest.fixture
def client_agent(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def pleniere():
    return EvenementFactory(type=TypeEvenement.SEANCE_PLENIERE, titre="Séance plénière de juin")


# --- Listing --------------------------------------------------------------------------------------


def test_la_liste_montre_les_propositions_publiques_sans_les_brouillons(client_agent):
    deposee = proposition_en(E.DEPOSEE, titre="Une cantine solidaire")
    brouillon = PropositionFactory(titre="Un brouillon secret")
    reponse = client_agent.get(LISTE)
    assert reponse.status_code == 200
    objets = list(reponse.context["object_list"])
    assert deposee in objets and brouillon not in objets
    html = reponse.content.decode()
    assert deposee.reference in html and "Un brouillon secret" not in html
    assert instruire(deposee) in html
    # The bulk actions are offered on the listing.
    assert "Affecter à un atelier" in html and "Inscrire en séance plénière" in html


def test_la_liste_montre_d_abord_celles_qui_attendent_la_plus_ancienne_en_tete(client_agent):
    adoptee = proposition_en(E.ADOPTEE)
    recente = proposition_en(E.DEPOSEE)
    ancienne = amener_a(PropositionFactory(), E.EN_INSTRUCTION,
                        le=timezone.now() - datetime.timedelta(days=90))
    objets = list(client_agent.get(LISTE).context["object_list"])
    assert objets == [ancienne, recente, adoptee]
    html = client_agent.get(LISTE).content.decode()
    assert re.search(r"<td[^>]*>\s*90\s*</td>", html)  # « Jours dans l'état »


def test_la_liste_filtre_par_etat_champ_atelier_annee_et_recherche(client_agent):
    champ2 = ChampAction.objects.get(numero=2)
    atelier = AtelierFactory(titre="Atelier achats")
    en_atelier = amener_a(PropositionFactory(titre="Clauses sociales", champs=[champ2]), E.EN_ATELIER,
                          atelier=atelier)
    ancienne = amener_a(PropositionFactory(titre="Tiers-lieu de quartier"), E.DEPOSEE,
                        le=timezone.make_aware(datetime.datetime(2024, 3, 2, 10)))
    recente = proposition_en(E.EN_INSTRUCTION, titre="Monnaie locale")

    def liste(**params):
        reponse = client_agent.get(LISTE, params)
        assert reponse.status_code == 200
        return set(reponse.context["object_list"])

    assert liste() == {en_atelier, ancienne, recente}
    assert liste(etat=E.EN_INSTRUCTION) == {recente}
    assert liste(champs=champ2.pk) == {en_atelier}
    assert liste(atelier=atelier.pk) == {en_atelier}
    assert liste(annee=2024) == {ancienne}
    assert ancienne.reference.startswith("P-2024-")
    assert liste(q="monnaie") == {recente}
    assert liste(q=ancienne.reference) == {ancienne}


def test_export_csv_lisible(client_agent):
    p = amener_a(PropositionFactory(titre="=HYPERLINK(1)"), E.EN_ATELIER, atelier=AtelierFactory(titre="Achats"))
    NoteInterne.objects.create(proposition=p, texte="Note très confidentielle", auteur=None)
    reponse = client_agent.get(LISTE, {"export": "csv"})
    assert reponse.status_code == 200
    lignes = lire_export(reponse)
    ligne = next(ligne for ligne in lignes[1:] if ligne[0] == p.reference)
    assert "'=HYPERLINK(1)" in ligne  # never run as a formula by a spreadsheet
    assert "En travail en atelier" in ligne and "Achats" in ligne
    assert not any("Note très confidentielle" in cellule for rang in lignes for cellule in rang)


def test_aucune_suppression_possible(client_agent):
    p = proposition_en(E.DEPOSEE)
    with pytest.raises(NoReverseMatch):
        reverse("propositions_admin:delete", args=[p.pk])
    with pytest.raises(NoReverseMatch):
        reverse("propositions_admin:add")
    for adresse in (LISTE, instruire(p), reverse("propositions_admin:edit", args=[p.pk])):
        html = client_agent.get(adresse).content.decode()
        assert "/admin/propositions/delete/" not in html, adresse
        assert "Supprimer" not in html and "Delete" not in html, adresse
    assert client_agent.post(f"/admin/propositions/delete/{p.pk}/").status_code == 404
    # No bulk delete action either: only the two bulk actions of the secrétariat.
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    actions = bulk_action_registry.get_bulk_actions_for_model("propositions", "proposition")
    assert {a.action_type for a in actions} == {"affecter_atelier", "inscrire_pleniere"}
    assert Proposition.objects.filter(pk=p.pk).exists()


def test_le_formulaire_de_contenu_ne_touche_pas_a_l_etat(client_agent):
    p = proposition_en(E.EN_INSTRUCTION, titre="Avant")
    edition = reverse("propositions_admin:edit", args=[p.pk])
    page = client_agent.get(edition)
    assert page.status_code == 200
    form = page.context["form"]
    assert "etat" not in form.fields and "reference" not in form.fields and "atelier" not in form.fields
    donnees = {"titre": "Après", "resume": p.resume, "description": p.description,
               "champs": [c.pk for c in p.champs.all()], "etat": E.ADOPTEE}
    reponse = client_agent.post(edition, donnees)
    assert reponse.status_code == 302, reponse.context["form"].errors if reponse.context else ""
    p.refresh_from_db()
    assert p.titre == "Après" and p.etat == E.EN_INSTRUCTION


# --- Instruction page: transitions ----------------------------------------------------------------


def test_la_page_d_instruction_montre_contenu_parcours_et_transitions_possibles(client_agent):
    p = proposition_en(E.DEPOSEE, titre="Une ressourcerie")
    reponse = client_agent.get(instruire(p))
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Une ressourcerie" in html and p.resume in html
    assert "<p>Une description.</p>" in html and str(ChampAction.objects.get(numero=1)) in html
    assert f'href="{p.get_absolute_url()}"' in html
    assert "Parcours (journal public)" in html and "Déposée" in html
    assert [f.vers for f in reponse.context["transitions"]] == [E.EN_INSTRUCTION, E.FUSIONNEE, E.ABANDONNEE]
    assert "Prendre en instruction" in html
    assert 'name="t-fusionnee-cible"' in html and 'name="t-abandonnee-motif"' in html


def test_identifiants_inconnus_ou_brouillon_donnent_404(client_agent):
    brouillon = PropositionFactory()
    assert client_agent.get(instruire(brouillon)).status_code == 404
    assert client_agent.get(reverse("propositions_admin:instruire", args=[999999])).status_code == 404


def test_prendre_en_instruction_ecrit_le_journal(client_agent, agent):
    p = proposition_en(E.DEPOSEE)
    reponse = poster(client_agent, p, E.EN_INSTRUCTION, commentaire="Recevable, merci !")
    assert reponse.status_code == 302 and reponse["Location"] == instruire(p)
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION
    pas = dernier_pas(p)
    assert (pas.de, pas.vers, pas.par, pas.instance, pas.commentaire) == (
        E.DEPOSEE, E.EN_INSTRUCTION, agent, Transition.Instance.SECRETARIAT, "Recevable, merci !")
    suite = client_agent.get(instruire(p))
    assert f"{p.reference} : « En instruction »." in messages_de(suite)
    assert "Recevable, merci !" in suite.content.decode()


def test_fusionner_un_doublon_avec_sa_cible(client_agent):
    cible = proposition_en(E.EN_INSTRUCTION, titre="La proposition d'origine")
    doublon = proposition_en(E.DEPOSEE)
    reponse = poster(client_agent, doublon, E.FUSIONNEE, cible=cible.reference.lower(), commentaire="Doublon.")
    assert reponse.status_code == 302
    doublon.refresh_from_db()
    assert doublon.etat == E.FUSIONNEE and doublon.fusionnee_dans == cible
    assert dernier_pas(doublon).commentaire == "Doublon."
    html = client_agent.get(instruire(doublon)).content.decode()
    assert instruire(cible) in html and "La proposition d&#x27;origine" in html


def test_fusion_refusee_par_le_workflow_revient_dans_le_formulaire(client_agent):
    deja_fusionnee = proposition_en(E.FUSIONNEE)
    p = proposition_en(E.DEPOSEE)
    avant = Transition.objects.count()
    reponse = poster(client_agent, p, E.FUSIONNEE, cible=deja_fusionnee.reference, commentaire="Gardé")
    assert reponse.status_code == 200
    form = next(f for f in reponse.context["transitions"] if f.vers == E.FUSIONNEE)
    assert "Choisissez une autre proposition, déposée et non fusionnée." in form.non_field_errors()
    assert form["commentaire"].value() == "Gardé"
    p.refresh_from_db()
    assert p.etat == E.DEPOSEE and p.fusionnee_dans is None and Transition.objects.count() == avant


def test_fusion_avec_une_reference_inconnue(client_agent):
    p = proposition_en(E.DEPOSEE)
    reponse = poster(client_agent, p, E.FUSIONNEE, cible="P-1999-999")
    assert reponse.status_code == 200
    form = next(f for f in reponse.context["transitions"] if f.vers == E.FUSIONNEE)
    assert form.errors["cible"] == ["Aucune proposition publique n'a la référence « P-1999-999 »."]
    p.refresh_from_db()
    assert p.etat == E.DEPOSEE


def test_reorienter_vers_un_dispositif(client_agent):
    p = proposition_en(E.EN_INSTRUCTION)
    poster(client_agent, p, E.REORIENTEE, motif="Relève du fonds régional.", dispositif="Fonds ESS de la Région",
           commentaire="Voir le fonds.")
    p.refresh_from_db()
    assert p.etat == E.REORIENTEE
    assert p.dispositif_reorientation == "Fonds ESS de la Région" and p.motif == "Relève du fonds régional."
    assert p.decidee_le is not None
    assert dernier_pas(p).commentaire == "Voir le fonds."


def test_reorienter_sans_dispositif_garde_la_saisie_et_dit_quoi_corriger(client_agent):
    p = proposition_en(E.EN_INSTRUCTION)
    avant = p.transitions.count()
    reponse = poster(client_agent, p, E.REORIENTEE, motif="Un motif déjà écrit", dispositif="  ")
    assert reponse.status_code == 200
    form = next(f for f in reponse.context["transitions"] if f.vers == E.REORIENTEE)
    assert form.errors["dispositif"] == ["Indiquez le dispositif vers lequel la proposition est réorientée."]
    assert form["motif"].value() == "Un motif déjà écrit"
    assert "Un motif déjà écrit" in reponse.content.decode()
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION and p.transitions.count() == avant


def test_affecter_a_un_atelier(client_agent):
    atelier = AtelierFactory(titre="Atelier foncier")
    p = proposition_en(E.EN_INSTRUCTION)
    poster(client_agent, p, E.EN_ATELIER, atelier=atelier.pk)
    p.refresh_from_db()
    assert p.etat == E.EN_ATELIER and p.atelier == atelier
    assert dernier_pas(p).atelier == atelier


def test_affecter_sans_atelier_est_refuse(client_agent):
    p = proposition_en(E.EN_INSTRUCTION)
    reponse = poster(client_agent, p, E.EN_ATELIER, atelier="")
    form = next(f for f in reponse.context["transitions"] if f.vers == E.EN_ATELIER)
    assert form.errors["atelier"] == ["Choisissez l'atelier qui travaillera la proposition."]
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION


def test_inscrire_en_pleniere_puis_adopter(client_agent, pleniere):
    p = proposition_en(E.EN_ATELIER)
    poster(client_agent, p, E.SOUMISE_PLENIERE, pleniere=pleniere.pk)
    p.refresh_from_db()
    assert p.etat == E.SOUMISE_PLENIERE and p.pleniere == pleniere and dernier_pas(p).pleniere == pleniere
    poster(client_agent, p, E.ADOPTEE, commentaire="Adoptée à l'unanimité.")
    p.refresh_from_db()
    assert p.etat == E.ADOPTEE and p.adoptee_le is not None
    pas = dernier_pas(p)
    assert (pas.vers, pas.instance, pas.pleniere, pas.commentaire) == (
        E.ADOPTEE, Transition.Instance.SEANCE, pleniere, "Adoptée à l'unanimité.")


def test_seule_une_seance_pleniere_est_proposee(client_agent, pleniere):
    autre = EvenementFactory(type="conference", titre="Une conférence")
    p = proposition_en(E.EN_ATELIER)
    form = next(f for f in client_agent.get(instruire(p)).context["transitions"] if f.vers == E.SOUMISE_PLENIERE)
    assert list(form.fields["pleniere"].queryset) == [pleniere]
    poster(client_agent, p, E.SOUMISE_PLENIERE, pleniere=autre.pk)
    p.refresh_from_db()
    assert p.etat == E.EN_ATELIER


def test_non_retenue_avec_motif(client_agent):
    p = proposition_en(E.SOUMISE_PLENIERE)
    poster(client_agent, p, E.NON_RETENUE, motif="Hors compétence de la Métropole.")
    p.refresh_from_db()
    assert p.etat == E.NON_RETENUE and p.motif == "Hors compétence de la Métropole."
    assert dernier_pas(p).vers == E.NON_RETENUE


def test_ouvrir_la_mise_en_oeuvre_realiser_evaluer(client_agent, elu):
    p = proposition_en(E.ADOPTEE)
    suite = proposition_en(E.DEPOSEE, titre="La suite")
    poster(client_agent, p, E.EN_OEUVRE, responsable_elu=elu.pk, service_responsable="Direction de l'économie",
           date_prevue="2027-06-30")
    p.refresh_from_db()
    assert p.etat == E.EN_OEUVRE
    assert (p.responsable_elu, p.service_responsable, p.date_prevue) == (
        elu, "Direction de l'économie", datetime.date(2027, 6, 30))
    assert dernier_pas(p).instance == Transition.Instance.SECRETARIAT  # opened by an agent, not the élu·e

    poster(client_agent, p, E.REALISEE, commentaire="C'est fait.")
    p.refresh_from_db()
    assert p.etat == E.REALISEE and p.avancement == 100 and p.realisee_le is not None

    poster(client_agent, p, E.EVALUEE, constats="<p>Ça marche.</p><script>x()</script>",
           recommandations="Étendre.", proposition_suite=suite.reference)
    p.refresh_from_db()
    assert p.etat == E.EVALUEE
    assert p.constats.startswith("<p>Ça marche.</p>") and "<script" not in p.constats  # cleaned by the model
    assert p.recommandations == "Étendre."
    assert p.proposition_suite == suite
    assert [t.vers for t in p.transitions.all()][-3:] == [E.EN_OEUVRE, E.REALISEE, E.EVALUEE]


def test_mise_en_oeuvre_sans_responsable_est_refusee(client_agent):
    p = proposition_en(E.ADOPTEE)
    reponse = poster(client_agent, p, E.EN_OEUVRE, service_responsable="Un service")
    form = next(f for f in reponse.context["transitions"] if f.vers == E.EN_OEUVRE)
    assert "Indiquez l'élu·e responsable" in form.errors["responsable_elu"][0]
    assert form["service_responsable"].value() == "Un service"
    p.refresh_from_db()
    assert p.etat == E.ADOPTEE


def test_abandonner_avec_un_motif(client_agent):
    p = proposition_en(E.EN_ATELIER)
    reponse = poster(client_agent, p, E.ABANDONNEE, motif="Le porteur a cessé son activité.")
    assert reponse.status_code == 302
    p.refresh_from_db()
    assert p.etat == E.ABANDONNEE and p.motif == "Le porteur a cessé son activité."
    assert dernier_pas(p).vers == E.ABANDONNEE
    assert client_agent.get(instruire(p)).context["transitions"] == []


def test_abandonner_sans_motif_est_refuse(client_agent):
    p = proposition_en(E.EN_ATELIER)
    reponse = poster(client_agent, p, E.ABANDONNEE, motif="")
    form = next(f for f in reponse.context["transitions"] if f.vers == E.ABANDONNEE)
    assert form.errors["motif"] == [
        "Indiquez le motif : il est affiché publiquement dans le parcours de la proposition."]
    p.refresh_from_db()
    assert p.etat == E.EN_ATELIER


def test_une_transition_interdite_est_refusee_en_francais(client_agent):
    p = proposition_en(E.EN_INSTRUCTION)
    avant = p.transitions.count()
    reponse = poster(client_agent, p, E.ADOPTEE)
    assert reponse.status_code == 200
    assert "Cette étape n'est plus possible : la proposition est maintenant « En instruction »." in \
        messages_de(reponse)
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION and p.transitions.count() == avant
    # An unknown state, or an unknown action, neither.
    assert poster(client_agent, p, "nimporte").status_code == 200
    assert client_agent.post(instruire(p), {"action": "supprimer"}).status_code == 302
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION and p.transitions.count() == avant


def test_un_formulaire_perime_ne_fait_rien(client_agent):
    """Two agents on the same page: the second one's form comes too late."""
    p = proposition_en(E.DEPOSEE)
    poster(client_agent, p, E.EN_INSTRUCTION)
    reponse = poster(client_agent, p, E.EN_INSTRUCTION)
    assert any("n'est plus possible" in m for m in messages_de(reponse))
    assert p.transitions.filter(vers=E.EN_INSTRUCTION).count() == 1


# --- Private notes --------------------------------------------------------------------------------


def test_les_notes_internes_restent_privees(client_agent, client, agent):
    p = proposition_en(E.EN_INSTRUCTION)
    reponse = client_agent.post(instruire(p), {"action": "note", "note-texte": "Le porteur est fragile."})
    assert reponse.status_code == 302
    note = NoteInterne.objects.get(proposition=p)
    assert (note.texte, note.auteur) == ("Le porteur est fragile.", agent)
    page = client_agent.get(instruire(p))
    assert "Le porteur est fragile." in page.content.decode()
    assert "Note interne ajoutée." in messages_de(page)
    # Never in the public journal…
    assert not Transition.objects.filter(commentaire__contains="fragile").exists()
    # … nor on the public page.
    client.logout()
    public = client.get(p.get_absolute_url())
    assert public.status_code == 200
    assert p.titre in public.content.decode()
    assert "Le porteur est fragile." not in public.content.decode()


def test_une_note_vide_est_refusee(client_agent):
    p = proposition_en(E.EN_INSTRUCTION)
    reponse = client_agent.post(instruire(p), {"action": "note", "note-texte": "  "})
    assert reponse.status_code == 200
    assert reponse.context["note_form"].errors["texte"] == ["La note est vide."]
    assert not NoteInterne.objects.exists()


# --- Follow-up points and indicators --------------------------------------------------------------


def test_points_de_suivi(client_agent, agent):
    p = proposition_en(E.EN_OEUVRE)
    reponse = client_agent.post(instruire(p), {"action": "point", "point-date": "2026-03-15",
                                               "point-texte": "Premier comité de pilotage.", "point-avancement": 30})
    assert reponse.status_code == 302
    point = PointSuivi.objects.get(proposition=p)
    assert (point.date, point.texte, point.auteur) == (datetime.date(2026, 3, 15), "Premier comité de pilotage.",
                                                        agent)
    p.refresh_from_db()
    assert p.avancement == 30
    assert "Premier comité de pilotage." in client_agent.get(instruire(p)).content.decode()


def test_point_de_suivi_avant_l_adoption_ou_invalide(client_agent):
    p = proposition_en(E.EN_ATELIER)
    reponse = client_agent.post(instruire(p), {"action": "point", "point-texte": "Trop tôt."})
    assert reponse.status_code == 200
    assert "Le suivi commence quand la proposition est adoptée." in messages_de(reponse)
    adoptee = proposition_en(E.ADOPTEE)
    reponse = client_agent.post(instruire(adoptee), {"action": "point", "point-texte": "Ok",
                                                     "point-avancement": 150})
    assert reponse.status_code == 200 and "avancement" in reponse.context["point_form"].errors
    assert not PointSuivi.objects.exists()


def test_trois_indicateurs_au_plus_et_leurs_valeurs(client_agent):
    p = proposition_en(E.EN_OEUVRE)
    for i in range(3):
        reponse = client_agent.post(instruire(p), {
            "action": "indicateur", "indicateur-libelle": f"Indicateur {i}", "indicateur-unite": "emplois",
            "indicateur-cible": "20", "indicateur-valeur_reference": "5"})
        assert reponse.status_code == 302
    assert p.indicateurs.count() == 3
    premier = p.indicateurs.get(libelle="Indicateur 0")
    assert (premier.cible, premier.valeur_reference, premier.unite) == (20, 5, "emplois")
    page = client_agent.get(instruire(p))
    assert 'name="indicateur-libelle"' not in page.content.decode()  # the add form is gone at three

    reponse = client_agent.post(instruire(p), {"action": "indicateur", "indicateur-libelle": "Un quatrième"})
    assert reponse.status_code == 200
    assert "Trois indicateurs au plus par proposition : peu, mais suivis." in messages_de(reponse)
    assert p.indicateurs.count() == 3 and not Indicateur.objects.filter(libelle="Un quatrième").exists()

    for date, valeur in (("2026-01-31", "7"), ("2026-06-30", "12"), ("2026-06-30", "13")):
        reponse = client_agent.post(instruire(p), {"action": "valeur", "valeur-indicateur": premier.pk,
                                                   "valeur-date": date, "valeur-valeur": valeur})
        assert reponse.status_code == 302
    assert [(v.date.isoformat(), int(v.valeur)) for v in premier.valeurs.all()] == [
        ("2026-01-31", 7), ("2026-06-30", 13)]  # one value per date: the second replaces the first
    assert "13" in client_agent.get(instruire(p)).content.decode()


def test_valeur_d_un_indicateur_d_une_autre_proposition_refusee(client_agent):
    p = proposition_en(E.EN_OEUVRE)
    autre = proposition_en(E.EN_OEUVRE)
    Indicateur.objects.create(proposition=p, libelle="Le mien")
    etranger = Indicateur.objects.create(proposition=autre, libelle="L'autre")
    reponse = client_agent.post(instruire(p), {"action": "valeur", "valeur-indicateur": etranger.pk,
                                               "valeur-date": "2026-01-01", "valeur-valeur": "1"})
    assert reponse.status_code == 200 and "indicateur" in reponse.context["valeur_form"].errors
    assert not etranger.valeurs.exists()


# --- Bulk actions ---------------------------------------------------------------------------------


def test_affecter_en_masse_signale_celles_qui_ne_peuvent_pas(client_agent, agent):
    atelier = AtelierFactory(titre="Atelier emploi")
    a, b = proposition_en(E.EN_INSTRUCTION), proposition_en(E.EN_INSTRUCTION)
    trop_tot = proposition_en(E.DEPOSEE)
    adresse = en_masse("affecter_atelier", [a, b, trop_tot])
    confirmation = client_agent.get(adresse)
    assert confirmation.status_code == 200
    assert a.reference in confirmation.content.decode()

    reponse = client_agent.post(adresse, {"atelier": atelier.pk, "commentaire": "Pour l'atelier emploi."},
                                follow=True)
    assert reponse.status_code == 200
    for p in (a, b):
        p.refresh_from_db()
        assert p.etat == E.EN_ATELIER and p.atelier == atelier
        assert p.transitions.filter(vers=E.EN_ATELIER).count() == 1
        pas = dernier_pas(p)
        assert (pas.par, pas.atelier, pas.commentaire) == (agent, atelier, "Pour l'atelier emploi.")
    trop_tot.refresh_from_db()
    assert trop_tot.etat == E.DEPOSEE and not trop_tot.transitions.filter(vers=E.EN_ATELIER).exists()
    textes = messages_de(reponse)
    assert "2 propositions affectées à l'atelier « Atelier emploi »." in textes
    refus = next(m for m in textes if "refusée" in m)
    assert refus.startswith("1 proposition refusée : ") and trop_tot.reference in refus
    assert "ne peut pas passer" in refus


def test_affecter_en_masse_sans_atelier_redemande(client_agent):
    p = proposition_en(E.EN_INSTRUCTION)
    reponse = client_agent.post(en_masse("affecter_atelier", [p]), {"atelier": ""})
    assert reponse.status_code == 200 and "atelier" in reponse.context["form"].errors
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION


def test_inscrire_en_pleniere_en_masse(client_agent, pleniere):
    a, b = proposition_en(E.EN_ATELIER), proposition_en(E.EN_ATELIER)
    deja = proposition_en(E.ADOPTEE)
    reponse = client_agent.post(en_masse("inscrire_pleniere", [a, b, deja]), {"pleniere": pleniere.pk},
                                follow=True)
    for p in (a, b):
        p.refresh_from_db()
        assert p.etat == E.SOUMISE_PLENIERE and p.pleniere == pleniere
        assert dernier_pas(p).pleniere == pleniere
    deja.refresh_from_db()
    assert deja.etat == E.ADOPTEE
    textes = messages_de(reponse)
    assert "2 propositions inscrites à « Séance plénière de juin »." in textes
    assert any(deja.reference in m for m in textes)


def test_en_masse_avec_des_identifiants_invalides(client_agent):
    adresse = reverse("wagtail_bulk_action", args=["propositions", "proposition", "affecter_atelier"])
    reponse = client_agent.get(f"{adresse}?id=abc&id=999999&next={LISTE}")
    assert reponse.status_code == 200 and reponse.context["items"] == []
    brouillon = PropositionFactory(titre="Brouillon de quelqu'un")
    reponse = client_agent.post(en_masse("affecter_atelier", [brouillon]), {"atelier": AtelierFactory().pk})
    brouillon.refresh_from_db()
    assert brouillon.etat == E.BROUILLON and not brouillon.transitions.exists()


def test_les_refus_en_masse_sont_resumes_au_dela_de_vingt():
    from types import SimpleNamespace

    from conseil_ess.propositions.admin_views import details_refus

    refusees = [(SimpleNamespace(reference=f"P-2026-{i:03d}"), "Raison.") for i in range(1, 24)]
    texte = details_refus(refusees)
    assert texte.startswith("P-2026-001 – Raison. ; P-2026-002 – Raison.")
    assert "P-2026-020 – Raison." in texte and "P-2026-021" not in texte
    assert texte.endswith("… et 3 autres.")


# --- Who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["acteur", "membre", "elu"])
def test_les_autres_roles_n_entrent_pas(client, role, pleniere):
    personne = creer_utilisateur(role)
    p = proposition_en(E.EN_INSTRUCTION, auteur=personne)
    atelier = AtelierFactory()
    client.force_login(personne)
    adresses = (LISTE, instruire(p), reverse("propositions_admin:edit", args=[p.pk]),
                en_masse("affecter_atelier", [p]), f"{LISTE}?export=csv")
    for adresse in adresses:
        reponse = client.get(adresse)
        assert reponse.status_code in (302, 403), adresse
        if reponse.status_code == 302:
            assert not reponse["Location"].startswith("/admin/propositions/"), adresse
    client.post(instruire(p), {"action": "transition", "vers": E.EN_ATELIER, f"t-{E.EN_ATELIER}-atelier": atelier.pk})
    client.post(instruire(p), {"action": "note", "note-texte": "Intrusion"})
    client.post(en_masse("affecter_atelier", [p]), {"atelier": atelier.pk})
    p.refresh_from_db()
    assert p.etat == E.EN_INSTRUCTION and not NoteInterne.objects.exists()


def test_un_acces_a_l_administration_ne_suffit_pas_pour_instruire(client):
    from django.contrib.auth.models import Permission

    from tests.conftest import activer_mfa
    from tests.factories import UserFactory

    coordinatrice = UserFactory()
    coordinatrice.user_permissions.add(Permission.objects.get(codename="access_admin"))
    activer_mfa(coordinatrice)
    client.force_login(coordinatrice)
    p = proposition_en(E.DEPOSEE)
    assert client.get(LISTE).status_code in (302, 403)
    assert client.get(instruire(p)).status_code in (302, 403)
    client.post(instruire(p), {"action": "transition", "vers": E.EN_INSTRUCTION})
    p.refresh_from_db()
    assert p.etat == E.DEPOSEE


# --- Query counts ---------------------------------------------------------------------------------


def _propositions(n):
    """``n`` proposals in three states, some in an atelier, with an author each."""
    atelier = AtelierFactory()
    etats = [E.DEPOSEE, E.EN_INSTRUCTION, E.EN_ATELIER]
    for i in range(n):
        amener_a(PropositionFactory(), etats[i % 3], atelier=atelier)


@pytest.mark.parametrize("n", [5, 40])
def test_la_liste_fait_un_nombre_constant_de_requetes(client_agent, django_assert_max_num_queries, n):
    _propositions(n)
    client_agent.get(LISTE)  # warm the per-session caches (site, permissions)
    with django_assert_max_num_queries(NOMBRE_MAX_REQUETES_LISTE):
        reponse = client_agent.get(LISTE)
    assert len(reponse.context["object_list"]) == n
    with django_assert_max_num_queries(NOMBRE_MAX_REQUETES_EXPORT):
        client_agent.get(LISTE, {"export": "csv"})


@pytest.mark.parametrize("n", [2, 12])
def test_la_page_d_instruction_fait_un_nombre_constant_de_requetes(client_agent, django_assert_max_num_queries,
                                                                   n):
    p = proposition_en(E.EN_OEUVRE, communes=CommuneFactory.create_batch(n))
    for i in range(min(n, 3)):
        indicateur = Indicateur.objects.create(proposition=p, libelle=f"I{i}")
        for j in range(n):
            indicateur.valeurs.create(date=datetime.date(2026, 1, 1) + datetime.timedelta(days=j), valeur=j)
    for i in range(n):
        NoteInterne.objects.create(proposition=p, texte=f"Note {i}")
        PointSuivi.objects.create(proposition=p, texte=f"Point {i}", date=datetime.date(2026, 2, 1))
    client_agent.get(instruire(p))
    with django_assert_max_num_queries(NOMBRE_MAX_REQUETES_INSTRUIRE):
        assert client_agent.get(instruire(p)).status_code == 200


# Measured: 16 (listing), 11 (export), 22 (instruction page) whatever the size; a little margin.
NOMBRE_MAX_REQUETES_LISTE = 18
NOMBRE_MAX_REQUETES_EXPORT = 13
NOMBRE_MAX_REQUETES_INSTRUIRE = 24
