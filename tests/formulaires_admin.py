"""Post a Wagtail admin form as it was rendered, with a few changes (the admin tests of every app)."""

import datetime


def donnees_du_formulaire(reponse, **changements):
    """Return the POST data of the form of ``reponse`` (a rendered create or edit page), with ``changements``."""
    form = reponse.context["form"]
    donnees = {}
    for nom, champ in form.fields.items():
        valeur = form[nom].value()
        if valeur is None:
            continue
        if isinstance(valeur, list | tuple):
            donnees[nom] = [getattr(v, "pk", v) for v in valeur]
        elif isinstance(valeur, bool):
            if valeur:
                donnees[nom] = "on"
        else:
            donnees[nom] = champ.widget.format_value(valeur) if isinstance(valeur, datetime.datetime) else valeur
    donnees.update(changements)
    return donnees
