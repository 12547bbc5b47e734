"""Agenda template tags: French date ranges, the subscribe block, the next events."""

import datetime
import functools
from html import escape as echapper

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_noop, ngettext
from django.utils.translation import gettext as _

from conseil_ess.comptes.models import Commune
from conseil_ess.prechargement import lecture_instances_filtrees_a, lies, lire_ensemble

from ..filters import PARIS, evenements_visibles
from ..models import Evenement, Lieu, TypeEvenement

register = template.Library()


# Dates and hours are formatted once per process and language: a month or a programme shows the same few
# dozen days and hours hundreds of times, and each formatting goes through several translation look-ups.
@functools.lru_cache(maxsize=2048)
def _jour_langue(jour, annee, _langue):
    numero = _("1er") if jour.day == 1 else str(jour.day)
    mois = date_format(jour, "F Y" if annee else "F")
    return f"{date_format(jour, 'l')} {numero} {mois}"


def _jour(jour, annee=True):
    """Return "mardi 3 novembre 2026" (French "1er" for the first of the month)."""
    return _jour_langue(jour, annee, get_language())


@functools.lru_cache(maxsize=512)
def _heure_langue(heures, minutes, _langue):
    if minutes:
        return _("%(h)s\u00a0h\u00a0%(m)02d") % {"h": heures, "m": minutes}
    return _("%(h)s\u00a0h") % {"h": heures}


def heure(moment):
    """Return a French clock time: "18 h 30", "9 h" (non-breaking spaces: a time never wraps)."""
    return _heure_langue(moment.hour, moment.minute, get_language())


@functools.lru_cache(maxsize=16)
def _libelles_types(_langue):
    return {valeur: str(libelle) for valeur, libelle in TypeEvenement.choices}


@register.filter
def type_evenement(evenement):
    """Return the label of the event's type, like ``get_type_display`` without its cost (lazy labels
    hashed on every call): the labels are resolved once per language."""
    return _libelles_types(get_language()).get(evenement.type, evenement.type)


@register.filter
def iso(moment):
    """Return a datetime in local time, ISO 8601 (as ``|date:"c"``), for ``<time datetime>``."""
    return timezone.localtime(moment).isoformat() if isinstance(moment, datetime.datetime) else moment.isoformat()


# The small pieces of every event card, written here rather than as included templates: an include costs
# more than the rest of a card, and a month or a programme has a hundred cards or more. Their labels are
# translated and escaped once per language (``_libelles``).
_STATUTS = {
    "annule": ("etiquette etiquette--annule", gettext_noop("Annulé")),
    "reporte": ("etiquette etiquette--attente", gettext_noop("Reporté")),
    "complet": ("etiquette etiquette--attente", gettext_noop("Complet")),
    "a_confirmer": ("etiquette etiquette--attente", gettext_noop("À confirmer")),
}
_ACCES = (
    ("boucle_magnetique", gettext_noop("Boucle magnétique")),
    ("interpretation_lsf", gettext_noop("LSF")),
    ("sous_titrage", gettext_noop("Sous-titrage")),
    ("facile_a_lire", gettext_noop("FALC")),
)


def _etiquette(texte):
    return f' <span class="etiquette">{escape(texte)}</span>'


@functools.lru_cache(maxsize=16)
def _libelles(_langue):
    """The cards' fixed texts in the current language, translated and HTML-escaped once."""
    return {
        "statuts": {statut: f'<span class="{classe}">{escape(_(libelle))}</span>'
                    for statut, (classe, libelle) in _STATUTS.items()},
        "reservee_atelier": _etiquette(_("Réservée aux membres de l'atelier")),
        "reserve": _etiquette(_("Réservé aux personnes connectées")),
        "en_ligne": _("En ligne"),
        "et_en_ligne": _("et en ligne"),
        "fauteuil": escape(_("Accessible en fauteuil roulant")),
        "acces": tuple((champ, escape(_(libelle))) for champ, libelle in _ACCES),
        "acces_titre": escape(_("Accessibilité")),
        "annule": f'<span class="sr-only">{escape(_("Annulé :"))} </span>',
        "gratuit": escape(_("Gratuit")),
        "payant": escape(_("Payant")),
        "organise_par": escape(_("Organisé par")),
        "types": {valeur: escape(libelle) for valeur, libelle in _libelles_types(_langue).items()},
    }


def _html_statut(evenement, libelles):
    html = libelles["statuts"].get(evenement.statut, "")
    if evenement.visibilite == "membres":
        reunion = getattr(evenement, "type", None) == "reunion_atelier"
        html += libelles["reservee_atelier"] if reunion else libelles["reserve"]
    return html


