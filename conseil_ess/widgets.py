"""Form widgets written in Python, with the same HTML as Django's form templates, shared by the public pages.

Django renders each field through a field template, a label template, an error-list template and a widget
template, and each option of a ``<select>`` through one more: on the list pages the filter forms (the agenda's
hundred options, the ateliers' and communes' menus) were the costliest part of the page. Fields with errors or
required marks keep Django's own rendering (``groupe_rapide``); tests/plateforme/test_widgets.py and the agenda's
tests compare both renderings.

``FiltreModeleRapide``: a django-filter model list whose options are read as rows (``values_list``), not as one
model instance per option.
"""

import copy
import functools
import html
import operator

import django_filters
from django import forms
from django.db import connection
from django.http import QueryDict
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.fields import ChoiceIterator
from django_filters.fields import ModelChoiceField as ChampModeleDeFiltre

from conseil_ess.prechargement import Lecture, lignes_de_table, lire_ensemble


def echapper(texte):
    """``conditional_escape`` without its lazy-text wrapper (the same characters: Django's ``escape`` is
    ``html.escape``)."""
    if hasattr(texte, "__html__"):
        return texte.__html__()
    return html.escape(str(texte))


def _attributs(attrs):
    """The attributes of a tag, as Django's ``attrs.html`` writes them (True: bare name, False: left out)."""
    return "".join(
        f" {nom}" if valeur is True else f' {nom}="{conditional_escape(valeur)}"'
        for nom, valeur in attrs.items()
        if valeur is not False
    )


def _input(widget):
    """``django/forms/widgets/input.html`` for the context of one input (``widget``)."""
    valeur = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{valeur}{_attributs(widget['attrs'])}>")


class SaisieRapide:
    """Mixin of an ``<input>`` widget (date, checkbox…) rendered without its templates."""

    @staticmethod
    @functools.cache
    def de(classe):
        """Return the fast twin of the input widget class ``classe`` (``forms.DateInput``…)."""
        return type(f"{classe.__name__}Rapide", (SaisieRapide, classe), {})

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(_input(self.get_context(name, value, attrs)["widget"]))  # noqa: S308 - escaped


class CasesRapides(forms.CheckboxSelectMultiple):
    """Check boxes whose ``{{ case.tag }}`` (one box of the list, in a template loop) is written in Python."""

    def _render(self, template_name, context, renderer=None):
        if template_name == self.option_template_name:
            return mark_safe(_input(context["widget"]))  # noqa: S308 - escaped by _input
        return super()._render(template_name, context, renderer)


def cases_rapides(champ):
    """The check boxes of ``champ`` (a ``CasesRapides`` field), each in its ``<div>`` with its label, as the
    template loop ``{% for case in champ %}<div class="champ champ--case">{{ case.tag }} <label
    for="{{ case.id_for_label }}">{{ case.choice_label }}</label></div>{% endfor %}`` writes them (the loop's
    lookups cost three times the boxes)."""
    return mark_safe("".join(  # noqa: S308 - the boxes are escaped by _input, the rest here
        f'<div class="champ champ--case">{case.tag()} <label for="{echapper(case.id_for_label)}">'
        f"{echapper(case.choice_label)}</label></div>"
        for case in champ
    ))


def groupe_rapide(champ):
    """Return ``champ.as_field_group()`` (label, help text and widget) for a field without errors, written here;
    other fields (and fieldsets, required marks) keep Django's template."""
    field, form = champ.field, champ.form
    if champ.errors or field.widget.use_fieldset or (
            field.required and getattr(form, "required_css_class", None)):
        return champ.as_field_group()
    etiquette = ""
    if champ.label:
        contenu = conditional_escape(champ.label)
        suffixe = field.label_suffix if field.label_suffix is not None else form.label_suffix
        if suffixe and champ.label[-1] not in _(":?.!"):
            contenu += conditional_escape(suffixe)
        id_ = field.widget.attrs.get("id") or champ.auto_id
        pour = field.widget.id_for_label(id_) if id_ else None
        if id_:
            etiquette = f'<label{_attributs({"for": pour} if pour else {})}>{contenu}</label>'
        else:
            etiquette = contenu
    aide = ""
    if champ.help_text:
        # ``field.html`` writes the help text as given (``|safe``), as Django's own form rendering does.
        id_aide = f' id="{champ.auto_id}_helptext"' if champ.auto_id else ""
        aide = f'<div class="helptext"{id_aide}>{champ.help_text}</div>'
    return mark_safe(f"{etiquette}\n\n{aide}\n\n{champ.as_widget()}")  # noqa: S308 - label escaped, widget safe


