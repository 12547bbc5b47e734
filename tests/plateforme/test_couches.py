"""The layers of the apps hold where import-linter cannot look: templates and strings.

``make lint`` runs import-linter on Python imports (the contract in pyproject.toml, lazy imports
included). A template that loads a higher app's tag library, includes its templates, links to its URLs
or tests its permissions depends on that app just as much; so does Python code that names a higher
app by string (``apps.get_model("home", …)``, ``reverse("propositions:…")``, ``"seances.Scrutin"``).
The order of the apps is read from the import-linter contract: one list for both checks.
"""

import re
import sys
import tomllib
from pathlib import Path

import pytest
from django.apps import apps

RACINE = Path(__file__).resolve().parents[2]
GABARITS = RACINE / "templates"
def couches():
    """Return the labels of the apps of the contract, from the lowest layer to the highest."""
    contrat = tomllib.loads((RACINE / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (couches_,) = [c["layers"] for c in contrat if c["type"] == "layers"]
    labels = []
    for couche in reversed(couches_):
        module = couche.strip("()")
        config = apps.get_containing_app_config(module) if ":" not in module else None
        if config is not None and config.name == module:
            labels.append(config.label)
    return labels


COUCHES = couches()
RANG = {label: rang for rang, label in enumerate(COUCHES)}


def proprietaire(nom):
    """Return the app label owning a URL namespace, template folder or permission prefix (``seances_admin``
    belongs to ``seances``), or None for names of no app of the contract (allauth, wagtail…)."""
    for label in COUCHES:
        if nom == label or nom.startswith(label + "_"):
            return label
    return None


def bibliotheques():
    """Return {tag library name: app label} for the apps of the contract."""
    resultat = {}
    for label in COUCHES:
        dossier = Path(apps.get_app_config(label).path) / "templatetags"
        for module in dossier.glob("*.py"):
            if module.stem != "__init__":
                resultat[module.stem] = label
    return resultat


BALISES = [
    # (what, regex whose group 1 is a name, how to find the owner of that name)
    ("{% url %}", re.compile(r"""\{%\s*url\s+["'](\w+):"""), proprietaire),
    ("{% include/extends %}", re.compile(r"""\{%\s*(?:include|extends)\s+["'](\w+)/"""), proprietaire),
    ("perms", re.compile(r"""\bperms\.(\w+)\."""), proprietaire),
]
CHARGEMENT = re.compile(r"\{%\s*load\s+([^%]+?)\s*%\}")


def dependances_d_un_gabarit(texte, libs):
    """Yield (what, name, owner) for every reference of a template to an app."""
    for chargement in CHARGEMENT.finditer(texte):
        noms = chargement.group(1).split()
        if "from" in noms:  # {% load tag from library %}
            noms = noms[noms.index("from") + 1:]
        for nom in noms:
            if nom in libs:
                yield "{% load %}", nom, libs[nom]
    for quoi, motif, trouver in BALISES:
        for trouve in motif.finditer(texte):
            yield quoi, trouve.group(1), trouver(trouve.group(1))


INCLUSION = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")
# The site's layout: the project wires every app's menu into it, as conseil_ess.urls wires their URLs.
SQUELETTE = {"base.html"}


def references(chemin, libs, vus=None):
    """Yield the references of the template ``chemin`` (under templates/), and of the shared templates it
    includes or extends (those outside every app's folder, e.g. includes/pagination.html), the layout aside."""
    vus = set() if vus is None else vus
    texte = (GABARITS / chemin).read_text()
    yield from dependances_d_un_gabarit(texte, libs)
    for cible in INCLUSION.findall(texte):
        partage = "/" not in cible or proprietaire(cible.split("/")[0]) is None
        if partage and cible not in SQUELETTE and cible not in vus and (GABARITS / cible).is_file():
            vus.add(cible)
            yield from references(cible, libs, vus)


def montees(label, references):
    return [f"{quoi} {nom} ({proprietaire_})" for quoi, nom, proprietaire_ in references
            if proprietaire_ is not None and RANG[proprietaire_] > RANG[label]]


def test_les_couches_sont_lues_dans_le_contrat():
    # (the demo, on top, counts once it is an installed app)
    assert COUCHES[:6] == ["comptes", "evenements", "ateliers", "propositions", "seances", "home"]


@pytest.mark.parametrize("label", COUCHES)
def test_les_gabarits_d_une_application_ne_nomment_aucune_application_plus_haute(label):
    libs = bibliotheques()
    fautes = {}
    for gabarit in sorted((GABARITS / label).rglob("*")):
        if gabarit.is_file():
            trouvees = montees(label, references(gabarit.relative_to(GABARITS), libs))
            if trouvees:
                fautes[str(gabarit.relative_to(RACINE))] = trouvees
    assert not fautes, f"dépendances vers une couche plus haute (utilisez un emplacement) : {fautes}"


# A higher app named by string in Python: a URL name, a template, an app label or a model/permission label.
CHAINE = re.compile(r"""["'](\w+)[:./]""")
GET_MODEL = re.compile(r"""get_model\(\s*["'](\w+)["']""")


def references_python(texte):
    return ([("chaîne", nom, proprietaire(nom)) for nom in CHAINE.findall(texte)]
            + [("get_model", nom, proprietaire(nom)) for nom in GET_MODEL.findall(texte)])


@pytest.mark.parametrize("label", COUCHES)
def test_le_code_d_une_application_ne_nomme_aucune_application_plus_haute(label):
    dossier = Path(apps.get_app_config(label).path)
    fautes = {}
    for source in sorted(dossier.rglob("*.py")):
        if "migrations" in source.parts:
            continue
        trouvees = montees(label, references_python(source.read_text()))
        if trouvees:
            fautes[str(source.relative_to(RACINE))] = trouvees
    assert not fautes, f"une application plus haute nommée par une chaîne (utilisez un registre) : {fautes}"


def test_le_controle_voit_une_dependance_montante():
    libs = bibliotheques()
    gabarit = ("{% load i18n propositions %}{% url 'seances_admin:index' %}{% include \"home/x.html\" %}"
               "{% if perms.propositions.voir %}{% endif %}")
    assert montees("ateliers", dependances_d_un_gabarit(gabarit, libs)) == [
        "{% load %} propositions (propositions)", "{% url %} seances_admin (seances)",
        "{% include/extends %} home (home)", "perms propositions (propositions)"]
    assert montees("home", dependances_d_un_gabarit(gabarit, libs)) == []


def test_le_controle_suit_les_gabarits_partages_sauf_la_mise_en_page(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "GABARITS", tmp_path)
    (tmp_path / "ateliers").mkdir()
    (tmp_path / "includes").mkdir()
    (tmp_path / "ateliers" / "page.html").write_text(
        '{% extends "base.html" %}{% include "includes/partage.html" %}{% include "evenements/x.html" %}')
    (tmp_path / "includes" / "partage.html").write_text("{% load propositions %}{% include 'includes/partage.html' %}")
    (tmp_path / "base.html").write_text("{% load navigation %}")

    assert montees("ateliers", references("ateliers/page.html", bibliotheques())) == [
        "{% load %} propositions (propositions)"]


def test_le_controle_voit_une_application_plus_haute_nommee_par_une_chaine():
    code = ('apps.get_model("home", "Levier"); reverse("propositions:liste"); ForeignKey("seances.Scrutin"); '
            'render(request, "evenements/detail.html"); icon = "home"')
    assert montees("ateliers", references_python(code)) == [
        "chaîne propositions (propositions)", "chaîne seances (seances)", "get_model home (home)"]
