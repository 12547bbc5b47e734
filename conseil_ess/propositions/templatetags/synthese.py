"""The public summary of the proposals (``{% synthese_propositions %}``) and the wording of delays."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import statistiques

register = template.Library()

JOURS_PAR_MOIS = 365.25 / 12


@register.filter
def duree_jours(jours):
    """Write a delay in days in French, rounded as a reader would say it; "" for None.

    « 12 jours » under two months, « environ 4 mois » under two years, « environ 3 ans » beyond.
    """
    if jours is None or jours == "":
        return ""
    jours = float(jours)
    if jours < 60:
        n = round(jours)
        return ngettext("%(n)s jour", "%(n)s jours", n) % {"n": n}
    mois = round(jours / JOURS_PAR_MOIS)
    if mois < 24:
        return _("environ %(n)s mois") % {"n": mois}
    return _("environ %(n)s ans") % {"n": round(jours / 365.25)}


@register.inclusion_tag("propositions/suivi/synthese.html")
def synthese_propositions(titre_niveau=2, lien_liste=True, synthese=None):
    """Show the public figures: proposals, adopted, implemented and the median delays (no private data).

    ``lien_liste=False`` on the list of proposals itself (no link to the page one is on). ``synthese``: the
    figures when the page read them already (``statistiques.lecture_synthese``, with its other queries).
    """
    if synthese is None:
        synthese = statistiques.synthese()
    return {"synthese": synthese, "niveau": titre_niveau, "lien_liste": lien_liste}
