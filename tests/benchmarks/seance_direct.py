"""Benchmark of the live page of a séance: time from a vote being cast to EVERY watcher having the new count.

Not a test (pytest collects only ``test_*.py``): a script run by hand, whose figures go in the closing
note of the séances work.

What it does:

1. takes a database: ``--base`` / ``DATABASE_URL`` if given (it is migrated, then a new séance is added to
   it; a PostgreSQL database must exist), otherwise a throwaway SQLite file, migrated, deleted at the end;
2. prepares a séance with ``--votes`` members in office checked in and an open scrutin (through the services,
   in one transaction), and logs each member in (a database session, read by daphne);
3. starts ``--processus`` daphne processes (``conseil_ess.settings.test`` unless ``--settings``, with persistent
   database connections as in production: ``CONN_MAX_AGE`` 60 s unless set); two need ``REDIS_URL`` (the Redis
   channel layer carries the broadcasts from one process to the other);
4. connects ``--spectateurs`` watchers (real WebSockets, ``websockets`` library), spread over the processes,
   then one socket per member;
5. casts the votes one by one over the members' sockets, ``--ecart`` seconds apart (each waits for the
   previous one's ``vote_enregistre``, so vote *i* is the *i*-th counted), and measures for each vote the time
   from sending it to every watcher having received a state whose ``votants`` includes it;
6. prints the median, p95 and max of those times (and of the time per watcher), the number of states
   each watcher received, and the CPU time the daphne processes and the clients used during the votes (it does
   not move with the machine's load the way the delays do).

A message's arrival is the moment this process's event loop read its frame off the socket (``serveurs.ClientWS``),
not the moment the client's reading task got its turn behind the 349 others; the clients' objects are frozen out
of the garbage collector before the votes (a full collection of them stopped every client for 0.2–0.5 s).

Usage (from the repository's root)::

    .venv/bin/python -m tests.benchmarks.seance_direct --help
    # In-memory channel layer, one daphne, throwaway SQLite database:
    .venv/bin/python -m tests.benchmarks.seance_direct
    # Two daphne processes behind Redis, on a PostgreSQL database (created beforehand):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m tests.benchmarks.seance_direct --processus 2

The broadcast is throttled (``SEANCES_DIFFUSION_INTERVALLE``, 0.25 s by default: at most one per interval and
per process, always with a trailing one), so a vote waits up to one interval before it is sent: with votes
0.1 s apart the times measured include that wait, which is the point of measuring them.
"""

import argparse
import asyncio
import gc
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHOIX = ["pour", "contre", "abstention"]


def arguments(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.seance_direct",
        description="Mesure, avec des centaines de spectateurs WebSocket d'une séance, le délai entre un vote et "
                    "le moment où TOUS les spectateurs ont reçu le nouveau nombre de votants.",
    )
    parser.add_argument("--spectateurs", type=int, default=300, help="clients WebSocket qui regardent (300)")
    parser.add_argument("--votes", type=int, default=50,
                        help="votes mesurés, un par membre émargé, chacun sur son socket (50)")
    parser.add_argument("--ecart", type=float, default=0.1, help="secondes entre deux votes (0.1)")
    parser.add_argument("--processus", type=int, choices=[1, 2], default=1,
                        help="processus daphne (2 : REDIS_URL requis)")
    parser.add_argument("--base", default=os.environ.get("DATABASE_URL", ""),
                        help="DATABASE_URL de la base à migrer et compléter (défaut : $DATABASE_URL, sinon un "
                             "fichier SQLite jetable)")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", ""),
                        help="REDIS_URL de la couche de canaux (défaut : $REDIS_URL, sinon couche en mémoire)")
    parser.add_argument("--settings", default="conseil_ess.settings.test",
                        help="module de réglages de Django pour ce script et daphne (conseil_ess.settings.test)")
    parser.add_argument("--delai", type=float, default=60,
                        help="secondes au plus pour qu'un état atteigne tout le monde avant d'abandonner (60)")
    args = parser.parse_args(argv)
    if args.processus == 2 and not args.redis:
        parser.error("deux processus daphne ont besoin de REDIS_URL (--redis) : la couche en mémoire ne passe pas "
                     "d'un processus à l'autre")
    if args.votes < 1 or args.spectateurs < 1:
        parser.error("--votes et --spectateurs doivent être positifs")
    return args