class SelectRapide(forms.Select):
    """``forms.Select`` written without a template per option (the same HTML as ``select.html``), its options
    chosen as ``Select.optgroups`` chooses them but without building a context per option (a hundred
    ateliers).

    The options of a list given in the code (a ``ChoiceField``'s choices: the agenda's types, the proposals'
    states…) are the same at every request for a language and a chosen value: their HTML is kept
    (``_options_fixes``). Their labels are lazy translations: each one translated, normalised and escaped cost
    more than the rest of its field. Options read from the database are written at each request."""

    def render(self, name, value, attrs=None, renderer=None):
        valeurs = self.format_value(value)
        attributs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attributs["multiple"] = True
        options = _options_fixes(self.choices, valeurs, self.allow_multiple_selected)
        if options is None:
            options = _options(self.choices, valeurs, self.allow_multiple_selected)
        return mark_safe(  # noqa: S308 - every name, value and label escaped
            f'<select name="{echapper(name)}"{_attributs(attributs)}>{options}\n</select>')


def _options(choix, valeurs, multiple):
    """The ``<option>`` (and ``<optgroup>``) elements of ``choix``, ``valeurs`` selected (the first only unless
    ``multiple``), as ``select.html`` writes them."""
    parties = []
    choisi = False
    for valeur, libelle in choix:
        groupe = isinstance(libelle, (list, tuple))
        if groupe:
            parties.append(f'\n  <optgroup label="{echapper("" if valeur is None else valeur)}">')
        for option, texte in libelle if groupe else ((valeur, libelle),):
            option = "" if option is None else option
            selection = (not choisi or multiple) and str(option) in valeurs
            choisi |= selection
            parties.append(f'\n  <option value="{echapper(option)}"{" selected" if selection else ""}>'
                           f"{echapper(texte)}</option>\n")
        if groupe:
            parties.append("\n  </optgroup>")
    return "".join(parties)


_memo_options = {}
MEMO_OPTIONS_MAX = 1024


def _options_fixes(choix, valeurs, multiple):
    """``_options(…)`` kept per process when ``choix`` is a list given in the code: a list or tuple, or
    django-filter's iterator of a ``ChoiceField``'s list (its empty and null labels first). None otherwise.

    Kept per object (the very list, the very labels: the memo holds them, so their ids stay theirs), language and
    chosen values. A list changed in place would keep its former options: the forms replace a widget's choices,
    they never change them."""
    if isinstance(choix, ChoiceIterator) and isinstance(choix.choices, (list, tuple)):
        objets = (choix, choix.choices, choix.field.empty_label, choix.field.null_label, choix.field.null_value)
    elif isinstance(choix, (list, tuple)):
        objets = (choix,)
    else:
        return None
    cle = (tuple(map(id, objets)), get_language(), tuple(valeurs), multiple)
    trouve = _memo_options.get(cle)
    if trouve is not None and all(map(operator.is_, trouve[0], objets)):
        return trouve[1]
    options = _options(choix, valeurs, multiple)
    if len(_memo_options) >= MEMO_OPTIONS_MAX:
        _memo_options.clear()
    _memo_options[cle] = (objets, options)
    return options


# The columns of ``sql_des_menus``'s rows after the menu's number, and their types (a NULL of the first part).
_COLONNES = ("valeur", "libelle", "numero", "tri_date", "tri")
_NULS_TYPES = ("CAST(NULL AS VARCHAR(200))", "CAST(NULL AS VARCHAR(200))", "CAST(NULL AS INTEGER)",
               "CAST(NULL AS DATE)", "CAST(NULL AS VARCHAR(200))")


