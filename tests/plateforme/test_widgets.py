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


# --- Model menus read as rows (``FiltreModeleRapide``) ------------------------------------------------------


def _filtres_avec_les_menus_de_django(classe):
    """A copy of the filter set ``classe`` whose fast model menus are django-filter's own (model instances, the
    model's ``__str__``, Django's ``Select`` templates), and whose form is django-filter's (no menus read together
    by ``ListesLues``)."""
    import django_filters

    from conseil_ess.widgets import FiltreModeleRapide

    attributs = {}
    for nom, filtre in classe.base_filters.items():
        if isinstance(filtre, FiltreModeleRapide):
            extra = {k: v for k, v in filtre.extra.items() if k not in ("colonnes", "libelle", "widget")}
            attributs[nom] = django_filters.ModelChoiceFilter(
                field_name=filtre.field_name, label=filtre._label, **extra)
    attributs["form"] = django_filters.FilterSet.form
    return type(f"{classe.__name__}DeDjango", (classe,), attributs)


@pytest.mark.django_db
@pytest.mark.parametrize("donnees", [None, {"atelier": "atelier-b", "commune": "lyon-3e", "champ": "4"},
                                     {"atelier": "inconnu", "champ": "x"}])
def test_menus_lus_en_lignes_meme_html_que_django_filter(donnees):
    from ateliers.filters import AtelierFilter
    from conseil_ess.comptes.models import Commune
    from conseil_ess.propositions.filters import PropositionFilter
    from conseil_ess.propositions.views_suivi import SuiviFilter
    from tests.ateliers.fabriques import AtelierFactory, CycleFactory

    ancien = CycleFactory(titre="Cycle 2025", date_debut="2025-01-01", date_fin="2025-12-31")
    AtelierFactory(titre="Atelier « b »", slug="atelier-b", cycle=ancien)
    AtelierFactory(titre='Atelier "a" & <b>', slug="atelier-a")
    Commune.objects.get_or_create(slug="lyon-3e", defaults={"nom": "Lyon 3e"})
    Commune.objects.get_or_create(slug="bron", defaults={"nom": "Bron & <alentours>"})
    for classe in (PropositionFilter, AtelierFilter, SuiviFilter):
        rapide, django = classe(donnees), _filtres_avec_les_menus_de_django(classe)(donnees)
        noms = [nom for nom in ("champ", "atelier", "commune") if nom in rapide.form.fields]
        assert noms, classe
        for nom in noms:
            attendu = str(django.form[nom])
            assert str(rapide.form[nom]) == attendu, (classe, nom)
            assert attendu.count("<option") >= 3
        assert rapide.is_valid() == django.is_valid()
    assert "Atelier « b »</option>" in str(PropositionFilter().form["atelier"])


@pytest.mark.django_db
def test_les_trois_menus_des_propositions_en_une_requete(django_assert_num_queries):
    """The champs, ateliers and communes of the proposals' filters are read together (``ListesLues``), once,
    when the first of them is rendered; none when the form is not rendered."""
    from django.http import QueryDict

    from conseil_ess.comptes.models import ChampAction, Commune
    from conseil_ess.propositions.filters import PropositionFilter
    from tests.ateliers.fabriques import AtelierFactory

    for n in range(5):
        AtelierFactory()
    champs, communes = ChampAction.objects.count(), Commune.objects.count()
    with django_assert_num_queries(0):
        form = PropositionFilter().form
    with django_assert_num_queries(1):
        assert str(form["atelier"]).count("<option") == 6
        assert str(form["champ"]).count("<option") == champs + 1
        assert str(form["commune"]).count("<option") == communes + 1
    # A submitted value is still checked against the field's queryset.
    filtre = PropositionFilter(QueryDict("atelier=inconnu&champ=3"))
    assert not filtre.is_valid() and "atelier" in filtre.errors and "champ" not in filtre.errors


@pytest.mark.django_db
@pytest.mark.parametrize("requete", ["", "q=r%C3%A9emploi+%3Cb%3E&etat=adoptee&champ=2&annee=2026&commune=bron",
                                     "q=&etat=rien&champ=99&atelier=nul&annee=1200&commune=nulle-part"])
