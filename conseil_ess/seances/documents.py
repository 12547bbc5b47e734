"""The secrétariat's changes to a séance's documents and paper attendance figure (the admin and the demo
call these; ``services.py`` holds the agenda, check-in and votes).

Refusals raise ``ActionImpossible`` with a French message shown as is.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.validators import verifier_plafonds_pieces_jointes
from conseil_ess.comptes.journal import consigner
from conseil_ess.comptes.services import ActionImpossible

from . import services
from .models import DocumentSeance, Seance


def ajouter_document(seance, par, titre, fichier):
    """Attach ``fichier`` (an uploaded file) to ``seance`` under ``titre``; return the ``DocumentSeance``.

    The extension and size are checked by the model's validators (the same as the ateliers' documents).
    """
    services._exiger_gestion(par, seance)
    titre = (titre or "").strip()
    if not titre:
        raise ActionImpossible(_("Indiquez le titre du document."))
    if not fichier:
        raise ActionImpossible(_("Choisissez le fichier à joindre."))
    document = DocumentSeance(seance=seance, titre=titre[:200], fichier=fichier, ajoute_par=par,
                              ordre=seance.documents.count() + 1)
    try:
        # The same caps as every attachment: per séance, and per person over the last 24 hours.
        verifier_plafonds_pieces_jointes(
            seance.documents.count(),
            DocumentSeance.objects.filter(ajoute_par=par, ajoute_le__gte=timezone.now() - timedelta(days=1)).count()
            if par else 0)
        document.full_clean(exclude=["seance", "ajoute_par"])
    except ValidationError as exc:
        raise ActionImpossible(" ".join(exc.messages))
    with transaction.atomic():
        document.save()
        consigner(seance, "conseil.seance.document_ajoute", par, document_id=document.pk)
    return document


def supprimer_document(document, par):
    """Remove a document (and its file)."""
    services._exiger_gestion(par, document)
    fichier = document.fichier
    with transaction.atomic():
        consigner(document.seance, "conseil.seance.document_supprime", par, document_id=document.pk)
        document.delete()
        transaction.on_commit(lambda: fichier.storage.delete(fichier.name) if fichier.name else None)


def declarer_presents(seance, par, nombre):
    """Record the number of members present counted on a paper sheet (None to clear it)."""
    services._exiger_gestion(par, seance)
    if nombre is not None:
        try:
            nombre = int(nombre)
        except (TypeError, ValueError):
            raise ActionImpossible(_("Indiquez un nombre entier de membres présents."))
        if nombre < 0:
            raise ActionImpossible(_("Le nombre de membres présents ne peut pas être négatif."))
    with transaction.atomic():
        # The live page shows the attendance: the version rises with it.
        services._nouvelle_version(seance.pk, presents_declares=nombre)
        consigner(seance, "conseil.seance.presents_declares", par, nombre=nombre)
    return Seance.objects.get(pk=seance.pk)