def sql_des_menus(menus):
    """One query (``UNION ALL``) for the options of several menus, for ``ListesLues``: ``menus`` gives, for each
    menu in order, the SQL of its table (with its joins) and of its value, label, number, date and text columns (a
    column's SQL, such as ``sql_colonne``'s, or None). Rows ``(menu, value, label, number, date, text)``, ``menu``
    numbered from 1, each menu's rows ordered by number, date (newest first), then text. Only the models' quoted
    table and column names go into it, never an input."""
    parties = []
    for position, (table, *colonnes) in enumerate(menus, start=1):
        if position == 1:  # the first part gives the columns' names and types
            colonnes = [f"{colonne or nul} AS {nom}"
                        for colonne, nul, nom in zip(colonnes, _NULS_TYPES, _COLONNES, strict=True)]
            parties.append(f"SELECT 1 AS menu, {', '.join(colonnes)} FROM {table}")  # noqa: S608 - quoted names only
        else:
            parties.append(f"SELECT {position}, {', '.join(c or 'NULL' for c in colonnes)} FROM {table}")  # noqa: S608
    return " UNION ALL ".join(parties) + " ORDER BY 1, 4, 5 DESC, 6"


class ListesLues:
    """The options of several model menus of one filter form, read by one query (``UNION ALL``) the first time one
    of them is rendered (never when the form is not shown: feeds, embeds): each menu's own query cost about as much
    CPU on the Django and psycopg side (85 to 100 µs) as writing its options.

    ``sql``: a function returning the query (called with the connection's vendor, at each reading), written by
    ``sql_des_menus``; ``noms``: the menus' names, in the query's order; a row's option is its value and label, or,
    when it has a number and no value (the champs d'action), the number and ``libelle_numero(number, label)``.
    ``installer(form)`` gives the form's menus these options (a ``BaseChoiceIterator`` each, that Django keeps as is
    instead of reading it to normalise it); the form's fields still check a submitted value against their
    querysets."""

    def __init__(self, sql, noms, libelle_numero=None):
        self.sql, self.noms, self.libelle_numero = sql, tuple(noms), libelle_numero
        self._options = None

    def options(self, nom):
        if self._options is None:
            lire_ensemble(self.lecture())
        return self._options[nom]

    def lecture(self):
        """The menus' query as a ``Lecture``, to send it with a page's other queries (``lire_ensemble``) before
        the form is rendered; nothing to read once read."""
        if self._options is not None:
            return Lecture(None, (), lambda lignes: None)
        return Lecture(self.sql(connection.vendor), [], self._garder)

    def instantane(self):
        """The menus' options (read if not yet), hashable: what their HTML depends on."""
        return tuple((nom, tuple(self.options(nom))) for nom in self.noms)

    def _garder(self, lignes):
        options = {menu: [] for menu in self.noms}
        for menu, valeur, libelle, numero, _date, _texte in lignes:
            if valeur is None and numero is not None:
                valeur, libelle = str(numero), self.libelle_numero(numero, libelle)
            options[self.noms[menu - 1]].append((valeur, libelle))
        self._options = options

    def installer(self, form):
        for nom in self.noms:
            form.fields[nom].widget.choices = _ChoixLus(self, nom, form.fields[nom].empty_label)
        return form


class _ChoixLus(BaseChoiceIterator):
    """A menu's choices as a widget iterates them: the empty option, then the options read by ``ListesLues``."""

    def __init__(self, listes, nom, libelle_vide):
        self.listes, self.nom, self.libelle_vide = listes, nom, libelle_vide

    def __iter__(self):
        if self.libelle_vide is not None:
            yield ("", self.libelle_vide)
        yield from self.listes.options(self.nom)


class _OptionsEnLignes(forms.models.ModelChoiceIterator):
    """The options of a model list read as rows: its value column and the columns of its label (``values_list``,
    materialised: no model instance, no server-side cursor; for a whole table, its SQL compiled once:
    ``lignes_de_table``), ``libelle(*colonnes)`` writing the label as the model's ``__str__`` would. A submitted
    value is still checked against the queryset by the field."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        colonnes, libelle = self.field.lignes
        for valeur, *champs in lignes_de_table(self.queryset, [self.field.to_field_name or "pk", *colonnes]):
            yield (valeur, libelle(*champs))


class ChampModeleRapide(ChampModeleDeFiltre):
    """django-filter's model choice field, its options read by ``_OptionsEnLignes``."""

    iterator = _OptionsEnLignes

    def __init__(self, *args, colonnes, libelle=str, **kwargs):
        self.lignes = (tuple(colonnes), libelle)  # before the queryset is set: it builds the options
        super().__init__(*args, **kwargs)


