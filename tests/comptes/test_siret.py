import pytest
from django.core.exceptions import ValidationError

from conseil_ess.comptes.validators import valider_siret
from conseil_ess.demo.comptes import siret_demo


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", siret_demo("exemple")])
def test_siret_valide(siret):
    valider_siret(siret)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("73282932000075", "siret_cle"),  # last digit changed: Luhn fails
        ("1234567890123", "siret_longueur"),
        ("ABCDEFGHIJKLMN", "siret_longueur"),
        ("", "siret_longueur"),
    ],
)
def test_siret_invalide_message_francais(siret, code):
    with pytest.raises(ValidationError) as exc:
        valider_siret(siret)
    assert exc.value.code == code
    assert "SIRET" in str(exc.value.messages[0])
