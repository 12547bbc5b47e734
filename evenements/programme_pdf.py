"""The printed programme of a programme (``/agenda/programmes/<slug>.pdf``), drawn with fpdf2 (pure Python,
already used for the séances' minutes) in DejaVu Sans, shipped in ``evenements/polices/`` (its licence beside
it): every character prints as typed (’ « » œ … – € and the middle dot of inclusive writing).

A Mois de l'ESS lists its events by day, then by commune: time, title, place, organisers, accessibility in
words, registration. An Assises day lists its sequences by time, and each slot of parallel workshops as a
table, one column per room. Every page carries its number and the generation date.
"""

from itertools import groupby
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Accessibilite, Programme

POLICES = Path(__file__).resolve().parent / "polices"
POLICE = "DejaVu"


def acces_en_mots(e):
    """An event's accessibility as a sentence: "Accessible en fauteuil roulant, boucle magnétique, LSF"."""
    mots = []
    if e.accessibilite in (Accessibilite.OUI, Accessibilite.PARTIEL, Accessibilite.NON):
        mots.append(str(e.get_accessibilite_display()))
    for actif, libelle in ((e.boucle_magnetique, _("boucle magnétique")),
                           (e.interpretation_lsf, _("interprétation en langue des signes (LSF)")),
                           (e.sous_titrage, _("sous-titrage")), (e.facile_a_lire, _("supports en FALC"))):
        if actif:
            mots.append(str(libelle))
    if not mots:
        return ""
    texte = ", ".join(mots)
    return texte[0].upper() + texte[1:] + "."


def inscription_en_mots(e):
    texte = str(e.get_inscription_display())
    if not e.gratuit:
        texte += " · " + (e.tarif or _("payant"))
    else:
        texte += " · " + _("gratuit")
    if e.lien_inscription:
        texte += " · " + e.lien_inscription
    elif e.inscription_sur_plateforme:
        texte += " · " + _("inscription sur l'agenda en ligne")
    if e.capacite:
        texte += " · " + _("%(n)d places") % {"n": e.capacite}
    return texte


def lieu_en_mots(e):
    morceaux = []
    if e.lieu:
        morceaux.append(e.lieu.nom)
        if e.lieu.adresse:
            morceaux.append(e.lieu.adresse)
    if e.precision_lieu:
        morceaux.append(e.precision_lieu)
    if e.lien_en_ligne or e.mode != e.Mode.PRESENTIEL:
        morceaux.append(_("en ligne"))
    return ", ".join(morceaux)


def _heure(e):
    if e.journee_entiere:
        return _("Toute la journée")
    debut, fin = timezone.localtime(e.debut), timezone.localtime(e.fin)
    if debut.date() != fin.date():
        return f"{date_format(debut, 'j F')}, {debut:%H}h{debut:%M} – {date_format(fin, 'j F')}, {fin:%H}h{fin:%M}"
    return f"{debut:%H}h{debut:%M} – {fin:%H}h{fin:%M}"


def _organisateurs(e):
    noms = [s.nom for s in e.structures.all()]
    if e.organisateurs_texte:
        noms.append(e.organisateurs_texte)
    return ", ".join(noms)


