"""Register of processing (article 30 of the GDPR): the one declaration of what the platform does with
personal data.

It lives in the lowest app so that every app declares its own processing without naming the pages that
show the register: each app calls ``declarer(...)`` from its ``AppConfig.ready()``::

    from conseil_ess.comptes.traitements import declarer, duree_reglage

    declarer("inscriptions", finalite=_("…"), base_legale=MISSION_INTERET_PUBLIC,
             donnees=[_("…")], destinataires=[_("…")],
             conservation=[duree_reglage("CONSERVATION_INSCRIPTIONS_JOURS", _("après l'événement : %(duree)s"))])

The register is read at display time (the public page ``/donnees-personnelles/`` and the DPO's CSV in the
Wagtail admin), so the retention durations always reflect the ``CONSERVATION_…`` settings and the
controller and DPO contacts the ``RESPONSABLE_TRAITEMENT`` and ``CONTACT_DPO`` settings.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy, ngettext

MISSION_INTERET_PUBLIC = gettext_lazy(
    "Mission d'intérêt public de la Métropole (développement économique, participation des acteurs de l'ESS) : "
    "article 6, paragraphe 1, e, du RGPD"
)
OBLIGATION_LEGALE = gettext_lazy("Obligation légale : article 6, paragraphe 1, c, du RGPD")

DROITS_COMMUNS = (
    gettext_lazy("accès"), gettext_lazy("rectification"), gettext_lazy("effacement"),
    gettext_lazy("limitation"), gettext_lazy("opposition"),
)

# Where a person exercises the rights of access/portability and erasure by themselves (built by the
# personal data pages of « Mon espace »).
ADRESSE_MES_DONNEES = "/mon-espace/mes-donnees/"
ADRESSE_SUPPRESSION = "/mon-espace/supprimer-mon-compte/"


@dataclass(frozen=True)
class Traitement:
    code: str
    finalite: str
    base_legale: str
    personnes: str
    donnees: tuple
    destinataires: tuple
    # Each item is a text or a callable returning one (read at display time, from the settings).
    conservation: tuple
    droits: tuple = DROITS_COMMUNS
    ordre: int = 100
    remarques: str = ""
    app: str = field(default="", compare=False)

    def durees(self):
        """Return the retention rules as texts, the settings read now."""
        return [str(c() if callable(c) else c) for c in self.conservation]


TRAITEMENTS = {}


def declarer(code, *, finalite, base_legale, personnes, donnees, destinataires, conservation,
             droits=DROITS_COMMUNS, ordre=100, remarques="", app=""):
    """Declare (or replace) the processing ``code``; see the module's docstring."""
    TRAITEMENTS[code] = Traitement(
        code=code, finalite=finalite, base_legale=base_legale, personnes=personnes, donnees=tuple(donnees),
        destinataires=tuple(destinataires), conservation=tuple(conservation), droits=tuple(droits),
        ordre=ordre, remarques=remarques, app=app,
    )


def registre():
    """Return the declared processing, in display order (then declaration order)."""
    return sorted(TRAITEMENTS.values(), key=lambda t: t.ordre)


def responsable():
    return settings.RESPONSABLE_TRAITEMENT


def contact_dpo():
    return settings.CONTACT_DPO


def duree_lisible(jours):
    """« 3 ans », « 30 jours »: the readable form of a number of days."""
    if jours >= 365 and jours % 365 == 0:
        n = jours // 365
        return ngettext("%(n)d an", "%(n)d ans", n) % {"n": n}
    return ngettext("%(n)d jour", "%(n)d jours", jours) % {"n": jours}


def duree_reglage(nom, texte, **autres):
    """Return a callable giving ``texte`` with ``%(duree)s`` (and any ``autres`` name → setting) read from
    the settings at display time: the register never copies a duration."""

    def rendre():
        valeurs = {"duree": duree_lisible(getattr(settings, nom))}
        valeurs.update({cle: duree_lisible(getattr(settings, reglage)) for cle, reglage in autres.items()})
        return str(texte) % valeurs

    rendre.reglages = (nom, *autres.values())
    return rendre


@dataclass(frozen=True)
class Cookie:
    nom: str
    finalite: str
    duree: str


