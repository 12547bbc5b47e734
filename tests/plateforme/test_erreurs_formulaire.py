"""The one error summary of the site's forms (templates/includes/erreurs_formulaire.html)."""

from django import forms
from django.template.loader import render_to_string


class Formulaire(forms.Form):
    nom = forms.CharField(label="Nom")
    choix = forms.ChoiceField(label="Choix", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    jeton = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Ces données se contredisent.")


def rendre(form, **contexte):
    return render_to_string("includes/erreurs_formulaire.html", {"form": form, **contexte})


def test_rien_sans_erreur():
    assert rendre(Formulaire()).strip() == ""


def test_chaque_erreur_est_listee_et_mene_a_son_champ():
    form = Formulaire(data={"nom": "", "choix": "z", "jeton": ""})
    html = rendre(form)
    assert 'role="alert"' in html and "Le formulaire contient des erreurs." in html
    assert "ce que vous avez saisi est conservé" in html
    assert "<li>Ces données se contredisent.</li>" in html
    assert '<a href="#id_nom">Nom : Champ requis.</a>' in html
    # A group of radio buttons has no single id: the link goes to its first button.
    assert '<a href="#id_choix_0">Choix : ' in html
    # A hidden field cannot take the focus: its error is listed without a link.
    assert '<li>Champ requis.</li>' in html and 'href="#id_jeton"' not in html


def test_titre_et_consigne_propres_a_la_page():
    form = Formulaire(data={})
    html = rendre(form, titre="Vos préférences n'ont pas été enregistrées.", consigne="Choisissez une option.")
    assert "<strong>Vos préférences n&#x27;ont pas été enregistrées.</strong>" in html
    assert "Choisissez une option." in html and "Le formulaire contient des erreurs." not in html