def pdf_du_programme(programme, evenements):
    """Bytes of the printed programme of ``programme`` (``evenements``: its visible events, by start)."""
    from fpdf import FPDF

    genere = date_format(timezone.localtime(), "j F Y à H:i")

    class Programme_PDF(FPDF):
        def footer(self):
            self.set_y(-14)
            self.set_font(POLICE, "", 8)
            self.set_text_color(80, 80, 80)
            self.cell(0, 8, _("%(titre)s · généré le %(date)s · page %(page)s/{nb}") % {
                "titre": programme.titre, "date": genere, "page": self.page_no()}, align="C")
            self.set_text_color(0, 0, 0)

    pdf = Programme_PDF(format="A4")
    pdf.add_font(POLICE, "", str(POLICES / "DejaVuSans.ttf"))
    pdf.add_font(POLICE, "B", str(POLICES / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(16, 16, 16)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(programme.titre)
    pdf.set_author(_("Conseil de l'ESS de Rivebelle Métropole"))
    pdf.set_lang("fr")
    pdf.add_page()
    pdf.set_font(POLICE, "B", 18)
    pdf.multi_cell(0, 9, programme.titre, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(POLICE, "", 11)
    if programme.date_debut == programme.date_fin:
        jours = date_format(programme.date_debut, "l j F Y")
    else:
        jours = _("du %(du)s au %(au)s") % {"du": date_format(programme.date_debut, "l j F Y"),
                                              "au": date_format(programme.date_fin, "l j F Y")}
    pdf.multi_cell(0, 6, jours, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if not evenements:
        pdf.multi_cell(0, 6, _("Aucun événement publié pour l'instant."), new_x="LMARGIN", new_y="NEXT")
    elif programme.type == Programme.Type.ASSISES:
        _assises(pdf, evenements)
    else:
        _par_jour_et_commune(pdf, evenements)
    return bytes(pdf.output())


def _evenement(pdf, e, avec_heure=True):
    pdf.set_font(POLICE, "B", 10.5)
    titre = e.titre
    if e.statut in (e.Statut.ANNULE, e.Statut.REPORTE, e.Statut.COMPLET):
        titre = f"[{e.get_statut_display()}] {titre}"
    pdf.multi_cell(0, 5.5, f"{_heure(e)} · {titre}" if avec_heure else titre, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(POLICE, "", 9.5)
    for ligne in (lieu_en_mots(e), _organisateurs(e) and _("Organisé par %(noms)s") % {"noms": _organisateurs(e)},
                  acces_en_mots(e), inscription_en_mots(e),
                  e.motif_statut if e.statut != e.Statut.CONFIRME else ""):
        if ligne:
            pdf.multi_cell(0, 5, ligne, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2.5)


def _par_jour_et_commune(pdf, evenements):
    for jour, du_jour in groupby(evenements, key=lambda e: timezone.localtime(e.debut).date()):
        pdf.set_font(POLICE, "B", 14)
        pdf.ln(2)
        pdf.multi_cell(0, 8, date_format(jour, "l j F Y").capitalize(), new_x="LMARGIN", new_y="NEXT")
        par_commune = sorted(du_jour, key=lambda e: ((e.commune.nom if e.commune else "~"), e.debut))
        for commune, ici in groupby(par_commune, key=lambda e: e.commune.nom if e.commune else _("En ligne")):
            pdf.set_font(POLICE, "B", 11.5)
            pdf.set_text_color(40, 70, 120)
            pdf.multi_cell(0, 6.5, commune, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            for e in ici:
                _evenement(pdf, e)


def _assises(pdf, evenements):
    """Sequences by time; each slot of parallel workshops as one table, a column per room."""
    journees = {e.parent_id for e in evenements if e.parent_id}
    parties = [e for e in evenements if e.pk not in journees]
    vus = set()
    for e in parties:
        if e.creneau_id is None:
            _evenement(pdf, e)
            continue
        if e.creneau_id in vus:
            continue
        vus.add(e.creneau_id)
        ateliers = [a for a in parties if a.creneau_id == e.creneau_id]
        creneau = e.creneau
        pdf.set_font(POLICE, "B", 11.5)
        debut, fin = timezone.localtime(creneau.debut), timezone.localtime(creneau.fin)
        pdf.multi_cell(0, 6.5, f"{debut:%H}h{debut:%M} – {fin:%H}h{fin:%M} · {creneau.libelle}",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(POLICE, "", 8.5)
        for debut_groupe in range(0, len(ateliers), 4):
            groupe = ateliers[debut_groupe:debut_groupe + 4]
            with pdf.table(text_align="LEFT", line_height=4.5, first_row_as_headings=True) as table:
                entetes = table.row()
                for a in groupe:
                    entetes.cell(lieu_en_mots(a) or _("Salle à préciser"))
                ligne = table.row()
                for a in groupe:
                    morceaux = [a.titre]
                    if a.statut != a.Statut.CONFIRME:
                        morceaux[0] = f"[{a.get_statut_display()}] {a.titre}"
                    if a.intervenants:
                        morceaux.append(a.intervenants)
                    if _organisateurs(a):
                        morceaux.append(_organisateurs(a))
                    if acces_en_mots(a):
                        morceaux.append(acces_en_mots(a))
                    ligne.cell("\n".join(morceaux))
            pdf.ln(3)