@register.filter
def etiquettes_statut(evenement):
    """The status badge (cancelled, postponed, full, to be confirmed) and the "reserved" one."""
    return mark_safe(_html_statut(evenement, _libelles(get_language())))  # noqa: S308 - labels escaped


def _lieu_court(evenement, libelles):
    if evenement.mode == "en_ligne":
        return libelles["en_ligne"]
    lieu = evenement.lieu
    texte = ""
    if lieu and not lieu.en_ligne:
        texte = lieu.nom
    elif evenement.precision_lieu:
        texte = evenement.precision_lieu
    commune = evenement.commune
    if commune:
        texte = f"{texte}, {commune.nom}" if (lieu or evenement.precision_lieu) else commune.nom
    if evenement.mode == "hybride":
        texte = f"{texte} {libelles['et_en_ligne']}"
    return texte


@register.filter
def lieu_court(evenement):
    """Where, in one line: the place (or its precision) and the commune; "En ligne" for an online event."""
    return _lieu_court(evenement, _libelles(get_language()))


def _html_acces(evenement, libelles):
    items = [libelles["fauteuil"]] if evenement.accessibilite == "oui" else []
    items += [libelle for champ, libelle in libelles["acces"] if getattr(evenement, champ)]
    if not items:
        return ""
    lignes = "".join(f'\n  <li class="etiquette">{libelle}</li>' for libelle in items)
    return f'<ul class="acces" aria-label="{libelles["acces_titre"]}">{lignes}\n</ul>'


@register.filter
def etiquettes_acces(evenement):
    """The accessibility badges of an event, as a list; nothing when it has none."""
    return mark_safe(_html_acces(evenement, _libelles(get_language())))  # noqa: S308 - labels escaped


@register.filter
def structures_organisatrices(evenement):
    """Return the event's structures, read from the prefetch when there is one (no queryset per event)."""
    return list(lies(evenement, "structures"))


def bornes_locales(evenement):
    """Return the local start, the local end and the last local day an event covers (``fin`` is exclusive)."""
    debut = timezone.localtime(evenement.debut, PARIS)
    fin = timezone.localtime(evenement.fin, PARIS)
    return debut, fin, (fin - datetime.timedelta(microseconds=1)).date()


def sur_plusieurs_jours(evenement):
    debut, _fin, dernier = bornes_locales(evenement)
    return dernier != debut.date()


@register.filter
def plage_dates(evenement):
    """Return when an event takes place, in French, in Europe/Paris time."""
    return _quand(evenement.debut, evenement.fin, evenement.journee_entiere, False, get_language())


@register.filter
def horaire(evenement):
    """Return the time of day of an event for a list grouped by day: "18 h 30 – 21 h" or "Toute la journée"."""
    return _quand(evenement.debut, evenement.fin, evenement.journee_entiere, True, get_language())


# A pure function of the dates (in Europe/Paris time) and the language, kept per process: a month or a
# programme repeats the same slots, and each text costs several time-zone conversions and translations.
@functools.lru_cache(maxsize=8192)
def _quand(debut, fin, journee_entiere, horaire_seul, langue):
    debut = timezone.localtime(debut, PARIS)
    fin = timezone.localtime(fin, PARIS)
    dernier = (fin - datetime.timedelta(microseconds=1)).date()
    if horaire_seul and journee_entiere:
        return _("Toute la journée")
    if horaire_seul and dernier == debut.date():
        return f"{_heure_langue(debut.hour, debut.minute, langue)} – {_heure_langue(fin.hour, fin.minute, langue)}"
    if journee_entiere:
        if dernier == debut.date():
            return _("%(jour)s, toute la journée") % {"jour": _jour(debut.date())}
        return _("du %(premier)s au %(dernier)s") % {
            "premier": _jour(debut.date(), annee=debut.year != dernier.year),
            "dernier": _jour(dernier),
        }
    if dernier == debut.date():
        fin_texte = _("minuit") if fin.time() == datetime.time() else heure(fin)
        return _("%(jour)s, de %(debut)s à %(fin)s") % {
            "jour": _jour(debut.date()),
            "debut": heure(debut),
            "fin": fin_texte,
        }
    return _("du %(premier)s à %(debut)s au %(dernier)s à %(fin)s") % {
        "premier": _jour(debut.date()),
        "debut": heure(debut),
        "dernier": _jour(fin.date()),
        "fin": heure(fin),
    }


@register.filter
def jour_long(jour):
    return _jour(jour)


