"""The demo's Wagtail pages (``donnees/pages.toml``): home page, policy pages, the six champs d'action,
news, legal pages, and the footer.

Idempotent: each page is found by slug under its parent, created if missing, otherwise updated, then
published when its content changed (reloading adds no revision). Pages an editor created
(``is_demo=False``) are never modified nor deleted. A news item dated after the day of loading is not
published yet.
"""

import re

from wagtail.models import Page, Site

from conseil_ess.comptes import compteurs
from home.models import (
    ChampActionPage,
    ChampsIndexPage,
    HomePage,
    LegalPage,
    LienPiedDePage,
    NewsIndexPage,
    NewsPage,
    PiedDePage,
    StandardPage,
)
from home.setup import assurer_site

from .donnees import brut as donnees_brutes

MODELES_DEMO = [StandardPage, ChampsIndexPage, ChampActionPage, NewsIndexPage, NewsPage, LegalPage]
LIEN_PAGE = re.compile(r'href="page:([\w-]+)"')


def _champs(spec, *noms):
    champs = {"slug": spec["slug"], "show_in_menus": spec.get("menu", False)}
    if "title" in spec:
        champs["title"] = spec["title"]
    for nom in noms:
        champs[nom] = spec[nom]
    return champs


class _Chargeur:
    def __init__(self, ctx, accueil):
        self.ctx = ctx
        self.donnees = ctx.donnees("pages")
        self.accueil = accueil
        self.pages = {}
        self.crees = 0
        self.mises_a_jour = 0

    def plans(self):
        """Return (parent slug or None for the home page, model, fields, body, leviers) in creation order."""
        d = self.donnees
        plans = [(None, StandardPage, _champs(spec, "intro"), spec["body"], None) for spec in d["pages"]]
        plans.append((None, ChampsIndexPage, _champs(d["champs_index"], "intro"), d["champs_index"]["body"], None))
        for spec in d["champs"]:
            champs = _champs(spec, "numero", "nom_canonique", "libelle_secondaire", "intro")
            champs["title"] = spec["nom_canonique"]
            plans.append((d["champs_index"]["slug"], ChampActionPage, champs, spec["body"], spec["leviers"]))
        plans.append((None, NewsIndexPage, _champs(d["actualites"], "intro"), None, None))
        for spec in d["actualites"]["enfants"]:
            if spec["date"] <= self.ctx.recit.aujourdhui:
                plans.append((d["actualites"]["slug"], NewsPage, _champs(spec, "date", "intro"), spec["body"], None))
        for spec in d["legales"]:
            plans.append((None, LegalPage, _champs(spec, "mis_a_jour_le", "etat_conformite"), spec["body"], None))
        return plans

    def charger(self):
        a_remplir = []
        for slug_parent, modele, champs, body, leviers in self.plans():
            parent = self.accueil if slug_parent is None else self.pages[slug_parent]
            page = self.obtenir(parent, modele, champs)
            if page is not None:
                a_remplir.append((page, champs, body, leviers))
        # Bodies link to other pages: fill them once every page exists. Fetch each page again first:
        # a stale copy would publish an out-of-date tree state (numchild) over the real one.
        for page, champs, body, leviers in a_remplir:
            page = page.specific_class.objects.get(pk=page.pk)
            avant = _empreinte(page, champs)
            for nom, valeur in champs.items():
                setattr(page, nom, valeur)
            if body is not None:
                page.body = self.resoudre(body)
            if leviers is not None:
                self.remplacer_leviers(page, leviers)
            _publier_si_change(page, avant, _empreinte(page, champs))
        self.remplir_accueil()
        self.remplir_pied_de_page()
        self.ctx.ecrire(f"Pages de démonstration : {self.crees} créées, {self.mises_a_jour} mises à jour.")

    def obtenir(self, parent, modele, champs):
        """Return the demo page to fill (created if missing), or None if an editor's page holds the slug."""
        slug = champs["slug"]
        parent = Page.objects.get(pk=parent.pk)
        existante = parent.get_children().filter(slug=slug).specific().first()
        if existante is None and modele is ChampActionPage:
            existante = ChampActionPage.objects.filter(numero=champs["numero"]).first()
        if existante is not None:
            self.pages[slug] = existante
            if not isinstance(existante, modele) or not existante.is_demo:
                self.ctx.ecrire(f"Page « {slug} » créée par un·e éditeur·rice : laissée telle quelle.")
                return None
            self.mises_a_jour += 1
            return existante
        page = modele(is_demo=True, **champs)
        parent.add_child(instance=page)
        self.pages[slug] = page
        self.crees += 1
        return page

    def resoudre(self, valeur):
        """Turn ``page:<slug>`` references into page ids and fill empty computed-figure blocks."""
        if isinstance(valeur, list):
            return [self.resoudre(v) for v in valeur]
        if isinstance(valeur, dict):
            if valeur.get("type") == "chiffres_calcules" and not valeur["value"]["compteurs"]:
                valeur = {**valeur, "value": {**valeur["value"], "compteurs": list(compteurs.COMPTEURS)}}
            return {cle: self.resoudre(v) for cle, v in valeur.items()}
        if isinstance(valeur, str):
            if valeur.startswith("page:"):
                return self.pages[valeur.removeprefix("page:")].pk
            return LIEN_PAGE.sub(lambda m: f'linktype="page" id="{self.pages[m.group(1)].pk}"', valeur)
        return valeur

    def remplacer_leviers(self, page, libelles):
        """Update the leviers in place (their ids stay stable for the objects that refer to them)."""
        existants = list(page.leviers.all())
        leviers = []
        for i, libelle in enumerate(libelles):
            levier = existants[i] if i < len(existants) else page.leviers.model()
            levier.libelle = libelle
            levier.sort_order = i
            leviers.append(levier)
        page.leviers = leviers

    def remplir_accueil(self):
        spec = self.donnees["accueil"]
        accueil = HomePage.objects.get(pk=self.accueil.pk)
        champs = {"accroche": spec["accroche"], "intro": spec["intro"]}
        avant = _empreinte(accueil, champs)
        for nom, valeur in champs.items():
            setattr(accueil, nom, valeur)
        accueil.body = self.resoudre(spec["body"])
        _publier_si_change(accueil, avant, _empreinte(accueil, champs))

    def remplir_pied_de_page(self):
        site = Site.objects.filter(root_page=self.accueil).first()
        if site is None:
            return
        spec = self.donnees["pied_de_page"]
        reglage = PiedDePage.for_site(site)
        reglage.intro = spec["intro"]
        reglage.liens = [LienPiedDePage(page=self.pages[slug], sort_order=i) for i, slug in enumerate(spec["liens"])]
        reglage.save()


