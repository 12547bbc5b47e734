"""Small builders of raw StreamField data for the demo pages (see home/blocks.py for the block types).

In rich text, ``href="page:<slug>"`` stands for a link to the demo page with that slug; the loader
turns it into a Wagtail page link once every page exists.
"""


def texte(*fragments):
    return {"type": "paragraphe", "value": "".join(fragments)}


def chiffres(titre, paires):
    return {
        "type": "chiffres_cles",
        "value": {"titre": titre, "chiffres": [{"valeur": v, "libelle": libelle} for v, libelle in paires]},
    }


def chiffres_calcules(titre, codes):
    return {"type": "chiffres_calcules", "value": {"titre": titre, "compteurs": list(codes)}}


def citation(texte_citation, auteur="", fonction=""):
    return {"type": "citation", "value": {"texte": texte_citation, "auteur": auteur, "fonction": fonction}}


def etapes(titre, paires):
    return {
        "type": "etapes",
        "value": {"titre": titre, "etapes": [{"titre": t, "texte": d} for t, d in paires]},
    }


def appel(titre, texte_appel, slug_page, libelle_bouton):
    """Call to action towards a demo page (``slug_page`` is resolved by the loader)."""
    return {
        "type": "appel_action",
        "value": {"titre": titre, "texte": texte_appel, "page": f"page:{slug_page}", "url": "",
                  "libelle_bouton": libelle_bouton},
    }
