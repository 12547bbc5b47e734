"""Public side of a séance's documents and minutes: the download of a document (``seances.voir``), the
printable page of the published procès-verbal and its PDF (agents and élu·e·s may preview a draft)."""

import re
import unicodedata

import rules
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from conseil_ess.fichiers_prives import telecharger
from conseil_ess.sanitizer import nettoyer_html

from .models import DocumentSeance, ProcesVerbal, Seance


def _seance_visible(request, slug):
    seance = get_object_or_404(Seance.objects.select_related("evenement", "evenement__lieu", "evenement__commune"),
                               evenement__slug=slug)
    if not request.user.has_perm("seances.voir", seance):
        raise Http404
    return seance


def voit_les_brouillons(user):
    """Who may preview draft minutes: the rule ``seances.voir_proces_verbal_brouillon``."""
    return bool(user.is_authenticated and rules.has_perm("seances.voir_proces_verbal_brouillon", user))


def _proces_verbal_visible(request, slug):
    seance = _seance_visible(request, slug)
    pv = ProcesVerbal.objects.filter(seance=seance).first()
    if pv is None or not (pv.est_publie or voit_les_brouillons(request.user)):
        raise Http404
    return seance, pv


def document(request, slug, pk):
    """Download a document of the séance, for whoever sees the séance."""
    seance = _seance_visible(request, slug)
    doc = get_object_or_404(DocumentSeance, seance=seance, pk=pk)
    return telecharger(doc.fichier)


def proces_verbal(request, slug):
    """The printable page of the minutes."""
    seance, pv = _proces_verbal_visible(request, slug)
    return render(request, "seances/proces_verbal.html", {"seance": seance, "evenement": seance.evenement, "pv": pv})


# --- PDF --------------------------------------------------------------------------------------------

# The PDF uses a core font (latin-1 only): the few other characters French text uses get close equivalents.
EQUIVALENTS_LATIN1 = {
    "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2026": "...", "\u2013": "-",
    "\u2014": "-", "\u2212": "-", "\u0153": "oe", "\u0152": "OE", "\u2022": "-", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u2011": "-", "\u20ac": "EUR",
}


def en_latin1(texte):
    """``texte`` with every character a core PDF font can show (mapped, else accents removed, else '?')."""
    sortie = []
    for caractere in texte:
        caractere = EQUIVALENTS_LATIN1.get(caractere, caractere)
        try:
            caractere.encode("latin-1")
        except UnicodeEncodeError:
            decompose = unicodedata.normalize("NFKD", caractere).encode("latin-1", "ignore").decode("latin-1")
            caractere = decompose or "?"
        sortie.append(caractere)
    return "".join(sortie)


def _html_pour_pdf(contenu, request):
    """The minutes' sanitized HTML, with absolute links and nothing fpdf2's ``write_html`` cannot draw."""
    html = nettoyer_html(contenu)
    html = re.sub(r'href="/', f'href="{request.build_absolute_uri("/")}', html)
    html = re.sub(r"</?(abbr|s|u)>", "", html)
    return en_latin1(html)


def pdf_du_proces_verbal(seance, pv, request):
    """Bytes of the PDF of ``pv`` (fpdf2, pure Python)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    # Sober minutes: black bold headings (fpdf2's default is dark red), the default margins.
    titres = {balise: FontFace(color="#000000", emphasis="BOLD", size_pt=taille)
              for balise, taille in (("h2", 15), ("h3", 13), ("h4", 11.5))}

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(en_latin1(_("Procès-verbal : %(seance)s") % {"seance": seance.evenement.titre}))
    pdf.set_author(en_latin1(_("Conseil de l'ESS")))
    pdf.set_lang("fr")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, en_latin1(_("Procès-verbal")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.multi_cell(0, 7, en_latin1(seance.evenement.titre), new_x="LMARGIN", new_y="NEXT")
    if not pv.est_publie:
        pdf.set_text_color(160, 0, 0)
        pdf.multi_cell(0, 7, en_latin1(_("Brouillon : ce procès-verbal n'est pas publié.")), new_x="LMARGIN",
                       new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    pdf.write_html(_html_pour_pdf(pv.contenu, request), tag_styles=titres)
    if pv.publie_le:
        pdf.ln(6)
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, en_latin1(_("Publié le %(date)s.") % {
            "date": timezone.localtime(pv.publie_le).strftime("%d/%m/%Y")}), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def proces_verbal_pdf(request, slug):
    """The minutes as a PDF file."""
    seance, pv = _proces_verbal_visible(request, slug)
    reponse = HttpResponse(pdf_du_proces_verbal(seance, pv, request), content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="proces-verbal-{seance.slug}.pdf"'
    if not pv.est_publie:
        reponse["Cache-Control"] = "private, no-store"
    return reponse


def taille_fichier(document):
    """The file's size in bytes, None when it is missing from the storage."""
    try:
        return document.fichier.size
    except (FileNotFoundError, OSError, ValueError):
        return None


# The séance's page reads its minutes with the séance (``views.detail``): ``pv`` is given, or read here.
_A_LIRE = object()


def contexte_detail(request, seance, pv=_A_LIRE):
    """What the séance's page needs for its « Documents » and « Procès-verbal » sections (one query, two when
    the minutes ``pv`` (or ``None``) are not given)."""
    # The model's order without its first key (the séance, itself ordered by its event's date: two joins for the
    # documents of one séance).
    documents = list(DocumentSeance.objects.filter(seance=seance).order_by("ordre", "ajoute_le", "pk"))
    for doc in documents:
        doc.taille = taille_fichier(doc)
    return {
        "documents": documents,
        "pv": (ProcesVerbal.objects.filter(seance=seance).only("pk", "statut", "publie_le", "seance_id").first()
               if pv is _A_LIRE else pv),
        "voit_brouillon_pv": voit_les_brouillons(request.user),
    }
