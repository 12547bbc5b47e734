"""Many-to-many relations of a list of objects read by one plain SQL query each, into Django's prefetch cache.

``prefetch_related`` builds its query through the related manager and the ORM's compiler, then the model
instances: on a list page of twenty cards, its two or three prefetches cost more CPU than the rest of the
list's queries. ``precharger`` reads only the columns a page shows, by a query written from the models' own
table and column names, and leaves the objects where ``prefetch_related`` leaves them: ``objet.relation.all()``
reads them without a query. Nothing is kept between requests.
"""

from django.db import connections, router


def _colonne_de_tri(modele, nom):
    champ = modele._meta.get_field(nom.lstrip("-"))
    return champ.column, " DESC" if nom.startswith("-") else ""


def precharger(objets, relation, champs):
    """Give every one of ``objets`` (instances of one model) its many-to-many ``relation``, as
    ``prefetch_related(relation)`` would, with only ``champs`` (field names of the related model) loaded: other
    fields are deferred, as with ``only()``. The related objects come in their model's ``Meta.ordering``
    (plain field names only), then by primary key. One query, whatever the number of ``objets``."""
    objets = list(objets)
    if not objets:
        return
    modele = type(objets[0])
    lien = modele._meta.get_field(relation)
    lie, table_lien = lien.related_model, lien.remote_field.through._meta.db_table
    alias = router.db_for_read(lie)
    connexion = connections[alias]
    q = connexion.ops.quote_name
    # In the model's field order: ``Model.from_db`` takes the values of a partial row in that order.
    voulus = {lie._meta.pk.attname, *(lie._meta.get_field(nom).attname for nom in champs if nom != "pk")}
    definitions = [champ for champ in lie._meta.concrete_fields if champ.attname in voulus]
    noms = [champ.attname for champ in definitions]
    colonnes = ", ".join(f"m.{q(champ.column)}" for champ in definitions)
    tri = [_colonne_de_tri(lie, nom) for nom in lie._meta.ordering] + [(lie._meta.pk.column, "")]
    ordre = ", ".join(f"m.{q(colonne)}{sens}" for colonne, sens in tri)
    source, cible = lien.m2m_column_name(), lien.m2m_reverse_name()
    marques = ", ".join(["%s"] * len(objets))
    # Table and column names come from the models, quoted; the ids are parameters.
    sql = (
        f"SELECT t.{q(source)}, {colonnes} FROM {q(lie._meta.db_table)} AS m"  # noqa: S608
        f" INNER JOIN {q(table_lien)} AS t ON t.{q(cible)} = m.{q(lie._meta.pk.column)}"
        f" WHERE t.{q(source)} IN ({marques}) ORDER BY {ordre}"
    )
    # The conversions the ORM applies to these columns' database values (the backend's: dates and decimals on
    # SQLite; the fields' own ``from_db_value``).
    conversions = []
    for i, champ in enumerate(definitions):
        colonne = champ.get_col(lie._meta.db_table)
        fonctions = connexion.ops.get_db_converters(colonne) + champ.get_db_converters(connexion)
        if fonctions:
            conversions.append((i, colonne, fonctions))
    par_objet = {objet.pk: [] for objet in objets}
    with connexion.cursor() as curseur:
        curseur.execute(sql, [objet.pk for objet in objets])
        for source_pk, *valeurs in curseur.fetchall():
            for i, colonne, fonctions in conversions:
                for fonction in fonctions:
                    valeurs[i] = fonction(valeurs[i], colonne, connexion)
            par_objet[source_pk].append(lie.from_db(alias, noms, valeurs))
    for objet in objets:
        mettre_en_cache(objet, {relation: par_objet[objet.pk]})


def mettre_en_cache(objet, relations):
    """Put ``relations`` ({name: related objects}) in ``objet``'s prefetch cache as ``prefetch_related`` leaves
    them: a queryset of the relation holding its rows (a later filter on it runs its own query)."""
    cache = getattr(objet, "_prefetched_objects_cache", {})
    for nom, lies in relations.items():
        qs = getattr(objet, nom).get_queryset()
        qs._result_cache, qs._prefetch_done = lies, True
        cache[nom] = qs
    objet._prefetched_objects_cache = cache
