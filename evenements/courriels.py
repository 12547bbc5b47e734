"""What a registration tells the person: confirmed or on the waiting list, then confirmed when promoted.

It goes through the one notification path (``notifier``, category ``evenements``): shown live in
« Mon espace », and e-mailed with the event's ``.ics`` attached. Choices (README, *Notifications et
courriels*): the e-mail answers the person's own action and carries their calendar entry, so it leaves at
once, even for someone who groups the e-mails of this category; someone who chose « jamais » for it gets
no e-mail (nothing here is legally required, and the notification, the event page and its ``.ics`` stay
available in « Mon espace »).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from conseil_ess.comptes.notifications import PieceJointe, notifier

from .models import Inscription


def prevenir_inscription(inscription, promue=False):
    """Tell ``inscription``'s person where they stand: a confirmed place (``promue``: one freed for them from the
    waiting list) or the waiting list; called once the registration is committed (its event unlocked) or, for a
    promotion, in the cancellation's transaction (the e-mail leaves after commit)."""
    from .ical import ics_evenement

    evenement = inscription.evenement
    confirmee = inscription.statut == Inscription.Statut.CONFIRMEE
    if promue:
        titre = _("Une place s'est libérée : votre inscription à « %(titre)s » est confirmée")
    elif confirmee:
        titre = _("Inscription confirmée : %(titre)s")
    else:
        titre = _("Liste d'attente : %(titre)s")
    from .inscrits import code_emargement, qr_png, url_scan

    # A confirmed place carries its personal entry code, and its QR code (the address the organiser's phone opens).
    code = code_emargement(inscription) if confirmee else ""
    message = render_to_string("evenements/notification_inscription.txt", {
        "evenement": evenement, "confirmee": confirmee, "promue": promue, "code": code,
    }).strip()
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    fichiers = [PieceJointe(f"{evenement.slug}.ics", ics_evenement(evenement, base_url), "text/calendar",
                            _("Le fichier joint ajoute l'événement à votre agenda."))]
    if code:
        fichiers.append(PieceJointe(f"code-entree-{code}.png", qr_png(base_url + url_scan(inscription)),
                                    "image/png",
                                    _("Le QR code joint est votre code d'entrée : présentez-le à l'accueil.")))
    return notifier(inscription.user, titre % {"titre": evenement.titre}, message,
                    url=evenement.get_absolute_url(), categorie="evenements", courriel=True,
                    piece_jointe=tuple(fichiers))
