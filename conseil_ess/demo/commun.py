"""What every part of the demo loader shares: the story being told, its data, its people, its output."""

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from .donnees import lire

DOMAINE_UID = "rivebelle.example.org"


def email_demo(prenom, nom):
    """« Nadia Benarfa » → nadia.benarfa@example.org (accents and hyphens dropped)."""
    return f"{slugify(prenom)}.{slugify(nom)}@example.org".replace("-", "")


def uid_demo(slug):
    """The stable iCalendar UID of a demo event."""
    return f"evenement-{slug}@{DOMAINE_UID}"


class Contexte:
    """One load of the demo: the story (``recit``), where to report, and the demo people by persona code."""

    def __init__(self, recit, stdout=None, avec_utilisateurs=True):
        self.recit = recit
        self.stdout = stdout
        self.avec_utilisateurs = avec_utilisateurs
        self._donnees = {}
        self._personnes = None

    def ecrire(self, texte):
        if self.stdout is not None:
            self.stdout.write(texte)

    def donnees(self, nom):
        """Return the data file ``donnees/<nom>.toml`` told in this story."""
        if nom not in self._donnees:
            self._donnees[nom] = lire(nom, self.recit)
        return self._donnees[nom]

    @property
    def personnes(self):
        """{persona code: demo account or None} (None when the demo was loaded without accounts)."""
        if self._personnes is None:
            emails = {p["code"]: email_demo(p["prenom"], p["nom"]) for p in self.donnees("comptes")["personnes"]}
            trouves = {u.email: u for u in get_user_model().objects.filter(email__in=emails.values(), is_demo=True)}
            self._personnes = {code: trouves.get(email) for code, email in emails.items()}
        return self._personnes

    def oublier_personnes(self):
        self._personnes = None

    def personne(self, code):
        return self.personnes.get(code) if code else None