@register.filter
def horaire_creneau(creneau):
    """Return a time slot's hours: "10 h 45 – 12 h 30"."""
    return f"{heure(timezone.localtime(creneau.debut, PARIS))} – {heure(timezone.localtime(creneau.fin, PARIS))}"


@register.filter
def periode_programme(programme):
    """Return a programme's days: "jeudi 4 février 2027" or "du dimanche 1er novembre au lundi 30 novembre 2026"."""
    if programme.date_debut == programme.date_fin:
        return _jour(programme.date_debut)
    return _("du %(premier)s au %(dernier)s") % {
        "premier": _jour(programme.date_debut, annee=programme.date_debut.year != programme.date_fin.year),
        "dernier": _jour(programme.date_fin),
    }


@register.filter
def webcal(url):
    """Return the ``webcal://`` twin of an http(s) URL (calendar apps subscribe to it)."""
    return "webcal://" + url.split("://", 1)[-1]


# The "S'abonner" and "Intégrer à votre site" blocks (``includes/abonnement.html`` and ``integration.html``,
# kept as the reference of their HTML), written here: two included templates of a dozen translated texts were a
# tenth of the agenda page. Their texts are translated once per language.
@functools.lru_cache(maxsize=16)
def _textes_blocs(_langue):
    # Not escaped, as ``{% translate "…" %}`` does not escape a literal (the catalog is trusted).
    return {cle: str(texte) for cle, texte in {
        "abonner": _("S'abonner"),
        "explication": _("Ajoutez ces événements à votre application d'agenda (téléphone, messagerie, agenda en "
                         "ligne) : elle les mettra à jour d'elle-même, y compris les changements d'horaire et les "
                         "annulations."),
        "bouton": _("S'abonner dans mon application d'agenda"),
        "copier_adresse": _("Ou copiez cette adresse dans votre agenda en ligne (« ajouter un agenda à partir d'une "
                            "URL ») :"),
        "copier": _("Copier l'adresse"),
        "telecharger": _("Télécharger le fichier .ics"),
        "integrer": _("Intégrer à votre site"),
        "collez": _("Collez ce code dans une page de votre site : ces événements s'y afficheront, à jour, avec les "
                    "mêmes filtres."),
        "titre_iframe": _("Agenda de l'ESS de Rivebelle Métropole"),
        "copier_code": _("Copier le code"),
        "apercu": _("Voir l'aperçu de l'agenda intégré"),
    }.items()}


@register.simple_tag(takes_context=True)
def abonnement(context, chemin, titre=None, identifiant="abonnement"):
    """Render the "S'abonner" block for the iCal feed at ``chemin`` (a path, with its query string)."""
    brute = context["request"].build_absolute_uri(chemin)
    url, url_webcal = escape(brute), escape(webcal(brute))
    t, ident = _textes_blocs(get_language()), escape(identifiant)
    suite = f" – {conditional_escape(titre)}" if titre else ""
    return mark_safe(  # noqa: S308 - every text escaped
        f'<section class="abonnement" aria-labelledby="{ident}-titre" data-abonnement>\n'
        f'  <h2 id="{ident}-titre">{t["abonner"]}{suite}</h2>\n'
        f'  <p>{t["explication"]}</p>\n'
        f'  <p><a class="bouton" href="{url_webcal}">{t["bouton"]}</a></p>\n'
        f'  <p><label for="{ident}-url">{t["copier_adresse"]}</label>\n'
        f'    <span class="abonnement__copie">\n'
        f'      <input id="{ident}-url" type="url" readonly value="{url}" data-copie-source>\n'
        f'      <button type="button" class="bouton--secondaire" data-copie hidden>{t["copier"]}</button>\n'
        f"    </span>\n"
        f'    <span class="aide" data-copie-etat aria-live="polite"></span>\n'
        f"  </p>\n"
        f'  <p class="aide"><a href="{url}">{t["telecharger"]}</a></p>\n'
        f"</section>\n"
    )


@register.simple_tag(takes_context=True)
def integration(context, requete=""):
    """Render the "Intégrer à votre site" block: the <iframe> snippet of /agenda/integrer/ with these filters."""
    chemin = reverse("evenements:integrer") + (f"?{requete}" if requete else "")
    url = escape(context["request"].build_absolute_uri(chemin))
    t = _textes_blocs(get_language())
    return mark_safe(  # noqa: S308 - every text escaped
        '<section class="abonnement" aria-labelledby="integration-titre" data-integration'
        ' data-copie-message="Code copié.">\n'
        f'  <h2 id="integration-titre">{t["integrer"]}</h2>\n'
        f'  <p><label for="integration-code">{t["collez"]}</label></p>\n'
        '  <textarea id="integration-code" class="integration__code" rows="4" readonly data-copie-source>'
        f'&lt;iframe src="{url}" title="{t["titre_iframe"]}" width="100%" height="600" style="border:0"'
        ' loading="lazy"&gt;&lt;/iframe&gt;</textarea>\n'
        f'  <button type="button" class="bouton--secondaire" data-copie hidden>{t["copier_code"]}</button>\n'
        '  <span class="aide" data-copie-etat aria-live="polite"></span>\n'
        f'  <p class="aide"><a href="{url}">{t["apercu"]}</a></p>\n'
        "</section>\n"
    )


