"""Benchmark of the site's search (``/recherche/``) at ten times the demo (a script, not a test).

    python -m tests.benchmarks.recherche [--base DATABASE_URL] [--facteur 10] [--repetitions 30]

Builds its own data: a throwaway database (SQLite file, or the PostgreSQL database given with ``--base``,
which it migrates and fills), the demo (``charger_demo``), then ``facteur - 1`` copies of each of its
indexed objects that are numerous (structures, events, proposals, ateliers; pages and séances stay as they
are), indexed on save like any object. Then it times the search pages through Django's whole middleware
stack (the test client), interleaved with a trivial view behind the same middleware, and reports the CPU
time of each request (``time.process_time``, steadier than wall-clock time on a shared machine) and its
ratio to the trivial view. Timings are never asserted; the README records a run.
"""

import argparse
import os
import statistics
import tempfile
import time

REQUETES = [
    ("tout, « ressourcerie »", {"q": "ressourcerie"}),
    ("tout, « économie sociale »", {"q": "économie sociale"}),
    ("propositions, « insertion », page 2", {"q": "insertion", "type": "propositions", "page": "2"}),
    ("événements, « ressourceries »", {"q": "ressourceries", "type": "evenements"}),
    ("aucun résultat", {"q": "xylophone"}),
]


def vue_triviale(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def urlpatterns_avec_vue_triviale():
    from django.urls import path

    from conseil_ess import urls

    return [path("__trivial__/", vue_triviale)] + urls.urlpatterns


urlpatterns = []  # filled by main(): this module becomes the ROOT_URLCONF of the benchmark


def arguments(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.recherche",
                                     description="Mesure le coût de la recherche du site à dix fois la démo.")
    parser.add_argument("--base", default="", help="DATABASE_URL à migrer et remplir (défaut : SQLite jetable)")
    parser.add_argument("--facteur", type=int, default=10, help="multiplie les objets nombreux de la démo (10)")
    parser.add_argument("--repetitions", type=int, default=30, help="requêtes par adresse (30)")
    return parser.parse_args(argv)


def preparer(args):
    global urlpatterns
    fichier = None
    if not args.base:
        fichier = tempfile.NamedTemporaryFile(prefix="bench-recherche-", suffix=".sqlite3", delete=False).name
        args.base = f"sqlite:///{fichier}"
    os.environ["DATABASE_URL"] = args.base
    os.environ["DJANGO_SETTINGS_MODULE"] = "conseil_ess.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ROOT_URLCONF = __name__
    urlpatterns = urlpatterns_avec_vue_triviale()
    debut = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("charger_demo", "--reset", verbosity=0, stdout=open(os.devnull, "w"))
    print(f"Démo chargée en {time.perf_counter() - debut:.0f} s ({settings.DATABASES['default']['ENGINE']}).")
    debut = time.perf_counter()
    compte = cloner(args.facteur)
    print(f"Copies : {compte} ({args.facteur} fois la démo) en {time.perf_counter() - debut:.0f} s.")
    return fichier


def cloner(facteur):
    """Save ``facteur - 1`` copies of the demo's structures, events, proposals and ateliers (indexed on save)."""
    from ateliers.models import Atelier
    from conseil_ess.comptes.models import Structure
    from conseil_ess.propositions.models import Proposition
    from evenements.models import Evenement

    totaux = {}
    for modele, unique in ((Structure, "slug"), (Evenement, "slug"), (Proposition, "reference"), (Atelier, "slug")):
        originaux = list(modele.objects.filter(is_demo=True).exclude(**{unique: None}))
        if modele is Evenement:  # the meetings and séances' events belong to their own objects: copy the others
            originaux = [e for e in originaux if e.type not in ("reunion_atelier", "seance_pleniere")]
        for i in range(1, facteur):
            for original in originaux:
                copie = modele.objects.get(pk=original.pk)
                copie.pk = copie.id = None
                # A reference stays a reference (P-AAAA-NNN…): one more digit; a slug gets a suffix.
                suffixe = str(i) if unique == "reference" else f"-x{i}"
                setattr(copie, unique, f"{getattr(original, unique)}{suffixe}")
                if modele is Evenement:
                    copie.uid, copie.parent = "", None
                copie.save()
        totaux[modele._meta.verbose_name_plural] = modele.objects.count()
    return ", ".join(f"{n} {nom}" for nom, n in totaux.items())


def mesurer(client, chemin, parametres, repetitions):
    """CPU milliseconds of each of ``repetitions`` requests (after one warm-up request)."""
    assert client.get(chemin, parametres).status_code == 200
    durees = []
    for _ in range(repetitions):
        debut = time.process_time()
        reponse = client.get(chemin, parametres)
        durees.append((time.process_time() - debut) * 1000)
        assert reponse.status_code == 200
    return durees


def main(argv=None):
    args = arguments(argv)
    fichier = preparer(args)
    from django.test import Client

    client = Client()
    print(f"\n{'adresse':45} {'CPU médian':>11} {'ratio':>7}")
    for libelle, parametres in REQUETES:
        triviales, recherches = [], []
        for _ in range(3):  # interleaved: the trivial view measured around each batch
            triviales += mesurer(client, "/__trivial__/", {}, args.repetitions // 3 or 1)
            recherches += mesurer(client, "/recherche/", parametres, args.repetitions // 3 or 1)
        trivial, recherche = statistics.median(triviales), statistics.median(recherches)
        print(f"{libelle:45} {recherche:8.1f} ms {recherche / trivial:6.1f}×   (vue triviale {trivial:.2f} ms)")
    if fichier:
        os.unlink(fichier)


if __name__ == "__main__":
    main()
