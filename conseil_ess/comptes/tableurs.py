"""Spreadsheet files that French offices open cleanly, and the open data CSV kept to the standard.

- **For the offices** (the dashboard's export, the admin's exports): ``;``-separated UTF-8 *with a BOM*,
  which French Excel reads as UTF-8 with one column per field (without the BOM it shows « RÃ©fÃ©rence »,
  with commas everything lands in column A). The admin also offers ``.xlsx``.
- **Open data** (``/donnees/propositions.csv``): RFC 4180, comma-separated UTF-8 without BOM, the format
  data portals and tools expect (documented on ``/donnees/``).

A cell typed by someone is neutralised before it reaches a spreadsheet (``neutraliser_formule`` in
``admin_views``); characters a workbook cannot hold (control characters) are removed from ``.xlsx`` cells.
"""

import csv
import re

BOM = "\ufeff"
SEPARATEUR = ";"
# What XML 1.0 (so an .xlsx cell) cannot hold: C0 controls other than tab, line feed and carriage return,
# the non-characters U+FFFE and U+FFFF, and lone surrogates (which cannot even be encoded in UTF-8).
_INTERDITS_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def ecrivain_bureautique(fichier):
    """Write the BOM to ``fichier`` and return a ``csv.writer`` with the office separator."""
    fichier.write(BOM)
    return csv.writer(fichier, delimiter=SEPARATEUR)


def sans_caracteres_interdits(valeur):
    """Return ``valeur`` without the characters an .xlsx cell cannot hold."""
    return _INTERDITS_XLSX.sub("", valeur)
