"""Writing without HTML (conseil_ess/redaction.py): Markdown rendered then sanitized by the one sanitizer, stored
HTML shown back as Markdown, old texts unchanged, the preview without JavaScript, the forms that use it."""

import re
import tomllib
from pathlib import Path

import pytest
from django.urls import reverse

from conseil_ess.champs import HtmlNettoye
from conseil_ess.comptes.models import ChampAction
from conseil_ess.propositions.forms import PropositionForm
from conseil_ess.propositions.models import Proposition
from conseil_ess.redaction import ChampRedaction, EditeurMarkdown, html_vers_markdown, markdown_vers_html
from conseil_ess.sanitizer import BALISES_AUTORISEES, html_affiche, nettoyer_html
from tests.conftest import creer_utilisateur
from tests.propositions.fabriques import PropositionFactory

DONNEES_DEMO = Path(__file__).resolve().parents[2] / "conseil_ess" / "demo" / "donnees"
CHAMPS_LONGS = {"description", "contenu", "compte_rendu", "ordre_du_jour", "questions"}


def balises(html):
    return set(re.findall(r"<([a-z0-9]+)", html))


# --- Rendering -----------------------------------------------------------------------------------------------


def test_le_sous_ensemble_autorise():
    html = markdown_vers_html(
        "## Constat\n\nUn **point** *important* et ~~barré~~.\n\n- un\n- deux\n\n1. premier\n\n> cité\n\n"
        "`code`\n\n---\n\n[le site](https://exemple.fr)"
    )
    assert balises(html) == {"h2", "p", "strong", "em", "s", "ul", "li", "ol", "blockquote", "code", "hr", "a"}
    assert balises(html) <= BALISES_AUTORISEES
    assert "<h2>Constat</h2>" in html and "<li>deux</li>" in html


def test_paragraphes_et_retours_a_la_ligne_comme_les_boites_simples():
    assert markdown_vers_html("Un,\ndeux.\n\nTrois.") == "<p>Un,<br>\ndeux.</p>\n<p>Trois.</p>"


@pytest.mark.parametrize(
    ("source", "balise"),
    [
        ("# Haut", "h2"),
        ("## Section", "h2"),
        ("### Sous-section", "h3"),
        ("#### Détail", "h4"),
        ("##### Plus bas", "h4"),
        ("###### Tout en bas", "h4"),
    ],
)
def test_niveaux_de_titre_autorises(source, balise):
    assert markdown_vers_html(source) == f"<{balise}>{source.lstrip('# ')}</{balise}>"


def test_liens_avec_rel_et_adresses_nues():
    html = markdown_vers_html('[le site](https://exemple.fr "Titre") et https://autre.fr')
    assert '<a href="https://exemple.fr" title="Titre" rel="noopener noreferrer nofollow">le site</a>' in html
    assert '<a href="https://autre.fr" rel="noopener noreferrer nofollow">https://autre.fr</a>' in html


def test_echappement_du_texte():
    html = markdown_vers_html("Si a < b & c > d, alors <3 et &lt;balise&gt; ; `<b>gras</b>`")
    assert html == (
        "<p>Si a &lt; b &amp; c &gt; d, alors &lt;3 et &lt;balise&gt; ; <code>&lt;b&gt;gras&lt;/b&gt;</code></p>"
    )


HOSTILES = [
    "<script>alert(1)</script>Texte",
    "Texte <script>alert(1)</script>",
    "<style>p { color: red }</style>Texte",
    '<p onclick="alert(1)" onmouseover="x()">Texte</p>',
    '<a href="javascript:alert(1)">Texte</a>',
    '<img src="x" onerror="alert(1)">Texte',
    "![image](https://pirate.example.com/x.png)Texte",
    '<iframe src="https://pirate.example.com"></iframe>Texte',
    # What Word puts in the HTML it copies.
    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->"
    '<style><!-- /* Style Definitions */ p.MsoNormal {mso-style-parent:""; margin:0cm;} --></style>'
    '<p class="MsoNormal" style="mso-margin-top-alt:auto;font-family:Calibri"><b><span lang="FR" '
    'style="mso-bidi-font-weight:normal">Texte</span></b><o:p></o:p></p>',
]