def cookies():
    """The cookies the platform may set: all strictly necessary (no consent needed), names from the settings."""
    from django.contrib.messages.storage.cookie import CookieStorage

    duree_session = duree_lisible(max(1, settings.SESSION_COOKIE_AGE // 86400))
    return [
        Cookie(settings.SESSION_COOKIE_NAME, gettext("maintien de la connexion (session)"),
               gettext("%(duree)s au plus, supprimé à la déconnexion") % {"duree": duree_session}),
        Cookie(settings.CSRF_COOKIE_NAME, gettext("protection des formulaires contre la falsification de requêtes"),
               duree_lisible(max(1, (settings.CSRF_COOKIE_AGE or 31449600) // 86400))),
        Cookie(CookieStorage.cookie_name, gettext("message de confirmation affiché une fois, après une action"),
               gettext("le temps de l'afficher")),
    ]


def lignes_csv():
    """Rows of the DPO's CSV: a header, then one row per processing (retention read from the settings)."""
    entete = [
        gettext("Code"), gettext("Finalité"), gettext("Base légale"), gettext("Personnes concernées"),
        gettext("Catégories de données"), gettext("Destinataires"), gettext("Durées de conservation"),
        gettext("Droits"), gettext("Remarques"), gettext("Responsable du traitement"), gettext("Contact DPO"),
    ]
    lignes = [entete]
    for t in registre():
        lignes.append([
            t.code, str(t.finalite), str(t.base_legale), str(t.personnes), " ; ".join(str(d) for d in t.donnees),
            " ; ".join(str(d) for d in t.destinataires), " ; ".join(t.durees()),
            " ; ".join(str(d) for d in t.droits), str(t.remarques), responsable(), contact_dpo(),
        ])
    return lignes


def declarer_traitements_des_comptes():
    """The processing of the comptes app (called from its ``ready()``)."""
    _ = gettext_lazy
    declarer(
        "comptes", ordre=10, app="comptes",
        finalite=_("Gérer les comptes des personnes qui participent à la plateforme : inscription, connexion, "
                   "profil, double authentification des agent·e·s et élu·e·s."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Personnes inscrites sur la plateforme"),
        donnees=[_("adresse e-mail"), _("mot de passe (chiffré, jamais lisible)"), _("nom affiché, prénom, nom, "
                 "fonction (facultatifs)"), _("dates de création et de dernière connexion"),
                 _("clé de double authentification (agent·e·s, élu·e·s)")],
        destinataires=[_("secrétariat du Conseil de l'ESS (agent·e·s de la Métropole)"),
                       _("hébergeur : direction du numérique de la Métropole")],
        conservation=[
            duree_reglage("CONSERVATION_COMPTE_NON_VERIFIE_JOURS",
                          _("compte dont l'adresse n'est pas confirmée : supprimé après %(duree)s")),
            duree_reglage("CONSERVATION_INACTIVITE_JOURS",
                          _("compte sans connexion pendant %(duree)s : averti par e-mail, puis supprimé "
                            "%(preavis)s plus tard sauf nouvelle connexion"),
                          preavis="CONSERVATION_PREAVIS_SUPPRESSION_JOURS"),
            _("sinon, jusqu'à la suppression du compte par la personne"),
        ],
        droits=(*DROITS_COMMUNS, _("portabilité")),
    )
    declarer(
        "structures", ordre=20, app="comptes",
        finalite=_("Tenir l'annuaire des structures de l'ESS et le rattachement des personnes à leurs structures ; "
                   "gérer les mandats des membres du Conseil et leurs collèges."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Référent·e·s et membres des structures, membres du Conseil"),
        donnees=[_("structures de rattachement et rôle (référent·e, membre)"), _("mandat au Conseil, collège, dates"),
                 _("demandes d'adhésion et décisions")],
        destinataires=[_("secrétariat du Conseil de l'ESS"), _("public : nom affiché des membres du Conseil et "
                                                                "des référent·e·s d'une structure publiée")],
        conservation=[_("tant que le compte existe ; un mandat terminé reste dans l'historique du Conseil")],
    )
    declarer(
        "notifications", ordre=30, app="comptes",
        finalite=_("Prévenir les personnes de ce qui les concerne (notifications et résumés par e-mail), selon "
                   "leurs préférences."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Personnes inscrites sur la plateforme"),
        donnees=[_("notifications reçues, lues ou non"), _("préférences de notification"),
                 _("jeton du flux d'agenda personnel")],
        destinataires=[_("la personne elle-même")],
        conservation=[duree_reglage("CONSERVATION_NOTIFICATIONS_LUES_JOURS",
                                    _("notification lue : supprimée après %(duree)s")),
                      _("préférences : jusqu'à la suppression du compte")],
    )
    declarer(
        "journal", ordre=90, app="comptes",
        finalite=_("Garder la trace des décisions et des actions du secrétariat (journal d'audit) pour "
                   "pouvoir en rendre compte."),
        base_legale=MISSION_INTERET_PUBLIC,
        personnes=_("Personnes qui agissent sur la plateforme et personnes concernées par une décision"),
        donnees=[_("qui a agi, quand, sur quel objet, avec quel résultat (jamais le contenu d'un vote)")],
        destinataires=[_("secrétariat du Conseil de l'ESS, administrateur·rice·s")],
        conservation=[_("durée de vie de la plateforme (mémoire des décisions du Conseil)")],
        droits=(gettext_lazy("accès"), gettext_lazy("rectification"), gettext_lazy("limitation")),
    )
