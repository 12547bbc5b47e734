"""Production-scale data on top of the demo (``manage.py generer_donnees_echelle --facteur N``), for the
benchmarks (``tests/benchmarks/pages.py``).

Everything is created with ``bulk_create`` (the services, one object at a time with their checks, audit
trail and notifications, would take minutes for 10,000 objects): the objects are built in the states the
services would leave them in (events published, proposals with the transitions of their path, séances
with their order of the day and closed scrutins). Every generated object is recognisable (slugs, e-mails
and references of its own, ``is_demo``) and deleted before a new generation: the command is idempotent.

Per unit of ``facteur`` (10 is « production scale »): 500 accounts, 300 published events over the current
and next year (cancelled, all-day, multi-day, online, tentative among them), 100 proposals spread over
every state with their timeline, follow-up points and indicators, 8 ateliers with 4 meetings each (events)
and their minutes, 2 séances with 3 scrutins each.
"""

import datetime
import random
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ateliers.models import Atelier, CompteRendu, Cycle, Reunion
from conseil_ess.comptes.models import ChampAction, User
from conseil_ess.propositions.models import Etat, Indicateur, PointSuivi, Proposition, Transition, ValeurIndicateur
from conseil_ess.seances.models import PointOrdreDuJour, Scrutin, Seance
from evenements.models import Evenement, Lieu, Programme, TypeEvenement

PREFIXE = "echelle"
DOMAINE_COURRIEL = "echelle.example.org"
PREMIER_NUMERO = 90000  # proposal references P-AAAA-9xxxx, far above real ones
LOT = 1000

# The path of each state, from the deposit (the transitions of its timeline).
PARCOURS = {
    Etat.DEPOSEE: [Etat.DEPOSEE],
    Etat.EN_INSTRUCTION: [Etat.DEPOSEE, Etat.EN_INSTRUCTION],
    Etat.REORIENTEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.REORIENTEE],
    Etat.EN_ATELIER: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER],
    Etat.SOUMISE_PLENIERE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE],
    Etat.ADOPTEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE],
    Etat.NON_RETENUE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.SOUMISE_PLENIERE, Etat.NON_RETENUE],
    Etat.EN_OEUVRE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE, Etat.EN_OEUVRE],
    Etat.REALISEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE, Etat.EN_OEUVRE,
                    Etat.REALISEE],
    Etat.EVALUEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE, Etat.EN_OEUVRE,
                   Etat.REALISEE, Etat.EVALUEE],
    Etat.ABANDONNEE: [Etat.DEPOSEE, Etat.EN_INSTRUCTION, Etat.SOUMISE_PLENIERE, Etat.ADOPTEE, Etat.ABANDONNEE],
    Etat.RETIREE: [Etat.DEPOSEE, Etat.RETIREE],
    Etat.BROUILLON: [],
}
INSTANCES = {Etat.DEPOSEE: Transition.Instance.AUTEUR, Etat.RETIREE: Transition.Instance.AUTEUR,
             Etat.EN_ATELIER: Transition.Instance.SECRETARIAT, Etat.ADOPTEE: Transition.Instance.SEANCE,
             Etat.NON_RETENUE: Transition.Instance.SEANCE, Etat.SOUMISE_PLENIERE: Transition.Instance.SECRETARIAT,
             Etat.EN_OEUVRE: Transition.Instance.ELU, Etat.REALISEE: Transition.Instance.ELU,
             Etat.EVALUEE: Transition.Instance.ELU, Etat.ABANDONNEE: Transition.Instance.ELU}
TYPES_PUBLICS = [TypeEvenement.CONFERENCE, TypeEvenement.TABLE_RONDE, TypeEvenement.FORUM, TypeEvenement.ATELIER,
                 TypeEvenement.FORMATION, TypeEvenement.MARCHE, TypeEvenement.VISITE, TypeEvenement.WEBINAIRE,
                 TypeEvenement.PORTES_OUVERTES, TypeEvenement.PROJECTION_DEBAT]
DESCRIPTION = ("<p>Rencontre ouverte à toutes et à tous autour de l'économie sociale et solidaire : "
               "présentation des structures, échanges et <strong>temps convivial</strong>.</p>")


def _uid():
    return f"evenement-{uuid.uuid4()}@{getattr(settings, 'ICAL_DOMAINE_UID', 'conseil-ess.example.org')}"