@pytest.mark.parametrize("source", HOSTILES)
def test_html_tape_ou_colle_est_retire(source):
    html = markdown_vers_html(source)
    assert "Texte" in html
    for interdit in (
        "<script",
        "alert",
        "<style",
        "color: red",
        "onclick",
        "onmouseover",
        "onerror",
        "javascript:",
        "<img",
        "<iframe",
        "mso",
        "Mso",
        "WordDocument",
        "Normal",
        "<o:p",
        "<span",
        "class=",
        "style=",
    ):
        assert interdit not in html, (interdit, html)
    assert balises(html) <= BALISES_AUTORISEES


def test_un_lien_javascript_en_markdown_reste_du_texte():
    assert markdown_vers_html("[Texte](javascript:alert(1))") == "<p>[Texte](javascript:alert(1))</p>"


def test_vide():
    assert markdown_vers_html("") == "" and markdown_vers_html("  \n ") == "" and html_vers_markdown(None) == ""


# --- Stored HTML back to Markdown ------------------------------------------------------------------------------

SOURCES = [
    '## Titre\n\nLigne 1\nligne 2 **gras** *italique* ~~barré~~ [lien](https://x.fr "t") https://y.fr',
    "- a\n- b\n  - c\n\n1. x\n2. y\n\n> une citation\n> sur deux lignes\n\n```\ncode <b>\n```\n\n---\n\nFin.",
    "Un texte avec des * étoiles *, des _soulignés_, [crochets] et \\ barres.\n\n- 3 pommes\n\n# pas un titre ?",
    "1. premier\n\n   suite du premier\n\n2. second",
    'Prix : 5 € & 10 € < 20 €, <u>souligné</u>, <abbr title="Économie sociale">ESS</abbr>.',
]


@pytest.mark.parametrize("source", SOURCES)
def test_aller_retour(source):
    html = markdown_vers_html(source)
    assert markdown_vers_html(html_vers_markdown(html)) == html


@pytest.mark.parametrize(
    "html",
    [
        "<p>2026. Une année</p>",
        "<p>- pas une liste<br>\n# pas un titre<br>\n&gt; pas une citation</p>",
        "<p>Pas un titre<br>\n-----<br>\nni celui-ci<br>\n===</p>",
    ],
)
def test_ce_qui_ressemble_a_un_bloc_reste_du_texte(html):
    assert "\\" in html_vers_markdown(html)
    assert markdown_vers_html(html_vers_markdown(html)) == html


def test_le_texte_brut_d_avant_garde_ses_lignes():
    assert html_vers_markdown("Un,\ndeux.\n\nTrois * x") == "Un,\ndeux.\n\nTrois \\* x"


def _textes_de_la_demo():
    for fichier in sorted(DONNEES_DEMO.glob("*.toml")):
        pile = [tomllib.loads(fichier.read_text())]
        while pile:
            valeur = pile.pop()
            if isinstance(valeur, dict):
                for cle, sous in valeur.items():
                    if cle in CHAMPS_LONGS and isinstance(sous, str) and sous.strip():
                        yield sous
                    else:
                        pile.append(sous)
            elif isinstance(valeur, list):
                pile.extend(valeur)


def _sans_blancs_entre_balises(html):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_les_textes_de_la_demo_s_affichent_pareil_une_fois_modifies():
    """Each long text of the demo, as stored (sanitized HTML), shown in the editor as Markdown then saved again:
    the page shows the same thing (only the whitespace between tags may change)."""
    textes = list(_textes_de_la_demo())
    assert len(textes) >= 20
    for texte in textes:
        stocke = nettoyer_html(re.sub(r"\{[^{}]*(\{[^{}]*\}[^{}]*)?\}", "x", texte))  # the loader's placeholders
        refait = markdown_vers_html(html_vers_markdown(stocke))
        assert _sans_blancs_entre_balises(html_affiche(refait)) == _sans_blancs_entre_balises(html_affiche(stocke)), (
            texte
        )


# --- The form field --------------------------------------------------------------------------------------------


class Formulaire(PropositionForm):
    pass


def test_le_champ_rend_du_html_nettoye_et_garde_la_saisie_en_cas_d_erreur():
    champ = ChampRedaction(required=True, error_messages={"required": "Écrivez le texte."})
    assert champ.clean("**gras**") == "<p><strong>gras</strong></p>"
    widget = champ.widget
    assert isinstance(widget, EditeurMarkdown)
    saisie = widget.value_from_datadict({"t": "* **gras**\n* deux"}, {}, "t")
    assert widget.format_value(saisie) == "* **gras**\n* deux"  # as typed, not re-written
    assert widget.format_value(HtmlNettoye("<p><strong>gras</strong></p>")) == "**gras**"