def centile(valeurs, p):
    """Nearest-rank percentile ``p`` (0–100) of ``valeurs``."""
    ordonnees = sorted(valeurs)
    return ordonnees[max(0, math.ceil(p / 100 * len(ordonnees)) - 1)]


def preparer_base(args):
    """Configure Django on the chosen database, migrate it, build the séance; return what the clients need."""
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    os.environ["DATABASE_URL"] = args.base
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    else:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from tests.factories import CommuneFactory, StructureFactory, UserFactory
    from tests.seances.fabriques import seance_avec_votants

    debut = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"Base migrée en {time.perf_counter() - debut:.1f} s ({settings.DATABASES['default']['ENGINE']}).")
    debut = time.perf_counter()
    # A database given again: new e-mails and slugs (the factories' sequences start from this instant).
    for fabrique in (UserFactory, StructureFactory, CommuneFactory):
        fabrique.reset_sequence(int(time.time() * 1000))
    seance, scrutin, _agent, sessions = seance_avec_votants(args.votes)
    cookies = [f"{settings.SESSION_COOKIE_NAME}={session}" for session in sessions]
    print(f"Séance « {seance.slug} » : {args.votes} membres émargés, scrutin {scrutin.pk} ouvert "
          f"({time.perf_counter() - debut:.1f} s).")
    intervalle = settings.SEANCES_DIFFUSION_INTERVALLE
    connections.close_all()
    return seance.slug, scrutin.pk, cookies, intervalle


async def connecter_par_lots(serveurs, chemin, cookies_ou_none, prefixe, lot=50):
    from tests.benchmarks.serveurs import ClientWS

    clients = []
    for debut in range(0, len(cookies_ou_none), lot):
        clients += await asyncio.gather(*(
            ClientWS.connecter(serveurs[i % len(serveurs)], chemin, cookie=cookies_ou_none[i],
                               nom=f"{prefixe} {i} ({serveurs[i % len(serveurs)].nom})")
            for i in range(debut, min(debut + lot, len(cookies_ou_none)))
        ))
    return clients


def premier_etat_avec(client, depuis, votants):
    """Arrival time of the first state received by ``client`` after ``depuis`` showing at least ``votants``."""
    for t, m in client.messages:
        if t >= depuis and m.get("type") == "etat" and m.get("scrutin") and m["scrutin"]["votants"] >= votants:
            return t
    return None


async def mesurer(args, serveurs, slug, scrutin_id, cookies):
    from tests.benchmarks.serveurs import attendre_tous

    chemin = f"/ws/seances/{slug}/"
    debut = time.perf_counter()
    spectateurs = await connecter_par_lots(serveurs, chemin, [None] * args.spectateurs, "spectateur")
    votants = await connecter_par_lots(serveurs, chemin, cookies, "votant")
    tous = spectateurs + votants
    try:
        await attendre_tous(tous, lambda c: c.etats, "l'état initial", args.delai)
        print(f"{len(spectateurs)} spectateurs et {len(votants)} votants connectés en "
              f"{time.perf_counter() - debut:.1f} s sur {len(serveurs)} processus daphne.")
        initiaux = {id(c): len(c.etats) for c in spectateurs}
        # The 350 clients live in this process: without this, a full collection of their objects (0.2–0.5 s
        # here) would delay the reading of every socket and count as the server's delay.
        gc.collect()
        gc.freeze()

        envois, confirmations = [], []
        cpu_avant = [s.temps_cpu() for s in serveurs], time.process_time()
        for i, votant in enumerate(votants):
            envoi = time.perf_counter()
            envois.append(envoi)
            await votant.envoyer({"type": "voter", "scrutin": scrutin_id, "choix": CHOIX[i % 3]})

            def a_repondu(c):
                return any(m.get("type") in ("vote_enregistre", "erreur") for _t, m in c.messages)

            await attendre_tous([votant], a_repondu, f"réponse au vote {i + 1}", args.delai)
            confirmations.append(next(t for t, m in votant.messages
                                      if m.get("type") in ("vote_enregistre", "erreur")) - envoi)
            refus = [m for _t, m in votant.messages if m.get("type") == "erreur"]
            if refus:
                raise SystemExit(f"Vote {i + 1} refusé : {refus[0]['message']}")
            await asyncio.sleep(max(0.0, envoi + args.ecart - time.perf_counter()))

        duree = time.perf_counter() - envois[0]
        n = len(votants)
        await attendre_tous(
            spectateurs, lambda c: c.dernier_etat()["scrutin"]["votants"] == n, f"le compte final ({n})", args.delai)
        cpu_serveurs = sum(s.temps_cpu() for s in serveurs) - sum(cpu_avant[0])
        cpu_clients = time.process_time() - cpu_avant[1]
        await asyncio.sleep(1)  # the trailing broadcasts, for the message counts
    finally:
        await asyncio.gather(*(c.fermer() for c in tous), return_exceptions=True)

    par_vote, par_client = [], []
    for i, envoi in enumerate(envois):
        arrivees = [premier_etat_avec(c, envoi, i + 1) for c in spectateurs]
        par_client += [t - envoi for t in arrivees]
        par_vote.append(max(arrivees) - envoi)
    messages = [len(c.etats) - initiaux[id(c)] for c in spectateurs]
    return {"par_vote": par_vote, "par_client": par_client, "messages": messages, "duree": duree,
            "confirmations": confirmations, "cpu_serveurs": cpu_serveurs, "cpu_clients": cpu_clients}