def supprimer():
    """Delete every generated object (in the order the PROTECT keys require)."""
    Scrutin.objects.filter(seance__evenement__slug__startswith=f"{PREFIXE}-").delete()
    Seance.objects.filter(evenement__slug__startswith=f"{PREFIXE}-").delete()
    propositions = Proposition.objects.filter(titre__startswith="[É] ", is_demo=True)
    Transition.objects.filter(proposition__in=propositions).delete()
    propositions.delete()
    Reunion.objects.filter(atelier__slug__startswith=f"{PREFIXE}-").delete()
    Atelier.objects.filter(slug__startswith=f"{PREFIXE}-").delete()
    Cycle.objects.filter(slug__startswith=f"{PREFIXE}-").delete()
    Evenement.objects.filter(slug__startswith=f"{PREFIXE}-").delete()
    Lieu.objects.filter(slug__startswith=f"{PREFIXE}-").delete()
    User.objects.filter(email__endswith=f"@{DOMAINE_COURRIEL}").delete()


def _evenements(n, aleatoire, lieux, maintenant):
    annee = timezone.localdate(maintenant).year
    debut_periode = datetime.datetime(annee, 1, 1, tzinfo=timezone.get_current_timezone())
    jours = (datetime.date(annee + 2, 1, 1) - datetime.date(annee, 1, 1)).days
    objets = []
    for i in range(n):
        debut = debut_periode + datetime.timedelta(days=aleatoire.randrange(jours), hours=aleatoire.choice(
            [9, 10, 14, 18]), minutes=aleatoire.choice([0, 30]))
        genre = i % 20
        journee = genre in (1, 2)
        if journee:
            debut = debut.replace(hour=0, minute=0)
            fin = debut + datetime.timedelta(days=1 if genre == 1 else 3)
        elif genre == 3:  # several days, not all-day
            fin = debut + datetime.timedelta(days=2, hours=3)
        else:
            fin = debut + datetime.timedelta(hours=2)
        en_ligne = genre in (4, 5)
        objets.append(Evenement(
            titre=f"{aleatoire.choice(['Rencontre', 'Forum', 'Atelier', 'Visite', 'Table ronde'])} ESS n° {i + 1}",
            slug=f"{PREFIXE}-evenement-{i + 1}", resume="Un rendez-vous de l'économie sociale et solidaire.",
            description=DESCRIPTION, type=TYPES_PUBLICS[i % len(TYPES_PUBLICS)], debut=debut, fin=fin,
            journee_entiere=journee, mode=Evenement.Mode.EN_LIGNE if en_ligne else Evenement.Mode.PRESENTIEL,
            lieu=None if en_ligne else lieux[i % len(lieux)],
            commune_id=None if en_ligne else lieux[i % len(lieux)].commune_id,
            lien_en_ligne="https://visio.example.org/ess" if en_ligne else "",
            statut=(Evenement.Statut.ANNULE if genre == 6 else Evenement.Statut.A_CONFIRMER if genre == 7
                    else Evenement.Statut.CONFIRME),
            motif_statut="Annulé faute d'intervenant·e." if genre == 6 else "",
            publication=Evenement.Publication.PUBLIE, visibilite=Evenement.Visibilite.PUBLIC,
            uid=_uid(), cree_le=maintenant, modifie_le=maintenant, is_demo=True,
        ))
    return objets