def _sans_ids(valeur):
    """A StreamField's stored value without its blocks' ids (new ones are drawn at each assignment)."""
    if isinstance(valeur, dict):
        return {cle: _sans_ids(v) for cle, v in valeur.items() if cle != "id"}
    if isinstance(valeur, list):
        return [_sans_ids(v) for v in valeur]
    return valeur


def _empreinte(page, champs):
    """What the demo writes on ``page``, as comparable values."""
    return (
        {nom: getattr(page, nom) for nom in champs},
        _sans_ids(page.body.get_prep_value()) if hasattr(page, "body") else None,
        [levier.libelle for levier in page.leviers.all()] if hasattr(page, "leviers") else None,
    )


def _publier_si_change(page, avant, apres):
    """Publish a new revision only when the demo content changed (reloading makes no new revision)."""
    if avant != apres or page.latest_revision_id is None or page.has_unpublished_changes or not page.live:
        page.save_revision().publish()


def charger(ctx):
    """Create or update the demo pages, the home page content and the footer setting. Return the home page."""
    accueil = assurer_site()
    _Chargeur(ctx, accueil).charger()
    return accueil


def supprimer():
    """Delete the demo pages (``is_demo=True``) and the demo texts of the home page and footer.

    A demo page under which an editor has added pages of their own is kept. Return the number of pages
    deleted.
    """
    supprimees = 0
    demo = [page for modele in MODELES_DEMO for page in modele.objects.filter(is_demo=True)]
    for page in sorted(demo, key=lambda p: p.depth, reverse=True):
        if Page.objects.filter(path__startswith=page.path, depth__gt=page.depth).exists():
            continue
        page.delete()
        supprimees += 1
    brut = donnees_brutes("pages")  # the home page's texts hold no placeholder: as written
    for accueil in HomePage.objects.filter(accroche=brut["accueil"]["accroche"]):
        accueil.accroche = ""
        accueil.intro = ""
        accueil.body = []
        accueil.save_revision().publish()
    PiedDePage.objects.filter(intro=brut["pied_de_page"]["intro"]).update(intro="")
    return supprimees
