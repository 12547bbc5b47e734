"""Load and remove the ateliers part of the demo data, and the membership of the Conseil.
Called by ``manage.py charger_demo`` after the agenda (the meetings use its venues, and one of them is
an event of its Mois de l'ESS).

``charger`` is idempotent: cycles, themes and ateliers are looked up by slug, meetings by their event's
slug, members and mandates by person; each is put back in its demo state. Everything that has the
field carries ``is_demo=True``; ``supprimer`` removes only that.

Demo data is seeded, not lived: rows are written directly (no notification per member, meeting or
minutes), with dates in the past for what already happened, then the role groups are synchronised.
Without demo accounts (``--sans-utilisateurs``) the ateliers and their meetings still load, without
people (attendance is then all "without an account").
"""

import datetime
import html
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from conseil_ess.comptes.demo import email_demo
from conseil_ess.comptes.models import Adhesion, ChampAction, College, MembreConseil, Structure
from conseil_ess.comptes.services import _synchroniser_groupe_membre
from conseil_ess.comptes.setup import COLLEGES
from evenements.demo import uid_demo
from evenements.models import Evenement, Lieu, Public, TypeEvenement

from .demo_donnees import (
    ADHESION_DEPUIS,
    ATELIERS,
    ATELIERS_2025,
    CYCLES,
    DEMANDES,
    MANDATS,
    MEMBRES,
    PERSONAS,
    REUNIONS,
    REUNIONS_2025,
    SECRETARIAT,
    THEMATIQUES,
    VOTE_DATE,
    VOTE_LIBELLE,
)
from .models import (
    Atelier,
    CompteRendu,
    Cycle,
    DocumentCompteRendu,
    Participation,
    Presence,
    Reunion,
    ThematiqueAnnuelle,
)
from .services import synchroniser_groupe_animateur

PARIS = ZoneInfo("Europe/Paris")
PS = Participation.Statut
# Events of the agenda demo that are atelier meetings: linked here, created and removed by the agenda.
EVENEMENTS_DE_L_AGENDA = {spec["mois"] for spec in REUNIONS if spec.get("mois")}
PUBLICS_REUNION = ["structures_ess", "elus_agents", "grand_public"]
PUBLICS_REUNION_RESERVEE = ["structures_ess"]
DELAI_COMPTE_RENDU = datetime.timedelta(days=4)


def _instant(jour, heure):
    h, m = (int(x) for x in heure.split(":"))
    return datetime.datetime.combine(jour, datetime.time(h, m), tzinfo=PARIS)


def _moment(valeurs):
    """(année, mois, jour, heure, minute) in Europe/Paris → aware datetime."""
    return datetime.datetime(*valeurs, tzinfo=PARIS)


def _liste(points, balise="ul"):
    return f"<{balise}>" + "".join(f"<li>{html.escape(p, quote=False)}</li>" for p in points) + f"</{balise}>"


def _majuscule(texte):
    return texte[:1].upper() + texte[1:]


def personnes_demo():
    """Return {persona code: demo account or None} (None when the demo was loaded without accounts)."""
    User = get_user_model()
    emails = {code: email_demo(prenom, nom) for code, (prenom, nom) in PERSONAS.items()}
    trouves = {u.email: u for u in User.objects.filter(email__in=emails.values(), is_demo=True)}
    return {code: trouves.get(email) for code, email in emails.items()}


