"""E-mails of the agenda: registration confirmation with the event's .ics attached."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import Inscription


def envoyer_confirmation_inscription(inscription_pk):
    from .ical import ics_evenement

    inscription = Inscription.objects.select_related("evenement__lieu__commune", "user").get(pk=inscription_pk)
    evenement = inscription.evenement
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    if inscription.statut == Inscription.Statut.CONFIRMEE:
        sujet = _("Inscription confirmée : %(titre)s") % {"titre": evenement.titre}
    else:
        sujet = _("Liste d'attente : %(titre)s") % {"titre": evenement.titre}
    corps = render_to_string("evenements/courriel_inscription.txt", {
        "inscription": inscription, "evenement": evenement, "base_url": base_url,
    })
    message = EmailMessage(sujet, corps, to=[inscription.user.email])
    message.attach(f"{evenement.slug}.ics", ics_evenement(evenement, base_url), "text/calendar; charset=utf-8")
    message.send()