# What a line of ``prochains_evenements`` shows: its link, dates, place (``lieu_court``) and badges.
_CHAMPS_PROCHAINS = (
    "titre", "slug", "type", "debut", "fin", "journee_entiere", "mode", "precision_lieu", "statut", "visibilite",
)
_LIES_PROCHAINS = (("l", Lieu, ("nom", "en_ligne"), "lieu"), ("c", Commune, ("nom",), "commune"))


def _prochains(maintenant):
    return (evenements_visibles(None).a_venir(maintenant).filter(parent__isnull=True)
            .exclude(statut=Evenement.Statut.ANNULE))


@register.inclusion_tag("evenements/includes/prochains_evenements.html", takes_context=True)
def prochains_evenements(context, n=3, evenements=None):
    """Render the next ``n`` published public events (home page): only the fields their lines show, with their
    place and commune, by a query written around the ORM's WHERE (``instances_filtrees``: compiling the whole query,
    two joins, cost a twentieth of the home page), once per process (``instances_filtrees_a``: building the
    queryset and its WHERE cost a tenth of the page), the instant of the request put in it. ``evenements``: those
    events when the page read them already (``lecture_prochains_evenements``, with its other queries)."""
    if evenements is None:
        (evenements,) = lire_ensemble(lecture_prochains_evenements(n))
    return {"evenements": evenements, "request": context.get("request")}


def lecture_prochains_evenements(n=3):
    """The query of ``prochains_evenements``, as a ``Lecture`` (``lire_ensemble``)."""
    return lecture_instances_filtrees_a(
        "agenda.prochains", _prochains, timezone.now(), _CHAMPS_PROCHAINS, ("debut", "pk"), lies=_LIES_PROCHAINS,
        tranche=(0, int(n)),
    )


@functools.lru_cache(maxsize=32)
def _modele_url_evenement(_urlconf, _prefixe):
    return reverse("evenements:detail", args=["jalon-de-slug"])


@register.simple_tag
def carte_evenement(evenement, niveau=2, horaire_seul=False, sans_programme=False):
    """Render an event's card (lists, month, programme, embeds), written here rather than in a template: a
    month or a large programme holds a hundred cards or more, and the template engine made them most of the
    page's cost. ``evenement``: an ``Evenement`` or a ``cartes.Carte``; ``niveau``: its heading level (2 or
    3)."""
    return mark_safe(_cartes([evenement], "", niveau, horaire_seul, sans_programme))  # noqa: S308 - escaped


@register.simple_tag
def cartes_evenements(evenements, niveau=2, horaire_seul=False, sans_programme=False):
    """Render the cards of ``evenements`` as the items of a list (``<li>…</li>`` each) in one call: one
    template tag per card cost as much as the card itself in a month of a hundred events."""
    return mark_safe(_cartes(evenements, "\n  <li>", niveau, horaire_seul, sans_programme))  # noqa: S308 - escaped


def _cartes(evenements, ouvrante, niveau, horaire_seul, sans_programme):
    """The HTML of the cards, each after ``ouvrante`` (and closed by ``</li>`` if it opens one). What every card
    shares (language, labels, time zone, the events' URL pattern) is looked up once."""
    langue = get_language()
    contexte = (_libelles(langue), langue, timezone.get_current_timezone(),
                _modele_url_evenement(get_urlconf(), get_script_prefix()).split("jalon-de-slug"))
    fermante = "</li>" if ouvrante else ""
    return "".join(f"{ouvrante}{_carte(e, *contexte, niveau, horaire_seul, sans_programme)}{fermante}"
                   for e in evenements)


