"""Helpers of the tests comparing the pages' plain-SQL readers (``conseil_ess.prechargement``) with the ORM."""


def valeurs_chargees(objet):
    """The loaded (not deferred) field values of ``objet``, by attribute name; None for None."""
    if objet is None:
        return None
    differes = objet.get_deferred_fields()
    return {f.attname: getattr(objet, f.attname) for f in objet._meta.concrete_fields if f.attname not in differes}