def test_groupes_des_listes_meme_html_que_django(requete):
    """``|groupe_rapide`` (label, help text, widget written in Python) gives ``as_field_group``'s HTML for every
    field of the lists' filters, invalid values (Django's rendering with the message) included; the fast inputs
    give the HTML of Django's widgets."""
    from django.http import QueryDict

    from ateliers.filters import AtelierFilter
    from conseil_ess.comptes.models import Commune
    from conseil_ess.propositions.filters import PropositionFilter
    from conseil_ess.propositions.views_suivi import SuiviFilter
    from conseil_ess.widgets import groupe_rapide

    Commune.objects.get_or_create(slug="bron", defaults={"nom": "Bron"})
    for classe in (PropositionFilter, AtelierFilter, SuiviFilter):
        form = classe(QueryDict(requete) if requete else None).form
        for nom in form.fields:
            assert groupe_rapide(form[nom]) == form[nom].as_field_group(), (classe, nom)
    form = PropositionFilter(QueryDict(requete) if requete else None).form
    assert 'class="helptext" id="id_q_helptext"' in groupe_rapide(form["q"])
    rapides = {nom: form[nom].as_widget() for nom in ("q", "annee")}
    form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})
    form.fields["annee"].widget = forms.NumberInput(attrs=form.fields["annee"].widget.attrs)
    for nom, rapide in rapides.items():
        assert rapide == forms.BoundField(form, form.fields[nom], nom).as_widget(), nom
    if "1200" in requete:
        assert 'class="errorlist"' in groupe_rapide(form["annee"])


def test_select_rapide_une_seule_option_choisie_et_valeurs_vides():
    """As ``Select.optgroups``: the first matching option only is selected (a single select), ``None`` is
    written as an empty value, a safe label is kept as is."""
    from django.utils.safestring import mark_safe

    choix = [(None, "Aucun"), ("a", "A"), ("Groupe", [("a", "A bis"), (1, mark_safe("<i>Un</i>"))])]
    for valeur in (None, "a", "1", ["a", "1"]):
        rapide = SelectRapide(choices=choix).render("x", valeur, attrs={"id": "id_x"})
        attendu = forms.Select(choices=choix).render("x", valeur, attrs={"id": "id_x"})
        assert rapide == attendu, valeur
    assert SelectRapide(choices=choix).render("x", "a").count(" selected") == 1


@pytest.mark.django_db
def test_select_rapide_garde_les_options_d_une_liste_du_code():
    """The options of a list given in the code are kept per list, language and chosen value: the same HTML as
    Django's ``Select`` the first time and from the memo, in each language; another list (even equal) or a
    list read from the database is written afresh."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from conseil_ess import widgets
    from evenements.filters import AgendaFilter

    choix = [("", gettext_lazy("Monday")), ("a", "A"), ("b", "B")]
    widget = SelectRapide(choices=choix)
    for langue, lundi in (("fr", "lundi"), ("en", "Monday"), ("fr", "lundi")):
        with translation.override(langue):
            for valeur in ("a", "b", "a", None):
                for _fois in range(2):
                    rapide = widget.render("x", valeur, attrs={"id": "id_x"})
                    assert rapide == forms.Select(choices=choix).render("x", valeur, attrs={"id": "id_x"})
                    assert lundi in rapide
    assert any(cle[0] == (id(widget.choices),) for cle in widgets._memo_options)
    widget.choices = [("", "Rien"), ("a", "A"), ("b", "B")]
    assert "Rien" in widget.render("x", "a")
    # django-filter's ChoiceField (the agenda's types): kept with its empty label; a model list is not kept.
    with translation.override("fr"):
        form = AgendaFilter(None).form
        type_ = form["type"].as_widget()
        assert type_ == form["type"].as_widget() and "Tous les types" in type_
        avant = len(widgets._memo_options)
        form["commune"].as_widget()
        assert len(widgets._memo_options) == avant


# --- Filter sets copied shallowly (``FilterSetRapide``) -------------------------------------------------------


@pytest.mark.django_db
def test_deux_jeux_de_filtres_rapides_ne_se_melent_pas():
    """Two filter sets of the same class, one bound and one not, built one after the other, each filter and
    validate their own data: the filters' shallow copies (``FilterSetRapide``) share nothing that a request sets,
    and the class's filters stay unbound."""
    from conseil_ess.propositions.filters import PropositionFilter
    from conseil_ess.propositions.models import Proposition

    base = Proposition.objects.all()
    lie = PropositionFilter({"champ": "2", "q": "vélo", "annee": "abc"}, queryset=base)
    libre = PropositionFilter(None, queryset=base)
    assert lie.is_bound and not libre.is_bound
    assert lie.form.is_bound and not libre.form.is_bound
    assert "annee" in lie.form.errors and not libre.form.errors
    assert str(libre.qs.query) == str(base.query)
    assert "champs" in str(lie.qs.query).lower() and "vélo" in str(lie.qs.query)
    assert all(lie.filters[nom] is not libre.filters[nom] for nom in lie.filters)
    assert all(f.parent is lie for f in lie.filters.values()) and all(f.parent is libre for f in libre.filters.values())
    assert all(getattr(f, "parent", None) is None for f in PropositionFilter.base_filters.values())
    # A method filter calls its own filter set's method.
    assert lie.filters["q"].filter.f is lie.filters["q"] and lie.filters["q"].filter.method.__self__ is lie
    # The form's class is built once; each form has its own fields.
    assert type(lie.form) is type(libre.form)
    assert lie.form.fields["champ"] is not libre.form.fields["champ"]


