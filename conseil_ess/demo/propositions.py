"""The demo's proposals and the plenaries that decide them (``donnees/propositions.toml``).

- the plenary sessions of the Conseil as agenda events (type ``seance_pleniere``), from 2021 to the next
  cycle's December plenary; found by slug and only created when missing (the séances part attaches its
  séances to them);
- the proposals, each walked through the one workflow service (``workflow.changer_etat``) step by step,
  every step dated and made by the person who would make it (the author submits, the secrétariat
  instructs, assigns and records decisions, the responsible élu·e opens implementation). The story goes
  as far as the day of loading: a step dated later has not happened yet (loaded before the December
  plenary, P12 and P13 wait for its vote; after it, they are adopted); a proposal not yet submitted that
  day is its author's draft;
- follow-up points, indicators with their target, baseline and dated values (those dated after the day of
  loading are not there yet), private notes, followers.

References: the workflow draws them at submission. To give the references of the data file (the numbers
have gaps: other proposals of those years are not in the demo), the counter of the year is raised to the
number just below before the submission, never lowered; proposals of a year are submitted in the order
of their numbers. On a site that already has real proposals of those years, the demo ones get the next
numbers. No notification and no e-mail: proposals carry ``is_demo=True`` before their first step, and the
workflow and follow-up services tell nobody about demo proposals.

Idempotent: a demo proposal is found by its title; one still in its demo state is kept (its texts are
refreshed), one that someone moved while trying the demo is rebuilt with the same reference. Without demo
accounts (``--sans-utilisateurs``) only the plenaries load: a proposal needs an author.
"""

import datetime
import re
from decimal import Decimal

import holidays
from django.db import transaction
from django.db.models import ProtectedError

from ateliers.models import Atelier, ThematiqueAnnuelle
from conseil_ess.comptes.models import ChampAction, Commune, Structure
from conseil_ess.propositions import services, workflow
from conseil_ess.propositions.models import (
    Abonnement,
    CompteurReference,
    Etat,
    Indicateur,
    NoteInterne,
    PointSuivi,
    Proposition,
    Transition,
)
from evenements.models import Evenement, Lieu, Public, TypeEvenement

from .commun import uid_demo

E = Etat
REFERENCE = re.compile(r"P-(\d{4})-(\d{3})")
UNE_MINUTE = datetime.timedelta(minutes=1)


def _plus_un_mois(jour):
    mois = jour.month % 12 + 1
    annee = jour.year + (jour.month == 12)
    return jour.replace(year=annee, month=mois, day=min(jour.day, 28))


def votes_en_seance(ctx):
    """{proposal code: (pour, contre, abstention, how it was voted)} from the séances' data file."""
    donnees = ctx.donnees("seances")
    votes = {}
    for cle, mode in (("printemps", "main_levee"), ("automne", "en_seance")):
        for point in donnees[cle]["points"]:
            scrutin = point.get("scrutin", {})
            if scrutin.get("proposition") and scrutin.get("voix"):
                votes[scrutin["proposition"]] = (*scrutin["voix"], mode)
    return votes


