"""Load and remove the agenda part of the demo data. Called by ``manage.py charger_demo``.

``charger`` is idempotent: every object is looked up by its slug (registrations by person and event)
and put back in its demo state. Everything it creates carries ``is_demo=True``; ``supprimer`` removes
only that, and keeps a demo venue or programme that a real event still uses.

Demo data is seeded, not lived: published events are written as published, and registrations are
written directly (no e-mail per registration). The two events awaiting moderation are submitted
through ``services.soumettre`` when first created, so the moderators get their notification.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q

from conseil_ess.comptes.models import ChampAction, Commune, Structure

from . import services
from .demo_donnees import (
    ASSISES,
    ATELIERS_ASSISES,
    CRENEAU_ATELIERS,
    EVENEMENTS_A_MODERER,
    EVENEMENTS_MOIS,
    INSCRITS_ATELIERS,
    INSCRITS_NOMMES,
    JOURNEE_ASSISES,
    LIEUX,
    MOIS,
    NOMS,
    PLACES_ATELIER,
    PRENOMS,
    PROPOSES_PAR,
    SEQUENCES_ASSISES,
)
from .models import Creneau, Evenement, Inscription, Lieu, Programme, Public
from .setup import assurer_publics

PARIS = ZoneInfo("Europe/Paris")
DOMAINE_UID = "rivebelle.example.org"
MODERATRICE = "claire.vasseur@example.org"
# What a CRESS coordinator needs to work the moderation queue without being an agent (README, admin).
PERMISSIONS_MODERATRICE = [
    ("wagtailadmin", "access_admin"),
    ("evenements", "moderer_evenement"),
    ("evenements", "view_evenement"),
    ("evenements", "change_evenement"),
]
EMAIL_PARTICIPANT = "participant-assises-{:02d}@example.org"


def _instant(jour, heure):
    """Return the aware datetime of ``heure`` ("HH:MM", Europe/Paris) on the date ``jour``."""
    h, m = (int(x) for x in heure.split(":"))
    return datetime.datetime.combine(jour, datetime.time(h, m), tzinfo=PARIS)


def _minuit(jour):
    return datetime.datetime.combine(jour, datetime.time(0, 0), tzinfo=PARIS)


def uid_demo(slug):
    return f"evenement-{slug}@{DOMAINE_UID}"


class _Chargeur:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.communes = {c.slug: c for c in Commune.objects.all()}
        self.structures = {s.slug: s for s in Structure.objects.all()}
        self.publics = {p.code: p for p in Public.objects.all()}
        self.champs = {c.numero: c for c in ChampAction.objects.all()}
        self.lieux = {}

    def charger(self):
        self.charger_lieux()
        mois = self.charger_programme(MOIS)
        evenements = [self.charger_evenement(spec, mois, datetime.date(2026, 11, spec["jour"]))
                      for spec in EVENEMENTS_MOIS]
        # Before the submissions, so that the coordinator is among the moderators they notify.
        donner_droit_de_moderation()
        a_moderer = self.charger_propositions(mois)
        assises = self.charger_assises()
        self.ecrire(f"Agenda : {len(self.lieux)} lieux, {len(evenements)} événements du Mois de l'ESS, "
                    f"{len(a_moderer)} à modérer, Assises {assises['journee'].debut:%d/%m/%Y} "
                    f"({assises['journee'].nb_confirmes} inscrit·e·s).")
        return {"lieux": self.lieux, "mois": mois, "evenements": evenements, "a_moderer": a_moderer, **assises}

    def ecrire(self, texte):
        if self.stdout is not None:
            self.stdout.write(texte)

    def charger_lieux(self):
        for slug, nom, commune, adresse, lat, lon, capacite, acces, infos in LIEUX:
            self.lieux[slug], _ = Lieu.objects.update_or_create(slug=slug, defaults={
                "nom": nom, "commune": self.communes.get(commune), "adresse": adresse,
                "latitude": Decimal(lat) if lat else None, "longitude": Decimal(lon) if lon else None,
                "capacite": capacite, "accessibilite": acces, "infos_accessibilite": infos,
                "en_ligne": slug == "en-ligne", "is_demo": True,
            })

    def charger_programme(self, spec):
        programme, _ = Programme.objects.update_or_create(slug=spec["slug"], defaults={
            "titre": spec["titre"], "type": spec["type"], "description": spec["description"],
            "date_debut": datetime.date(*spec["date_debut"]), "date_fin": datetime.date(*spec["date_fin"]),
            "coordination": self.structures.get(spec["coordination"]),
            "ouvert_aux_propositions": spec["ouvert_aux_propositions"], "is_demo": True,
        })
        return programme

    def _champs_evenement(self, spec, jour):
        """Return the model fields of one event of the data tables."""
        lieu = self.lieux.get(spec.get("lieu"))
        if "jusqu_au" in spec:
            debut, fin = _minuit(jour), _minuit(jour.replace(day=spec["jusqu_au"]) + datetime.timedelta(days=1))
        else:
            debut, fin = (_instant(jour, h) for h in spec["heures"])
        commune = lieu.commune if lieu else self.communes.get(spec.get("commune"))
        plateforme = spec.get("plateforme", False)
        return {
            "titre": spec["titre"], "resume": spec.get("resume", ""), "description": spec.get("description", ""),
            "type": spec["type"], "debut": debut, "fin": fin, "journee_entiere": "jusqu_au" in spec,
            "mode": spec.get("mode", Evenement.Mode.PRESENTIEL), "lieu": lieu,
            "precision_lieu": spec.get("precision", ""), "commune": commune, "lien_en_ligne": spec.get("lien", ""),
            "organisateurs_texte": spec.get("organisateurs", ""), "intervenants": spec.get("intervenants", ""),
            "gratuit": spec.get("gratuit", True), "tarif": spec.get("tarif", ""),
            "accessibilite": spec.get("acces") or (lieu.accessibilite if lieu else "inconnu"),
            "infos_accessibilite": spec.get("infos_acces", ""),
            "boucle_magnetique": spec.get("boucle", False), "interpretation_lsf": spec.get("lsf", False),
            "sous_titrage": spec.get("sous_titrage", False), "facile_a_lire": spec.get("falc", False),
            "inscription": spec["inscription"], "inscription_sur_plateforme": plateforme,
            "capacite": spec.get("places") if plateforme else None,
            "statut": spec.get("statut", Evenement.Statut.CONFIRME), "motif_statut": spec.get("motif", ""),
            "uid": uid_demo(spec["slug"]), "is_demo": True,
        }

    def _enregistrer(self, spec, champs):
        evenement, cree = Evenement.objects.update_or_create(slug=spec["slug"], defaults=champs)
        evenement.structures.set([self.structures[s] for s in spec.get("structures", []) if s in self.structures])
        evenement.publics.set([self.publics[p] for p in spec.get("publics", [])])
        evenement.champs.set([self.champs[n] for n in spec.get("champs", []) if n in self.champs])
        return evenement, cree

    def charger_evenement(self, spec, programme, jour, **extra):
        champs = self._champs_evenement(spec, jour)
        champs.update(programme=programme, publication=Evenement.Publication.PUBLIE, message_moderation="", **extra)
        return self._enregistrer(spec, champs)[0]

    def charger_propositions(self, mois):
        """Create the two events an actor submitted for the Mois; they wait in the moderation queue."""
        proposant = get_user_model().objects.filter(email=PROPOSES_PAR).first()
        evenements = []
        for spec in EVENEMENTS_A_MODERER:
            champs = self._champs_evenement(spec, datetime.date(2026, 11, spec["jour"]))
            champs.update(programme=mois, propose_par=proposant)
            evenement, cree = self._enregistrer(spec, champs)
            if cree:
                evenement = services.soumettre(evenement, par=proposant)
            elif evenement.publication != Evenement.Publication.A_MODERER:
                # Back to its demo state after someone moderated it while trying the demo.
                Evenement.objects.filter(pk=evenement.pk).update(
                    publication=Evenement.Publication.A_MODERER, message_moderation="")
                evenement.refresh_from_db()
            evenements.append(evenement)
        return evenements

    def charger_assises(self):
        programme = self.charger_programme(ASSISES)
        jour = datetime.date(*ASSISES["date_debut"])
        spec = dict(JOURNEE_ASSISES, plateforme=True)
        journee = self.charger_evenement(spec, programme, jour)
        sequences = []
        for heures, slug, titre, type_, salle, intervenants, structures in SEQUENCES_ASSISES:
            spec_seq = {"slug": slug, "titre": titre, "type": type_, "heures": heures, "lieu": JOURNEE_ASSISES["lieu"],
                        "precision": salle, "intervenants": intervenants, "structures": structures,
                        "publics": JOURNEE_ASSISES["publics"], "inscription": "libre",
                        "resume": f"Séquence des Assises de l'ESS 2027 ({salle})."}
            sequences.append(self.charger_evenement(spec_seq, programme, jour, parent=journee))
        debut, fin = (_instant(jour, h) for h in CRENEAU_ATELIERS["heures"])
        creneau, _ = Creneau.objects.update_or_create(
            programme=programme, libelle=CRENEAU_ATELIERS["libelle"], defaults={"debut": debut, "fin": fin})
        ateliers = []
        for slug, titre, salle, intervenants, structures, champs, questions in ATELIERS_ASSISES:
            questions_html = "".join(f"<li>{q}</li>" for q in questions)
            spec_at = {
                "slug": slug, "titre": titre, "type": "atelier_assises", "heures": CRENEAU_ATELIERS["heures"],
                "lieu": JOURNEE_ASSISES["lieu"], "precision": f"{salle} ({PLACES_ATELIER} places)",
                "intervenants": intervenants, "structures": structures, "publics": JOURNEE_ASSISES["publics"],
                "champs": champs, "inscription": "obligatoire", "plateforme": True, "places": PLACES_ATELIER,
                "resume": f"Atelier parallèle des Assises, {salle}. Un seul atelier par participant·e.",
                "description": f"<p>Questions de travail :</p><ul>{questions_html}</ul>",
            }
            ateliers.append(self.charger_evenement(spec_at, programme, jour, parent=journee, creneau=creneau))
        self.charger_inscrits(journee, ateliers)
        for evenement in [journee, *ateliers]:
            evenement.refresh_from_db()
        return {"assises": programme, "journee": journee, "sequences": sequences, "creneau": creneau,
                "ateliers": ateliers}

    def charger_inscrits(self, journee, ateliers):
        """Register the 96 demo participants of the day, and those who chose a workshop."""
        User = get_user_model()
        participants = []  # (user, workshop index or None)
        for email, atelier in INSCRITS_NOMMES:
            user = User.objects.filter(email=email).first()
            if user is not None:
                participants.append((user, atelier))
        restants = [n - sum(1 for _, a in participants if a == i) for i, n in enumerate(INSCRITS_ATELIERS)]
        choix = [i for i, n in enumerate(restants) for _ in range(n)]
        for k in range(JOURNEE_ASSISES["inscrits"] - len(participants)):
            email = EMAIL_PARTICIPANT.format(k + 1)
            user, _ = User.objects.get_or_create(email=email, defaults={
                "first_name": PRENOMS[k % len(PRENOMS)], "last_name": NOMS[(k * 7 + k // len(NOMS)) % len(NOMS)],
                "password": make_password(None), "is_demo": True,
            })
            participants.append((user, choix[k] if k < len(choix) else None))
        for user, atelier in participants:
            _inscrire_demo(journee, user)
            if atelier is not None:
                _inscrire_demo(ateliers[atelier], user)
        for evenement in [journee, *ateliers]:
            confirmes = evenement.inscriptions.filter(statut=Inscription.Statut.CONFIRMEE).count()
            Evenement.objects.filter(pk=evenement.pk).update(nb_confirmes=confirmes)


def _inscrire_demo(evenement, user):
    """Write a confirmed registration (seed data: no e-mail, the counter is set afterwards)."""
    actives = Inscription.objects.filter(user=user).exclude(statut=Inscription.Statut.ANNULEE)
    if actives.filter(evenement=evenement).exists():
        return
    if evenement.creneau_id:
        actives.filter(creneau_id=evenement.creneau_id).update(statut=Inscription.Statut.ANNULEE)
    Inscription.objects.create(evenement=evenement, user=user, creneau_id=evenement.creneau_id,
                               statut=Inscription.Statut.CONFIRMEE)


def donner_droit_de_moderation(email=MODERATRICE):
    """Let the CRESS coordinator work the moderation queue in the Wagtail admin without being an agent.

    ``moderer_evenement`` makes her a moderator (``evenements.rules``); the Wagtail admin also needs
    ``access_admin``, and the event listing and edit views the model's view and change permissions.
    """
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        return None
    condition = Q()
    for app_label, codename in PERMISSIONS_MODERATRICE:
        condition |= Q(content_type__app_label=app_label, codename=codename)
    user.user_permissions.add(*Permission.objects.filter(condition))
    return user


def charger(stdout=None):
    """Create or update the agenda demo data; return what was loaded."""
    with transaction.atomic():
        assurer_publics()
        return _Chargeur(stdout).charger()


def supprimer():
    """Remove only the agenda demo objects: registrations first, then events, programmes, venues."""
    User = get_user_model()
    with transaction.atomic():
        Inscription.objects.filter(evenement__is_demo=True).delete()
        User.objects.filter(is_demo=True, email__startswith="participant-assises-").delete()
        Evenement.objects.filter(is_demo=True).delete()
        # A demo programme or venue that a real event still uses stays (on_delete=PROTECT).
        Programme.objects.filter(is_demo=True).exclude(evenements__isnull=False).delete()
        Lieu.objects.filter(is_demo=True).exclude(evenements__isnull=False).delete()
        moderatrice = User.objects.filter(email=MODERATRICE, is_demo=True).first()
        if moderatrice is not None:
            moderatrice.user_permissions.remove(*Permission.objects.filter(
                content_type__app_label="evenements", codename__in=["moderer_evenement", "view_evenement",
                                                                    "change_evenement"]))