@pytest.mark.django_db
@pytest.mark.parametrize("chemin", [
    "evenements.filters.AgendaFilter", "conseil_ess.propositions.filters.PropositionFilter",
    "ateliers.filters.AtelierFilter",
])
def test_copie_legere_des_champs_du_formulaire(chemin):
    """Each form of a ``FilterSetRapide`` gets its own fields and widgets (a light copy of the class's): what one
    request sets on them is not seen by another, and the form renders as with Django's deep copy."""
    import copy

    from django import forms
    from django.utils.module_loading import import_string

    from conseil_ess.widgets import ChampsACopieLegere, copie_legere

    classe = import_string(chemin)
    un, autre = classe(None).form, classe({"page": "2"}).form
    assert isinstance(type(un).base_fields, ChampsACopieLegere)
    for nom, champ in un.fields.items():
        sien = autre.fields[nom]
        assert champ is not sien and champ.widget is not sien.widget and champ.widget.attrs is not sien.widget.attrs
        assert champ.error_messages is not sien.error_messages and champ.validators is not sien.validators
        champ.widget.attrs["data-test"] = "un"
        champ.label = "Changé"
        champ.error_messages["required"] = "Changé"
        assert "data-test" not in sien.widget.attrs and sien.label != "Changé"
        assert sien.error_messages.get("required") != "Changé"
        assert "data-test" not in type(un).base_fields[nom].widget.attrs
        if isinstance(getattr(champ.widget, "choices", None), forms.models.ModelChoiceIterator):
            # A model list's options read its own field (an empty label set by a view shows). (The agenda gives
            # its lists other options, read by one query.)
            champ.empty_label = "Aucun choix"
            assert list(champ.widget.choices)[0][1] == "Aucun choix"
            assert list(sien.widget.choices)[0][1] != "Aucun choix"
    # Same HTML as a form whose fields are deep-copied as Django does.
    leger, profond = classe(None).form, classe(None).form
    profond.fields = {nom: copy.deepcopy(champ) for nom, champ in type(profond).base_fields.items()}
    assert [str(leger[nom]) for nom in leger.fields] == [str(profond[nom]) for nom in profond.fields]
    # A field whose deep copy copies more (a multi-value field's sub-fields) is deep-copied.
    multiple = forms.SplitDateTimeField()
    copie = copie_legere(multiple)
    assert copie.fields[0] is not multiple.fields[0]


@pytest.mark.django_db
@pytest.mark.parametrize("requete", ["", "acces=lsf", "acces=fauteuil&acces=falc", "acces=inconnu"])
def test_cases_rapides_comme_la_boucle_du_gabarit(requete):
    """``cases_rapides`` writes what the template loop over the boxes wrote (the agenda's accessibility)."""
    from django.http import QueryDict
    from django.template import Context, Template

    from conseil_ess.widgets import cases_rapides
    from evenements.filters import AgendaFilter

    form = AgendaFilter(QueryDict(requete)).form
    boucle = Template(
        '{% for case in champ %}<div class="champ champ--case">{{ case.tag }} <label for="{{ case.id_for_label }}">'
        "{{ case.choice_label }}</label></div>{% endfor %}"
    ).render(Context({"champ": form["acces"]}))
    assert cases_rapides(form["acces"]) == boucle
    assert boucle.count("<input") == 5 and boucle.count(" checked") == requete.count("acces=") - ("inconnu" in requete)


# --- Long lists of links (``elements_liens``) ------------------------------------------------------------------


def test_elements_liens_echappes_et_gardes_pour_les_memes_liens():
    from django.utils.safestring import mark_safe

    from conseil_ess.comptes.templatetags import listes

    liens = [("Tom & Jerry <b>", "/ateliers/a/?x=1&y=2"), ('Guillemet "', "/ateliers/b/")]
    attendu = ('<li><a href="/ateliers/a/?x=1&amp;y=2">Tom &amp; Jerry &lt;b&gt;</a></li>'
               '<li><a href="/ateliers/b/">Guillemet &quot;</a></li>')
    listes._liens_ecrits.clear()
    assert listes.elements_liens(liens) == attendu
    assert listes.elements_liens(iter(list(liens))) == attendu  # the same links, read again: kept
    assert list(listes._liens_ecrits) == [tuple(liens)]
    # A safe title equals the plain one but is not escaped again: written, never taken from the memo.
    surs = [(mark_safe("<i>sûr</i>"), "/a/")]
    assert listes.elements_liens(surs) == '<li><a href="/a/"><i>sûr</i></a></li>'
    assert listes.elements_liens([("<i>sûr</i>", "/a/")]) == '<li><a href="/a/">&lt;i&gt;sûr&lt;/i&gt;</a></li>'
    assert listes.elements_liens(surs) == '<li><a href="/a/"><i>sûr</i></a></li>'
    assert listes.elements_liens([]) == ""