@pytest.mark.django_db
def test_un_texte_d_avant_renvoye_sans_changement_garde_ses_octets():
    """An old row's HTML, displayed in the editor and submitted unchanged, is stored byte for byte as it was."""
    ancien = (
        "<p>Un  texte <b>ancien</b>,\n  saisi en HTML.</p>\n<ul><li><p>avec</p></li><li>des listes</li></ul>"
        "<h3>et   un titre</h3>"
    )
    proposition = PropositionFactory(description=ancien)
    proposition = Proposition.objects.get(pk=proposition.pk)
    auteur = proposition.auteur
    avant = proposition.description
    form = PropositionForm(instance=proposition, user=auteur)
    affiche = form["description"].value()
    markdown = form.fields["description"].widget.format_value(affiche)
    assert "<" not in markdown.replace("&lt;", "")
    donnees = {
        "titre": proposition.titre,
        "resume": proposition.resume,
        "description": markdown,
        "champs": [ChampAction.objects.first().pk],
        "levier": "",
        "atelier_suggere": "",
        "porteurs_texte": "",
    }
    form = PropositionForm(donnees, instance=proposition, user=auteur)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["description"] == avant
    assert not form["description"].field.has_changed(avant, markdown)
    donnees["description"] = markdown + "\n\nUn ajout."
    form = PropositionForm(donnees, instance=proposition, user=auteur)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["description"].endswith("<p>Un ajout.</p>")


# --- Pages -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_apercu_sans_javascript(client):
    """The « Prévisualiser » button posts the whole form (formaction) to the preview, with the field's name."""
    client.force_login(creer_utilisateur("acteur"))
    reponse = client.post(
        reverse("redaction_apercu"),
        {
            "titre": "Une proposition",
            "description": "## Constat\n\n**Important** <script>alert(1)</script>",
            "_apercu": "description",
        },
    )
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "<h2>Constat</h2>" in contenu and "<strong>Important</strong>" in contenu
    assert "alert(1)" not in contenu and "Rien n'est encore enregistré" in contenu.replace("&#x27;", "'")


@pytest.mark.django_db
def test_apercu_du_script_et_acces(client):
    url = reverse("redaction_apercu")
    assert client.post(url, {"texte": "x", "fragment": "1"}).status_code == 302  # logged-in people only
    client.force_login(creer_utilisateur("acteur"))
    assert client.get(url).status_code == 405
    reponse = client.post(url, {"texte": "- un\n- *deux*", "fragment": "1"})
    assert reponse.content.decode() == "<ul>\n<li>un</li>\n<li><em>deux</em></li>\n</ul>"
    client.logout()
    client.handler.enforce_csrf_checks = True
    client.force_login(creer_utilisateur("acteur"))
    assert client.post(url, {"texte": "x", "fragment": "1"}).status_code == 403  # CSRF


@pytest.mark.django_db
def test_formulaire_de_proposition_en_markdown(client):
    auteur = creer_utilisateur("acteur")
    client.force_login(auteur)
    page = client.get(reverse("propositions:nouvelle")).content.decode()
    assert 'role="toolbar"' in page and "Aide à la mise en forme" in page and 'formaction="/redaction/apercu/"' in page
    assert "js/editeur.js" in page
    markdown = "## Le constat\n\nDes **commerces** fermés.\n\n- une monnaie\n- un réseau"
    donnees = {
        "titre": "",
        "resume": "Résumé.",
        "description": markdown,
        "champs": [ChampAction.objects.first().pk],
        "levier": "",
        "atelier_suggere": "",
        "porteurs_texte": "",
        "piece_titre": "",
    }
    # An error elsewhere: the text comes back as typed (Markdown, not HTML).
    page = client.post(reverse("propositions:nouvelle"), donnees).content.decode()
    assert "## Le constat\n\nDes **commerces** fermés." in page.replace("&#x27;", "'")
    donnees["titre"] = "Une monnaie locale"
    client.post(reverse("propositions:nouvelle"), donnees)
    proposition = Proposition.objects.get(titre="Une monnaie locale")
    assert proposition.description == (
        "<h2>Le constat</h2>\n<p>Des <strong>commerces</strong> fermés.</p>\n"
        "<ul>\n<li>une monnaie</li>\n<li>un réseau</li>\n</ul>"
    )
    # Edited later: the box shows Markdown again.
    page = client.get(reverse("propositions:modifier", args=[proposition.pk])).content.decode()
    assert "## Le constat" in page and "&lt;h2&gt;" not in page