class _Chargeur:
    def __init__(self, ctx):
        self.ctx = ctx
        self.recit = ctx.recit
        self.donnees = ctx.donnees("propositions")
        self.conseil = self.donnees["conseil"]
        self.codes_ateliers = self.donnees["codes_ateliers"]
        self.codes_thematiques = self.donnees["codes_thematiques"]
        self.specs = {spec["code"]: spec for spec in self.donnees["propositions"]}
        slugs_structures = {s for spec in self.donnees["propositions"] for s in spec["structures"]}
        self.structures = {s.slug: s for s in Structure.objects.filter(slug__in=slugs_structures)}
        self.champs = {c.numero: c for c in ChampAction.objects.all()}
        self.communes = {c.slug: c for c in Commune.objects.all()}
        self.ateliers = {a.slug: a for a in Atelier.objects.filter(slug__in=self.codes_ateliers.values())}
        self.thematiques = {t.slug: t for t in ThematiqueAnnuelle.objects.filter(
            cycle__slug=str(self.recit.an()), slug__in=self.codes_thematiques.values())}
        self.votes = votes_en_seance(ctx)
        self.feries = holidays.France(years=range(self.recit.an(-8), self.recit.an(4)))
        self.plenieres = {}
        self.propositions = {}  # code → Proposition

    def personne(self, code):
        return self.ctx.personne(code)

    def pleniere(self, slug):
        """The plenary event ``slug`` (loaded by this part, or already in the database)."""
        if slug not in self.plenieres:
            self.plenieres[slug] = Evenement.objects.get(slug=slug)
        return self.plenieres[slug]

    def atelier(self, code):
        return self.ateliers.get(self.codes_ateliers[code]) if code else None

    def jour_ouvre(self, jour):
        """Move a computed date off week-ends and public holidays."""
        while jour.weekday() >= 5 or jour in self.feries:
            jour += datetime.timedelta(days=1)
        return jour

    def charger(self):
        self.plenieres = {spec["slug"]: self.charger_pleniere(spec) for spec in self.donnees["plenieres"]}
        if self.personne(self.conseil["secretariat"]) is None:
            self.ctx.ecrire(f"Propositions : {len(self.plenieres)} séances plénières ; sans comptes de "
                            "démonstration, pas de propositions (une proposition a toujours un·e auteur·rice).")
            return {"plenieres": self.plenieres, "propositions": {}}
        # Proposals of a year are submitted in the order of their numbers; a later year first, so that an
        # evaluation can name its follow-on proposal and a reason can cite a later proposal.
        def ordre(spec):
            annee, numero = self.reference(spec) or (0, 0)
            return (-annee, numero)

        crees = 0
        for spec in sorted(self.donnees["propositions"], key=ordre):
            proposition, cree = self.charger_proposition(spec)
            self.propositions[spec["code"]] = proposition
            crees += cree
        etats = len({p.etat for p in self.propositions.values()})
        nb_transitions = Transition.objects.filter(proposition__in=self.propositions.values()).count()
        nb_points = PointSuivi.objects.filter(proposition__in=self.propositions.values()).count()
        self.ctx.ecrire(f"Propositions : {len(self.propositions)} propositions ({crees} créées) dans {etats} états, "
                        f"{nb_transitions} étapes de parcours, {nb_points} points de suivi, "
                        f"{len(self.plenieres)} séances plénières.")
        return {"plenieres": self.plenieres, "propositions": self.propositions}

    @staticmethod
    def reference(spec):
        trouve = REFERENCE.fullmatch(spec.get("reference") or "")
        return (int(trouve.group(1)), int(trouve.group(2))) if trouve else None

    # --- Plenaries ------------------------------------------------------------------------------------

    def charger_pleniere(self, spec):
        lieu = Lieu.objects.filter(slug=spec["lieu"]).first()
        debut, fin = (self.recit.a(spec["date"], h) for h in self.conseil["heures_plenieres"])
        a_venir = not self.recit.passe(fin)
        description = spec.get("description") or (f"<p>{spec['resume']} {spec['presents']} participant·e·s "
                                                   f"présent·e·s.</p>")
        evenement, cree = Evenement.objects.get_or_create(slug=spec["slug"], defaults={
            "titre": spec["titre"], "resume": spec["resume"], "description": description,
            "type": TypeEvenement.SEANCE_PLENIERE, "debut": debut, "fin": fin, "mode": Evenement.Mode.PRESENTIEL,
            "lieu": lieu, "commune": lieu.commune if lieu else None,
            "organisateurs_texte": "Conseil de l'ESS de Rivebelle", "intervenants": self.conseil["presidence"],
            "gratuit": True, "accessibilite": lieu.accessibilite if lieu else "inconnu",
            "inscription": Evenement.Inscription.CONSEILLEE if a_venir else Evenement.Inscription.LIBRE,
            "inscription_sur_plateforme": a_venir, "capacite": 180 if a_venir else None,
            "publication": Evenement.Publication.PUBLIE, "statut": Evenement.Statut.CONFIRME,
            "uid": uid_demo(spec["slug"]), "is_demo": True,
        })
        if cree:
            evenement.structures.set(Structure.objects.filter(
                slug__in=["rivebelle-metropole", "ville-de-rivebelle", "cress-val-de-lere"]))
            evenement.publics.set(Public.objects.filter(code__in=self.conseil["publics_plenieres"]))
            evenement.champs.set(ChampAction.objects.all())
        return evenement

    # --- Proposals ------------------------------------------------------------------------------------

    def etapes(self, spec):
        """Return every written step of ``spec``: [(vers, when, persona, public comment, data)] in date order."""
        agent = spec.get("agent", self.conseil["secretariat"])
        secretariat = self.conseil["secretariat"]
        etat = spec["etat"]
        if etat == E.BROUILLON:
            return []
        depot = spec["depot"]
        etapes = [(E.DEPOSEE, depot, spec["auteur"], "Proposition déposée.", {})]
        if etat == E.DEPOSEE:
            return etapes
        if "instruction" in spec:
            instruction = self.recit.a(spec["instruction"], "09:30")
        else:
            instruction = self.recit.a(self.jour_ouvre(depot.date() + datetime.timedelta(days=7)), "09:30")
        etapes.append((E.EN_INSTRUCTION, instruction, agent,
                       "Proposition recevable : le secrétariat l'examine avec les services concernés.", {}))
        if etat == E.EN_INSTRUCTION:
            return etapes
        if etat == E.REORIENTEE:
            etapes.append((E.REORIENTEE, self.recit.a(spec["reorientee"], "11:00"), agent,
                           "Proposition réorientée vers un dispositif existant, mieux adapté à la demande.",
                           {"motif": self.texte(spec["motif"]), "dispositif": spec["dispositif"]}))
            return etapes
        atelier = self.atelier(spec["atelier"])
        atelier_le = (self.recit.a(spec["atelier_le"], "14:00") if "atelier_le" in spec
                      else self.recit.a(self.jour_ouvre(_plus_un_mois(depot.date())), "14:00"))
        etapes.append((E.EN_ATELIER, atelier_le, agent,
                       f"Proposition confiée à l'atelier « {atelier.titre} », qui l'approfondit avec ses porteurs.",
                       {"atelier": atelier}))
        if etat == E.EN_ATELIER:
            return etapes
        if etat == E.ABANDONNEE:
            etapes.append((E.ABANDONNEE, self.recit.a(spec["abandonnee"], "11:00"), agent,
                           "Proposition abandonnée d'un commun accord avec ses porteurs.",
                           {"motif": self.texte(spec["motif"])}))
            return etapes
        pleniere = self.pleniere(spec.get("decision") or spec["pleniere"])
        jour_pleniere = self.recit.jour_local(pleniere.debut)
        soumise = (self.recit.a(spec["soumise"], "11:00") if "soumise" in spec
                   else self.recit.a(jour_pleniere - datetime.timedelta(weeks=3), "11:00"))
        etapes.append((E.SOUMISE_PLENIERE, soumise, secretariat,
                       f"Inscrite à l'ordre du jour de la séance plénière du {self.recit.en_mots(jour_pleniere)}.",
                       {"pleniere": pleniere}))
        if etat == E.SOUMISE_PLENIERE:
            return etapes
        decision = self.recit.a(jour_pleniere, "19:30")
        detail = self.detail_vote(spec["code"])
        if etat == E.NON_RETENUE:
            etapes.append((E.NON_RETENUE, decision, secretariat, "Proposition non retenue par le Conseil." + detail,
                           {"motif": self.texte(spec["motif"])}))
            return etapes
        etapes.append((E.ADOPTEE, decision, secretariat, "Proposition adoptée par le Conseil." + detail, {}))
        if etat == E.ADOPTEE:
            return etapes
        responsable = self.personne(spec["responsable"])
        etapes.append((E.EN_OEUVRE, self.recit.a(spec["oeuvre"], "10:00"), spec["responsable"],
                       f"La Métropole s'engage : mise en œuvre confiée à « {spec['service']} », sous la "
                       f"responsabilité de {responsable.get_full_name()}.",
                       {"responsable_elu": responsable, "service_responsable": spec["service"],
                        "date_prevue": spec["date_prevue"]}))
        if etat == E.EN_OEUVRE:
            return etapes
        etapes.append((E.REALISEE, self.recit.a(spec["realisee"], "16:00"), agent,
                       "Réalisation achevée." + (f" {spec['deliberation']}." if spec.get("deliberation") else ""),
                       {}))
        if etat == E.REALISEE:
            return etapes
        donnees = {"constats": spec["constats"], "recommandations": self.texte(spec["recommandations"])}
        if spec.get("suite"):
            donnees["proposition_suite"] = self.proposition(spec["suite"])
        etapes.append((E.EVALUEE, self.recit.a(spec["evaluee"], "18:00"), agent,
                       "Évaluation présentée en séance plénière : constats et recommandations ci-dessous.", donnees))
        return etapes

    def detail_vote(self, code):
        vote = self.votes.get(code)
        if vote is None:
            return " Vote à main levée des participant·e·s présent·e·s."
        pour, contre, abstention, mode = vote
        comment = ("Vote à main levée des participant·e·s présent·e·s" if mode == "main_levee"
                   else "Vote en séance des membres du Conseil émargés")
        return f" {comment} : {pour} pour, {contre} contre, {abstention} abstentions."

    def etapes_passees(self, spec):
        """The steps that have happened on the day of loading, each strictly after the one before (two written
        dates may fall on the same day once moved to the story's year)."""
        faites = []
        precedent = None
        for vers, le, code, commentaire, donnees in self.etapes(spec):
            if precedent is not None and le <= precedent:
                le = precedent + UNE_MINUTE
            if not self.recit.passe(le):
                break
            faites.append((vers, le, code, commentaire, donnees))
            precedent = le
        return faites

    def texte(self, texte):
        """Replace {P17}-like codes by the reference of that (already loaded) proposal."""
        return re.sub(r"\{(P\d\d)\}", lambda m: getattr(self.proposition(m.group(1)), "reference", "") or "", texte)

    def proposition(self, code):
        """The demo proposal ``code`` (loaded by this part, or already in the database)."""
        if code not in self.propositions:
            self.propositions[code] = Proposition.objects.filter(is_demo=True, titre=self.specs[code]["titre"]).first()
        return self.propositions[code]

    def champs_proposition(self, spec):
        return {
            "titre": spec["titre"], "resume": spec["resume"], "description": spec["description"],
            "porteurs_texte": spec.get("porteurs", ""), "directions": spec.get("directions", ""),
            "nature_realisation": spec.get("nature", ""), "deliberation": spec.get("deliberation", ""),
            "atelier_suggere": self.atelier(spec.get("atelier_suggere") or spec.get("atelier")),
        }

    def charger_proposition(self, spec):
        """Return (proposal, created): kept if still in its demo state, else (re)built through the workflow."""
        existante = Proposition.objects.filter(is_demo=True, titre=spec["titre"]).first()
        etapes = self.etapes_passees(spec)
        etat = etapes[-1][0] if etapes else E.BROUILLON
        if existante is not None:
            if existante.etat == etat and existante.transitions.count() == len(etapes):
                self.rafraichir(existante, spec, etat)
                return existante, False
            reference = existante.reference
            try:
                with transaction.atomic():
                    supprimer_propositions(Proposition.objects.filter(pk=existante.pk))
            except ProtectedError as erreur:  # a scrutin, or a real proposal merged into it, points to it
                liens = ", ".join(sorted({str(objet._meta.verbose_name) for objet in erreur.protected_objects}))
                self.ctx.ecrire(f"Propositions : {existante} est référencée ({liens}) ; laissée en l'état ici.")
                return existante, False
        else:
            reference = None
        if "cree" in spec:
            cree_le = spec["cree"]
        else:
            cree_le = self.etapes(spec)[0][1] - datetime.timedelta(days=2, hours=3)
        cree_le = self.recit.au_plus_tard(cree_le)
        proposition = Proposition(
            reference=reference, auteur=self.personne(spec["auteur"]), etat=E.BROUILLON, etat_depuis=cree_le,
            cree_le=cree_le, is_demo=True, **self.champs_proposition(spec))
        with transaction.atomic():
            proposition.save()
            self.relations(proposition, spec)
            self.parcourir(proposition, spec, etapes)
            self.rafraichir(proposition, spec, etat)
            self.suivi(proposition, spec)
        return proposition, True

    def relations(self, proposition, spec):
        proposition.champs.set([self.champs[n] for n in spec["champs"]])
        proposition.communes.set([self.communes[c] for c in spec["communes"] if c in self.communes])
        proposition.structures.set([self.structures[s] for s in spec["structures"] if s in self.structures])

    def parcourir(self, proposition, spec, etapes):
        """Walk the proposal through the workflow, each step dated and made by its person."""
        for vers, le, code, commentaire, donnees in etapes:
            if le <= proposition.cree_le:
                raise ValueError(f"{spec['code']} : étape « {vers} » du {le} avant la création de la proposition.")
            if vers == E.DEPOSEE and proposition.reference is None:
                self.reserver_numero(*self.reference(spec))
            workflow.changer_etat(proposition, vers, self.personne(code), commentaire=commentaire, le=le,
                                  forcer_role=True, **donnees)
            proposition.refresh_from_db()
        if etapes and proposition.reference is None:
            raise ValueError(f"{spec['code']} : pas de référence après le dépôt.")

    @staticmethod
    def reserver_numero(annee, numero):
        """Raise the counter of ``annee`` so that the next reference drawn is ``numero`` (never lowered)."""
        compteur, _ = CompteurReference.objects.select_for_update().get_or_create(annee=annee)
        if compteur.dernier < numero - 1:
            compteur.dernier = numero - 1
            compteur.save(update_fields=["dernier"])

    def rafraichir(self, proposition, spec, etat):
        """Put back the descriptive fields (the workflow copies the atelier's theme; the data gives its own)."""
        champs = self.champs_proposition(spec)
        champs["thematique"] = self.thematiques.get(self.codes_thematiques.get(spec.get("thematique")))
        if "motif" in spec and etat in (E.NON_RETENUE, E.REORIENTEE, E.ABANDONNEE):
            champs["motif"] = self.texte(spec["motif"])
        for nom, valeur in champs.items():
            setattr(proposition, nom, valeur)
        proposition.save()
        self.relations(proposition, spec)

    def suivi(self, proposition, spec):
        """Indicators, follow-up points, private notes and followers of a freshly built proposal (what is
        dated after the day of loading is not there yet)."""
        code = spec["code"]
        secretariat = self.personne(self.conseil["secretariat"])
        adoptee = proposition.etat in (E.ADOPTEE, E.EN_OEUVRE, E.REALISEE, E.EVALUEE)
        for spec_ind in self.donnees.get("indicateurs", []):
            if spec_ind["proposition"] != code or not adoptee:
                continue
            cible, reference = spec_ind.get("cible"), spec_ind.get("reference")
            indicateur = services.ajouter_indicateur(
                proposition, spec_ind["libelle"], secretariat, unite=spec_ind["unite"],
                cible_texte=spec_ind["cible_texte"], cible=Decimal(cible) if cible is not None else None,
                valeur_reference=Decimal(reference) if reference is not None else None)
            Indicateur.objects.filter(pk=indicateur.pk).update(is_demo=True)
            for valeur in spec_ind["valeurs"]:
                if self.recit.passe(valeur["date"]):
                    services.ajouter_valeur(indicateur, valeur["date"], Decimal(valeur["valeur"]), secretariat)
        termine = proposition.etat in (E.REALISEE, E.EVALUEE)  # the workflow set the progress to 100 %
        for point in self.donnees.get("points_suivi", []):
            if point["proposition"] != code or not self.recit.passe(point["date"]) or not adoptee:
                continue
            cree = services.ajouter_point_suivi(
                proposition, point["texte"], self.personne(point["auteur"]), date=point["date"],
                avancement=None if termine else point.get("avancement"))
            PointSuivi.objects.filter(pk=cree.pk).update(is_demo=True, cree_le=self.recit.a(point["date"], "17:00"))
        for note in self.donnees.get("notes_internes", []):
            if note["proposition"] != code or not self.recit.passe(note["date"]):
                continue
            cree = services.ajouter_note_interne(proposition, note["texte"], self.personne(note["auteur"]))
            NoteInterne.objects.filter(pk=cree.pk).update(cree_le=self.recit.a(note["date"], "12:00"))
        if proposition.est_publique:
            depuis = self.recit.au_plus_tard(proposition.deposee_le + datetime.timedelta(days=1))
            for persona, codes in self.donnees.get("abonnements", {}).items():
                user = self.personne(persona)
                if user is not None and code in codes:
                    Abonnement.objects.get_or_create(proposition=proposition, user=user, defaults={"cree_le": depuis})
        proposition.refresh_from_db()


