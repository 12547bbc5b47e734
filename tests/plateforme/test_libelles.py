"""Choice labels from one dictionary per field and language (conseil_ess/libelles.py): the same answer as Django's
``_get_FIELD_display`` for every value of every field with choices, in each language
(how much faster: README « Performances »)."""

import functools

from django.apps import apps
from django.db import models
from django.utils import translation
from wagtail.models import PageViewRestriction

from conseil_ess import libelles
from conseil_ess.propositions.models import Etat, Proposition

_django = libelles._get_FIELD_display_django


def _champs_a_choix():
    for modele in apps.get_models():
        for champ in modele._meta.concrete_fields:
            if champ.choices is not None:
                yield modele, champ


def test_chaque_get_foo_display_passe_par_le_dictionnaire():
    champs = list(_champs_a_choix())
    assert len(champs) > 40
    for modele, champ in champs:
        methode = getattr(modele, f"get_{champ.name}_display")
        if isinstance(methode, functools.partialmethod):  # not written by hand on the model
            assert methode.func is libelles._get_FIELD_display, (modele, champ.name)


def test_chaque_libelle_est_celui_de_django_dans_chaque_langue():
    compares = 0
    for modele, champ in _champs_a_choix():
        valeurs = [cle for cle, _ in champ.flatchoices] + ["valeur-hors-choix", None]
        for langue in ("fr", "en"):
            with translation.override(langue):
                for valeur in valeurs:
                    objet = modele.__new__(modele)  # without __init__'s defaults (some read the database)
                    objet.__dict__[champ.attname] = valeur
                    attendu = _django(objet, champ)
                    obtenu = libelles._get_FIELD_display(objet, champ)
                    assert obtenu == attendu and type(obtenu) is type(attendu), (modele, champ.name, valeur, langue)
                    compares += 1
    assert compares > 500


def test_le_libelle_suit_la_langue_active():
    # Wagtail's labels are translated into French; the project's are written in French.
    restriction = PageViewRestriction(restriction_type=PageViewRestriction.LOGIN)
    with translation.override("fr"):
        assert restriction.get_restriction_type_display() == "Privé, accessible à tout utilisateur connecté"
    with translation.override("en"):
        assert restriction.get_restriction_type_display() == "Private, accessible to any logged-in users"
    with translation.override("fr"):
        assert restriction.get_restriction_type_display() == "Privé, accessible à tout utilisateur connecté"
        assert Proposition(etat=Etat.ADOPTEE).get_etat_display() == "Adoptée par le Conseil"


def _champ(**options):
    """A field outside any model (no class registered): ``get_FOO_display`` needs its name and choices."""
    champ = models.CharField(max_length=10, **options)
    champ.set_attributes_from_name("couleur")
    return champ


class _Objet:
    def __init__(self, couleur):
        self.couleur = couleur


def test_des_choix_remplaces_sont_relus():
    champ = _champ(choices=[("r", "rouge"), ("v", "vert")])
    objet = _Objet("r")
    assert libelles._get_FIELD_display(objet, champ) == "rouge"
    champ.choices = [("r", "rose"), ("v", "vert")]
    assert libelles._get_FIELD_display(objet, champ) == "rose"
    objet.couleur = [1, 2]  # unhashable: Django's way
    assert libelles._get_FIELD_display(objet, champ) == _django(objet, champ) == "[1, 2]"


def test_des_choix_donnes_par_une_fonction_restent_ceux_de_django():
    couleurs = [("r", "rouge")]
    champ = _champ(choices=lambda: couleurs)
    objet = _Objet("r")
    assert libelles._get_FIELD_display(objet, champ) == "rouge"
    couleurs[0] = ("r", "rubis")
    assert libelles._get_FIELD_display(objet, champ) == "rubis"
