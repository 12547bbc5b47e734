"""The one normalisation of searched text (conseil_ess/recherche.py): accents, plurals, escaping of excerpts."""

import pytest

from conseil_ess.recherche import extrait, normaliser, surligner, termes


@pytest.mark.parametrize(("a", "b"), [
    ("ressourceries", "ressourcerie"),
    ("Ressourcerie", "RESSOURCERIES"),
    ("économie", "economie"),
    ("Économies", "economie"),
    ("sociaux", "sociale"),
    ("œuvre", "oeuvre"),
    ("insertions", "insertion"),
])
def test_memes_termes(a, b):
    assert termes(a) == termes(b)


@pytest.mark.parametrize(("a", "b"), [("ressourcerie", "ressource"), ("insertion", "inscription"), ("sol", "sel")])
def test_termes_differents(a, b):
    assert termes(a) != termes(b)


def test_normaliser_lit_le_texte_du_html():
    assert normaliser("<p>L&#x27;économie <strong>sociale</strong></p>", None, "") == "l economi social"


def test_surligner_echappe_puis_marque():
    html = surligner("<b>Ressourcerie</b> & ressourceries", "ressourcerie")
    assert html == "&lt;b&gt;<mark>Ressourcerie</mark>&lt;/b&gt; &amp; <mark>ressourceries</mark>"


def test_surligner_une_requete_hostile_n_injecte_rien():
    html = surligner("un texte", "<script>alert(1)</script> texte")
    assert "<script>" not in html and html == "un <mark>texte</mark>"


def test_extrait_commence_pres_du_premier_mot_cherche():
    texte = " ".join(f"mot{i}" for i in range(100)) + " ressourcerie fin"
    morceau = extrait(texte, "ressourceries", mots=12)
    assert morceau.startswith("… mot92") and "ressourcerie" in morceau