class _Chargeur:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.personnes = personnes_demo()
        self.structures = {s.slug: s for s in Structure.objects.all()}
        self.champs = {c.numero: c for c in ChampAction.objects.all()}
        self.lieux = {lieu.slug: lieu for lieu in Lieu.objects.all()}
        self.publics = {p.code: p for p in Public.objects.all()}
        self.specs_ateliers = {spec["code"]: spec for spec in ATELIERS + ATELIERS_2025}

    def ecrire(self, texte):
        if self.stdout is not None:
            self.stdout.write(texte)

    def personne(self, code):
        return self.personnes.get(code) if code else None

    def charger(self):
        cycles = {spec["slug"]: self.charger_cycle(spec) for spec in CYCLES}
        thematiques = self.charger_thematiques(cycles["2026"])
        ateliers = {}
        for ordre, spec in enumerate(ATELIERS, start=1):
            ateliers[spec["code"]] = self.charger_atelier(spec, cycles["2026"], ordre, thematiques,
                                                          cree_le=_moment((2026, 1, 15, 10, 0)))
        for ordre, spec in enumerate(ATELIERS_2025, start=1):
            ateliers[spec["code"]] = self.charger_atelier(spec, cycles["2025"], ordre, {},
                                                          cree_le=_moment((2025, 1, 20, 10, 0)))
        participations = self.charger_participations(ateliers)
        reunions = [r for spec in REUNIONS + REUNIONS_2025
                    if (r := self.charger_reunion(spec, ateliers[spec["atelier"]])) is not None]
        for user in filter(None, self.personnes.values()):
            synchroniser_groupe_animateur(user)
        mandats = self.charger_mandats()
        comptes_rendus = sum(1 for r in reunions if hasattr(r, "compte_rendu"))
        self.ecrire(f"Ateliers : {len(cycles)} cycles, {len(thematiques)} thématiques annuelles, {len(ateliers)} "
                    f"ateliers, {len(reunions)} réunions ({comptes_rendus} comptes rendus), "
                    f"{participations} participations, {len(mandats)} mandats au Conseil.")
        return {"cycles": cycles, "thematiques": thematiques, "ateliers": ateliers, "reunions": reunions,
                "mandats": mandats}

    # --- Cycles, themes, ateliers ---------------------------------------------------------------

    def charger_cycle(self, spec):
        archive = spec["statut"] == Cycle.Statut.ARCHIVE
        cycle, _ = Cycle.objects.update_or_create(slug=spec["slug"], defaults={
            "titre": spec["titre"], "date_debut": datetime.date(*spec["debut"]),
            "date_fin": datetime.date(*spec["fin"]), "description": spec["description"], "statut": spec["statut"],
            "archive_le": _moment(spec["archive_le"]) if archive else None, "is_demo": True,
        })
        return cycle

    def charger_thematiques(self, cycle):
        thematiques = {}
        for ordre, (code, slug, titre, statut, suite, description) in enumerate(THEMATIQUES, start=1):
            thematiques[code], _ = ThematiqueAnnuelle.objects.update_or_create(cycle=cycle, slug=slug, defaults={
                "titre": titre, "statut": statut, "description": description, "vote_libelle": VOTE_LIBELLE,
                "vote_date": datetime.date(*VOTE_DATE), "vote_commentaire": suite, "ordre": ordre, "is_demo": True,
            })
        return thematiques

    def charger_atelier(self, spec, cycle, ordre, thematiques, cree_le):
        adhesion = Atelier.Adhesion.SUR_DEMANDE if spec.get("sur_demande") else Atelier.Adhesion.OUVERT
        atelier, _ = Atelier.objects.update_or_create(slug=spec["slug"], defaults={
            "cycle": cycle, "titre": spec["titre"], "resume": spec["resume"], "description": spec["description"],
            "questions": spec["questions"], "thematique": thematiques.get(spec.get("thematique")),
            "mode_adhesion": adhesion, "binome_elu": self.personne(spec["elu"]),
            "binome_agent": self.personne(spec["agent"]), "binome_texte": spec.get("binome_texte", ""),
            "coanimation_texte": spec.get("coanimation_texte", ""), "rythme": spec["rythme"], "ordre": ordre,
            "cree_le": cree_le, "is_demo": True,
        })
        atelier.champs.set([self.champs[n] for n in spec["champs"]])
        atelier.structures_coanimatrices.set([self.structures[s] for s in spec["structures"]])
        animateurs = [u for u in map(self.personne, spec["animateurs"]) if u is not None]
        if animateurs:  # without demo accounts, the atelier has no named animation
            atelier.animateurs.set(animateurs)
        return atelier

    def charger_participations(self, ateliers):
        """Accepted members by persona, and the pending request on the atelier "sur demande"."""
        nombre = 0
        depuis = _moment(ADHESION_DEPUIS)
        for code, codes_ateliers in MEMBRES.items():
            user = self.personne(code)
            if user is None:
                continue
            for code_atelier in codes_ateliers:
                Participation.objects.update_or_create(atelier=ateliers[code_atelier], user=user, defaults={
                    "statut": PS.ACCEPTEE, "message": "", "cree_le": depuis, "modifie_le": depuis,
                    "decide_par": None, "is_demo": True,
                })
                nombre += 1
        for code, code_atelier, message, quand in DEMANDES:
            user = self.personne(code)
            if user is None:
                continue
            Participation.objects.update_or_create(atelier=ateliers[code_atelier], user=user, defaults={
                "statut": PS.DEMANDEE, "message": message, "cree_le": _moment(quand), "modifie_le": _moment(quand),
                "decide_par": None, "is_demo": True,
            })
            nombre += 1
        return nombre

    # --- Meetings -------------------------------------------------------------------------------

    def charger_reunion(self, spec, atelier):
        jour = datetime.date(*spec["date"])
        debut, fin = (_instant(jour, h) for h in spec["heures"])
        specs_atelier = self.specs_ateliers[spec["atelier"]]
        animation = [u for u in map(self.personne, specs_atelier["animateurs"]) if u is not None]
        redacteur = animation[0] if animation else self.personne(specs_atelier["agent"])
        if spec.get("mois"):
            evenement = Evenement.objects.filter(slug=spec["mois"]).first()
            if evenement is None:
                self.ecrire(f"Ateliers : l'événement « {spec['mois']} » de l'agenda manque ; réunion ignorée.")
                return None
        else:
            evenement = self.charger_evenement(spec, atelier, debut, fin, redacteur)
        ordre_du_jour = spec.get("ordre_du_jour") or [
            "Accueil et tour de table", _majuscule(spec.get("sujet", atelier.titre)),
            "Suites à donner et prochaine réunion",
        ]
        reunion, _ = Reunion.objects.update_or_create(evenement=evenement, defaults={
            "atelier": atelier, "ordre_du_jour": _liste(ordre_du_jour, "ol"), "cree_par": redacteur, "is_demo": True,
        })
        if "compte_rendu" in spec:
            self.charger_tenue(reunion, spec, specs_atelier, fin, redacteur)
        return reunion

    def charger_evenement(self, spec, atelier, debut, fin, propose_par):
        lieu = self.lieux[spec["lieu"]]
        reservee = spec.get("reservee", False)
        slug = f"{atelier.slug}-{debut:%Y-%m-%d}"
        acces = ("Réunion réservée aux membres de l'atelier." if reservee
                 else "Réunion ouverte : les personnes intéressées sont les bienvenues, sans inscription.")
        evenement, _ = Evenement.objects.update_or_create(slug=slug, defaults={
            "titre": f"Atelier « {atelier.titre} » : {spec['sujet']}",
            "resume": f"Réunion de l'atelier thématique « {atelier.titre} » du Conseil de l'ESS.",
            "description": f"<p>Au programme : {html.escape(spec['sujet'], quote=False)}.</p><p>{acces}</p>",
            "type": TypeEvenement.REUNION_ATELIER, "debut": debut, "fin": fin, "journee_entiere": False,
            "mode": Evenement.Mode.PRESENTIEL, "lieu": lieu, "precision_lieu": "", "commune": lieu.commune,
            "lien_en_ligne": "", "programme": None, "parent": None, "creneau": None,
            "organisateurs_texte": f"Conseil de l'ESS – atelier « {atelier.titre} »", "intervenants": "",
            "gratuit": True, "tarif": "", "accessibilite": lieu.accessibilite,
            "inscription": Evenement.Inscription.LIBRE, "inscription_sur_plateforme": False, "capacite": None,
            "visibilite": Evenement.Visibilite.MEMBRES if reservee else Evenement.Visibilite.PUBLIC,
            "publication": Evenement.Publication.PUBLIE, "message_moderation": "",
            "statut": Evenement.Statut.CONFIRME, "motif_statut": "", "propose_par": propose_par,
            "uid": uid_demo(slug), "is_demo": True,
        })
        evenement.champs.set(atelier.champs.all())
        evenement.structures.set(atelier.structures_coanimatrices.all())
        codes = PUBLICS_REUNION_RESERVEE if reservee else PUBLICS_REUNION
        evenement.publics.set([self.publics[c] for c in codes if c in self.publics])
        return evenement

    def charger_tenue(self, reunion, spec, specs_atelier, fin, redacteur):
        """A held meeting: its attendance (members with an account, the others counted) and its minutes,
        published a few days after the meeting."""
        membres = [c for c, ateliers in MEMBRES.items() if specs_atelier["code"] in ateliers]
        codes = specs_atelier["animateurs"] + membres
        presents = [u for u in map(self.personne, codes) if u is not None]
        ids = {u.pk for u in presents}
        reunion.presences.exclude(user_id__in=ids).delete()
        for user in presents:
            Presence.objects.update_or_create(reunion=reunion, user=user, defaults={
                "enregistree_par": redacteur, "enregistree_le": fin})
        total = spec["total"]
        Reunion.objects.filter(pk=reunion.pk).update(
            nb_presents=len(ids), participants_sans_compte=total - len(ids),
            presences_saisies_le=fin + datetime.timedelta(hours=1))
        publie_le = datetime.datetime.combine(fin.date() + DELAI_COMPTE_RENDU, datetime.time(10, 0), tzinfo=PARIS)
        CompteRendu.objects.update_or_create(reunion=reunion, defaults={
            "contenu": _liste(spec["compte_rendu"]), "statut": CompteRendu.Statut.PUBLIE,
            "interne": spec.get("interne", False), "redige_par": redacteur, "publie_le": publie_le, "is_demo": True,
        })
        reunion.refresh_from_db()

    # --- Membership of the Conseil ----------------------------------------------------------------

    def charger_mandats(self):
        """The demo members of the Conseil, in the default collèges; one request awaits the secrétariat."""
        noms_colleges = {slug: (nom, ordre) for ordre, (slug, nom) in enumerate(COLLEGES, start=1)}
        secretariat = self.personne(SECRETARIAT)
        mandats = []
        for code, slug_structure, slug_college, statut, public, demande_le, decide_le, motivation in MANDATS:
            user = self.personne(code)
            if user is None:
                continue
            structure = self.structures[slug_structure]
            nom, ordre = noms_colleges[slug_college]
            college, _ = College.objects.get_or_create(slug=slug_college, defaults={"nom": nom, "ordre": ordre})
            # One represents only a structure one belongs to (the élu·e·s: their collectivité).
            adhesion, _ = Adhesion.objects.get_or_create(user=user, structure=structure, defaults={
                "role": Adhesion.Role.MEMBRE, "statut": Adhesion.Statut.ACCEPTEE,
                "decide_le": _moment(demande_le)})
            if adhesion.statut != Adhesion.Statut.ACCEPTEE:
                adhesion.statut, adhesion.decide_le = Adhesion.Statut.ACCEPTEE, _moment(demande_le)
                adhesion.save(update_fields=["statut", "decide_le"])
            # Back to the demo state: whatever was asked or decided while trying the demo goes.
            MembreConseil.objects.filter(user=user).exclude(structure=structure, is_demo=True).delete()
            valide = statut == MembreConseil.Statut.VALIDE
            mandat, _ = MembreConseil.objects.update_or_create(user=user, structure=structure, is_demo=True, defaults={
                "college": college, "statut": statut, "motivation": motivation, "affichage_public": public,
                "motif": "", "demande_le": _moment(demande_le),
                "decide_le": _moment(decide_le) if decide_le else None,
                "decide_par": secretariat if valide else None,
            })
            _synchroniser_groupe_membre(user)
            mandats.append(mandat)
        return mandats


