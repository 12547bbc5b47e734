"""Template builtins memoised (conseil_ess/gabarits_memo.py): every template uses them, and they write what
Django's own write. ``date``: dates, datetimes in several time zones, ambiguous and skipped times, each format the
templates use and each language. ``url``: every URL name the templates give, with arguments, ``as``, errors,
objects as arguments, the script prefix and the URL configuration (how much faster: README « Performances »)."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.template import defaultfilters as django
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone, translation

from conseil_ess import gabarits_memo

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _formats_des_gabarits():
    """Every format given to ``|date:`` in the project's templates."""
    formats = set()
    for gabarit in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for guillemet, format_ in re.findall(r"""\|date:(["'])(.*?)\1""", gabarit.read_text()):
            formats.add(format_)
    return formats


def _valeurs():
    ete = datetime.datetime(2026, 7, 14, 18, 30, tzinfo=UTC)
    return [
        datetime.date(2026, 11, 1), datetime.date(2027, 2, 28),
        ete, ete.astimezone(PARIS), ete.astimezone(NEW_YORK),  # the same instant in three zones
        datetime.datetime(2026, 10, 25, 2, 30, tzinfo=PARIS),  # ambiguous: twice in Paris
        datetime.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS),
        datetime.datetime(2026, 3, 29, 2, 30, tzinfo=PARIS),  # skipped by the clocks
        datetime.datetime(2026, 12, 31, 23, 59, 59),  # naive
        datetime.time(9, 5), "pas une date", None, "",
    ]


def _resultat(filtre, valeur, format_):
    """What ``filtre`` writes, or the error it raises (a time format for a date: Django refuses it)."""
    try:
        return filtre(valeur, format_)
    except TypeError as erreur:
        return ("erreur", str(erreur))


def test_le_filtre_date_des_gabarits_est_celui_du_projet():
    moteur = engines["django"].engine
    assert Template("{{ v|date:'Y' }}", engine=moteur).nodelist[0].filter_expression.filters[0][0] is gabarits_memo.date
    assert gabarits_memo.date.expects_localtime and not gabarits_memo.date.is_safe


def test_meme_texte_que_le_filtre_de_django():
    formats = _formats_des_gabarits() | {None, "DATE_FORMAT", "SHORT_DATETIME_FORMAT", "c", "e", "O", "T", "U", "I"}
    assert {"j F Y", "c", "Y-m-d"} <= formats
    compares = 0
    for langue in ("fr", "en"):
        with translation.override(langue):
            for _ in range(2):  # the second time from the cache
                for valeur in _valeurs():
                    for format_ in formats:
                        assert _resultat(gabarits_memo.date, valeur, format_) == _resultat(django.date, valeur, format_)
                        compares += 1
    assert compares > 500


def test_dans_un_gabarit_selon_le_fuseau_courant():
    gabarit = Template('{% load tz %}{{ v|date:"j F Y H:i T" }}|{% timezone "America/New_York" %}'
                       '{{ v|date:"j F Y H:i T" }}{% endtimezone %}', engine=engines["django"].engine)
    moment = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=UTC)
    with translation.override("fr"), timezone.override(PARIS):
        assert gabarit.render(Context({"v": moment})) == "1 novembre 2026 04:30 CET|31 octobre 2026 23:30 EDT"
    with translation.override("en"), timezone.override(PARIS):
        assert gabarit.render(Context({"v": moment})).startswith("1 November 2026 04:30")


# --- url ---------------------------------------------------------------------------------------------------

def _rendu(source, contexte=None):
    return Template("{% load i18n %}" + source, engine=engines["django"].engine).render(Context(contexte or {}))


def test_la_balise_url_des_gabarits_est_celle_du_projet():
    assert isinstance(Template("{% url 'home:recherche' %}", engine=engines["django"].engine).nodelist[0],
                      gabarits_memo.URLMemoisee)


