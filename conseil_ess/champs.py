"""Model field for user rich text: ``TexteRiche`` cleans a value through the one sanitizer when it is assigned.

Declare ``description = TexteRiche(_("description"), blank=True)`` in place of a ``TextField``: whatever
assigns the value (the constructor, ``obj.champ = …``, ``update_or_create(defaults=…)``, a model form,
a fixture), reading it back gives the sanitizer's output, so no ``save()`` has to remember to clean it.

Values read from the database are trusted and not cleaned again: every write of this field goes through
the descriptor or ``get_db_prep_save`` (``QuerySet.update(champ="…")`` included), so only clean HTML is
ever stored. They are marked (``HtmlNettoye``, a ``str``) on load, and a marked value is never re-cleaned.
Templates still render rich text through the ``nettoye`` filter: the two guards are independent.
"""

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from .sanitizer import nettoyer_html


class HtmlNettoye(str):
    """A string that is the sanitizer's output, or was read from a ``TexteRiche`` column (only clean HTML is
    written there): assigning it again costs nothing."""

    __slots__ = ()


def nettoyer(valeur):
    """Return ``valeur`` cleaned by the one sanitizer, marked clean (a marked value is returned as is)."""
    if isinstance(valeur, HtmlNettoye):
        return valeur
    return HtmlNettoye(nettoyer_html(valeur))


class DescripteurTexteRiche(DeferredAttribute):
    """The attribute of a ``TexteRiche`` field: cleans on assignment, loads deferred values like Django's own.

    A data descriptor (it defines ``__set__``), as ``FileField``'s is, so every assignment passes here.
    """

    def __set__(self, instance, valeur):
        if valeur is not None or not self.field.null:
            valeur = nettoyer(valeur)
        instance.__dict__[self.field.attname] = valeur


class TexteRiche(models.TextField):
    """A ``TextField`` of user HTML, always holding the sanitizer's output (see the module's docstring).

    Same column and same form field as ``TextField``: switching a field to it changes nothing in the database.
    """

    descriptor_class = DescripteurTexteRiche

    def from_db_value(self, valeur, expression, connection):
        return valeur if valeur is None else HtmlNettoye(valeur)

    def get_db_prep_save(self, valeur, connection):
        # A value given to ``QuerySet.update()`` did not pass the descriptor: clean it here. The driver gets
        # a plain ``str``.
        if isinstance(valeur, str):
            valeur = str(nettoyer(valeur))
        return super().get_db_prep_save(valeur, connection)


# --- Single-line text -------------------------------------------------------------------------------------
# Line breaks and other control characters have no place in a title, a name or a place: a forged form could
# put them there (a newline in an event title broke its .ics and its registration e-mail). Every ``CharField``
# of the project's apps (not ``TextField``, which holds several lines) gets, when its model class is prepared,
# a descriptor that cleans each assigned value, and a clean ``get_db_prep_save`` for ``QuerySet.update``.

import re  # noqa: E402
import unicodedata  # noqa: E402

APPLICATIONS_DU_PROJET = frozenset({"comptes", "evenements", "ateliers", "propositions", "seances", "home", "demo"})
CHAMPS_EXCLUS = frozenset({"password"})
_BLANCS_DE_LIGNE = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
# C0 and C1 controls, DEL, and the Unicode non-characters (U+FDD0–U+FDEF, and the last two of every plane).
_CONTROLES = re.compile("[\x00-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
                        + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
                        + "]")


def une_ligne(valeur):
    """Return ``valeur`` on one line: line breaks and tabs become a space, other control characters and
    non-characters are removed, lone surrogates too. Anything but a ``str`` is returned as is."""
    if not isinstance(valeur, str) or valeur.isprintable():
        return valeur  # the usual case, without a regular expression (values loaded from the database too)
    propre = _CONTROLES.sub("", _BLANCS_DE_LIGNE.sub(" ", valeur))
    if any(unicodedata.category(c) == "Cs" for c in propre):
        propre = "".join(c for c in propre if unicodedata.category(c) != "Cs")
    return propre.strip()


def sans_controles(valeur):
    """Return ``valeur`` with its line breaks kept as ``\n`` (``\r\n`` and a lone ``\r`` included) and every
    other control character and non-character removed: multi-line text for exports (iCal, e-mails, files)."""
    if not isinstance(valeur, str):
        return valeur
    texte = valeur.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    lignes = [_CONTROLES.sub("", ligne) for ligne in texte.split("\n")]
    return "".join(c for c in "\n".join(lignes) if unicodedata.category(c) != "Cs")


class DescripteurUneLigne(DeferredAttribute):
    """The attribute of a single-line field: cleans on assignment (constructor, forms, fixtures, ``setattr``)."""

    def __set__(self, instance, valeur):
        instance.__dict__[self.field.attname] = une_ligne(valeur)


def _prep_une_ligne(champ):
    origine = champ.get_db_prep_save

    def get_db_prep_save(valeur, connection):
        return origine(une_ligne(valeur), connection)

    return get_db_prep_save


def proteger_les_champs_d_une_ligne(sender, **kwargs):
    """``class_prepared``: give every ``CharField`` of a project model its single-line guard."""
    if sender._meta.app_label not in APPLICATIONS_DU_PROJET:
        return
    for champ in sender._meta.local_fields:
        if (isinstance(champ, models.CharField) and champ.name not in CHAMPS_EXCLUS
                and not isinstance(sender.__dict__.get(champ.attname), DescripteurUneLigne)):
            setattr(sender, champ.attname, DescripteurUneLigne(champ))
            champ.get_db_prep_save = _prep_une_ligne(champ)


models.signals.class_prepared.connect(proteger_les_champs_d_une_ligne, dispatch_uid="champs_d_une_ligne")