class FiltreModeleRapide(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` rendered with ``SelectRapide`` and options read as rows: ``colonnes`` (the fields the
    label needs) and ``libelle`` (a function of them, the same text as the model's ``__str__``; default: the only
    column as text). The public lists' menus (ateliers with their cycle, communes) built a model instance per
    option at every page."""

    field_class = ChampModeleRapide

    def __init__(self, *args, colonnes, libelle=str, **kwargs):
        kwargs.setdefault("widget", SelectRapide)
        super().__init__(*args, colonnes=colonnes, libelle=libelle, **kwargs)


class FilterSetRapide(django_filters.FilterSet):
    """django-filter's ``FilterSet`` (26.2), built for a page at a lesser cost: its filters are copied shallowly
    (django-filter deep-copies them for every filter set: their widgets, their querysets; a quarter to half a
    millisecond a list page), and its form's class is built once per process and class (django-filter builds a
    class and its fields for every filter set; the fields do not depend on the request, and the form copies them
    anyway). Per request a filter only filters. A method filter gets its own ``FilterMethod``, bound to its copy
    (the original's points to the class's filter, which has no parent).

    Not for a filter set that changes its filters per request (their ``extra``: choices read from the data, a
    queryset of the user's): the copies share them with the class's, and the form's fields are those of the first
    request. The dashboard's ``SuiviFilter`` (its years) stays a ``FilterSet``.

    ``listes_lues``: ``(sql, names, libelle_numero)`` of ``ListesLues`` when the form's model menus are read by one
    query (installed when the form is built); ``lecture_menus()`` gives it as a ``Lecture``, to send with the
    page's other queries (``lire_ensemble``)."""

    listes_lues = None

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for nom, original in self.base_filters.items():
            filtre = copy.copy(original)
            if isinstance(filtre.method, str):
                filtre.method = filtre.method  # a new FilterMethod, bound to this copy
            filtre.model, filtre.parent = queryset.model, self
            self.filters[nom] = filtre

    @property
    def form(self):
        if not hasattr(self, "_form") and self.listes_lues is not None:
            self._listes = ListesLues(*self.listes_lues)
            self._listes.installer(super().form)
        return super().form

    def lecture_menus(self):
        """The query of the form's menus as a ``Lecture`` (``ListesLues.lecture``; nothing without ``listes_lues``)."""
        self.form  # noqa: B018 - builds the form and its menus
        listes = getattr(self, "_listes", None)
        return listes.lecture() if listes is not None else Lecture(None, (), lambda lignes: None)

    def get_form_class(self):
        classe = type(self).__dict__.get("_classe_du_formulaire")
        if classe is None:
            classe = super().get_form_class()
            classe.base_fields = ChampsACopieLegere(classe.base_fields)
            type(self)._classe_du_formulaire = classe
        return classe


# What each form gets of its class's fields (``BaseForm.__init__`` deep-copies ``base_fields``): Django's deep copy
# also copies the choices (their lazy labels one by one) and clones the model lists' querysets, a quarter of a
# millisecond for the agenda's filters. The filters' forms set nothing in those per request (the agenda replaces
# a widget's choices, it does not change them in place): each form gets its own field and widget objects, with
# their own attributes, error messages and validators, and shares the choices and querysets. Fields and widgets
# that copy more than these (a ``MultiValueField``'s sub-fields, a ``MultiWidget``'s widgets) are deep-copied.
_COPIES_DE_CHAMP = {forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__, forms.ModelChoiceField.__deepcopy__}
_COPIES_DE_WIDGET = {forms.Widget.__deepcopy__, forms.widgets.ChoiceWidget.__deepcopy__}


def copie_legere(champ, memo=None):
    """A copy of the form field ``champ`` for one form (see above)."""
    widget = champ.widget
    if type(champ).__deepcopy__ not in _COPIES_DE_CHAMP or type(widget).__deepcopy__ not in _COPIES_DE_WIDGET:
        return copy.deepcopy(champ, memo)
    copie = copy.copy(champ)
    copie.widget = copy.copy(widget)
    copie.widget.attrs = dict(widget.attrs)
    copie.error_messages = dict(champ.error_messages)
    copie.validators = list(champ.validators)
    if isinstance(champ, forms.ModelChoiceField):
        copie.widget.choices = copie.choices  # its options iterator reads this field, as after Django's copy
    return copie


class ChampsACopieLegere(dict):
    """A form class's ``base_fields`` whose deep copy (one per form) is ``copie_legere`` of each field."""

    def __deepcopy__(self, memo):
        return {nom: copie_legere(champ, memo) for nom, champ in self.items()}
