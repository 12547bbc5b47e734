"""The side-by-side difference of a revision (published version | proposed version), field by field; text
fields get a word-level difference (difflib) in ``<del>``/``<ins>`` whose start and end are announced to
screen readers by visually hidden words. Everything is escaped: the values are the organiser's."""

import re
from difflib import SequenceMatcher

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import revisions
from .ical import texte_brut
from .models import Evenement

MOTS = re.compile(r"\s+|[^\s]+")
CACHE = "sr-only w-sr-only"  # the site's and the Wagtail admin's visually hidden class


def _marque(balise, debut, fin, texte):
    return format_html(
        '<{0}><span class="{1}">{2}</span>{3}<span class="{1}">{4}</span></{0}>', balise, CACHE, debut, texte, fin
    )


def diff_mots(avant, apres):
    """Return (published, proposed) as safe HTML, the removed words in ``<del>``, the added ones in ``<ins>``."""
    a, b = MOTS.findall(avant or ""), MOTS.findall(apres or "")
    gauche, droite = [], []
    for operation, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        retire, ajoute = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if operation == "equal":
            gauche.append(retire)
            droite.append(ajoute)
            continue
        if retire:
            gauche.append(_marque("del", _("[début du texte retiré]"), _("[fin du texte retiré]"), retire))
        if ajoute:
            droite.append(_marque("ins", _("[début du texte ajouté]"), _("[fin du texte ajouté]"), ajoute))
    return mark_safe("".join(gauche)), mark_safe("".join(droite))  # noqa: S308 (every piece escaped above)


def _affichage(champ, valeur):
    """A stored value as a person reads it."""
    valeur = revisions._deserialiser(champ, valeur)
    if valeur in (None, "", []):
        return _("(vide)")
    if champ.many_to_many:
        return ", ".join(str(o) for o in champ.related_model.objects.filter(pk__in=valeur))
    if champ.many_to_one:
        objet = champ.related_model.objects.filter(pk=valeur).first()
        return str(objet) if objet else _("(supprimé)")
    if champ.choices:
        return str(dict(champ.flatchoices).get(valeur, valeur))
    if isinstance(valeur, bool):
        return _("Oui") if valeur else _("Non")
    if champ.get_internal_type() == "DateTimeField":
        return date_format(timezone.localtime(valeur), "l j F Y, H:i")
    if champ.name == "description":
        return texte_brut(valeur)
    return str(valeur)


TEXTES = {"CharField", "TextField"}


def lignes(revision, actuelles):
    """The rows of the difference: every field whose proposed value differs from the published one, with
    whether it is a conflict (changed on the event since the revision's base)."""
    en_conflit = set(revisions.conflits(revision, actuelles))
    resultat = []
    for nom in revisions.changements(revision.valeurs, actuelles):
        champ = Evenement._meta.get_field(nom)
        publie, propose = _affichage(champ, actuelles.get(nom)), _affichage(champ, revision.valeurs[nom])
        if champ.get_internal_type() in TEXTES and not champ.choices:
            publie, propose = diff_mots(publie, propose)
        resultat.append(
            {
                "nom": nom,
                "libelle": revisions.libelle(nom),
                "publie": publie,
                "propose": propose,
                "conflit": nom in en_conflit,
            }
        )
    return resultat


def contexte(revision):
    """What the difference templates need (the event's current values read once)."""
    evenement = revision.evenement
    actuelles = revisions.valeurs_actuelles(evenement, revision.valeurs)
    en_attente = revision.en_attente
    autres = (
        list(
            revision.evenement.revisions.filter(statut=revision.Statut.EN_ATTENTE)
            .exclude(pk=revision.pk)
            .select_related("auteur")
        )
        if en_attente
        else []
    )
    return {
        "revision": revision,
        "lignes": lignes(revision, actuelles) if en_attente else [],
        "conflits": revisions.libelles(revisions.conflits(revision, actuelles)) if en_attente else "",
        "modifie_depuis": revisions.libelles(revisions.modifies_depuis(revision, actuelles)) if en_attente else "",
        "autres_revisions": autres,
    }
