"""Hostile HTML in every field of the proposals that users or staff write.

Rich-text fields (``Proposition.description``, ``constats``, ``recommandations``, ``PointSuivi.texte``)
are cleaned by the one sanitizer on save, and rendered through it again (``|nettoye``) on the page.
Plain-text fields (titles, summary, journal comments, reasons, indicators…) are escaped by the
templates. Private notes (``NoteInterne``) never reach the public page at all.
"""

import datetime

import pytest
from django.urls import reverse

from conseil_ess.comptes.models import ChampAction
from conseil_ess.propositions import services, workflow
from conseil_ess.propositions.models import Etat, PointSuivi, Proposition, Transition
from tests.ateliers.fabriques import AtelierFactory
from tests.conftest import creer_utilisateur

from .fabriques import PropositionFactory, amener_a, proposition_en

pytestmark = pytest.mark.django_db
E = Etat

HOSTILE = (
    '<p style="color:red">Texte <strong>gras</strong> et <a href="https://exemple.org/">un lien sûr</a></p>'
    '<script>alert("xss-script")</script>'
    '<img src="x" onerror="alert(\'xss-img\')">'
    '<a href="javascript:alert(\'xss-lien\')">lien piégé</a>'
    '<iframe src="https://malveillant.example/"></iframe>'
    '<div onmouseover="alert(1)" style="position:fixed">survol</div>'
)
# What must never survive as markup, neither in the database nor on the page.
INTERDITS = ("<script>alert", "<img", "onerror", "javascript:", "<iframe", "style=\"color", "style=\"position",
             "onmouseover")


def assert_neutralise(html):
    for interdit in INTERDITS:
        assert interdit not in html, interdit


# Plain text is escaped, not cleaned: its words stay, but never as live markup.
BALISES_ACTIVES = ("<script>alert", "<img", "<iframe", 'onerror="', 'href="javascript:', 'style="color',
                   'style="position', 'onmouseover="')


def assert_sans_balise_active(html):
    for interdit in BALISES_ACTIVES:
        assert interdit not in html, interdit


def assert_riche_conserve(html):
    """The allowed markup of the hostile text is kept (the sanitizer cleans, it does not blank)."""
    assert "<strong>gras</strong>" in html
    assert 'href="https://exemple.org/"' in html
    assert "lien piégé" in html


def page(client, proposition):
    reponse = client.get(reverse("propositions:detail", args=[proposition.reference]))
    assert reponse.status_code == 200
    return reponse.content.decode()


def proposition_evaluee_hostile():
    """An evaluated proposal with hostile HTML in each rich-text field, each set through its usual path."""
    elu = creer_utilisateur("elu")
    p = amener_a(PropositionFactory(description=HOSTILE), E.EN_OEUVRE)
    services.ajouter_point_suivi(p, HOSTILE, elu, date=datetime.date(2026, 5, 4))
    workflow.changer_etat(p, E.REALISEE, elu, forcer_role=True)
    workflow.changer_etat(p, E.EVALUEE, elu, forcer_role=True, constats=HOSTILE, recommandations=HOSTILE)
    return p


def test_chaque_champ_riche_est_nettoye_a_l_enregistrement():
    p = proposition_evaluee_hostile()
    p.refresh_from_db()
    point = PointSuivi.objects.get(proposition=p)
    for nom, valeur in [("description", p.description), ("constats", p.constats),
                        ("recommandations", p.recommandations), ("point de suivi", point.texte)]:
        assert_neutralise(valeur)
        assert_riche_conserve(valeur)
        assert 'rel="noopener noreferrer nofollow"' in valeur, nom


def test_chaque_champ_riche_est_neutralise_sur_la_page(client):
    p = proposition_evaluee_hostile()
    contenu = page(client, p)
    assert_neutralise(contenu)
    for identifiant in ('id="titre-description"', 'id="mise-en-oeuvre"', 'id="titre-evaluation"'):
        section = contenu[contenu.index(identifiant):]
        assert "<strong>gras</strong>" in section[:section.index("</section>")], identifiant
    assert contenu.count("<strong>gras</strong>") == 4  # description, follow-up point, findings, recommendations


