"""Template tags of the proposals: the state badge, safe links, the card of the public list."""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, timezone
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conseil_ess.prechargement import lies
from conseil_ess.widgets import echapper

from ..models import ETATS_ADOPTES, ETATS_FINAUX, Etat

register = template.Library()


@register.filter
def classe_etat(etat):
    """Return the badge modifier of a state: adopted ones "ok", closed ones "fin", the others "attente"."""
    if etat in ETATS_ADOPTES:
        return "etiquette--ok"
    if etat in ETATS_FINAUX:
        return "etiquette--fin"
    if etat == Etat.BROUILLON:
        return "etiquette--brouillon"
    return "etiquette--attente"


@functools.lru_cache(maxsize=256)
def _etiquette_etat(etat, langue):
    """The HTML of the state badge of a proposal in state ``etat`` (the proposal page, the cards, the lists), once
    per state and language."""
    return mark_safe(  # noqa: S308 - escaped here
        f'<span class="etiquette etat {echapper(classe_etat(etat))}">'
        f"{echapper(dict(Etat.choices).get(etat, etat))}</span>"
    )


@register.simple_tag
def etiquette_etat(proposition):
    """The state badge of ``proposition`` (written here: an included template per badge cost more than the rest
    of a list's line)."""
    return _etiquette_etat(proposition.etat, get_language())


@register.filter
def lien_sur(url):
    """Return True if ``url`` may be a link target: a path of the site or an http(s) address."""
    url = (url or "").strip()
    return url.startswith("/") and not url.startswith("//") or url.lower().startswith(("http://", "https://"))


# --- The card of the public list --------------------------------------------------------------------------

JALON = "P-0000-000"  # a reference the URL pattern accepts, replaced by the real one


@functools.lru_cache(maxsize=32)
def _modele_url(_urlconf, _prefixe):
    return reverse("propositions:detail", args=[JALON])


@functools.lru_cache(maxsize=16)
def _libelles_carte(_langue):
    """The card's fixed texts in the current language, escaped (translated once per language, not once per card)."""
    return {cle: echapper(texte) for cle, texte in (
        ("atelier", _("Atelier")), ("portee", _("Portée par")), ("deposee", _("Déposée le")),
    )}


@functools.lru_cache(maxsize=512)
def _texte_champ(numero, libelle, _langue):
    return echapper(_("Champ %(n)s : %(libelle)s") % {"n": numero, "libelle": libelle})


@functools.lru_cache(maxsize=2048)
def _date_langue(jour, _langue):
    return dateformat.format(jour, "j F Y")


@register.simple_tag
def carte_proposition(proposition):
    """Render a proposal's card (``/propositions/``), written here rather than in an included template: the same
    HTML as ``detail.html``'s badge and the former card, a fraction of the template engine's cost. Every text is
    escaped here (``echapper``: ``conditional_escape``'s characters), with f-strings rather than ``format_html``
    (see ``ateliers.templatetags.ateliers.carte_atelier``); ``proposition`` comes from
    ``PropositionQuerySet.cartes``."""
    langue = get_language()
    libelles = _libelles_carte(langue)
    champs = "".join(f'<span class="etiquette">{_texte_champ(c.numero, c.libelle_court, langue)}</span> '
                     for c in lies(proposition, "champs"))
    infos = []
    if proposition.atelier_id:
        infos.append(f"<div><dt>{libelles['atelier']}</dt><dd>{echapper(proposition.atelier.titre)}</dd></div>")
    noms = [s.nom for s in lies(proposition, "structures")]
    if proposition.porteurs_texte:
        noms.append(proposition.porteurs_texte)
    if noms:
        infos.append(f"<div><dt>{libelles['portee']}</dt><dd>{echapper(', '.join(noms))}</dd></div>")
    if proposition.deposee_le:
        local = timezone.localtime(proposition.deposee_le)
        infos.append(f'<div><dt>{libelles["deposee"]}</dt><dd><time datetime="{echapper(local.isoformat())}">'
                     f"{echapper(_date_langue(local.date(), langue))}</time></dd></div>")
    url = (_modele_url(get_urlconf(), get_script_prefix()).replace(JALON, proposition.reference)
           if proposition.reference else proposition.get_absolute_url())
    separateur = "\n    "
    return mark_safe(  # noqa: S308 - every text is escaped above
        '<article class="carte proposition-carte">\n'
        f'  <p class="proposition-carte__reference">{echapper(proposition.reference or "")}</p>\n'
        f'  <h3 class="proposition-carte__titre"><a href="{echapper(url)}">{echapper(proposition.titre)}</a></h3>\n'
        f"  <p>{_etiquette_etat(proposition.etat, langue)}\n    {champs}</p>\n"
        f"  <p>{echapper(proposition.resume)}</p>\n"
        f'  <dl class="proposition-carte__infos">\n    {separateur.join(infos)}\n  </dl>\n</article>'
    )


@register.simple_tag
def liens_etats(comptes, etat_choisi, requete_sans_etat):
    """The items of the list's counts per state (``[(code, label, n)]``): a state with proposals or the chosen one,
    as a link to the list filtered on it, the other filters kept. Written here rather than as a template loop
    (sixteen states, five variables each); the same HTML, numbers localised and texts escaped as the template's
    ``{{ }}`` do them."""
    debut = f"?{echapper(requete_sans_etat)}&amp;" if requete_sans_etat else "?"
    courant = ' aria-current="true"'
    return mark_safe("".join(  # noqa: S308 - every value escaped
        f'\n          <li><a href="{debut}etat={echapper(code)}"{courant if code == etat_choisi else ""}'
        f' data-etat="{echapper(code)}">{echapper(libelle)}'
        f' <span class="comptes-etats__n">{echapper(localize(n))}</span></a></li>\n        '
        for code, libelle, n in comptes if n or code == etat_choisi
    ))
