"""The demo's ateliers and the membership of the Conseil (``donnees/ateliers.toml``).

Cycles, themes and ateliers are found by slug, meetings by their event's slug, members and mandates by
person; each is put back in its demo state. Everything that has the field carries ``is_demo=True``;
``supprimer`` removes only that.

Seeded, not lived: rows are written directly (no notification per member, meeting or minutes), then the
role groups are synchronised. A meeting's state follows the day of loading: once it has ended, its
attendance is recorded and its minutes are written, published four days later (a draft until then);
before, it is planned with its agenda. A request still pending is dated at the latest an hour ago.
Without demo accounts (``--sans-utilisateurs``) the ateliers and their meetings still load, without people.
"""

import datetime
import html

from django.contrib.auth import get_user_model

from ateliers.models import (
    Atelier,
    CompteRendu,
    Cycle,
    DocumentCompteRendu,
    Participation,
    Presence,
    Reunion,
    ThematiqueAnnuelle,
)
from ateliers.services import synchroniser_groupe_animateur
from conseil_ess.comptes.models import Adhesion, ChampAction, College, MembreConseil, Structure
from conseil_ess.comptes.services import _synchroniser_groupe_membre
from conseil_ess.comptes.setup import COLLEGES
from evenements.models import Evenement, Lieu, Public, TypeEvenement

from .commun import uid_demo

PS = Participation.Statut
PUBLICS_REUNION = ["structures_ess", "elus_agents", "grand_public"]
PUBLICS_REUNION_RESERVEE = ["structures_ess"]
DELAI_COMPTE_RENDU = datetime.timedelta(days=4)


def _liste(points, balise="ul"):
    return f"<{balise}>" + "".join(f"<li>{html.escape(p, quote=False)}</li>" for p in points) + f"</{balise}>"


def _majuscule(texte):
    return texte[:1].upper() + texte[1:]


