"""The rich-text field (``conseil_ess.champs.TexteRiche``): a value is clean however it is assigned, and a
stored value is read back as it is, without paying the sanitizer again."""

from unittest import mock

import pytest
from django.apps import apps
from django.db import connection
from django.forms import modelform_factory

from conseil_ess import champs
from conseil_ess.champs import HtmlNettoye, TexteRiche
from conseil_ess.comptes.models import Structure
from conseil_ess.sanitizer import nettoyer_html
from evenements.models import Evenement
from tests.evenements.fabriques import EvenementFactory
from tests.factories import StructureFactory
from tests.plateforme.test_sanitizer import ATTAQUES, sans_danger

HOSTILE = '<p onclick="x()">Bonjour</p><script>alert(1)</script><a href="javascript:alert(1)">clic</a>'
PROPRE = nettoyer_html(HOSTILE)

# Every model field of user HTML: the thirteen models that used to clean it in ``save()``.
ATTENDUS = {
    ("evenements", "programme", "description"), ("evenements", "evenement", "description"),
    ("ateliers", "cycle", "description"), ("ateliers", "thematiqueannuelle", "description"),
    ("ateliers", "atelier", "description"), ("ateliers", "atelier", "questions"),
    ("ateliers", "reunion", "ordre_du_jour"), ("ateliers", "compterendu", "contenu"),
    ("comptes", "structure", "description"),
    ("propositions", "proposition", "description"), ("propositions", "proposition", "constats"),
    ("propositions", "proposition", "recommandations"), ("propositions", "pointsuivi", "texte"),
    ("seances", "pointordredujour", "description"), ("seances", "scrutin", "texte"),
    ("seances", "procesverbal", "contenu"),
}


def champs_riches():
    paires = [(modele, champ) for modele in apps.get_models() for champ in modele._meta.concrete_fields
              if isinstance(champ, TexteRiche)]
    return sorted(paires, key=lambda p: (p[0]._meta.label_lower, p[1].name))


CHAMPS = champs_riches()


def _id(paire):
    modele, champ = paire
    return f"{modele._meta.label_lower}.{champ.name}"


def test_chaque_texte_riche_est_declare():
    assert {(m._meta.app_label, m._meta.model_name, c.name) for m, c in CHAMPS} == ATTENDUS


def test_plus_aucun_save_ne_nettoie():
    """The field does it: no model keeps a ``save()`` that calls the sanitizer."""
    import inspect

    for modele in apps.get_models():
        if "save" in vars(modele):
            assert "nettoyer_html" not in inspect.getsource(vars(modele)["save"]), modele


@pytest.mark.parametrize("paire", CHAMPS, ids=[_id(p) for p in CHAMPS])
def test_affectation_par_le_constructeur_et_par_attribut(paire):
    modele, champ = paire
    objet = modele(**{champ.name: HOSTILE})
    assert getattr(objet, champ.name) == PROPRE
    objet = modele()
    setattr(objet, champ.name, HOSTILE)
    assert getattr(objet, champ.name) == PROPRE
    setattr(objet, champ.name, None)  # as the old save() did: nothing becomes an empty text
    assert getattr(objet, champ.name) == ""


@pytest.mark.parametrize("paire", CHAMPS, ids=[_id(p) for p in CHAMPS])
def test_affectation_par_un_formulaire(paire):
    modele, champ = paire
    formulaire = modelform_factory(modele, fields=[champ.name])(data={champ.name: HOSTILE})
    formulaire.is_valid()  # other required fields do not matter: the instance is built all the same
    assert getattr(formulaire.instance, champ.name) == PROPRE


@pytest.mark.parametrize("attaque", ATTAQUES)
def test_chaque_attaque_est_nettoyee_a_l_affectation(attaque):
    structure = Structure(description=attaque)
    assert sans_danger(structure.description)


def test_le_nettoyage_est_idempotent():
    assert champs.nettoyer(PROPRE) == PROPRE
    assert nettoyer_html(nettoyer_html(HOSTILE)) == nettoyer_html(HOSTILE)
    marque = champs.nettoyer(HOSTILE)
    with mock.patch.object(champs, "nettoyer_html", side_effect=AssertionError("nettoyé deux fois")):
        assert champs.nettoyer(marque) is marque


def _en_base(modele, pk, champ):
    """The column as stored, read with SQL (not through the field)."""
    with connection.cursor() as curseur:
        curseur.execute(f'SELECT "{champ}" FROM "{modele._meta.db_table}" WHERE id = %s', [pk])  # noqa: S608
        return curseur.fetchone()[0]


@pytest.mark.django_db
def test_enregistre_propre_par_create_update_or_create_et_update():
    structure = StructureFactory(description=HOSTILE)
    assert _en_base(Structure, structure.pk, "description") == PROPRE

    evenement, _cree = Evenement.objects.update_or_create(
        pk=EvenementFactory().pk, defaults={"description": HOSTILE})
    assert _en_base(Evenement, evenement.pk, "description") == PROPRE
    nouveau, cree = Structure.objects.update_or_create(
        slug="nouvelle", defaults={"nom": "Nouvelle", "description": HOSTILE})
    assert cree and _en_base(Structure, nouveau.pk, "description") == PROPRE

    Structure.objects.filter(pk=structure.pk).update(description="<b>gras</b><script>x</script>")
    assert _en_base(Structure, structure.pk, "description") == "<b>gras</b>"  # the script and its content are removed


@pytest.mark.django_db
def test_une_valeur_lue_n_est_ni_changee_ni_renettoyee():
    structure = StructureFactory(description=HOSTILE)
    # A stored value is trusted: written by this field only, it is clean. Reading it costs no sanitizing.
    with mock.patch.object(champs, "nettoyer_html", side_effect=AssertionError("nettoyé à la lecture")):
        relue = Structure.objects.get(pk=structure.pk)
        assert relue.description == PROPRE and isinstance(relue.description, HtmlNettoye)
        relue.refresh_from_db()
        differee = Structure.objects.defer("description").get(pk=structure.pk)
        assert differee.description == PROPRE
        relue.save()  # saving it again writes it as it is
    assert _en_base(Structure, structure.pk, "description") == PROPRE
    assert type(Structure.objects.values_list("description", flat=True).get(pk=structure.pk)) is HtmlNettoye