@transaction.atomic
def generer(facteur, *, graine=2026):
    """Replace the generated data by ``facteur`` units of it; return the counts created."""
    supprimer()
    aleatoire = random.Random(graine)
    maintenant = timezone.now()
    annee = timezone.localdate(maintenant).year
    nombre = lambda par_unite: max(1, round(par_unite * facteur))  # noqa: E731

    # Accounts (an unusable password: nobody logs in with them).
    comptes = User.objects.bulk_create([
        User(email=f"personne-{i + 1}@{DOMAINE_COURRIEL}", first_name="Personne", last_name=f"n° {i + 1}",
             password="!", is_active=True, is_demo=True)
        for i in range(nombre(500))
    ], batch_size=LOT)
    comptes = list(User.objects.filter(email__endswith=f"@{DOMAINE_COURRIEL}").only("pk"))

    # Places, events.
    communes = list(Lieu.objects.exclude(commune=None).values_list("commune_id", flat=True).distinct()[:10]) or [None]
    lieux = Lieu.objects.bulk_create([
        Lieu(nom=f"Salle de l'ESS n° {i + 1}", slug=f"{PREFIXE}-lieu-{i + 1}", adresse=f"{i + 1} rue de la Coopération",
             commune_id=communes[i % len(communes)], capacite=80, is_demo=True)
        for i in range(nombre(5))
    ])
    evenements = Evenement.objects.bulk_create(_evenements(nombre(300), aleatoire, lieux, maintenant),
                                               batch_size=LOT)
    # The events of a Mois de l'ESS's days belong to its programme, as they would (its page at scale).
    for programme in Programme.objects.filter(type=Programme.Type.MOIS_ESS):
        Evenement.objects.filter(pk__in=[e.pk for e in evenements], debut__date__gte=programme.date_debut,
                                 debut__date__lte=programme.date_fin).update(programme=programme)
    champs = list(ChampAction.objects.all()[:3])
    if champs:
        Lien = Evenement.champs.through
        Lien.objects.bulk_create([Lien(evenement_id=e.pk, champaction_id=champs[i % len(champs)].pk)
                                  for i, e in enumerate(evenements)], batch_size=LOT)

    # Ateliers, their meetings (events) and minutes.
    cycle = Cycle.objects.create(titre=f"Cycle {annee}–{annee + 1} (échelle)", slug=f"{PREFIXE}-cycle",
                                 date_debut=datetime.date(annee, 1, 1), date_fin=datetime.date(annee + 1, 12, 31),
                                 is_demo=True)
    ateliers = Atelier.objects.bulk_create([
        Atelier(cycle=cycle, titre=f"Atelier thématique n° {i + 1}", slug=f"{PREFIXE}-atelier-{i + 1}",
                resume="Un atelier du Conseil.", rythme="4 réunions par an", ordre=100 + i, is_demo=True)
        for i in range(nombre(8))
    ])
    if champs:
        Lien = Atelier.champs.through
        Lien.objects.bulk_create([Lien(atelier_id=a.pk, champaction_id=champs[0].pk) for a in ateliers])
    debut_cycle = datetime.datetime(annee, 1, 15, 17, tzinfo=timezone.get_current_timezone())
    evenements_reunions = Evenement.objects.bulk_create([
        Evenement(titre=f"{a.titre} – réunion {j + 1}", slug=f"{PREFIXE}-reunion-{a.pk}-{j + 1}",
                  type=TypeEvenement.REUNION_ATELIER, debut=debut_cycle + datetime.timedelta(days=120 * j + i),
                  fin=debut_cycle + datetime.timedelta(days=120 * j + i, hours=2), lieu=lieux[i % len(lieux)],
                  commune_id=lieux[i % len(lieux)].commune_id, publication=Evenement.Publication.PUBLIE,
                  visibilite=Evenement.Visibilite.PUBLIC, uid=_uid(), cree_le=maintenant, modifie_le=maintenant,
                  is_demo=True)
        for i, a in enumerate(ateliers) for j in range(4)
    ], batch_size=LOT)
    reunions = Reunion.objects.bulk_create([
        Reunion(atelier=ateliers[k // 4], evenement=e, is_demo=True) for k, e in enumerate(evenements_reunions)
    ], batch_size=LOT)
    CompteRendu.objects.bulk_create([
        CompteRendu(reunion=r, contenu="<p>Relevé de décisions et prochaines étapes.</p>",
                    statut=CompteRendu.Statut.PUBLIE, publie_le=maintenant, is_demo=True)
        for r, e in zip(reunions, evenements_reunions, strict=True) if e.fin < maintenant
    ], batch_size=LOT)

    # Proposals in every state, with their timeline, follow-up points and indicators.
    etats = list(PARCOURS)
    propositions = []
    for i in range(nombre(100)):
        etat = etats[i % len(etats)]
        deposee = maintenant - datetime.timedelta(days=30 + i % 300)
        propositions.append(Proposition(
            reference=None if etat == Etat.BROUILLON else f"P-{annee}-{PREMIER_NUMERO + i + 1}",
            titre=f"[É] Proposition n° {i + 1}", resume="Faciliter l'accès des structures de l'ESS à la commande "
            "publique.", auteur_id=comptes[i % len(comptes)].pk, etat=etat, etat_depuis=maintenant,
            atelier=ateliers[i % len(ateliers)] if etat in (Etat.EN_ATELIER, Etat.SOUMISE_PLENIERE) else None,
            deposee_le=None if etat == Etat.BROUILLON else deposee,
            service_responsable="Direction de l'économie" if etat in (Etat.EN_OEUVRE, Etat.REALISEE) else "",
            avancement=50 if etat == Etat.EN_OEUVRE else None,
            adoptee_le=deposee + datetime.timedelta(days=20) if Etat.ADOPTEE in PARCOURS[etat] else None,
            cree_le=deposee, modifie_le=maintenant, is_demo=True,
        ))
    propositions = Proposition.objects.bulk_create(propositions, batch_size=LOT)
    if champs:
        Lien = Proposition.champs.through
        Lien.objects.bulk_create([Lien(proposition_id=p.pk, champaction_id=champs[i % len(champs)].pk)
                                  for i, p in enumerate(propositions)], batch_size=LOT)
    transitions, points, indicateurs = [], [], []
    for p in propositions:
        precedent = ""
        for k, vers in enumerate(PARCOURS[p.etat]):
            transitions.append(Transition(proposition=p, de=precedent, vers=vers,
                                          le=p.deposee_le + datetime.timedelta(days=5 * k),
                                          instance=INSTANCES.get(vers, Transition.Instance.SECRETARIAT),
                                          is_demo=True))
            precedent = vers
        if p.etat in (Etat.ADOPTEE, Etat.EN_OEUVRE, Etat.REALISEE, Etat.EVALUEE):
            points += [PointSuivi(proposition=p, date=(p.deposee_le + datetime.timedelta(days=30 + 10 * k)).date(),
                                  texte=f"<p>Point d'étape n° {k + 1}.</p>", is_demo=True) for k in range(2)]
            indicateurs.append(Indicateur(proposition=p, libelle="Structures accompagnées", unite="structures",
                                          valeur_reference=Decimal(0), cible=Decimal(40), is_demo=True))
    Transition.objects.bulk_create(transitions, batch_size=LOT)
    PointSuivi.objects.bulk_create(points, batch_size=LOT)
    indicateurs = Indicateur.objects.bulk_create(indicateurs, batch_size=LOT)
    ValeurIndicateur.objects.bulk_create([
        ValeurIndicateur(indicateur=ind, date=timezone.localdate(maintenant) - datetime.timedelta(days=10),
                         valeur=Decimal(12))
        for ind in indicateurs
    ], batch_size=LOT)

    # Séances (past ones finished, future ones in preparation) and their scrutins.
    seances_evenements = Evenement.objects.bulk_create([
        Evenement(titre=f"Séance plénière n° {i + 1}", slug=f"{PREFIXE}-seance-{i + 1}",
                  type=TypeEvenement.SEANCE_PLENIERE,
                  debut=datetime.datetime(annee, 1, 20, 14, tzinfo=timezone.get_current_timezone())
                  + datetime.timedelta(days=35 * i),
                  fin=datetime.datetime(annee, 1, 20, 17, tzinfo=timezone.get_current_timezone())
                  + datetime.timedelta(days=35 * i),
                  lieu=lieux[0], commune_id=lieux[0].commune_id, publication=Evenement.Publication.PUBLIE,
                  visibilite=Evenement.Visibilite.PUBLIC, uid=_uid(), cree_le=maintenant, modifie_le=maintenant,
                  is_demo=True)
        for i in range(nombre(2))
    ])
    seances = Seance.objects.bulk_create([
        Seance(evenement=e, statut=Seance.Statut.TERMINEE if e.fin < maintenant else Seance.Statut.PREPARATION,
               jeton_emargement=uuid.uuid4().hex, is_demo=True)
        for e in seances_evenements
    ])
    points_odj = PointOrdreDuJour.objects.bulk_create([
        PointOrdreDuJour(seance=s, ordre=k, titre=f"Délibération n° {k + 1}", type=PointOrdreDuJour.Type.VOTE,
                         is_demo=True)
        for s in seances for k in range(3)
    ])
    Scrutin.objects.bulk_create([
        Scrutin(point=pt, seance=pt.seance, numero=pt.ordre + 1, objet=Scrutin.Objet.QUESTION,
                question=f"Adopter la délibération n° {pt.ordre + 1} ?",
                **({"statut": Scrutin.Statut.CLOS, "ouvert_le": pt.seance.evenement.debut,
                    "clos_le": pt.seance.evenement.debut + datetime.timedelta(minutes=20), "saisie_manuelle": True,
                    "pour": 30, "contre": 4, "abstention": 2, "presents": 36, "resultat": Scrutin.Resultat.ADOPTE}
                   if pt.seance.statut == Seance.Statut.TERMINEE else {}))
        for pt in points_odj
    ])
    return {
        "comptes": len(comptes), "evenements": len(evenements) + len(evenements_reunions) + len(seances_evenements),
        "ateliers": len(ateliers), "reunions": len(reunions), "propositions": len(propositions),
        "transitions": len(transitions), "seances": len(seances), "scrutins": len(points_odj),
    }