class _Chargeur:
    def __init__(self, ctx):
        self.ctx = ctx
        self.recit = ctx.recit
        self.donnees = ctx.donnees("ateliers")
        self.structures = {s.slug: s for s in Structure.objects.all()}
        self.champs = {c.numero: c for c in ChampAction.objects.all()}
        self.lieux = {lieu.slug: lieu for lieu in Lieu.objects.all()}
        self.publics = {p.code: p for p in Public.objects.all()}
        self.specs_ateliers = {spec["code"]: spec for spec in self.donnees["ateliers"]}
        self.membres = {code: codes for code, codes in self.donnees["membres"].items() if code != "depuis"}

    def personne(self, code):
        return self.ctx.personne(code)

    def charger(self):
        cycles = {spec["slug"]: self.charger_cycle(spec) for spec in self.donnees["cycles"]}
        cycle_du_recit = cycles[str(self.recit.an())]
        thematiques = self.charger_thematiques(cycle_du_recit)
        ateliers = {}
        ordres = {}
        for spec in self.donnees["ateliers"]:
            ordres[spec["cycle"]] = ordres.get(spec["cycle"], 0) + 1
            ateliers[spec["code"]] = self.charger_atelier(
                spec, cycles[spec["cycle"]], ordres[spec["cycle"]],
                thematiques if spec["cycle"] == cycle_du_recit.slug else {})
        participations = self.charger_participations(ateliers)
        reunions = [r for spec in self.donnees["reunions"]
                    if (r := self.charger_reunion(spec, ateliers[spec["atelier"]])) is not None]
        for user in filter(None, self.ctx.personnes.values()):
            synchroniser_groupe_animateur(user)
        mandats = self.charger_mandats()
        tenues = sum(1 for r in reunions if r.presences_saisies_le is not None)
        comptes_rendus = CompteRendu.objects.filter(reunion__in=reunions, statut=CompteRendu.Statut.PUBLIE).count()
        self.ctx.ecrire(
            f"Ateliers : {len(cycles)} cycles, {len(thematiques)} thématiques annuelles, {len(ateliers)} ateliers, "
            f"{len(reunions)} réunions ({tenues} tenues, {comptes_rendus} comptes rendus publiés), "
            f"{participations} participations, {len(mandats)} mandats au Conseil.")
        return {"cycles": cycles, "thematiques": thematiques, "ateliers": ateliers, "reunions": reunions,
                "mandats": mandats}

    # --- Cycles, themes, ateliers ---------------------------------------------------------------

    def charger_cycle(self, spec):
        annee = self.recit.an(spec["annee"])
        archive = spec["statut"] == Cycle.Statut.ARCHIVE
        cycle, _ = Cycle.objects.update_or_create(slug=spec["slug"], defaults={
            "titre": spec["titre"], "date_debut": datetime.date(annee, 1, 1),
            "date_fin": datetime.date(annee, 12, 31), "description": spec["description"], "statut": spec["statut"],
            "archive_le": spec["archive_le"] if archive else None, "is_demo": True,
        })
        return cycle

    def charger_thematiques(self, cycle):
        vote = self.donnees["vote_thematiques"]
        thematiques = {}
        for ordre, spec in enumerate(self.donnees["thematiques"], start=1):
            thematiques[spec["code"]], _ = ThematiqueAnnuelle.objects.update_or_create(
                cycle=cycle, slug=spec["slug"], defaults={
                    "titre": spec["titre"], "statut": spec["statut"], "description": spec["description"],
                    "vote_libelle": vote["libelle"], "vote_date": vote["date"], "vote_commentaire": spec["suite"],
                    "ordre": ordre, "is_demo": True,
                })
        return thematiques

    def charger_atelier(self, spec, cycle, ordre, thematiques):
        adhesion = Atelier.Adhesion.SUR_DEMANDE if spec.get("sur_demande") else Atelier.Adhesion.OUVERT
        atelier, _ = Atelier.objects.update_or_create(slug=spec["slug"], defaults={
            "cycle": cycle, "titre": spec["titre"], "resume": spec["resume"], "description": spec["description"],
            "questions": spec["questions"], "thematique": thematiques.get(spec.get("thematique")),
            "mode_adhesion": adhesion, "binome_elu": self.personne(spec.get("elu")),
            "binome_agent": self.personne(spec.get("agent")), "binome_texte": spec.get("binome_texte", ""),
            "coanimation_texte": spec.get("coanimation_texte", ""), "rythme": spec["rythme"], "ordre": ordre,
            "cree_le": spec["cree_le"], "is_demo": True,
        })
        atelier.champs.set([self.champs[n] for n in spec["champs"]])
        atelier.structures_coanimatrices.set([self.structures[s] for s in spec["structures"]])
        animateurs = [u for u in map(self.personne, spec["animateurs"]) if u is not None]
        if animateurs:  # without demo accounts, the atelier has no named animation
            atelier.animateurs.set(animateurs)
        return atelier

    def charger_participations(self, ateliers):
        """Accepted members by persona, and the request pending on the atelier "sur demande"."""
        nombre = 0
        depuis = self.donnees["membres"]["depuis"]
        for code, codes_ateliers in self.membres.items():
            user = self.personne(code)
            if user is None:
                continue
            for code_atelier in codes_ateliers:
                Participation.objects.update_or_create(atelier=ateliers[code_atelier], user=user, defaults={
                    "statut": PS.ACCEPTEE, "message": "", "cree_le": depuis, "modifie_le": depuis,
                    "decide_par": None, "is_demo": True,
                })
                nombre += 1
        for demande in self.donnees["demandes"]:
            user = self.personne(demande["personne"])
            if user is None:
                continue
            le = self.recit.au_plus_tard(demande["le"])
            Participation.objects.update_or_create(atelier=ateliers[demande["atelier"]], user=user, defaults={
                "statut": PS.DEMANDEE, "message": demande["message"], "cree_le": le, "modifie_le": le,
                "decide_par": None, "is_demo": True,
            })
            nombre += 1
        return nombre

    # --- Meetings -------------------------------------------------------------------------------

    def charger_reunion(self, spec, atelier):
        specs_atelier = self.specs_ateliers[spec["atelier"]]
        animation = [u for u in map(self.personne, specs_atelier["animateurs"]) if u is not None]
        redacteur = animation[0] if animation else self.personne(specs_atelier.get("agent"))
        if spec.get("mois"):
            evenement = Evenement.objects.filter(slug=spec["mois"]).first()
            if evenement is None:
                self.ctx.ecrire(f"Ateliers : l'événement « {spec['mois']} » de l'agenda manque ; réunion ignorée.")
                return None
        else:
            evenement = self.charger_evenement(spec, atelier, redacteur)
        ordre_du_jour = spec.get("ordre_du_jour") or [
            "Accueil et tour de table", _majuscule(spec.get("sujet", atelier.titre)),
            "Suites à donner et prochaine réunion",
        ]
        reunion, _ = Reunion.objects.update_or_create(evenement=evenement, defaults={
            "atelier": atelier, "ordre_du_jour": _liste(ordre_du_jour, "ol"), "cree_par": redacteur, "is_demo": True,
        })
        if self.recit.passe(evenement.fin):
            self.charger_tenue(reunion, spec, specs_atelier, evenement.fin, redacteur)
        else:  # to come: planned, nobody checked in yet, no minutes
            reunion.presences.all().delete()
            CompteRendu.objects.filter(reunion=reunion).delete()
            Reunion.objects.filter(pk=reunion.pk).update(nb_presents=0, participants_sans_compte=0,
                                                         presences_saisies_le=None)
            reunion.refresh_from_db()
        return reunion

    def charger_evenement(self, spec, atelier, propose_par):
        lieu = self.lieux[spec["lieu"]]
        reservee = spec.get("reservee", False)
        debut, fin = spec["debut"], spec["fin"]
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
        published a few days after the meeting (a draft until then)."""
        membres = [c for c, ateliers in self.membres.items() if specs_atelier["code"] in ateliers]
        codes = specs_atelier["animateurs"] + membres
        presents = [u for u in map(self.personne, codes) if u is not None]
        ids = {u.pk for u in presents}
        reunion.presences.exclude(user_id__in=ids).delete()
        for user in presents:
            Presence.objects.update_or_create(reunion=reunion, user=user, defaults={
                "enregistree_par": redacteur, "enregistree_le": fin})
        Reunion.objects.filter(pk=reunion.pk).update(
            nb_presents=len(ids), participants_sans_compte=max(spec["total"] - len(ids), 0),
            presences_saisies_le=self.recit.au_plus_tard(fin + datetime.timedelta(hours=1), datetime.timedelta(0)))
        publie_le = self.recit.a(fin.date() + DELAI_COMPTE_RENDU, "10:00")
        publie = self.recit.passe(publie_le)
        CompteRendu.objects.update_or_create(reunion=reunion, defaults={
            "contenu": _liste(spec["compte_rendu"]),
            "statut": CompteRendu.Statut.PUBLIE if publie else CompteRendu.Statut.BROUILLON,
            "interne": spec.get("interne", False), "redige_par": redacteur,
            "publie_le": publie_le if publie else None,
            "modifie_le": publie_le if publie else self.recit.au_plus_tard(fin + datetime.timedelta(hours=2),
                                                                           datetime.timedelta(0)),
            "is_demo": True,
        })
        reunion.refresh_from_db()

    # --- Membership of the Conseil ----------------------------------------------------------------

    def charger_mandats(self):
        """The demo members of the Conseil, in the default collèges; one request awaits the secrétariat."""
        noms_colleges = {slug: (nom, ordre) for ordre, (slug, nom) in enumerate(COLLEGES, start=1)}
        secretariat = self.personne(self.donnees["conseil"]["secretariat"])
        mandats = []
        for spec in self.donnees["mandats"]:
            user = self.personne(spec["personne"])
            if user is None:
                continue
            structure = self.structures[spec["structure"]]
            nom, ordre = noms_colleges[spec["college"]]
            college, _ = College.objects.get_or_create(slug=spec["college"], defaults={"nom": nom, "ordre": ordre})
            valide = spec["statut"] == MembreConseil.Statut.VALIDE
            demande_le = spec["demande_le"] if valide else self.recit.au_plus_tard(spec["demande_le"])
            # One represents only a structure one belongs to (the élu·e·s: their collectivité).
            adhesion, _ = Adhesion.objects.get_or_create(user=user, structure=structure, defaults={
                "role": Adhesion.Role.MEMBRE, "statut": Adhesion.Statut.ACCEPTEE, "decide_le": demande_le})
            if adhesion.statut != Adhesion.Statut.ACCEPTEE:
                adhesion.statut, adhesion.decide_le = Adhesion.Statut.ACCEPTEE, demande_le
                adhesion.save(update_fields=["statut", "decide_le"])
            # Back to the demo state: whatever was asked or decided while trying the demo goes.
            MembreConseil.objects.filter(user=user).exclude(structure=structure, is_demo=True).delete()
            mandat, _ = MembreConseil.objects.update_or_create(user=user, structure=structure, is_demo=True, defaults={
                "college": college, "statut": spec["statut"], "motivation": spec["motivation"],
                "affichage_public": spec["public"], "motif": "", "demande_le": demande_le,
                "decide_le": spec.get("decide_le") if valide else None,
                "decide_par": secretariat if valide else None,
            })
            _synchroniser_groupe_membre(user)
            mandats.append(mandat)
        return mandats


def charger(ctx):
    """Create or update the ateliers demo data and the Conseil's members; return what was loaded."""
    return _Chargeur(ctx).charger()


