"""Places of the ateliers' pages where later apps add blocks, without the ateliers naming them.

An atelier's page shows the proposals it works on, which belong to a later app: the page renders the
blocks registered for ``PAGE_ATELIER`` (``{% blocs %}``, see ``conseil_ess.comptes.emplacements``); the
block's ``contexte(context)`` finds the atelier in ``context["atelier"]``.
"""

PAGE_ATELIER = "ateliers.atelier"
