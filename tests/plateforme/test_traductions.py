"""Message lookups in one dictionary (conseil_ess/traductions.py): the same translation as Django's loop over the
catalogues, for every message of every catalogue
(how much faster: README « Performances »)."""

from django.utils import translation
from django.utils.translation import trans_real

from conseil_ess.traductions import CatalogueAplati


def _recherche_de_django(catalogue, cle):
    """Django's ``TranslationCatalog.get``: the first catalogue holding the message wins."""
    for dictionnaire in catalogue._catalogs:
        if cle in dictionnaire:
            return dictionnaire[cle]
    return None


def test_les_catalogues_du_projet_sont_aplatis():
    catalogue = trans_real.translation("fr")._catalog
    assert isinstance(catalogue, CatalogueAplati)
    # What it is for: several catalogues (Django keeps them apart by plural formula).
    assert len(catalogue._catalogs) > 1


def test_chaque_message_a_la_traduction_que_django_lui_donne():
    catalogue = trans_real.translation("fr")._catalog
    cles = {cle for dictionnaire in catalogue._catalogs for cle in dictionnaire}
    assert len(cles) > 1000
    # A message held by two catalogues with different texts: the first one's wins.
    doublons = [cle for cle in cles
                if len({d[cle] for d in catalogue._catalogs if cle in d}) > 1]
    assert doublons
    for cle in cles:
        attendu = _recherche_de_django(catalogue, cle)
        assert catalogue.get(cle) == attendu
        assert catalogue[cle] == attendu
        assert cle in catalogue
    assert catalogue.get("Aucun message de ce nom", "défaut") == "défaut"
    assert "Aucun message de ce nom" not in catalogue


def test_un_message_ajoute_ensuite_est_lu():
    class Traduction:
        plural = staticmethod(lambda n: int(n > 1))
        _catalog = {"Bonjour": "Salut"}

    class Autre:
        plural = staticmethod(lambda n: 0)
        _catalog = {"Bonjour": "Bonjour à vous", "Au revoir": "À bientôt"}

    catalogue = CatalogueAplati(Traduction())
    assert catalogue.get("Bonjour") == "Salut"
    catalogue.update(Autre())  # a later catalogue comes first (Django's order)
    assert catalogue.get("Bonjour") == "Bonjour à vous"
    assert catalogue["Au revoir"] == "À bientôt"
    catalogue["Merci"] = "Merci bien"
    assert catalogue.get("Merci") == "Merci bien"


def test_gettext_et_ngettext_dans_le_site():
    with translation.override("fr"):
        assert translation.gettext("Password") == "Mot de passe"  # Django's own catalogue
        assert translation.ngettext("%(n)s membre", "%(n)s membres", 0) == "%(n)s membre"
        assert translation.ngettext("%(n)s membre", "%(n)s membres", 2) == "%(n)s membres"

