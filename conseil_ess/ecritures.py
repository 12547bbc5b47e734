"""How a service writes the fields a form edited onto a row whose state only services change.

Views and admin forms never save such a model themselves (pretix's rule, checked by
``tests/plateforme/test_ecritures.py``): they hand the form's values to a service of the app, which checks
who acts and calls ``ecrire``. An edit then writes only the form's columns, on the locked row, so a state
changed meanwhile (a publication, a transition, a decision) is never undone by a stale form.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction


def champs_du_formulaire(form):
    """Return what a validated model form edits: (its concrete fields' names, {many-to-many field: values}).

    Only the fields the form shows and may change (a read-only or disabled one is left out).
    """
    modele = form._meta.model
    champs, relations = [], {}
    for nom, champ_formulaire in form.fields.items():
        try:
            champ = modele._meta.get_field(nom)
        except FieldDoesNotExist:
            continue
        if champ_formulaire.disabled or nom not in form.cleaned_data:
            continue
        if champ.many_to_many:
            relations[nom] = form.cleaned_data[nom]
        elif champ.concrete:
            champs.append(nom)
    return champs, relations


def ecrire(instance, champs=(), relations=None, *, proteges=()):
    """Save ``instance`` for a service; return it.

    A new object is saved whole (the service has set its state). An existing one gets only its ``champs``
    written, on its row locked until the end of the transaction; every other column is taken from that row,
    so the returned object holds what the database holds. ``relations``: many-to-many values to set.
    ``proteges``: the fields only the service's own actions write (the state and what comes with it);
    naming one in ``champs`` is a programming error.
    """
    interdits = set(champs) & set(proteges)
    if interdits:
        raise ValueError(f"{type(instance).__name__}: {sorted(interdits)} ne s'écrivent que par leurs services")
    with transaction.atomic():
        if instance._state.adding:
            instance.save()
        else:
            verrouille = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            for champ in instance._meta.concrete_fields:
                if champ.name not in champs:
                    setattr(instance, champ.attname, getattr(verrouille, champ.attname))
            instance.save(update_fields=list(champs))
        for nom, valeurs in (relations or {}).items():
            getattr(instance, nom).set(valeurs)
    return instance