def supprimer():
    """Remove only the demo objects of this part: mandates, meetings (and the events created for them,
    not the agenda's own), ateliers, themes and cycles. An atelier where someone scheduled a real meeting
    stays, and so does its cycle."""
    User = get_user_model()
    membres = list(User.objects.filter(mandats_conseil__is_demo=True).distinct())
    MembreConseil.objects.filter(is_demo=True).delete()
    for user in membres:
        _synchroniser_groupe_membre(user)

    reunions = Reunion.objects.filter(is_demo=True)
    evenements = list(reunions.filter(evenement__programme__isnull=True).values_list("evenement_id", flat=True))
    for document in DocumentCompteRendu.objects.filter(compte_rendu__reunion__in=reunions):
        document.fichier.delete(save=False)
    reunions.delete()  # attendance and minutes go with them; Reunion.evenement is PROTECT
    Evenement.objects.filter(pk__in=evenements, is_demo=True).delete()

    # An atelier where someone scheduled a real meeting, or that works on a real proposal, stays.
    ateliers = Atelier.objects.filter(is_demo=True, reunions__isnull=True, propositions__isnull=True)
    animateurs = list(User.objects.filter(ateliers_animes__in=ateliers).distinct())
    Atelier.objects.filter(pk__in=list(ateliers.values_list("pk", flat=True))).delete()
    for user in animateurs:  # a cascade sends no m2m_changed
        synchroniser_groupe_animateur(user)
    Cycle.objects.filter(is_demo=True, ateliers__isnull=True).exclude(thematiques__is_demo=False).delete()