def ms(secondes):
    return f"{secondes * 1000:.0f} ms"


def rapport(args, mesures, intervalle):
    par_vote, par_client, messages = mesures["par_vote"], mesures["par_client"], mesures["messages"]
    couche = "Redis" if args.redis else "en mémoire"
    print()
    print(f"{args.votes} votes espacés de {args.ecart} s, {args.spectateurs} spectateurs, {args.processus} "
          f"processus daphne, couche de canaux {couche}, diffusion au plus toutes les {intervalle} s ; "
          f"votes envoyés en {mesures['duree']:.1f} s, « vote_enregistre » reçu en "
          f"{ms(statistics.median(mesures['confirmations']))} (médiane).")
    print(f"Délai vote → TOUS les spectateurs à jour : médiane {ms(statistics.median(par_vote))}, "
          f"p95 {ms(centile(par_vote, 95))}, max {ms(max(par_vote))}")
    print(f"Délai vote → chaque spectateur          : médiane {ms(statistics.median(par_client))}, "
          f"p95 {ms(centile(par_client, 95))}, max {ms(max(par_client))}")
    print(f"États reçus par spectateur pendant les votes : min {min(messages)}, médiane "
          f"{statistics.median(messages):g}, max {max(messages)} (pour {args.votes} votes)")
    # CPU time does not depend on what else runs on the machine (wall-clock delays do): it tells whether a change
    # made the work cheaper, even on a loaded machine.
    print(f"Temps CPU pendant les votes : processus daphne {mesures['cpu_serveurs']:.2f} s "
          f"({ms(mesures['cpu_serveurs'] / args.votes)} par vote), clients du banc {mesures['cpu_clients']:.2f} s ; "
          f"charge moyenne de la machine {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main(argv=None):
    args = arguments(argv)
    jetable = None
    if not args.base:
        jetable = Path(tempfile.mkdtemp(prefix="bench-seance-")) / "bench.sqlite3"
        args.base = f"sqlite:///{jetable}"
        print(f"Base SQLite jetable : {jetable}")
    elif args.processus == 2 and args.base.startswith("sqlite"):
        print("Attention : deux processus sur SQLite écrivent chacun à leur tour (verrou du fichier).",
              file=sys.stderr)
    from tests.benchmarks.serveurs import Daphne

    serveurs = []
    try:
        slug, scrutin_id, cookies, intervalle = preparer_base(args)
        # Persistent database connections, as in production (``settings/production.py``: 60 s): the test settings
        # open and close one for each trip to the database thread, which production never does.
        env = {"DJANGO_SETTINGS_MODULE": args.settings, "DATABASE_URL": args.base, "REDIS_URL": args.redis,
               "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60")}
        serveurs = [Daphne(env, f"daphne-{i + 1}") for i in range(args.processus)]
        for serveur in serveurs:
            serveur.demarrer()
        for serveur in serveurs:
            serveur.attendre_pret()
        mesures = asyncio.run(mesurer(args, serveurs, slug, scrutin_id, cookies))
        rapport(args, mesures, intervalle)
    except BaseException:
        for serveur in serveurs:
            print(f"--- journal de {serveur.nom} ---\n{serveur.traces()}", file=sys.stderr)
        raise
    finally:
        for serveur in serveurs:
            serveur.arreter()
        if jetable is not None:
            for fichier in jetable.parent.iterdir():
                fichier.unlink()
            jetable.parent.rmdir()


if __name__ == "__main__":
    main()
