"""``SelectRapide`` writes the same HTML as Django's ``Select`` templates, without a template per option."""

import pytest
from django import forms

from conseil_ess.widgets import SelectRapide


class Formulaire(forms.Form):
    simple = forms.ChoiceField(choices=[("", "Tous"), ("a", "A & <b>"), ('b"c', "B")], required=False)
    groupes = forms.ChoiceField(choices=[("", "—"), ("Groupe <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    multiple = forms.MultipleChoiceField(choices=[("1", "Un"), ("2", "Deux")], required=False)


@pytest.mark.parametrize(
    "donnees", [{}, {"simple": "a", "groupes": "y", "multiple": ["1", "2"]}, {"simple": 'b"c', "groupes": "z"}]
)
def test_meme_html_que_le_select_de_django(donnees):
    attendu = Formulaire(donnees or None)
    rapide = Formulaire(donnees or None)
    for nom in ("simple", "groupes"):
        rapide.fields[nom].widget = SelectRapide(
            choices=rapide.fields[nom].choices, attrs={"class": "c", "hidden": True}
        )
        attendu.fields[nom].widget = forms.Select(
            choices=attendu.fields[nom].choices, attrs={"class": "c", "hidden": True}
        )
        assert str(rapide[nom]) == str(attendu[nom])
        assert "<option" in str(rapide[nom])
    assert "&lt;b&gt;" in str(rapide["simple"]) and 'value="b&quot;c"' in str(rapide["simple"])
