"""Write the project's French catalog of plural messages (locale/fr/LC_MESSAGES/django.po and .mo).

The site's messages are written in French and never translated; but a message that is in no catalog
falls back to the English plural rule (one is singular, everything else plural): « 0 résultats »,
« 0 jour ». French says « 0 résultat » (nplurals=2; plural=(n > 1)). This catalog gives every plural
message of the project (``{% blocktranslate count %}`` in templates, ``ngettext``/``ngettext_lazy`` in
Python) to itself under the French rule. Run it after adding a plural message; ``--verifier`` fails when
the catalog is not up to date (tests/plateforme/test_pluriels.py does the same).
"""

import ast
import re
import struct
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation.template import templatize

DOSSIERS_PYTHON = ["conseil_ess", "evenements", "ateliers", "home"]
CHAINE = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
APPEL_GABARIT = re.compile(rf"(?<![\w])ngettext\(({CHAINE}), ({CHAINE}), count\)")
FONCTIONS = {"ngettext", "ngettext_lazy"}
ENTETE = ('Project-Id-Version: conseil-ess\\n"\n"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Content-Transfer-Encoding: 8bit\\n"\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n')
ENTETE_MO = ("Project-Id-Version: conseil-ess\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
             "Content-Transfer-Encoding: 8bit\nLanguage: fr\nPlural-Forms: nplurals=2; plural=(n > 1);\n")


def _chaine(litteral):
    return ast.literal_eval(litteral[1:] if litteral.startswith("u") else litteral)


def messages_pluriels(racine=None):
    """Return the sorted set of (singular, plural) messages of the project's templates and Python code."""
    racine = Path(racine or settings.BASE_DIR)
    trouves = set()
    for gabarit in sorted((racine / "templates").rglob("*.html")) + sorted((racine / "templates").rglob("*.txt")):
        code = templatize(gabarit.read_text(encoding="utf-8"), origin=str(gabarit))
        trouves.update((_chaine(a), _chaine(b)) for a, b in APPEL_GABARIT.findall(code))
    for dossier in DOSSIERS_PYTHON:
        for fichier in sorted((racine / dossier).rglob("*.py")):
            if "migrations" in fichier.parts:
                continue
            for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
                if (isinstance(noeud, ast.Call) and getattr(noeud.func, "id", getattr(noeud.func, "attr", None))
                        in FONCTIONS and len(noeud.args) >= 2
                        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in noeud.args[:2])):
                    trouves.add((noeud.args[0].value, noeud.args[1].value))
    # Messages another catalog translates (allauth's English messages, in the templates that override its own)
    # keep their translation: our catalog would replace it.
    with translation.override("fr"):
        return sorted((s, p) for s, p in trouves
                      if translation.ngettext(s, p, 1) == s and translation.ngettext(s, p, 2) == p)


def _po(chaine):
    return '"' + chaine.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def ecrire_po(messages):
    lignes = ["# Catalogue écrit par « python manage.py pluriels_francais » : ne pas modifier à la main.",
              'msgid ""', 'msgstr ""', f'"{ENTETE}"', ""]
    for singulier, pluriel in messages:
        if "%" in singulier or "%" in pluriel:
            lignes.append("#, python-format")
        lignes += [f"msgid {_po(singulier)}", f"msgid_plural {_po(pluriel)}", f"msgstr[0] {_po(singulier)}",
                   f"msgstr[1] {_po(pluriel)}", ""]
    return "\n".join(lignes)


def ecrire_mo(messages):
    """The GNU .mo bytes of the catalog (what msgfmt writes): header, then each message sorted by msgid."""
    entrees = {"": ENTETE_MO}
    for singulier, pluriel in messages:
        entrees[f"{singulier}\0{pluriel}"] = f"{singulier}\0{pluriel}"
    cles = sorted(entrees)
    ids = b"".join(c.encode() + b"\0" for c in cles)
    chaines = b"".join(entrees[c].encode() + b"\0" for c in cles)
    n = len(cles)
    debut_ids = 7 * 4 + 16 * n
    debut_chaines = debut_ids + len(ids)
    table_ids, table_chaines, position_id, position_chaine = [], [], 0, 0
    for c in cles:
        longueur_id, longueur_chaine = len(c.encode()), len(entrees[c].encode())
        table_ids += [longueur_id, debut_ids + position_id]
        table_chaines += [longueur_chaine, debut_chaines + position_chaine]
        position_id += longueur_id + 1
        position_chaine += longueur_chaine + 1
    entete = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    return entete + struct.pack(f"{2 * n}i", *table_ids) + struct.pack(f"{2 * n}i", *table_chaines) + ids + chaines


def chemin_catalogue():
    return Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


class Command(BaseCommand):
    help = "Écrit le catalogue français des messages au pluriel (0 et 1 au singulier)."

    def add_arguments(self, parser):
        parser.add_argument("--verifier", action="store_true", help="Échoue si le catalogue n'est pas à jour.")

    def handle(self, *args, **options):
        messages = messages_pluriels()
        dossier = chemin_catalogue()
        po, mo = ecrire_po(messages), ecrire_mo(messages)
        if options["verifier"]:
            actuel = (dossier / "django.po").read_text(encoding="utf-8") if (dossier / "django.po").exists() else ""
            if actuel != po:
                raise CommandError("Le catalogue des pluriels n'est pas à jour : python manage.py pluriels_francais")
            self.stdout.write(f"Catalogue à jour ({len(messages)} messages au pluriel).")
            return
        dossier.mkdir(parents=True, exist_ok=True)
        (dossier / "django.po").write_text(po, encoding="utf-8")
        (dossier / "django.mo").write_bytes(mo)
        self.stdout.write(f"{len(messages)} messages au pluriel écrits dans {dossier}.")