def supprimer_propositions(propositions):
    """Delete proposals with their journal (PROTECT) and everything attached to them."""
    ids = list(propositions.values_list("pk", flat=True))
    Proposition.objects.filter(proposition_suite_id__in=ids).update(proposition_suite=None)
    Transition.objects.filter(proposition_id__in=ids).delete()
    Proposition.objects.filter(pk__in=ids).delete()


def _remettre_compteurs(annees):
    """After removing demo proposals, each year's counter goes back to the highest reference still in use."""
    for annee in annees:
        numeros = [int(r.rsplit("-", 1)[1]) for r in Proposition.objects.filter(
            reference__startswith=f"P-{annee}-").values_list("reference", flat=True)]
        CompteurReference.objects.filter(annee=annee).update(dernier=max(numeros, default=0))


def charger(ctx):
    """Create or update the proposals demo data and the plenaries they go to; return what was loaded."""
    return _Chargeur(ctx).charger()


def supprimer():
    """Remove only the demo objects of this part: demo proposals (journal, follow-up, notes, followers with
    them) and the demo plenaries no real proposal is scheduled for."""
    demo = Proposition.objects.filter(is_demo=True)
    annees = {int(r.split("-")[1]) for r in demo.exclude(reference=None).values_list("reference", flat=True)}
    supprimer_propositions(demo)
    _remettre_compteurs(annees)
    plenieres = Evenement.objects.filter(is_demo=True, type=TypeEvenement.SEANCE_PLENIERE,
                                         propositions_inscrites__isnull=True)
    try:
        with transaction.atomic():
            plenieres.delete()
    except ProtectedError:  # a séance still points to it: removed with the séances part first
        pass
