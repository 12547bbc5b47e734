"""Benchmark of the public pages: CPU time of one gunicorn sync worker per request, against a trivial view.

Not a test: a script whose figures go in the README (« Performances »).

What it does, on the database of ``DATABASE_URL`` (PostgreSQL, the demo loaded: ``manage.py charger_demo``)
and the Redis of ``REDIS_URL``:

1. scale 1: removes the generated data (``generer_donnees_echelle --supprimer``); scale 10: generates it
   (``--facteur 10``) — ``--echelles`` chooses;
2. for each scale, starts gunicorn (one sync worker, production settings plus a trivial view,
   ``tests/benchmarks/reglages.py``) twice: page cache off (« à froid ») and on (« en cache »);
3. for each page, interleaves batches of requests to the trivial view and to the page, reading the worker's
   CPU time (utime + stime, ``/proc/<pid>/stat``) around each batch, three rounds; a batch lasts until it
   has used ``--cpu`` seconds of CPU (clock tick 10 ms) or ``--max`` requests;
4. prints, per page, the CPU ms per request and the ratio trivial ÷ page (1.0: as cheap as the trivial view),
   the median of the rounds; and the CPU of a bare ``icalendar`` serialisation of the agenda's events.

Every request says ``Accept-Encoding: gzip, deflate, br``, as browsers and calendar apps do and nginx passes on:
the page cache then sends its stored gzip copy. ``--sans-gzip`` measures clients that accept no encoding.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python -m tests.benchmarks.pages [--echelles 1 10] [--tours 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from .serveurs import RACINE, port_libre

TRIVIAL = "/__banc__/trivial/"
TICK = os.sysconf("SC_CLK_TCK")


def arguments(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.pages", description=__doc__.split("\n")[0])
    parser.add_argument("--echelles", nargs="+", type=float, default=[1, 10])
    parser.add_argument("--tours", type=int, default=3)
    parser.add_argument("--cpu", type=float, default=0.3, help="secondes de CPU par lot (0.3)")
    # 1,000: a batch of the trivial view (0.5–1 ms) then lasts its 0.3 s of CPU, 30 clock ticks; at 150 requests it
    # lasted 10 ticks, and one tick more or less moved its ratios by a tenth.
    parser.add_argument("--max", type=int, default=1000, help="requêtes au plus par lot (1000)")
    parser.add_argument("--pages", nargs="*", help="ne mesurer que ces noms de pages")
    parser.add_argument("--sans-generer", action="store_true",
                        help="garder les données en base telles quelles (une seule échelle, déjà chargée)")
    parser.add_argument("--froid", action="store_true", help="ne mesurer que sans le cache des pages")
    parser.add_argument("--sans-gzip", action="store_true",
                        help="requêtes sans Accept-Encoding (par défaut : gzip, deflate, br, comme un navigateur)")
    args = parser.parse_args(argv)
    for variable in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(variable):
            parser.error(f"{variable} est requis (PostgreSQL avec la démo chargée, Redis)")
    return args


def environnement(cache, static_root):
    return {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.benchmarks.reglages", "SECRET_KEY": "banc-d-essai-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "EMAIL_HOST": "127.0.0.1", "SITE_URL": "https://127.0.0.1", "CACHE_PAGES": "1" if cache else "0",
        "BANC_STATIC_ROOT": static_root, "CACHE_KEY_PREFIX": f"banc-{os.getpid()}",
    }


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=RACINE, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def pages_a_mesurer(env):
    """The public pages, with one object of each kind taken from the database."""
    code = (
        "import django, json; django.setup()\n"
        "from evenements.models import Evenement, Programme\n"
        "from conseil_ess.propositions.models import Proposition\n"
        "from ateliers.models import Atelier\n"
        "from conseil_ess.seances.models import Seance\n"
        "from conseil_ess.comptes.models import Structure\n"
        "from django.utils import timezone\n"
        "from home.models import ChampActionPage, NewsIndexPage, NewsPage, StandardPage\n"
        "pc = StandardPage.objects.live().filter(slug='le-conseil').first() or StandardPage.objects.live().first()\n"
        "e = Evenement.objects.publies().filter(visibilite='public', debut__gte=timezone.now(), "
        "reunion_atelier=None, seance=None).order_by('debut').first()\n"
        "from django.db.models import Count\n"
        "p = Programme.objects.filter(type='mois_ess').annotate(n=Count('evenements')).order_by('-n', 'pk').first()\n"
        "a = Programme.objects.filter(type='assises').order_by('-date_debut').first()\n"
        "pr = Proposition.objects.exclude(reference=None).filter(etat='en_oeuvre').order_by('pk').first()\n"
        "print(json.dumps({'evenement': e.slug, 'programme': p.slug, 'assises': a.slug, 'proposition': pr.reference,"
        "'atelier': Atelier.objects.order_by('pk').first().slug,"
        "'seance': Seance.objects.filter(statut='terminee').order_by('-evenement__debut').first().evenement.slug,"
        "'structure': Structure.objects.filter(statut='validee').order_by('pk').first().slug,"
        "'mois': timezone.localdate().strftime('%Y-%m'),"
        "'champ': ChampActionPage.objects.live().order_by('numero').first().url,"
        "'actualite': NewsPage.objects.live().order_by('-date', '-pk').first().url,"
        "'actualites': NewsIndexPage.objects.live().first().url, 'contenu': pc.url}))\n"
    )
    import json

    sortie = subprocess.run([sys.executable, "-c", code], cwd=RACINE, env=env, check=True, capture_output=True,
                            text=True).stdout
    o = json.loads(sortie.strip().splitlines()[-1])
    return [
        ("accueil", "/", {}),
        ("champ d'action (page Wagtail)", o["champ"], {}),
        ("actualités (page Wagtail)", o["actualites"], {}),
        ("actualité (page Wagtail)", o["actualite"], {}),
        ("page de contenu (page Wagtail, chiffres calculés)", o["contenu"], {}),
        ("agenda (liste)", "/agenda/", {}),
        ("agenda (mois)", f"/agenda/?vue=mois&mois={o['mois']}", {}),
        ("événement", f"/agenda/{o['evenement']}/", {}),
        ("programme (Mois de l'ESS)", f"/agenda/programmes/{o['programme']}/", {}),
        ("programme (Assises)", f"/agenda/programmes/{o['assises']}/", {}),
        ("propositions", "/propositions/", {}),
        ("proposition", f"/propositions/{o['proposition']}/", {}),
        ("ateliers", "/ateliers/", {}),
        ("atelier", f"/ateliers/{o['atelier']}/", {}),
        ("séances", "/seances/", {}),
        ("séance", f"/seances/{o['seance']}/", {}),
        ("structures", "/structures/", {}),
        ("structure", f"/structures/{o['structure']}/", {}),
        ("membres", "/conseil/membres/", {}),
        ("données", "/donnees/", {}),
        ("agenda.ics", "/agenda.ics", {}),
        ("agenda.ics (304)", "/agenda.ics", {"etag": True}),
        ("propositions.csv", "/donnees/propositions.csv", {}),
        ("propositions.json", "/donnees/propositions.json", {}),
    ]


class Gunicorn:
    def __init__(self, env, gzip=True):
        self.env, self.port = env, port_libre()
        self.en_tetes = {"Accept-Encoding": "gzip, deflate, br"} if gzip else {}
        self.journal = tempfile.NamedTemporaryFile(prefix="gunicorn-banc-", suffix=".log", delete=False)
        self.processus = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "conseil_ess.wsgi:application", "--workers", "1", "--worker-class",
             "sync", "--bind", f"127.0.0.1:{self.port}", "--timeout", "300"],
            cwd=RACINE, env=env, stdout=self.journal, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)

    def ouvrir(self, chemin, en_tetes=None):
        requete = urllib.request.Request(f"http://127.0.0.1:{self.port}{chemin}", headers={
            "X-Forwarded-Proto": "https", "Host": "127.0.0.1", **self.en_tetes, **(en_tetes or {})})
        try:
            with urllib.request.urlopen(requete, timeout=300) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def attendre(self, delai=120):
        fin = time.monotonic() + delai
        while time.monotonic() < fin:
            if self.processus.poll() is not None:
                raise RuntimeError(Path(self.journal.name).read_text()[-3000:])
            try:
                if self.ouvrir(TRIVIAL)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn ne répond pas")

    def travailleur(self):
        enfants = Path(f"/proc/{self.processus.pid}/task/{self.processus.pid}/children").read_text().split()
        return int(enfants[0])

    def cpu(self):
        champs = Path(f"/proc/{self.travailleur()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(champs[11]) + int(champs[12])) / TICK  # utime, stime

    def arreter(self):
        if self.processus.poll() is None:
            self.processus.terminate()
            try:
                self.processus.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.processus.kill()
        Path(self.journal.name).unlink(missing_ok=True)


def lot(serveur, chemin, en_tetes, args):
    """CPU seconds per request of a batch to ``chemin``."""
    debut, n = serveur.cpu(), 0
    while n < args.max:
        statut, _h, _c = serveur.ouvrir(chemin, en_tetes)
        if statut not in (200, 304):
            raise RuntimeError(f"{chemin} : {statut}")
        n += 1
        if serveur.cpu() - debut >= args.cpu and n >= 5:
            break
    return (serveur.cpu() - debut) / n


def mesurer(serveur, pages, args):
    resultats = {}
    for nom, chemin, options in pages:
        en_tetes = {}
        statut, h, _c = serveur.ouvrir(chemin)  # warms (and fills the cache)
        if options.get("etag"):
            en_tetes = {"If-None-Match": h.get("ETag", "")}
        tours = []
        try:
            for _ in range(args.tours):
                t = lot(serveur, TRIVIAL, {}, args)
                p = lot(serveur, chemin, en_tetes, args)
                tours.append((t, p))
        except RuntimeError as erreur:
            print(f"  {nom:22} {erreur}", flush=True)
            continue
        page = statistics.median(p for _t, p in tours)
        ratio = statistics.median(t / p if p else float("inf") for t, p in tours)
        resultats[nom] = (page * 1000, ratio)
        print(f"  {nom:22} {page * 1000:8.1f} ms  {ratio:5.2f}×", flush=True)
    return resultats


def icalendar_nu(env):
    """CPU ms of a bare icalendar serialisation of the agenda's public events (the feed's target baseline)."""
    code = (
        "import django, time; django.setup()\n"
        "from icalendar import Calendar, Event\n"
        "from evenements.feeds import evenements_publics\n"
        "ev = list(evenements_publics().values('uid', 'titre', 'debut', 'fin', 'sequence', 'statut'))\n"
        "t = time.process_time()\n"
        "for _ in range(3):\n"
        "    c = Calendar()\n"
        "    for e in ev:\n"
        "        c.add_component(Event.new(uid=e['uid'], summary=e['titre'], start=e['debut'], end=e['fin'], "
        "sequence=e['sequence']))\n"
        "    c.to_ical()\n"
        "print(len(ev), (time.process_time() - t) / 3 * 1000)\n"
    )
    sortie = subprocess.run([sys.executable, "-c", code], cwd=RACINE, env=env, check=True, capture_output=True,
                            text=True).stdout.split()
    return int(sortie[-2]), float(sortie[-1])


def main(argv=None):
    args = arguments(argv)
    static_root = tempfile.mkdtemp(prefix="banc-static-")
    env_froid = environnement(False, static_root)
    manage("collectstatic", "--noinput", env=env_froid)
    tableau = {}
    for echelle in args.echelles:
        print(f"Échelle {echelle:g}", flush=True)
        if args.sans_generer:
            pass
        elif echelle == 1:
            manage("generer_donnees_echelle", "--supprimer", env=env_froid)
        else:
            manage("generer_donnees_echelle", "--facteur", f"{echelle:g}", env=env_froid)
        pages = pages_a_mesurer(env_froid)
        if args.pages:
            pages = [p for p in pages if p[0] in args.pages]
        for cache in (False,) if args.froid else (False, True):
            print(f" {'en cache' if cache else 'à froid'}", flush=True)
            serveur = Gunicorn(environnement(cache, static_root), gzip=not args.sans_gzip).attendre()
            try:
                tableau[(echelle, cache)] = mesurer(serveur, pages, args)
            finally:
                serveur.arreter()
        n, ms = icalendar_nu(env_froid)
        tableau[(echelle, "ical")] = (n, ms)
        print(f" icalendar seul, {n} événements : {ms:.0f} ms", flush=True)
    # The table: page × scale × {cold, cached}.
    colonnes = [(e, c) for e in args.echelles for c in (False, True)]
    print("\n| Page | " + " | ".join(f"échelle {e:g}, {'en cache' if c else 'à froid'}" for e, c in colonnes) + " |")
    print("|---|" + "---|" * len(colonnes))
    for nom, _chemin, _o in pages:
        cellules = []
        for cle in colonnes:
            ms, ratio = tableau.get(cle, {}).get(nom, (None, None))
            cellules.append("–" if ms is None else f"{ms:.1f} ms ({ratio:.2f}×)")
        print(f"| {nom} | " + " | ".join(cellules) + " |")
    for e in args.echelles:
        n, ms = tableau[(e, "ical")]
        print(f"\nÉchelle {e:g} : icalendar seul pour {n} événements : {ms:.0f} ms de CPU.")


if __name__ == "__main__":
    main()
