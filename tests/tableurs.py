"""Reading the office exports in tests: a UTF-8 BOM, then ``;``-separated rows (``comptes/tableurs.py``)."""

import csv
import io


def lire_export(reponse):
    """Return the rows of a CSV export for the offices (streamed or not), checking its BOM."""
    octets = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    assert octets.startswith("\ufeff".encode()), "export sans BOM UTF-8"
    return list(csv.reader(io.StringIO(octets.decode("utf-8-sig")), delimiter=";"))