def charger(stdout=None):
    """Create or update the ateliers demo data and the Conseil's members; return what was loaded."""
    with transaction.atomic():
        return _Chargeur(stdout).charger()


def supprimer():
    """Remove only the demo objects of this part: mandates, meetings (and the events created for them,
    not the agenda's own), ateliers, themes and cycles. An atelier where someone scheduled a real meeting
    stays, and so does its cycle."""
    User = get_user_model()
    with transaction.atomic():
        membres = list(User.objects.filter(mandats_conseil__is_demo=True).distinct())
        MembreConseil.objects.filter(is_demo=True).delete()
        for user in membres:
            _synchroniser_groupe_membre(user)

        reunions = Reunion.objects.filter(is_demo=True)
        evenements = list(reunions.values_list("evenement_id", flat=True))
        for document in DocumentCompteRendu.objects.filter(compte_rendu__reunion__in=reunions):
            document.fichier.delete(save=False)
        reunions.delete()  # attendance and minutes go with them; Reunion.evenement is PROTECT
        Evenement.objects.filter(pk__in=evenements, is_demo=True).exclude(slug__in=EVENEMENTS_DE_L_AGENDA).delete()

        # An atelier where someone scheduled a real meeting, or that works on a real proposal, stays.
        ateliers = Atelier.objects.filter(is_demo=True, reunions__isnull=True, propositions__isnull=True)
        animateurs = list(User.objects.filter(ateliers_animes__in=ateliers).distinct())
        Atelier.objects.filter(pk__in=list(ateliers.values_list("pk", flat=True))).delete()
        for user in animateurs:  # a cascade sends no m2m_changed
            synchroniser_groupe_animateur(user)
        Cycle.objects.filter(is_demo=True, ateliers__isnull=True).exclude(thematiques__is_demo=False).delete()
