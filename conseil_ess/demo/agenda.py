"""The demo's agenda (``donnees/agenda.toml``): venues, the story's Mois de l'ESS, the next one, the Assises.

Every object is found by its slug (registrations by person and event) and put back in its demo state;
everything created carries ``is_demo=True`` and ``supprimer`` removes only that. Events are written as
published (the demo is seeded, not lived); the events awaiting moderation go through
``evenements.services.soumettre`` when first created, so that the moderators are told. Registrations are
written directly (no e-mail each), and only on events that have not ended: the service refuses a
registration to a past event, and the Assises' registrations were all made before the day.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db.models import Q

from conseil_ess.comptes.models import ChampAction, Commune, Structure
from evenements import services
from evenements.models import Creneau, Evenement, Inscription, Lieu, Programme, Public
from evenements.setup import assurer_publics

from .commun import uid_demo

MODERATRICE = "claire.vasseur@example.org"
# What a CRESS coordinator needs to work the moderation queue without being an agent (README, admin).
PERMISSIONS_MODERATRICE = [
    ("wagtailadmin", "access_admin"),
    ("evenements", "moderer_evenement"),
    ("evenements", "view_evenement"),
    ("evenements", "change_evenement"),
]
EMAIL_PARTICIPANT = "participant-assises-{:02d}@example.org"


class _Chargeur:
    def __init__(self, ctx):
        self.ctx = ctx
        self.recit = ctx.recit
        self.donnees = ctx.donnees("agenda")
        self.communes = {c.slug: c for c in Commune.objects.all()}
        self.structures = {s.slug: s for s in Structure.objects.all()}
        self.publics = {p.code: p for p in Public.objects.all()}
        self.champs = {c.numero: c for c in ChampAction.objects.all()}
        self.lieux = {}

    def charger(self):
        self.charger_lieux()
        mois = self.charger_programme(self.donnees["mois"], self.recit.an())
        evenements = [self.charger_evenement(spec, mois) for spec in self.donnees["mois"]["evenements"]]
        suivant = self.charger_programme(self.donnees["mois_suivant"], self.recit.an(1))
        evenements_suivants = [self.charger_evenement(spec, suivant)
                               for spec in self.donnees["mois_suivant"]["evenements"]]
        # Before the submissions, so that the coordinator is among the moderators they notify.
        donner_droit_de_moderation()
        a_moderer = self.charger_a_moderer(suivant)
        assises = self.charger_assises()
        self.ctx.ecrire(
            f"Agenda : {len(self.lieux)} lieux, {len(evenements)} événements du {mois.titre}, "
            f"{len(evenements_suivants)} du {suivant.titre} et {len(a_moderer)} à modérer, Assises du "
            f"{self.recit.en_mots(assises['jour'])} ({assises['journee'].nb_confirmes} inscrit·e·s).")
        return {"lieux": self.lieux, "mois": mois, "evenements": evenements, "mois_suivant": suivant,
                "evenements_suivants": evenements_suivants, "a_moderer": a_moderer, **assises}

    def charger_lieux(self):
        for spec in self.donnees["lieux"]:
            lat, lon = spec.get("latitude"), spec.get("longitude")
            self.lieux[spec["slug"]], _ = Lieu.objects.update_or_create(slug=spec["slug"], defaults={
                "nom": spec["nom"], "commune": self.communes.get(spec.get("commune")), "adresse": spec["adresse"],
                "latitude": Decimal(lat) if lat else None, "longitude": Decimal(lon) if lon else None,
                "capacite": spec.get("capacite"), "accessibilite": spec["accessibilite"],
                "infos_accessibilite": spec["infos_accessibilite"], "en_ligne": spec["slug"] == "en-ligne",
                "is_demo": True,
            })

    def charger_programme(self, spec, annee):
        """A Mois de l'ESS: the whole of November of ``annee``; open to proposals until it ends."""
        debut, fin = datetime.date(annee, 11, 1), datetime.date(annee, 11, 30)
        programme, _ = Programme.objects.update_or_create(slug=spec["slug"], defaults={
            "titre": spec["titre"], "type": spec["type"], "description": spec["description"],
            "date_debut": debut, "date_fin": fin, "coordination": self.structures.get(spec["coordination"]),
            "ouvert_aux_propositions": spec["ouvert_aux_propositions"] and not self.recit.passe(fin),
            "is_demo": True,
        })
        return programme

    def _bornes(self, spec):
        if spec.get("journee_entiere"):
            minuit = datetime.time(0, 0)
            return self.recit.a(spec["debut"], minuit), self.recit.a(spec["fin"] + datetime.timedelta(days=1), minuit)
        return spec["debut"], spec["fin"]

    def _champs_evenement(self, spec):
        """Return the model fields of one event of the data file."""
        lieu = self.lieux.get(spec.get("lieu"))
        debut, fin = self._bornes(spec)
        commune = lieu.commune if lieu else self.communes.get(spec.get("commune"))
        plateforme = spec.get("plateforme", False)
        return {
            "titre": spec["titre"], "resume": spec.get("resume", ""), "description": spec.get("description", ""),
            "type": spec["type"], "debut": debut, "fin": fin, "journee_entiere": bool(spec.get("journee_entiere")),
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

    def charger_evenement(self, spec, programme, **extra):
        champs = self._champs_evenement(spec)
        champs.update(programme=programme, publication=Evenement.Publication.PUBLIE, message_moderation="", **extra)
        return self._enregistrer(spec, champs)[0]

    def charger_a_moderer(self, programme):
        """The events an actor submitted for the next Mois de l'ESS; they wait in the moderation queue."""
        spec_file = self.donnees["a_moderer"]
        proposant = get_user_model().objects.filter(email=spec_file["propose_par"]).first()
        evenements = []
        for spec in spec_file["evenements"]:
            champs = self._champs_evenement(spec)
            champs.update(programme=programme, propose_par=proposant)
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
        spec = self.donnees["assises"]
        jour = spec["date"]
        programme, _ = Programme.objects.update_or_create(slug=spec["slug"], defaults={
            "titre": spec["titre"], "type": spec["type"], "description": spec["description"],
            "date_debut": jour, "date_fin": jour, "coordination": self.structures.get(spec["coordination"]),
            "ouvert_aux_propositions": spec["ouvert_aux_propositions"], "is_demo": True,
        })
        spec_jour = spec["journee"]
        lieu = spec_jour["lieu"]

        def du_jour(sous_spec, **autres):
            return {**sous_spec, "debut": self.recit.a(jour, sous_spec["debut"]),
                    "fin": self.recit.a(jour, sous_spec["fin"]), **autres}

        journee = self.charger_evenement(du_jour(spec_jour, plateforme=True), programme)
        sequences = []
        for seq in spec["sequences"]:
            spec_seq = du_jour(seq, lieu=lieu, precision=seq["salle"], publics=spec_jour["publics"],
                               inscription="libre",
                               resume=f"Séquence des {spec['titre']} ({seq['salle']}).")
            sequences.append(self.charger_evenement(spec_seq, programme, parent=journee))
        creneau_spec = spec["creneau"]
        creneau, _ = Creneau.objects.update_or_create(
            programme=programme, libelle=creneau_spec["libelle"],
            defaults={"debut": self.recit.a(jour, creneau_spec["debut"]),
                      "fin": self.recit.a(jour, creneau_spec["fin"])})
        places = spec["inscriptions"]["places_par_atelier"]
        ateliers = []
        for at in spec["ateliers"]:
            questions = "".join(f"<li>{q}</li>" for q in at["questions"])
            spec_at = du_jour(creneau_spec, slug=at["slug"], titre=at["titre"], type="atelier_assises", lieu=lieu,
                              precision=f"{at['salle']} ({places} places)", intervenants=at["intervenants"],
                              structures=at["structures"], publics=spec_jour["publics"], champs=at["champs"],
                              inscription="obligatoire", plateforme=True, places=places,
                              resume=f"Atelier parallèle des Assises, {at['salle']}. Un seul atelier par "
                                     f"participant·e.",
                              description=f"<p>Questions de travail :</p><ul>{questions}</ul>")
            ateliers.append(self.charger_evenement(spec_at, programme, parent=journee, creneau=creneau))
        self.charger_inscrits(spec, journee, ateliers)
        for evenement in [journee, *ateliers]:
            evenement.refresh_from_db()
        return {"assises": programme, "jour": jour, "journee": journee, "sequences": sequences, "creneau": creneau,
                "ateliers": ateliers}

    def charger_inscrits(self, spec, journee, ateliers):
        """Register the demo participants of the day, and those who chose a workshop (before the day)."""
        User = get_user_model()
        inscriptions = spec["inscriptions"]
        participants = []  # (user, workshop index or None)
        for nommee in inscriptions["nommees"]:
            user = User.objects.filter(email=nommee["email"]).first()
            if user is not None:
                participants.append((user, nommee["atelier"]))
        restants = [n - sum(1 for _, a in participants if a == i) for i, n in enumerate(inscriptions["par_atelier"])]
        choix = [i for i, n in enumerate(restants) for _ in range(n)]
        prenoms, noms = inscriptions["prenoms"], inscriptions["noms"]
        for k in range(spec["journee"]["inscrits"] - len(participants)):
            user, _ = User.objects.get_or_create(email=EMAIL_PARTICIPANT.format(k + 1), defaults={
                "first_name": prenoms[k % len(prenoms)], "last_name": noms[(k * 7 + k // len(noms)) % len(noms)],
                "password": make_password(None), "is_demo": True,
            })
            participants.append((user, choix[k] if k < len(choix) else None))
        avant = min(self.recit.maintenant, journee.debut)
        for k, (user, atelier) in enumerate(participants):
            le = avant - datetime.timedelta(hours=7 * (len(participants) - k))
            _inscrire_demo(journee, user, le)
            if atelier is not None:
                _inscrire_demo(ateliers[atelier], user, le)
        for evenement in [journee, *ateliers]:
            confirmes = evenement.inscriptions.filter(statut=Inscription.Statut.CONFIRMEE).count()
            Evenement.objects.filter(pk=evenement.pk).update(nb_confirmes=confirmes)


def _inscrire_demo(evenement, user, le):
    """Write a confirmed registration made at ``le`` (seed data: no e-mail; the counter is set afterwards)."""
    actives = Inscription.objects.filter(user=user).exclude(statut=Inscription.Statut.ANNULEE)
    if actives.filter(evenement=evenement).exists():
        return
    if evenement.creneau_id:
        actives.filter(creneau_id=evenement.creneau_id).update(statut=Inscription.Statut.ANNULEE)
    Inscription.objects.create(evenement=evenement, user=user, creneau_id=evenement.creneau_id,
                               statut=Inscription.Statut.CONFIRMEE, cree_le=le)


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


def charger(ctx):
    """Create or update the agenda demo data; return what was loaded."""
    assurer_publics()
    return _Chargeur(ctx).charger()


def supprimer():
    """Remove only the agenda demo objects: registrations first, then events, programmes, venues."""
    User = get_user_model()
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
