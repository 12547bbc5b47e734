"""Template tags of the proposals: the /mon-espace/ part, an atelier's proposals, the state badge."""

from django import template

from ..models import ETATS_ADOPTES, ETATS_FINAUX, Abonnement, Etat, Proposition

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


@register.filter
def lien_sur(url):
    """Return True if ``url`` may be a link target: a path of the site or an http(s) address."""
    url = (url or "").strip()
    return url.startswith("/") and not url.startswith("//") or url.lower().startswith(("http://", "https://"))


@register.inclusion_tag("propositions/includes/mes_propositions.html", takes_context=True)
def mes_propositions(context):
    """Render the proposals part of /mon-espace/: mine (drafts included) and those I follow."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"user": user}
    miennes = Proposition.objects.filter(auteur=user).order_by("-modifie_le", "-pk")
    suivies = (
        Abonnement.objects.filter(user=user).exclude(proposition__etat=Etat.BROUILLON)
        .select_related("proposition").order_by("-proposition__etat_depuis", "-pk")
    )
    return {"user": user, "miennes": list(miennes), "suivies": [a.proposition for a in suivies]}


@register.simple_tag
def propositions_de_l_atelier(atelier):
    """Return the public proposals ``atelier`` works on (one query)."""
    return list(Proposition.objects.publiques().filter(atelier=atelier).order_by("-etat_depuis", "-pk")
                .only("pk", "reference", "titre", "etat", "etat_depuis"))