def test_chaque_url_sans_argument_des_gabarits():
    noms = set()
    for gabarit in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        noms |= set(re.findall(r"\{% url '([^']+)' %\}", gabarit.read_text()))
    assert len(noms) > 15
    for _ in range(2):  # the second time from the cache
        for nom in noms:
            assert _rendu(f"{{% url '{nom}' %}}") == reverse(nom)
    avant = gabarits_memo._reverse.cache_info().hits
    _rendu("{% url 'home:recherche' %}")
    assert gabarits_memo._reverse.cache_info().hits == avant + 1


def test_arguments_as_et_erreurs(monkeypatch):
    assert _rendu("{% url 'ateliers:detail' slug %}", {"slug": "ess-quartiers"}) == reverse(
        "ateliers:detail", args=["ess-quartiers"])
    assert _rendu("{% url 'ateliers:detail' slug=s %}", {"s": "autre"}) == "/ateliers/autre/"
    assert _rendu("{% url 'ateliers:reunion' 'a' 3 %}") == reverse("ateliers:reunion", args=["a", 3])
    assert _rendu("{% url 'ateliers:detail' v %}", {"v": 1}) == "/ateliers/1/"
    assert _rendu("{% url 'ateliers:detail' v %}", {"v": True}) == "/ateliers/True/"  # not the key of 1
    assert _rendu("{% url 'ateliers:detail' s as lien %}[{{ lien }}]", {"s": "x"}) == "[/ateliers/x/]"
    assert _rendu("{% url 'nom-inconnu' as lien %}[{{ lien }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        _rendu("{% url 'nom-inconnu' %}")
    with pytest.raises(NoReverseMatch):  # an error is not kept: raised each time
        _rendu("{% url 'nom-inconnu' %}")
    # An object as argument: its str() each time, not a value kept for an equal object.

    class Objet:
        def __init__(self, texte):
            self.texte = texte

        def __str__(self):
            return self.texte

        def __eq__(self, autre):
            return True

        def __hash__(self):
            return 1

    assert _rendu("{% url 'ateliers:detail' o %}", {"o": Objet("un")}) == "/ateliers/un/"
    assert _rendu("{% url 'ateliers:detail' o %}", {"o": Objet("deux")}) == "/ateliers/deux/"
    # Escaped as Django does.
    assert _rendu("{% url 'home:recherche' %}?q={{ q }}", {"q": "<b>"}) == "/recherche/?q=&lt;b&gt;"


def test_le_prefixe_et_la_configuration_d_url_font_partie_de_la_cle(settings):
    assert _rendu("{% url 'home:recherche' %}") == "/recherche/"
    set_script_prefix("/sous-site/")
    try:
        assert _rendu("{% url 'home:recherche' %}") == "/sous-site/recherche/"
    finally:
        set_script_prefix("/")
    assert _rendu("{% url 'home:recherche' %}") == "/recherche/"
    settings.ROOT_URLCONF = "tests.plateforme.urls_reduites"
    assert _rendu("{% url 'home:recherche' %}") == "/ailleurs/recherche/"


# --- {% translate %} (conseil_ess/i18n_memo.py) ---------------------------------------------------------------

TRADUCTIONS = [
    '{% translate "Monday" %}',  # Django's catalogue: « lundi » in French
    '{% translate "Filtrer" %}',
    '{% translate "Se connecter" %}|{% translate "Se connecter" %}',
    '{% translate "Filtrer" noop %}',
    '{% translate "Rechercher" as libelle %}[{{ libelle }}]{% translate "Filtrer" as libelle %}[{{ libelle }}]',
    '{% translate "Tom & Jerry <b>" %}',
    '{% autoescape off %}{% translate "Tom & Jerry <b>" %}{% endautoescape %}',
    '{% translate "100%% sûr" %}',
    '{% translate texte %}',
    '{% translate "Filtrer"|upper %}',
    '{% translate "May" context "month name" %}',
    '{% trans "Filtrer" %}',
]


@pytest.mark.parametrize("source", TRADUCTIONS)
def test_translate_memoise_ecrit_ce_qu_ecrit_django(source, settings):
    """Every form of the tag, in two languages, rendered twice (the second from the memo), against Django's own
    library (an engine without the override)."""
    from django.template import Library
    from django.template.engine import Engine
    from django.templatetags import i18n as i18n_django

    from conseil_ess import i18n_memo

    projet = engines["django"].engine
    assert projet.template_libraries["i18n"].tags["translate"] is i18n_memo.translate
    django_seul = Engine(libraries={"i18n": "django.templatetags.i18n"})
    originale = Library()
    originale.tags = {**i18n_django.register.tags, **i18n_memo.ORIGINAUX}
    originale.filters = i18n_django.register.filters
    django_seul.template_libraries["i18n"] = originale
    for langue in ("fr", "en", "fr"):
        with translation.override(langue):
            for _ in range(2):
                contexte = {"texte": "Filtrer"}
                obtenu = projet.from_string("{% load i18n %}" + source).render(Context(contexte))
                attendu = django_seul.from_string("{% load i18n %}" + source).render(Context(contexte))
                assert obtenu == attendu, (langue, source)
    assert any(cle[2] == "en" for cle in i18n_memo._memo) and any(cle[2] == "fr" for cle in i18n_memo._memo)
    if source == TRADUCTIONS[0]:
        with translation.override("fr"):
            assert projet.from_string("{% load i18n %}" + source).render(Context()) == "lundi"


def test_translate_memoise_oublie_quand_les_reglages_changent(settings):
    from conseil_ess import i18n_memo

    with translation.override("fr"):
        engines["django"].from_string('{% load i18n %}{% translate "Filtrer" %}').render({})
    assert i18n_memo._memo
    settings.LANGUAGES = [("fr", "Français"), ("en", "English")]
    assert not i18n_memo._memo


# --- {% blocktranslate %} (conseil_ess/i18n_memo.py) ----------------------------------------------------------

BLOCS = [
    "{% blocktranslate count n=nombre %}{{ n }} proposition{% plural %}{{ n }} propositions{% endblocktranslate %}",
    "{% blocktranslate with n=page total=pages %}Page {{ n }} sur {{ total }}{% endblocktranslate %}",
    "{% blocktranslate %}Bonjour {{ nom }} !{% endblocktranslate %}",
    "{% blocktranslate trimmed with d=jour|date:'j F Y' %}\n  Le {{ d }}\n{% endblocktranslate %}",
    "{% blocktranslate with x=valeur %}[{{ x }}] 100% {{ x }}{% endblocktranslate %}",
    "{% blocktranslate with x=valeur asvar phrase %}[{{ x }}]{% endblocktranslate %}<{{ phrase }}>",
    "{% autoescape off %}{% blocktranslate with x=valeur %}[{{ x }}]{% endblocktranslate %}{% endautoescape %}",
    "{% localize off %}{% blocktranslate with x=valeur %}[{{ x }}]{% endblocktranslate %}{% endlocalize %}",
    "{% blocktranslate with x=absente %}[{{ x }}]{% endblocktranslate %}{% blocktranslate %}[{{ absente }}]"
    "{% endblocktranslate %}",
    '{% blocktranslate context "month name" with x=valeur %}May {{ x }}{% endblocktranslate %}',
    "{% blocktrans count counter=nombre %}{{ counter }} an{% plural %}{{ counter }} ans{% endblocktrans %}",
]
VALEURS = [
    "Tom & Jerry <b>", "Tom & Jerry <b>", 0, 1, 2, 1234567, 3.5, 1234.5678, None, datetime.date(2026, 11, 3),
    translation.gettext_lazy("Monday"),
]


@pytest.mark.parametrize("source", BLOCS)
def test_blocktranslate_memoise_ecrit_ce_qu_ecrit_django(source, settings):
    """Every form of the tag, with values of every kind (safe or not, numbers localised, dates, lazy texts,
    missing), in two languages, rendered twice (the second from the memo), against Django's own tag."""
    from decimal import Decimal

    from django.template import Library
    from django.template.engine import Engine
    from django.templatetags import i18n as i18n_django
    from django.utils.safestring import mark_safe

    from conseil_ess import i18n_memo

    projet = engines["django"].engine
    assert projet.template_libraries["i18n"].tags["blocktranslate"] is i18n_memo.blocktranslate
    django_seul = Engine(libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n"})
    originale = Library()
    originale.tags = {**i18n_django.register.tags, **i18n_memo.ORIGINAUX}
    originale.filters = i18n_django.register.filters
    django_seul.template_libraries["i18n"] = originale
    valeurs = [*VALEURS, mark_safe("<i>sûr</i>"), Decimal("1234.50"), Decimal("1.0"), Decimal("1.00"), 0.0, -0.0,
               True, 1]
    valeurs[1] = mark_safe(valeurs[1])
    entete = "{% load i18n l10n %}"
    # One template of each engine, rendered again and again: the project's nodes keep their texts.
    gabarit, reference = projet.from_string(entete + source), django_seul.from_string(entete + source)
    for langue in ("fr", "en", "fr"):
        with translation.override(langue):
            for valeur in valeurs:
                nombre = valeur if isinstance(valeur, int) else 3
                contexte = {"nombre": nombre, "page": valeur, "pages": 12, "nom": valeur, "valeur": valeur,
                            "jour": datetime.date(2026, 11, 3)}
                for echappement in (True, False, True):
                    obtenu = gabarit.render(Context(contexte, autoescape=echappement))
                    attendu = reference.render(Context(contexte, autoescape=echappement))
                    assert obtenu == attendu, (langue, valeur, echappement, source)
    gardes = [n for n in gabarit.nodelist.get_nodes_by_type(i18n_memo.BlocMemoise) if n.__dict__.get("_memo")]
    assert bool(gardes) is ("context" not in source)  # a ``context`` goes through Django's node


def test_blocktranslate_garde_par_noeud_et_oublie_quand_les_reglages_changent(settings):
    from conseil_ess import i18n_memo

    gabarit = engines["django"].from_string(
        "{% load i18n %}{% blocktranslate count n=nombre %}{{ n }} an{% plural %}{{ n }} ans{% endblocktranslate %}")
    noeud = next(n for n in gabarit.template.nodelist if isinstance(n, i18n_memo.BlocMemoise))
    with translation.override("fr"):
        assert [gabarit.render({"nombre": n}) for n in (1, 2, 1234)] == ["1 an", "2 ans", "1234 ans"]
        assert len(noeud._memo[1]) == 3
        settings.USE_THOUSAND_SEPARATOR = True
        assert gabarit.render({"nombre": 1234}) == "1\xa0234 ans"
        assert len(noeud._memo[1]) == 1  # the settings changed: the earlier texts were left behind


# --- {% static %} (conseil_ess/gabarits_memo.py) -------------------------------------------------------------

def test_static_memoise_ecrit_ce_qu_ecrit_django(settings):
    from django.templatetags.static import StaticNode
    from django.utils.html import conditional_escape

    projet = engines["django"].engine
    assert projet.template_libraries["static"].tags["static"] is gabarits_memo.static
    for chemin in ("css/site.css", "js/menu.js", "images/logo ESS.svg", "a&b.css"):
        for _ in range(2):
            rendu = engines["django"].from_string(
                "{% load static %}{% static chemin %}|{% static chemin as u %}[{{ u }}]").render({"chemin": chemin})
            url = StaticNode.handle_simple(chemin)
            assert rendu == f"{conditional_escape(url)}|[{conditional_escape(url)}]"
    assert ("js/menu.js", "/") in gabarits_memo._statiques
    settings.STATIC_URL = "/autre/"
    assert not gabarits_memo._statiques
    assert engines["django"].from_string("{% load static %}{% static 'js/menu.js' %}").render({}) == "/autre/js/menu.js"
    set_script_prefix("/prefixe/")
    try:
        settings.STATIC_URL = "statiques/"  # relative: the script prefix is part of it
        for prefixe in ("/prefixe/", "/", "/prefixe/"):
            set_script_prefix(prefixe)
            rendu = engines["django"].from_string("{% load static %}{% static 'js/menu.js' %}").render({})
            assert rendu == StaticNode.handle_simple("js/menu.js")
            assert ("js/menu.js", prefixe) in gabarits_memo._statiques
    finally:
        set_script_prefix("/")