@pytest.mark.parametrize("champ", ["description", "constats", "recommandations"])
def test_meme_du_html_brut_en_base_est_neutralise_sur_la_page(client, champ):
    # A bulk update bypasses save(): the page still renders through the sanitizer.
    p = proposition_en(E.EVALUEE)
    Proposition.objects.filter(pk=p.pk).update(**{champ: HOSTILE})
    PointSuivi.objects.create(proposition=p, date=datetime.date(2026, 1, 1), texte="x")
    PointSuivi.objects.filter(proposition=p).update(texte=HOSTILE)
    contenu = page(client, p)
    assert_neutralise(contenu)
    assert contenu.count("<strong>gras</strong>") == 2


def test_la_description_envoyee_par_le_formulaire_est_nettoyee(client, acteur):
    client.force_login(acteur)
    client.post(reverse("propositions:nouvelle"), {
        "titre": "Titre", "resume": "Résumé.", "description": HOSTILE,
        "champs": [ChampAction.objects.get(numero=1).pk],
    })
    p = Proposition.objects.get()
    assert_neutralise(p.description)
    assert_riche_conserve(p.description)
    apercu = client.get(reverse("propositions:brouillon", args=[p.pk])).content.decode()
    assert_neutralise(apercu)


def test_les_champs_en_texte_simple_sont_echappes(client):
    agent = creer_utilisateur("agent")
    p = amener_a(PropositionFactory(titre=f"Titre {HOSTILE}"[:200], resume=f"Résumé {HOSTILE}"[:400],
                                    levier=HOSTILE[:300], porteurs_texte=HOSTILE[:300]), E.EN_INSTRUCTION)
    workflow.changer_etat(p, E.EN_ATELIER, agent, commentaire=HOSTILE, lien_libelle=HOSTILE[:200],
                          atelier=AtelierFactory())
    services.ajouter_piece_jointe(p, HOSTILE[:200], _pdf(), agent)
    contenu = page(client, p)
    assert_sans_balise_active(contenu)
    assert "&lt;script&gt;alert(&quot;xss-script&quot;)&lt;/script&gt;" in contenu  # the comment, shown as text
    assert "<strong>gras</strong>" not in contenu  # plain text is never interpreted as markup
    liste = client.get(reverse("propositions:liste")).content.decode()
    assert_sans_balise_active(liste)
    assert "Titre &lt;p style=&quot;color:red&quot;&gt;" in liste


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("piece.pdf", b"%PDF-1.4", content_type="application/pdf")


@pytest.mark.parametrize("etat", [E.REORIENTEE, E.ABANDONNEE, E.RETIREE, E.NON_RETENUE])
def test_le_motif_public_est_echappe(client, etat):
    p = amener_a(PropositionFactory(), etat, motif=HOSTILE, dispositif=HOSTILE[:300])
    contenu = page(client, p)
    assert_sans_balise_active(contenu)
    assert "&lt;iframe" in contenu


def test_suivi_en_texte_simple_echappe(client):
    elu = creer_utilisateur("elu")
    p = amener_a(PropositionFactory(), E.EN_OEUVRE, responsable_elu=elu, service_responsable=HOSTILE[:200])
    indicateur = services.ajouter_indicateur(p, HOSTILE[:200], elu, unite="%", cible_texte="<b>+20 %</b>")
    services.ajouter_valeur(indicateur, datetime.date(2026, 3, 1), 3, elu, commentaire=HOSTILE[:200])
    contenu = page(client, p)
    assert_sans_balise_active(contenu)
    assert "&lt;b&gt;+20 %&lt;/b&gt;" in contenu


def test_une_note_interne_hostile_n_atteint_jamais_la_page(client):
    agent = creer_utilisateur("agent")
    p = proposition_en(E.EN_INSTRUCTION)
    services.ajouter_note_interne(p, f"NOTE-PRIVEE {HOSTILE}", agent)
    client.force_login(agent)
    contenu = page(client, p)
    assert "NOTE-PRIVEE" not in contenu
    assert_neutralise(contenu)


def test_le_journal_garde_le_commentaire_tel_quel_mais_la_page_l_echappe(client):
    # The journal is the proposal's memory: comments are stored as typed (plain text), escaped on output.
    p = proposition_en(E.DEPOSEE)
    workflow.changer_etat(p, E.EN_INSTRUCTION, creer_utilisateur("agent"), commentaire="<script>alert(1)</script>")
    assert Transition.objects.get(proposition=p, vers=E.EN_INSTRUCTION).commentaire == "<script>alert(1)</script>"
    contenu = page(client, p)
    assert "<script>alert(1)" not in contenu and "&lt;script&gt;alert(1)&lt;/script&gt;" in contenu