def _carte(evenement, libelles, langue, fuseau, url, niveau, horaire_seul, sans_programme):
    """The HTML of a card: every text of the event escaped here (``html.escape``, as Django's ``escape``),
    fixed labels once per language (``_libelles``); ``url``: the event URL's pattern around its slug."""
    annule = evenement.statut == "annule"
    h = "h3" if niveau == 3 else "h2"
    quand = _quand(evenement.debut, evenement.fin, evenement.journee_entiere, bool(horaire_seul), langue)
    prix = libelles["gratuit"] if evenement.gratuit else (echapper(evenement.tarif) if evenement.tarif
                                                           else libelles["payant"])
    programme = ""
    if evenement.programme_id and not sans_programme:
        programme = f'\n    <span class="etiquette">{echapper(evenement.programme.titre)}</span>'
    noms = getattr(evenement, "noms_structures", None)
    if noms is None:
        noms = [s.nom for s in structures_organisatrices(evenement)]
    if evenement.organisateurs_texte:
        noms = [*noms, evenement.organisateurs_texte]
    orga = f'\n  <p class="evenement__orga">{libelles["organise_par"]} {echapper(", ".join(noms))}</p>' if noms else ""
    resume = f"\n  <p>{echapper(evenement.resume)}</p>" if evenement.resume else ""
    motif = (f'\n  <p class="evenement__motif">{echapper(evenement.motif_statut)}</p>'
             if annule and evenement.motif_statut else "")
    type_html = libelles["types"].get(evenement.type) or echapper(evenement.type)
    return (
        f'<article class="carte evenement{" evenement--annule" if annule else ""}">\n'
        f'  <{h} class="evenement__titre"><a href="{echapper(evenement.slug.join(url))}">'
        f'{libelles["annule"] if annule else ""}{echapper(evenement.titre)}</a></{h}>\n'
        f'  <p class="evenement__quand"><time datetime="{evenement.debut.astimezone(fuseau).isoformat()}">'
        f"{echapper(quand)}</time></p>\n"
        f'  <p class="evenement__ou">{echapper(_lieu_court(evenement, libelles))}</p>\n'
        f'  <p class="evenement__infos"><span class="etiquette">{type_html}</span>\n'
        f"    {_html_statut(evenement, libelles)}\n"
        f'    <span class="etiquette">{prix}</span>{programme}</p>{orga}{resume}{motif}\n'
        f"  {_html_acces(evenement, libelles)}\n</article>"
    )


@register.simple_tag
def sections_des_jours(jours):
    """The month's days (``[(jour, evenements)]``), each a section with its heading and cards, in one tag: a
    month has thirty of them, each a dozen template nodes."""
    parties = []
    for jour, evenements in jours:
        iso, cartes = jour.isoformat(), _cartes(evenements, "\n  <li>", 3, True, False)
        parties.append(
            f'\n<section class="jour" id="jour-{iso}" aria-labelledby="titre-jour-{iso}">\n'
            f'  <h2 id="titre-jour-{iso}">{echapper(_jour(jour))}</h2>\n'
            f'  <ul class="liste-evenements">{cartes}</ul>\n</section>'
        )
    return mark_safe("".join(parties))  # noqa: S308 - the day's name escaped, the cards by _carte


@register.simple_tag
def lignes_calendrier(semaines):
    """The rows of the month's calendar (``semaines``: weeks of ``{"jour", "dans_le_mois", "evenements"}``):
    a day of the month with events links to its section."""
    lignes = []
    for semaine in semaines:
        cases = []
        for case in semaine:
            jour = case["jour"]
            if not case["dans_le_mois"]:
                cases.append('<td class="calendrier__hors-mois"></td>')
            elif case["evenements"]:
                cases.append(f'<td><a href="#jour-{jour.isoformat()}" aria-label="{echapper(_jour(jour))}">'
                             f"{jour.day}</a></td>")
            else:
                cases.append(f"<td><span>{jour.day}</span></td>")
        lignes.append(f"<tr>{''.join(cases)}</tr>\n")
    return mark_safe("".join(lignes))  # noqa: S308 - the days' names escaped


@register.simple_tag
def liens_jours_programme(jours_programme, jour_choisi):
    """The links to the days of a programme shown day by day (``jours_programme``: ``{"jour", "nombre"}``), the
    chosen one marked: a month's programme has some thirty days, each a dozen template nodes and a plural."""
    liens = []
    for j in jours_programme:
        jour = j["jour"]
        courant = ' aria-current="page"' if jour == jour_choisi else ""
        nombre = ngettext("%(n)s événement", "%(n)s événements", j["nombre"]) % {"n": j["nombre"]}
        liens.append(f'<li><a href="?jour={jour.isoformat()}"{courant}>{echapper(_jour(jour))} '
                     f'<span class="programme-jours__nombre">({nombre})</span></a></li>')
    return mark_safe("".join(liens))  # noqa: S308 - the days' names escaped, the count a number
